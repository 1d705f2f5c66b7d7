"""The annotated document: its texts, the article's structure, and the spans and links people check.

Every span is a pair of Python ``str`` indices, end exclusive.  Quotes, mentions and cues
index ``Document.article``; ``Paragraph`` and ``ArticleMeta`` spans also record where they
came from in ``Document.raw`` so that any annotation can be traced back to the page.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

QUOTE_TYPES = ("direct", "mixed", "indirect", "unknown")
# Who last decided a span: the machine suggested it, or a person made or accepted it.
ORIGIN_MACHINE = "machine"
ORIGIN_HUMAN = "human"
DOC_STATUSES = ("new", "machine", "review", "done")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class Paragraph:
    """One article paragraph: where it sits in the article and where it came from in the raw page."""
    start: int
    end: int
    raw_start: int
    raw_end: int
    # True when article[start:end] == raw[raw_start:raw_end], so offsets map character by character.
    verbatim: bool = True


@dataclass
class ArticleMeta:
    headline: str | None = None
    date: str | None = None
    dateline: str | None = None
    byline: str | None = None
    agency: str | None = None
    # name -> (raw_start, raw_end) for each field found in the raw page.
    raw_spans: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass
class Entity:
    id: str
    name: str
    kind: str = "unknown"  # person, organization, group, unknown


@dataclass
class Mention:
    id: str
    start: int
    end: int
    entity: str | None = None
    kind: str = "name"  # name, nominal, pronoun
    origin: str = ORIGIN_MACHINE


@dataclass
class Cue:
    id: str
    start: int
    end: int
    origin: str = ORIGIN_MACHINE


@dataclass
class Quote:
    id: str
    start: int
    end: int
    type: str = "direct"
    mention: str | None = None  # the speaker mention's id
    cue: str | None = None  # the cue's id
    rule: str = ""  # which attribution rule produced it: the GUI shows it as the reason
    confidence: float = 1.0
    origin: str = ORIGIN_MACHINE
    reviewed: bool = False
    group: str | None = None  # parts of one discontinuous content share a group
    # Further speaker mentions / cues when a source names several (corpora such as PolNeAR do):
    # ``mention`` / ``cue`` stay the main ones, these keep the rest so nothing is lost.
    extra_mentions: list[str] = field(default_factory=list)
    extra_cues: list[str] = field(default_factory=list)


@dataclass
class Document:
    id: str
    raw: str
    article: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    meta: ArticleMeta = field(default_factory=ArticleMeta)
    source: str | None = None  # path or corpus name it was read from
    raw_kind: str = "text"  # text or html
    status: str = "new"
    quotes: dict[str, Quote] = field(default_factory=dict)
    mentions: dict[str, Mention] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    cues: dict[str, Cue] = field(default_factory=dict)
    provenance: dict = field(default_factory=dict)

    # -- lookups -------------------------------------------------------------------------
    def speaker_entity(self, quote: Quote) -> Entity | None:
        m = self.mentions.get(quote.mention) if quote.mention else None
        return self.entities.get(m.entity) if m and m.entity else None

    def speaker_name(self, quote: Quote) -> str | None:
        ent = self.speaker_entity(quote)
        if ent is not None:
            return ent.name
        m = self.mentions.get(quote.mention) if quote.mention else None
        return self.article[m.start:m.end] if m else None

    def span_text(self, obj) -> str:
        return self.article[obj.start:obj.end]

    def sorted_quotes(self) -> list[Quote]:
        return sorted(self.quotes.values(), key=lambda q: (q.start, q.end, q.id))

    def new_id(self, prefix: str) -> str:
        """A fresh id such as ``q12``; ids are never reused within a document's lifetime."""
        pools = {"q": self.quotes, "m": self.mentions, "e": self.entities, "c": self.cues}
        pool = pools[prefix]
        n = len(pool) + 1
        while f"{prefix}{n}" in pool:
            n += 1
        return f"{prefix}{n}"

    # -- raw page mapping ------------------------------------------------------------------
    def paragraph_at(self, offset: int) -> Paragraph | None:
        lo, hi = 0, len(self.paragraphs)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.paragraphs[mid].end < offset:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(self.paragraphs) and self.paragraphs[lo].start <= offset <= self.paragraphs[lo].end:
            return self.paragraphs[lo]
        return None

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """The raw-page span an article span came from (exact for verbatim paragraphs,
        the enclosing paragraph's raw span otherwise)."""
        p = self.paragraph_at(start)
        if p is None:
            return (0, 0)
        if p.verbatim and end <= p.end:
            return (p.raw_start + start - p.start, p.raw_start + end - p.start)
        q = self.paragraph_at(end) or p
        return (p.raw_start, max(q.raw_end, p.raw_start))
