"""The review window shows a document: exact highlights past emoji, selection synced everywhere, tooltips."""
import pytest
from PySide6.QtCore import Qt

from quotedesk.gui.testing import emoji_document, temp_settings



@pytest.fixture
def window(make_window):
    win = make_window(active=True)
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


def test_dark_theme_keeps_highlights(make_window, tmp_path):
    settings = temp_settings(tmp_path)
    settings.set("theme", "dark")
    win = make_window(settings=settings, size=None)
    win.set_document(emoji_document())
    assert win.article_formats.dark
    assert len(win.article_view.extraSelections()) == 3 + 3 + 3


def long_document(units=3000):
    """An invented long article: one quote, speaker and cue per paragraph, an emoji every tenth."""
    from quotedesk.core.model import Cue, Document, Entity, Mention, Paragraph, Quote
    parts, doc = [], Document(id="long", raw="", article="")
    doc.entities["e1"] = Entity("e1", "Lina Park")
    pos = 0
    for n in range(units):
        text = ("🚢 " if n % 10 == 0 else "") + f"“Item {n} is fine,” said Lina Park today."
        q0 = pos + text.index("Item")
        c0 = pos + text.index("said")
        m0 = pos + text.index("Lina")
        doc.quotes[f"q{n}"] = Quote(f"q{n}", q0, q0 + len(f"Item {n} is fine,"), mention=f"m{n}", cue=f"c{n}")
        doc.mentions[f"m{n}"] = Mention(f"m{n}", m0, m0 + 9, "e1")
        doc.cues[f"c{n}"] = Cue(f"c{n}", c0, c0 + 4)
        doc.paragraphs.append(Paragraph(pos, pos + len(text), pos, pos + len(text)))
        parts.append(text)
        pos += len(text) + 1
    doc.article = doc.raw = "\n".join(parts)
    return doc


def test_only_the_visible_part_is_decorated_and_scrolling_rebuilds_it(qtbot, make_window):
    win = make_window(size=(1000, 700))
    doc = long_document()
    win.set_document(doc)
    n_spans = len(doc.quotes) + len(doc.mentions) + len(doc.cues)
    assert 0 < len(win.article_view.extraSelections()) < n_spans / 10
    bar = win.article_view.verticalScrollBar()
    bar.setValue(bar.maximum())
    last = doc.quotes[f"q{len(doc.quotes) - 1}"]
    qtbot.waitUntil(lambda: any(
        sel.cursor.selectedText() == doc.article[last.start:last.end] for sel in win.article_view.extraSelections()),
        timeout=2000)
    for sel in win.article_view.extraSelections():
        s = win.article_view.offsets.from_qt(sel.cursor.selectionStart())
        e = win.article_view.offsets.from_qt(sel.cursor.selectionEnd())
        assert sel.cursor.selectedText() == doc.article[s:e]
        assert s > len(doc.article) // 2


def test_raw_tooltip_tells_boilerplate_from_article(window):
    doc = window.doc
    assert "boilerplate" in window._raw_tooltip(0)
    assert "extracted" in window._raw_tooltip(doc.paragraphs[0].raw_start + 3)


def test_shortcut_list_is_generated_from_the_actions(window):
    rows = window.all_shortcuts()
    keys = {r[2] for r in rows}
    for k in ("Q", "S", "C", "T", "L", "N", "Ctrl+End", "Shift+Del", "Alt+Shift+Left", "Ctrl+Z"):
        assert any(k in r for r in keys), k
    from quotedesk.gui.dialogs import ShortcutsDialog
    dlg = ShortcutsDialog(rows, window)
    assert dlg.table.rowCount() == len(rows)


def test_preferences_are_stored_and_applied(window):
    from quotedesk.gui.dialogs import PreferencesDialog
    dlg = PreferencesDialog(window.settings, window)
    dlg.size_box.setValue(17)
    dlg.theme_box.setCurrentText("dark")
    dlg.store()
    window.apply_preferences()
    assert window.settings.get("font_size") == 17 and window.settings.get("theme") == "dark"
    assert window.article_view.font().pointSize() == 17
    assert window.article_formats.dark
    assert len(window.article_view.extraSelections()) == 9


def test_clicking_a_quote_in_the_raw_page_selects_it(window, qtbot):
    q = window.doc.quotes["q2"]
    rs, _ = window.doc.to_raw(q.start, q.end)
    rect = window.raw_view.span_rects(rs + 3, rs + 4)[0]
    qtbot.mouseClick(window.raw_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert window.selected == ("quote", "q2")
    assert window.quote_table.currentIndex().row() == window.quote_model.row_of("q2")


def test_selecting_a_speaker_marks_all_its_mentions(window):
    window.select_entities(["e1"])
    fmts = window.article_formats
    colour = window.colours.colour("e1")
    styled = {(s, e): f for s, e, f in window._article_decorations(0, len(window.doc.article))}
    for mid in ("m1", "m2"):
        m = window.doc.mentions[mid]
        assert styled[(m.start, m.end)] == fmts.mention(colour, True)
    m3 = window.doc.mentions["m3"]
    assert styled[(m3.start, m3.end)] == fmts.mention(window.colours.colour("e2"), False)


def test_hovering_a_quote_shows_its_tooltip(window):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip
    view = window.article_view
    q = window.doc.quotes["q3"]
    pos = view.span_rects(q.start + 2, q.start + 3)[0].center().toPoint()
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos)))
    assert QToolTip.isVisible()
    assert "Rui Sol" in QToolTip.text() and "told" in QToolTip.text() and q.rule in QToolTip.text()
    QToolTip.hideText()


def test_a_dozen_speakers_get_a_dozen_colours(qapp):
    from quotedesk.gui.colours import EntityColours
    colours = EntityColours()
    names = {colours.colour(f"e{i}").name() for i in range(12)}
    assert len(names) == 12
    assert colours.colour("e3").name() == colours.colour("e3").name()  # stable per entity
