"""QuoteDesk JSONL: one document a line, a superset of the shared scorer's quote format."""
from __future__ import annotations

from ..model import Document, Quote


def quote_record(doc: Document, quote: Quote, offset=None) -> dict:
    """A quote as the scorer reads it.  ``offset`` maps an article span to the output text's span
    (identity when omitted)."""
    def conv(s, e):
        return list(offset(s, e)) if offset else [s, e]

    start, end = conv(quote.start, quote.end)
    mention = doc.mentions.get(quote.mention) if quote.mention else None
    cue = doc.cues.get(quote.cue) if quote.cue else None
    rec = {
        "start": start,
        "end": end,
        "type": quote.type,
        "speaker": doc.speaker_name(quote),
        "speaker_spans": [conv(mention.start, mention.end)] if mention else [],
        "cue_spans": [conv(cue.start, cue.end)] if cue else [],
        "id": quote.id,
        "rule": quote.rule,
        "confidence": round(quote.confidence, 3),
        "origin": quote.origin,
        "reviewed": quote.reviewed,
    }
    if quote.group:
        rec["group"] = quote.group
    if mention and mention.entity:
        rec["entity"] = mention.entity
    return rec
