"""Issue 8, the window: drags from our own views, the Quotes row that follows the selection, the
window's size and layout, loading feedback, whole-word marking typed by its marks, linking cues,
the Edit menu, the Open filter, dark dialogs and a Preferences text that is true."""
import pytest
from PySide6.QtCore import QPointF, QSettings, Qt
from PySide6.QtGui import QDropEvent, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from quotedesk.gui import prompts as prompts_module
from quotedesk.gui import window_files
from quotedesk.gui.review_window import ReviewWindow
from quotedesk.gui.settings import Settings
from quotedesk.gui.testing import ScriptedPrompts, emoji_document, snapshot, temp_settings
from tests.gui.conftest import key, select_text

ALT, CTRL = Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(qtbot, make_window):
    win = make_window(active=True)
    win.set_document(emoji_document())
    win.article_view.setFocus()
    qtbot.wait(20)
    return win


def highlighted_rows(win) -> list[int]:
    return sorted(i.row() for i in win.quote_table.selectionModel().selectedRows())


# -- drag and drop ------------------------------------------------------------------------------

def test_text_dragged_out_of_the_article_never_replaces_the_document(window, qtbot):
    select_text(window, "Critics were unmoved")
    md = window.article_view.createMimeDataFromSelection()
    ev = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, md, Qt.MouseButton.LeftButton,
                    Qt.KeyboardModifier.NoModifier)
    before = snapshot(window.doc)
    window.dropEvent(ev)
    qtbot.wait(50)
    assert snapshot(window.doc) == before and window.doc.id == "emoji"
    assert "save_changes" not in window.prompts.asked and not window.busy


# -- the Quotes row follows the selection ------------------------------------------------------

def test_the_new_quote_s_row_is_highlighted_after_q(window, qtbot):
    window.select("quote", "q3")
    select_text(window, "Critics were unmoved")
    key(window, qtbot, Qt.Key.Key_Q)
    qid = window.selected[1]
    assert highlighted_rows(window) == [window.quote_model.row_of(qid)]
    assert window.quote_table.currentIndex().row() == window.quote_model.row_of(qid)


def test_after_a_delete_the_next_quote_s_row_is_highlighted(window, qtbot):
    window.select("quote", "q1")
    key(window, qtbot, Qt.Key.Key_Delete, Qt.KeyboardModifier.ShiftModifier)
    assert "q1" not in window.doc.quotes
    assert window.selected == ("quote", "q2")
    assert highlighted_rows(window) == [window.quote_model.row_of("q2")]


@pytest.mark.parametrize("keys", [[Qt.Key.Key_T], [Qt.Key.Key_Return], [Qt.Key.Key_Right]])
def test_an_edit_of_the_selected_quote_keeps_its_row_highlighted(window, qtbot, keys):
    """An edit re-places the quote's row (removed, inserted); the highlight used to land on the
    row of the neighbouring quote."""
    window.select("quote", "q2")
    for k in keys:
        mods = Qt.KeyboardModifier.AltModifier if k == Qt.Key.Key_Right else Qt.KeyboardModifier.NoModifier
        key(window, qtbot, k, mods)
    assert window.stack.count() == 1
    sel = window.selected
    assert sel is not None and sel[0] == "quote"
    assert highlighted_rows(window) == [window.quote_model.row_of(sel[1])]
    window.stack.undo()
    sel = window.selected
    assert highlighted_rows(window) == ([window.quote_model.row_of(sel[1])] if sel and sel[0] == "quote" else [])


def test_esc_clears_the_highlighted_row(window, qtbot):
    window.select("quote", "q2")
    assert highlighted_rows(window) == [window.quote_model.row_of("q2")]
    key(window, qtbot, Qt.Key.Key_Escape)
    assert window.selected is None and highlighted_rows(window) == []
    assert not window.quote_table.currentIndex().isValid()


# -- size and layout ------------------------------------------------------------------------------

def test_the_first_window_fits_the_screen(qtbot, tmp_path):
    win = ReviewWindow(settings=temp_settings(tmp_path), prompts=ScriptedPrompts())
    qtbot.addWidget(win)
    avail = (win.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    assert win.width() <= avail.width() and win.height() <= avail.height()
    assert win.width() == min(1400, avail.width() * 19 // 20)


def test_default_settings_live_in_the_test_s_temporary_folder(private_settings):
    settings = Settings()
    settings.set("font_size", 13)
    assert settings.q.fileName().startswith(private_settings)


def test_geometry_and_docks_are_remembered(qtbot, tmp_path):
    settings = temp_settings(tmp_path)
    first = ReviewWindow(settings=settings, prompts=ScriptedPrompts())
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.resize(640, 480)
    first.speakers_dock.hide()
    first.corpus_mode.corpus_dock.show()  # as if a corpus was open
    qtbot.wait(20)
    first.close()
    again = Settings(QSettings(str(tmp_path / "quotedesk-test.ini"), QSettings.Format.IniFormat))
    second = ReviewWindow(settings=again, prompts=ScriptedPrompts())
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert (second.width(), second.height()) == (640, 480)
    assert not second.speakers_dock.isVisible() and second.quotes_dock.isVisible()
    assert not second.corpus_mode.corpus_dock.isVisible()  # no corpus open: no empty list


# -- loading a big page -----------------------------------------------------------------------------

def test_a_big_page_shows_its_name_and_a_busy_bar_while_it_loads(qtbot, make_window, tmp_path, monkeypatch):
    page = tmp_path / "huge-wire.txt"
    page.write_text("“We will not back down,” said Ana Ferreira, the harbour chief.\n" * 40, encoding="utf-8")
    monkeypatch.setattr(window_files, "BACKGROUND_BYTES", 100)  # read in the worker as a 50 MB page is
    analysed = []

    def fake_analysis(raw, kind, doc_id, source):
        analysed.append((len(raw), kind, doc_id))
        doc = emoji_document()
        doc.id, doc.source = doc_id, source
        return doc
    monkeypatch.setattr(window_files, "analyze_page", fake_analysis)
    win = make_window()
    with qtbot.waitSignal(win.document_ready, timeout=20000):
        assert win.open_path(str(page))
        assert win.busy and win.progress.isVisibleTo(win)
        assert "huge-wire.txt" in win.windowTitle() and "untitled" not in win.windowTitle()
        assert "huge-wire.txt" in win.header.text() and "Loading" in win.header.text()
        assert "huge-wire.txt" in win.article_view.placeholderText()
    assert not win.busy and not win.progress.isVisibleTo(win) and win.windowTitle().startswith("huge-wire")
    assert analysed == [(len(page.read_text(encoding="utf-8")), "text", "huge-wire")]


def test_a_huge_page_s_texts_are_laid_out_by_the_worker(qtbot, make_window, tmp_path, monkeypatch):
    """Inserting a 50 MB text froze the window for seconds after the analysis: the worker now
    builds the views' documents and the window adopts them."""
    page = tmp_path / "huge.txt"
    page.write_text("x" * 300, encoding="utf-8")
    monkeypatch.setattr(window_files, "BACKGROUND_BYTES", 100)
    monkeypatch.setattr(window_files, "PREPARE_CHARS", 50)
    monkeypatch.setattr(window_files, "analyze_page", lambda raw, kind, doc_id, source: emoji_document())
    win = make_window()
    with qtbot.waitSignal(win.document_ready, timeout=20000):
        win.open_path(str(page))
    raw_doc = win.raw_view.document()
    assert raw_doc.parent() is win.raw_view and raw_doc.thread() is QApplication.instance().thread()
    assert win.raw_view.toPlainText() == win.doc.raw.replace("\r", "\n")
    assert win.article_view.document().parent() is win.article_view
    # offsets stay exact across the emoji, in the views the worker filled
    s = win.doc.article.index("reopen the quay")
    win.article_view.select_range(s, s + len("reopen the quay"))
    rs, re_ = win.raw_view.selected_range()
    assert win.doc.raw[rs:re_] == "reopen the quay"
    win.select("quote", "q1")
    win.actions_by_name["cycle_type"].trigger()
    assert win.doc.quotes["q1"].type == "mixed"


def test_a_big_unreadable_page_gives_one_message(qtbot, make_window, tmp_path, monkeypatch):
    page = tmp_path / "broken.txt.gz"
    page.write_bytes(b"\x1f\x8b" + b"not really gzip" * 20)
    monkeypatch.setattr(window_files, "BACKGROUND_BYTES", 10)
    win = make_window()
    win.open_path(str(page))
    qtbot.waitUntil(lambda: not win.busy, timeout=20000)
    assert len(win.prompts.errors) == 1 and win.prompts.errors[0][0] == "Cannot open page"
    assert "broken.txt.gz" in win.prompts.errors[0][1] or "gzip" in win.prompts.errors[0][1]


# -- marking: whole words, typed by marks, cues linked ----------------------------------------------

def test_q_takes_whole_words(window, qtbot):
    s, e = select_text(window, "ritics were unmo")  # cut at both ends, as a quick drag leaves it
    key(window, qtbot, Qt.Key.Key_Q)
    q = window.doc.quotes[window.selected[1]]
    assert window.doc.article[q.start:q.end] == "Critics were unmoved"


def test_alt_keeps_the_exact_characters(window, qtbot):
    s, e = select_text(window, "ritics were unmo")
    view = window.article_view
    start = view.span_rects(s, s + 1)[0].center().toPoint()
    end = view.span_rects(e - 1, e)[0].center().toPoint()
    end.setX(end.x() + 2)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, ALT, start)
    qtbot.mouseMove(view.viewport(), end)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, ALT, end)
    assert view.exact_selection  # released with Alt held (QTest moves carry no button: select by offsets)
    view.select_range(s, e)
    key(window, qtbot, Qt.Key.Key_Q)
    q = window.doc.quotes[window.selected[1]]
    assert window.doc.article[q.start:q.end] == "ritics were unmo"


def test_a_keyboard_selection_after_an_alt_drag_snaps_again(window, qtbot):
    window.article_view.exact_selection = True
    s, e = select_text(window, "ritics were unm")
    key(window, qtbot, Qt.Key.Key_Left, CTRL | Qt.KeyboardModifier.ShiftModifier)  # a word back, by keys
    assert not window.article_view.exact_selection
    key(window, qtbot, Qt.Key.Key_Q)
    q = window.doc.quotes[window.selected[1]]
    assert window.doc.article[q.start:q.end] == "Critics were"


@pytest.mark.parametrize("text, qtype", [
    ("Not before the audit", "direct"),          # inside “…,”
    ("“Not before the audit,”", "direct"),       # the marks selected too
    ("Critics were unmoved", "indirect"),        # no marks at all
    ("Critics were unmoved: “Not before the audit,”", "mixed"),
])
def test_a_new_quote_is_typed_by_its_marks(window, qtbot, text, qtype):
    select_text(window, text)
    key(window, qtbot, Qt.Key.Key_Q)
    assert window.doc.quotes[window.selected[1]].type == qtype


def test_a_cue_marked_first_can_be_linked_to_its_quote(window, qtbot):
    s, e = select_text(window, "unmoved")
    window.select(None)
    select_text(window, "unmoved")
    key(window, qtbot, Qt.Key.Key_C)
    cue = next(c for c in window.doc.cues.values() if (c.start, c.end) == (s, e))
    window.select("quote", "q3")
    key(window, qtbot, Qt.Key.Key_L)
    assert "Link mode" in window.statusBar().currentMessage()
    window._on_article_click(s + 2, Qt.KeyboardModifier.NoModifier)
    assert window.doc.quotes["q3"].cue == cue.id
    assert "Link mode" not in window.statusBar().currentMessage()
    window.stack.undo()
    assert window.doc.quotes["q3"].cue == "c2"


def test_the_link_mode_message_goes_once_the_speaker_is_linked(window, qtbot):
    window.select("quote", "q3")
    key(window, qtbot, Qt.Key.Key_L)
    m = window.doc.mentions["m1"]
    window._on_article_click(m.start + 1, Qt.KeyboardModifier.NoModifier)
    assert window.doc.quotes["q3"].mention == "m1"
    assert "Link mode" not in window.statusBar().currentMessage()


# -- menus, dialogs, preferences -----------------------------------------------------------------

def test_undo_and_redo_live_in_an_edit_menu(window):
    edit = window.menus["Edit"]
    names = [a.objectName() for a in edit.actions()]
    assert names[:2] == ["action_undo", "action_redo"]
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles.index("Edit") == titles.index("File") + 1
    assert "action_undo" not in [a.objectName() for a in window.menus["Annotate"].actions()]
    rows = {(menu, action): keys for menu, action, keys in window.all_shortcuts()}
    assert "Ctrl+Z" in rows[("Edit", "Undo")] and "Ctrl+Shift+Z" in rows[("Edit", "Redo")]


def test_the_open_dialog_offers_gzipped_pages():
    first = prompts_module.OPEN_FILTER.split(";;")[0]
    for pattern in ("*.html.gz", "*.htm.gz", "*.txt.gz", "*.html", "*.txt", "*.quotedesk.json"):
        assert pattern in first


def test_dialogs_follow_the_dark_theme(qtbot, tmp_path):
    from quotedesk.gui.dialogs import PreferencesDialog
    settings = temp_settings(tmp_path)
    settings.set("theme", "dark")
    win = ReviewWindow(settings=settings, prompts=ScriptedPrompts())
    qtbot.addWidget(win)
    try:
        dlg = PreferencesDialog(settings, win)
        qtbot.addWidget(dlg)
        assert dlg.palette().color(QPalette.ColorRole.Window).lightness() < 100
    finally:
        settings.set("theme", "light")
        win.apply_preferences()
    assert QApplication.instance().palette().color(QPalette.ColorRole.Window).lightness() > 150


def test_preferences_say_when_autosave_happens(qtbot, tmp_path):
    from quotedesk.gui.dialogs import PreferencesDialog
    settings = temp_settings(tmp_path)
    win = ReviewWindow(settings=settings, prompts=ScriptedPrompts())
    qtbot.addWidget(win)
    dlg = PreferencesDialog(settings, win)
    qtbot.addWidget(dlg)
    assert dlg.autosave_box.suffix() == " s after each change" and dlg.autosave_box.value() == 2
    assert win._autosave_debounce.interval() == 2000
    dlg.autosave_box.setValue(7)
    dlg.store()
    win.apply_preferences()
    assert win._autosave_debounce.interval() == 7000


# -- corpus mode: a click opens, ids stay apart, the article keeps its room --------------------

def test_a_single_click_on_a_corpus_row_opens_it_saving_the_current_one(qtbot, tmp_path, folder, monkeypatch):
    from quotedesk.gui import corpus_mode
    from quotedesk.gui.corpus_model import ID_ROLE
    win = ReviewWindow(settings=temp_settings(tmp_path), prompts=ScriptedPrompts())
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    monkeypatch.setattr(corpus_mode, "ask_corpus_path", lambda parent, start: str(folder))
    win.actions_by_name["open_corpus"].trigger()
    first = win.doc.id
    qtbot.wait(50)  # the docks settle (the layout is fitted once the loop runs)
    win.select("quote", win.quote_model.quote_id(0)) if win.quote_model.rowCount() else None
    s, e = 0, win.doc.article.index(" ", 3)
    win.article_view.select_range(s, e)
    win.actions_by_name["mark_mention"].trigger()
    assert win.isWindowModified()
    view = win.corpus_mode.panel.view
    target = next(r for r in range(view.model().rowCount()) if view.model().index(r, 0).data(ID_ROLE) != first)
    index = view.model().index(target, 0)
    other = index.data(ID_ROLE)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())
    assert win.doc.id == other and "save_changes" not in win.prompts.asked
    saved = win.corpus_mode.corpus.load(first)
    assert any((m.start, m.end) == (s, e) for m in saved.mentions.values())
    assert view.textElideMode() == Qt.TextElideMode.ElideMiddle
    # Once the docks are laid out (a queued fit; a loaded machine takes a while): the article pane
    # is the widest, neither text pane is squeezed to a strip, and ids have room to be told apart
    # (they were cut to "…" beside a long summary line).
    win.corpus_mode._fit_layout()
    need = view.fontMetrics().horizontalAdvance("library-reopens")
    qtbot.waitUntil(lambda: view.columnWidth(0) >= need, timeout=5000)
    raw_w, article_w = win.splitter.sizes()
    assert article_w > raw_w >= 200


def test_corpus_splitter_sizes_favour_the_article():
    from quotedesk.gui.corpus_mode import corpus_splitter_sizes
    assert corpus_splitter_sizes(1000) == [400, 600]
    assert corpus_splitter_sizes(450) == [180, 270]  # the article still gets three fifths
