"""Article metadata found in a line of text: datelines, bylines, agency credits, a time or year alone (dates: dates.py)."""
from __future__ import annotations

from functools import lru_cache

import regex

from ..resources import read_lines

_MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
           r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_TIME_OR_YEAR = (r"^\s*(?:\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?\s*\d{0,4}|\d{4})\s*$", regex.IGNORECASE)

_PLACE = r"[\p{Lu}][\p{Lu}'’.\-]+(?:\s+[\p{Lu}][\p{Lu}'’.\-]+){0,3}"
_PLACE_MIXED = r"[\p{Lu}][\p{Ll}\p{Lu}'’.\-]+(?:\s+[\p{Lu}][\p{Ll}\p{Lu}'’.\-]+){0,2}"
_EXTRA = rf"(?:,\s*(?:{_MONTHS}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTHS}|[\p{{Lu}}][\p{{L}}.]+(?:\s+[\p{{Lu}}][\p{{L}}.]+)?))"
_SEP = r"(?:\s*[:—–]|\s+-{1,2})"
# "MOSCOW:", "LONDON, March 3 (AP) —", "WASHINGTON (Reuters) -", "Paris (AFP) -"
_DATELINE = (
    rf"^(?P<place>{_PLACE}{_EXTRA}?)\s*(?:\((?P<agency>[\p{{L}}][\p{{L}} .&]{{0,24}})\))?(?P<sep>{_SEP})\s"
    rf"|^(?P<place2>{_PLACE_MIXED}{_EXTRA}?)\s*\((?P<agency2>[\p{{L}}][\p{{L}} .&]{{0,24}})\)(?P<sep2>{_SEP})\s")
# Words that follow a name in a byline but are not part of it ("By Jo Roe Published: Jan 29"); the
# month and weekday names and their three-letter abbreviations join them in _name_res().
_NOT_NAME_WORDS = (r"Published|Updated|Posted|Last|Modified|Reviewed|Edited|Fact|Photos?|Images?|Video|"
                   r"Filed|Share|Follow|Email|Contact|Staff Writer|Senior|Contributor|On|In|At|Read|Min|Minutes?")
_BYLINE_LEAD = (r"(?:By|BY|by|(?i:written|reporting|story|posted|words|authored|article|text|analysis|opinion|"
                r"commentary|photos and text|interview)\s+by|Author|AUTHOR|Von|Par|Por)")


@lru_cache(maxsize=1)
def _name_res():
    """The byline and name-line patterns, compiled on first use; the month and weekday names come from
    the one copy in resources/attribution_words.txt."""
    from ..attribution.words import words
    months, weekdays = words("months"), words("weekdays")
    dates = "|".join([*months, *(m[:3] for m in months), "Sept", *(d[:3] for d in weekdays)])
    not_name = rf"(?!(?:{_NOT_NAME_WORDS}|{dates})\b)"
    name_word = rf"{not_name}[\p{{Lu}}][\p{{L}}.'’\-]*"
    name = rf"{name_word}(?:\s+(?:de|van|von|da|del|al|bin|la|le)?\s*{name_word}){{0,3}}"
    byline = rf"^\s*{_BYLINE_LEAD}(?:\s*:\s*|\s+)(?P<name>{name}(?:\s*(?:,\s*and|,|and|&)\s*{name})*)"
    # A line that is only a person's name (two to four capitalised words), as header blocks give it.
    name_line = (rf"^\s*(?P<name>{name_word}(?:\s+(?:de|van|von|da|del|al|bin|la|le)?\s*{name_word}){{1,3}}"
                 r"(?:,\s*\p{Lu}[\p{Lu}\p{Ll}.]{1,5})*)\s*$")  # "Dylan Bailey, MS, RD"
    return regex.compile(byline), regex.compile(name_line)


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
    m = _name_res()[0].match(text)
    if not m:
        return None
    return m.start("name"), m.end("name"), m.group("name").strip()


def find_name_line(text: str) -> tuple[int, int, str] | None:
    """A line holding only a name ("Andrew King"): (start, end, name); the caller decides from its
    neighbours (a date line next to it) whether it is the byline."""
    if len(text) > 60 or any(c.isdigit() for c in text):
        return None
    m = _name_res()[1].match(text)
    if not m:
        return None
    return m.start("name"), m.end("name"), m.group("name").strip()


def is_time_or_year(text: str) -> bool:
    return bool(_compiled(*_TIME_OR_YEAR).match(text))
