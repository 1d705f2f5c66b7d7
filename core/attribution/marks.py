"""Quote-mark scanning: pairs opening and closing marks of every style into quoted spans, paragraph by paragraph."""
from __future__ import annotations

import re
from dataclasses import dataclass



@dataclass(frozen=True)
class MarkStyle:
    """One quotation convention: its opening mark, the marks that close it, its family (a double
    quote nests single ones and the reverse) and where it is used."""
    opener: str
    closers: str
    family: str          # "double" or "single"
    convention: str
    by_flanks: bool = False  # its marks are another style's reversed: whether one opens or closes is read
                             # from what stands around it (a letter after: opens; a letter before: closes)


# The one table of quotation marks: every module that needs marks reads it (through the sets below).
MARK_TABLE = (
    MarkStyle("“", "”“", "double", "English curly “...”; “ also closes German „...“ and sloppy typing"),
    MarkStyle('"', '"', "double", 'straight "..." (the same mark opens and closes)'),
    MarkStyle("''", "''", "double", "two apostrophes ''...'', a straight double mark in some newspaper archives"),
    MarkStyle("``", "''", "double", "TeX style ``...'' (older archives); `` only ever opens"),
    MarkStyle("„", "“”", "double", "German and Polish „...“ / „...”"),
    MarkStyle("«", "»", "double", "French « ... » (with spaces inside), Spanish, Italian, Russian «...»"),
    MarkStyle("»", "«", "double", "German and Danish »...«", by_flanks=True),
    MarkStyle("「", "」", "double", "Chinese and Japanese corner brackets 「...」"),
    MarkStyle("‘", "’", "single", "English curly ‘...’; ’ between letters is an apostrophe (don’t)"),
    MarkStyle("'", "'", "single", "straight '...'; ' between letters is an apostrophe (don't, O'Neill)"),
    MarkStyle("‹", "›", "single", "French and Swiss single ‹...›"),
    MarkStyle("‚", "‘’", "single", "German single ‚...‘"),
    MarkStyle("‛", "’", "single", "reversed single ‛...’"),
    MarkStyle("『", "』", "single", "Chinese and Japanese white corner brackets 『...』, nested in 「...」"),
)

# Every mark ('' is one); starting with a plain character class keeps the scan fast (re skips to
# the next mark; lookarounds before it made it seven times slower), and apostrophes between letters
# (don't, Kovac’s) are dropped in the loop.
_STYLES = [m for m in MARK_TABLE if not m.by_flanks]   # the styles the mark sets are built from
_ALL_CHARS = "".join(dict.fromkeys("".join(m.opener + m.closers for m in MARK_TABLE).replace("`", "")))
MARK = re.compile("[" + re.escape(_ALL_CHARS) + "`](?:(?<=')'|(?<=`)`)?")  # a lone ` is dropped in the loop
STRAIGHT = frozenset("\"'")
DOUBLE = frozenset(c for m in _STYLES if m.family == "double" and len(m.opener) == 1 for c in m.opener + m.closers)
# marks that only open / only close (a straight mark does both and is in neither)
OPENERS_DOUBLE = frozenset(m.opener for m in _STYLES if m.family == "double" and len(m.opener) == 1) - STRAIGHT
CLOSERS_DOUBLE = frozenset(c for m in _STYLES if m.family == "double" for c in m.closers) - OPENERS_DOUBLE - STRAIGHT
OPENERS_SINGLE = frozenset(m.opener for m in _STYLES if m.family == "single") - STRAIGHT
CLOSERS_SINGLE = frozenset(c for m in _STYLES if m.family == "single" for c in m.closers) - OPENERS_SINGLE - STRAIGHT
# Every character that may open / close a quotation, and the double family's marks, for the other
# modules' tests and patterns ('' is two straight marks: it is in both through ').
OPENING = frozenset(m.opener for m in _STYLES if len(m.opener) == 1)
CLOSING = frozenset(c for m in _STYLES for c in m.closers if len(m.closers) == 1 or c != "'") | {"'"}
DOUBLE_MARKS = DOUBLE


def char_class(chars) -> str:
    """The characters as the inside of a regular-expression class, in a fixed order."""
    return "".join(re.escape(c) for c in sorted(chars))


# Marks whose convention sets the quoted words off with spaces (French « ... »), and those spaces.
SPACED_OPENERS = frozenset("«")
INNER_SPACE = frozenset(" \u00a0\u202f\u2009")

# What may stand just before an opening mark / just after a closing one.
BEFORE_OPEN = frozenset(" \t\n\u00a0([{—–-/:;,")
AFTER_CLOSE = frozenset(" \t\n\u00a0)]}—–-/:;,.!?…")


@dataclass
class Quoted:
    """A quoted span: ``start``/``end`` exclude the marks; ``open_at``/``close_at`` are the marks'
    offsets (``close_at`` is None when the quote runs on past its paragraph)."""
    start: int
    end: int
    open_at: int
    close_at: int | None
    para: int
    continued: bool = False    # this part continues a quote opened in an earlier paragraph
    continues: bool = False    # the quote goes on into the next paragraph
    single: bool = False       # marked with single quotes
    unbalanced: bool = False   # no closing mark found: cut at the paragraph's end
    close_w: int = 1           # width of the closing mark ('' is two characters)

    @property
    def after(self) -> int:
        """Offset just past the closing mark (or the content's end when there is none)."""
        return self.close_at + self.close_w if self.close_at is not None else self.end


def _flanks(text: str, i: int, lo: int, hi: int, w: int = 1) -> tuple[bool, bool]:
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + w] if i + w < hi else " "
    can_open = not nxt.isspace() and (prev in BEFORE_OPEN or prev in DOUBLE or prev in "‘’'" or i == lo)
    can_close = not prev.isspace() and (nxt in AFTER_CLOSE or nxt in DOUBLE or nxt in "‘’'" or i + w == hi)
    return can_open, can_close


def _opens_next(text: str, start: int, end: int) -> bool:
    """Does the paragraph begin (after blanks) with an opening double mark?"""
    i = start
    while i < end and text[i] in " \t\u00a0":
        i += 1
    return i < end and (text[i] in OPENERS_DOUBLE or text[i] == '"' or text.startswith(("''", "``"), i))


def scan(text: str, paragraphs: list[tuple[int, int]]) -> list[Quoted]:
    """All quoted spans of the paragraphs, in text order.  Nested quotes stay inside their outer
    quote; a mark without a partner never swallows more than its own paragraph."""
    out: list[Quoted] = []
    carry = False  # the previous paragraph left a double quote open that this one continues
    n = len(paragraphs)
    for pi, (lo, hi) in enumerate(paragraphs):
        d_open = None   # offset of the open double mark
        d_width = 1
        d_continued = False
        s_open = None   # offset of an open single mark (top level only)
        carry_in = carry
        carry = False
        for m in MARK.finditer(text, lo, hi):
            i = m.start()
            c = m.group()
            if c == "`":
                continue  # a lone backtick is no mark (TeX opens with two)
            w = len(c)  # '' (two apostrophes) stands for a straight double mark in some archives
            if c == "''":
                c = '"'
            elif c == "``":
                c = "“"   # TeX's opening mark: an opener like any other, two characters wide
            if c in DOUBLE:
                can_open, can_close = _flanks(text, i, lo, hi, w)
                if c in OPENERS_DOUBLE:
                    # “ also closes in the German „…“ style and in sloppy typing
                    if d_open is not None and (can_close and not can_open or text[d_open] == "„"):
                        opening = False
                    else:
                        opening = True
                elif c in CLOSERS_DOUBLE:
                    opening = d_open is None and can_open and not can_close
                else:  # straight "
                    if d_open is None:
                        opening = can_open or not can_close
                    else:
                        opening = False
                if opening:
                    if d_open is None:
                        d_open, d_width = i, w
                        d_continued = carry_in and not out_has_para(out, pi) and _is_first_mark(text, lo, i)
                        s_open = None
                    else:
                        # a second opener while one is open: the first had no partner; restart here
                        d_open, d_width = i, w
                        d_continued = False
                else:
                    if d_open is not None:
                        if i > d_open + d_width:
                            # French « ... » sets its text off with (narrow) spaces: not part of the words
                            a, b = d_open + d_width, i
                            if text[d_open] in SPACED_OPENERS:
                                while a < b and text[a] in INNER_SPACE:
                                    a += 1
                                while b > a and text[b - 1] in INNER_SPACE:
                                    b -= 1
                            if b > a:
                                out.append(Quoted(a, b, d_open, i, pi, continued=d_continued, close_w=w))
                        d_open = None
                        d_continued = False
                continue
            if d_open is not None:
                continue  # single marks inside a double quote are nested quotes or apostrophes
            prev = text[i - 1] if i > lo else " "
            nxt = text[i + 1] if i + 1 < hi else " "
            if prev.isalnum() and nxt.isalnum():
                continue  # apostrophe: don't, O'Neill, Trump’s
            can_open, can_close = _flanks(text, i, lo, hi)
            if s_open is None:
                if c not in CLOSERS_SINGLE and can_open and not can_close:
                    s_open = i
            elif c not in OPENERS_SINGLE and can_close:
                if i > s_open + 1:
                    out.append(Quoted(s_open + 1, i, s_open, i, pi, single=True))
                s_open = None
        if d_open is not None:
            end = hi
            while end > d_open + d_width and text[end - 1].isspace():
                end -= 1
            follows = pi + 1 < n and _opens_next(text, *paragraphs[pi + 1])
            if end > d_open + d_width:
                out.append(Quoted(d_open + d_width, end, d_open, None, pi, continued=d_continued,
                                  continues=follows, unbalanced=not follows))
            carry = follows
    return out


def out_has_para(out: list[Quoted], pi: int) -> bool:
    return bool(out) and out[-1].para == pi


def _is_first_mark(text: str, lo: int, i: int) -> bool:
    j = lo
    while j < i and text[j] in " \t\u00a0":
        j += 1
    return j == i
