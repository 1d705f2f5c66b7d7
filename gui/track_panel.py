"""Corpus mode's Tracked quotations dock: where else the selected quote appears in the corpus, and the
corpus' quotations printed under different names or in different words, with a jump to each.

The index (core.track) is built in a pool thread from the corpus' annotation files, one file read
again only when it changed since the last build, and rebuilt (debounced) after a save or a
pre-annotation run: the window never waits for it."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QLabel,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from quotedesk.core.annotation_file import AnnotationFileError, load_document
from quotedesk.core.corpus import CorpusError, record_document
from quotedesk.core.formats.jsonl import document_to_record
from quotedesk.core.track import Occurrence, TrackIndex, record_occurrences, track, where_else, wording_changes

FLAGS = ("speaker_conflict", "wording_drift")
SPAN_ROLE = Qt.ItemDataRole.UserRole + 1  # (doc, start, end) of an occurrence row
DEBOUNCE_MS = 800


# -- the index, built off the UI thread ---------------------------------------------------------------

@dataclass
class TrackBuild:
    """One build: the groups, each occurrence by (doc, start, end), and what the next build may reuse."""
    index: TrackIndex
    occurrences: dict[tuple[str, int, int], Occurrence]
    cache: dict[str, tuple[tuple[int, int], list[Occurrence]]]  # doc -> (file mtime_ns, size), its occurrences
    read: int = 0  # annotation files read (not taken from the cache)
    problems: list[str] = field(default_factory=list)

    @property
    def documents(self) -> int:
        return len(self.cache)

    def flagged(self) -> list[dict]:
        return [g for g in self.index.groups if any(f in g["flags"] for f in FLAGS)]


def corpus_files(corpus) -> list[tuple[str, str, bool]]:
    """(document id, annotation file, whether its JSONL record carries annotations of its own) for
    every document of the corpus, in corpus order."""
    records = corpus.source.is_file()  # a JSONL corpus: its records may hold gold or exported quotes
    return [(i, str(corpus.annotation_path(i)), records and corpus.entry(i).quotes > 0) for i in corpus.ids]


RECORD_KEY = ("record",)  # a record's own annotations do not change while the corpus is open


def build_track_index(files: list[tuple[str, str, bool]], cache: dict, read_record=None) -> TrackBuild:
    """The index over the annotation files that exist, else the records' own annotations (read
    by ``read_record(doc_id)``, e.g. Corpus.read_raw); a file whose (mtime, size) is the one in
    ``cache`` is not read again.  Runs in a pool thread: touches no Qt object and changes no
    corpus state."""
    new_cache: dict = {}
    occ: list[Occurrence] = []
    problems: list[str] = []
    read = 0
    for doc_id, path, has_record in files:
        try:
            st = os.stat(path)
            key = (st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            if not (has_record and read_record is not None):
                continue  # not annotated yet
            key = RECORD_KEY
        except OSError as exc:
            problems.append(f"{path}: cannot be read ({exc.strerror or exc})")
            continue
        hit = cache.get(doc_id)
        if hit is not None and hit[0] == key:
            found = hit[1]
        else:
            try:
                doc = load_document(path) if key is not RECORD_KEY else record_document(read_record(doc_id), None)
            except (AnnotationFileError, CorpusError, OSError, ValueError, KeyError, TypeError) as exc:
                problems.append(f"{path if key is not RECORD_KEY else doc_id}: {exc}")
                continue
            read += 1
            rec = document_to_record(doc)
            rec["id"] = doc_id
            found = record_occurrences(rec)
        new_cache[doc_id] = (key, found)
        occ.extend(found)
    index = TrackIndex(track(occ))
    return TrackBuild(index, {(o.doc, o.start, o.end): o for o in occ}, new_cache, read, problems)


# -- what the rows say -------------------------------------------------------------------------------

def describe_changes(changes: list[dict]) -> str:
    """'fair → decent; + again; − not' for word-level changes; 'same words' for none."""
    if not changes:
        return "same words"
    parts = []
    for c in changes:
        if c["op"] == "replace":
            parts.append(f"{c['from']} → {c['to']}")
        elif c["op"] == "insert":
            parts.append(f"+ {c['to']}")
        else:
            parts.append(f"− {c['from']}")
    return "; ".join(parts)


def speaker_of(o: dict) -> str:
    return o.get("entity_name") or o.get("speaker") or "(no speaker)"


def short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "…"


class _JumpTree(QTreeWidget):
    """A tree whose Enter opens the row (the window's Enter, "Accept suggestion", must not take it)."""

    def __init__(self, headers: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setHeaderLabels(headers)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAllColumnsShowFocus(True)
        hh = self.header()
        hh.setStretchLastSection(True)
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)

    def event(self, ev) -> bool:
        if ev.type() == QEvent.Type.ShortcutOverride and ev.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            ev.accept()
            return True
        return super().event(ev)


# -- the panel ---------------------------------------------------------------------------------------

class TrackPanel(QWidget):
    """``jumpRequested(doc, start, end)`` when a row is opened (double-click or Enter);
    ``indexBuilt()`` after each build is shown."""

    jumpRequested = Signal(str, int, int)
    indexBuilt = Signal()

    def __init__(self, parent: QWidget | None = None, debounce_ms: int = DEBOUNCE_MS):
        super().__init__(parent)
        self.corpus = None
        self.build: TrackBuild | None = None
        self._cache: dict = {}
        self._generation = 0
        self._running = False
        self._dirty = False
        self._shown: tuple[str, int, int] | None = None  # the quote "Elsewhere" is about
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(debounce_ms)
        self._debounce.timeout.connect(self._start_build)

        self.status = QLabel("No corpus open", self)
        self.status.setObjectName("trackStatus")
        self.status.setWordWrap(True)
        self.status.setContentsMargins(4, 2, 4, 0)
        self.elsewhere_label = QLabel("<b>Elsewhere in the corpus</b>", self)
        self.elsewhere = _JumpTree(["Document", "Speaker", "Wording"], self)
        self.elsewhere.setObjectName("trackElsewhere")
        self.elsewhere.setToolTip("The other stories that print the selected quote; double-click or Enter opens one")
        self.conflicts_label = QLabel("<b>Conflicts</b>", self)
        self.conflicts = _JumpTree(["Quotation / document", "Speakers / speaker", "Wording"], self)
        self.conflicts.setObjectName("trackConflicts")
        self.conflicts.setRootIsDecorated(True)
        self.conflicts.setToolTip("Quotations printed under different names or in different words; "
                                  "expand one and double-click or Enter on a story to open it")
        for tree in (self.elsewhere, self.conflicts):
            tree.itemActivated.connect(self._on_activated)
        for tree, widths in ((self.elsewhere, (130, 150)), (self.conflicts, (230, 210))):
            for col, w in enumerate(widths):
                tree.setColumnWidth(col, w)

        split = QSplitter(Qt.Orientation.Vertical, self)
        for label, tree in ((self.elsewhere_label, self.elsewhere), (self.conflicts_label, self.conflicts)):
            box = QWidget(self)
            box_lay = QVBoxLayout(box)
            box_lay.setContentsMargins(0, 0, 0, 0)
            box_lay.setSpacing(2)
            box_lay.addWidget(label)
            box_lay.addWidget(tree, 1)
            split.addWidget(box)
        split.setSizes([100, 200])
        split.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.setSpacing(2)
        lay.addWidget(self.status)
        lay.addWidget(split, 1)
        self._show_elsewhere_note("Select a quote to see where else it appears.")

    # -- building ------------------------------------------------------------------------------------
    def set_corpus(self, corpus) -> None:
        """A new corpus (or None): the old index is dropped and a build starts at once."""
        self.corpus = corpus
        self._generation += 1
        self._cache = {}
        self.build = None
        self._dirty = False
        self._debounce.stop()
        self.conflicts.clear()
        self._refresh_elsewhere()
        if corpus is None:
            self.status.setText("No corpus open")
            return
        self._start_build()

    def schedule(self, *_args) -> None:
        """Rebuild soon (saves and pre-annotation call this; many calls make one build)."""
        if self.corpus is not None:
            self._debounce.start()

    def is_building(self) -> bool:
        return self._running or self._debounce.isActive()

    def _start_build(self) -> None:
        if self.corpus is None:
            return
        if self._running:
            self._dirty = True  # once this one is shown
            return
        from .worker import submit
        self._running = True
        self._dirty = False
        if self.build is None:
            self.status.setText(f"Indexing the quotes of {len(self.corpus)} documents…")
        submit(build_track_index, corpus_files(self.corpus), dict(self._cache), self.corpus.read_raw,
               tag=self._generation, on_done=self._on_built, on_error=self._on_failed, pool=self._pool)

    def _on_built(self, generation, build: TrackBuild) -> None:
        self._running = False
        if generation == self._generation:
            self.build = build
            self._cache = build.cache
            self._show_conflicts()
            self._refresh_elsewhere()
            self.indexBuilt.emit()
        self._after_build()

    def _on_failed(self, generation, message: str) -> None:
        self._running = False
        if generation == self._generation:
            self.status.setText(f"The quotation index could not be built: {message}")
        self._after_build()

    def _after_build(self) -> None:
        if self.corpus is not None and self._dirty:  # asked for while that build ran (or another corpus)
            self._start_build()

    def wait(self, msecs: int = -1) -> bool:
        """Block until a build in flight ends (shutdown and tests); its result still arrives queued."""
        return self._pool.waitForDone(msecs)

    # -- conflicts -----------------------------------------------------------------------------------
    def _show_conflicts(self) -> None:
        b = self.build
        self.conflicts.clear()
        flagged = b.flagged()
        speakers = sum("speaker_conflict" in g["flags"] for g in flagged)
        drift = sum("wording_drift" in g["flags"] for g in flagged)
        text = (f"{len(b.index.groups)} quotation(s) in more than one story of {b.documents} annotated: "
                f"{speakers} under different speakers, {drift} in different words")
        if b.problems:
            text += f"; {len(b.problems)} annotation file(s) could not be read: {b.problems[0]}"
        self.status.setText(text)
        self.conflicts_label.setText(f"<b>Conflicts</b> ({len(flagged)})")
        items = []
        for g in flagged:
            labels = []
            if "speaker_conflict" in g["flags"]:
                labels.append(" / ".join(g["speakers"]))
            if "wording_drift" in g["flags"]:
                labels.append("wording differs")
            top = QTreeWidgetItem([short(g["text"]), "; ".join(labels), f"{len(g['occurrences'])} stories"])
            top.setToolTip(0, g["text"])
            top.setToolTip(1, "; ".join(labels))
            changes = {(d["doc"], d["start"], d["end"]): d["changes"] for d in g.get("differences", ())}
            for o in g["occurrences"]:
                span = (o["doc"], o["start"], o["end"])
                child = QTreeWidgetItem([o["doc"], speaker_of(o), describe_changes(changes.get(span, []))])
                child.setData(0, SPAN_ROLE, span)
                occ = b.occurrences.get(span)
                if occ is not None:
                    child.setToolTip(0, occ.text)
                    child.setToolTip(2, occ.text)
                top.addChild(child)
            items.append(top)
        self.conflicts.addTopLevelItems(items)
        if not items:
            self.conflicts.addTopLevelItem(QTreeWidgetItem(["No conflicts: every quotation printed twice "
                                                            "has one speaker and one wording"]))
        elif len(items) <= 20:
            self.conflicts.expandAll()

    # -- where else ----------------------------------------------------------------------------------
    def show_quote(self, doc_id: str | None, start: int = 0, end: int = 0) -> None:
        """The quote ``doc_id[start:end]`` is selected in the window (None: no quote is)."""
        self._shown = (doc_id, start, end) if doc_id is not None else None
        self._refresh_elsewhere()

    def _show_elsewhere_note(self, text: str) -> None:
        self.elsewhere.clear()
        item = QTreeWidgetItem([text])
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        item.setFirstColumnSpanned(True)
        self.elsewhere.addTopLevelItem(item)
        self.elsewhere_label.setText("<b>Elsewhere in the corpus</b>")

    def _refresh_elsewhere(self) -> None:
        if self.corpus is None:
            self._show_elsewhere_note("Open a corpus to see where else a quote appears.")
            return
        if self._shown is None:
            self._show_elsewhere_note("Select a quote to see where else it appears.")
            return
        if self.build is None:
            self._show_elsewhere_note("Indexing the corpus…")
            return
        doc_id, start, end = self._shown
        others = where_else(self.build.index, doc_id, start, end)
        if not others:
            self._show_elsewhere_note("This quote appears in no other document of the corpus (as saved).")
            return
        mine = next((o for (d, s, e), o in self.build.occurrences.items() if d == doc_id and s < end and start < e),
                    None)
        group = self.build.index.group_of(doc_id, start, end)
        own = next((o for o in group["occurrences"] if o["doc"] == doc_id and o["start"] < end and start < o["end"]),
                   None)
        mine_speaker = speaker_of(own) if own is not None else None
        self.elsewhere.clear()
        for o in others:
            span = (o["doc"], o["start"], o["end"])
            occ = self.build.occurrences.get(span)
            wording = describe_changes(wording_changes(mine.text, occ.text)) if mine and occ else ""
            who = speaker_of(o)
            item = QTreeWidgetItem([o["doc"], who, wording])
            item.setData(0, SPAN_ROLE, span)
            if occ is not None:
                item.setToolTip(2, occ.text)
            if mine_speaker and who != mine_speaker and "speaker_conflict" in group["flags"]:
                item.setToolTip(1, f"Here: {mine_speaker}")
                font = item.font(1)
                font.setBold(True)
                item.setFont(1, font)
            self.elsewhere.addTopLevelItem(item)
        self.elsewhere_label.setText(f"<b>Elsewhere in the corpus</b> ({len(others)})")

    # -- jumping -------------------------------------------------------------------------------------
    def _on_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        span = item.data(0, SPAN_ROLE)
        if span:
            doc, start, end = span
            self.jumpRequested.emit(doc, start, end)


def install(mode) -> TrackPanel:
    """The dock in corpus mode's window (``mode``: gui.corpus_mode.CorpusMode), beside the Quotes
    table, hidden until a corpus opens; rows jump through ``mode.jump_to``."""
    win = mode.window
    panel = TrackPanel(win)
    dock = QDockWidget("Tracked quotations", win)
    dock.setObjectName("trackDock")
    dock.setWidget(panel)
    win.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    # Beside the Quotes table, sharing the Statistics dock's place (a tab each when both are shown):
    # three tables side by side leave each too narrow to read a quotation.
    win.tabifyDockWidget(mode.stats_dock, dock)
    dock.hide()
    mode.track_dock = dock
    panel.jumpRequested.connect(mode.jump_to)
    glue = _TrackGlue(mode, panel)
    win.selection_changed.connect(glue.on_selection)
    win.document_ready.connect(glue.on_selection)
    win.saved.connect(panel.schedule)
    mode.panel.statusChanged.connect(panel.schedule)
    mode.panel.batchFinished.connect(panel.schedule)
    mode.panel.corpusOpened.connect(glue.on_corpus)
    mode.stats_dock.toggleViewAction().triggered.connect(glue.on_stats_toggled)
    return panel


class _TrackGlue(QObject):
    """Tells the panel which corpus is open and which of its quotes the window has selected."""

    def __init__(self, mode, panel: TrackPanel):
        super().__init__(panel)
        self.mode = mode
        self.panel = panel

    def on_corpus(self, *_args) -> None:
        self.panel.set_corpus(self.mode.corpus)
        dock, win = self.mode.track_dock, self.mode.window
        if not dock.isVisible():
            dock.show()
            if not self.mode.stats_dock.isVisible():
                width = max(600, win.width())
                win.resizeDocks([win.quotes_dock, dock], [width * 3 // 5, width * 2 // 5], Qt.Orientation.Horizontal)
        self.on_selection()

    def on_stats_toggled(self, checked: bool) -> None:
        if checked:  # View > Statistics brings its tab to the front
            self.mode.stats_dock.raise_()

    def on_selection(self, *_args) -> None:
        win = self.mode.window
        key = win.selected
        if (key is None or key[0] != "quote" or win.doc is None or self.mode.corpus is None
                or not self.mode.showing_corpus_document()):
            self.panel.show_quote(None)
            return
        q = win.doc.quotes.get(key[1])
        if q is None:
            self.panel.show_quote(None)
            return
        self.panel.show_quote(win.doc.id, q.start, q.end)
