"""Every correction through the window's keys, menus and mouse; undo and redo restore the exact state."""
import pytest
from PySide6.QtCore import QPoint, Qt

from quotedesk.gui.testing import ScriptedPrompts, emoji_document, snapshot
from tests.gui.conftest import key, select_text

ALT, SHIFT, CTRL = Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.ControlModifier



@pytest.fixture
def window(qtbot, make_window):
    win = make_window(active=True)
    win.set_document(emoji_document())
    win.article_view.setFocus()
    qtbot.wait(20)  # let the layout settle: tests compute pixel positions of spans
    return win


def consistent(win):
    """The span index and the quote table agree with the document after any (un)do."""
    doc = win.doc
    expected = sorted([(q.start, q.end, "quote", q.id) for q in doc.quotes.values()]
                      + [(m.start, m.end, "mention", m.id) for m in doc.mentions.values()]
                      + [(c.start, c.end, "cue", c.id) for c in doc.cues.values()])
    assert win.index.entries() == expected
    assert win.quote_model.ids() == [q.id for q in doc.sorted_quotes()]
    for (s, e, _), sel in zip(win._article_decorations(*win.article_highlights.visible_range),
                              win.article_view.extraSelections()):
        assert sel.cursor.selectedText().replace("\u2029", "\n") == doc.article[s:e]


def undo_redo_exact(win, before):
    after = snapshot(win.doc)
    assert after != before
    assert win.isWindowModified()
    win.stack.undo()
    assert snapshot(win.doc) == before
    consistent(win)
    assert win.isWindowModified() == (win.stack.index() != 0)  # the title's [*] follows the clean state
    win.stack.redo()
    assert snapshot(win.doc) == after
    consistent(win)


def test_mark_quote_with_q(window, qtbot):
    before = snapshot(window.doc)
    s, e = select_text(window, "Critics were unmoved")
    key(window, qtbot, Qt.Key.Key_Q)
    new = [q for q in window.doc.quotes.values() if (q.start, q.end) == (s, e)]
    assert len(new) == 1 and new[0].origin == "human" and new[0].reviewed
    assert window.selected == ("quote", new[0].id)
    assert window.stack.count() == 1
    undo_redo_exact(window, before)


def test_mark_speaker_links_the_selected_unattributed_quote(window, qtbot):
    select_text(window, "Critics were unmoved")
    key(window, qtbot, Qt.Key.Key_Q)
    qid = window.selected[1]
    before = snapshot(window.doc)
    s, e = select_text(window, "Critics")
    key(window, qtbot, Qt.Key.Key_S)
    q = window.doc.quotes[qid]
    m = window.doc.mentions[q.mention]
    assert (m.start, m.end) == (s, e)
    assert window.doc.entities[m.entity].name == "Critics"
    undo_redo_exact(window, before)


def test_mark_cue_becomes_the_selected_quotes_cue(window, qtbot):
    window.select("quote", "q2")
    before = snapshot(window.doc)
    s, e = select_text(window, "unmoved")
    key(window, qtbot, Qt.Key.Key_C)
    c = window.doc.cues[window.doc.quotes["q2"].cue]
    assert (c.start, c.end) == (s, e)
    undo_redo_exact(window, before)


def test_mark_from_the_context_menu(window):
    s, e = select_text(window, "harbour chief")
    before = snapshot(window.doc)
    menu = window.article_context_menu(s)
    act = next(a for a in menu.actions() if a.objectName() == "action_mark_mention")
    act.trigger()
    assert any((m.start, m.end) == (s, e) for m in window.doc.mentions.values())
    undo_redo_exact(window, before)


@pytest.mark.parametrize("keys, side, expected", [
    ((Qt.Key.Key_Left, ALT | SHIFT), "end", lambda a, q: a.index(" June")),
    ((Qt.Key.Key_Right, ALT | SHIFT | CTRL), "end", lambda a, q: q.end + 1),
    ((Qt.Key.Key_Right, ALT), "start", lambda a, q: a.index("will")),
    ((Qt.Key.Key_Left, ALT | CTRL), "start", lambda a, q: q.start - 1),
])
def test_move_boundaries_with_keys(window, qtbot, keys, side, expected):
    window.select("quote", "q1")
    q = window.doc.quotes["q1"]
    want = expected(window.doc.article, q)
    before = snapshot(window.doc)
    key(window, qtbot, *keys)
    assert getattr(window.doc.quotes["q1"], side) == want
    undo_redo_exact(window, before)


def test_drag_the_end_boundary_with_the_mouse(window, qtbot):
    window.select("quote", "q1", reveal=False)
    q = window.doc.quotes["q1"]
    view = window.article_view
    grip = view.span_rects(q.end - 1, q.end)[0]
    target_offset = window.doc.article.index("said Ana")
    target = view.span_rects(target_offset, target_offset + 1)[0]
    before = snapshot(window.doc)
    vp = view.viewport()
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=QPoint(int(grip.right()), int(grip.center().y())))
    qtbot.mouseMove(vp, QPoint(int(target.left()), int(target.center().y())))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, pos=QPoint(int(target.left()) + 1, int(target.center().y())))
    assert window.doc.quotes["q1"].end == target_offset
    undo_redo_exact(window, before)


@pytest.mark.parametrize("alt", [False, True])
def test_an_end_dropped_inside_a_word_snaps_to_its_end_unless_alt(window, qtbot, alt):
    window.select("quote", "q1", reveal=False)
    q = window.doc.quotes["q1"]
    view = window.article_view
    grip = view.span_rects(q.end - 1, q.end)[0]
    word = window.doc.article.index("said Ana")
    target = view.span_rects(word + 2, word + 3)[0]  # inside 'said', before its 'i'
    vp = view.viewport()
    mods = Qt.KeyboardModifier.AltModifier if alt else Qt.KeyboardModifier.NoModifier
    qtbot.mousePress(vp, Qt.MouseButton.LeftButton, pos=QPoint(int(grip.right()), int(grip.center().y())))
    qtbot.mouseMove(vp, QPoint(int(target.left()), int(target.center().y())))
    qtbot.mouseRelease(vp, Qt.MouseButton.LeftButton, mods, QPoint(int(target.left()) + 1, int(target.center().y())))
    assert window.doc.quotes["q1"].end == (word + 2 if alt else word + 4)


def test_set_start_here_from_the_context_menu(window):
    window.select("quote", "q1", reveal=False)
    offset = window.doc.article.index("reopen")
    before = snapshot(window.doc)
    menu = window.article_context_menu(offset)
    next(a for a in menu.actions() if a.objectName() == "ctx_start_here").trigger()
    assert window.doc.quotes["q1"].start == offset
    undo_redo_exact(window, before)


def test_link_mode_then_click_a_mention(window, qtbot):
    window.select("quote", "q3", reveal=False)
    before = snapshot(window.doc)
    key(window, qtbot, Qt.Key.Key_L)
    assert window.link_mode
    m = window.doc.mentions["m1"]
    r = window.article_view.span_rects(m.start + 1, m.start + 2)[0]
    qtbot.mouseClick(window.article_view.viewport(), Qt.MouseButton.LeftButton, pos=r.center().toPoint())
    assert window.doc.quotes["q3"].mention == "m1"
    assert not window.link_mode
    undo_redo_exact(window, before)


def test_link_to_an_entity_from_the_list(window, qtbot):
    window.select("quote", "q1", reveal=False)
    window.prompts.entity = "e2"
    before = snapshot(window.doc)
    key(window, qtbot, Qt.Key.Key_L, SHIFT)
    assert window.doc.quotes["q1"].mention == "m3"
    undo_redo_exact(window, before)


def test_cycle_type_and_type_menu(window, qtbot):
    window.select("quote", "q1", reveal=False)
    before = snapshot(window.doc)
    key(window, qtbot, Qt.Key.Key_T)
    assert window.doc.quotes["q1"].type == "mixed"
    undo_redo_exact(window, before)
    before = snapshot(window.doc)
    window.type_actions["unknown"].trigger()
    assert window.doc.quotes["q1"].type == "unknown"
    undo_redo_exact(window, before)


def test_delete_quote_with_shift_delete(window, qtbot):
    window.select("quote", "q3", reveal=False)
    before = snapshot(window.doc)
    key(window, qtbot, Qt.Key.Key_Delete, SHIFT)
    assert "q3" not in window.doc.quotes
    undo_redo_exact(window, before)


@pytest.mark.parametrize("answer", ["unlink", "delete", "relink"])
def test_delete_mention_asks_what_becomes_of_its_quotes(window, qtbot, answer):
    window.prompts.mention_quotes = answer
    window.select("mention", "m1", reveal=False)
    before = snapshot(window.doc)
    key(window, qtbot, Qt.Key.Key_Delete, SHIFT)
    assert "mention_quotes" in window.prompts.asked
    assert "m1" not in window.doc.mentions
    if answer == "unlink":
        assert window.doc.quotes["q1"].mention is None
    elif answer == "delete":
        assert "q1" not in window.doc.quotes
    else:
        assert window.doc.quotes["q1"].mention == "m2"
    assert window.stack.count() == 1  # the cascade is one undo step
    undo_redo_exact(window, before)


def test_cancelled_mention_delete_changes_nothing(window, qtbot):
    window.prompts.mention_quotes = None
    window.select("mention", "m1", reveal=False)
    before = snapshot(window.doc)
    key(window, qtbot, Qt.Key.Key_Delete, SHIFT)
    assert snapshot(window.doc) == before and window.stack.count() == 0


def test_accept_with_enter_moves_to_the_next_quote(window, qtbot):
    first = window.quote_model.quote_id(0)
    window.select("quote", first, reveal=False)
    before = snapshot(window.doc)
    key(window, qtbot, Qt.Key.Key_Return)
    q = window.doc.quotes[first]
    assert q.reviewed and q.origin == "human"
    assert window.selected == ("quote", window.quote_model.quote_id(1))
    undo_redo_exact(window, before)


def test_reject_suggestion_with_delete(window, qtbot):
    window.select("quote", "q3", reveal=False)
    before = snapshot(window.doc)
    key(window, qtbot, Qt.Key.Key_Delete)
    assert "q3" not in window.doc.quotes and "c2" not in window.doc.cues
    undo_redo_exact(window, before)


def test_shift_enter_adds_the_selection_as_a_fragment_of_the_selected_quote(window, qtbot):
    window.select("quote", "q1", reveal=False)
    before = snapshot(window.doc)
    s, e = select_text(window, "Critics were unmoved")
    key(window, qtbot, Qt.Key.Key_Return, SHIFT)
    q1 = window.doc.quotes["q1"]
    part = next(q for q in window.doc.quotes.values() if (q.start, q.end) == (s, e))
    assert q1.group is not None and part.group == q1.group
    assert (part.mention, part.cue, part.type) == (q1.mention, q1.cue, q1.type)
    assert window.selected == ("quote", part.id)
    undo_redo_exact(window, before)


def test_reject_suggestion_with_a_ctrl_double_click(window, qtbot):
    q = window.doc.quotes["q3"]
    before = snapshot(window.doc)
    r = window.article_view.span_rects(q.start + 4, q.start + 5)[0]
    qtbot.mouseDClick(window.article_view.viewport(), Qt.MouseButton.LeftButton, CTRL, pos=r.center().toPoint())
    assert "q3" not in window.doc.quotes
    undo_redo_exact(window, before)


def test_double_click_inside_a_suggestion_selects_the_word_for_s(window, qtbot):
    """The README's way to mark a speaker: double-click the word, then S. Inside a suggestion the
    double-click used to reject the whole quote."""
    q = window.doc.quotes["q3"]  # “Not before the audit,”
    word = window.doc.article.index("audit", q.start)
    r = window.article_view.span_rects(word + 1, word + 2)[0]
    qtbot.mouseDClick(window.article_view.viewport(), Qt.MouseButton.LeftButton, pos=r.center().toPoint())
    assert "q3" in window.doc.quotes and window.stack.count() == 0
    assert window.article_view.selected_range() == (word, word + len("audit"))
    key(window, qtbot, Qt.Key.Key_S)
    assert any(window.doc.article[m.start:m.end] == "audit" for m in window.doc.mentions.values())


def test_double_click_on_a_reviewed_quote_only_selects_a_word(window, qtbot):
    window.select("quote", "q3", reveal=False)
    key(window, qtbot, Qt.Key.Key_Return)  # accept: now a person's quote
    q = window.doc.quotes["q3"]
    assert q.reviewed
    r = window.article_view.span_rects(q.start + 4, q.start + 5)[0]
    qtbot.mouseDClick(window.article_view.viewport(), Qt.MouseButton.LeftButton, pos=r.center().toPoint())
    assert "q3" in window.doc.quotes
    assert window.article_view.textCursor().hasSelection()


def test_accept_all_and_mark_reviewed(window, qtbot):
    before = snapshot(window.doc)
    key(window, qtbot, Qt.Key.Key_Return, CTRL | SHIFT)
    assert all(q.reviewed for q in window.doc.quotes.values())
    undo_redo_exact(window, before)
    before = snapshot(window.doc)
    key(window, qtbot, Qt.Key.Key_End, CTRL)
    assert window.doc.status == "done"
    undo_redo_exact(window, before)


def test_rename_merge_split_entities(window):
    sm = window.speaker_table
    window.select_entities(["e2"])
    window.prompts.text = "Rui Sol Matos"
    before = snapshot(window.doc)
    window.actions_by_name["rename_entity"].trigger()
    assert window.doc.entities["e2"].name == "Rui Sol Matos"
    undo_redo_exact(window, before)

    window.select_entities(["e2"])
    window.prompts.entity = "e1"
    before = snapshot(window.doc)
    window.actions_by_name["merge_entity"].trigger()
    assert "e2" not in window.doc.entities and window.doc.mentions["m3"].entity == "e1"
    assert window.speaker_model.rowCount() == 1
    undo_redo_exact(window, before)

    window.speaker_model.recount()
    window.select_entities(["e1"])
    window.prompts.mentions = ["m2"]
    window.prompts.text = "Unnamed official"
    before = snapshot(window.doc)
    window.actions_by_name["split_entity"].trigger()
    new = window.doc.entities[window.doc.mentions["m2"].entity]
    assert new.name == "Unnamed official" and new.id != "e1"
    undo_redo_exact(window, before)
    assert sm.model() is window.speaker_model


def test_invalid_gesture_reports_and_changes_nothing(window, qtbot):
    window.select("quote", "q1", reveal=False)
    q = window.doc.quotes["q1"]
    before = snapshot(window.doc)
    window.set_boundary_at("end", q.start)  # would make an empty span
    assert snapshot(window.doc) == before and window.stack.count() == 0
    assert window.statusBar().currentMessage()


def test_tab_and_shift_tab_walk_the_quotes_from_a_mention(window, qtbot):
    window.select("mention", "m3", reveal=False)  # Rui Sol, after q3's start
    key(window, qtbot, Qt.Key.Key_Backtab, SHIFT)
    assert window.selected == ("quote", "q3")
    key(window, qtbot, Qt.Key.Key_Tab)
    assert window.selected == ("quote", "q3")  # q3 is the last quote: stays
    key(window, qtbot, Qt.Key.Key_Backtab, SHIFT)
    assert window.selected == ("quote", "q2")


def test_entity_picker_filters_by_name(window, qtbot):
    from quotedesk.gui.pickers import EntityPicker
    picker = EntityPicker(window.doc, "Link")
    qtbot.addWidget(picker)
    for ch in "rui":
        qtbot.keyClick(picker.filter, ch)
    assert picker.chosen() == "e2"
    picker.filter.clear()
    for ch in "Ferr":
        qtbot.keyClick(picker.filter, ch)
    assert picker.chosen() == "e1"
    picker.filter.setText("nobody")
    assert picker.chosen() is None


def test_undo_redo_through_the_keyboard(window, qtbot):
    window.select("quote", "q1", reveal=False)
    before = snapshot(window.doc)
    key(window, qtbot, Qt.Key.Key_T)
    after = snapshot(window.doc)
    key(window, qtbot, Qt.Key.Key_Z, CTRL)
    assert snapshot(window.doc) == before
    key(window, qtbot, Qt.Key.Key_Z, CTRL | SHIFT)
    assert snapshot(window.doc) == after


def test_real_mention_dialog_offers_unlink_delete_relink(window, qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from quotedesk.gui.prompts import Prompts
    window.prompts = Prompts(window)
    seen = []

    def answer():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        texts = {b.text().replace("&", ""): b for b in box.buttons()}  # styles may add mnemonics
        seen.extend(texts)
        (texts.get("Delete them") or box.button(QMessageBox.StandardButton.Cancel)).click()

    QTimer.singleShot(20, answer)
    window.select("mention", "m3", reveal=False)
    try:
        window.actions_by_name["delete_span"].trigger()
    finally:
        window.prompts = ScriptedPrompts()  # closing the window must not open a real dialog
    assert "Unlink them" in seen and "Delete them" in seen
    assert "m3" not in window.doc.mentions and "q3" not in window.doc.quotes
