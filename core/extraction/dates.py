"""Dates as pages write them ("April 12 11:26 2017", "12/04/2017", "2019-11-20T01:07:00-0500", "2017年4月12日"), found in text and read as ISO 8601.

What is read: year-first numbers (2019-11-20, 2019/11/20, with a time and zone), month names in
English and the other languages of resources/date_month_names.txt written either way round
("April 12, 2017", "12th April 2017", "12. April 2017", "12 de abril de 2017", "April 12 11:26 2017"),
CJK year-month-day, and numeric day/month/year (a 4-digit year; a 2-digit one with slashes).
A date needs its year and day: "April 12" alone is not read (no year to give it).

ISO output: "2017-04-12" for a date alone, "2017-04-12T11:26:00" with a time, and the offset
("2019-11-20T01:07:00-05:00") when the text gives a zone (a numeric offset, Z, or a common
abbreviation such as EST or GMT).  python-dateutil checks the date and reads time and zone.

Numeric dates whose day and month can both be 12 or less ("04/05/2017") are read day-first or
month-first by ``dayfirst``: the caller decides it from the page's language and site
(:func:`dayfirst_for`) or from the page's own unambiguous dates (:func:`dayfirst_from_dates`);
unknown means month-first, as English-language sites mostly write.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

import regex

from ..resources import read_lines

# Zone abbreviations read as fixed offsets (hours).  Ambiguous ones (IST, CST) take the reading
# news pages most often mean.
ZONES = {
    "UTC": 0, "GMT": 0, "Z": 0, "UT": 0, "WET": 0, "BST": 1, "CET": 1, "CEST": 2, "MEZ": 1, "MESZ": 2,
    "EET": 2, "EEST": 3, "MSK": 3, "EAT": 3, "WAT": 1, "SAST": 2, "IST": 5.5, "PKT": 5, "ICT": 7, "WIB": 7,
    "HKT": 8, "SGT": 8, "PHT": 8, "AWST": 8, "JST": 9, "KST": 9, "ACST": 9.5, "AEST": 10, "AEDT": 11,
    "NZST": 12, "NZDT": 13, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
    "PST": -8, "PDT": -7, "AKST": -9, "AKDT": -8, "HST": -10, "AST": -4, "ADT": -3, "NST": -3.5,
}


@lru_cache(maxsize=1)
def month_names() -> dict[str, int]:
    """Lower-case month name or abbreviation -> month number (resources/date_month_names.txt)."""
    out: dict[str, int] = {}
    for line in read_lines("date_month_names.txt"):
        num, *names = line.split()
        for n in names:
            out[n] = int(num)
    return out


# "11:26", "11:26:05", "9 am", "9:05 p.m."; a bare number is no time.
_TIME = (r"(?P<time>\d{1,2}(?::\d{2}(?::\d{2}(?:[.,]\d+)?)?|(?=\s*[ap]\.?\s?m\b)))"
         r"(?:\s*(?P<ampm>[ap]\.?\s?m\b\.?))?")
_ZONE_NAMES = "|".join(sorted((z for z in ZONES if len(z) > 1), key=len, reverse=True))
# Zone letters are upper case whatever the case of the rest ("in" is no zone).
_ZONE = (rf"(?P<tz>(?-i:Z)|[+-]\d{{2}}:?\d{{2}}\b|(?-i:UTC|GMT)\s?[+-]\s?\d{{1,2}}(?::?\d{{2}})?\b"
         rf"|(?-i:{_ZONE_NAMES})\b)")
_TIME_SEP = r"(?:\s*(?:,|\||@|-|–|—|·|•)?\s*(?:at\s+|um\s+|à\s+|a\s+las\s+)?)"
_ORD = r"(?:st|nd|rd|th|er|º|°)?"


@lru_cache(maxsize=1)
def _date_re():
    names = sorted(month_names(), key=len, reverse=True)
    month = r"(?P<mon>" + "|".join(re.escape(n) for n in names) + r")\.?"
    month2 = month.replace("(?P<mon>", "(?P<mon2>")
    month3 = month.replace("(?P<mon>", "(?P<mon3>")
    tail_time = rf"(?:{_TIME_SEP}{_TIME}(?:\s*{_ZONE})?)?"
    forms = [
        # 2019-11-20, 2019-11-20T01:07:00-0500, 2019/11/20 11:26
        rf"(?P<y1>(?:19|20)\d{{2}})(?P<s1>[-/.])(?P<m1>\d{{1,2}})(?P=s1)(?P<d1>\d{{1,2}})(?!\d)"
        rf"(?:(?:T|\s+|\s*,\s*)(?P<itime>\d{{1,2}}:\d{{2}}(?::\d{{2}}(?:[.,]\d+)?)?)(?:\s*(?P<itz>(?-i:Z)|[+-]\d{{2}}:?\d{{2}}\b|(?-i:{_ZONE_NAMES})\b))?)?",
        # 2017年4月12日, 2017년 4월 12일
        r"(?P<y2>(?:19|20)\d{2})\s*[年년]\s*(?P<m2>\d{1,2})\s*[月월]\s*(?P<d2>\d{1,2})\s*[日일]?",
        # April 12, 2017 / Apr. 12 11:26 2017 / April 12th, 2017, 9:00 am EST
        rf"\b{month}\s+(?P<d3>\d{{1,2}}){_ORD}(?!\d)(?:,?\s+(?P<midtime>\d{{1,2}}:\d{{2}}))?,?\s+(?P<y3>(?:19|20)\d{{2}})(?!\d){tail_time}",
        # 12 April 2017 / 12th of April, 2017 / 12. April 2017 / 12 de abril de 2017
        # (the year may run into the next word: "Dec 17, 2025Julian Arni" from inline spans)
        rf"\b(?P<d4>\d{{1,2}}){_ORD}\.?\s*(?:of\s+|de\s+)?{month2}(?:,?\s+|\s+de\s+|\s*\.\s*)(?P<y4>(?:19|20)\d{{2}})(?!\d){tail_time}",
        # 12/04/2017, 12.04.2017, 12-04-2017, 04/12/17
        rf"\b(?P<a5>\d{{1,2}})(?P<s5>[/.\-])(?P<b5>\d{{1,2}})(?P=s5)(?P<y5>(?:19|20)\d{{2}}|\d{{2}}(?![\d.\-/]))(?!\d){tail_time}",
        # April 2017 is not a day; nor is 12 April: both need the year and day.
        rf"\b{month3}\s+(?P<y6>(?:19|20)\d{{2}})\b(?P<noday>)",
    ]
    # the regex module: the time and zone groups recur in several forms under one name
    return regex.compile("|".join(f"(?:{f})" for f in forms), regex.IGNORECASE)


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    iso: str | None  # None when the text is a date but not a day (no day, or impossible)
    order: str  # "ymd", "mdy", "dmy" as written; "my" for a month and year
    ambiguous: bool = False  # numeric day and month both 12 or less: read by ``dayfirst``


def _year(s: str) -> int:
    y = int(s)
    if len(s) == 2:
        y += 2000 if y < 70 else 1900
    return y


def _zone(tz: str | None):
    if not tz:
        return None
    t = tz.strip().upper().replace(" ", "")
    if t in ZONES:
        return timezone(timedelta(hours=ZONES[t]))
    m = re.fullmatch(r"(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?", t)
    if m:
        sign = -1 if m.group(1) == "-" else 1
        h, mi = int(m.group(2)), int(m.group(3) or 0)
        if h <= 14 and mi < 60:
            return timezone(sign * timedelta(hours=h, minutes=mi))
    return None


def _iso(y: int, mo: int, d: int, time: str | None = None, ampm: str | None = None, tz: str | None = None) -> str | None:
    """ISO 8601 for the parts, or None when they are no real date; dateutil reads the time."""
    try:
        day = datetime(y, mo, d)
    except ValueError:
        return None
    if not time:
        return day.date().isoformat()
    from dateutil import parser as du_parser

    spec = time + (" " + ampm.replace(".", "").replace(" ", "") if ampm else "")
    try:
        t = du_parser.parse(spec, default=day)
    except (ValueError, OverflowError):
        return day.date().isoformat()
    if t.date() != day.date():
        return day.date().isoformat()
    zone = _zone(tz)
    if zone is not None:
        t = t.replace(tzinfo=zone)
    return t.isoformat()


def _from_match(m, dayfirst: bool | None) -> FoundDate:
    g = m.group
    s, e = m.span()
    if g("y1"):
        y, mo, d = int(g("y1")), int(g("m1")), int(g("d1"))
        return FoundDate(s, e, _iso(y, mo, d, g("itime"), None, g("itz")), "ymd")
    if g("y2"):
        return FoundDate(s, e, _iso(int(g("y2")), int(g("m2")), int(g("d2"))), "ymd")
    time, ampm, tz = g("time"), g("ampm"), g("tz")
    if g("y3"):
        mo = month_names()[g("mon").lower()]
        return FoundDate(s, e, _iso(int(g("y3")), mo, int(g("d3")), time or g("midtime"), ampm, tz), "mdy")
    if g("y4"):
        mo = month_names()[g("mon2").lower()]
        return FoundDate(s, e, _iso(int(g("y4")), mo, int(g("d4")), time, ampm, tz), "dmy")
    if g("y5"):
        a, b, y = int(g("a5")), int(g("b5")), _year(g("y5"))
        if len(g("y5")) == 2 and g("s5") != "/":
            return FoundDate(s, e, None, "my")  # 12-04-17, 2.28.27: as often a code or version as a date
        ambiguous = a <= 12 and b <= 12 and a != b
        if a > 12:
            first = True
        elif b > 12:
            first = False
        else:
            first = bool(dayfirst) if g("s5") == "/" else dayfirst is not False
        d, mo = (a, b) if first else (b, a)
        return FoundDate(s, e, _iso(y, mo, d, time, ampm, tz), "dmy" if first else "mdy", ambiguous)
    return FoundDate(s, e, None, "my")


_MAYBE_DATE_RE = re.compile(r"(?:19|20)\d\d|\d[/.]\d{1,2}[/.]\d\d")


def find_dates(text: str, dayfirst: bool | None = None, days_only: bool = True) -> list[FoundDate]:
    """The dates written in ``text``, in order.  ``days_only`` leaves out month-and-year ones."""
    out = []
    if not _MAYBE_DATE_RE.search(text):  # every form has a 4-digit year or a numeric d/m/yy
        return out
    for m in _date_re().finditer(text):
        f = _from_match(m, dayfirst)
        if f.order == "my" and days_only:
            continue
        out.append(f)
    return out


def find_date(text: str, dayfirst: bool | None = None) -> FoundDate | None:
    """The first day-precise date in ``text``."""
    for f in find_dates(text, dayfirst):
        if f.iso:
            return f
    return None


def parse_date(value: str | None, dayfirst: bool | None = None) -> str | None:
    """ISO 8601 for a date value from metadata ("2019-11-20T01:07:00-0500", "Thu, 09/25/2025 - 11:38",
    "Tue, 12 Apr 2017 11:26:00 GMT"): the first date written in it, else what dateutil makes of a
    short value holding a year; None when it is no date."""
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    f = find_date(value, dayfirst)
    if f is not None:
        return f.iso
    if len(value) > 40 or not re.search(r"(?:19|20)\d{2}", value):
        return None
    if re.fullmatch(r"(?:19|20)\d{6}", value):  # 20191120
        return _iso(int(value[:4]), int(value[4:6]), int(value[6:]))
    from dateutil import parser as du_parser

    try:
        # Parsed twice with different defaults: a value without its day or month ("March 2021")
        # would otherwise get them from the default.
        t = du_parser.parse(value, dayfirst=bool(dayfirst), default=datetime(1904, 1, 1))
        t2 = du_parser.parse(value, dayfirst=bool(dayfirst), default=datetime(1908, 2, 2))
    except (ValueError, OverflowError, TypeError):
        return None
    if t.date() != t2.date():
        return None
    if not 1900 <= t.year <= 2100:
        return None
    return t.date().isoformat() if (t.hour, t.minute, t.second) == (0, 0, 0) and t.tzinfo is None else t.isoformat()


# Languages and countries that write the day first; English in these countries does too.
_MONTH_FIRST_LANGS = {"en"}  # plain "en" and en-US, en-CA, en-PH...
_DAY_FIRST_REGIONS = {"gb", "uk", "au", "nz", "ie", "in", "za", "sg", "my", "pk", "ng", "ke", "gh", "hk",
                      "mt", "jm", "tt", "zw", "ug", "tz", "lk", "bd", "np", "cy"}
_YEAR_FIRST_LANGS = {"ja", "zh", "ko", "hu", "lt", "mn"}


def dayfirst_for(lang: str | None = None, locale: str | None = None, url: str | None = None) -> bool | None:
    """Whether numeric dates on this page are day-first, from its language (``<html lang>``,
    ``og:locale``) and its site's country domain; None when nothing says."""
    for tag in (lang, locale):
        if not tag:
            continue
        parts = re.split(r"[-_]", tag.strip().lower())
        base = parts[0]
        region = parts[1] if len(parts) > 1 else ""
        if base in _MONTH_FIRST_LANGS:
            if region in _DAY_FIRST_REGIONS:
                return True
            if region:
                return False
            continue  # plain "en": the site's country may say more
        if base in _YEAR_FIRST_LANGS:
            return None
        if base.isalpha() and len(base) in (2, 3):
            return True
    if url:
        m = re.match(r"(?:[a-z]+:)?//([^/:?#]+)", url.strip().lower())
        host = m.group(1) if m else ""
        tld = host.rsplit(".", 1)[-1] if "." in host else ""
        if tld in _DAY_FIRST_REGIONS:
            return True
        if tld == "us":
            return False
    return None


def dayfirst_from_dates(found: list[FoundDate]) -> bool | None:
    """The page's own convention: its unambiguous numeric dates and the order it writes month
    names in ("12 April 2017" is a day-first page)."""
    day, month = 0, 0
    for f in found:
        if f.order == "dmy" and not f.ambiguous:
            day += 1
        elif f.order == "mdy" and not f.ambiguous:
            month += 1
    if day > month:
        return True
    if month > day:
        return False
    return None
