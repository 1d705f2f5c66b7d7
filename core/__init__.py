"""QuoteDesk's Qt-free core: documents, readers, extraction, attribution, edits, formats, evaluation."""
