"""core.selection: whole-word snapping, quote typing by marks, and the article/raw maps (no display)."""
import pytest

from quotedesk.core.model import Document, Paragraph
from quotedesk.core.selection import article_to_raw, quote_type_by_marks, raw_to_article, snap_span


def doc_of(article: str, head: str = "") -> Document:
    return Document(id="d", raw=head + article, article=article,
                    paragraphs=[Paragraph(0, len(article), len(head), len(head) + len(article))])


def test_snap_span_widens_cut_words_and_trims_blanks():
    text = "another week of talks"
    assert snap_span(text, 0, 11) == (0, 12)       # "another wee" -> "another week"
    assert snap_span(text, 2, 7) == (0, 7)
    assert snap_span(text, 7, 13) == (8, 12)       # " week " -> "week"


@pytest.mark.parametrize("article, selected, qtype", [
    ("“We will not back down,” Smith said.", "We will not back down", "direct"),
    ("“We will not back down,” Smith said.", "We will not back down,", "direct"),
    ("“We will not back down,” Smith said.", "“We will not back down,”", "direct"),
    ("„Wir schaffen das“, sagte Merkel.", "Wir schaffen das", "direct"),
    ("« Nous ne céderons pas », a-t-il dit.", "« Nous ne céderons pas »", "direct"),
    ("Smith said the union would not back down.", "the union would not back down", "indirect"),
    ("Smith called the plan “a disgrace” on Monday.", "the plan “a disgrace” on Monday", "mixed"),
    ("Smith said the union's plan won't work.", "the union's plan won't work", "indirect"),
    ("“We will,” she said, “stay open.”", "We will,” she said, “stay open.", "mixed"),
])
def test_quote_type_by_marks(article, selected, qtype):
    doc = doc_of(article)
    s = article.index(selected)
    assert quote_type_by_marks(doc, s, s + len(selected)) == qtype


def test_maps_between_article_and_raw_page():
    doc = Document(id="d", raw="MENU\nfirst para\nAD\nsecond para\n", article="first para\n\nsecond para",
                   paragraphs=[Paragraph(0, 10, 5, 15), Paragraph(12, 23, 19, 30)])
    assert article_to_raw(doc, 6, 16) == (11, 23)               # "para\n\nseco"
    assert doc.raw[11:23] == "para\nAD\nseco"
    assert raw_to_article(doc, 11, 23) == (6, 16)
    assert raw_to_article(doc, 0, 4) is None                    # boilerplate only
    assert raw_to_article(doc, 0, 8) == (0, 3)                  # boilerplate at the edge left out
    doc.paragraphs[1].verbatim = False                          # a paragraph rewritten by extraction
    assert article_to_raw(doc, 13, 15) == (19, 30)              # its whole raw span
