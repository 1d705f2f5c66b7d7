"""The corpus panel: the annotators' document list with status, progress, filters, pre-annotation
and "next unreviewed"; a plain QWidget the main window docks.

Integration (main window)::

    panel = CorpusPanel()
    dock = QDockWidget("Corpus"); dock.setWidget(panel); window.addDockWidget(Qt.LeftDockWidgetArea, dock)
    panel.documentActivated.connect(lambda doc_id: window.show_document(panel.corpus.load(doc_id)))
    panel.open_corpus(path)                   # a folder of pages or a JSONL file
    panel.save_document(doc)                  # instead of a plain file save while in corpus mode,
                                              # or, if the window saved to corpus.annotation_path(id)
                                              # itself: panel.sync_document(doc.id)
    menu.addAction(panel.next_action)         # Shift+PgDn, as INCEpTION
"""
from __future__ import annotations

import time

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QProgressBar, QPushButton, QTableView, QVBoxLayout, QWidget)

from quotedesk.core.corpus import Corpus
from quotedesk.core.model import DOC_STATUSES, Document

from .batch_worker import BatchWorker
from .corpus_model import ID_ROLE, STATUS_LABELS, CorpusFilterProxy, CorpusTableModel


class CorpusPanel(QWidget):
    """Signals: ``documentActivated(doc_id)`` when the user opens a document (double-click,
    Enter, Next unreviewed); ``corpusOpened(path)``; ``statusChanged(doc_id, status)``;
    ``batchProgress(done, total)`` and ``batchFinished(BatchResult)`` for a pre-annotation run
    (its ``done`` list names the documents the machine just wrote)."""

    documentActivated = Signal(str)
    corpusOpened = Signal(str)
    statusChanged = Signal(str, str)
    batchProgress = Signal(int, int)
    batchFinished = Signal(object)

    def __init__(self, parent: QWidget | None = None, jobs: int | None = None):
        super().__init__(parent)
        self.setObjectName("CorpusPanel")
        self.jobs = jobs  # worker processes for pre-annotation (None: all cores)
        self.analyzer = None  # None: core.pipeline.analyze (tests may pass a module-level function)
        self._corpus: Corpus | None = None
        self._current: str | None = None
        self._worker: BatchWorker | None = None
        self.last_result = None
        self._last_refresh = 0.0

        self.model = CorpusTableModel(self)
        self.proxy = CorpusFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.summary = QLabel("No corpus open")
        self.summary.setObjectName("corpusSummary")
        # Wrapped, or its one long line would be the list's minimum width and squeeze the article.
        self.summary.setWordWrap(True)
        self.done_bar = QProgressBar()
        self.done_bar.setObjectName("doneProgress")
        self.done_bar.setFormat("%v of %m done")
        self.done_bar.setRange(0, 1)
        self.done_bar.setValue(0)

        self.status_combo = QComboBox()
        self.status_combo.setObjectName("statusFilter")
        self.status_combo.addItem("All statuses", None)
        for s in DOC_STATUSES:
            self.status_combo.addItem(STATUS_LABELS[s], s)
        self.status_combo.setToolTip("Show documents of one status")
        self.text_filter = QLineEdit()
        self.text_filter.setObjectName("textFilter")
        self.text_filter.setPlaceholderText("Filter by id")
        self.text_filter.setClearButtonEnabled(True)

        self.view = QTableView()
        self.view.setObjectName("corpusTable")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        # Corpus ids share long prefixes ("polnear-dev-0012"): cut in the middle, the full id in the tooltip.
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fixed widths from the font, never ResizeToContents: that asks the (Python) model for
        # every row's size on each change, which stalls the window while a batch updates rows.
        fm = self.view.fontMetrics()
        widths = (fm.horizontalAdvance("in review") + 34, fm.horizontalAdvance("Quotes") + 12,
                  fm.horizontalAdvance("Rev.") + 16)
        for col, w in zip((1, 2, 3), widths):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, w)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(fm.height() + 8)
        # Corpus order until the user clicks a header.
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)

        self.batch_bar = QProgressBar()
        self.batch_bar.setObjectName("batchProgress")
        self.batch_bar.setFormat("Pre-annotating %v / %m")
        self.batch_bar.hide()
        self.batch_label = QLabel("")
        self.batch_label.setObjectName("batchMessage")
        self.batch_label.setWordWrap(True)

        # Actions, so the window can also put them in menus and toolbars.
        self.preannotate_action = QAction("Pre-annotate all", self)
        self.preannotate_action.setToolTip("Let the machine suggest quotes in every new document "
                                           "(documents a person has worked on are never touched)")
        self.cancel_action = QAction("Cancel", self)
        self.cancel_action.setToolTip("Stop pre-annotating; finished documents are kept")
        self.next_action = QAction("Next unreviewed", self)
        self.next_action.setShortcut(QKeySequence(Qt.KeyboardModifier.ShiftModifier | Qt.Key.Key_PageDown))
        self.next_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.next_action.setToolTip("Open the next document not yet reviewed (Shift+PgDn)")
        self.addAction(self.next_action)
        self.preannotate_action.triggered.connect(lambda: self.preannotate())
        self.cancel_action.triggered.connect(self.cancel_batch)
        self.next_action.triggered.connect(self.next_unreviewed)

        self.preannotate_button = self._button(self.preannotate_action, "preannotateButton")
        self.cancel_button = self._button(self.cancel_action, "cancelButton")
        self.next_button = self._button(self.next_action, "nextButton")

        filters = QHBoxLayout()
        filters.addWidget(self.status_combo)
        filters.addWidget(self.text_filter, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preannotate_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.done_bar)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.batch_bar)
        layout.addWidget(self.batch_label)

        self.status_combo.currentIndexChanged.connect(
            lambda _i: self.proxy.set_status_filter(self.status_combo.currentData()))
        self.text_filter.textChanged.connect(self.proxy.set_text_filter)
        self.view.activated.connect(self._on_activated)  # Enter, or double-click per platform
        self.view.doubleClicked.connect(self._on_activated)
        # One click opens a document, as in a mail client's list (the one shown is saved first).
        self.view.clicked.connect(self._on_activated)
        self._update_enabled()

    @staticmethod
    def _button(action: QAction, name: str) -> QPushButton:
        b = QPushButton(action.text())
        b.setObjectName(name)
        b.setToolTip(action.toolTip())
        b.clicked.connect(action.trigger)
        action.changed.connect(lambda: b.setEnabled(action.isEnabled()))
        return b

    # -- corpus --------------------------------------------------------------------------
    @property
    def corpus(self) -> Corpus | None:
        return self._corpus

    @property
    def current_id(self) -> str | None:
        return self._current

    def open_corpus(self, path, store=None) -> Corpus:
        """Open a folder of pages or a JSONL corpus (raises core.corpus.CorpusError); selects the
        document last opened, without activating it (the window decides whether to open it)."""
        corpus = Corpus.open(path, store=store)
        self.set_corpus(corpus)
        self.corpusOpened.emit(str(corpus.source))
        return corpus

    def set_corpus(self, corpus: Corpus | None) -> None:
        if self._worker is not None and self._worker.is_running():
            self._worker.cancel()
            self._worker.wait()
        self._corpus = corpus
        self._current = None
        self.model.set_corpus(corpus)
        if corpus is not None and corpus.last_opened:
            self.select(corpus.last_opened)
        self._update_summary()
        self._update_enabled()

    def refresh(self, doc_id: str | None = None) -> None:
        """Show the corpus' current statuses and counts (one document's row, or all)."""
        self.model.refresh(doc_id)
        self._update_summary()

    def save_document(self, doc: Document) -> None:
        """Save ``doc`` into the corpus store (its status follows the work in it) and show it."""
        if self._corpus is None:
            raise RuntimeError("no corpus is open")
        before = self._corpus.status(doc.id)
        self._corpus.save(doc)
        self.refresh(doc.id)
        after = self._corpus.status(doc.id)
        if after != before:
            self.statusChanged.emit(doc.id, after)

    def sync_document(self, doc_id: str) -> str:
        """After the review window saved ``corpus.annotation_path(doc_id)`` itself: re-read its
        status and counts from the file and show them; returns the status."""
        if self._corpus is None:
            raise RuntimeError("no corpus is open")
        before = self._corpus.status(doc_id)
        after = self._corpus.sync(doc_id)
        self.refresh(doc_id)
        if after != before:
            self.statusChanged.emit(doc_id, after)
        return after

    def set_status(self, doc_id: str, status: str) -> None:
        """Set a document's status explicitly (e.g. "done" for Ctrl+End, "review" to reopen)."""
        if self._corpus is None:
            raise RuntimeError("no corpus is open")
        self._corpus.set_status(doc_id, status)
        self.refresh(doc_id)
        self.statusChanged.emit(doc_id, status)

    # -- navigation ----------------------------------------------------------------------
    def select(self, doc_id: str) -> bool:
        """Select (and scroll to) a document's row without activating it; False when it is
        filtered out or unknown."""
        row = self.model.row_of(doc_id)
        if row < 0:
            return False
        idx = self.proxy.mapFromSource(self.model.index(row, 0))
        if not idx.isValid():
            return False
        self.view.selectionModel().setCurrentIndex(
            idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(idx)
        return True

    def activate(self, doc_id: str) -> None:
        """Open a document: select it, remember it as last opened, emit documentActivated."""
        if self._corpus is None:
            return
        if not self.select(doc_id):
            # Filtered out: clear the filters rather than open something the list does not show.
            self.status_combo.setCurrentIndex(0)
            self.text_filter.clear()
            self.select(doc_id)
        self._current = doc_id
        self._corpus.last_opened = doc_id
        self.documentActivated.emit(doc_id)

    def next_unreviewed(self) -> str | None:
        """Activate the next document that still needs review; None (and a message) when none does."""
        if self._corpus is None:
            return None
        doc_id = self._corpus.next_unreviewed(self._current)
        if doc_id is None:
            self.batch_label.setText("Every document is done.")
            return None
        self.activate(doc_id)
        return doc_id

    def _on_activated(self, index: QModelIndex) -> None:
        doc_id = index.data(ID_ROLE)
        if doc_id and doc_id != self._current:
            self.activate(doc_id)
        elif doc_id:
            self.documentActivated.emit(doc_id)

    # -- pre-annotation --------------------------------------------------------------------
    @property
    def worker(self) -> BatchWorker | None:
        return self._worker

    def is_batch_running(self) -> bool:
        return self._worker is not None and self._worker.is_running()

    def preannotate(self, redo: bool = False) -> BatchWorker | None:
        """Start pre-annotating every new document off the UI thread; returns the worker."""
        if self._corpus is None or self.is_batch_running():
            return None
        self._worker = BatchWorker(self._corpus, jobs=self.jobs, redo=redo, analyzer=self.analyzer, parent=self)
        self._worker.progress.connect(self._on_batch_progress)
        self._worker.finished.connect(self._on_batch_finished)
        self._worker.failed.connect(self._on_batch_failed)
        self.batch_bar.setRange(0, 0)  # busy until the first document is back
        self.batch_bar.show()
        self.batch_label.setText("Pre-annotating…")
        self._worker.start()
        self._update_enabled()
        return self._worker

    def cancel_batch(self) -> None:
        if self.is_batch_running():
            self._worker.cancel()
            self.batch_label.setText("Cancelling: finishing the documents in progress…")
            self.cancel_action.setEnabled(False)

    def _on_batch_progress(self, done: int, total: int) -> None:
        self.batch_bar.setRange(0, max(total, 1))
        self.batch_bar.setValue(done)
        # Rows change as documents land; a full refresh is O(documents), so at most 4 a second.
        now = time.monotonic()
        if now - self._last_refresh > 0.25 or done == total:
            self._last_refresh = now
            self.refresh()
        self.batchProgress.emit(done, total)

    def _on_batch_finished(self, result) -> None:
        self.last_result = result
        self._worker.wait()
        self.batch_bar.hide()
        parts = [f"{len(result.done)} pre-annotated in {result.seconds:.1f} s"]
        if result.skipped:
            parts.append(f"{len(result.skipped)} left alone (a person's work)")
        if result.errors:
            first = next(iter(result.errors.items()))
            parts.append(f"{len(result.errors)} failed (first: {first[0]}: {first[1]})")
        if result.cancelled:
            parts.insert(0, "Cancelled")
        self.batch_label.setText("; ".join(parts))
        self.refresh()
        self._update_enabled()
        self.batchFinished.emit(result)

    def _on_batch_failed(self, message: str) -> None:
        self._worker.wait()
        self.batch_bar.hide()
        self.batch_label.setText(f"Pre-annotation failed: {message}")
        self.refresh()
        self._update_enabled()

    # -- display ---------------------------------------------------------------------------
    def _update_summary(self) -> None:
        if self._corpus is None:
            self.summary.setText("No corpus open")
            self.done_bar.setRange(0, 1)
            self.done_bar.setValue(0)
            return
        counts = self._corpus.counts()
        total = len(self._corpus)
        self.summary.setText(f"{self._corpus.source.name}: {total} documents: "
                             + ", ".join(f"{counts[s]} {STATUS_LABELS[s]}" for s in DOC_STATUSES))
        self.done_bar.setRange(0, max(total, 1))
        self.done_bar.setValue(counts["done"])

    def _update_enabled(self) -> None:
        has = self._corpus is not None
        running = self.is_batch_running()
        self.preannotate_action.setEnabled(has and not running)
        self.cancel_action.setEnabled(running)
        self.next_action.setEnabled(has)
        self.cancel_button.setVisible(running)

    def closeEvent(self, event):
        # Leave no thread running behind a closed window.
        if self.is_batch_running():
            self._worker.cancel()
            self._worker.wait()
        super().closeEvent(event)
