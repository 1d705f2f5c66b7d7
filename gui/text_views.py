"""The two read-only text views: the raw page and the article, addressed in Python indices."""
from __future__ import annotations

from PySide6.QtCore import QByteArray, QCoreApplication, QEvent, QMimeData, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QTextCursor, QTextDocument
from PySide6.QtWidgets import QPlainTextDocumentLayout, QPlainTextEdit, QToolTip

from .offsets import OffsetMap, display_text

# How close (pixels) a press must be to a span boundary to start dragging it.
BOUNDARY_GRIP_PX = 5
# Marks a drag that started in one of our own text views: the window never opens it as a page.
OWN_SELECTION_MIME = "application/x-quotedesk-selection"


# Characters a worker inserts into a document per call (about 20 ms each).
PREPARE_SLICE = 200_000


class PreparedText:
    """A long text put into a QTextDocument off the UI thread (a 50 MB page takes seconds to
    insert), with its offset map; a view adopts it in a moment with ``set_text(text, prepared)``.
    Built in a worker thread, the document is handed to the application's thread at the end."""

    def __init__(self, text: str, font_family: str, font_size: int):
        self.offsets = OffsetMap(text)
        doc = QTextDocument()
        doc.setUndoRedoEnabled(False)
        doc.setDocumentLayout(QPlainTextDocumentLayout(doc))
        doc.setDefaultFont(QFont(font_family, font_size))
        # In slices: one setPlainText of 50 MB holds the GIL for seconds (the window froze as if
        # the work ran on its thread); between slices the UI thread gets its turn.
        cursor = QTextCursor(doc)
        shown = display_text(text)
        for i in range(0, len(shown), PREPARE_SLICE):
            cursor.insertText(shown[i:i + PREPARE_SLICE])
        app = QCoreApplication.instance()
        if app is not None:
            doc.moveToThread(app.thread())
        self.document = doc

    def fits(self, text: str) -> bool:
        return self.offsets.length == len(text) and self.document.characterCount() - 1 == self.offsets.qt_length


class SpanTextView(QPlainTextEdit):
    """A read-only QPlainTextEdit whose public API speaks Python indices into its text."""

    clicked = Signal(int, object)  # offset, Qt.KeyboardModifiers: a click that selected no text
    double_clicked = Signal(int, object)  # offset, modifiers of a left double-click (the word is selected first)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.offsets = OffsetMap("")
        self.tooltip_provider = None  # callable(offset) -> str | None
        self._press_pos: QPoint | None = None
        # True when the last mouse selection was finished with Alt held: keep its exact characters
        # (otherwise marking snaps it to whole words).
        self.exact_selection = False

    def createMimeDataFromSelection(self) -> QMimeData:
        # Qt's own selection data lists a fixed set of formats: copy its text into one that can
        # carry our tag.
        own = super().createMimeDataFromSelection()
        md = QMimeData()
        md.setText(own.text())
        md.setData(OWN_SELECTION_MIME, QByteArray(b"1"))
        return md

    def mousePressEvent(self, ev):
        if ev.button() == Qt.MouseButton.LeftButton:
            self._press_pos = ev.position().toPoint()
        super().mousePressEvent(ev)

    def mouseReleaseEvent(self, ev):
        super().mouseReleaseEvent(ev)
        press, self._press_pos = self._press_pos, None
        pos = ev.position().toPoint()
        if ev.button() == Qt.MouseButton.LeftButton:
            self.exact_selection = bool(ev.modifiers() & Qt.KeyboardModifier.AltModifier)
        if ev.button() == Qt.MouseButton.LeftButton and press is not None \
                and (press - pos).manhattanLength() < 4 and not self.textCursor().hasSelection():
            self.clicked.emit(self.offset_at(pos), ev.modifiers())

    def keyPressEvent(self, ev):
        # A selection made or changed with the keyboard is snapped to words again when marked
        # (the window's shortcuts never get here; Shift+arrows and the like do).
        self.exact_selection = False
        super().keyPressEvent(ev)

    def mouseDoubleClickEvent(self, ev):
        super().mouseDoubleClickEvent(ev)
        if ev.button() == Qt.MouseButton.LeftButton:
            self.double_clicked.emit(self.offset_at(ev.position().toPoint()), ev.modifiers())

    def set_text(self, text: str, prepared: PreparedText | None = None) -> None:
        """Shows ``text``; ``prepared`` is the same text already laid into a document by a worker."""
        if prepared is not None and prepared.fits(text):
            doc = prepared.document
            doc.setParent(self)  # the view's own earlier document is deleted by setDocument
            doc.setDefaultFont(self.font())  # a no-op when the worker used the view's font
            self.setDocument(doc)
            self.offsets = prepared.offsets
            return
        self.offsets = OffsetMap(text)
        self.setPlainText(display_text(text))

    def offset_at(self, point: QPoint) -> int:
        return self.offsets.from_qt(self.cursorForPosition(point).position())

    def selected_range(self) -> tuple[int, int]:
        cur = self.textCursor()
        return self.offsets.from_qt(cur.selectionStart()), self.offsets.from_qt(cur.selectionEnd())

    def select_range(self, start: int, end: int) -> None:
        cur = QTextCursor(self.document())
        cur.setPosition(self.offsets.to_qt(start))
        cur.setPosition(self.offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cur)

    def reveal(self, start: int, end: int) -> None:
        """Scrolls so that the span is in view (centred when it was off screen), without selecting."""
        cur = QTextCursor(self.document())
        cur.setPosition(self.offsets.to_qt(end))
        self.setTextCursor(cur)
        cur.setPosition(self.offsets.to_qt(start))
        self.setTextCursor(cur)
        rect = self.cursorRect()
        if not self.viewport().rect().adjusted(0, 20, 0, -20).contains(rect):
            self.centerCursor()

    def span_rects(self, start: int, end: int) -> list[QRectF]:
        """Viewport rectangles covering a span (one per visual line), for the visible blocks only."""
        out: list[QRectF] = []
        if start >= end:
            return out
        qs, qe = self.offsets.to_qt(start), self.offsets.to_qt(end)
        doc = self.document()
        block = doc.findBlock(qs)
        offset = self.contentOffset()
        height = self.viewport().height()
        while block.isValid() and block.position() < qe:
            geo = self.blockBoundingGeometry(block).translated(offset)
            if geo.top() > height:
                break
            if block.isVisible() and geo.bottom() >= 0:
                layout = block.layout()
                bpos = block.position()
                for i in range(layout.lineCount()):
                    line = layout.lineAt(i)
                    ls, le = bpos + line.textStart(), bpos + line.textStart() + line.textLength()
                    s, e = max(qs, ls), min(qe, le)
                    if s >= e:
                        continue
                    x1, _ = line.cursorToX(s - bpos)
                    x2, _ = line.cursorToX(e - bpos)
                    r = line.rect()
                    out.append(QRectF(geo.left() + x1, geo.top() + r.top(), max(1.0, x2 - x1), r.height()))
            block = block.next()
        return out

    def event(self, ev):
        if ev.type() == QEvent.Type.ToolTip and self.tooltip_provider is not None:
            text = self.tooltip_provider(self.offset_at(ev.pos()))
            if text:
                QToolTip.showText(ev.globalPos(), text, self)
            else:
                QToolTip.hideText()
                ev.ignore()
            return True
        return super().event(ev)


class RawView(SpanTextView):
    """The raw page, boilerplate dimmed."""


class ArticleView(SpanTextView):
    """The article text; draws the selected quote's links and lets its boundaries be dragged."""

    boundary_dropped = Signal(str, int, object)  # "start" | "end", new offset, Qt.KeyboardModifiers
    context_requested = Signal(int, QPoint)  # offset, global position

    def __init__(self, parent=None):
        super().__init__(parent)
        self.active_span: tuple[int, int] | None = None  # the selected annotation's span
        # (start, end, colour) spans to outline and the link from quote to speaker and cue
        self.outlines: list[tuple[int, int, QColor]] = []
        self.link_from: int | None = None
        self._drag_side: str | None = None
        self._drag_offset: int | None = None

    # -- boundary dragging ---------------------------------------------------------------
    def _boundary_at(self, pos: QPoint) -> str | None:
        if self.active_span is None:
            return None
        for side, off in (("start", self.active_span[0]), ("end", self.active_span[1])):
            cur = QTextCursor(self.document())
            cur.setPosition(self.offsets.to_qt(off))
            r = self.cursorRect(cur)
            if abs(pos.x() - r.x()) <= BOUNDARY_GRIP_PX and r.top() - 2 <= pos.y() <= r.bottom() + 2:
                return side
        return None

    def mousePressEvent(self, ev):
        if ev.button() == Qt.MouseButton.LeftButton:
            side = self._boundary_at(ev.position().toPoint())
            if side:
                self._drag_side = side
                self._drag_offset = None
                ev.accept()
                return
        super().mousePressEvent(ev)

    def mouseMoveEvent(self, ev):
        pos = ev.position().toPoint()
        if self._drag_side:
            self._drag_offset = self.offset_at(pos)
            self.viewport().update()
            ev.accept()
            return
        if self._boundary_at(pos):
            self.viewport().setCursor(Qt.CursorShape.SizeHorCursor)
        else:
            self.viewport().setCursor(Qt.CursorShape.IBeamCursor)
        super().mouseMoveEvent(ev)

    def mouseReleaseEvent(self, ev):
        if self._drag_side:
            side, offset = self._drag_side, self.offset_at(ev.position().toPoint())
            self._drag_side = None
            self._drag_offset = None
            self.viewport().update()
            self.boundary_dropped.emit(side, offset, ev.modifiers())
            ev.accept()
            return
        super().mouseReleaseEvent(ev)

    def contextMenuEvent(self, ev):
        self.context_requested.emit(self.offset_at(ev.pos()), ev.globalPos())

    # -- links for the selected quote only ------------------------------------------------
    def set_links(self, active_span, outlines, link_from) -> None:
        """Sets the selected span, the spans to outline and the quote the link curves start at;
        repaints only the area the old and new links cover."""
        new = (active_span, list(outlines), link_from)
        old = (self.active_span, self.outlines, self.link_from)
        if new == old:
            return
        dirty = self._links_rect()
        self.active_span, self.outlines, self.link_from = new
        dirty = dirty.united(self._links_rect())
        if not dirty.isNull():
            self.viewport().update(dirty.adjusted(-4, -16, 4, 16).toAlignedRect())

    def _links_rect(self) -> QRectF:
        rect = QRectF()
        spans = [(s, e) for s, e, _ in self.outlines]
        if self.link_from is not None:
            spans.append((self.link_from, self.link_from + 1))
        for s, e in spans:
            for r in self.span_rects(s, e):
                rect = rect.united(r)
        return rect

    def paintEvent(self, ev):
        super().paintEvent(ev)
        if not self.outlines and self._drag_offset is None:
            return
        p = QPainter(self.viewport())
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        first_rects = []
        for start, end, colour in self.outlines:
            rects = self.span_rects(start, end)
            p.setPen(QPen(colour, 1.6))
            p.setBrush(Qt.BrushStyle.NoBrush)
            for r in rects:
                p.drawRoundedRect(r.adjusted(-1.5, -0.5, 1.5, 0.5), 3, 3)
            first_rects.append(rects[0] if rects else None)
        if self.link_from is not None and self.outlines:
            src = self.span_rects(self.link_from, self.link_from + 1)
            if src:
                a = QPointF(src[0].left(), src[0].top())
                for (start, end, colour), r in zip(self.outlines, first_rects):
                    if r is None:
                        continue
                    b = QPointF(r.center().x(), r.top())
                    lift = min(a.y(), b.y()) - 10
                    if lift < 2:
                        # at the top of the view the arc would be cut off: hang it below the lines
                        a = QPointF(src[0].left(), src[0].bottom())
                        b = QPointF(r.center().x(), r.bottom())
                        lift = max(a.y(), b.y()) + 10
                    path = QPainterPath(a)
                    path.cubicTo(QPointF(a.x(), lift), QPointF(b.x(), lift), b)
                    pen = QPen(colour, 1.2, Qt.PenStyle.DashLine)
                    p.setPen(pen)
                    p.drawPath(path)
        if self._drag_offset is not None:
            cur = QTextCursor(self.document())
            cur.setPosition(self.offsets.to_qt(self._drag_offset))
            r = self.cursorRect(cur)
            p.setPen(QPen(self.palette().text().color(), 2))
            p.drawLine(r.topLeft(), r.bottomLeft())
        p.end()
