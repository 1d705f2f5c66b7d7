"""Article extraction from page text (a page dumped to lines): score each line, keep the best contiguous region."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .boilerplate import is_boilerplate_line

_LINE_RE = re.compile(r"[^\n]+")
_SENTENCE_END = (".", "!", "?", "\"", "”", "’", "'", ")", "…", ":", ";")
_URLISH_RE = re.compile(r"https?://|www\.|\.com\b|@\w")


@dataclass
class Line:
    start: int  # trimmed span in the raw text
    end: int
    text: str
    words: int
    score: float = 0.0
    boiler: bool = False


def split_lines(raw: str) -> list[Line]:
    """Non-blank lines with their whitespace-trimmed spans."""
    out = []
    for m in _LINE_RE.finditer(raw):
        s, e = m.span()
        seg = m.group()
        stripped = seg.strip()
        if not stripped:
            continue
        ls = len(seg) - len(seg.lstrip())
        s2 = s + ls
        out.append(Line(s2, s2 + len(stripped), stripped, stripped.count(" ") + 1))
    return out


def score_line(line: Line) -> float:
    t, w = line.text, line.words
    if is_boilerplate_line(t):
        line.boiler = True
        return -8.0
    if _URLISH_RE.search(t) and w < 6:
        return -3.0
    sentence = t.endswith(_SENTENCE_END)
    if sentence and w >= 8:
        return float(min(w, 80))
    if w >= 20:
        return w * 0.5
    if sentence and w >= 4:
        return 1.0
    if w < 4:
        return -2.0
    return -1.0


def best_region(lines: list[Line]) -> tuple[int, int]:
    """[i, j) of the lines with the largest score sum (Kadane)."""
    best, best_i, best_j = 0.0, 0, 0
    cur, cur_i = 0.0, 0
    for j, ln in enumerate(lines):
        if cur <= 0:
            cur, cur_i = 0.0, j
        cur += ln.score
        if cur > best:
            best, best_i, best_j = cur, cur_i, j + 1
    return best_i, best_j


def select_lines(raw: str) -> tuple[list[Line], list[Line], int]:
    """(all lines, the article's lines, index of the region's first line)."""
    lines = split_lines(raw)
    for ln in lines:
        ln.score = score_line(ln)
    i, j = best_region(lines)
    kept = []
    for k in range(i, j):
        ln = lines[k]
        if ln.boiler:
            continue
        if ln.score < 0 and ln.words < 4 and not ln.text.endswith(_SENTENCE_END):
            continue
        kept.append(ln)
    return lines, kept, i
