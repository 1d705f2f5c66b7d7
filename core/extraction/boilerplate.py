"""Boilerplate phrase and class-name lists from resources/, compiled once for fast matching."""
from __future__ import annotations

import re
from functools import lru_cache

import regex

from ..resources import read_lines


@lru_cache(maxsize=1)
def _phrase_res():
    anywhere, leading = [], []
    for p in read_lines("boilerplate_phrases.txt"):
        if p.startswith("^"):
            leading.append(regex.escape(p[1:].strip().lower()))
        else:
            anywhere.append(regex.escape(p.lower()))
    any_re = regex.compile("|".join(anywhere)) if anywhere else None
    lead_re = regex.compile(r"\s*(?:" + "|".join(leading) + r")(?:\W|$)") if leading else None
    return any_re, lead_re


# Furniture shapes no phrase list can hold: gallery counters, credits, vote counts, comment ages.
_FURNITURE_SHAPE_RE = re.compile(
    r"^(?:image|photo|slide|picture)\s+\d+\s+(?:of|/)\s+\d+\b|\((?:image|photo|picture|credit|getty|file)\b[^)]*\)$"
    r"|^rating:\s*\d|^\d+\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?)\s+ago\b", re.IGNORECASE)
# A promo closing on its call to action ("... politics. Click to subscribe!"), read from the line's tail.
_CALL_TO_ACTION_RE = re.compile(
    r"\b(?:click|tap)\s+(?:here\s+)?to\s+(?:subscribe|watch|listen|sign\s+up|follow|download)\b[^.!?]{0,20}[.!]?$"
    r"|\b(?:subscribe|sign\s+up)\s+(?:now|here|today|for\s+free)[.!]?$", re.IGNORECASE)
# A promo heading: a short all-capitals line that shouts ("THE POINT -- NOW ON YOUTUBE!").
_SHOUT_RE = re.compile(r"^[^a-z]{8,70}!$")


def is_boilerplate_line(text: str, max_words: int = 14) -> bool:
    """True for a page-furniture line: a short line holding a boilerplate phrase, or one that
    starts with a phrase marked ``^`` in resources/boilerplate_phrases.txt."""
    low = text.lower()
    if len(text) < 200 and (_FURNITURE_SHAPE_RE.search(text) or _CALL_TO_ACTION_RE.search(text, max(0, len(text) - 60))
                            or (text.endswith("!") and _SHOUT_RE.match(text) and text.upper() != text.lower())):
        return True
    any_re, lead_re = _phrase_res()
    if lead_re is not None and lead_re.match(low):
        return True
    if any_re is not None and low.count(" ") < max_words and any_re.search(low):
        return True
    return False


@lru_cache(maxsize=1)
def negative_class_re():
    """Furniture class/id fragments; each line of the resource is a regular expression."""
    return re.compile("|".join(s.lower() for s in read_lines("extraction_negative_classes.txt")))


@lru_cache(maxsize=1)
def positive_class_re():
    return re.compile("|".join(s.lower() for s in read_lines("extraction_positive_classes.txt")))


EDGE_MAX_WORDS = 40


def trim_edges(items: list, text_of) -> list:
    """``items`` without boilerplate at the start and end of the body: sign-offs, newsletter
    pitches and share prompts are longer there than the short lines found elsewhere."""
    lo, hi = 0, len(items)
    while lo < hi and is_boilerplate_line(text_of(items[lo]), EDGE_MAX_WORDS):
        lo += 1
    while hi > lo and is_boilerplate_line(text_of(items[hi - 1]), EDGE_MAX_WORDS):
        hi -= 1
    return items[lo:hi]
