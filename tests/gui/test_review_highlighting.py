"""The review window shows a document: exact highlights past emoji, selection synced everywhere, tooltips."""
import pytest
from PySide6.QtCore import Qt

from gui.review_window import ReviewWindow
from gui.testing import ScriptedPrompts, emoji_document, temp_settings


@pytest.fixture
def window(qtbot, tmp_path):
    win = ReviewWindow(settings=temp_settings(tmp_path), prompts=ScriptedPrompts())
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)  # shortcuts reach only the active window
    win.set_document(emoji_document())
    return win


def selections_by_text(view):
    # QTextCursor.selectedText() shows a block break as U+2029.
    return [sel.cursor.selectedText().replace("\u2029", "\n") for sel in view.extraSelections()]


def test_article_highlights_select_the_exact_characters_after_emoji(window):
    doc = window.doc
    texts = selections_by_text(window.article_view)
    for pool in (doc.quotes, doc.mentions, doc.cues):
        for obj in pool.values():
            assert doc.article[obj.start:obj.end] in texts
    # Each selection's text equals the Python substring it was built from.
    decorations = window._article_decorations(0, len(doc.article))
    assert len(decorations) == len(window.article_view.extraSelections())
    for (s, e, _), sel in zip(decorations, window.article_view.extraSelections()):
        assert sel.cursor.selectedText() == doc.article[s:e]


def test_raw_view_dims_boilerplate_and_maps_quotes_exactly(window):
    doc = window.doc
    texts = selections_by_text(window.raw_view)
    assert doc.raw[:doc.paragraphs[0].raw_start] in texts  # the menu lines, dimmed
    q = doc.quotes["q1"]
    rs, re_ = doc.to_raw(q.start, q.end)
    assert doc.raw[rs:re_] == doc.article[q.start:q.end]
    assert doc.raw[rs:re_] in texts


def test_selecting_a_row_selects_the_quote_everywhere(window, qtbot):
    row = window.quote_model.row_of("q2")
    window.quote_table.selectRow(row)
    assert window.selected == ("quote", "q2")
    q = window.doc.quotes["q2"]
    start, end = window.raw_view.offsets.to_qt(q.start), window.raw_view.offsets.to_qt(q.end)
    # the article view's cursor sits on the quote; the raw view highlights its raw span strongly
    assert window.article_view.offsets.from_qt(window.article_view.textCursor().position()) == q.start
    rs, re_ = window.doc.to_raw(q.start, q.end)
    raw_texts = selections_by_text(window.raw_view)
    assert raw_texts[-1] == window.doc.raw[rs:re_]
    # links drawn only for the selected quote: its mention and cue are outlined
    outlined = {(s, e) for s, e, _ in window.article_view.outlines}
    m, c = window.doc.mentions[q.mention], window.doc.cues[q.cue]
    assert outlined == {(m.start, m.end), (c.start, c.end)}
    assert start < end


def test_clicking_a_quote_selects_its_row(window, qtbot):
    q = window.doc.quotes["q3"]
    rect = window.article_view.span_rects(q.start + 3, q.start + 4)[0]
    qtbot.mouseClick(window.article_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert window.selected == ("quote", "q3")
    assert window.quote_table.currentIndex().row() == window.quote_model.row_of("q3")


def test_tooltip_says_who_how_and_why(window):
    q = window.doc.quotes["q1"]
    tip = window._article_tooltip(q.start + 2)
    assert "Ana Ferreira" in tip and "said" in tip and q.rule in tip and "0.95" in tip


def test_keyboard_shortcut_reaches_the_action(window, qtbot):
    window.article_view.setFocus()
    qtbot.keyClick(window.article_view, Qt.Key.Key_N)
    assert window.selected == ("quote", window.quote_model.quote_id(0))
    qtbot.keyClick(window.article_view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert window.selected == ("quote", window.quote_model.quote_id(1))
    qtbot.keyClick(window.article_view, Qt.Key.Key_P)
    assert window.selected == ("quote", window.quote_model.quote_id(0))


def test_dark_theme_keeps_highlights(qtbot, tmp_path):
    settings = temp_settings(tmp_path)
    settings.set("theme", "dark")
    win = ReviewWindow(settings=settings, prompts=ScriptedPrompts())
    qtbot.addWidget(win)
    win.show()
    win.set_document(emoji_document())
    assert win.article_formats.dark
    assert len(win.article_view.extraSelections()) == 3 + 3 + 3
