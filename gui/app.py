"""Entry points the command line calls: the review window (``run``) and an offscreen render (``screenshot``)."""
from __future__ import annotations

import sys
from pathlib import Path

from quotedesk.core.resources import resource_path

SAMPLE = "samples/harbour_strike.txt"


def _application():
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName("QuoteDesk")
        app.setOrganizationName("QuoteDesk")
        app.setDesktopFileName("quotedesk")  # Wayland and docks match the window to quotedesk.desktop
        from PySide6.QtGui import QIcon
        app.setWindowIcon(QIcon(str(resource_path("quotedesk.svg"))))
    return app


def sample_path() -> str:
    return str(resource_path(SAMPLE))


def run(paths: list[str]) -> int:
    """Opens one window per path (the bundled sample when there is none) and runs the event loop.
    A folder or a .jsonl file opens as a corpus, resuming at the document last opened."""
    app = _application()
    from PySide6.QtCore import QTimer

    from .review_window import ReviewWindow
    windows = []
    app._quotedesk_windows = windows  # keep them alive for the loop's lifetime
    for path in (paths or [sample_path()]):
        win = ReviewWindow()
        win.show()
        windows.append(win)
        # Opened once the loop runs: the window is on screen before any error dialog or analysis.
        QTimer.singleShot(0, lambda win=win, path=path: win.open_path(path))
    return app.exec()


class _QuietPrompts:
    """Answers for an unattended render: recover nothing, save nothing, print errors."""

    def __init__(self):
        self.errors = []

    def error(self, title, message):
        self.errors.append((title, message))
        print(f"{title}: {message}", file=sys.stderr)

    def ask_recover(self, *a):
        return False

    def ask_save_changes(self, *a):
        return "discard"

    def __getattr__(self, name):
        return lambda *a, **k: None


def wait_until_ready(win, timeout_s: float = 60.0) -> bool:
    """Processes events until the window shows a document (analysis may run in a worker)."""
    import time

    from PySide6.QtCore import QCoreApplication
    deadline = time.monotonic() + timeout_s
    while (win.doc is None or win.busy) and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.01)
    return win.doc is not None and not win.busy


def screenshot(out_png: str, path: str | None = None, select_first: bool = True, theme: str | None = None) -> int:
    """Renders the window with ``path`` (or the sample) offscreen to ``out_png``; 0 on success.
    A folder or .jsonl ``path`` renders corpus mode (its last document, with the Statistics dock
    behind the Tracked quotations tab)."""
    import os
    import tempfile
    if not os.environ.get("QT_QPA_PLATFORM", "").strip():  # unset or empty (Qt reads empty as unset)
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = _application()
    from PySide6.QtCore import QSettings

    from .review_window import ReviewWindow
    from .settings import Settings
    # A throwaway settings file: a render never changes the user's recent files or preferences.
    tmp = tempfile.mkdtemp(prefix="quotedesk-shot-")
    settings = Settings(QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat))
    if theme:
        settings.set("theme", theme)
    prompts = _QuietPrompts()
    win = ReviewWindow(settings=settings, prompts=prompts)
    win.resize(1500, 950)
    win.show()
    if not win.open_path(path or sample_path()) or not wait_until_ready(win):
        return 1
    if win.corpus_mode.corpus is not None:
        win.corpus_mode.stats_dock.show()
        win.corpus_mode.track_panel.wait(30000)  # the quotation index, built in a pool thread
    if select_first and win.quote_model.rowCount():
        win.select("quote", win.quote_model.quote_id(0))
    for _ in range(5):
        app.processEvents()
    win.refresh_highlights()
    app.processEvents()
    ok = win.grab().save(out_png)
    win.stack.setClean()
    win.close()
    return 0 if ok else 1
