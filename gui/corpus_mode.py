"""Corpus mode glue for the review window: the Corpus and Statistics docks, opening documents from the
corpus (saving the one being left into it), pre-annotation, export/import and the agreement report."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QFileDialog, QLabel, QMessageBox, QWidget

from quotedesk.core.annotation_file import AnnotationFileError, save_document
from quotedesk.core.corpus import STATUS_RANK, Corpus, CorpusError, has_human_work
from quotedesk.core.model import Document

from .corpus_model import STATUS_LABELS
from . import track_panel
from .corpus_panel import CorpusPanel
from .stats_view import StatsView

# A file dialog cannot offer "a folder or a file": a folder is picked through any page inside it.
FOLDER_FILTER = "Folder of pages: pick any page in it (*.txt *.html *.htm *.xhtml)"
JSONL_FILTER = "JSONL corpus (*.jsonl)"
LOAD_ERRORS = (CorpusError, AnnotationFileError, OSError, ValueError)


# -- replaceable questions (tests substitute them, as in gui.export_dialog) ----------------------------

def ask_corpus_path(parent: QWidget | None, start: str) -> str | None:
    """A corpus folder (through any page in it) or a .jsonl file; None when cancelled."""
    path, _ = QFileDialog.getOpenFileName(parent, "Open corpus", start, f"{FOLDER_FILTER};;{JSONL_FILTER}")
    if not path:
        return None
    return path if path.lower().endswith(".jsonl") else str(Path(path).parent)


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    ans = QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                               QMessageBox.StandardButton.No)
    return ans == QMessageBox.StandardButton.Yes


# -- spans ------------------------------------------------------------------------------------------

def find_span(doc: Document, start: int, end: int, kinds=("quote", "mention", "cue")) -> tuple[str, str] | None:
    """The (kind, id) at exactly ``start``-``end``, else the one overlapping it most (edits may have
    moved it); kinds earlier in ``kinds`` win ties."""
    pools = {"quote": doc.quotes, "mention": doc.mentions, "cue": doc.cues}
    best = None
    for rank, kind in enumerate(kinds):
        for o in pools[kind].values():
            overlap = min(o.end, end) - max(o.start, start)
            if overlap <= 0:
                continue
            key = (o.start == start and o.end == end, overlap, -abs(o.start - start) - abs(o.end - end), -rank)
            if best is None or key > best[0]:
                best = (key, kind, o.id)
    return (best[1], best[2]) if best else None


def with_annotations(base: Document, imported: Document) -> Document:
    """``base`` (its page, paragraphs and metadata) carrying ``imported``'s spans, links and speakers.
    Formats such as brat or CSV hold the article only, so the corpus' own document keeps the rest."""
    status = imported.status if STATUS_RANK.get(imported.status, 0) > STATUS_RANK.get(base.status, 0) else base.status
    return dataclasses.replace(base, quotes=dict(imported.quotes), mentions=dict(imported.mentions),
                               cues=dict(imported.cues), entities=dict(imported.entities), status=status)


def corpus_splitter_sizes(total: int) -> list[int]:
    """Raw page and article widths beside the corpus list: the article gets three fifths (it is
    what a person reads and marks), the raw page never less than 200 px when there is room."""
    raw = max(min(200, total // 3), total * 2 // 5)
    return [raw, total - raw]


class CorpusMode(QObject):
    """Owned by a ReviewWindow; its ``do_<name>`` methods are the actions the action table marks
    ``owner="corpus"``. Before another document replaces one of the corpus with unsaved changes,
    that one is saved into the corpus without asking: moving on never loses an edit, and the
    corpus never lowers a status a person reached."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.report = None  # the open agreement report, if any
        self.panel = CorpusPanel(window)
        # The window's action (from the action table) carries Shift+PgDn; two actions holding the
        # same shortcut in one window would make it ambiguous, and neither would fire.
        self.panel.next_action.setShortcut("")
        self.panel.removeAction(self.panel.next_action)
        # Enter in the document list opens the document, not the window's "Accept suggestion".
        self.panel.view.installEventFilter(self)
        self.corpus_dock = self._dock("Corpus", "corpusDock", self.panel, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.corpus_dock.hide()
        self.stats = StatsView(window)
        # Beside the Quotes table: a bar chart wants width, and its controls would widen the
        # Speakers column past what the article can spare.
        self.stats_dock = self._dock("Statistics", "statsDock", self.stats, Qt.DockWidgetArea.BottomDockWidgetArea)
        window.splitDockWidget(window.quotes_dock, self.stats_dock, Qt.Orientation.Horizontal)
        self.stats_dock.hide()
        # Where else the selected quote appears, and the corpus' conflicting quotations (issue 11).
        self.track_panel = track_panel.install(self)
        self.status_label = QLabel(window)
        self.status_label.setObjectName("corpusStatus")
        window.statusBar().addPermanentWidget(self.status_label)

        self._stats_debounce = QTimer(self)
        self._stats_debounce.setSingleShot(True)
        self._stats_debounce.setInterval(300)
        self._stats_debounce.timeout.connect(self._refresh_stats)

        self.panel.documentActivated.connect(self._on_activated)
        self.panel.statusChanged.connect(lambda *_: self._update_status())
        self.panel.batchProgress.connect(self._on_batch_progress)
        self.panel.batchFinished.connect(self._on_batch_finished)
        self.panel.preannotate_action.changed.connect(self.update_enabled)
        self.panel.cancel_action.changed.connect(self.update_enabled)
        window.document_ready.connect(self._on_document_ready)
        window.saved.connect(self._on_saved)
        window.stack.indexChanged.connect(lambda _i: self._stats_debounce.start())
        window.set_saver(self._save)

    def eventFilter(self, obj, event) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride and obj is self.panel.view
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            event.accept()
        return False

    def _dock(self, title: str, name: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.window.addDockWidget(area, dock)
        return dock

    def attach_actions(self) -> None:
        """Once the window built its menus: the dock toggles in View, then the enabled states."""
        view = self.window.menus["View"]
        view.addAction(self.corpus_dock.toggleViewAction())
        view.addAction(self.stats_dock.toggleViewAction())
        view.addAction(self.track_dock.toggleViewAction())
        self.stats_dock.toggleViewAction().setText("&Statistics")
        self.stats_dock.visibilityChanged.connect(self._on_stats_visibility)
        self.update_enabled()

    # == state ========================================================================================
    @property
    def corpus(self) -> Corpus | None:
        return self.panel.corpus

    def owns(self, path) -> bool:
        """True when ``path`` is the corpus' annotation file of the document the window shows."""
        c, doc = self.corpus, self.window.doc
        return (c is not None and doc is not None and path is not None and doc.id in c
                and Path(path) == c.annotation_path(doc.id))

    def showing_corpus_document(self) -> bool:
        return self.owns(self.window.save_path)

    @staticmethod
    def is_corpus_path(path) -> bool:
        p = Path(path)
        return p.is_dir() or (p.suffix.lower() == ".jsonl" and p.is_file())

    def update_enabled(self) -> None:
        a = self.window.actions_by_name
        if "next_unreviewed" not in a:
            return  # still building the menus
        has_corpus = self.corpus is not None
        has_doc = self.window.doc is not None and not self.window.busy
        a["next_unreviewed"].setEnabled(has_corpus)
        a["preannotate"].setEnabled(self.panel.preannotate_action.isEnabled())
        a["cancel_preannotate"].setEnabled(self.panel.cancel_action.isEnabled())
        a["export_document"].setEnabled(has_doc)
        a["export_corpus"].setEnabled(has_corpus)
        a["compare"].setEnabled(has_doc or has_corpus)

    def _update_status(self) -> None:
        c = self.corpus
        if c is None:
            self.status_label.setText("")
            return
        counts = c.counts()
        text = f"Corpus {c.source.name}: {counts['done']}/{len(c)} done"
        doc = self.window.doc
        if doc is not None and self.showing_corpus_document():
            text += f" · {doc.id}: {STATUS_LABELS.get(c.status(doc.id), c.status(doc.id))}"
        self.status_label.setText(text)

    # == opening ======================================================================================
    def do_open_corpus(self) -> None:
        start = str(self.corpus.source.parent) if self.corpus else str(Path.home())
        path = ask_corpus_path(self.window, start)
        if path:
            self.open_corpus(path)

    def open_corpus(self, path, store=None) -> bool:
        """Opens a folder of pages or a .jsonl file as the corpus and resumes at its last document
        (or the first one to review). The document shown before is saved or asked about first."""
        if not self._leave_current():
            return False
        try:
            corpus = self.panel.open_corpus(path, store=store)
        except (CorpusError, OSError) as exc:
            self.window.prompts.error("Cannot open corpus", str(exc))
            return False
        self.window.remember(str(corpus.source))
        if getattr(corpus, "skipped", None):  # e.g. links to files outside the folder: said, not hidden
            shown = corpus.skipped[:5] + ([f"… and {len(corpus.skipped) - 5} more"] if len(corpus.skipped) > 5 else [])
            self.window.prompts.error("Pages left out", f"{len(corpus.skipped)} page(s) of the corpus were "
                                      "left out:\n" + "\n".join(shown))
        self._show_corpus_dock()
        self.stats.set_corpus(corpus)
        self.update_enabled()
        self._update_status()
        if corpus.last_opened:
            self.panel.activate(corpus.last_opened)
        else:
            self.panel.next_unreviewed()
        return True

    def _show_corpus_dock(self) -> None:
        if self.corpus_dock.isVisible():
            return
        self.corpus_dock.show()
        # Once the dock is laid out: room for the article; the list and Speakers take what their
        # tables need.
        QTimer.singleShot(0, self._fit_layout)

    def _fit_layout(self) -> None:
        win = self.window
        w = win.width()
        # The list wide enough for ids told apart (about 14 characters beside its numbers), Speakers
        # narrower; the article gets the most of the rest.
        fm = self.panel.view.fontMetrics()
        ids = fm.horizontalAdvance("polnear-dev-0012") + sum(
            self.panel.view.horizontalHeader().sectionSize(c) for c in (1, 2, 3)) + 24
        side = max(self.panel.minimumSizeHint().width(), min(ids, w // 4))
        win.resizeDocks([self.corpus_dock, win.speakers_dock], [side, max(170, min(240, w // 7))],
                        Qt.Orientation.Horizontal)
        win.splitter.setSizes(corpus_splitter_sizes(sum(win.splitter.sizes())))

    def _leave_current(self) -> bool:
        """True once the shown document may be replaced: a corpus document with changes is saved
        into the corpus without asking; any other is saved or discarded as the user says."""
        win = self.window
        if win.doc is None or win.stack.isClean():
            return True
        if self.showing_corpus_document():
            return win.do_save()
        return win.maybe_save()

    def _on_activated(self, doc_id: str) -> None:
        win = self.window
        if win.doc is not None and win.doc.id == doc_id and self.showing_corpus_document():
            return
        previous = win.doc.id if win.doc is not None and self.showing_corpus_document() else None
        if not self._leave_current():
            if previous is not None:
                self.panel.activate(previous)  # back to the row of the document still shown
            return
        self.show_document(doc_id)

    def show_document(self, doc_id: str) -> bool:
        """Loads ``doc_id`` from the corpus into the window (offering a newer autosave first)."""
        win, c = self.window, self.corpus
        try:
            doc = c.load(doc_id)
        except LOAD_ERRORS as exc:
            win.prompts.error("Cannot open document", f"{doc_id}: {exc}")
            return False
        target = str(c.annotation_path(doc_id))
        recovered = win.maybe_recover(target, target) if Path(target).exists() else None
        win.set_document(recovered or doc, save_path=target, page_path=c.page_source(doc_id))
        if recovered is not None:
            win.mark_recovered()
        return True

    def _on_document_ready(self) -> None:
        self.stats.set_document(self.window.doc)
        self.update_enabled()
        self._update_status()
        if self.corpus is not None and self.showing_corpus_document():
            self.panel.select(self.window.doc.id)

    # == saving =======================================================================================
    def _save(self, doc: Document, path: str) -> None:
        """The window's saver: its corpus documents go through the corpus (status never lowered)."""
        if self.owns(path):
            # Edits that leave no human-origin span (deleting or rejecting suggestions) are a
            # person's work all the same: the machine must never pre-annotate over them.
            if self.window.stack.index() > 0 and STATUS_RANK.get(doc.status, 0) < STATUS_RANK["review"]:
                doc.status = "review"
            self.panel.save_document(doc)
        else:
            save_document(doc, path)

    def _on_saved(self, path: str) -> None:
        self._refresh_stats()
        self._update_status()

    def _on_stats_visibility(self, visible: bool) -> None:
        if visible:
            win = self.window
            width = max(600, win.width())
            win.resizeDocks([win.quotes_dock, self.stats_dock], [width * 3 // 5, width * 2 // 5],
                            Qt.Orientation.Horizontal)
            self._refresh_stats()

    def _refresh_stats(self) -> None:
        if self.stats_dock.isVisible():
            self.stats.set_document(self.window.doc)
            self.stats.refresh()

    # == navigation and pre-annotation ================================================================
    def do_next_unreviewed(self) -> str | None:
        if self.corpus is None:
            return None
        doc_id = self.panel.next_unreviewed()
        if doc_id is None:
            self.window.statusBar().showMessage("Every document is done", 4000)
        return doc_id

    def do_preannotate(self):
        return self.panel.preannotate()

    def do_cancel_preannotate(self) -> None:
        self.panel.cancel_batch()

    def _on_batch_progress(self, done: int, total: int) -> None:
        self.window.statusBar().showMessage(f"Pre-annotating: {done} of {total} documents")
        self._update_status()

    def _on_batch_finished(self, result) -> None:
        win = self.window
        self.window.statusBar().showMessage(self.panel.batch_label.text(), 6000)
        current = self.panel.current_id
        # The machine just wrote the document on screen: show its suggestions unless the user has
        # started editing (then the user's save wins, and the batch never overwrites a person's work).
        if (current in result.done and win.doc is not None and win.doc.id == current
                and self.showing_corpus_document() and win.stack.isClean()):
            self.show_document(current)
        self.stats.refresh()
        self._update_status()
        self.update_enabled()

    def close(self) -> None:
        self.panel.cancel_batch()
        self.track_panel.wait()
        if self.panel.worker is not None:
            self.panel.worker.wait()

    # == export, import, compare ======================================================================
    def corpus_documents(self) -> dict[str, Document]:
        """Every annotated document of the corpus (or the one shown), the window's own in-memory
        version of the shown one, so unsaved edits take part."""
        win = self.window
        docs: dict[str, Document] = {}
        if self.corpus is not None:
            try:
                for d in self.corpus.documents():
                    docs[d.id] = d
            except LOAD_ERRORS as exc:
                win.prompts.error("Cannot read the corpus", str(exc))
        if win.doc is not None and (self.corpus is None or self.showing_corpus_document()):
            docs[win.doc.id] = win.doc
        return docs

    # The do_ commands take no arguments: a QAction passes its "checked" flag to whatever a slot takes.
    def do_export_document(self):
        return self.export_document()

    def do_export_corpus(self):
        return self.export_corpus()

    def do_import(self):
        return self.import_from()

    def do_compare(self):
        return self.compare_with()

    def export_document(self, fmt: str | None = None, path: str | None = None):
        """The shown document as ``fmt`` to ``path`` (the Save dialog asks for what is None)."""
        from . import export_dialog
        if self.window.doc is None:
            return None
        return export_dialog.export_documents(self.window, [self.window.doc], fmt, path)

    def export_corpus(self, fmt: str | None = None, path: str | None = None):
        from . import export_dialog
        return export_dialog.export_documents(self.window, list(self.corpus_documents().values()), fmt, path)

    def import_from(self, path: str | None = None) -> int:
        """Reads an annotation set; returns how many documents it brought in."""
        from . import export_dialog
        docs = export_dialog.import_documents(self.window, path)
        if not docs:
            return 0
        if self.corpus is not None:
            return self.import_into_corpus(docs)
        if not self.window.maybe_save():
            return 0
        self.window.set_document(docs[0], save_path=None, page_path=None)
        self.window.stack.resetClean()  # imported, not saved anywhere yet
        if len(docs) > 1:
            self.window.statusBar().showMessage(
                f"{len(docs)} documents read; showing {docs[0].id}. Open a corpus to import them all.", 8000)
        return 1

    def import_into_corpus(self, docs: list[Document]) -> int:
        """Puts each imported document's annotations on the corpus document of the same id and article
        text (after asking, when that replaces a person's work); returns how many were imported."""
        win, c = self.window, self.corpus
        if not self._leave_current():
            return 0
        pairs, skipped = [], []
        for imp in docs:
            if imp.id not in c:
                skipped.append(f"{imp.id} (not in the corpus)")
                continue
            try:
                base = c.load(imp.id)
            except LOAD_ERRORS as exc:
                skipped.append(f"{imp.id} ({exc})")
                continue
            if base.article != imp.article:
                skipped.append(f"{imp.id} (different article text)")
                continue
            pairs.append((base, imp))
        if not pairs:
            win.prompts.error("Import", "No imported document matches a corpus document (same id and article):\n"
                              + "\n".join(skipped[:10]))
            return 0
        human = [b.id for b, _ in pairs if has_human_work(b)]
        if human and not confirm(win, "Replace annotations?",
                                 f"{len(human)} of the {len(pairs)} matching documents hold a person's work "
                                 f"({', '.join(human[:5])}{' …' if len(human) > 5 else ''}). Replace their "
                                 "annotations with the imported ones?"):
            return 0
        for base, imp in pairs:
            self.panel.save_document(with_annotations(base, imp))
        shown = win.doc.id if win.doc is not None and self.showing_corpus_document() else None
        if shown in {b.id for b, _ in pairs}:
            self.show_document(shown)
        self.stats.refresh()
        self._update_status()
        note = f"Imported {len(pairs)} document(s) into the corpus"
        if skipped:
            note += f"; {len(skipped)} left out: " + ", ".join(skipped[:3]) + (" …" if len(skipped) > 3 else "")
        win.statusBar().showMessage(note, 10000)
        return len(pairs)

    def compare_with(self, path: str | None = None):
        """Tools > Compare with…: this window's documents (side a) against another annotation set."""
        from .eval_report import choose_and_compare
        docs = self.corpus_documents()
        if not docs:
            return None
        label = self.corpus.source.name if self.corpus is not None else "this window"
        dialog = choose_and_compare(self.window, docs, path, label_a=label)
        if dialog is not None:
            if self.report is not None:
                self.report.close()
            self.report = dialog
            dialog.jumpRequested.connect(self.jump_to)
        return dialog

    def jump_to(self, doc_id: str, start: int, end: int) -> bool:
        """Shows ``doc_id`` (from the corpus when another is on screen) and selects the quote, mention
        or cue at ``start``-``end``, or else those words of the article."""
        win = self.window
        if win.doc is None or win.doc.id != doc_id:
            if self.corpus is None or doc_id not in self.corpus:
                win.statusBar().showMessage(f"{doc_id} is not in this window's corpus", 6000)
                return False
            self.panel.activate(doc_id)
            if win.doc is None or win.doc.id != doc_id:
                return False
        hit = find_span(win.doc, start, end)
        if hit is not None:
            win.select(*hit)
        else:
            win.select(None)
            end = min(end, len(win.doc.article))
            win.article_view.reveal(start, end)
            win.article_view.select_range(start, end)
        win.activateWindow()
        win.article_view.setFocus()
        return True
