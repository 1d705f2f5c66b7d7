"""Article extraction from page text (a page dumped to lines): score each line, keep the best contiguous region."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ..resources import read_lines
from .meta import find_agency_tail, find_dateline
from .boilerplate import is_boilerplate_line

_LINE_RE = re.compile(r"[^\n]+")
# A sentence ends in . ! ? maybe followed by closing quotes or brackets; "..." is a cut teaser.
_SENTENCE_END_RE = re.compile(r"(?<!\.\.)[.!?。！？]['\"”’)\]」』）]*$")
# Scripts written without spaces between words: a line's words are counted from its characters.
_UNSPACED_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\u0e00-\u0e7f]")
UNSPACED_CHARS_PER_WORD = 2
_URLISH_RE = re.compile(r"https?://|www\.|\.com\b|@\w")
_COMMENT_LINE_RE = re.compile(
    r"\bsays:$|\bwrote:$|^reply$|^\d+ (?:likes?|replies|points?)$"
    r"|\b\d{4},? (?:at )?\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?$", re.IGNORECASE)


@dataclass
class Line:
    start: int  # trimmed span in the raw text
    end: int
    text: str
    words: int
    score: float = 0.0
    boiler: bool = False
    repeated: bool = False  # boiler only for being printed more than once (a headline may be)


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
        out.append(Line(s2, s2 + len(stripped), stripped, word_count(stripped)))
    return out


def word_count(t: str) -> int:
    """Words in a line: its spaces, and for Japanese, Chinese or Thai text (no spaces between
    words) about one word per two characters, so a paragraph there is long as it is in English."""
    n = t.count(" ") + 1
    if not t.isascii():
        unspaced = len(_UNSPACED_RE.findall(t))
        if unspaced:
            n += unspaced // UNSPACED_CHARS_PER_WORD
    return n


def is_sentence(t: str) -> bool:
    return bool(_SENTENCE_END_RE.search(t[-8:]))


@lru_cache(maxsize=1)
def _stop_re():
    return re.compile("(?:" + "|".join(read_lines("extraction_stop_lines.txt")) + ")$", re.IGNORECASE)


def is_stop_line(t: str) -> bool:
    """A heading that closes the story: comments, related links (resources/extraction_stop_lines.txt)."""
    return len(t) < 80 and bool(_stop_re().match(t.strip(" \t:|>»›-—–")))


def score_line(line: Line, repeated: bool) -> float:
    """Article lines are long sentences; menus, teasers and furniture are short or repeated."""
    t, w = line.text, line.words
    if is_stop_line(t):
        # Not a hard end: an inline "Related" box may sit between two halves of a story.
        line.boiler = True
        return STOP_LINE_SCORE
    if is_boilerplate_line(t) or _COMMENT_LINE_RE.search(t[-40:]):
        line.boiler = True
        return -8.0
    if repeated and w < 25:
        line.boiler = line.repeated = True
        return -4.0
    if w < 6 and _URLISH_RE.search(t):
        return -3.0
    if is_sentence(t) or find_agency_tail(t):
        return float(min(w, 80) - SHORT_SENTENCE_WORDS) if w >= 4 else -1.0
    if w >= 25:
        return 0.5 * (min(w, 80) - SHORT_SENTENCE_WORDS)
    if w < 4:
        return -2.0
    if w >= LIST_ITEM_WORDS and ("," in t or " – " in t or " - " in t or ";" in t):
        return LIST_ITEM_SCORE  # a list item of an article, more often than a teaser headline
    return -3.0


STOP_LINE_SCORE = -40.0
SHORT_PAGE_LINES = 12
LIST_ITEM_WORDS = 10
LIST_ITEM_SCORE = -0.5
# Sentences shorter than this count against a region (teasers are short sentences).
SHORT_SENTENCE_WORDS = 10


def _apply_position_priors(lines: list[Line]) -> None:
    """Text after a closing heading (comments, related stories) is unlikely to be the story, and
    so is text above a wire dateline ("CITY (AP) —") opening a long paragraph."""
    seen_stop = False
    positive_before = 0.0
    for ln in lines:
        if ln.score == STOP_LINE_SCORE and positive_before > STORY_BEFORE_STOP:
            seen_stop = True
        elif ln.score > 0:
            if seen_stop:
                ln.score *= AFTER_STOP_FACTOR
            positive_before += ln.score
    for k, ln in enumerate(lines):
        if ln.words >= 15 and ln.score > 0:
            d = find_dateline(ln.text)
            if d and (d[3] or d[1] - d[0] >= 6):
                for prev in lines[:k]:
                    if prev.score > 0:
                        prev.score *= BEFORE_DATELINE_FACTOR
                break


AFTER_STOP_FACTOR = 0.45
# Story score needed above a closing heading before it counts as closing (an inline "Related" box
# right after the lede does not).
STORY_BEFORE_STOP = 80.0
BEFORE_DATELINE_FACTOR = 0.3


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


def _extend_over_short_sentences(lines: list[Line], j: int) -> int:
    """The region's end moved past short sentences that directly follow it: a story often ends
    on a one-line quote ("“No,” she said.") that scores below zero alone, yet is the story's."""
    while j < len(lines):
        ln = lines[j]
        if ln.boiler or ln.words < 4 or not is_sentence(ln.text) or ln.score <= -SHORT_SENTENCE_WORDS:
            break
        j += 1
    return j


def select_lines(raw: str) -> tuple[list[Line], list[Line], int]:
    """(all lines, the article's lines, index of the region's first line)."""
    lines = split_lines(raw)
    counts = Counter(ln.text for ln in lines)
    for ln in lines:
        ln.score = score_line(ln, counts[ln.text] > 1)
    _apply_position_priors(lines)
    i, j = best_region(lines)
    if j > i:
        j = _extend_over_short_sentences(lines, j)
    kept = []
    for k in range(i, j):
        ln = lines[k]
        if ln.boiler:
            continue
        if ln.words < 4 and not is_sentence(ln.text) and not (kept and find_agency_tail(ln.text)):
            continue
        kept.append(ln)
    if not kept and len(lines) <= SHORT_PAGE_LINES:
        # A snippet of a few short lines has no long-sentence region: it is all story.
        i = 0
        kept = [ln for ln in lines if not ln.boiler]
    return lines, kept, i
