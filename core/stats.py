"""Who is quoted: speakers by number of quotes and words quoted, and the share of each quote type."""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from typing import Iterable

import regex

from .model import QUOTE_TYPES, Document

UNATTRIBUTED = "(no speaker)"
CSV_FIELDS = ("speaker", "quotes", "words", "direct", "mixed", "indirect", "unknown", "documents")
_WORD = regex.compile(r"[\p{L}\p{N}]+(?:['\u2019-][\p{L}\p{N}]+)*")


@dataclass
class SpeakerRow:
    speaker: str
    quotes: int = 0
    words: int = 0
    by_type: dict[str, int] = field(default_factory=lambda: {t: 0 for t in QUOTE_TYPES})
    documents: int = 0  # how many documents quote this speaker
    entity_ids: list[str] = field(default_factory=list)  # "doc_id/entity_id" of the merged entities

    def as_dict(self) -> dict:
        return {"speaker": self.speaker, "quotes": self.quotes, "words": self.words,
                **{t: self.by_type.get(t, 0) for t in QUOTE_TYPES}, "documents": self.documents}


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def _key(name: str) -> str:
    # The same person across documents: names compared without case or spacing differences.
    return " ".join(name.split()).casefold()


def speaker_stats(docs: Iterable[Document] | Document, include_unattributed: bool = True) -> list[SpeakerRow]:
    """One row per speaker (entity name, or the mention text when the mention has no entity),
    most quoted first (ties: more words, then name).  Speakers are merged across documents by
    name.  Quotes without a speaker are counted under ``UNATTRIBUTED`` when asked."""
    if isinstance(docs, Document):
        docs = [docs]
    rows: dict[str, SpeakerRow] = {}
    for doc in docs:
        seen_here = set()
        for q in doc.quotes.values():
            name = doc.speaker_name(q)
            if not name or not name.strip():
                if not include_unattributed:
                    continue
                name = UNATTRIBUTED
            name = " ".join(name.split())
            key = _key(name)
            row = rows.get(key)
            if row is None:
                row = rows[key] = SpeakerRow(name)
            row.quotes += 1
            row.words += count_words(doc.article[q.start:q.end])
            t = q.type if q.type in row.by_type else "unknown"
            row.by_type[t] += 1
            ent = doc.speaker_entity(q)
            if ent is not None and f"{doc.id}/{ent.id}" not in row.entity_ids:
                row.entity_ids.append(f"{doc.id}/{ent.id}")
            if key not in seen_here:
                seen_here.add(key)
                row.documents += 1
    return sorted(rows.values(), key=lambda r: (-r.quotes, -r.words, r.speaker.casefold()))


def type_counts(docs: Iterable[Document] | Document) -> dict[str, int]:
    if isinstance(docs, Document):
        docs = [docs]
    out = {t: 0 for t in QUOTE_TYPES}
    for doc in docs:
        for q in doc.quotes.values():
            out[q.type if q.type in out else "unknown"] += 1
    return out


def type_shares(docs: Iterable[Document] | Document) -> dict[str, float]:
    """Fraction of quotes of each type (direct, mixed, indirect, unknown); all 0.0 when there are none."""
    counts = type_counts(docs)
    total = sum(counts.values())
    return {t: (n / total if total else 0.0) for t, n in counts.items()}


def to_csv(rows: Iterable[SpeakerRow], path) -> None:
    """Write speaker rows as CSV (UTF-8, header ``CSV_FIELDS``)."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CSV_FIELDS)
        w.writeheader()
        for r in rows:
            w.writerow(r.as_dict())
