"""The review window: raw page beside the article, Quotes and Speakers panels, corrections, files and autosave."""
from __future__ import annotations

import gc
import os
import time
from bisect import bisect_right
from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import QByteArray, QItemSelectionModel, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QGuiApplication, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QProgressBar,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from quotedesk.core import edits as E
from quotedesk.core.annotation_file import (
    SUFFIX,
    AnnotationFileError,
    autosave_path,
    load_document,
    save_document,
)
from quotedesk.core.model import QUOTE_TYPES, Document
from quotedesk.core.selection import article_to_raw, quote_type_by_marks, raw_to_article, snap_span, trim_span

from .action_table import ACTIONS
from .colours import EntityColours, Formats
from .highlighter import HighlightManager
from .prompts import Prompts
from .quote_table import FILTERS, QuoteFilterProxy, QuoteTableModel, is_unattributed, least_confident_order, quote_tooltip
from .settings import Settings
from .span_index import SpanIndex
from .speaker_table import SpeakerTableModel
from .text_views import OWN_SELECTION_MIME, ArticleView, RawView
from .undo import GestureCommand, apply_gesture, touched_spans
from .worker import submit

# Order in which overlapping kinds paint: a mention or cue shows above the quote around it.
_PAINT_ORDER = {"quote": 0, "cue": 1, "mention": 2}
AUTOSAVE_SUFFIX = ".autosave.json"
RAW_TITLE = ("<b>Raw page</b> <span style='color:gray'>boilerplate dimmed · article tinted blue · "
             "metadata tinted purple</span>")
# Pages this long are analysed in a worker thread so the window stays responsive.
BACKGROUND_CHARS = 20_000


# Page files this large are read (decoded, un-gzipped) in the worker too, not only analysed there.
BACKGROUND_BYTES = 1_000_000


def analyze_page(raw: str, kind: str, doc_id: str, source: str | None) -> Document:
    from quotedesk.core.pipeline import analyze
    return analyze(raw, kind, doc_id, source)


def read_and_analyze(path: str):
    """A page file read and analysed (in a worker thread): the Document, or ("error", message)
    when the file cannot be read, a message for people, never a traceback."""
    from quotedesk.core.readers import ReadError, read_path
    try:
        rec = read_path(path)
    except (ReadError, OSError) as exc:
        return ("error", str(exc))
    return analyze_page(rec.text, rec.kind, rec.id, rec.source)


def default_save_path(source: str | None) -> str | None:
    """Where a page's annotations go unless the user says otherwise: ``<page>.quotedesk.json``."""
    if not source:
        return None
    p = Path(source)
    if p.name.endswith(SUFFIX):
        return str(p)
    stem = p.name.removesuffix(".gz")
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    return str(p.with_name(stem + SUFFIX))


def boundary_step(text: str, offset: int, side: str, direction: int, unit: str) -> int:
    """Where a span boundary goes one word (or character) left or right.

    A start stays on a word's first character and an end just after a word's last one, so a
    start moving right skips to the next word and an end moving left drops the last word."""
    new = E.snap_offset(text, offset, direction, unit)
    if unit != "word":
        return new
    if side == "start" and direction > 0:
        while new < len(text) and not (text[new].isalnum() or text[new] == "_"):
            new += 1
    elif side == "end" and direction < 0:
        while new > 0 and not (text[new - 1].isalnum() or text[new - 1] == "_"):
            new -= 1
    return new


class ReviewWindow(QMainWindow):
    """One document under review. ``prompts`` and ``settings`` are injectable for tests."""

    document_ready = Signal()  # analysis finished (or a file loaded) and the views show the doc
    selection_changed = Signal(object)  # (kind, id) or None
    saved = Signal(str)  # the path the document was just saved to

    def __init__(self, settings: Settings | None = None, prompts: Prompts | None = None):
        super().__init__()
        self.settings = settings or Settings()
        self.prompts = prompts or Prompts(self)
        self.doc: Document | None = None
        self.save_path: str | None = None
        self.page_path: str | None = None
        self.selected: tuple[str, str] | None = None
        self.link_mode = False
        self.busy = False
        self.showing_markup = False  # the raw pane shows the HTML source (View > Show page markup)
        self.loading: str | None = None  # the name of the page being read and analysed
        self._task = None
        self._analysis_generation = 0  # results of an analysis started before the latest open are dropped
        self._autosaved = None  # (undo index, path) of the last autosave
        self._focus_mentions: set[str] = set()  # mentions of the speakers selected in the panel
        self._recovered_from: str | None = None  # the autosave file opened directly, removed once saved
        self.colours = EntityColours()
        self.index = SpanIndex()
        self._raw_paras = []  # paragraphs sorted by raw position
        self._raw_para_starts: list[int] = []
        self.stack = QUndoStack(self)
        self.stack.cleanChanged.connect(self._update_title)
        self.stack.indexChanged.connect(self._on_stack_index)

        # Writes the document on Save; corpus mode routes its own documents through the corpus.
        self.saver = save_document
        self._build_views()
        from .corpus_mode import CorpusMode
        self.corpus_mode = CorpusMode(self)  # the corpus, statistics and exchange docks and commands
        self._build_actions()
        self.corpus_mode.attach_actions()
        self._build_timers()
        self.setAcceptDrops(True)
        self.apply_preferences()
        self.restore_layout()
        self._update_title()
        self._update_enabled()

    # == construction ================================================================================
    def _build_views(self):
        self.raw_view = RawView(self)
        self.raw_view.setObjectName("rawView")
        self.article_view = ArticleView(self)
        self.article_view.setObjectName("articleView")
        self.header = QLabel(self)
        self.header.setObjectName("articleHeader")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setContentsMargins(6, 4, 6, 4)
        right = QWidget(self)
        lay = QVBoxLayout(right)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.header)
        legend = QLabel("<span style='color:gray'>quotes tinted in their speaker's colour, underlined "
                        "<u>solid</u> direct · dashed mixed · dotted indirect · wavy unknown; pale = "
                        "suggestion · hatched grey = no speaker yet · <b>bold</b> speaker · <i><u>cue</u></i> · "
                        "hover for why</span>", self)
        legend.setObjectName("legend")
        legend.setWordWrap(True)
        legend.setContentsMargins(6, 0, 6, 2)
        lay.addWidget(legend)
        lay.addWidget(self.article_view, 1)
        raw_box = QWidget(self)
        raw_lay = QVBoxLayout(raw_box)
        raw_lay.setContentsMargins(0, 0, 0, 0)
        raw_lay.setSpacing(2)
        raw_title = QLabel(RAW_TITLE)
        raw_title.setContentsMargins(6, 4, 6, 4)
        raw_title.setWordWrap(True)  # else its one line is the raw column's minimum width
        raw_lay.addWidget(raw_title)
        self.raw_title = raw_title
        raw_lay.addWidget(self.raw_view, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(raw_box)
        self.splitter.addWidget(right)
        self.splitter.setSizes([500, 700])
        self.setCentralWidget(self.splitter)

        self.raw_highlights = HighlightManager(self.raw_view, self._raw_decorations)
        self.article_highlights = HighlightManager(self.article_view, self._article_decorations)
        self.article_view.tooltip_provider = self._article_tooltip
        self.raw_view.tooltip_provider = self._raw_tooltip
        self.article_view.clicked.connect(self._on_article_click)
        self.article_view.double_clicked.connect(self._on_article_double_click)
        self.raw_view.clicked.connect(self._on_raw_click)
        self.article_view.boundary_dropped.connect(self._on_boundary_dropped)
        # Selecting in either pane selects the same characters in the other.
        self._mirroring = False
        self.article_view.selectionChanged.connect(self._mirror_from_article)
        self.raw_view.selectionChanged.connect(self._mirror_from_raw)
        self.article_view.context_requested.connect(self._on_article_context)

        self.quote_model = QuoteTableModel(self.colours, self)
        self.quote_proxy = QuoteFilterProxy(self.quote_model, self)
        self.quote_table = QTableView(self)
        self.quote_table.setObjectName("quoteTable")
        self.quote_table.setModel(self.quote_proxy)
        self.quote_table.setSortingEnabled(True)
        # Article order until the user clicks a header (Conf. sorts by confidence).
        self.quote_table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.quote_proxy.sort(-1)
        self.quote_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.quote_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.quote_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.quote_table.setTabKeyNavigation(False)
        self.quote_table.verticalHeader().setDefaultSectionSize(22)
        self.quote_table.verticalHeader().hide()
        hh = self.quote_table.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col, width in ((1, 70), (2, 150), (3, 90), (4, 50), (5, 120), (6, 70)):
            self.quote_table.setColumnWidth(col, width)
        self.quote_table.selectionModel().currentRowChanged.connect(self._on_table_row)
        self.quote_table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.quote_table.customContextMenuRequested.connect(self._on_quote_table_context)
        self.quote_filter = QComboBox(self)
        self.quote_filter.setObjectName("quoteFilter")
        for mode in FILTERS:
            self.quote_filter.addItem(mode.capitalize() if mode != "all" else "All quotes", mode)
        self.quote_filter.setToolTip("Show all quotes, those without a speaker, the suggestions not yet "
                                     "reviewed, or those the engine is least sure of")
        self.quote_filter.currentIndexChanged.connect(
            lambda _i: self.set_quote_filter(self.quote_filter.currentData()))
        quotes_box = QWidget(self)
        quotes_lay = QVBoxLayout(quotes_box)
        quotes_lay.setContentsMargins(0, 0, 0, 0)
        quotes_lay.setSpacing(2)
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 0)
        bar.addWidget(QLabel("Show:", self))
        bar.addWidget(self.quote_filter)
        bar.addStretch(1)
        quotes_lay.addLayout(bar)
        quotes_lay.addWidget(self.quote_table, 1)
        dock = QDockWidget("Quotes", self)
        dock.setObjectName("quotesDock")
        dock.setWidget(quotes_box)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self.quotes_dock = dock

        self.speaker_model = SpeakerTableModel(self.colours, self)
        self.speaker_table = QTableView(self)
        self.speaker_table.setObjectName("speakerTable")
        self.speaker_table.setModel(self.speaker_model)
        self.speaker_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.speaker_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.speaker_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.speaker_table.verticalHeader().hide()
        self.speaker_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.speaker_table.setColumnWidth(1, 70)
        self.speaker_table.setColumnWidth(2, 60)
        self.speaker_table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.speaker_table.customContextMenuRequested.connect(self._on_speaker_context)
        self.speaker_table.doubleClicked.connect(self._on_speaker_double_click)
        self.speaker_table.selectionModel().selectionChanged.connect(self._on_speaker_selection)
        dock = QDockWidget("Speakers", self)
        dock.setObjectName("speakersDock")
        dock.setWidget(self.speaker_table)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.speakers_dock = dock

        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self.statusBar().addPermanentWidget(self.progress)
        self.status_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.status_label)

    def _build_actions(self):
        self.actions_by_name: dict[str, QAction] = {}
        menus: dict[str, QMenu] = {}
        for spec in ACTIONS:
            menu = menus.get(spec.menu)
            if menu is None:
                if spec.menu == "Annotate":
                    # Edit comes after File, where every editor keeps Undo and Redo.
                    edit = menus["Edit"] = self.menuBar().addMenu("&Edit")
                    self._undo_action = self.stack.createUndoAction(self, "&Undo")
                    self._undo_action.setObjectName("action_undo")
                    self._undo_action.setShortcuts(QKeySequence.StandardKey.Undo)
                    self._redo_action = self.stack.createRedoAction(self, "&Redo")
                    self._redo_action.setObjectName("action_redo")
                    self._redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
                    edit.addAction(self._undo_action)
                    edit.addAction(self._redo_action)
                menu = menus[spec.menu] = self.menuBar().addMenu("&" + spec.menu)
            act = QAction(spec.text, self)
            act.setObjectName("action_" + spec.name)
            if spec.keys:
                act.setShortcuts([QKeySequence(k) for k in spec.keys])
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            if spec.tip:
                act.setStatusTip(spec.tip)
                act.setToolTip(spec.tip)
            owner = self.corpus_mode if spec.owner == "corpus" else self
            act.triggered.connect(getattr(owner, "do_" + spec.name))
            menu.addAction(act)
            self.addAction(act)
            self.actions_by_name[spec.name] = act
            if spec.name == "save_as":
                self.recent_menu = menu.addMenu("Open &recent")
                self._rebuild_recent_menu()
            if spec.name == "cycle_type":
                self.type_menu = menu.addMenu("Set quote t&ype")
                self.type_actions = {}
                for t in QUOTE_TYPES:
                    ta = self.type_menu.addAction(t.capitalize())
                    ta.setCheckable(True)
                    ta.setObjectName("action_type_" + t)
                    ta.triggered.connect(lambda _=False, t=t: self.set_selected_type(t))
                    self.type_actions[t] = ta
        view_menu = menus["View"]
        self.show_markup_action = QAction("Show page &markup", self)
        self.show_markup_action.setObjectName("action_show_markup")
        self.show_markup_action.setCheckable(True)
        self.show_markup_action.setStatusTip("The raw pane shows an HTML page's source instead of its text")
        self.show_markup_action.toggled.connect(lambda on: self.do_show_markup(on))
        view_menu.addSeparator()
        view_menu.addAction(self.show_markup_action)
        view_menu.addSeparator()
        view_menu.addAction(self.quotes_dock.toggleViewAction())
        view_menu.addAction(self.speakers_dock.toggleViewAction())
        self.addAction(self._undo_action)
        self.addAction(self._redo_action)
        self.menus = menus

    def _build_timers(self):
        self._autosave_debounce = QTimer(self)
        self._autosave_debounce.setSingleShot(True)
        self._autosave_debounce.setInterval(2000)
        self._autosave_debounce.timeout.connect(self.autosave)
        self._speaker_debounce = QTimer(self)
        self._speaker_debounce.setSingleShot(True)
        self._speaker_debounce.setInterval(60)
        self._speaker_debounce.timeout.connect(self.speaker_model.recount)

    def all_shortcuts(self) -> list[tuple[str, str, str]]:
        """(menu, action text, keys) for every action that has a shortcut: the Help list's source."""
        rows = []
        for spec in ACTIONS:
            act = self.actions_by_name[spec.name]
            keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in act.shortcuts())
            if keys:
                rows.append((spec.menu, act.text().replace("&", ""), keys))
        for act in (self._undo_action, self._redo_action):
            rows.append(("Edit", act.text().replace("&", "").split(" ")[0],
                         ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in act.shortcuts())))
        return rows

    # == window layout ================================================================================
    def restore_layout(self) -> None:
        """The size, place and docks of the last window closed; the first time, 1400x900 or what
        the screen has room for, centred."""
        geometry = self.settings.get("window_geometry")
        if not (geometry and self.restoreGeometry(QByteArray(geometry))):
            screen = self.screen() or QGuiApplication.primaryScreen()
            if screen is None:
                self.resize(1400, 900)
            else:
                avail = screen.availableGeometry()
                w, h = min(1400, avail.width() * 19 // 20), min(900, avail.height() * 9 // 10)
                self.resize(w, h)
                self.move(avail.left() + (avail.width() - w) // 2, avail.top() + (avail.height() - h) // 2)
        state = self.settings.get("window_state")
        if state:
            self.restoreState(QByteArray(state))
        self.fit_to_screen()

    def fit_to_screen(self) -> None:
        """Never larger than the screen's free area (a layout saved on a bigger monitor)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        avail = screen.availableGeometry()
        if self.width() > avail.width() or self.height() > avail.height():
            self.resize(min(self.width(), avail.width()), min(self.height(), avail.height()))

    def save_layout(self) -> None:
        self.settings.set("window_geometry", bytes(self.saveGeometry()))
        self.settings.set("window_state", bytes(self.saveState()))

    # == preferences ==================================================================================
    def apply_preferences(self):
        font = QFont(self.settings.get("font_family"), self.settings.get("font_size"))
        for view in (self.raw_view, self.article_view):
            view.setFont(font)
        from .theme import apply_theme
        apply_theme(self, self.settings.get("theme"))
        self.raw_formats = Formats(self.raw_view.palette())
        self.article_formats = Formats(self.article_view.palette())
        self._autosave_debounce.setInterval(max(1, self.settings.get("autosave_delay")) * 1000)
        self._update_header()
        self.refresh_highlights()

    # == document =====================================================================================
    def set_document(self, doc: Document, save_path: str | None = None, page_path: str | None = None) -> None:
        """Shows ``doc``: both texts, the first highlights, the tables. Clears the undo history."""
        # Indexing a long document allocates many small tuples; the cyclic collector would walk the
        # whole heap several times meanwhile (measured: a third of the opening time).
        paused = gc.isenabled()
        gc.disable()
        try:
            self._show_document(doc, save_path, page_path)
        finally:
            if paused:
                gc.enable()
        # The document's objects live as long as the window shows it; moving them out of the
        # collector's generations keeps full collections (10-20 ms on a 5 MB page) out of edits.
        # They are acyclic dataclasses, so reference counting still frees them later.
        gc.freeze()
        self.document_ready.emit()

    def _show_document(self, doc: Document, save_path: str | None, page_path: str | None) -> None:
        self.doc = doc
        self.save_path = save_path
        self.page_path = page_path or doc.source
        self.selected = None
        self.link_mode = False
        self._focus_mentions = set()
        self.stack.clear()
        self.colours = EntityColours()
        for eid in doc.entities:
            self.colours.index(eid)
        self.quote_model.colours = self.colours
        self.speaker_model.colours = self.colours
        self._rebuild_index()
        self._rebuild_raw_index()
        self.showing_markup = False
        self.show_markup_action.blockSignals(True)
        self.show_markup_action.setChecked(False)
        self.show_markup_action.blockSignals(False)
        self.show_markup_action.setEnabled(doc.raw_kind == "html")
        self.raw_title.setText(RAW_TITLE)
        self.raw_view.set_text(doc.raw)
        self.article_view.set_text(doc.article)
        self.article_view.active_span = None
        self.article_view.outlines = []
        self.quote_model.set_document(doc)
        self.speaker_model.set_document(doc)
        self._update_header()
        self.refresh_highlights()
        self._update_title()
        self._update_enabled()
        self._update_status()

    def _rebuild_index(self):
        doc = self.doc
        entries = [(q.start, q.end, "quote", q.id) for q in doc.quotes.values()]
        entries += [(m.start, m.end, "mention", m.id) for m in doc.mentions.values()]
        entries += [(c.start, c.end, "cue", c.id) for c in doc.cues.values()]
        self.index = SpanIndex(entries)

    def _rebuild_raw_index(self):
        """Paragraphs by raw position: the raw view dims the gaps between them (boilerplate)."""
        paras = self.doc.paragraphs
        starts = [p.raw_start for p in paras]
        if any(a > b for a, b in pairwise(starts)):
            paras = sorted(paras, key=lambda p: p.raw_start)
            starts = [p.raw_start for p in paras]
        self._raw_paras = paras
        self._raw_para_starts = starts

    def _raw_paragraphs_in(self, lo: int, hi: int):
        paras = self._raw_paras
        i = max(0, bisect_right(self._raw_para_starts, lo) - 1)
        out = []
        while i < len(paras) and paras[i].raw_start < hi:
            if paras[i].raw_end > lo:
                out.append(paras[i])
            i += 1
        return out

    def _update_header(self):
        doc = self.doc
        if doc is None:
            self.header.setText("<i>No document. Open a page (Ctrl+O) or a corpus (Ctrl+Shift+O), drop a "
                                "file or folder here, or paste page text (Ctrl+Shift+V).</i>")
            return
        m = doc.meta
        esc = _esc
        parts = []
        headline = m.headline or "(no headline found)"
        parts.append(f"<div style='font-size:15pt; font-weight:600'>{esc(headline)}</div>")
        line = [x for x in (m.date, m.dateline) if x]
        who = " · ".join(x for x in (m.byline, m.agency) if x)
        if who:
            line.append(who)
        if line:
            parts.append(f"<div style='color:gray'>{esc(' — '.join(line))}</div>")
        self.header.setText("".join(parts))

    # == highlighting =================================================================================
    def refresh_highlights(self):
        if self.doc is None:
            return
        self._update_links()
        self.article_highlights.refresh()
        self.raw_highlights.refresh()

    def _style_for(self, kind: str, id: str, fmts: Formats, selected_ids: set):
        doc = self.doc
        if kind == "quote":
            q = doc.quotes[id]
            strong = q.reviewed or q.origin == "human"
            if is_unattributed(doc, q):
                return fmts.unattributed_quote(q.type, strong, ("quote", id) in selected_ids)
            ent = doc.speaker_entity(q)
            colour = self.colours.colour(ent.id if ent else None)
            return fmts.quote(colour, q.type, strong, ("quote", id) in selected_ids)
        if kind == "mention":
            m = doc.mentions[id]
            return fmts.mention(self.colours.colour(m.entity), ("mention", id) in selected_ids)
        return fmts.cue(("cue", id) in selected_ids)

    def _selected_family(self) -> set:
        """The selected span plus, for a quote, its speaker mention(s) and cue(s)."""
        sel = self.selected
        if self.doc is None:
            return set()
        out = {("mention", mid) for mid in self._focus_mentions}
        if sel is None:
            return out
        out.add(sel)
        if sel[0] == "quote":
            q = self.doc.quotes.get(sel[1])
            if q is not None:
                out.update(("mention", m) for m in [q.mention, *q.extra_mentions] if m)
                out.update(("cue", c) for c in [q.cue, *q.extra_cues] if c)
        return out

    def _article_decorations(self, lo: int, hi: int):
        if self.doc is None:
            return []
        fam = self._selected_family()
        fmts = self.article_formats
        # Longer spans first so a quote inside a quote paints over its container.
        entries = sorted(self.index.overlapping(lo, hi), key=lambda e: (_PAINT_ORDER[e[2]], e[0] - e[1]))
        return [(s, e, self._style_for(kind, id, fmts, fam)) for s, e, kind, id in entries]

    def _raw_decorations(self, lo: int, hi: int):
        doc = self.doc
        if doc is None or self.showing_markup:
            return []
        fmts = self.raw_formats
        out = []
        paras = self._raw_paragraphs_in(lo, hi)
        pos = lo
        for p in paras:
            if p.raw_start > pos:
                out.append((pos, p.raw_start, fmts.dimmed()))
            out.append((p.raw_start, p.raw_end, fmts.extracted()))
            pos = max(pos, p.raw_end)
        if pos < hi:
            out.append((pos, hi, fmts.dimmed()))
        # Headline, date, byline ... were extracted too, as metadata: not dimmed.
        for s, e in doc.meta.raw_spans.values():
            if s < hi and e > lo:
                out.append((s, e, fmts.metadata()))
        # Quotes whose paragraph was copied verbatim map exactly onto the page.
        a_lo = min((p.start for p in paras), default=None)
        a_hi = max((p.end for p in paras), default=None)
        fam = self._selected_family()
        if a_lo is not None:
            for s, e, kind, id in self.index.overlapping(a_lo, a_hi):
                if kind != "quote":
                    continue
                p = doc.paragraph_at(s)
                if p is None or not p.verbatim or e > p.end:
                    continue
                rs, re_ = doc.to_raw(s, e)
                out.append((rs, re_, self._style_for(kind, id, fmts, fam)))
        if self.selected is not None:
            obj = self._span_obj(self.selected)
            if obj is not None:
                rs, re_ = doc.to_raw(obj.start, obj.end)
                if re_ > rs:
                    out.append((rs, re_, fmts.raw_selected()))
        return out

    def _update_links(self):
        """Outlines (and link curves) for the selected quote's speaker and cue only."""
        obj = self._span_obj(self.selected) if self.selected else None
        if obj is None:
            self.article_view.set_links(None, [], None)
            return
        outlines = []
        if self.selected[0] == "quote":
            q = obj
            for mid in [q.mention, *q.extra_mentions]:
                m = self.doc.mentions.get(mid) if mid else None
                if m is not None:
                    outlines.append((m.start, m.end, self.article_formats.ink(self.colours.colour(m.entity))))
            for cid in [q.cue, *q.extra_cues]:
                c = self.doc.cues.get(cid) if cid else None
                if c is not None:
                    outlines.append((c.start, c.end, self.article_formats.text))
        self.article_view.set_links((obj.start, obj.end), outlines,
                                    obj.start if self.selected[0] == "quote" else None)

    def _article_tooltip(self, offset: int) -> str | None:
        if self.doc is None:
            return None
        parts = []
        for s, e, kind, id in self.index.at(offset):
            if kind == "quote":
                parts.append(quote_tooltip(self.doc, self.doc.quotes[id]))
            elif kind == "mention" and not parts:
                m = self.doc.mentions[id]
                ent = self.doc.entities.get(m.entity) if m.entity else None
                parts.append(f"speaker mention ({m.kind}) of <b>{_esc(ent.name if ent else '(no entity)')}</b>")
            elif kind == "cue" and not parts:
                parts.append("cue")
        return "<hr>".join(parts) or None

    def _raw_tooltip(self, offset: int) -> str | None:
        if self.doc is None:
            return None
        for name, (s, e) in self.doc.meta.raw_spans.items():
            if s <= offset < e:
                return f"article metadata: {name}"
        inside = any(p.raw_start <= offset < p.raw_end for p in self._raw_paragraphs_in(offset, offset + 1))
        return "extracted into the article" if inside else "boilerplate (not in the article)"

    # == selection ====================================================================================
    def _span_obj(self, key):
        if key is None or self.doc is None:
            return None
        kind, id = key
        pool = {"quote": self.doc.quotes, "mention": self.doc.mentions, "cue": self.doc.cues}.get(kind)
        return pool.get(id) if pool is not None else None

    def select(self, kind: str | None, id: str | None = None, reveal: bool = True, refresh: bool = True) -> None:
        """Selects a span everywhere: table row, article span (outlined with its links), raw span."""
        key = (kind, id) if kind else None
        if key is not None and self._span_obj(key) is None:
            key = None
        self.selected = key
        obj = self._span_obj(key)
        quote_id = None
        if key and key[0] == "quote":
            quote_id = key[1]
        self._sync_table_row(quote_id)
        if obj is not None and reveal:
            self.article_view.reveal(obj.start, obj.end)
            rs, re_ = self.doc.to_raw(obj.start, obj.end)
            if re_ > rs:
                self.raw_view.reveal(rs, re_)
        if refresh:
            self.refresh_highlights()
            self._update_enabled()
            self._update_status()
        self.selection_changed.emit(key)

    def _sync_table_row(self, quote_id: str | None) -> None:
        """The Quotes table highlights exactly the selected quote's row (none when no quote is selected)."""
        sm = self.quote_table.selectionModel()
        index = self.quote_proxy.index_of(quote_id) if quote_id is not None else None
        self._syncing = True
        try:
            if index is None or not index.isValid():
                sm.clearSelection()
                sm.setCurrentIndex(self.quote_proxy.index(-1, -1), QItemSelectionModel.SelectionFlag.NoUpdate)
            elif sm.currentIndex() != index or not sm.isRowSelected(index.row()):
                sm.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                   | QItemSelectionModel.SelectionFlag.Rows)
                self.quote_table.scrollTo(index)
        finally:
            self._syncing = False

    def _on_table_row(self, current, previous):
        if getattr(self, "_syncing", False) or not current.isValid():
            return
        qid = self.quote_proxy.quote_id_at(current)
        if qid is not None and self.selected != ("quote", qid):
            self.select("quote", qid)

    def _on_article_click(self, offset: int, modifiers):
        if self.doc is None:
            return
        hits = self.index.at(offset)
        if self.link_mode:
            self._link_to(hits)
            return
        if hits:
            # A click on a quote's mention or cue selects it; a second click on it walks outwards.
            order = [(h[2], h[3]) for h in hits]
            if self.selected in order:
                nxt = order[(order.index(self.selected) + 1) % len(order)]
            else:
                nxt = order[0]
            self.select(*nxt, reveal=False)
        elif self.selected is not None:
            self.select(None, reveal=False)

    def _link_to(self, hits) -> None:
        """Link mode's click: a speaker mention becomes the selected quote's speaker, a cue its cue."""
        self.link_mode = False
        self.article_view.viewport().unsetCursor()
        self.statusBar().clearMessage()
        sel = self.selected
        mentions = [h for h in hits if h[2] == "mention"]
        cues = [h for h in hits if h[2] == "cue"]
        if not (sel and sel[0] == "quote") or not (mentions or cues):
            self.statusBar().showMessage("Link cancelled: that is not a speaker mention or a cue", 4000)
            return
        qid = sel[1]
        if mentions:
            mid = mentions[0][3]
            if self.run_gesture(lambda: E.relink_quote(self.doc, qid, mid), "Change speaker"):
                self.statusBar().showMessage("Speaker linked", 3000)
        else:
            cid = cues[0][3]
            if self.run_gesture(lambda: E.link_cue(self.doc, qid, cid), "Link cue"):
                self.statusBar().showMessage("Cue linked", 3000)

    def _on_article_double_click(self, offset: int, modifiers=Qt.KeyboardModifier.NoModifier):
        """A double-click selects the word under it (inside a suggestion too: the word may become
        a speaker with S); Ctrl+double-click on a machine suggestion rejects it, as Delete does."""
        if self.doc is None or self.link_mode:
            return
        if not (modifiers & Qt.KeyboardModifier.ControlModifier):
            return
        for _, _, kind, sid in self.index.at(offset):
            q = self.doc.quotes.get(sid) if kind == "quote" else None
            if q is not None and q.origin == "machine" and not q.reviewed:
                self.article_view.select_range(offset, offset)
                self.select("quote", sid, reveal=False)
                self.do_reject_or_delete()
                return

    def raw_to_article(self, raw_offset: int) -> int | None:
        """The article offset a raw-page offset was copied to (verbatim paragraphs only)."""
        for p in self._raw_paragraphs_in(raw_offset, raw_offset + 1):
            if p.verbatim and p.raw_start <= raw_offset < p.raw_end:
                return p.start + raw_offset - p.raw_start
        return None

    def _on_raw_click(self, raw_offset: int, modifiers):
        if self.doc is None:
            return
        offset = self.raw_to_article(raw_offset)
        quotes = [h for h in self.index.at(offset) if h[2] == "quote"] if offset is not None else []
        if quotes:
            self.select("quote", quotes[0][3])

    # -- the two panes select the same characters --------------------------------------------------
    def _mirror_from_article(self):
        if self._mirroring or self.doc is None or self.showing_markup:
            return
        s, e = self.article_view.selected_range()
        self._mirror(self.raw_view, article_to_raw(self.doc, s, e) if e > s else None)

    def _mirror_from_raw(self):
        if self._mirroring or self.doc is None or self.showing_markup:
            return
        s, e = self.raw_view.selected_range()
        self.article_view.exact_selection = self.raw_view.exact_selection
        self._mirror(self.article_view, raw_to_article(self.doc, s, e, self._raw_paras) if e > s else None)

    def _mirror(self, view, span) -> None:
        self._mirroring = True
        try:
            if span is not None:
                if view.selected_range() != span:
                    view.select_range(*span)
            elif view.textCursor().hasSelection():
                cur = view.textCursor()
                cur.clearSelection()
                view.setTextCursor(cur)
        finally:
            self._mirroring = False

    # -- the page's markup ------------------------------------------------------------------------------
    def page_markup(self) -> str | None:
        """The HTML source of an HTML page: the Document's own copy when it keeps one beside the
        page text, else its raw text (which is the source for documents that keep no copy)."""
        doc = self.doc
        if doc is None or doc.raw_kind != "html":
            return None
        html = getattr(doc, "html", None)
        if isinstance(html, str) and html:
            return html
        text = getattr(html, "text", None)
        return text if isinstance(text, str) and text else doc.raw

    def do_show_markup(self, on: bool | None = None) -> None:
        """View > Show page markup: the raw pane shows the page's HTML source instead of its text
        (no highlights then: the offsets are the source's); off again, the page text."""
        act = self.show_markup_action
        if on is None:
            on = act.isChecked()
        markup = self.page_markup() if on else None
        on = markup is not None
        if act.isChecked() != on:
            act.blockSignals(True)
            act.setChecked(on)
            act.blockSignals(False)
        if on == self.showing_markup:
            return
        self.showing_markup = on
        if on:
            self.raw_view.set_text(markup)
            self.raw_title.setText("<b>Page markup</b> <span style='color:gray'>the HTML source as it was "
                                   "read (View › Show page markup again for the page text)</span>")
        elif self.doc is not None:
            self.raw_view.set_text(self.doc.raw)
            self.raw_title.setText(RAW_TITLE)
        self.raw_highlights.refresh()

    # == gestures =====================================================================================
    def run_gesture(self, edits, description: str, then_select=None) -> bool:
        """Applies a gesture's edits as one undoable command; reports an EditError and changes nothing.

        ``then_select(edits)`` names the span to select afterwards, so the views refresh once."""
        if self.doc is None:
            return False
        if callable(edits):
            try:
                edits = edits()
            except E.EditError as exc:
                self.statusBar().showMessage(str(exc), 6000)
                return False
        edits = list(edits)
        if not edits:
            return False
        try:
            inverses = apply_gesture(self.doc, edits)
        except E.EditError as exc:
            self.statusBar().showMessage(f"{description}: {exc}", 6000)
            return False
        cmd = GestureCommand(self.doc, edits, inverses, description, self._after_edits)
        self.stack.push(cmd)
        self._after_edits(edits, then_select(edits) if then_select else None)
        return True

    def _after_edits(self, edits, select: tuple[str, str] | None = None):
        """Brings the index, tables and highlights in line with the doc after (un)doing ``edits``."""
        doc = self.doc
        touched = touched_spans(edits)
        if touched is None:  # pragma: no cover - every core edit reports its changes
            self._rebuild_index()
            self.quote_model.set_document(doc)
        else:
            quote_ids = []
            for kind, id in touched:
                if kind == "entity":
                    continue
                obj = self._span_obj((kind, id))
                if obj is None:
                    self.index.remove(kind, id)
                else:
                    self.index.put(kind, id, obj.start, obj.end)
                if kind == "quote":
                    quote_ids.append(id)
            self._syncing = True
            try:
                self.quote_model.update_quotes(quote_ids)
            finally:
                self._syncing = False
            if any(k != "quote" for k, _ in touched):
                self.quote_model.refresh_all_cells()
        for eid in doc.entities:
            self.colours.index(eid)
        if self.selected is not None and self._span_obj(self.selected) is None:
            self.selected = None
        if select is not None:
            self.select(*select, reveal=False, refresh=False)
        else:
            sel = self.selected
            self._sync_table_row(sel[1] if sel and sel[0] == "quote" else None)
        self._speaker_debounce.start()
        self.refresh_highlights()
        self._update_enabled()
        self._update_status()

    def _on_stack_index(self, _):
        self._autosave_debounce.start()
        self._update_title()

    def _need(self, kind: str | None = "quote"):
        """The selected span (of ``kind``), or None with a hint in the status bar."""
        sel = self.selected
        if sel is None or (kind is not None and sel[0] != kind):
            self.statusBar().showMessage(f"Select a {kind or 'span'} first (N / P, or click one)", 4000)
            return None
        return sel

    def _text_selection(self):
        s, e = self.article_view.selected_range()
        if e <= s:
            self.statusBar().showMessage("Select some article text first", 4000)
            return None
        # Marking trims surrounding whitespace (a double-click selection often carries a space) and,
        # unless the selection was made with Alt held, takes whole words, as a dragged boundary does.
        text = self.doc.article
        s, e = trim_span(text, s, e) if self.article_view.exact_selection else snap_span(text, s, e)
        return (s, e) if e > s else None

    def do_mark_quote(self):
        if self.doc is None or (span := self._text_selection()) is None:
            return
        self._clear_text_selection()
        qtype = quote_type_by_marks(self.doc, *span)
        self.run_gesture(lambda: E.mark_quote(self.doc, *span, type=qtype), f"Mark {qtype} quote",
                         then_select=lambda edits: ("quote", _added(edits, "quote")))

    def do_add_fragment(self):
        """Shift+Enter: the selected text becomes a further part of the selected quote."""
        if (sel := self._need("quote")) is None or (span := self._text_selection()) is None:
            return
        self._clear_text_selection()
        self.run_gesture(lambda: E.add_fragment(self.doc, sel[1], *span), "Add quote fragment",
                         then_select=lambda edits: ("quote", _added(edits, "quote")))

    def do_mark_mention(self):
        if self.doc is None or (span := self._text_selection()) is None:
            return
        text = " ".join(self.doc.article[span[0]:span[1]].split()).casefold()
        entity = next((e.id for e in self.doc.entities.values() if e.name.casefold() == text), None)
        target = self.selected if self.selected and self.selected[0] == "quote" else None

        def build():
            edits = E.mark_mention(self.doc, *span, entity=entity)
            q = self.doc.quotes.get(target[1]) if target else None
            if q is not None and q.mention is None:
                mid = E.changes_of(edits).first_added("mention", edits)
                edits.append(E.SetFields("quote", q.id, {"mention": mid}, description="Mark speaker"))
            return edits

        self._clear_text_selection()
        self.run_gesture(build, "Mark speaker",
                         then_select=lambda edits: target or ("mention", _added(edits, "mention")))

    def do_mark_cue(self):
        if self.doc is None or (span := self._text_selection()) is None:
            return
        target = self.selected[1] if self.selected and self.selected[0] == "quote" else None
        self._clear_text_selection()
        self.run_gesture(lambda: E.mark_cue(self.doc, *span, quote=target), "Mark cue",
                         then_select=lambda edits: ("quote", target) if target else ("cue", _added(edits, "cue")))

    def _clear_text_selection(self):
        cur = self.article_view.textCursor()
        cur.clearSelection()
        self.article_view.setTextCursor(cur)

    def do_cycle_type(self):
        if (sel := self._need("quote")) is None:
            return
        q = self.doc.quotes[sel[1]]
        nxt = QUOTE_TYPES[(QUOTE_TYPES.index(q.type) + 1) % len(QUOTE_TYPES)] if q.type in QUOTE_TYPES else QUOTE_TYPES[0]
        self.set_selected_type(nxt)

    def set_selected_type(self, qtype: str):
        if (sel := self._need("quote")) is None:
            return
        self.run_gesture(lambda: E.set_quote_type(self.doc, sel[1], qtype), f"Quote type: {qtype}")

    def do_link_mode(self):
        if self._need("quote") is None:
            return
        self.link_mode = True
        self.article_view.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        self.statusBar().showMessage("Link mode: click the speaker mention or the cue (Esc cancels)")

    def do_link_entity(self):
        if (sel := self._need("quote")) is None:
            return
        eid = self.prompts.pick_entity(self.doc, "Link quote to speaker")
        if eid:
            self.run_gesture(lambda: E.link_quote_to_entity(self.doc, sel[1], eid), "Change speaker")

    def do_accept(self):
        if (sel := self._need("quote")) is None:
            return
        edits = E.accept_quote(self.doc, sel[1])
        if not edits or self.run_gesture(edits, "Accept quote"):
            self.do_next_quote()

    def do_reject_or_delete(self):
        sel = self._need(None)
        if sel is None:
            return
        if sel[0] == "quote":
            q = self.doc.quotes[sel[1]]
            if q.origin == "machine" and not q.reviewed:
                nxt = self._neighbour_quote(+1)
                if self.run_gesture(lambda: E.reject_quote(self.doc, q.id), "Reject quote") and nxt:
                    self.select("quote", nxt)
                return
        self.do_delete_span()

    def do_delete_span(self):
        sel = self._need(None)
        if sel is None:
            return
        kind, id = sel
        if kind == "quote":
            nxt = self._neighbour_quote(+1)
            if self.run_gesture(lambda: E.delete_quote(self.doc, id), "Delete quote") and nxt:
                self.select("quote", nxt)
        elif kind == "cue":
            self.run_gesture(lambda: E.delete_cue(self.doc, id), "Delete cue")
        elif kind == "mention":
            self.delete_mention(id)

    def delete_mention(self, mention_id: str):
        doc = self.doc
        m = doc.mentions[mention_id]
        users = [q for q in doc.quotes.values() if q.mention == mention_id or mention_id in q.extra_mentions]
        choice = "unlink"
        if users:
            others = [o for o in doc.mentions.values() if o.id != mention_id and o.entity == m.entity and m.entity]
            answer = self.prompts.ask_mention_quotes(doc.article[m.start:m.end], len(users), bool(others))
            if answer is None:
                return
            if answer == "relink":
                # The nearest other mention of the same speaker, before the mention if there is one.
                before = [o for o in others if o.start <= m.start]
                other = max(before, key=lambda o: o.start) if before else min(others, key=lambda o: o.start)
                choice = ("relink", other.id)
            else:
                choice = answer
        self.run_gesture(lambda: E.delete_mention(doc, mention_id, quotes=choice), "Delete speaker mention")

    def do_accept_all(self):
        if self.doc is not None:
            self.run_gesture(lambda: E.accept_all(self.doc), "Accept all suggestions")

    def do_mark_done(self):
        if self.doc is not None and self.run_gesture(lambda: E.set_doc_status(self.doc, "done"),
                                                     "Mark document reviewed"):
            if self.corpus_mode.showing_corpus_document():
                # 'done' is a decision about the corpus: the list and the statistics show it at once
                self.do_save()
            self.statusBar().showMessage("Document marked reviewed", 4000)

    def do_cancel(self):
        if self.link_mode:
            self.link_mode = False
            self.article_view.viewport().unsetCursor()
            self.statusBar().showMessage("Link cancelled", 3000)
        elif self.selected is not None:
            self.select(None, reveal=False)

    # -- boundaries ------------------------------------------------------------------------------------
    def move_selected_boundary(self, side: str, direction: int, unit: str):
        if (sel := self._need(None)) is None:
            return
        obj = self._span_obj(sel)
        new = boundary_step(self.doc.article, getattr(obj, side), side, direction, unit)
        self.run_gesture(lambda: E.move_boundary(self.doc, sel[0], sel[1], side, new),
                         f"Move {sel[0]} {side}")

    def do_start_left(self): self.move_selected_boundary("start", -1, "word")
    def do_start_right(self): self.move_selected_boundary("start", +1, "word")
    def do_end_left(self): self.move_selected_boundary("end", -1, "word")
    def do_end_right(self): self.move_selected_boundary("end", +1, "word")
    def do_start_left_char(self): self.move_selected_boundary("start", -1, "char")
    def do_start_right_char(self): self.move_selected_boundary("start", +1, "char")
    def do_end_left_char(self): self.move_selected_boundary("end", -1, "char")
    def do_end_right_char(self): self.move_selected_boundary("end", +1, "char")

    def set_boundary_at(self, side: str, offset: int):
        if (sel := self._need(None)) is None:
            return
        self.run_gesture(lambda: E.move_boundary(self.doc, sel[0], sel[1], side, offset), f"Move {sel[0]} {side}")

    def do_set_start_here(self):
        self.set_boundary_at("start", self.article_view.offsets.from_qt(self.article_view.textCursor().position()))

    def do_set_end_here(self):
        self.set_boundary_at("end", self.article_view.offsets.from_qt(self.article_view.textCursor().position()))

    def _on_boundary_dropped(self, side: str, offset: int, modifiers=Qt.KeyboardModifier.NoModifier):
        # Dropped inside a word, an edge snaps to the word's edge; Alt keeps the exact character.
        if self.doc is not None and not (modifiers & Qt.KeyboardModifier.AltModifier):
            offset = E.snap_to_word(self.doc.article, offset, side)
        self.set_boundary_at(side, offset)

    # -- navigation ------------------------------------------------------------------------------------
    def _neighbour_quote(self, step: int) -> str | None:
        """The quote after (step +1) or before (-1) the selection, in article order."""
        model = self.quote_model
        n = model.rowCount()
        if n == 0:
            return None
        sel = self.selected
        if sel and sel[0] == "quote" and model.row_of(sel[1]) >= 0:
            return model.quote_id(model.row_of(sel[1]) + step)
        obj = self._span_obj(sel)
        if obj is None:
            return model.quote_id(0 if step > 0 else n - 1)
        row = model.first_row_at_or_after(obj.start + (1 if step > 0 else 0))
        return model.quote_id(row if step > 0 else row - 1)

    def set_quote_filter(self, mode: str) -> None:
        """Which quotes the Quotes panel lists: one of ``quote_table.FILTERS``."""
        self.quote_proxy.set_filter(mode)
        i = self.quote_filter.findData(mode)
        if i != self.quote_filter.currentIndex():
            self.quote_filter.setCurrentIndex(i)
        sel = self.selected
        self._sync_table_row(sel[1] if sel and sel[0] == "quote" else None)

    def do_next_least_confident(self):
        """The next unreviewed suggestion in order of confidence, least confident first: the quotes
        most likely wrong are checked first. Wraps around; says so when none is left."""
        if self.doc is None:
            return
        order = least_confident_order(self.doc)
        if not order:
            self.statusBar().showMessage("Every quote is reviewed", 4000)
            return
        sel = self.selected
        nxt = order[0]
        if sel and sel[0] == "quote" and sel[1] in order:
            nxt = order[(order.index(sel[1]) + 1) % len(order)]
        self.select("quote", nxt)
        q = self.doc.quotes[nxt]
        self.statusBar().showMessage(
            f"Least confident unreviewed: confidence {q.confidence:.2f} ({len(order)} to review)", 4000)

    def do_next_quote(self):
        qid = self._neighbour_quote(+1)
        if qid:
            self.select("quote", qid)

    def do_previous_quote(self):
        qid = self._neighbour_quote(-1)
        if qid:
            self.select("quote", qid)

    # -- speakers -------------------------------------------------------------------------------------
    def _selected_entities(self) -> list[str]:
        rows = sorted({i.row() for i in self.speaker_table.selectionModel().selectedRows()})
        ids = [self.speaker_model.entity_id(r) for r in rows]
        ids = [i for i in ids if i]
        if not ids and self.selected:
            obj = self._span_obj(self.selected)
            if self.selected[0] == "mention":
                ids = [obj.entity] if obj.entity else []
            elif self.selected[0] == "quote":
                ent = self.doc.speaker_entity(obj)
                ids = [ent.id] if ent else []
        return ids

    def select_entities(self, ids: list[str]):
        sm = self.speaker_table.selectionModel()
        sm.clearSelection()
        for eid in ids:
            row = self.speaker_model.row_of(eid)
            if row >= 0:
                sm.select(self.speaker_model.index(row, 0),
                          QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)

    def do_rename_entity(self):
        ids = self._selected_entities()
        if not ids:
            self.statusBar().showMessage("Select a speaker first", 4000)
            return
        ent = self.doc.entities[ids[0]]
        name = self.prompts.ask_text("Rename speaker", "Name:", ent.name)
        if name:
            self.run_gesture(lambda: E.rename_entity(self.doc, ent.id, name), "Rename speaker")

    def do_merge_entity(self):
        ids = self._selected_entities()
        if not ids:
            self.statusBar().showMessage("Select a speaker first", 4000)
            return
        if len(ids) >= 2:
            keep, drops = ids[0], ids[1:]
        else:
            keep = self.prompts.pick_entity(self.doc, f"Merge {self.doc.entities[ids[0]].name} into…", exclude=ids[0])
            if not keep:
                return
            drops = ids

        def build():
            edits = []
            for d in drops:
                # Each builder sees the doc as the previous ones will leave it.
                step = E.merge_entities(self.doc, keep, d)
                edits += step
            return edits
        self._speaker_debounce.stop()
        if self.run_gesture(build, "Merge speakers"):
            self.speaker_model.recount()
            self.select_entities([keep])

    def do_split_entity(self):
        ids = self._selected_entities()
        if not ids:
            self.statusBar().showMessage("Select a speaker first", 4000)
            return
        eid = ids[0]
        mention_ids = self.prompts.pick_mentions(self.doc, eid)
        if not mention_ids:
            return
        m0 = self.doc.mentions[mention_ids[0]]
        name = self.prompts.ask_text("Split speaker", "Name of the new speaker:",
                                     " ".join(self.doc.article[m0.start:m0.end].split()))
        if name:
            self.run_gesture(lambda: E.split_entity(self.doc, eid, mention_ids, name), "Split speaker")
            self.speaker_model.recount()

    def _on_speaker_context(self, pos: QPoint):
        menu = QMenu(self)
        for name in ("rename_entity", "merge_entity", "split_entity"):
            menu.addAction(self.actions_by_name[name])
        menu.exec(self.speaker_table.viewport().mapToGlobal(pos))

    def _on_quote_table_context(self, pos: QPoint):
        menu = QMenu(self)
        for name in ("accept", "reject_or_delete", "link_mode", "link_entity", "accept_all"):
            menu.addAction(self.actions_by_name[name])
        menu.addMenu(self.type_menu)
        menu.exec(self.quote_table.viewport().mapToGlobal(pos))

    def _on_speaker_selection(self, *_):
        """Speakers picked in the panel get all their mentions marked, to judge a merge or split."""
        ids = {self.speaker_model.entity_id(i.row()) for i in self.speaker_table.selectionModel().selectedRows()}
        self._focus_mentions = {m.id for m in self.doc.mentions.values() if m.entity in ids} if self.doc else set()
        self.article_highlights.refresh()

    def _on_speaker_double_click(self, index):
        eid = self.speaker_model.entity_id(index.row())
        ms = [m for m in self.doc.mentions.values() if m.entity == eid]
        if ms:
            self.select("mention", ms[0].id)

    def _on_article_context(self, offset: int, global_pos: QPoint):
        menu = self.article_context_menu(offset)
        menu.exec(global_pos)

    def article_context_menu(self, offset: int) -> QMenu:
        """The article's right-click menu: mark, link, type, boundaries "here", delete."""
        self._context_offset = offset
        menu = QMenu(self)
        a = self.actions_by_name
        has_text = self.article_view.textCursor().hasSelection()
        for name in ("mark_quote", "mark_mention", "mark_cue"):
            a[name].setEnabled(has_text and self.doc is not None)
            menu.addAction(a[name])
        menu.addSeparator()
        if self.selected is not None:
            start_here = menu.addAction("Set start here")
            start_here.setObjectName("ctx_start_here")
            start_here.triggered.connect(lambda: self.set_boundary_at("start", offset))
            end_here = menu.addAction("Set end here")
            end_here.setObjectName("ctx_end_here")
            end_here.triggered.connect(lambda: self.set_boundary_at("end", offset))
            menu.addSeparator()
        for name in ("link_mode", "link_entity", "accept", "reject_or_delete", "delete_span"):
            menu.addAction(a[name])
        menu.addMenu(self.type_menu)
        return menu

    # == enabling and title ===========================================================================
    def _update_enabled(self):
        has_doc = self.doc is not None and not self.busy
        sel = self.selected
        q = self.doc.quotes.get(sel[1]) if has_doc and sel and sel[0] == "quote" else None
        for spec in ACTIONS:
            if spec.owner != "window" or spec.name in (
                    "open", "recover", "paste_page", "quit", "preferences", "shortcuts", "close_window", "cancel"):
                continue
            self.actions_by_name[spec.name].setEnabled(has_doc)
        if has_doc:
            for t, ta in self.type_actions.items():
                ta.setChecked(q is not None and q.type == t)
        self.type_menu.setEnabled(q is not None)

    def _update_status(self):
        doc = self.doc
        if doc is None:
            self.status_label.setText("")
            return
        pending = sum(1 for q in doc.quotes.values() if not q.reviewed) if len(doc.quotes) < 5000 else None
        text = f"{len(doc.quotes)} quotes"
        if pending is not None:
            text += f", {pending} to review"
        text += f" · status: {doc.status}"
        self.status_label.setText(text)

    def _update_title(self):
        if self.busy and self.loading:
            self.setWindowTitle(f"{self.loading} (loading) — QuoteDesk")
            return
        name = "untitled"
        corpus = self.corpus_mode.corpus if self.corpus_mode.showing_corpus_document() else None
        if corpus is not None:
            name = f"{self.doc.id} ({corpus.source.name})"
        elif self.save_path:
            name = Path(self.save_path).name
        elif self.page_path:
            name = Path(self.page_path).name
        elif self.doc is not None:
            name = self.doc.id
        self.setWindowTitle(f"{name}[*] — QuoteDesk")
        self.setWindowModified(not self.stack.isClean())

    # == files ========================================================================================
    def do_open(self):
        start = str(Path(self.page_path).parent) if self.page_path else str(Path.home())
        for path in self.prompts.open_paths(start):
            self.open_path(path)
            break

    def open_path(self, path: str) -> bool:
        """Opens an annotation file or a page (analysed in a worker when long); errors go to a dialog."""
        if self.corpus_mode.is_corpus_path(path):
            return self.corpus_mode.open_corpus(path)
        if not self.maybe_save():
            return False
        path = str(path)
        if path.endswith((SUFFIX, ".json")):
            try:
                doc = load_document(path)
            except (AnnotationFileError, OSError, ValueError) as exc:
                self.prompts.error("Cannot open annotation file", str(exc))
                return False
            if path.endswith(AUTOSAVE_SUFFIX):
                # An autosave is recovered work, never a file to save over.
                self.set_document(doc, save_path=None, page_path=doc.source)
                self._recovered_from = path
                self._mark_recovered()
                return True
            recovered = self._maybe_recover(path, path)
            if recovered is not None:
                doc = recovered
            self.set_document(doc, save_path=path, page_path=doc.source)
            if recovered is not None:
                self._mark_recovered()
            self._remember(path)
            return True
        from quotedesk.core.readers import ReadError, read_path
        try:
            size = os.path.getsize(path)
        except OSError:
            size = 0
        rec = None
        if size < BACKGROUND_BYTES:
            try:
                rec = read_path(path)
            except (ReadError, OSError) as exc:
                self.prompts.error("Cannot open page", str(exc))
                return False
        target = default_save_path(path)
        recovered = self._maybe_recover(target, path)
        if recovered is not None:
            self.set_document(recovered, save_path=None, page_path=path)
            self._mark_recovered()
        elif rec is not None:
            self.start_analysis(rec.text, rec.kind, rec.id, rec.source)
        else:
            # A big page: the window names it and shows it is busy while a worker reads and analyses.
            self._show_loading(path, size)
            self._analysis_generation += 1
            self._task = submit(read_and_analyze, path, tag=self._analysis_generation,
                                on_done=self._on_task_done, on_error=self._on_task_failed)
        self._remember(path)
        return True

    def _show_loading(self, name: str, size: int | None = None) -> None:
        """The page's name in the title and header, a busy bar and a message while it loads."""
        self.busy = True
        self.loading = Path(name).name if name else "page"
        what = self.loading + (f" ({size / 1e6:.1f} MB)" if size else "")
        self.setWindowTitle(f"{self.loading} (loading) — QuoteDesk")
        self.header.setText(f"<i>Loading {_esc(what)}: reading, extracting the article and finding "
                            "the quotes…</i>")
        self.progress.show()
        self.statusBar().showMessage(f"Loading {what}…")
        self.article_view.setPlaceholderText(f"Loading {what}…")
        self._update_enabled()

    def _remember(self, path: str):
        self.settings.add_recent(str(Path(path).resolve()))
        self._rebuild_recent_menu()

    def _rebuild_recent_menu(self):
        self.recent_menu.clear()
        for p in self.settings.get("recent_files"):
            act = self.recent_menu.addAction(p)
            act.triggered.connect(lambda _=False, p=p: self.open_path(p))
        self.recent_menu.setEnabled(bool(self.settings.get("recent_files")))

    def start_analysis(self, raw: str, kind: str, doc_id: str, source: str | None) -> None:
        """Extraction and attribution, in a pool thread for long pages; ``document_ready`` fires at the end."""
        self._show_loading(source or doc_id, len(raw) if len(raw) >= BACKGROUND_CHARS else None)
        self.statusBar().showMessage(f"Analysing {source or doc_id}…")
        if len(raw) < BACKGROUND_CHARS:
            self._analysis_generation += 1
            try:
                doc = analyze_page(raw, kind, doc_id, source)
            except Exception as exc:  # noqa: BLE001 - any failure on any page goes to a dialog, never a crash
                self._analysis_failed(f"{type(exc).__name__}: {exc}")
            else:
                self._analysis_done(doc)
            return
        self._analysis_generation += 1
        generation = self._analysis_generation
        self._task = submit(analyze_page, raw, kind, doc_id, source, tag=generation,
                            on_done=self._on_task_done, on_error=self._on_task_failed)

    def _on_task_done(self, generation, doc):
        if generation == self._analysis_generation:
            self._analysis_done(doc)

    def _on_task_failed(self, generation, message: str):
        if generation == self._analysis_generation:
            self._analysis_failed(message)

    def _analysis_done(self, doc):
        if isinstance(doc, tuple):  # read_and_analyze could not read the page
            self._analysis_failed(doc[1], "Cannot open page")
            return
        self.article_view.setPlaceholderText("")
        self.busy = False
        self.loading = None
        self._task = None
        self.progress.hide()
        self.statusBar().showMessage(f"{len(doc.quotes)} quotes found", 4000)
        self.set_document(doc, save_path=None, page_path=doc.source)

    def _analysis_failed(self, message: str, title: str = "Analysis failed"):
        self.busy = False
        self.loading = None
        self._task = None
        self.progress.hide()
        self.article_view.setPlaceholderText("")
        self.statusBar().clearMessage()
        self._update_enabled()
        self._update_title()
        self._update_header()
        self.prompts.error(title, message)

    def do_recover(self):
        """Lists the autosaves of documents never saved (pasted or dropped text) to reopen one."""
        from quotedesk.core.annotation_file import user_data_dir
        folder = user_data_dir() / "autosave"
        folder.mkdir(parents=True, exist_ok=True)
        for path in self.prompts.open_paths(str(folder)):
            self.open_path(path)
            break

    def do_paste_page(self):
        self.open_text(QGuiApplication.clipboard().text(), "clipboard")

    def open_text(self, text: str, origin: str) -> bool:
        """A new document from page text (pasted or dropped), analysed like a page read from disk."""
        if not text.strip():
            self.statusBar().showMessage(f"The {origin} holds no text", 4000)
            return False
        if not self.maybe_save():
            return False
        from quotedesk.core.readers import looks_like_html
        from quotedesk.core.textmap import normalize_newlines
        text = normalize_newlines(text)[0]
        kind = "html" if looks_like_html(text) else "text"
        self.start_analysis(text, kind, f"{origin}-{time.strftime('%Y%m%d-%H%M%S')}", None)
        return True

    def do_save(self) -> bool:
        if self.doc is None:
            return False
        if not self.save_path:
            return self.do_save_as()
        return self.save_to(self.save_path)

    def do_save_as(self) -> bool:
        if self.doc is None:
            return False
        suggested = self.save_path or default_save_path(self.page_path) or str(Path.home() / (self.doc.id + SUFFIX))
        path = self.prompts.save_path(suggested)
        if not path:
            return False
        if not path.endswith(SUFFIX):
            path = path[:-5] + SUFFIX if path.endswith(".json") else path + SUFFIX
        return self.save_to(path)

    def save_to(self, path: str) -> bool:
        old_autosave = self.autosave_file()
        try:
            self.saver(self.doc, path)
        except (OSError, ValueError) as exc:
            self.prompts.error("Cannot save", f"{path}: {exc}")
            return False
        self.save_path = path
        self.stack.setClean()
        recovered, self._recovered_from = self._recovered_from, None
        for p in {old_autosave, self.autosave_file(), recovered}:
            _remove_quietly(p)
        if not self.corpus_mode.owns(path):  # the corpus itself is what Open recent remembers
            self._remember(path)
        self._update_title()
        self._update_status()
        self.statusBar().showMessage(f"Saved {path}", 4000)
        self.saved.emit(path)
        return True

    # -- autosave and recovery ----------------------------------------------------------------------
    def autosave_file(self) -> Path | None:
        if self.doc is None:
            return None
        target = self.save_path or default_save_path(self.page_path)
        return autosave_path(target, self.doc.id)

    def autosave(self) -> Path | None:
        """Writes the unsaved state to the sidecar; nothing when the doc is clean."""
        if self.doc is None or self.stack.isClean():
            return None
        path = self.autosave_file()
        state = (self.stack.index(), str(path))
        if state == self._autosaved and path.exists():
            return path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            save_document(self.doc, path)
        except (OSError, ValueError) as exc:
            self.statusBar().showMessage(f"Autosave failed: {exc}", 6000)
            return None
        self._autosaved = state
        return path

    def _maybe_recover(self, target: str | None, original: str) -> Document | None:
        side = autosave_path(target) if target else None
        if side is None or not side.exists():
            return None
        try:
            newer = side.stat().st_mtime >= Path(original).stat().st_mtime
        except OSError:
            newer = True
        if not newer:
            return None
        if not self.prompts.ask_recover(str(side), original):
            return None
        try:
            return load_document(side)
        except AnnotationFileError as exc:
            self.prompts.error("Cannot recover autosave", str(exc))
            return None

    def _mark_recovered(self):
        # The recovered state differs from the file on disk: keep it "modified" until saved.
        self.stack.resetClean()
        self._update_title()
        self.statusBar().showMessage("Recovered unsaved work from the autosave", 6000)

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current doc (saved, discarded, or nothing to lose)."""
        if self.doc is None or self.stack.isClean():
            return True
        answer = self.prompts.ask_save_changes(self.windowTitle().replace("[*]", "").split(" — ")[0])
        if answer == "save":
            return self.do_save()
        if answer == "discard":
            _remove_quietly(self.autosave_file())
            self.stack.setClean()
            return True
        return False

    def closeEvent(self, ev):
        if self.maybe_save():
            self._autosave_debounce.stop()
            self.save_layout()
            self.corpus_mode.close()
            ev.accept()
        else:
            ev.ignore()

    def do_close_window(self):
        self.close()

    def do_quit(self):
        from PySide6.QtWidgets import QApplication
        QApplication.closeAllWindows()

    # -- drag and drop -----------------------------------------------------------------------------
    @staticmethod
    def _droppable(ev) -> bool:
        """Files, or page text from another program; never text dragged out of our own views
        (a selection dragged a few pixels would otherwise replace the document)."""
        md = ev.mimeData()
        if md.hasFormat(OWN_SELECTION_MIME) or ev.source() is not None:
            return False
        return md.hasUrls() or md.hasText()

    def dragEnterEvent(self, ev):
        if self._droppable(ev):
            ev.acceptProposedAction()
        else:
            ev.ignore()

    def dragMoveEvent(self, ev):
        if self._droppable(ev):
            ev.acceptProposedAction()
        else:
            ev.ignore()

    def dropEvent(self, ev):
        md = ev.mimeData()
        if not self._droppable(ev):
            ev.ignore()
            return
        if md.hasUrls():
            for url in md.urls():
                if url.isLocalFile():
                    self.open_path(url.toLocalFile())
                    break
            ev.acceptProposedAction()
        elif md.hasText():
            self.open_text(md.text(), "dropped text")
            ev.acceptProposedAction()

    # == dialogs ======================================================================================
    def do_preferences(self):
        from .dialogs import PreferencesDialog
        dlg = PreferencesDialog(self.settings, self)
        if dlg.exec():
            dlg.store()
            self.apply_preferences()

    def do_shortcuts(self):
        from .dialogs import ShortcutsDialog
        ShortcutsDialog(self.all_shortcuts(), self).exec()


def _added(edits, kind: str) -> str | None:
    """The id of the first ``kind`` object a gesture adds."""
    return E.changes_of(edits).first_added(kind, edits)


def _remove_quietly(path):
    if path is None:
        return
    try:
        os.remove(path)
    except OSError:
        pass


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
