"""The agreement report window: summary scores of two annotation sets and a filterable list of
their disagreements, each one a jump to its document and span.

Side ``a`` is the reference (``core.evaluation`` scores ``b`` against it); the labels only name them.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QFileDialog, QHBoxLayout, QHeaderView,
                               QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from quotedesk.core.atomic import atomic_write_text
from quotedesk.core.evaluation import KINDS, Comparison, compare_corpora, compare_documents, format_report
from quotedesk.core.model import Document

from . import export_dialog

KIND_NAMES = {"quote": "Quotes", "mention": "Speaker mentions", "cue": "Cues"}
KIND_SINGULAR = {"quote": "quote", "mention": "speaker mention", "cue": "cue"}
# (header, path into a kind's summary); "{a}"/"{b}" become the sides' labels.
SUMMARY_COLUMNS = (
    ("P exact", ("exact", "P")), ("R exact", ("exact", "R")), ("F1 exact", ("exact", "F1")),
    ("P overlap", ("overlap", "P")), ("R overlap", ("overlap", "R")), ("F1 overlap", ("overlap", "F1")),
    ("Agreement F1", ("agreement_f1",)), ("Token κ", ("token_kappa",)),
    ("n {a}", ("exact", "n_gold")), ("n {b}", ("exact", "n_pred")),
)
DIS_COLUMNS = ("Document", "Kind", "{a} span", "{b} span", "What differs")
VALUE_ROLE = Qt.ItemDataRole.UserRole  # the unrounded number behind a summary cell
SNIPPET = 90


class EvalReportDialog(QDialog):
    """Non-modal. ``jumpRequested(doc_id, start, end)`` and ``spanRequested(doc_id, kind, start,
    end)`` fire when a disagreement is activated (double-click or Enter); the span is side a's,
    or side b's when only b has it. With ``recompute`` (``from_documents`` gives one) the report
    can be compared again after corrections (F5)."""

    jumpRequested = Signal(str, int, int)
    spanRequested = Signal(str, str, int, int)

    def __init__(self, result: dict | Comparison, texts: Mapping[str, str] | None = None,
                 label_a: str = "A", label_b: str = "B", parent: QWidget | None = None, notes: str = "",
                 recompute: Callable[[], tuple[dict | Comparison, Mapping[str, str]]] | None = None):
        super().__init__(parent)
        self.label_a, self.label_b = label_a, label_b
        self.notes = notes
        self.recompute = recompute
        self.setModal(False)
        self.setWindowTitle(f"Agreement: {label_a} vs {label_b}")
        self._build()
        self.set_result(result, texts)
        self.resize(1000, 640)

    # -- construction --------------------------------------------------------------------------
    @classmethod
    def from_documents(cls, a: Mapping[str, Document] | Document, b: Mapping[str, Document] | Document,
                       label_a: str = "A", label_b: str = "B", parent: QWidget | None = None,
                       notes: str = "") -> EvalReportDialog:
        """Compare two sets (id -> Document) or two Documents; raises ValueError when a pair's texts
        differ. "Compare again" re-reads the same Document objects, so it sees edits made in place."""
        def compute():
            if isinstance(a, Document):
                return compare_documents(a, b), {a.id: a.article}
            return compare_corpora(dict(a), dict(b)), {i: d.article for i, d in a.items()}
        return cls(*compute(), label_a, label_b, parent, notes, recompute=compute)

    def _build(self) -> None:
        self.head = QLabel(self)
        self.head.setObjectName("eval_head")
        self.head.setWordWrap(True)

        self.summary = QTableWidget(len(KINDS), len(SUMMARY_COLUMNS), self)
        self.summary.setObjectName("eval_summary")
        self.summary.setHorizontalHeaderLabels([self._sides(h) for h, _ in SUMMARY_COLUMNS])
        self.summary.setVerticalHeaderLabels([KIND_NAMES[k] for k in KINDS])
        self.summary.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Three rows: the table should not take space from the disagreements list.
        self.summary.setMaximumHeight(self.summary.horizontalHeader().sizeHint().height()
                                      + 3 * self.summary.verticalHeader().defaultSectionSize() + 6)

        self.kind_filter = QComboBox(self)
        self.kind_filter.setObjectName("eval_kind_filter")
        self.kind_filter.addItem("All kinds", None)
        for kind in KINDS:
            self.kind_filter.addItem(KIND_NAMES[kind], kind)
        self.kind_filter.currentIndexChanged.connect(self._apply_filter)
        self.shown_label = QLabel(self)

        self.table = QTableWidget(0, len(DIS_COLUMNS), self)
        self.table.setObjectName("eval_disagreements")
        self.table.setHorizontalHeaderLabels([self._sides(h) for h in DIS_COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        # activated = double-click, or Enter/Return on the current row (the view emits it for both).
        self.table.activated.connect(lambda index: self.activate_row(index.row()))

        self.again_button = QPushButton("Compare &again", self)
        self.again_button.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.again_button.setToolTip("Recompute after corrections (F5)")
        self.again_button.clicked.connect(lambda: self.compare_again())
        self.again_button.setVisible(self.recompute is not None)
        self.copy_button = QPushButton("&Copy as text", self)
        self.copy_button.clicked.connect(lambda: self.copy_as_text())
        self.csv_button = QPushButton("&Export CSV…", self)
        self.csv_button.setToolTip("Save the disagreements shown (after the kind filter) as CSV")
        self.csv_button.clicked.connect(lambda: self.export_csv())
        self.close_button = QPushButton("Close", self)
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.again_button, self.copy_button, self.csv_button, self.close_button):
            # Enter on a row must jump, not press whichever button the dialog made default.
            b.setAutoDefault(False)
            b.setDefault(False)
            buttons.addWidget(b)

        filters = QHBoxLayout()
        filters.addWidget(QLabel("Disagreements:", self))
        filters.addWidget(self.kind_filter)
        filters.addWidget(self.shown_label, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.head)
        layout.addWidget(self.summary)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def set_result(self, result: dict | Comparison, texts: Mapping[str, str] | None = None) -> None:
        """Show ``result`` (compare_corpora's dict or a Comparison); ``texts`` maps doc id -> article."""
        self.result = r = result.summary() if isinstance(result, Comparison) else result
        self.texts = dict(texts or {})
        self.disagreements: list[dict] = list(r["disagreements"])
        self.head.setText(
            f"{r['docs']} document(s) compared; reference: {self.label_a}, compared: {self.label_b}"
            + (f"; {r['docs_missing_in_b']} not annotated in {self.label_b}" if r["docs_missing_in_b"] else "")
            + f".\nMatched quotes: {r['matched_quotes']}; same speaker: {r['speaker_acc']:.3f}; "
            f"same type: {r['type_acc']:.3f}." + (f"\n{self.notes}" if self.notes else ""))
        for row, kind in enumerate(KINDS):
            for col, (_, path) in enumerate(SUMMARY_COLUMNS):
                value = r[kind]
                for key in path:
                    value = value[key]
                item = QTableWidgetItem(str(value) if isinstance(value, int) else f"{value:.3f}")
                item.setData(VALUE_ROLE, value)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.summary.setItem(row, col, item)
        self.summary.resizeColumnsToContents()
        self.kind_filter.setItemText(0, f"All kinds ({len(self.disagreements)})")
        for i, kind in enumerate(KINDS, 1):
            n = sum(d["kind"] == kind for d in self.disagreements)
            self.kind_filter.setItemText(i, f"{KIND_NAMES[kind]} ({n})")
        self._fill_table()
        self._apply_filter()
        # Focus on the list so Enter jumps at once.
        self.table.setFocus()

    def compare_again(self) -> bool:
        """Recompute with ``recompute``; a failure (texts no longer the same) is shown, not raised."""
        if self.recompute is None:
            return False
        try:
            with export_dialog.busy_cursor():
                self.set_result(*self.recompute())
        except ValueError as e:
            export_dialog.show_error(self, "Compare again", str(e))
            return False
        return True

    def _sides(self, header: str) -> str:
        return header.format(a=self.label_a, b=self.label_b)

    def _fill_table(self) -> None:
        self.table.setRowCount(len(self.disagreements))
        for row, d in enumerate(self.disagreements):
            cells = (d["doc_id"], KIND_SINGULAR.get(d["kind"], d["kind"]), self.span_text(d, "a"),
                     self.span_text(d, "b"), self.what(d))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(_snippet(text))
                if col in (2, 3):
                    span = d[("a", "b")[col - 2]]
                    item.setToolTip(f"{span[0]}–{span[1]}: {text}" if span else "")
                elif len(text) > SNIPPET:
                    item.setToolTip(text)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        for col in (2, 3):
            self.table.setColumnWidth(col, min(self.table.columnWidth(col), 320))

    # -- what a row shows ----------------------------------------------------------------------
    def span_text(self, d: dict, side: str) -> str:
        span = d[side]
        if span is None:
            return ""
        text = self.texts.get(d["doc_id"])
        if text is None:  # no texts given: the words are known only for the span the result quotes
            return d["text"] if span == (d["a"] or d["b"]) else f"[{span[0]}–{span[1]}]"
        return text[span[0]:span[1]]

    def what(self, d: dict) -> str:
        sides = {"only in a": f"only in {self.label_a}", "only in b": f"only in {self.label_b}"}
        return sides.get(d["what"], d["what"])

    def visible_rows(self) -> list[int]:
        return [r for r in range(self.table.rowCount()) if not self.table.isRowHidden(r)]

    def _apply_filter(self, *_) -> None:
        kind = self.kind_filter.currentData()
        for row, d in enumerate(self.disagreements):
            self.table.setRowHidden(row, kind is not None and d["kind"] != kind)
        visible = self.visible_rows()
        self.shown_label.setText(f"showing {len(visible)} of {len(self.disagreements)}; "
                                 "double-click or Enter jumps to the span")
        # Enter must never act on a row the filter hides.
        if visible and self.table.currentRow() not in visible:
            self.table.setCurrentCell(visible[0], 0)

    # -- commands -------------------------------------------------------------------------------
    def activate_row(self, row: int) -> None:
        if not 0 <= row < len(self.disagreements):
            return
        d = self.disagreements[row]
        start, end = d["a"] or d["b"]
        self.jumpRequested.emit(d["doc_id"], start, end)
        self.spanRequested.emit(d["doc_id"], d["kind"], start, end)

    def report_text(self) -> str:
        return (f"a = {self.label_a}, b = {self.label_b}\n"
                + format_report(self.result, max_disagreements=len(self.disagreements)))

    def copy_as_text(self) -> None:
        QGuiApplication.clipboard().setText(self.report_text())

    def export_csv(self, path: str | None = None) -> str | None:
        """Write the shown disagreements to ``path`` (asked when None); the path, or None."""
        if not path:
            path = ask_csv_path(self)
            if not path:
                return None
        try:
            write_disagreements_csv(path, [self.disagreements[r] for r in self.visible_rows()], self)
        except OSError as e:
            export_dialog.show_error(self, "Export CSV failed", f"Could not write {path}:\n{e.strerror or e}")
            return None
        return path


def write_disagreements_csv(path, rows: list[dict], dialog: EvalReportDialog) -> None:
    """One row a disagreement with both spans' offsets and words, UTF-8 with a BOM for spreadsheets,
    written atomically."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf)
    w.writerow(["document", "kind", "what", f"{dialog.label_a}_start", f"{dialog.label_a}_end",
                f"{dialog.label_a}_text", f"{dialog.label_b}_start", f"{dialog.label_b}_end",
                f"{dialog.label_b}_text"])
    for d in rows:
        a, b = d["a"] or ("", ""), d["b"] or ("", "")
        w.writerow([d["doc_id"], d["kind"], dialog.what(d), a[0], a[1], dialog.span_text(d, "a"),
                    b[0], b[1], dialog.span_text(d, "b")])
    atomic_write_text(path, "\ufeff" + buf.getvalue())


def ask_csv_path(parent: QWidget | None) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, "Export disagreements", "disagreements.csv", "CSV (*.csv)")
    if path and not path.lower().endswith(".csv"):
        path += ".csv"
    return path or None


def _snippet(text: str) -> str:
    words = " ".join(text.split())
    return words if len(words) <= SNIPPET else words[:SNIPPET - 1] + "…"


# -- jumping in the review window -------------------------------------------------------------------

def show_span(window, kind: str, start: int, end: int) -> str | None:
    """In a review window already showing the disagreement's document: select its ``kind`` span at
    ``start``-``end`` (or the one overlapping it most, as edits may have moved it) and return its id.
    With no such span, select the words in the article instead so Q / S / C can mark them."""
    doc = window.doc
    if doc is None:
        return None
    pool = {"quote": doc.quotes, "mention": doc.mentions, "cue": doc.cues}.get(kind) or {}
    best = max(((min(o.end, end) - max(o.start, start), -abs(o.start - start) - abs(o.end - end), o.id)
                for o in pool.values()), default=None)
    if best is not None and best[0] > 0:
        window.select(kind, best[2])
        return best[2]
    window.select(None)
    end = min(end, len(doc.article))
    window.article_view.reveal(start, end)
    window.article_view.select_range(start, end)
    window.article_view.setFocus()
    return None


# -- comparing the window's documents with a file ------------------------------------------------

def pair_documents(current: Mapping[str, Document], other: list[Document]) -> tuple[dict, list[str]]:
    """``other`` keyed by the ids of ``current``: the same id with the same text, else the same
    text under another id (a file exported elsewhere may rename documents). Also the ids not paired."""
    by_text = {d.article: i for i, d in current.items()}
    paired, unpaired = {}, []
    for d in other:
        here = current.get(d.id)
        if here is not None and here.article == d.article and d.id not in paired:
            paired[d.id] = d
        elif d.article in by_text and by_text[d.article] not in paired:
            paired[by_text[d.article]] = d
        else:
            unpaired.append(d.id)
    return paired, unpaired


def choose_and_compare(parent: QWidget | None, current_docs: Mapping[str, Document], path: str | None = None,
                       label_a: str = "this window", label_b: str | None = None) -> EvalReportDialog | None:
    """Ask for another annotation set (unless ``path``), compare the documents both hold with
    ``current_docs`` (the reference, side a) and show the report; None when cancelled or nothing pairs."""
    fmt = None
    if path is None:
        picked = export_dialog.pick_annotation_set(parent, "Compare with annotation set")
        if picked is None:
            return None
        path, fmt = picked
    others = export_dialog.import_documents(parent, path, fmt)
    if not others:
        return None
    label_b = label_b or Path(path).name or "other"
    paired, unpaired = pair_documents(current_docs, others)
    if not paired:
        export_dialog.show_error(parent, "Compare annotations",
                                 f"None of the {len(others)} document(s) read matches a document here "
                                 "(same id or same article text).")
        return None
    notes = []
    if unpaired:
        notes.append(f"{len(unpaired)} document(s) of {label_b} have no counterpart here: "
                     + ", ".join(unpaired[:5]) + (" …" if len(unpaired) > 5 else ""))
    # Documents the other set does not hold are left out rather than scored as unannotated there.
    left_out = len(current_docs) - len(paired)
    if left_out:
        notes.append(f"{left_out} document(s) here are not in {label_b} and were left out.")
    a = {i: current_docs[i] for i in paired}
    try:
        with export_dialog.busy_cursor():
            dialog = EvalReportDialog.from_documents(a, paired, label_a, label_b, parent, "\n".join(notes))
    except ValueError as e:
        export_dialog.show_error(parent, "Compare annotations", str(e))
        return None
    dialog.show()
    return dialog
