"""Paragraph and sentence boundaries of the article, as offset pairs (no text is copied)."""
from __future__ import annotations

import re

from .lexicon import lexicon
from .marks import CLOSING, OPENING, char_class
from .words import word_set

LINE = re.compile(r"[^\n]*\S[^\n]*")
# end punctuation, closing marks (group 1), blanks, then what can open a sentence; stdlib re
# without lookbehind, several times faster here than the regex module
SENTENCE_BREAK = re.compile(rf"[.!?…]([{char_class(CLOSING)})\]]*)[ \u00a0\t]+(?=(?:''|``|[{char_class(OPENING)}(\[])?[A-Z0-9\u00C0-\u00DE\u0100-\u017F])")


_CLOSERS = "".join(sorted(CLOSING)) + ")]"
NUMBER_ABBREVIATIONS = word_set("number_abbreviations")   # abbreviations only before a number


def paragraph_spans(doc) -> list[tuple[int, int]]:
    """The document's paragraphs (without the blank line after one that an HTML paragraph's span
    takes in), or each non-blank line when it has none."""
    if doc.paragraphs:
        text = doc.article
        spans = []
        for p in doc.paragraphs:
            e = p.end
            while e > p.start and text[e - 1] == "\n":
                e -= 1
            if e > p.start:
                spans.append((p.start, e))
        return spans
    return [m.span() for m in LINE.finditer(doc.article)]


def sentence_spans(text: str, lo: int, hi: int, quoted: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences of ``text[lo:hi]``; a boundary inside a quoted span (``quoted``: mark offsets,
    sorted) does not split, so a quote of several sentences stays in one."""
    abbr = lexicon().abbreviations
    out = []
    start = lo
    qi = 0
    for m in SENTENCE_BREAK.finditer(text, lo, hi):
        b = m.end(1)
        while qi < len(quoted) and quoted[qi][1] < b:
            qi += 1
        if qi < len(quoted) and quoted[qi][0] < b < quoted[qi][1]:
            continue
        word = text[max(start, b - 12):b].rsplit(None, 1)[-1] if b > start else ""
        word = word.rstrip(_CLOSERS).rstrip(".!?…")
        low = word.lower()
        if low in abbr or (len(word) == 1 and word.isupper()):
            if not (low in NUMBER_ABBREVIATIONS and not text[m.end():m.end() + 1].isdigit()):
                continue  # 'Mr. Kovac', 'No. 5'; but 'voted no. “This ...' ends a sentence
        out.append((start, b))
        start = m.end()
    if start < hi:
        out.append((start, hi))
    return out


WRAPPED_SHARE = 0.3    # this share of lines followed by a line of the same block: the text is hard-wrapped
WRAPPED_WIDTH = 90     # and those lines are this long at most (a typewriter's or an e-text's width)


def logical_paragraphs(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The paragraphs the rules read.  In hard-wrapped text (novels, plain-text archives: blocks of
    short lines with blank lines between them) a paragraph is the block, so a quotation wrapped over
    two lines is one quotation; elsewhere each given paragraph (line) stands."""
    if len(lines) < 4:
        return lines
    joins = [i for i in range(len(lines) - 1) if text.count("\n", lines[i][1], lines[i + 1][0]) == 1]
    if len(joins) < WRAPPED_SHARE * len(lines):
        return lines
    widths = sorted(lines[i][1] - lines[i][0] for i in joins)
    if widths[len(widths) // 2] > WRAPPED_WIDTH:
        return lines
    # a wrapped line mostly breaks inside a sentence; lines that are paragraphs end one
    if sum(text[lines[i][1] - 1] not in ".!?”\"’'»:)" for i in joins) < len(joins) / 2:
        return lines
    if len(joins) == len(lines) - 1:
        return lines  # no blank line anywhere: lines are the paragraphs
    out = []
    join = set(joins)
    start = lines[0][0]
    for i, (lo, hi) in enumerate(lines):
        if i not in join:
            out.append((start, hi))
            if i + 1 < len(lines):
                start = lines[i + 1][0]
    return out
