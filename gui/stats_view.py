"""Who is quoted, drawn: a QPainter bar chart of speakers by quotes or words, the quote-type
shares, a document/corpus scope switch, and PNG/CSV export.

Integration (main window)::

    stats = StatsView()
    dock = QDockWidget("Who is quoted"); dock.setWidget(stats); window.addDockWidget(Qt.RightDockWidgetArea, dock)
    stats.set_corpus(panel.corpus)            # after CorpusPanel.open_corpus / corpusOpened
    stats.set_document(doc)                   # whenever the shown document changes or is edited
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter, QPalette
from PySide6.QtWidgets import (QComboBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QScrollArea,
                               QSizePolicy, QVBoxLayout, QWidget)

from quotedesk.core.atomic import atomic_write_bytes
from quotedesk.core.model import QUOTE_TYPES
from quotedesk.core.stats import SpeakerRow, speaker_stats, to_csv, type_counts_of_rows

from . import export_dialog

# Okabe-Ito: direct, mixed, indirect, unknown; the legend names each, so colour is never alone.
TYPE_COLOURS = {"direct": "#0072B2", "mixed": "#E69F00", "indirect": "#009E73", "unknown": "#999999"}
BAR_COLOUR = "#0072B2"
SCOPES = (("document", "This document"), ("corpus", "Whole corpus"))
METRICS = (("quotes", "Quotes"), ("words", "Words quoted"))


@dataclass
class Bar:
    label: str
    value: int
    rect: QRectF  # where the bar is drawn, in chart coordinates


class QuoteChart(QWidget):
    """The painted chart: a title, one stacked bar of type shares with its legend, then one
    horizontal bar per speaker.  The same ``paint`` draws the widget and the exported image."""

    ROW = 22
    PAD = 8
    MAX_BARS = 30

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[SpeakerRow] = []
        self.counts: dict[str, int] = {t: 0 for t in QUOTE_TYPES}
        self.measure = "quotes"
        self.title = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    def set_data(self, rows: list[SpeakerRow], counts: dict[str, int], metric: str, title: str) -> None:
        self.rows, self.counts, self.measure, self.title = rows, counts, metric, title
        self.updateGeometry()
        self.update()

    def shown_rows(self) -> list[SpeakerRow]:
        if self.measure == "quotes":
            rows = sorted(self.rows, key=lambda r: (-r.quotes, -r.words, r.speaker.casefold()))
        else:
            rows = sorted(self.rows, key=lambda r: (-r.words, -r.quotes, r.speaker.casefold()))
        return rows[:self.MAX_BARS]

    def _header_height(self) -> int:
        fm = QFontMetrics(self.font())
        return self.PAD + fm.height() + self.PAD + 14 + 4 + fm.height() + self.PAD

    def content_height(self) -> int:
        n = max(1, len(self.shown_rows()))
        extra = 1 if len(self.rows) > self.MAX_BARS else 0
        return self._header_height() + (n + extra) * self.ROW + self.PAD

    def sizeHint(self) -> QSize:
        return QSize(360, self.content_height())

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.content_height())

    def bars(self, width: int | None = None) -> list[Bar]:
        """The speaker bars as laid out at ``width`` (default: the widget's width)."""
        width = width or self.width()
        fm = QFontMetrics(self.font())
        rows = self.shown_rows()
        if not rows:
            return []
        values = [r.quotes if self.measure == "quotes" else r.words for r in rows]
        label_w = min(max(fm.horizontalAdvance(r.speaker) for r in rows) + 2 * self.PAD + 2, width // 3)
        value_w = fm.horizontalAdvance(str(max(values))) + self.PAD
        x0 = self.PAD + label_w
        span = max(1, width - x0 - value_w - self.PAD)
        top = self._header_height()
        biggest = max(values) or 1
        out = []
        for i, (r, v) in enumerate(zip(rows, values)):
            y = top + i * self.ROW
            out.append(Bar(r.speaker, v, QRectF(x0, y + 3, max(1.0, span * v / biggest) if v else 0.0,
                                                self.ROW - 6)))
        return out

    def share_rects(self, width: int | None = None) -> dict[str, QRectF]:
        """The stacked type-share bar's segments, by type (zero-width types left out)."""
        width = width or self.width()
        fm = QFontMetrics(self.font())
        total = sum(self.counts.values())
        y = self.PAD + fm.height() + self.PAD
        x, full = float(self.PAD), float(width - 2 * self.PAD)
        out = {}
        for t in QUOTE_TYPES:
            n = self.counts.get(t, 0)
            if total and n:
                w = full * n / total
                out[t] = QRectF(x, y, w, 14)
                x += w
        return out

    def paint(self, p: QPainter, width: int, height: int) -> None:
        pal = self.palette()
        p.fillRect(0, 0, width, height, pal.color(QPalette.ColorRole.Base))
        text = pal.color(QPalette.ColorRole.Text)
        fm = QFontMetrics(self.font())
        p.setFont(self.font())
        p.setPen(text)
        p.drawText(QRectF(self.PAD, self.PAD, width - 2 * self.PAD, fm.height()),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.title)
        total = sum(self.counts.values())
        for t, r in self.share_rects(width).items():
            p.fillRect(r, QColor(TYPE_COLOURS[t]))
        y = self.PAD + fm.height() + self.PAD + 14 + 4
        x = float(self.PAD)
        for t in QUOTE_TYPES:
            n = self.counts.get(t, 0)
            if t == "unknown" and not n:
                continue
            label = f"{t} {round(100 * n / total) if total else 0}%"
            p.fillRect(QRectF(x, y + fm.height() / 2 - 4, 8, 8), QColor(TYPE_COLOURS[t]))
            p.setPen(text)
            p.drawText(QRectF(x + 11, y, fm.horizontalAdvance(label) + 2, fm.height()),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
            x += 11 + fm.horizontalAdvance(label) + 14
        bars = self.bars(width)
        if not bars:
            p.setPen(pal.color(QPalette.ColorRole.PlaceholderText))
            p.drawText(QRectF(self.PAD, self._header_height(), width - 2 * self.PAD, self.ROW),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, "No quotes yet")
            return
        colour = QColor(BAR_COLOUR)
        for b in bars:
            label_rect = QRectF(self.PAD, b.rect.top() - 3, b.rect.left() - 2 * self.PAD, self.ROW)
            p.setPen(text)
            p.drawText(label_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       fm.elidedText(b.label, Qt.TextElideMode.ElideRight, int(label_rect.width())))
            p.fillRect(b.rect, colour)
            p.drawText(QRectF(b.rect.right() + 4, b.rect.top() - 3, width, self.ROW),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, str(b.value))
        if len(self.rows) > len(bars):
            p.setPen(pal.color(QPalette.ColorRole.PlaceholderText))
            y = bars[-1].rect.top() - 3 + self.ROW
            p.drawText(QRectF(self.PAD, y, width - 2 * self.PAD, self.ROW),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       f"… and {len(self.rows) - len(bars)} more speakers (all are in the CSV)")

    def paintEvent(self, event):
        p = QPainter(self)
        try:
            self.paint(p, self.width(), self.height())
        finally:
            p.end()

    def to_image(self, width: int | None = None) -> QImage:
        """The whole chart, however long (the widget may be scrolled), as an image."""
        width = width or max(self.width(), 480)
        img = QImage(width, self.content_height(), QImage.Format.Format_ARGB32)
        img.fill(self.palette().color(QPalette.ColorRole.Base))
        p = QPainter(img)
        try:
            p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            self.paint(p, width, self.content_height())
        finally:
            p.end()
        return img


class StatsView(QWidget):
    """Speakers by quotes (or words) for the shown document or the whole corpus.  The corpus
    scope reads the per-document summaries the corpus keeps (no document is loaded); call
    ``refresh()`` after a save or a batch to show them."""

    exported = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("StatsView")
        self._doc = None
        self._corpus = None
        self._corpus_docs = None  # documents in memory as the corpus scope, when there is no Corpus
        self.rows: list[SpeakerRow] = []

        self.scope_combo = QComboBox()
        self.scope_combo.setObjectName("scope")
        for key, label in SCOPES:
            self.scope_combo.addItem(label, key)
        self.metric_combo = QComboBox()
        self.metric_combo.setObjectName("metric")
        for key, label in METRICS:
            self.metric_combo.addItem(label, key)
        self.png_button = QPushButton("Export PNG…")
        self.csv_button = QPushButton("Export CSV…")
        self.chart = QuoteChart()
        self.chart.setObjectName("quoteChart")
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.chart)
        self.note = QLabel("")
        self.note.setObjectName("statsNote")

        top = QHBoxLayout()
        top.addWidget(self.scope_combo)
        top.addWidget(self.metric_combo)
        top.addStretch(1)
        top.addWidget(self.png_button)
        top.addWidget(self.csv_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.note)

        self.scope_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.metric_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.png_button.clicked.connect(self._ask_png)
        self.csv_button.clicked.connect(self._ask_csv)
        self.refresh()

    # -- inputs ----------------------------------------------------------------------------
    def set_document(self, doc) -> None:
        self._doc = doc
        if self.scope() == "document":
            self.refresh()

    def set_corpus(self, corpus) -> None:
        """A core.corpus.Corpus (its saved annotations are the corpus scope), or None."""
        self._corpus = corpus
        self._corpus_docs = None
        if self.scope() == "corpus":
            self.refresh()

    def set_corpus_documents(self, docs) -> None:
        """The corpus scope from documents already in memory (instead of loading them)."""
        self._corpus = None
        self._corpus_docs = list(docs)
        if self.scope() == "corpus":
            self.refresh()

    def scope(self) -> str:
        return self.scope_combo.currentData()

    def set_scope(self, scope: str) -> None:
        self.scope_combo.setCurrentIndex([k for k, _ in SCOPES].index(scope))

    def measure(self) -> str:
        # Not "metric": that name is QWidget's paint-device query, which Qt calls while painting.
        return self.metric_combo.currentData()

    def set_metric(self, metric: str) -> None:
        self.metric_combo.setCurrentIndex([k for k, _ in METRICS].index(metric))

    # -- computing -------------------------------------------------------------------------
    def _corpus_rows(self) -> tuple[list[SpeakerRow], int]:
        if self._corpus is not None:
            # Summaries kept in project.json: no document is loaded, so this is instant.
            counts = self._corpus.counts()
            return self._corpus.speaker_rows(current=self._doc), len(self._corpus) - counts["new"]
        docs = list(self._corpus_docs or [])
        if self._doc is not None:
            docs = [self._doc if d.id == self._doc.id else d for d in docs]
        return speaker_stats(docs), len(docs)

    def refresh(self) -> None:
        if self.scope() == "document":
            self.rows = speaker_stats([self._doc]) if self._doc is not None else []
        else:
            self.rows, ndocs = self._corpus_rows()
        counts = type_counts_of_rows(self.rows)
        n = sum(counts.values())
        if self.scope() == "document":
            title = f"{self._doc.id}: {n} quotes" if self._doc is not None else "No document"
        else:
            title = f"Corpus: {n} quotes in {ndocs} annotated documents"
        metric_label = dict(METRICS)[self.measure()]
        self.chart.set_data(self.rows, counts, self.measure(), f"{title} (speakers by {metric_label.lower()})")
        self.note.setText(f"{len(self.rows)} speakers")

    # -- export ----------------------------------------------------------------------------
    def export_png(self, path) -> Path:
        path = Path(path)
        # Encoded in memory, then written atomically: an interrupted export leaves no half a PNG.
        buf = QBuffer()
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        if not self.chart.to_image().save(buf, "PNG"):
            raise OSError(f"could not encode the chart as PNG for {path}")
        atomic_write_bytes(path, bytes(buf.data()))
        self.exported.emit(str(path))
        return path

    def export_csv(self, path) -> Path:
        path = Path(path)
        to_csv(self.rows, path)
        self.exported.emit(str(path))
        return path

    def _ask_png(self):
        path, _ = QFileDialog.getSaveFileName(self, "Export chart", "speakers.png", "PNG image (*.png)")
        if path:
            self._export(self.export_png, path)

    def _ask_csv(self):
        path, _ = QFileDialog.getSaveFileName(self, "Export speakers", "speakers.csv", "CSV (*.csv)")
        if path:
            self._export(self.export_csv, path)

    def _export(self, write, path: str) -> None:
        # A button's slot: an error raised here would only reach the console, and the user would
        # believe the file was written.
        try:
            write(path)
        except OSError as e:
            export_dialog.show_error(self, "Export failed", f"Could not write {path}:\n{e.strerror or e}")
