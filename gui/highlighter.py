"""The highlight manager: ExtraSelections for the visible part of a text view only, rebuilt on scroll (debounced)."""
from __future__ import annotations

from typing import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, QPoint, QTimer
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

# (start, end, format) in Python indices, in paint order: later entries paint over earlier ones.
Decoration = tuple[int, int, QTextCharFormat]
Provider = Callable[[int, int], Iterable[Decoration]]


class HighlightManager(QObject):
    """Asks a provider for the decorations overlapping the visible range (plus one screen of
    margin on each side) and installs them as the view's ExtraSelections.

    Building selections for a whole 5 MB page costs seconds and hundreds of MB; for a screen it
    costs a millisecond, so everything off screen is left out and rebuilt when the view scrolls."""

    def __init__(self, view: QPlainTextEdit, provider: Provider, delay_ms: int = 8):
        super().__init__(view)
        self.view = view
        self.provider = provider
        self.visible_range = (0, 0)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.refresh)
        view.verticalScrollBar().valueChanged.connect(self.schedule)
        view.horizontalScrollBar().valueChanged.connect(self.schedule)
        view.updateRequest.connect(self._on_update_request)
        # A resize re-wraps lines, so other text becomes visible.
        view.viewport().installEventFilter(self)

    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Resize:
            self.schedule()
        return False

    def _on_update_request(self, rect, dy):
        if dy:
            self.schedule()

    def schedule(self):
        self._timer.start()

    def python_range(self) -> tuple[int, int]:
        """The visible text as a Python index range, widened by half its length on both sides
        (so a small scroll shows highlighted text before the debounced rebuild runs)."""
        view = self.view
        vp = view.viewport()
        offsets = view.offsets
        lo_qt = view.cursorForPosition(QPoint(0, 0)).position()
        hi_qt = view.cursorForPosition(QPoint(vp.width(), vp.height())).position()
        lo, hi = offsets.from_qt(lo_qt), offsets.from_qt(hi_qt)
        # The last visible line ends past the bottom-right hit point.
        block = view.document().findBlock(hi_qt)
        if block.isValid():
            hi = max(hi, offsets.from_qt(block.position() + block.length() - 1))
        margin = max((hi - lo) // 2, 500)
        return max(0, lo - margin), min(offsets.length, hi + margin)

    def refresh(self):
        self._timer.stop()
        view = self.view
        offsets = view.offsets
        lo, hi = self.python_range()
        self.visible_range = (lo, hi)
        doc = view.document()
        selections = []
        to_qt = offsets.to_qt
        for start, end, fmt in self.provider(lo, hi):
            s = start if start > lo else lo
            e = end if end < hi else hi
            if s >= e:
                continue
            sel = QTextEdit.ExtraSelection()
            cur = QTextCursor(doc)
            cur.setPosition(to_qt(s))
            cur.setPosition(to_qt(e), QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cur
            sel.format = fmt
            selections.append(sel)
        view.setExtraSelections(selections)
        return selections
