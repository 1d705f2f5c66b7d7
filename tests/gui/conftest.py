"""Test set-up shared by the GUI tests: review windows on temporary settings, a private data folder,
the corpus folder fixture and message boxes recorded instead of shown."""
import pytest
from PySide6.QtCore import Qt

from quotedesk.gui import export_dialog
from quotedesk.gui.review_window import ReviewWindow
from quotedesk.gui.testing import ScriptedPrompts, temp_settings
# The corpus folder fixture is the core tests' one: the same pages, copied the same way.
from tests.core.conftest import folder

__all__ = ["folder", "messages", "make_window", "key", "select_text"]


@pytest.fixture
def messages(monkeypatch, qapp):
    """Every message box export_dialog would show, as ("error"|"info", title, text).  Asks for a
    QApplication because import and export set a wait cursor."""
    shown = []
    monkeypatch.setattr(export_dialog, "show_error", lambda p, title, text: shown.append(("error", title, text)))
    monkeypatch.setattr(export_dialog, "show_info", lambda p, title, text: shown.append(("info", title, text)))
    return shown


@pytest.fixture(autouse=True)
def private_data_dir(monkeypatch, tmp_path):
    """Autosaves of never-saved test documents go to a temporary folder, not the user's."""
    monkeypatch.setenv("QUOTEDESK_DATA", str(tmp_path / "xdg-data"))


@pytest.fixture(autouse=True)
def private_settings(tmp_path):
    """A window built with the default Settings() (the user's QSettings) writes to a temporary
    folder instead: no test reads or changes the user's preferences, recent files or layout."""
    from PySide6.QtCore import QSettings
    folder = str(tmp_path / "qsettings")
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)
    yield folder


@pytest.fixture
def make_window(qtbot, tmp_path):
    """A factory of shown review windows on temporary settings; ``active`` waits until the window
    has the focus, because shortcuts reach only the active window."""
    def make(prompts=None, settings=None, size=(1200, 800), active=False) -> ReviewWindow:
        win = ReviewWindow(settings=settings or temp_settings(tmp_path), prompts=prompts or ScriptedPrompts())
        qtbot.addWidget(win)
        if size:
            win.resize(*size)
        win.show()
        qtbot.waitExposed(win)
        if active:
            win.activateWindow()
            qtbot.waitUntil(win.isActiveWindow)
        return win
    return make


def key(win, qtbot, k, mods=Qt.KeyboardModifier.NoModifier):
    """One key press in the article view (where the correction keys act)."""
    qtbot.keyClick(win.article_view, k, mods)


def select_text(win, text, nth=0):
    """Select the ``nth`` occurrence of ``text`` in the article view; returns its (start, end)."""
    i = -1
    for _ in range(nth + 1):
        i = win.doc.article.index(text, i + 1)
    win.article_view.select_range(i, i + len(text))
    return i, i + len(text)
