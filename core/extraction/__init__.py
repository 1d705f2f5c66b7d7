"""Article extraction: from a raw page (text or HTML) to the article body, its paragraphs with raw-page spans, and its metadata.

- Page text (``text.py``): every non-blank line is scored (long sentences up, short, repeated,
  boilerplate and comment lines down, resources/boilerplate_phrases.txt and extraction_stop_lines.txt);
  the best contiguous region is the story, and each kept line is a verbatim slice of the page.
- HTML (``html.py``): one lxml parse and one walk build the page as text (``pagetext.py``: what a
  reader sees, each character mapped to the HTML source) and collect its text blocks; a
  readability-style score picks the content container, widened to sibling/cousin containers, and
  furniture (class names in resources/extraction_*_classes.txt, nav/aside/figure...) is dropped.
  Raw spans index the page text (``Extraction.page_text``) and every paragraph is verbatim.
- Metadata (``meta.py``): headline, date, byline, dateline ("MOSCOW:", "LONDON, March 3 (AP) —")
  and agency ("–AFP", "(Reuters)"), each with its raw span when found.

``extract_article`` never raises: any string gives an Extraction, maybe empty.  It is linear in the
page size: a 50 MB page takes about 4-9 s on one core here (HTML is the slower).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from operator import attrgetter, methodcaller

from ..model import ArticleMeta, Paragraph
from . import meta as meta_x
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
    # HTML only: the page as text (what paragraph and meta raw spans index) and its map to the
    # HTML source (pagetext.PageMap); None for page text, whose raw spans index the text itself.
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
    # A byline among the first body lines is metadata, not body.
    for ln in kept[:3]:
        b = meta_x.find_byline(ln.text)
        if b:
            meta.byline = b[2]
            meta.raw_spans["byline"] = (ln.start + b[0], ln.start + b[1])
            kept = [k for k in kept if k is not ln]
            break
    _text_header(lines, first, kept[0] if kept else None, meta)
    if kept and meta.headline is None and len(kept) > 1 and _headline_score(kept[0].text, kept[0].words, False) >= 4 \
            and not text_x.is_sentence(kept[0].text):
        # The region opened on the headline itself: it is metadata, not body.
        head = kept.pop(0)
        meta.headline = head.text
        meta.raw_spans["headline"] = (head.start, head.end)
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


HEADLINE_WINDOW = 30  # lines above the body searched for the headline


def _text_header(lines, first: int, first_kept, meta: ArticleMeta) -> None:
    """Headline, date and byline from the lines just above the article."""
    stop = first
    if first_kept is not None:
        # The region may open with a short line or two that were not kept (e.g. the headline).
        while stop < len(lines) and lines[stop] is not first_kept and lines[stop].start < first_kept.start:
            stop += 1
    date_span = None
    seen: dict[str, int] = {}
    for ln in lines[:stop]:
        seen[ln.text] = seen.get(ln.text, 0) + 1
    best, best_score = None, 0.0
    dated = False
    for k in range(stop - 1, max(-1, stop - HEADLINE_WINDOW), -1):
        ln = lines[k]
        t = ln.text
        if ln.boiler:
            continue
        distance = stop - 1 - k
        if meta_x.is_time_or_year(t) or _mostly_date(t):
            d = meta_x.find_date(t)
            if (d or meta_x.is_time_or_year(t)) and distance < 10 and not dated:
                s, e = (ln.start + d[0], ln.start + d[1]) if d else (ln.start, ln.end)
                if date_span and s < date_span[0] and date_span[0] - e > 2:
                    dated = True  # a second, separate date line: keep the nearer one
                    continue
                date_span = (min(s, date_span[0]), max(e, date_span[1])) if date_span else (s, e)
            continue
        b = meta_x.find_byline(t)
        if b:
            if meta.byline is None and distance < 12:
                meta.byline = b[2]
                meta.raw_spans["byline"] = (ln.start + b[0], ln.start + b[1])
            continue
        score = _headline_score(t, ln.words, seen.get(t, 1) > 1) - 0.15 * distance
        if score > best_score:
            best, best_score = ln, score
    if best is not None:
        meta.headline = best.text
        meta.raw_spans["headline"] = (best.start, best.end)
    if date_span is not None:
        meta.raw_spans["date"] = date_span
        meta.date = "pending"  # filled by the caller from the raw text


_TITLE_WORD_RE = re.compile(r"\b[A-Z0-9]")


def _headline_score(t: str, words: int, repeated: bool) -> float:
    """How much a line above the body looks like its headline: a few words, title-like, often
    printed twice (page title and heading)."""
    if words < 3 or words > 30 or t.endswith((",", ";", ":")) or "|" in t:
        return 0.0
    low = t.lower()
    if "min read" in low or low.startswith(("posted", "updated", "published", "written by", "last updated")):
        return 0.0
    score = 2.0
    if repeated:
        score += 3.0
    if t.endswith(".") and not t.endswith("..."):
        score -= 1.5
    if len(_TITLE_WORD_RE.findall(t)) * 2 > words:
        score += 1.0
    if 5 <= words <= 20:
        score += 1.0
    return score


def _mostly_date(t: str) -> bool:
    d = meta_x.find_date(t)
    return bool(d) and (d[1] - d[0]) * 2 >= len(t) - 12 and len(t) < 60


def _body_meta(article: str, paras: list[Paragraph], meta: ArticleMeta, raw: str) -> None:
    """Dateline and agency from the body's first and last paragraphs; the date text from its span."""
    if meta.date == "pending":
        s, e = meta.raw_spans["date"]
        meta.date = _WS_RE.sub(" ", raw[s:e]).strip()
    if not paras:
        return
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
    hm = res.meta
    if hm.h1 is None:
        hm.h1 = next((b.text for b in res.blocks if b.tag == "h1"), None)
    headline = _html_headline(hm)
    blocks = trim_edges(html_x.select_blocks(res), _text_of)
    if headline:
        meta.headline = headline
        key = _WS_RE.sub(" ", headline).strip().lower()
        blocks = [b for b in blocks if _WS_RE.sub(" ", b.text).lower() != key]
    for byl in blocks[:2]:
        found = meta_x.find_byline(byl.text)
        if found:
            meta.byline = found[2]
            blocks = [x for x in blocks if x is not byl]
            break
    if meta.byline is None and hm.author:
        meta.byline = hm.author
    if hm.date:
        meta.date = hm.date
    # Every paragraph is a block, and every block a slice of the page text: verbatim.
    pieces, paras, pos = [], [], 0
    for b in blocks:
        if pieces:
            pos += len(PARAGRAPH_SEP)
        paras.append(Paragraph(pos, pos + len(b.text), b.start, b.end, True))
        pieces.append(b.text)
        pos += len(b.text)
    article = PARAGRAPH_SEP.join(pieces)
    for name in ("headline", "byline", "date"):
        value = getattr(meta, name)
        if value:
            at = page.find(value)
            if at >= 0:
                meta.raw_spans[name] = (at, at + len(value))
    _body_meta(article, paras, meta, page)
    return Extraction(article, paras, meta, page, res.page.map, warnings)


def _html_headline(hm) -> str | None:
    title = hm.og_title or hm.ld_headline or hm.title
    if hm.h1 and (not title or hm.h1.lower() in title.lower() or title.lower() in hm.h1.lower()):
        return hm.h1
    if title and hm.title and title == hm.title:
        # "<Headline> | Site name": keep the longest part.
        parts = re.split(r"\s+[|\-–—]\s+", title)
        return max(parts, key=len) if parts else title
    return title


_WORD_RE = re.compile(r"\w{3,}")


def _find_words(raw: str, tokens: list[str], pos: int, limit: int, last: bool) -> tuple[int, int] | None:
    """Where a few words of a paragraph sit in the HTML: the words as written, else one plain
    word of them (the others may be split by tags or written as entities)."""
    phrase = " ".join(tokens)
    i = raw.find(phrase, pos, limit)
    if i >= 0:
        return i, i + len(phrase)
    words = _WORD_RE.findall(phrase)
    for w in (reversed(words) if last else words):
        i = raw.find(w, pos, limit)
        if i >= 0:
            return i, i + len(w)
    return None


def _locate_blocks(raw: str, blocks) -> list[tuple[int, int]]:
    """Best-effort, monotonic, non-empty raw spans for HTML blocks: the paragraph's first words
    found from its element's source line on, to its last words."""
    out = []
    n = len(raw)
    if n == 0:
        return [(0, 0)] * len(blocks)
    line_no, line_pos = 1, 0
    prev_end = 0
    for b in blocks:
        target = b.line or 1
        if target < line_no:
            line_no, line_pos = 1, 0
        while line_no < target:
            nl = raw.find("\n", line_pos)
            if nl < 0:
                break
            line_pos = nl + 1
            line_no += 1
        hint = max(line_pos, prev_end)
        tokens = b.text.split()
        start = end = -1
        if tokens:
            found = _find_words(raw, tokens[:3], hint, min(n, hint + 200_000), False)
            if found is None and hint > prev_end:
                found = _find_words(raw, tokens[:3], prev_end, n, False)
            if found is not None:
                start, end = found
                if len(tokens) > 3:
                    tail = _find_words(raw, tokens[-3:], start + 1, min(n, end + 20 * len(b.text) + 2000), True)
                    if tail is not None:
                        end = max(end, tail[1])
        if start < 0:
            start = hint
            end = start + len(b.text)
        start = min(max(start, prev_end), n - 1)
        end = min(max(end, start + 1), n)
        out.append((start, end))
        prev_end = end
    return out
