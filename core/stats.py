"""Who is quoted: speakers by number of quotes and words quoted, and the share of each quote type."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Iterable

import regex

from .atomic import atomic_write_text
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

    def as_dict(self) -> dict:
        return {"speaker": self.speaker, "quotes": self.quotes, "words": self.words,
                **{t: self.by_type.get(t, 0) for t in QUOTE_TYPES}, "documents": self.documents}


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def _key(name: str) -> str:
    # The same person across documents: names compared without case or spacing differences.
    return " ".join(name.split()).casefold()


def document_summary(doc: Document) -> list[list]:
    """One document's speakers as compact rows ``[name, quotes, words, direct, mixed, indirect,
    unknown]`` (quotes without a speaker under ``UNATTRIBUTED``): small enough to keep per
    document in the corpus' project file, so corpus statistics need no document loaded."""
    rows: dict[str, list] = {}
    for q in doc.quotes.values():
        name = doc.speaker_name(q)
        name = " ".join(name.split()) if name and name.strip() else UNATTRIBUTED
        row = rows.setdefault(_key(name), [name, 0, 0] + [0] * len(QUOTE_TYPES))
        row[1] += 1
        row[2] += count_words(doc.article[q.start:q.end])
        row[3 + (QUOTE_TYPES.index(q.type) if q.type in QUOTE_TYPES else QUOTE_TYPES.index("unknown"))] += 1
    return list(rows.values())


def merge_summaries(summaries: Iterable[list[list]], include_unattributed: bool = True) -> list[SpeakerRow]:
    """Speaker rows over many documents' summaries, merged by name, most quoted first (ties:
    more words, then name)."""
    rows: dict[str, SpeakerRow] = {}
    for summary in summaries:
        for name, quotes, words, *types in summary or ():
            if name == UNATTRIBUTED and not include_unattributed:
                continue
            row = rows.get(_key(name))
            if row is None:
                row = rows[_key(name)] = SpeakerRow(name)
            row.quotes += quotes
            row.words += words
            for t, n in zip(QUOTE_TYPES, types):
                row.by_type[t] += n
            row.documents += 1
    return sorted(rows.values(), key=lambda r: (-r.quotes, -r.words, r.speaker.casefold()))


def speaker_stats(docs: Iterable[Document] | Document, include_unattributed: bool = True) -> list[SpeakerRow]:
    """One row per speaker (entity name, or the mention text when the mention has no entity),
    most quoted first (ties: more words, then name).  Speakers are merged across documents by
    name.  Quotes without a speaker are counted under ``UNATTRIBUTED`` when asked."""
    if isinstance(docs, Document):
        docs = [docs]
    return merge_summaries((document_summary(d) for d in docs), include_unattributed)


def type_counts_of_rows(rows: Iterable[SpeakerRow]) -> dict[str, int]:
    out = {t: 0 for t in QUOTE_TYPES}
    for r in rows:
        for t in QUOTE_TYPES:
            out[t] += r.by_type.get(t, 0)
    return out


def type_counts(docs: Iterable[Document] | Document) -> dict[str, int]:
    if isinstance(docs, Document):
        docs = [docs]
    out = {t: 0 for t in QUOTE_TYPES}
    for doc in docs:
        for q in doc.quotes.values():
            out[q.type if q.type in out else "unknown"] += 1
    return out


def shares(counts: dict[str, int]) -> dict[str, float]:
    total = sum(counts.values())
    return {t: (n / total if total else 0.0) for t, n in counts.items()}


def type_shares(docs: Iterable[Document] | Document) -> dict[str, float]:
    """Fraction of quotes of each type (direct, mixed, indirect, unknown); all 0.0 when there are none."""
    return shares(type_counts(docs))


def to_csv(rows: Iterable[SpeakerRow], path) -> None:
    """Write speaker rows as CSV (UTF-8, header ``CSV_FIELDS``), atomically."""
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=CSV_FIELDS)
    w.writeheader()
    for r in rows:
        w.writerow(r.as_dict())
    atomic_write_text(path, buf.getvalue())
