"""Exchange formats: QuoteDesk JSONL (the shared scorer's format), brat standoff, Label Studio, CSV."""
