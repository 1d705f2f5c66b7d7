"""The annotated document: its texts, the article's structure, and the spans and links people check.

Every span is a pair of Python ``str`` indices, end exclusive.  Quotes, mentions and cues
index ``Document.article``; ``Paragraph`` and ``ArticleMeta`` spans also record where they
came from in ``Document.raw`` so that any annotation can be traced back to the page.

``Document.raw`` is always text a reader sees: the page text as read, or for an HTML page the
page as text built from its markup (``extraction/pagetext.py``), with the markup itself in
``Document.html`` and ``raw_to_html`` / ``html_to_raw`` between the two.  (An annotation file of
version 1 for an HTML page keeps the markup itself as ``raw`` and no ``html``: ``raw_is_markup``.)
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
    """One article paragraph: where it sits in the article and where it came from in the raw page.
    (An HTML paragraph's span takes in the blank line after it when the page text has it there too.)"""
    start: int
    end: int
    raw_start: int
    raw_end: int
    # True when article[start:end] == raw[raw_start:raw_end], so offsets map character by character.
    verbatim: bool = True


@dataclass
class ArticleMeta:
    headline: str | None = None
    date: str | None = None  # ISO 8601 ("2017-04-12", "2019-11-20T01:07:00-05:00"), None when not read
    dateline: str | None = None
    byline: str | None = None
    agency: str | None = None
    date_text: str | None = None  # the date as the page writes it (its raw span is raw_spans["date"])
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
    # The HTML source when ``raw`` is the page text built from it (raw_kind "html"); else None.
    html: str | None = None
    # pagetext.PageMap from raw offsets to html offsets, built on first use; False: unavailable.
    _page_map: object = field(default=None, repr=False, compare=False)

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
        """The raw-page span an article span came from (exact for verbatim paragraphs, also
        across paragraphs; the enclosing paragraphs' raw span otherwise)."""
        p = self.paragraph_at(start)
        if p is None:
            return (0, 0)
        if p.verbatim and end <= p.end:
            return (p.raw_start + start - p.start, p.raw_start + end - p.start)
        q = self.paragraph_at(end) or p
        if p.verbatim and q.verbatim and q is not p and q.start <= end <= q.end:
            return (p.raw_start + start - p.start, max(q.raw_start + end - q.start, p.raw_start + start - p.start))
        return (p.raw_start, max(q.raw_end, p.raw_start))

    # -- the HTML behind the page text ------------------------------------------------------
    @property
    def raw_is_markup(self) -> bool:
        """True for an HTML document read from a version 1 file: ``raw`` is the markup itself."""
        return self.raw_kind == "html" and self.html is None

    @property
    def html_source(self) -> str | None:
        """The page's HTML (``html``, or ``raw`` when that is the markup), None for a text page."""
        if self.html is not None:
            return self.html
        return self.raw if self.raw_kind == "html" else None

    def page_map(self):
        """The map from ``raw`` offsets to ``html`` offsets (pagetext.PageMap), or None (a text
        page; or the page text could not be rebuilt from the HTML as it was saved)."""
        if self.html is None:
            return None
        if self._page_map is None:
            from .extraction.html import page_text

            try:
                built = page_text(self.html)
            except RecursionError:
                self._page_map = False
                return None
            self._page_map = built.map if built.text == self.raw and built.map is not None else False
        return self._page_map or None

    def raw_to_html(self, start: int, end: int) -> tuple[int, int] | None:
        """The ``html_source`` span raw span ``[start, end)`` came from: for the "show markup" view.
        None for a text page (or when the map is unavailable)."""
        if self.raw_is_markup:
            return (start, end)
        m = self.page_map()
        return m.to_html(start, end) if m is not None else None

    def html_to_raw(self, offset: int) -> int | None:
        """The ``raw`` offset at (or just after, inside markup) ``html_source`` offset ``offset``."""
        if self.raw_is_markup:
            return offset
        m = self.page_map()
        return m.to_page(offset) if m is not None else None
