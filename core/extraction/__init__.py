"""Article extraction: from a raw page (text or HTML) to the article body, its paragraphs with raw-page spans, and its metadata.

- Page text (``text.py``): every non-blank line is scored (long sentences up, short, repeated,
  boilerplate and comment lines down, resources/boilerplate_phrases.txt and extraction_stop_lines.txt);
  the best contiguous region is the story, and each kept line is a verbatim slice of the page.
- HTML (``html.py``): one lxml parse and one walk build the page as text (``pagetext.py``: what a
  reader sees, each character mapped to the HTML source) and collect its text blocks; a
  readability-style score picks the content container, widened to sibling/cousin containers, and
  furniture (class names in resources/extraction_*_classes.txt, nav/aside/figure...) is dropped.
  Raw spans index the page text (``Extraction.page_text``) and every paragraph is verbatim; a
  paragraph's span takes in the blank line after it when the page text has it there too.
- Metadata: headline, date and byline from JSON-LD, Open Graph/``article:`` meta, ``<time>``,
  ``rel=author``, byline classes and the page's header, else the text rules (``page_meta.py``);
  dates as ISO 8601 with the text as written (``dates.py``); dateline ("MOSCOW:", "LONDON, March 3
  (AP) —") and agency ("–AFP", "(Reuters)") from the body (``meta.py``); each with its raw span when found.

``extract_article`` never raises: any string gives an Extraction, maybe empty.  It is linear in the
page size: a 50 MB page takes about 4-9 s on one core here (HTML is the slower).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from operator import attrgetter, methodcaller

from ..model import ArticleMeta, Paragraph
from . import meta as meta_x
from . import page_meta
from . import text as text_x
from .boilerplate import trim_edges

PARAGRAPH_SEP = "\n\n"
_WS_RE = re.compile(r"\s+")
_TRIMMED_LINE = re.compile(r"[^\S\n]*(\S(?:[^\n]*\S)?)")  # a non-blank line, group 1 without its edge blanks
_span_1 = methodcaller("span", 1)


@dataclass
class Extraction:
    article: str = ""
    paragraphs: list[Paragraph] = field(default_factory=list)
    meta: ArticleMeta = field(default_factory=ArticleMeta)
    # HTML only: the page as text (what paragraph and meta raw spans index); None for page text,
    # whose raw spans index the text itself.  ``page_map`` (pagetext.PageMap, to the HTML source) is
    # not built by extraction (batch work never needs it): Document.page_map() builds it on demand.
    page_text: str | None = None
    page_map: object = None
    # What the page held that could not be represented (a caller shows these; nothing is dropped silently).
    warnings: list[str] = field(default_factory=list)


def split_paragraphs(text: str) -> list[Paragraph]:
    """Every non-blank line of an already clean article as a verbatim paragraph (trimmed)."""
    # the spans text_x.split_lines gives (str.strip and \s trim the same characters), without
    # building its Line objects: this runs on every record of a corpus
    return [Paragraph(s, e, s, e, True) for s, e in map(_span_1, _TRIMMED_LINE.finditer(text))]


def extract_article(raw: str, kind: str = "text") -> Extraction:
    """The article in ``raw`` (``kind`` "text" or "html"); never raises, may be empty."""
    if not isinstance(raw, str) or not raw.strip():
        return Extraction()
    try:
        if kind == "html":
            return _extract_html(raw)
        return _extract_text(raw)
    except RecursionError:
        return Extraction()


_text_of = attrgetter("text")  # lines and HTML blocks alike, for trim_edges


# -- page text ---------------------------------------------------------------------------------

def _extract_text(raw: str) -> Extraction:
    lines, kept, first = text_x.select_lines(raw)
    kept = trim_edges(kept, _text_of)
    meta = ArticleMeta()
    if not kept:
        return Extraction(meta=meta)
    # Headline, date and byline from the lines around the story's start (page_meta.py); those
    # among the story's own first lines are metadata, not body.
    meta, kept = page_meta.text_meta(lines, _index_of(lines, kept[0]), kept, raw)
    pieces, paras, pos = [], [], 0
    for ln in kept:
        if pieces:
            pos += len(PARAGRAPH_SEP)
        paras.append(Paragraph(pos, pos + len(ln.text), ln.start, ln.end, True))
        pieces.append(ln.text)
        pos += len(ln.text)
    article = PARAGRAPH_SEP.join(pieces)
    _body_meta(article, paras, meta, raw)
    return Extraction(article, paras, meta)


def _index_of(lines: list, line) -> int:
    """The index of ``line`` (an element of ``lines``, by identity)."""
    for i, ln in enumerate(lines):
        if ln is line:
            return i
    return len(lines)


def _body_meta(article: str, paras: list[Paragraph], meta: ArticleMeta, raw: str) -> None:
    """Dateline and agency from the body's first and last paragraphs; with no writer named, the
    agency credit is the byline (what ``extract`` and ``analyze`` both report)."""
    if paras:
        _dateline_and_agency(article, paras, meta, raw)
    if meta.byline is None and meta.agency:
        meta.byline = meta.agency
        meta.raw_spans.setdefault("byline", meta.raw_spans["agency"])


def _dateline_and_agency(article: str, paras: list[Paragraph], meta: ArticleMeta, raw: str) -> None:
    p0 = paras[0]
    d = meta_x.find_dateline(article[p0.start:p0.end])
    if d:
        s, e, place, agency = d
        meta.dateline = place
        meta.raw_spans["dateline"] = _raw_of(p0, s, e, raw, article)
        if agency:
            meta.agency = agency[2]
            meta.raw_spans["agency"] = _raw_of(p0, agency[0], agency[1], raw, article)
    if meta.agency is None:
        for p in reversed(paras[-2:]):
            a = meta_x.find_agency_tail(article[p.start:p.end])
            if a:
                meta.agency = a[2]
                meta.raw_spans["agency"] = _raw_of(p, a[0], a[1], raw, article)
                break


def _raw_of(p: Paragraph, s: int, e: int, raw: str, article: str) -> tuple[int, int]:
    """The raw span of paragraph-relative [s, e): exact when verbatim, else found near the paragraph."""
    if p.verbatim:
        return p.raw_start + s, p.raw_start + e
    needle = article[p.start + s:p.start + e]
    at = raw.find(needle, p.raw_start, max(p.raw_end, p.raw_start + 4096)) if needle else -1
    if at >= 0:
        return at, at + len(needle)
    return p.raw_start, p.raw_end


# -- HTML --------------------------------------------------------------------------------------

def _extract_html(raw: str) -> Extraction:
    from . import html as html_x  # lxml: only HTML pages pay for importing it

    doc, warnings = html_x.parse_page(raw)
    meta = ArticleMeta()
    if doc is None:
        return Extraction(meta=meta, page_text="", warnings=warnings)
    res = html_x.walk(doc, raw)
    page = res.page.text
    blocks = trim_edges(html_x.select_blocks(res), _text_of)
    # Headline, date and byline from JSON-LD, meta tags and the page's header (page_meta.py);
    # blocks that are metadata leave the body.  Raw spans index the page text.
    meta, blocks = page_meta.html_meta(page_meta.read_html(doc), res.blocks, blocks, page)
    # Every paragraph is a block, and every block a slice of the page text: verbatim.
    pieces, paras, pos = [], [], 0
    for b in blocks:
        if pieces:
            pos += len(PARAGRAPH_SEP)
        paras.append(Paragraph(pos, pos + len(b.text), b.start, b.end, True))
        pieces.append(b.text)
        pos += len(b.text)
    article = PARAGRAPH_SEP.join(pieces)
    _body_meta(article, paras, meta, page)
    _take_in_separators(paras, page)
    return Extraction(article, paras, meta, page, res.page.map, warnings)


def _take_in_separators(paras: list[Paragraph], page: str) -> None:
    """Where the page text has the article's blank line between two paragraphs, that blank line
    is part of the first one's span (in the article and in the page alike): every article
    character the page text also holds then maps exactly, also a selection over paragraphs."""
    sep_len = len(PARAGRAPH_SEP)
    for p, q in zip(paras, paras[1:]):
        if q.start - p.end == sep_len and q.raw_start - p.raw_end == sep_len \
                and page.startswith(PARAGRAPH_SEP, p.raw_end):
            p.end, p.raw_end = q.start, q.raw_start
