"""The page as text: an HTML page's visible text, mapped character by character to its markup, is the Document's raw text; nothing the parser mishandles is lost."""
import html as html_lib
import json

import pytest

from quotedesk.core.annotation_file import document_from_dict, document_to_dict, loads, dumps
from quotedesk.core.extraction import extract_article
from quotedesk.core.extraction.html import page_text
from quotedesk.core.pipeline import analyze, build_document

STORY = [
    "The Kestrel Bay council voted on Tuesday to delay the harbour plan, saying the fishing fleet "
    "needed more time to respond to the proposal.",
    "\u201cWe will not back down,\u201d said harbour master Ana Ruiz, who has led the talks for a year.",
    "Officials said the vote would be held again in May,",
    "after a second round of public meetings.",
    "Residents said they welcomed the delay, although several traders worried about the cost.",
]

# An invented page with everything the page text has to get right: scripts and styles, hidden
# elements, entities, <br>, a table, lists, whitespace across lines, a comment inside a word run.
PAGE = """<!DOCTYPE html>
<html><head><title>Harbour vote delayed &amp; fleet waits</title>
<style>p { color: red }</style>
<script>var x = "<p>not text</p>"; if (a < b) {}</script></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
<div class="article-body">
<h1>Harbour vote   delayed</h1>
<p>The Kestrel Bay council voted on Tuesday to delay the harbour plan, saying the fishing fleet
   needed more time to respond to the <!-- ad --><b>proposal</b>.</p>
<p>&ldquo;We will not back down,&rdquo; said harbour master Ana&nbsp;Ruiz, who has led the talks for a year.</p>
<div hidden>Hidden teaser that a reader never sees</div>
<p style="display: none">Invisible paragraph</p>
<p>Officials said the vote would be held again in May,<br>after a second round of public meetings.</p>
<table><tr><th>Boats</th><th>Crew &amp; owners</th></tr><tr><td>41</td><td>120</td></tr></table>
<ul><li>First item of the list</li><li>Second item &#8211; with a dash</li></ul>
<p>Residents said they welcomed the delay, although several traders worried about the cost.</p>
</div>
<footer>Copyright 2024 The Invented Courier</footer>
<script>document.write("late")</script>
</body></html>
"""


def check_page_map(html: str, pt) -> None:
    """Every character of the page text maps to where it is in the markup: its own character,
    the entity that writes it, the whitespace it collapses, or (a line break the markup made) a
    point; and the spans never go backwards."""
    prev = 0
    for i, ch in enumerate(pt.text):
        s, e = pt.map.char_span(i)
        assert 0 <= s <= e <= len(html)
        assert s >= prev or s == e, (i, ch)
        if s < e:
            src = html[s:e]
            if ch == " " and src.strip(" \t\n\r\f") == "":
                pass  # collapsed whitespace
            else:
                assert html_lib.unescape(src) in (ch, ch + src[1:]) or html_lib.unescape(src).startswith(ch), (i, ch, src)
            prev = s
        else:
            assert ch in "\n\t", (i, ch)


def test_page_text_is_what_a_reader_sees():
    text = page_text(PAGE).text
    assert "not text" not in text and "late" not in text and "color" not in text  # scripts, styles
    assert "Hidden teaser" not in text and "Invisible paragraph" not in text  # hidden, display:none
    assert "Harbour vote delayed" in text  # runs of spaces collapse
    assert "fishing fleet needed more time to respond to the proposal." in text  # a line break in the source is a space
    assert "\u201cWe will not back down,\u201d said harbour master Ana\u00a0Ruiz" in text  # entities, nbsp kept
    assert "held again in May,\nafter a second round" in text  # <br>
    assert "Boats\tCrew & owners\n41\t120" in text  # a table: cells by tabs, rows by lines
    assert "First item of the list\nSecond item \u2013 with a dash" in text  # list items one a line
    assert "Home\nNews\n\nHarbour vote delayed\n\nThe Kestrel Bay" in text  # blocks start lines
    assert "  " not in text.replace("\u00a0", "x") and not text.startswith(("\n", " ")) and not text.endswith("\n")


def test_decoration_hidden_from_screen_readers_is_not_text_but_streamed_parts_are():
    page = ("<html><body><p>Share <span class='icon' aria-hidden='true'>arrow_forward</span>this story</p>"
            "<div aria-hidden='true'><p>A visible block that screen readers skip, still on the page.</p></div>"
            "<template id='B:0'></template><div hidden id='S:0'><p>Streamed story text a script reveals.</p></div>"
            "<div hidden><p>A closed dialog.</p></div></body></html>")
    text = page_text(page).text
    assert "arrow_forward" not in text and "Share this story" in text
    assert "A visible block that screen readers skip" in text
    assert "Streamed story text a script reveals." in text and "closed dialog" not in text


def test_page_text_maps_every_character_to_the_markup():
    pt = page_text(PAGE)
    check_page_map(PAGE, pt)
    m = pt.map
    t = pt.text
    i = t.index("\u201cWe will")
    assert PAGE[slice(*m.to_html(i, i + 1))] == "&ldquo;"
    i = t.index("Ana\u00a0Ruiz")
    assert PAGE[slice(*m.to_html(i, i + 8))] == "Ana&nbsp;Ruiz"
    i = t.index("proposal.")
    assert PAGE[slice(*m.to_html(i, i + 9))] == "proposal</b>."
    # and back: an HTML offset inside a text gives that character, inside markup the next text
    for k in range(len(t)):
        hs, he = m.char_span(k)
        if hs < he:
            assert m.to_page(hs) == k
    assert m.to_page(PAGE.index("Ana&nbsp;")) == t.index("Ana\u00a0")
    assert m.to_page(PAGE.index("<b>proposal")) == t.index("proposal")


def test_map_survives_awkward_markup():
    page = ("<html><body><p>One <a title=it's href=/x>link</a> here.</p><!-- a > b <p>not</p> -->"
            "<p>Two <img alt=\"a > b\" src='x'> images &amp co &unknown; here.</p><p>Three<!---->more</p>"
            "<textarea>kept &lt;out&gt;</textarea><p>Four &#x1F600; end</p></body></html>")
    pt = page_text(page)
    assert pt.text == "One link here.\n\nTwo images & co &unknown; here.\n\nThreemore\n\nFour \U0001F600 end"
    check_page_map(page, pt)
    i = pt.text.index("more")
    assert page[slice(*pt.map.to_html(i, i + 4))] == "more"
    i = pt.text.index("\U0001F600")
    assert page[slice(*pt.map.to_html(i, i + 1))] == "&#x1F600;"


def test_html_document_raw_is_the_page_text_and_paragraphs_are_verbatim():
    doc = build_document(PAGE, "html", "harbour")
    assert doc.html == PAGE and doc.raw == page_text(PAGE).text and not doc.raw_is_markup
    assert doc.provenance["html_sha256"] and "warnings" not in doc.provenance
    assert doc.paragraphs and all(p.verbatim for p in doc.paragraphs)
    for p in doc.paragraphs:
        assert doc.raw[p.raw_start:p.raw_end] == doc.article[p.start:p.end]
    for line in STORY:
        assert line.replace("Ana Ruiz", "Ana\u00a0Ruiz") in doc.article
    assert "Home" not in doc.article and "Copyright" not in doc.article
    # every article character maps to one page character, and from there into the markup
    for k in range(len(doc.article)):
        p = doc.paragraph_at(k)
        if p is not None and p.start <= k < p.end:
            rs, re_ = doc.to_raw(k, k + 1)
            assert re_ == rs + 1 and doc.raw[rs] == doc.article[k]
    s = doc.article.index("We will not back down")
    rs, re_ = doc.to_raw(s, s + len("We will not back down"))
    hs, he = doc.raw_to_html(rs, re_)
    assert PAGE[hs:he] == "We will not back down"
    assert doc.html_to_raw(hs) == rs


def test_blank_line_between_paragraphs_maps_where_the_page_text_has_it():
    from quotedesk.core.attribution.sentences import paragraph_spans

    doc = build_document(PAGE, "html", "harbour")
    art, raw, paras = doc.article, doc.raw, doc.paragraphs
    assert all(raw[p.raw_start:p.raw_end] == art[p.start:p.end] for p in paras)
    # A character outside every paragraph is a blank line the page text does not have there.
    inside = [False] * len(art)
    for p in paras:
        inside[p.start:p.end] = [True] * (p.end - p.start)
    for p, q in zip(paras, paras[1:]):
        if p.end < q.start:
            assert art[p.end:q.start] == "\n\n" and raw[p.raw_end:q.raw_start] != "\n\n"
    assert sum(inside) == len(art) - 2 * sum(1 for p, q in zip(paras, paras[1:]) if p.end < q.start)
    s = art.index("the proposal.")
    e = art.index("We will") + len("We will")
    rs, re_ = doc.to_raw(s, e)
    assert raw[rs:re_] == art[s:e] == "the proposal.\n\n\u201cWe will"
    assert "May,\n\nafter" in art and "May,\nafter" in raw  # a <br>: one line break in the page, none mapped
    # Attribution reads the paragraphs without the blank line; the annotation file takes the spans.
    assert all(not art[a:b].endswith("\n") and art[a:b].strip() == art[a:b] for a, b in paragraph_spans(doc))
    assert [art[a:b] for a, b in paragraph_spans(doc)] == [ln for ln in art.split("\n\n")]
    again = loads(dumps(doc))
    assert [(p.start, p.end, p.raw_start, p.raw_end) for p in again.paragraphs] == \
        [(p.start, p.end, p.raw_start, p.raw_end) for p in paras]


def test_analyze_quotes_index_the_page_text():
    doc = analyze(PAGE, "html", "harbour")
    quote = next(q for q in doc.quotes.values() if "We will not back down" in doc.span_text(q))
    rs, re_ = doc.to_raw(quote.start, quote.end)
    assert doc.raw[rs:re_] == doc.span_text(quote)


def test_analyze_jsonl_record_offsets_index_its_page(tmp_path, capsys):
    import main

    page = tmp_path / "harbour.html"
    page.write_text(PAGE, encoding="utf-8")
    code = main.main(["analyze", str(page), "--jobs", "1"])
    out, err = capsys.readouterr()
    assert code == 0, err
    rec = json.loads(out)
    assert rec["offsets"] == "page" and rec["page"] == page_text(PAGE).text
    texts = {rec["page"][q["start"]:q["end"]] for q in rec["quotes"]}
    assert any("We will not back down" in t for t in texts)
    for q in rec["quotes"]:
        assert q["type"] and rec["page"][q["start"]:q["end"]] in rec["article"]["body"]


def test_convert_reads_analyze_output_of_an_html_page(tmp_path, capsys):
    import main

    page = tmp_path / "harbour.html"
    page.write_text(PAGE, encoding="utf-8")
    analysed = tmp_path / "harbour.analyze.jsonl"
    assert main.main(["analyze", str(page), "--jobs", "1", "-o", str(analysed)]) == 0
    out = tmp_path / "harbour.jsonl"
    code = main.main(["convert", str(analysed), "--from", "jsonl", "--to", "jsonl", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 0, err
    rec = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert rec["text"] == page_text(PAGE).text
    assert any(rec["text"][q["start"]:q["end"]].startswith("We will not back down") for q in rec["quotes"])


# -- what the parser used to lose (issue 8) ---------------------------------------------------------

@pytest.mark.parametrize("tag", ["<embed src='clip.swf'>", "<source src='a.mp4' type='video/mp4'>",
                                 "<track kind='captions' src='c.vtt'>", "<wbr>"])
def test_html5_void_element_does_not_swallow_the_rest(tag):
    paras = "".join(f"<p>Paragraph {i} of the invented report, in which the committee, the mayor and the "
                    f"residents all said something about the bridge.</p>" for i in range(3))
    page = (f"<html><body><div class='article-body'>{paras}<p>Before the clip {tag} the story goes on, and the "
            f"council said the bridge, the budget and the weather all mattered.</p>{paras.replace('Paragraph', 'Part')}"
            f"</div></body></html>")
    ex = extract_article(page, "html")
    assert "the story goes on" in ex.article
    for i in range(3):
        assert f"Part {i} of the invented report" in ex.article
    assert not ex.warnings


@pytest.mark.parametrize("depth, tag", [(3000, "div"), (2100, "b"), (5000, "span")])
def test_deeply_nested_page_keeps_its_text_and_says_so(depth, tag):
    story = "".join(f"<p>Paragraph {i} of the deeply nested invented story, where the council, the mayor and "
                    f"the residents said the bridge would reopen.</p>" for i in range(4))
    page = ("<html><body>" + f"<{tag}>" * depth + story + "</body></html>")
    ex = extract_article(page, "html")
    for i in range(4):
        assert f"Paragraph {i} of the deeply nested" in ex.article
    assert ex.warnings and "flattened" in ex.warnings[0]
    doc = build_document(page, "html", "deep")
    assert doc.provenance["warnings"] == ex.warnings
    from quotedesk.core.analysis_records import analysis_record
    from quotedesk.core.readers import InputRecord
    from quotedesk.core.textmap import IDENTITY

    rec = analysis_record(doc, InputRecord(id="deep", text=page, kind="html", source="deep.html",
                                           newline_map=IDENTITY))
    assert rec["warnings"] == ex.warnings
    assert all(doc.raw[p.raw_start:p.raw_end] == doc.article[p.start:p.end] for p in doc.paragraphs)


@pytest.mark.parametrize("wrapper", ["div", "span", "section"])
def test_flattened_deep_page_keeps_its_block_structure(wrapper):
    # Only the excess wrappers are flattened: paragraphs, headings, list items and <br> past the
    # parser's depth limit still start their own lines and paragraphs.
    page = ("<html><body><article><h1>Invented headline</h1><p>Opening paragraph of the invented story.</p>"
            + f"<{wrapper}>" * 3000
            + "<p>A first paragraph.</p><p>B second paragraph.</p><h2>C heading</h2>"
              "<ul><li>D item</li><li>E item</li></ul><p>F line<br>G line</p><div>H block</div>I tail"
              "<table><tr><td>J cell</td><td>K cell</td></tr></table>"
              "<p>Word<b>s</b> stay whole.</p>"
            + f"</{wrapper}>" * 3000 + "</article></body></html>")
    ex = extract_article(page, "html")
    assert ex.warnings and "flattened" in ex.warnings[0]
    text = page_text(page).text
    for part in ["A first paragraph.\n\nB second paragraph.\n\nC heading\n\nD item\nE item\n\nF line\nG line",
                 "G line\n\nH block\nI tail", "J cell", "K cell", "Words stay whole."]:
        assert part in text, part
    assert "A first paragraph. B" not in ex.article and "A first paragraph.\n\nB second paragraph." in ex.article


# -- the annotation file, version 2 -------------------------------------------------------------------

def test_version_2_file_keeps_page_text_and_html():
    doc = analyze(PAGE, "html", "harbour")
    data = document_to_dict(doc)
    assert data["version"] == 2
    assert data["raw"]["text"] == doc.raw and data["html"]["text"] == PAGE
    back = loads(dumps(doc))
    assert back == doc and back.html == PAGE
    # the map is rebuilt from the saved HTML
    s = back.raw.index("Ana\u00a0Ruiz")
    assert PAGE[slice(*back.raw_to_html(s, s + 8))] == "Ana&nbsp;Ruiz"


def test_version_1_html_file_loads_with_its_meaning_and_saves_as_version_2():
    doc = analyze(PAGE, "html", "harbour")
    # A version 1 file: raw is the markup, paragraphs point into it (not verbatim).
    v1 = document_to_dict(doc)
    v1["version"] = 1
    del v1["html"]
    v1["raw"] = {"text": PAGE}
    v1["paragraphs"] = [dict(p, raw_start=0, raw_end=len(PAGE), verbatim=False) for p in v1["paragraphs"]]
    v1["meta"]["raw_spans"] = {}
    old = document_from_dict(v1)
    assert old.raw == PAGE and old.html is None and old.raw_is_markup and old.html_source == PAGE
    assert old.raw_to_html(3, 9) == (3, 9)
    again = loads(dumps(old))
    assert document_to_dict(old)["version"] == 2 and "html" not in document_to_dict(old)
    assert again == old and again.raw_is_markup
    assert {(q.start, q.end, q.type, q.mention) for q in again.quotes.values()} == \
        {(q.start, q.end, q.type, q.mention) for q in doc.quotes.values()}


def test_html_block_is_refused_where_it_has_no_meaning():
    from quotedesk.core.annotation_file import AnnotationFileError

    doc = analyze(PAGE, "html", "harbour")
    v1 = document_to_dict(doc)
    v1["version"] = 1
    with pytest.raises(AnnotationFileError, match="html"):
        document_from_dict(v1)
    text = document_to_dict(doc)
    text["raw_kind"] = "text"
    with pytest.raises(AnnotationFileError, match="only an HTML page"):
        document_from_dict(text)
    bad = document_to_dict(doc)
    bad["html"]["text"] += " "
    with pytest.raises(AnnotationFileError, match="html: sha256"):
        document_from_dict(bad)


def test_text_page_has_no_html():
    doc = build_document("Plain page text.\n\nAnother line of it.", "text", "plain")
    assert doc.html is None and doc.html_source is None and doc.raw_to_html(0, 3) is None
    assert "html" not in document_to_dict(doc)


# -- any page ---------------------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<br>", "<b>", "</b>", "<td>", "<tr>", "<table>",
                           "<pre>", "</pre>", "<script>", "</script>", "<!--", "-->", "<", ">", "&amp;", "&nbsp;",
                           "&#x0;", "&bogus;", "<embed>", "<source>", "<div hidden>", "<span aria-hidden=true>",
                           "<a title=it's>", "=\"", "'", " ", "\n", "\t", "word", "Said.", "\u00a0", "\u2028"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=50).map("".join))
def test_any_page_text_maps_inside_its_html_and_matches_extraction(page):
    pt = page_text(page)
    ex = extract_article(page, "html")
    assert pt.text == (ex.page_text or "")
    prev = 0
    for i in range(len(pt.text)):
        s, e = pt.map.char_span(i)
        assert 0 <= s <= e <= len(page)
        if s < e:
            assert s >= prev
            prev = s
    for p in ex.paragraphs:
        assert pt.text[p.raw_start:p.raw_end] == ex.article[p.start:p.end]
        hs, he = pt.map.to_html(p.raw_start, p.raw_end)
        assert 0 <= hs <= he <= len(page)
        assert 0 <= pt.map.to_page(hs) <= len(pt.text)


def test_markup_map_is_withheld_when_the_saved_page_text_is_not_the_html_s():
    """A file whose page text was built differently (another QuoteDesk version) keeps its texts and
    spans; only the markup map is unavailable, never wrong."""
    doc = analyze(PAGE, "html", "harbour")
    data = document_to_dict(doc)
    data["raw"]["text"] = data["raw"]["text"].replace("Home\nNews", "Home News")
    data["raw"].pop("sha256")  # same length: every span still fits
    back = document_from_dict(data)
    assert back.html == PAGE and back.page_map() is None
    assert back.raw_to_html(0, 4) is None and back.html_to_raw(10) is None
