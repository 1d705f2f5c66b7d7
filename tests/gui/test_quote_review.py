"""Issue 9 in the window: unattributed quotes look different and can be listed alone, the Quotes
panel sorts by confidence and filters, and U walks the unreviewed quotes least confident first."""
import pytest
from PySide6.QtCore import Qt

from quotedesk.gui.colours import UNATTRIBUTED_PROPERTY
from quotedesk.gui.quote_table import CONFIDENCE_COLUMN, FILTERS
from quotedesk.gui.testing import emoji_document


@pytest.fixture
def window(qtbot, make_window):
    doc = emoji_document()
    # q2 loses its speaker: found, but nobody credited yet; confidences spread out
    doc.quotes["q2"].mention = None
    doc.quotes["q1"].confidence, doc.quotes["q2"].confidence, doc.quotes["q3"].confidence = 0.9, 0.3, 0.5
    win = make_window(active=True)
    win.set_document(doc)
    win.article_view.setFocus()
    qtbot.wait(20)
    return win


def listed(win) -> list[str]:
    proxy = win.quote_proxy
    return [proxy.quote_id_at(proxy.index(r, 0)) for r in range(proxy.rowCount())]


def test_an_unattributed_quote_is_hatched_grey_and_says_so(window):
    q2 = window.doc.quotes["q2"]
    fmts = {}
    for s, e, kind, id in window.index.overlapping(0, len(window.doc.article)):
        if kind == "quote":
            fmts[id] = window._style_for(kind, id, window.article_formats, set())
    assert fmts["q2"].property(UNATTRIBUTED_PROPERTY) is True
    assert fmts["q2"].background().style() == Qt.BrushStyle.BDiagPattern
    assert fmts["q1"].property(UNATTRIBUTED_PROPERTY) is None
    assert fmts["q1"].background().style() == Qt.BrushStyle.SolidPattern
    assert "unattributed" in window._article_tooltip(q2.start + 2)
    row = window.quote_model.row_of("q2")
    assert window.quote_model.index(row, 2).data() == "(unattributed)"


@pytest.mark.parametrize("mode, expected", [
    ("all", ["q1", "q2", "q3"]),
    ("unattributed", ["q2"]),
    ("unreviewed", ["q1", "q2", "q3"]),
    ("low confidence", ["q2", "q3"]),
])
def test_the_quotes_panel_filters(window, mode, expected):
    assert mode in FILTERS
    window.quote_filter.setCurrentIndex(window.quote_filter.findData(mode))
    assert window.quote_proxy.mode == mode
    assert listed(window) == expected


def test_unreviewed_filter_drops_an_accepted_quote(window, qtbot):
    window.set_quote_filter("unreviewed")
    window.select("quote", "q1")
    qtbot.keyClick(window.article_view, Qt.Key.Key_Return)
    assert listed(window) == ["q2", "q3"]
    window.stack.undo()
    assert listed(window) == ["q1", "q2", "q3"]


def test_the_quotes_panel_sorts_by_confidence(window):
    window.quote_table.sortByColumn(CONFIDENCE_COLUMN, Qt.SortOrder.AscendingOrder)
    assert listed(window) == ["q2", "q3", "q1"]
    window.select("quote", "q3")
    assert window.quote_proxy.quote_id_at(window.quote_table.currentIndex()) == "q3"
    window.quote_table.sortByColumn(CONFIDENCE_COLUMN, Qt.SortOrder.DescendingOrder)
    assert listed(window) == ["q1", "q3", "q2"]


def test_clicking_a_sorted_row_selects_its_quote(window, qtbot):
    window.quote_table.sortByColumn(CONFIDENCE_COLUMN, Qt.SortOrder.AscendingOrder)
    window.quote_table.selectRow(0)
    assert window.selected == ("quote", "q2")


def test_u_jumps_to_the_next_least_confident_unreviewed_quote(window, qtbot):
    qtbot.keyClick(window.article_view, Qt.Key.Key_U)
    assert window.selected == ("quote", "q2")
    qtbot.keyClick(window.article_view, Qt.Key.Key_U)
    assert window.selected == ("quote", "q3")
    qtbot.keyClick(window.article_view, Qt.Key.Key_Return)  # accept q3 (moves on to the next quote)
    qtbot.keyClick(window.article_view, Qt.Key.Key_U)
    assert window.selected == ("quote", "q2")  # q3 reviewed now; q1 is next after q2
    qtbot.keyClick(window.article_view, Qt.Key.Key_U)
    assert window.selected == ("quote", "q1")
    qtbot.keyClick(window.article_view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # accept all
    qtbot.keyClick(window.article_view, Qt.Key.Key_U)
    assert "Every quote is reviewed" in window.statusBar().currentMessage()
