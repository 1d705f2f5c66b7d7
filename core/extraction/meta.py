"""Article metadata found in text: datelines, bylines, agency credits, dates and headline candidates."""
from __future__ import annotations

from functools import lru_cache

import regex

from ..resources import read_lines

_MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
           r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DATE = (
    rf"\b(?:\d{{4}}-\d{{2}}-\d{{2}}(?:[T ]\d{{2}}:\d{{2}}(?::\d{{2}})?)?"
    rf"|{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})\b")
_TIME_OR_YEAR = (r"^\s*(?:\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?\s*\d{0,4}|\d{4})\s*$", regex.IGNORECASE)

_PLACE = r"[\p{Lu}][\p{Lu}'’.\-]+(?:\s+[\p{Lu}][\p{Lu}'’.\-]+){0,3}"
_PLACE_MIXED = r"[\p{Lu}][\p{Ll}\p{Lu}'’.\-]+(?:\s+[\p{Lu}][\p{Ll}\p{Lu}'’.\-]+){0,2}"
_EXTRA = rf"(?:,\s*(?:{_MONTHS}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTHS}|[\p{{Lu}}][\p{{L}}.]+(?:\s+[\p{{Lu}}][\p{{L}}.]+)?))"
_SEP = r"(?:\s*[:—–]|\s+-{1,2})"
# "MOSCOW:", "LONDON, March 3 (AP) —", "WASHINGTON (Reuters) -", "Paris (AFP) -"
_DATELINE = (
    rf"^(?P<place>{_PLACE}{_EXTRA}?)\s*(?:\((?P<agency>[\p{{L}}][\p{{L}} .&]{{0,24}})\))?(?P<sep>{_SEP})\s"
    rf"|^(?P<place2>{_PLACE_MIXED}{_EXTRA}?)\s*\((?P<agency2>[\p{{L}}][\p{{L}} .&]{{0,24}})\)(?P<sep2>{_SEP})\s")
_NAME = r"[\p{Lu}][\p{L}.'’\-]*(?:\s+(?:de|van|von|da|del|al|bin|la|le)?\s*[\p{Lu}][\p{L}.'’\-]*){0,3}"
_BYLINE = (
    rf"^\s*(?:By|BY|by|Written by|Reporting by|Story by)[:\s]+(?P<name>{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*)")


@lru_cache(maxsize=None)
def _compiled(pattern: str, flags: int = 0):
    """A pattern compiled on first use: a corpus of clean articles never needs these, and compiling
    them costs about 25 ms (the regex module parses in Python)."""
    return regex.compile(pattern, flags)


@lru_cache(maxsize=1)
def agency_names() -> tuple[str, ...]:
    return read_lines("extraction_agencies.txt")


@lru_cache(maxsize=1)
def _agency_tail_re():
    names = "|".join(regex.escape(a) for a in sorted(agency_names(), key=len, reverse=True))
    # "...weapons use.–AFP", "... (Reuters)", "— AP"
    return regex.compile(rf"(?:[\-–—]{{1,2}}\s*|\(\s*|^\s*)(?P<agency>{names})\s*\)?\s*$")


def find_dateline(text: str) -> tuple[int, int, str, tuple[int, int, str] | None] | None:
    """(start, end, dateline, (agency start, end, name) or None) at the head of a paragraph."""
    m = _compiled(_DATELINE).match(text)
    if not m:
        return None
    if m.group("place"):
        place, ag, sep = "place", "agency", "sep"
        letters = [c for c in m.group("place").split(",")[0] if c.isalpha()]
        if len(letters) < 3:
            return None
    else:
        place, ag, sep = "place2", "agency2", "sep2"
    rest = text[m.end():]
    if not rest[:1].strip() and not rest.strip():
        return None
    agency = None
    if m.group(ag):
        agency = (m.start(ag), m.end(ag), m.group(ag).strip())
    return m.start(place), m.end(sep), m.group(place).strip(), agency


def find_agency_tail(text: str) -> tuple[int, int, str] | None:
    """An agency credit closing a paragraph ("…use.–AFP", "(Reuters)"), as (start, end, name)."""
    tail_start = max(0, len(text) - 40)
    m = _agency_tail_re().search(text, tail_start)
    if not m:
        return None
    return m.start("agency"), m.end("agency"), m.group("agency")


def find_byline(text: str) -> tuple[int, int, str] | None:
    """A "By Jane Roe" line: (start, end, name) of the name."""
    if len(text) > 120:
        return None
    m = _compiled(_BYLINE).match(text)
    if not m:
        return None
    return m.start("name"), m.end("name"), m.group("name").strip()


def find_date(text: str) -> tuple[int, int] | None:
    m = _compiled(_DATE).search(text)
    return (m.start(), m.end()) if m else None


def is_time_or_year(text: str) -> bool:
    return bool(_compiled(*_TIME_OR_YEAR).match(text))
