"""The page as a reader sees it: visible text built from the one HTML parse, with a map from every character back to the HTML source.

How the text is made (close to a browser's ``innerText``):
- runs of ASCII whitespace (space, tab, LF, CR, FF) collapse to one space, dropped at the start and
  end of a line; other spaces (no-break space, ideographic space) are kept as written; ``<pre>`` keeps
  its whitespace;
- block elements start lines: ``p``, headings, lists, tables, ``blockquote``, ``pre``, ``hr``... leave a
  blank line around them, other blocks (``div``, ``li``, ``tr``, ``section``...) one line break;
  table cells in a row are separated by a tab; ``<br>`` is a line break;
- what ``html.walk`` does not read is not page text: ``head``, scripts, styles, templates, ``svg``,
  form controls, embedded objects, and hidden elements (``hidden``, ``display:none``,
  ``visibility:hidden``);
- entities are decoded (HTML5 rules, as the parser does).

The map: lxml gives no character offsets, so the source is tokenised once (tags, comments and
raw-text elements apart from text) and its text decoded into a stream ``D`` with its own map to the
source; every text node lxml hands the walk is found in ``D`` from a cursor that only moves forward.
A node not found there (the parser decoded it differently) maps, zero-width, to where the cursor is:
the text itself is never affected, only where "show markup" points.
"""
from __future__ import annotations

import html as _html
import re
from bisect import bisect_right
from dataclasses import dataclass, field

# Where markup may start: a comment, a doctype / bogus comment / processing instruction, a tag.
_MARKUP_START_RE = re.compile(r"<(?:!--|[!?]|/?([A-Za-z][^\s/>]*))")
# Inside a tag: the next character that can end it or open a quoted attribute value.
_TAG_STOP_RE = re.compile(r"[>\"']")
# Elements whose content is text up to their end tag (RAWTEXT: not decoded; RCDATA: decoded).
_RAWTEXT = frozenset("script style xmp iframe noembed noframes".split())
_RCDATA = frozenset("title textarea".split())
_ENTITY_RE = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]{0,31};?)")
# Whitespace that changes when collapsed: runs of two or more, any tab/newline/CR/FF, and a single
# space at either end of a text node (it may merge with the neighbour's).
_COLLAPSE_RE = re.compile(r"[ \t\n\r\f]{2,}|[\t\n\r\f]|^ | \Z")
_LINE_RE = re.compile(r"[^\n]+")
# How far past the cursor a text node is looked for (the gap between two text nodes the walk
# asks for is whitespace the parser dropped, or nothing).
SEARCH_WINDOW = 1 << 16


@dataclass
class SpanMap:
    """Maps offsets of one text to another by anchors: from ``starts[k]`` on, until the next
    anchor, characters map one to one onto ``targets[k]...`` when ``widths[k]`` is -1; otherwise
    every character of the chunk stands for the whole target span ``[targets[k], targets[k] + widths[k])``
    (an entity, a collapsed whitespace run, or 0 for a line break that has no source)."""
    starts: list[int] = field(default_factory=list)
    targets: list[int] = field(default_factory=list)
    widths: list[int] = field(default_factory=list)
    length: int = 0  # length of the mapped text

    def reverse(self, t: int) -> int:
        """The offset whose character covers target offset ``t`` (a target between chunks
        gives the start of the next chunk)."""
        tg = self._monotonic_targets()
        k = bisect_right(tg, t) - 1
        if k < 0:
            return 0
        nxt = self.starts[k + 1] if k + 1 < len(self.starts) else self.length
        if self.widths[k] < 0:
            return min(self.starts[k] + t - tg[k], nxt)
        return self.starts[k] if t < tg[k] + max(self.widths[k], 1) else nxt

    def _monotonic_targets(self) -> list[int]:
        cached = self.__dict__.get("_mono")
        if cached is None or len(cached) != len(self.targets):
            cached, top = [], 0
            for t in self.targets:
                top = t if t > top else top
                cached.append(top)
            self.__dict__["_mono"] = cached
        return cached

    def char_span(self, i: int) -> tuple[int, int]:
        """The target span of character ``i``."""
        k = bisect_right(self.starts, i) - 1
        if k < 0:
            return (0, 0)
        w = self.widths[k]
        if w < 0:
            t = self.targets[k] + i - self.starts[k]
            return (t, t + 1)
        t = self.targets[k]
        return (t, t + w)


@dataclass
class PageMap:
    """From page-text offsets to HTML-source offsets (page -> decoded source text -> source)."""
    page: SpanMap
    source: SpanMap
    html_length: int = 0

    def char_span(self, i: int) -> tuple[int, int]:
        """The HTML span character ``i`` of the page text came from (empty for a line break the
        markup made, which maps to where the next text starts)."""
        ds, de = self.page.char_span(i)
        if de <= ds:
            s = self.source.char_span(ds)[0] if ds < self.source.length else self.html_length
            return (s, s)
        return (self.source.char_span(ds)[0], self.source.char_span(de - 1)[1])

    def to_html(self, start: int, end: int) -> tuple[int, int]:
        """The HTML span of page-text span ``[start, end)``; an empty span maps to a point."""
        n = self.page.length
        if n == 0:
            return (0, 0)
        start = min(max(start, 0), n)
        end = min(max(end, start), n)
        if start == end:
            s = self.char_span(start)[0] if start < n else self.char_span(n - 1)[1]
            return (s, s)
        s = self.char_span(start)[0]
        e = max(self.char_span(end - 1)[1], s)
        return (s, e)

    def to_page(self, h: int) -> int:
        """The page-text offset at (or, inside markup, just after) HTML offset ``h``."""
        return self.page.reverse(self.source.reverse(h))


def _markup_end(html: str, m) -> int:
    """Where the markup starting at match ``m`` ends (as an HTML5 tokenizer reads it)."""
    start, n = m.start(), len(html)
    if m.group(1) is None:
        if html.startswith("<!--", start):
            if html.startswith(("<!-->", "<!--->"), start):
                return start + (5 if html[start + 4] == ">" else 6)
            end = html.find("-->", start + 4)
            return n if end < 0 else end + 3
        end = html.find(">", start + 2)
        return n if end < 0 else end + 1
    j = m.end()
    while True:
        k = _TAG_STOP_RE.search(html, j)
        if k is None:
            return n
        k = k.start()
        c = html[k]
        if c == ">":
            return k + 1
        # A quote opens a value only right after "=" (spaces allowed); elsewhere it is a character.
        if html[j:k].rstrip().endswith("=") or (k > 0 and html[k - 1] == "="):
            close = html.find(c, k + 1)
            if close < 0:
                end = html.find(">", k + 1)
                return n if end < 0 else end + 1
            j = close + 1
        else:
            j = k + 1


class SourceText:
    """The text of an HTML source (outside markup, entities decoded) and its map to the source."""

    def __init__(self, html: str):
        pieces: list[str] = []
        smap = SpanMap()
        starts, targets, widths = smap.starts, smap.targets, smap.widths
        d = 0
        pos = 0
        n = len(html)
        search = _MARKUP_START_RE.search
        while pos < n:
            m = search(html, pos)
            stop = m.start() if m else n
            if stop > pos:
                d = self._add(html, pos, stop, d, pieces, starts, targets, widths, decode=True)
            if m is None:
                break
            pos = _markup_end(html, m)
            name = m.group(1)
            if name and html[m.start() + 1] != "/":
                low = name.lower()
                raw_kind = low in _RAWTEXT
                if raw_kind or low in _RCDATA:
                    close = re.compile(r"</" + re.escape(low) + r"(?=[\s/>])", re.I).search(html, pos)
                    stop = close.start() if close else n
                    if stop > pos:
                        d = self._add(html, pos, stop, d, pieces, starts, targets, widths, decode=not raw_kind)
                    pos = stop
        self.text = "".join(pieces).replace("\x00", " ")
        smap.length = d
        self.map = smap

    @staticmethod
    def _add(html, a, b, d, pieces, starts, targets, widths, decode: bool) -> int:
        seg = html[a:b]
        if not decode or "&" not in seg:
            pieces.append(seg)
            starts.append(d)
            targets.append(a)
            widths.append(-1)
            return d + len(seg)
        i = 0
        for m in _ENTITY_RE.finditer(seg):
            s, e = m.span()
            value = _html.unescape(m.group())
            if value == m.group():
                continue  # not an entity: plain text, part of the identity chunk
            if s > i:
                pieces.append(seg[i:s])
                starts.append(d)
                targets.append(a + i)
                widths.append(-1)
                d += s - i
            pieces.append(value)
            starts.append(d)
            targets.append(a + s)
            widths.append(e - s)
            d += len(value)
            i = e
        if i < len(seg):
            pieces.append(seg[i:])
            starts.append(d)
            targets.append(a + i)
            widths.append(-1)
            d += len(seg) - i
        return d


@dataclass
class PageText:
    text: str
    map: PageMap | None  # None when built without the source


_WS = " \t\n\r\f"
_INNER_WS_RE = re.compile(r"[ \t\n\r\f]{2,}|[\t\n\r\f]")


class PageTextBuilder:
    """Collects the visible text as ``html.walk`` meets it, collapsing whitespace; given the
    source, it also maps every character to the decoded source text (``SourceText``).  Extraction
    builds the text alone (fast); the map is built on demand by ``page_text``, from the same walk."""

    def __init__(self, html: str | None = None):
        self.source = SourceText(html) if html is not None else None
        self.mapping = self.source is not None
        self._d = self.source.text if self.source is not None else ""
        self._html_len = len(html) if html is not None else 0
        self.cursor = 0  # position in the decoded source text; only moves forward
        self.missed = 0  # text nodes not found in the source (mapped approximately)
        self.pieces: list[str] = []
        self.block_pieces: list[str] = []
        self.block_start = 0
        self.pos = 0
        self.page = SpanMap()
        self.need_nl = 0
        self.need_tab = False
        self.br_count = 0
        self.space = False  # a collapsible space is pending
        self.space_d = 0
        self.space_w = 0

    # -- finding nodes in the source ----------------------------------------------------------
    def _locate(self, t: str) -> int:
        """Where text node ``t`` starts in the decoded source, or -1 (the cursor stays)."""
        c = self.cursor
        at = self._d.find(t, c, c + len(t) + SEARCH_WINDOW)
        if at < 0:
            self.missed += 1
            return -1
        self.cursor = at + len(t)
        return at

    def skip(self, t: str | None) -> None:
        """Text the walk does not show (a script, a hidden element): only moves the cursor past it."""
        if t and self.mapping:
            self._locate(t)

    # -- building ------------------------------------------------------------------------------
    def block(self, n: int) -> None:
        """A block boundary: the next text starts ``n`` line breaks on (1 or 2)."""
        if n > self.need_nl:
            self.need_nl = n

    def cell(self) -> None:
        """A table cell starts: a tab after the previous cell of the row."""
        self.need_tab = True

    def br(self) -> None:
        """A ``<br>``: one line break more (two in a row leave a blank line)."""
        self.br_count += 1

    def _emit(self, s: str, d: int, w: int) -> None:
        self.pieces.append(s)
        self.block_pieces.append(s)
        if self.mapping:
            page = self.page
            page.starts.append(self.pos)
            page.targets.append(d)
            page.widths.append(w)
        self.pos += len(s)

    def _before_text(self, d: int) -> None:
        """Line breaks, a tab or a space owed before the next visible character at source ``d``."""
        if self.need_nl or self.br_count:
            if self.pos:
                self._emit("\n" * max(self.need_nl, self.br_count), d, 0)
            self.need_nl = self.br_count = 0
            self.need_tab = self.space = False
        elif self.need_tab:
            if self.pos:
                self._emit("\t", d, 0)
            self.need_tab = self.space = False
        elif self.space:
            if self.pos:
                self._emit(" ", self.space_d, self.space_w)
            self.space = False

    def text(self, t: str) -> None:
        """A visible text node, in document order (whitespace collapses)."""
        if self.mapping:
            self._text_mapped(t)
            return
        core = t.strip(_WS)
        if not core:
            if t:
                self.space = True
            return
        if t[0] in _WS:
            self.space = True
        if self.need_nl or self.br_count or self.need_tab or self.space:
            self._before_text(0)
        if "\n" in core or "  " in core or "\t" in core or "\r" in core or "\f" in core:
            core = _INNER_WS_RE.sub(" ", core)
        self.pieces.append(core)
        self.block_pieces.append(core)
        self.pos += len(core)
        if t[-1] in _WS:
            self.space = True

    def text_pre(self, t: str) -> None:
        """A text node inside ``<pre>``: its whitespace is kept."""
        if not t:
            return
        d0 = self._locate(t) if self.mapping else 0
        self._before_text(max(d0, self.cursor) if d0 < 0 else d0)
        self._emit(t, max(d0, self.cursor) if d0 < 0 else d0, 0 if d0 < 0 else -1)

    def _text_mapped(self, t: str) -> None:
        if not t:
            return
        d0 = self._locate(t)
        approx = d0 < 0
        if approx:
            d0 = self.cursor
        i = 0
        for m in _COLLAPSE_RE.finditer(t):
            a, b = m.span()
            if a > i:
                self._before_text(d0 + i)
                self._emit(t[i:a], d0 if approx else d0 + i, 0 if approx else -1)
            if not self.space:
                self.space = True
                self.space_d = d0 if approx else d0 + a
                self.space_w = 0 if approx else b - a
            i = b
        if i < len(t):
            self._before_text(d0 + i)
            self._emit(t[i:] if i else t, d0 if approx else d0 + i, 0 if approx else -1)

    def take_block(self) -> tuple[str, int]:
        """The text emitted since the last call and where it starts in the page text."""
        s = "".join(self.block_pieces) if len(self.block_pieces) != 1 else self.block_pieces[0]
        start = self.block_start
        self.block_pieces = []
        self.block_start = self.pos
        return s, start

    def finish(self) -> PageText:
        text = "".join(self.pieces)
        self.page.length = len(text)
        if self.source is None:
            return PageText(text, None)
        return PageText(text, PageMap(self.page, self.source.map, self._html_len))


def lines(text: str, base: int) -> list[tuple[int, int, str]]:
    """Each non-blank line of ``text`` trimmed: (start, end, line) with offsets from ``base``."""
    if "\n" not in text:
        stripped = text.strip()
        if not stripped:
            return []
        s = base + (len(text) - len(text.lstrip()))
        return [(s, s + len(stripped), stripped)]
    out = []
    for m in _LINE_RE.finditer(text):
        seg = m.group()
        stripped = seg.strip()
        if stripped:
            s = base + m.start() + (len(seg) - len(seg.lstrip()))
            out.append((s, s + len(stripped), stripped))
    return out
