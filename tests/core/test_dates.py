"""Dates as pages write them, read as ISO 8601: forms, day-first and month-first, time zones."""
import pytest

from quotedesk.core.extraction.dates import (dayfirst_for, dayfirst_from_dates, find_date, find_dates,
                                             parse_date)


@pytest.mark.parametrize("text, iso", [
    ("April 12, 2017", "2017-04-12"),
    ("Apr. 12 2017", "2017-04-12"),
    ("April 12 11:26 2017", "2017-04-12T11:26:00"),
    ("Sept. 3, 2019, 5 pm", "2019-09-03T17:00:00"),
    ("12 April 2017", "2017-04-12"),
    ("12th of April, 2017", "2017-04-12"),
    ("15th March, 2021", "2021-03-15"),
    ("12. April 2017", "2017-04-12"),
    ("12 avril 2017", "2017-04-12"),
    ("12 de abril de 2017 10:00", "2017-04-12T10:00:00"),
    ("2017-04-12", "2017-04-12"),
    ("2025-11-7", "2025-11-07"),
    ("2017/04/12 08:15", "2017-04-12T08:15:00"),
    ("2017年4月12日", "2017-04-12"),
    ("12.04.2017", "2017-04-12"),  # dots: day first
])
def test_forms(text, iso):
    assert parse_date(text) == iso


def test_time_zones_are_kept():
    assert parse_date("2019-11-20T01:07:00-0500") == "2019-11-20T01:07:00-05:00"
    assert parse_date("2023-05-17T00:00:00Z") == "2023-05-17T00:00:00+00:00"
    assert parse_date("Tue, 12 Apr 2017 11:26:00 GMT") == "2017-04-12T11:26:00+00:00"
    assert parse_date("Updated August 14, 2025 at 9:05 a.m. EST") == "2025-08-14T09:05:00-05:00"
    assert parse_date("May 02, 2024 07:44 PM IST") == "2024-05-02T19:44:00+05:30"
    # no zone given: a local time, no offset invented
    assert parse_date("April 12, 2017 11:26") == "2017-04-12T11:26:00"


def test_ambiguous_numeric_dates_follow_the_page():
    assert parse_date("04/05/2017") == "2017-04-05"  # unknown: month first
    assert parse_date("04/05/2017", dayfirst=True) == "2017-05-04"
    assert parse_date("04/05/2017", dayfirst=False) == "2017-04-05"
    # a part above 12 decides whatever the page says
    assert parse_date("25/04/2017", dayfirst=False) == "2017-04-25"
    assert parse_date("04/25/2017", dayfirst=True) == "2017-04-25"
    assert parse_date("01/07/16") == "2016-01-07"


def test_dayfirst_from_language_and_site():
    assert dayfirst_for("en-GB") is True
    assert dayfirst_for("en-US") is False
    assert dayfirst_for("de") is True
    assert dayfirst_for("fr-CA") is True
    assert dayfirst_for("en") is None
    assert dayfirst_for("en", "en_AU") is True
    assert dayfirst_for("en", None, "https://www.example.co.uk/news/1") is True
    assert dayfirst_for(None, None, "https://example.com/x") is None
    assert dayfirst_for("ja") is None  # year first: the forms say it


def test_dayfirst_from_the_pages_own_dates():
    found = find_dates("Posted 14/03/2021. Updated 02/04/2021. Seen 25/12/2020.")
    assert dayfirst_from_dates(found) is True
    found = find_dates("March 14, 2021 and April 2, 2021")
    assert dayfirst_from_dates(found) is False
    assert dayfirst_from_dates([]) is None


def test_spans_and_what_is_no_date():
    text = "By Jo Roe Published: Jan 29, 2025 | 5 min read"
    d = find_date(text)
    assert text[d.start:d.end] == "Jan 29, 2025" and d.iso == "2025-01-29"
    # a zone word must be upper case: "in" is no zone
    text = "June 3, 2020 in Paris"
    d = find_date(text)
    assert text[d.start:d.end] == "June 3, 2020"
    assert parse_date("March 2021") is None  # no day
    assert parse_date("April 12") is None  # no year
    assert parse_date("Monday") is None
    assert parse_date("2017-02-30") is None  # no such day
    assert parse_date("Posted on 12-04-17") is None  # as often a code as a date
    assert find_dates("version 3.2 of 40 pages") == []


def test_metadata_values():
    assert parse_date("20191120") == "2019-11-20"
    assert parse_date("Thu, 09/25/2025 - 11:38") == "2025-09-25T11:38:00"
    assert parse_date(None) is None and parse_date("") is None
