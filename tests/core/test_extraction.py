"""Article extraction on invented wire pages: body region, boilerplate, metadata and raw spans."""
from pathlib import Path

import pytest

from quotedesk.core.extraction import Extraction, extract_article, split_paragraphs
from quotedesk.core.extraction.meta import find_agency_tail, find_byline, find_dateline
from quotedesk.core.readers import read_path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"
BOILERPLATE = ("Related Articles", "ad blocker", "Join Our Newsletter", "Find us on Facebook",
               "View Results", "Advertise with us", "Your email", "comments could not be loaded",
               "Contact Us", "Share this article", "Subscribe now")


def check_spans(ex: Extraction, raw: str) -> None:
    """Every span in bounds, ordered, non-empty; verbatim paragraphs equal their raw text (for
    HTML the page text, which raw spans index; every HTML paragraph is verbatim)."""
    if ex.page_text is not None:
        raw = ex.page_text
        assert all(p.verbatim for p in ex.paragraphs)
    prev_end, prev_raw = 0, 0
    for p in ex.paragraphs:
        assert 0 <= p.start < p.end <= len(ex.article)
        assert 0 <= p.raw_start < p.raw_end <= len(raw)
        assert p.start >= prev_end and p.raw_start >= prev_raw
        prev_end, prev_raw = p.end, p.raw_start
        if p.verbatim:
            assert ex.article[p.start:p.end] == raw[p.raw_start:p.raw_end]
    for name, (s, e) in ex.meta.raw_spans.items():
        assert 0 <= s < e <= len(raw), name
    if ex.paragraphs:
        # (an HTML paragraph's span may take in the blank line after it, where the page text has it)
        texts = [ex.article[p.start:p.end] for p in ex.paragraphs]
        assert all(t == t.strip() or (ex.page_text is not None and t.endswith("\n\n") and t[:-2] == t.strip())
                   for t in texts[:-1]) and texts[-1] == texts[-1].strip()
        assert ex.article == "\n\n".join(t.removesuffix("\n\n") for t in texts)
    else:
        assert ex.article == ""


def ex_map(html: str):
    """The page-text-to-HTML map of ``html`` (built on demand, as the Document does)."""
    from quotedesk.core.extraction.html import page_text

    return page_text(html).map


def extract_fixture(name: str):
    rec = read_path(FIXTURES / name)
    ex = extract_article(rec.text, rec.kind)
    check_spans(ex, rec.text)
    return rec, ex


def test_text_page_keeps_story_and_drops_boilerplate():
    rec, ex = extract_fixture("harbour_vote.txt")
    assert ex.article.startswith("KESTREL BAY: The Kestrel Bay town council postponed")
    assert ex.article.endswith("at its next session.–AFP")
    assert len(ex.paragraphs) == 6
    for phrase in BOILERPLATE:
        assert phrase.lower() not in ex.article.lower(), phrase
    # The headline and the byline are metadata, not body.
    assert "delays harbour vote after fishing fleet protest" not in ex.article
    assert "By Jane Roe" not in ex.article


def test_text_page_metadata_and_raw_spans():
    rec, ex = extract_fixture("harbour_vote.txt")
    m = ex.meta
    assert m.headline == "Kestrel Bay council delays harbour vote after fishing fleet protest"
    assert m.dateline == "KESTREL BAY" and m.agency == "AFP" and m.byline == "Jane Roe"
    raw = rec.text
    assert raw[slice(*m.raw_spans["headline"])] == m.headline
    assert raw[slice(*m.raw_spans["dateline"])] == "KESTREL BAY:"
    assert raw[slice(*m.raw_spans["agency"])] == "AFP"
    assert raw[slice(*m.raw_spans["byline"])] == "Jane Roe"
    # "March 3" / "09:40 2024" over two lines: ISO in date, the text as written in date_text
    assert m.date == "2024-03-03T09:40:00" and m.date_text == "March 3 09:40 2024"
    assert raw[slice(*m.raw_spans["date"])] == "March 3\n09:40 2024"


def test_paragraph_raw_spans_equal_the_raw_text():
    rec, ex = extract_fixture("harbour_vote.txt")
    assert all(p.verbatim for p in ex.paragraphs)
    for p in ex.paragraphs:
        assert rec.text[p.raw_start:p.raw_end] == ex.article[p.start:p.end]


def test_cp1252_page_with_ap_dateline():
    rec, ex = extract_fixture("rail_reopening_cp1252.txt")
    assert ex.meta.dateline == "LONDON, March 3" and ex.meta.agency == "AP"
    assert ex.meta.headline.startswith("Flooded rail line")
    assert "The café at Dunmore station" in ex.article
    assert "Share this article" not in ex.article and "Subscribe now" not in ex.article


def test_crlf_bom_page_offsets_map_to_the_file():
    rec, ex = extract_fixture("river_fine_bom_crlf.txt")
    assert ex.meta.dateline == "WASHINGTON" and ex.meta.agency == "Reuters"
    original = (FIXTURES / "river_fine_bom_crlf.txt").read_bytes()[3:].decode("utf-8")
    for p in ex.paragraphs:
        s, e = rec.newline_map.to_source(p.raw_start), rec.newline_map.to_source(p.raw_end)
        assert original[s:e] == ex.article[p.start:p.end]
    assert "Related Articles" not in ex.article


def test_html_page_body_meta_and_monotonic_spans():
    rec, ex = extract_fixture("orchard_frost.html")
    assert ex.meta.headline == "Orchard growers count frost damage"
    assert ex.meta.byline == "Tomas Lind"
    assert ex.meta.date.startswith("2024-04-18")
    assert ex.meta.dateline == "ELMSWORTH, April 18" and ex.meta.agency == "Reuters"
    assert ex.article.startswith("ELMSWORTH, April 18 (Reuters) - Apple and pear growers")
    assert ex.article.endswith("according to the association.")
    assert len(ex.paragraphs) == 4
    for junk in ("Photo: Valley Courier", "Share on", "Related stories", "cider festival", "Privacy",
                 "Home", "All rights reserved", "var tracking", "color: red"):
        assert junk not in ex.article, junk
    for p in ex.paragraphs:
        # Verbatim in the page text, and mapped to the paragraph's words in the HTML.
        assert p.verbatim and ex.page_text[p.raw_start:p.raw_end] == ex.article[p.start:p.end]
        hs, he = ex_map(rec.text).to_html(p.raw_start, p.raw_end)
        first_words = ex.article[p.start:p.start + 20]
        assert rec.text[hs:he].startswith(first_words.replace('"', "&quot;")[:15]) \
            or rec.text[hs:he].startswith(first_words[:15])


def test_html_article_without_any_class_hints():
    paras = [f"<p>Paragraph {i} of the invented report, in which the committee, the mayor and the "
             f"residents all said something about the bridge, the budget and the weather.</p>" for i in range(6)]
    page = ("<html><body><div><a href='/'>Home</a> <a href='/x'>News</a></div><div>"
            + "".join(paras) + "</div><div><a href='/y'>Older story one</a><a href='/z'>Older story two</a></div>"
            "</body></html>")
    ex = extract_article(page, "html")
    check_spans(ex, page)
    assert len(ex.paragraphs) == 6 and "Home" not in ex.article and "Older story" not in ex.article


@pytest.mark.parametrize("text, place, agency", [
    ("MOSCOW: Talks began today.", "MOSCOW", None),
    ("WASHINGTON (Reuters) - The board ruled.", "WASHINGTON", "Reuters"),
    ("LONDON, March 3 (AP) — Trains will run.", "LONDON, March 3", "AP"),
    ("Paris (AFP) - Ministers met.", "Paris", "AFP"),
    ("BEIRUT, Lebanon — Fighting resumed.", "BEIRUT, Lebanon", None),
])
def test_datelines(text, place, agency):
    d = find_dateline(text)
    assert d is not None and d[2] == place
    assert (d[3][2] if d[3] else None) == agency
    assert text[d[0]:d[1]].startswith(place.split(",")[0])


@pytest.mark.parametrize("text", ["The MOSCOW: office", "In London - a city", "OK: fine", "Yes (AP) no"])
def test_not_datelines(text):
    assert find_dateline(text) is None


def test_agency_tail_and_byline():
    assert find_agency_tail("the vote at its next session.–AFP")[2] == "AFP"
    assert find_agency_tail("he said. (Reuters)")[2] == "Reuters"
    assert find_agency_tail("I took a map to the apex") is None
    assert find_byline("By Jane Roe and Ian Poe")[2] == "Jane Roe and Ian Poe"
    assert find_byline("By the river, the council met.") is None


def test_split_paragraphs_is_verbatim():
    text = "  First line.\n\nSecond line.  \n   \nThird."
    paras = split_paragraphs(text)
    assert [text[p.start:p.end] for p in paras] == ["First line.", "Second line.", "Third."]
    assert all(p.verbatim and (p.start, p.end) == (p.raw_start, p.raw_end) for p in paras)


@pytest.mark.parametrize("raw, kind", [
    ("", "text"), ("", "html"), ("   \n\n  ", "text"), ("\x00\x01\ufffd", "html"), ("<", "html"),
    ("<?xml version='1.0' encoding='utf-8'?><html><body><p>x y z.</p></body></html>", "html"),
    ("<html><body>" + "<div>" * 5000 + "deep text, deep inside." + "</div>" * 5000 + "</body></html>", "html"),
    ("\ud800 lone surrogate <p>text</p>", "html"), ("\ud800 lone surrogate", "text"),
])
def test_odd_input_never_crashes(raw, kind):
    ex = extract_article(raw, kind)
    check_spans(ex, raw)


def test_seed_page_structure(shared_dir):
    seeds = sorted((shared_dir / "seeds").glob("*.txt"))
    if not seeds:
        pytest.skip("no seed page")
    rec = read_path(seeds[0])
    ex = extract_article(rec.text, rec.kind)
    check_spans(ex, rec.text)
    m = ex.meta
    assert m.headline and m.headline not in ex.article
    assert m.dateline == "MOSCOW" and m.agency == "AFP"
    assert rec.text[slice(*m.raw_spans["dateline"])].startswith("MOSCOW")
    assert ex.article.startswith("MOSCOW")
    assert len(ex.paragraphs) >= 10
    for phrase in BOILERPLATE:
        assert phrase.lower() not in ex.article.lower(), phrase
    # Every body line of the page between the first and last kept paragraph is kept.
    first, last = ex.paragraphs[0].raw_start, ex.paragraphs[-1].raw_end
    region_lines = [ln.strip() for ln in rec.text[first:last].split("\n") if ln.strip()]
    assert region_lines == [ex.article[p.start:p.end] for p in ex.paragraphs]


def test_short_snippet_is_kept_whole():
    raw = "The ferry board met today.\nIt said no."
    ex = extract_article(raw, "text")
    check_spans(ex, raw)
    assert ex.article == "The ferry board met today.\n\nIt said no."


def test_a_short_closing_quote_line_stays_in_the_story():
    page = ("News | Sport | Weather\n"
            "Ferry fares to rise in spring\n"
            "KARVIK - The regional ferry company will raise fares by eight percent in April, "
            "its board announced on Monday after a long meeting.\n"
            "Board chair Oda Rensvik said fuel costs had doubled since the last increase two years ago.\n"
            "\u201cWe held out as long as we could,\u201d Rensvik said.\n"
            "Advertisement\n"
            "Newsletter: the morning briefing in your inbox\n")
    body = extract_article(page, "text").article
    assert body.endswith("\u201cWe held out as long as we could,\u201d Rensvik said.")
    assert "Advertisement" not in body
