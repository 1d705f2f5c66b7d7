"""A person's text selection, read for marking: snapped to whole words, typed by its quote marks, and
mapped between the article and the raw page (so the two panes can select the same characters)."""
from __future__ import annotations

from bisect import bisect_right

from .edits import snap_to_word
from .model import Document


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without the whitespace around it (a double-click selection often carries a space)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def snap_span(text: str, start: int, end: int) -> tuple[int, int]:
    """A selection that cuts a word keeps the whole word at either end ("another wee" becomes
    "another week"), as a dragged boundary does; surrounding whitespace is dropped."""
    start, end = trim_span(text, start, end)
    if end <= start:
        return start, end
    return snap_to_word(text, start, "start"), snap_to_word(text, end, "end")


# Opening and closing quote marks of the common conventions (English curly and straight, German
# „…“, French «…», single marks); a straight mark both opens and closes.
OPENING_MARKS = frozenset('“„«‹‘‚"\'')
CLOSING_MARKS = frozenset('”“»›’\'"')
# What may stand between a quotation's last word and its closing mark: “… down,”
_INSIDE_PUNCT = frozenset(",.!?;:…—-")


def _is_mark(text: str, i: int, marks: frozenset) -> bool:
    """A quote mark, not an apostrophe inside a word (don't, Kovac’s)."""
    c = text[i]
    if c not in marks:
        return False
    if c in "'’" and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum():
        return False
    return True


def quote_type_by_marks(doc: Document, start: int, end: int) -> str:
    """How a person's new quote is typed from the marks around it: "direct" when quote marks
    enclose the selection (the marks themselves may be selected too), "mixed" when it holds a
    quoted fragment among unquoted words, else "indirect" (reported speech)."""
    text = doc.article
    start, end = trim_span(text, start, end)
    if end <= start:
        return "indirect"
    # The selection's own edge marks, else marks just outside it.
    lo, hi = start, end
    if _is_mark(text, lo, OPENING_MARKS):
        opened = True
        lo += 1
    else:
        opened = lo > 0 and _is_mark(text, lo - 1, OPENING_MARKS)
    if _is_mark(text, hi - 1, CLOSING_MARKS) and hi - 1 >= lo:
        closed = True
        hi -= 1
    else:
        k = hi
        while k < len(text) and text[k] in _INSIDE_PUNCT:
            k += 1
        closed = k < len(text) and _is_mark(text, k, CLOSING_MARKS)
    while hi > lo and text[hi - 1] in _INSIDE_PUNCT:
        hi -= 1
    inner = [i for i in range(lo, hi) if _is_mark(text, i, OPENING_MARKS | CLOSING_MARKS)]
    if opened and closed and not inner:
        return "direct"
    # A quoted fragment inside: an opening mark with a closing one after it.
    for n, i in enumerate(inner):
        if text[i] in OPENING_MARKS and any(text[j] in CLOSING_MARKS for j in inner[n + 1:]):
            return "mixed"
    if (opened or closed) and inner:
        return "mixed"  # “A,” he said, “B: from inside one quotation into another
    return "indirect"


# -- the two panes --------------------------------------------------------------------------------

def _by_start(p):
    return p.start


def _by_raw_start(p):
    return p.raw_start


def _clip(paras, start: int, end: int, lo: str, hi: str) -> tuple[int, int, int, int] | None:
    """``(i, j, start, end)``: the selection ``start``-``end`` clipped to paragraphs ``i``..``j`` of
    ``paras`` (sorted by attribute ``lo``; ``lo``/``hi`` name the coordinates the selection is in):
    an end in the gap between paragraphs belongs to the paragraph before, a start to the one after.
    None when the selection holds no paragraph characters."""
    if not paras or end <= start:
        return None
    key = _by_start if lo == "start" else _by_raw_start
    i = bisect_right(paras, start, key=key) - 1
    if i < 0 or start >= getattr(paras[i], hi):
        i += 1
        if i >= len(paras):
            return None
        start = getattr(paras[i], lo)
    j = bisect_right(paras, end - 1, key=key) - 1
    if j < 0:
        return None
    end = min(end, getattr(paras[j], hi))
    if end <= start:
        return None
    return i, j, start, end


def article_to_raw(doc: Document, start: int, end: int) -> tuple[int, int] | None:
    """The raw-page characters an article selection came from: exact inside verbatim paragraphs
    (through ``Document.to_raw``), a non-verbatim paragraph's whole raw span otherwise; None when
    the selection holds no paragraph text.  (Paragraphs are in article order, as the model keeps them.)"""
    paras = doc.paragraphs
    clipped = _clip(paras, start, end, "start", "end")
    if clipped is None:
        return None
    i, j, start, end = clipped
    rs = doc.to_raw(start, start)[0] if paras[i].verbatim else paras[i].raw_start
    re_ = doc.to_raw(end, end)[1] if paras[j].verbatim else paras[j].raw_end
    return (rs, re_) if re_ > rs else None


def raw_to_article(doc: Document, start: int, end: int, by_raw=None) -> tuple[int, int] | None:
    """The article characters a raw-page selection became: the inverse of ``article_to_raw``;
    boilerplate at the edges is left out, None when only boilerplate is selected.  ``by_raw`` is
    the paragraphs in raw-page order when the caller keeps them (sorted here otherwise)."""
    paras = by_raw if by_raw is not None else sorted(doc.paragraphs, key=_by_raw_start)
    clipped = _clip(paras, start, end, "raw_start", "raw_end")
    if clipped is None:
        return None
    i, j, start, end = clipped
    pi, pj = paras[i], paras[j]
    a = pi.start + (start - pi.raw_start) if pi.verbatim else pi.start
    b = pj.start + (end - pj.raw_start) if pj.verbatim else pj.end
    a, b = min(a, pi.end), min(b, pj.end)
    return (a, b) if b > a else None
