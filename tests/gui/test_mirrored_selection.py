"""Issue 10 in the window: a selection in one pane selects the same characters in the other (any
selection, not only spans), for text pages and HTML pages; the markup toggle for HTML pages."""
import pytest

from quotedesk.core.model import Document, Paragraph
from quotedesk.core.selection import article_to_raw, raw_to_article
from quotedesk.gui.testing import emoji_document

HTML_SOURCE = ("<html><head><title>Quay</title><script>var x = 1;</script></head><body>"
               "<nav>Menu | News</nav><h1>Quay to reopen</h1><p>“We will reopen the quay by June,” "
               "said Ana Ferreira.</p><p>Critics were <b>unmoved</b>.</p></body></html>")


def html_document() -> Document:
    """An HTML page as the window gets it: the page's visible text as ``raw`` with the article's
    paragraphs cut from it verbatim, and the HTML source kept beside it."""
    visible = ("Menu | News\nQuay to reopen\n“We will reopen the quay by June,” said Ana Ferreira.\n"
               "Critics were unmoved.\n")
    paras = ["“We will reopen the quay by June,” said Ana Ferreira.", "Critics were unmoved."]
    article = "\n\n".join(paras)
    paragraphs, pos = [], 0
    for p in paras:
        r = visible.index(p)
        paragraphs.append(Paragraph(pos, pos + len(p), r, r + len(p)))
        pos += len(p) + 2
    doc = Document(id="quay", raw=visible, article=article, paragraphs=paragraphs, raw_kind="html")
    doc.html = HTML_SOURCE  # the source as a string (page_markup also takes an object with .text)
    return doc


@pytest.fixture
def window(qtbot, make_window):
    win = make_window()
    win.set_document(emoji_document())
    qtbot.wait(20)
    return win


def test_selecting_article_text_selects_the_same_raw_characters(window):
    doc = window.doc
    s = doc.article.index("reopen the quay")
    window.article_view.select_range(s, s + len("reopen the quay"))
    rs, re_ = window.raw_view.selected_range()
    assert doc.raw[rs:re_] == "reopen the quay"


def test_a_selection_across_paragraphs_and_emoji_maps_both_ways(window):
    doc = window.doc
    s = doc.article.index("🚀 reopen")
    e = doc.article.index("costs") + len("costs")
    window.article_view.select_range(s, e)
    rs, re_ = window.raw_view.selected_range()
    assert doc.raw[rs:re_].startswith("🚀 reopen") and doc.raw[rs:re_].endswith("costs")
    # and back: a selection made in the raw pane selects the article's characters
    r = doc.raw.index("Critics were")
    window.raw_view.select_range(r, r + len("Critics were"))
    a, b = window.article_view.selected_range()
    assert doc.article[a:b] == "Critics were"


def test_boilerplate_selects_nothing_in_the_article(window):
    doc = window.doc
    window.article_view.select_range(0, 5)
    r = doc.raw.index("Advertisement")
    window.raw_view.select_range(r, r + 5)
    assert window.article_view.selected_range()[0] == window.article_view.selected_range()[1]


def test_a_selection_made_in_the_raw_pane_can_be_marked(window, qtbot):
    doc = window.doc
    r = doc.raw.index("Critics were unmoved")
    window.raw_view.select_range(r, r + len("Critics were unmoved"))
    window.actions_by_name["mark_quote"].trigger()
    q = window.doc.quotes[window.selected[1]]
    assert doc.article[q.start:q.end] == "Critics were unmoved"


def test_an_html_page_mirrors_and_shows_its_markup(qtbot, make_window):
    win = make_window()
    doc = html_document()
    win.set_document(doc)
    s = doc.article.index("Critics were")
    win.article_view.select_range(s, s + len("Critics were"))
    rs, re_ = win.raw_view.selected_range()
    assert doc.raw[rs:re_] == "Critics were"
    act = win.show_markup_action
    assert act.isEnabled() and not act.isChecked()
    act.trigger()
    assert win.showing_markup and win.raw_view.toPlainText().startswith("<html>")
    assert win._raw_decorations(0, 50) == []
    win.article_view.select_range(0, 5)  # no mirroring onto the source's different offsets
    assert not win.raw_view.textCursor().hasSelection()
    act.trigger()
    assert not win.showing_markup and win.raw_view.toPlainText() == doc.raw


def test_a_text_page_has_no_markup_to_show(window):
    assert not window.show_markup_action.isEnabled()
    window.do_show_markup(True)
    assert not window.showing_markup


def test_the_maps_are_inverse_on_verbatim_paragraphs():
    doc = emoji_document()
    for text in ("We will", "Critics were unmoved", "June,”"):
        s = doc.article.index(text)
        rs, re_ = article_to_raw(doc, s, s + len(text))
        assert doc.raw[rs:re_] == text
        assert raw_to_article(doc, rs, re_) == (s, s + len(text))
    # the gap between two paragraphs maps to nothing
    gap = doc.paragraphs[0].end
    assert article_to_raw(doc, gap, gap + 2) is None


INVENTED_PAGE = ("<html><head><title>Quay to reopen</title><script>var x = 1;</script></head><body>"
                 "<nav><a href='/'>Home</a> | <a href='/news'>News</a></nav><article><h1>Quay to reopen by June</h1>"
                 "<p>PORT VELL (NWS) - The harbour board met on Monday &amp; voted.</p>"
                 "<p>“We will reopen the quay by June,” said Ana Ferreira, the harbour chief.</p>"
                 "<p>Critics were <b>unmoved</b>. “Not before the audit,” Rui Sol told reporters.</p></article>"
                 "<footer>Related stories</footer></body></html>")


def test_an_analysed_html_page_mirrors_into_its_text_and_its_markup(qtbot, make_window):
    from quotedesk.core.pipeline import analyze
    doc = analyze(INVENTED_PAGE, "html", "quay", None)
    if getattr(doc, "html", None) is None:
        pytest.skip("this tree's Document keeps no HTML beside the page text")
    win = make_window()
    win.set_document(doc)
    s = doc.article.index("were unmoved")
    win.article_view.select_range(s, s + len("were unmoved"))
    rs, re_ = win.raw_view.selected_range()
    assert doc.raw[rs:re_] == "were unmoved" and "<" not in win.raw_view.toPlainText()
    win.show_markup_action.trigger()  # the source: the same words, the <b> inside them included
    hs, he = win.raw_view.selected_range()
    assert doc.html[hs:he].replace("</b>", "") == "were <b>unmoved"
    # the highlights stay, found in the source: the article's words tinted, the <nav> dimmed
    decos = win._raw_decorations(0, len(doc.html))
    tinted = {(s, e) for s, e, f in decos if f == win.raw_formats.extracted()}
    assert any(s <= hs and he <= e for s, e in tinted)
    assert not any(s <= doc.html.index("Critics") < e for s, e, f in decos if f == win.raw_formats.dimmed())
    m = doc.html.index("Ana Ferreira")  # and a selection in the source selects the article's words
    win.raw_view.select_range(m, m + len("Ana Ferreira"))
    a, b = win.article_view.selected_range()
    assert doc.article[a:b] == "Ana Ferreira"


def test_a_version_1_html_file_opens_and_saves_as_version_2_with_the_same_quotes(qtbot, make_window, tmp_path):
    import json

    from quotedesk.core.annotation_file import load_document, save_document
    from quotedesk.core.model import Quote
    para = "“We will reopen the quay by June,” said Ana Ferreira."
    r = HTML_SOURCE.index(para)
    doc = Document(id="quay", raw=HTML_SOURCE, article=para, raw_kind="html",
                   paragraphs=[Paragraph(0, len(para), r, r + len(para))])
    s = para.index("We will")
    doc.quotes["q1"] = Quote("q1", s, para.index(",”") + 1, "direct", rule="manual", origin="human", reviewed=True)
    path = tmp_path / "quay.quotedesk.json"
    save_document(doc, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["version"] = 1  # as QuoteDesk 1 wrote it: raw is the markup, no html block
    data.pop("html", None)
    path.write_text(json.dumps(data), encoding="utf-8")

    win = make_window()
    assert win.open_path(str(path)), win.prompts.errors
    assert win.doc.raw_is_markup and win.show_markup_action.isEnabled()
    q = win.doc.quotes["q1"]
    win.article_view.select_range(q.start, q.end)  # a v1 page's verbatim paragraphs still mirror exactly
    rs, re_ = win.raw_view.selected_range()
    assert win.doc.raw[rs:re_] == win.doc.article[q.start:q.end]
    win.select("quote", "q1")
    win.actions_by_name["cycle_type"].trigger()
    win.stack.undo()
    win.stack.redo()
    assert win.do_save()
    again = json.loads(path.read_text(encoding="utf-8"))
    assert again["version"] == 2
    reloaded = load_document(path)
    assert [(x.start, x.end) for x in reloaded.quotes.values()] == [(q.start, q.end)]
    assert reloaded.quotes["q1"].type == "mixed" and reloaded.raw == HTML_SOURCE
