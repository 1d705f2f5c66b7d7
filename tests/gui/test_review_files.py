"""Opening, saving, autosave recovery, unreadable files and background analysis in the review window."""
import os
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from quotedesk.core.annotation_file import autosave_path, load_document, save_document
from quotedesk.gui.app import sample_path
from quotedesk.gui.prompts import Prompts
from quotedesk.gui.review_window import ReviewWindow
from quotedesk.gui.testing import ScriptedPrompts, emoji_document, snapshot, temp_settings



def make_window(qtbot, tmp_path, prompts=None):
    win = ReviewWindow(settings=temp_settings(tmp_path), prompts=prompts or ScriptedPrompts())
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "story.quotedesk.json"
    save_document(emoji_document(), path)
    return str(path)


def test_save_then_reopen_gives_the_same_document(qtbot, tmp_path):
    win = make_window(qtbot, tmp_path)
    win.set_document(emoji_document())
    win.select("quote", "q1")
    win.actions_by_name["cycle_type"].trigger()
    win.prompts.save = str(tmp_path / "out")
    assert win.isWindowModified()
    win.actions_by_name["save"].trigger()
    path = tmp_path / "out.quotedesk.json"
    assert path.exists() and win.save_path == str(path)
    assert not win.isWindowModified()
    assert snapshot(load_document(path)) == snapshot(win.doc)
    other = make_window(qtbot, tmp_path)
    assert other.open_path(str(path))
    assert snapshot(other.doc) == snapshot(win.doc)
    assert str(path.resolve()) in other.settings.get("recent_files")


def test_autosave_is_recovered_after_a_crash(qtbot, tmp_path, saved):
    first = make_window(qtbot, tmp_path)
    assert first.open_path(saved)
    first.select("quote", "q2")
    first.actions_by_name["reject_or_delete"].trigger()
    side = first.autosave()
    assert side == autosave_path(saved) and side.exists()
    crashed = snapshot(first.doc)
    first.stack.setClean()  # the "crash": the window goes away without saving or cleaning up
    first.close()
    os.utime(side, (time.time() + 5, time.time() + 5))

    declined = make_window(qtbot, tmp_path)
    declined.prompts.recover = False
    declined.open_path(saved)
    assert "recover" in declined.prompts.asked
    assert "q2" in declined.doc.quotes

    second = make_window(qtbot, tmp_path)
    second.prompts.recover = True
    assert second.open_path(saved)
    assert snapshot(second.doc) == crashed
    assert second.isWindowModified()  # recovered work is not saved yet
    second.actions_by_name["save"].trigger()
    assert not side.exists()
    assert snapshot(load_document(saved)) == crashed


def test_autosave_fires_after_an_edit(qtbot, tmp_path, saved):
    win = make_window(qtbot, tmp_path)
    win.open_path(saved)
    win._autosave_debounce.setInterval(10)
    win.select("quote", "q1")
    win.actions_by_name["accept"].trigger()
    qtbot.waitUntil(lambda: autosave_path(saved).exists(), timeout=2000)


def test_corrupt_annotation_file_shows_why_and_the_app_lives_on(qtbot, tmp_path, saved):
    bad = tmp_path / "broken.quotedesk.json"
    bad.write_text('{"format": "quotedesk", "version": 1, "raw": ', encoding="utf-8")
    win = make_window(qtbot, tmp_path)
    assert not win.open_path(str(bad))
    assert len(win.prompts.errors) == 1 and "broken.quotedesk.json" in win.prompts.errors[0][1]
    assert win.doc is None
    assert win.open_path(saved)  # still works afterwards
    assert win.doc is not None


def test_binary_page_error_goes_through_a_real_message_box(qtbot, tmp_path):
    png = tmp_path / "picture.html"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    prompts = Prompts()
    win = make_window(qtbot, tmp_path, prompts)
    prompts.parent = win
    seen = []

    def close_box():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.accept()
        else:
            QTimer.singleShot(20, close_box)

    QTimer.singleShot(20, close_box)
    assert not win.open_path(str(png))
    assert seen and "PNG" in seen[0]
    assert win.isVisible()


def test_opening_a_page_analyses_it(qtbot, tmp_path):
    win = make_window(qtbot, tmp_path)
    with qtbot.waitSignal(win.document_ready, timeout=10000):
        win.open_path(sample_path())
    assert win.doc.quotes and win.doc.raw_kind == "text"
    assert win.quote_model.rowCount() == len(win.doc.quotes)
    assert win.doc.article in win.article_view.toPlainText() or len(win.doc.article) == len(
        win.article_view.toPlainText())


def test_long_page_is_analysed_in_a_worker_while_the_window_stays_live(qtbot, tmp_path):
    body = Path(sample_path()).read_text(encoding="utf-8")
    page = tmp_path / "long.txt"
    page.write_text(body * 30, encoding="utf-8")
    win = make_window(qtbot, tmp_path)
    with qtbot.waitSignal(win.document_ready, timeout=60000):
        win.open_path(str(page))
        assert win.busy and win.progress.isVisibleTo(win)
        assert not win.actions_by_name["save"].isEnabled()
        QApplication.processEvents()  # the event loop runs during the analysis
    assert not win.busy and not win.progress.isVisibleTo(win)
    assert len(win.doc.raw) == len(body) * 30


def test_drop_a_file_opens_it(qtbot, tmp_path, saved):
    win = make_window(qtbot, tmp_path)
    md = QMimeData()
    md.setUrls([QUrl.fromLocalFile(saved)])
    ev = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, md, Qt.MouseButton.LeftButton,
                    Qt.KeyboardModifier.NoModifier)
    win.dropEvent(ev)
    assert win.save_path == saved and win.doc.id == "emoji"


def test_paste_page_text_from_the_clipboard(qtbot, tmp_path):
    win = make_window(qtbot, tmp_path)
    QGuiApplication.clipboard().setText(Path(sample_path()).read_text(encoding="utf-8").replace("\n", "\r\n"))
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)  # shortcuts reach only the active window
    with qtbot.waitSignal(win.document_ready, timeout=10000):
        qtbot.keyClick(win.article_view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert "\r" not in win.doc.raw and win.doc.quotes
    assert win.doc.source is None and win.save_path is None


def test_closing_with_unsaved_changes_asks(qtbot, tmp_path, saved):
    win = make_window(qtbot, tmp_path)
    win.open_path(saved)
    win.select("quote", "q1")
    win.actions_by_name["accept"].trigger()
    win.prompts.save_changes = "cancel"
    assert not win.close()
    assert win.isVisible() and "save_changes" in win.prompts.asked
    win.prompts.save_changes = "save"
    assert win.close()
    assert load_document(saved).quotes["q1"].reviewed


def test_recent_files_menu(qtbot, tmp_path, saved):
    win = make_window(qtbot, tmp_path)
    win.open_path(saved)
    texts = [a.text() for a in win.recent_menu.actions()]
    assert texts == [str(os.path.realpath(saved))]


def test_autosave_of_an_analysed_page_is_offered_when_the_page_reopens(qtbot, tmp_path):
    page = tmp_path / "wire.txt"
    page.write_text(Path(sample_path()).read_text(encoding="utf-8"), encoding="utf-8")
    first = make_window(qtbot, tmp_path)
    with qtbot.waitSignal(first.document_ready, timeout=10000):
        first.open_path(str(page))
    first.select("quote", first.quote_model.quote_id(0))
    first.actions_by_name["delete_span"].trigger()
    side = first.autosave()
    assert side == autosave_path(str(tmp_path / "wire.quotedesk.json"))
    crashed = snapshot(first.doc)
    first.stack.setClean()
    first.close()

    second = make_window(qtbot, tmp_path)
    second.prompts.recover = True
    second.open_path(str(page))
    assert snapshot(second.doc) == crashed and second.isWindowModified()


def test_drop_page_text_makes_a_new_document(qtbot, tmp_path):
    win = make_window(qtbot, tmp_path)
    md = QMimeData()
    md.setText(Path(sample_path()).read_text(encoding="utf-8"))
    ev = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, md, Qt.MouseButton.LeftButton,
                    Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(win.document_ready, timeout=10000):
        win.dropEvent(ev)
    assert win.doc.quotes and win.doc.id.startswith("dropped")


def test_open_through_the_file_dialog(qtbot, tmp_path, saved):
    win = make_window(qtbot, tmp_path)
    win.prompts.open = [saved]
    win.actions_by_name["open"].trigger()
    assert win.save_path == saved and win.doc.id == "emoji"


def test_unsaved_pasted_document_is_recovered_from_its_autosave(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("QUOTEDESK_DATA", str(tmp_path / "data"))
    first = make_window(qtbot, tmp_path)
    first.set_document(emoji_document())  # as if pasted: no file behind it
    first.select("quote", "q1")
    first.actions_by_name["cycle_type"].trigger()
    side = first.autosave()
    assert side is not None and str(side).startswith(str(tmp_path / "data"))
    crashed = snapshot(first.doc)
    first.stack.setClean()
    first.close()

    second = make_window(qtbot, tmp_path)
    second.prompts.open = [str(side)]
    second.actions_by_name["recover"].trigger()
    assert snapshot(second.doc) == crashed
    assert second.save_path is None and second.isWindowModified()
    second.prompts.save = str(tmp_path / "kept")
    second.actions_by_name["save"].trigger()
    assert (tmp_path / "kept.quotedesk.json").exists() and not side.exists()
