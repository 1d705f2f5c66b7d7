"""The review window: raw page beside the article, Quotes and Speakers panels, corrections, files and autosave."""
from __future__ import annotations

import gc
from bisect import bisect_right
from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QGuiApplication, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QProgressBar,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from quotedesk.core.annotation_file import save_document
from quotedesk.core.model import QUOTE_TYPES, Document

from .action_table import ACTIONS
from .colours import EntityColours, Formats
from .highlighter import HighlightManager
from .prompts import Prompts
from .settings import Settings
from .document_controller import DocumentController
from .text_views import ArticleView, RawView
from .window_actions import WindowActions
from .window_files import WindowFiles
from .window_panels import WindowPanels
from .window_views import RAW_TITLE, WindowViews, escape_text



class ReviewWindow(WindowViews, WindowActions, WindowPanels, WindowFiles, QMainWindow):
    """One document under review. ``prompts`` and ``settings`` are injectable for tests."""

    document_ready = Signal()  # analysis finished (or a file loaded) and the views show the doc
    selection_changed = Signal(object)  # (kind, id) or None
    saved = Signal(str)  # the path the document was just saved to

    def __init__(self, settings: Settings | None = None, prompts: Prompts | None = None):
        super().__init__()
        self.settings = settings or Settings()
        self.prompts = prompts or Prompts(self)
        # The document, the selection and link mode live in a Qt-free controller.
        self.controller = DocumentController()
        self.save_path: str | None = None
        self.page_path: str | None = None
        self.busy = False
        self.showing_markup = False  # the raw pane shows the HTML source (View > Show page markup)
        self.loading: str | None = None  # the name of the page being read and analysed
        self._task = None
        self._analysis_generation = 0  # results of an analysis started before the latest open are dropped
        self._autosaved = None  # (undo index, path) of the last autosave
        self._recovered_from: str | None = None  # the autosave file opened directly, removed once saved
        self.colours = EntityColours()
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

        self._build_quotes_panel()
        self._build_speakers_panel()

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
            # The corpus list comes back where it was, but only once a corpus is open.
            self.corpus_mode.corpus_dock.hide()
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
    def set_document(self, doc: Document, save_path: str | None = None, page_path: str | None = None,
                     prepared: dict | None = None) -> None:
        """Shows ``doc``: both texts, the first highlights, the tables. Clears the undo history."""
        # Indexing a long document allocates many small tuples; the cyclic collector would walk the
        # whole heap several times meanwhile (measured: a third of the opening time).
        paused = gc.isenabled()
        gc.disable()
        try:
            self._show_document(doc, save_path, page_path, prepared or {})
        finally:
            if paused:
                gc.enable()
        # The document's objects live as long as the window shows it; moving them out of the
        # collector's generations keeps full collections (10-20 ms on a 5 MB page) out of edits.
        # They are acyclic dataclasses, so reference counting still frees them later.
        gc.freeze()
        self.document_ready.emit()

    def _show_document(self, doc: Document, save_path: str | None, page_path: str | None, prepared: dict) -> None:
        self.controller.set_document(doc)
        self.save_path = save_path
        self.page_path = page_path or doc.source
        self.stack.clear()
        self.colours = EntityColours()
        for eid in doc.entities:
            self.colours.index(eid)
        self.quote_model.colours = self.colours
        self.speaker_model.colours = self.colours
        self._rebuild_raw_index()
        self.showing_markup = False
        self.show_markup_action.blockSignals(True)
        self.show_markup_action.setChecked(False)
        self.show_markup_action.blockSignals(False)
        self.show_markup_action.setEnabled(doc.raw_kind == "html")
        self.raw_title.setText(RAW_TITLE)
        self.raw_view.set_text(doc.raw, prepared.get("raw"))
        self.article_view.set_text(doc.article, prepared.get("article"))
        self.article_view.active_span = None
        self.article_view.outlines = []
        self.quote_model.set_document(doc)
        self.speaker_model.set_document(doc)
        self._update_header()
        if self._raw_paras:
            # Long menus and headers come first on real pages: show where the article starts.
            first = self._raw_paras[0].raw_start
            self.raw_view.reveal(first, first)
        self.refresh_highlights()
        self._update_title()
        self._update_enabled()
        self._update_status()

    # -- the controller's state, under the names the views and tests use ---------------------------
    @property
    def doc(self) -> Document | None:
        return self.controller.doc

    @property
    def index(self):
        return self.controller.index

    @property
    def selected(self) -> tuple[str, str] | None:
        return self.controller.selected

    @selected.setter
    def selected(self, key) -> None:
        self.controller.selected = key

    @property
    def link_mode(self) -> bool:
        return self.controller.link_mode

    @link_mode.setter
    def link_mode(self, on: bool) -> None:
        self.controller.link_mode = on

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
        esc = escape_text
        parts = []
        headline = m.headline or "(no headline found)"
        parts.append(f"<div style='font-size:15pt; font-weight:600'>{esc(headline)}</div>")
        line = [x for x in (m.date_text or m.date, m.dateline) if x]
        who = " · ".join(dict.fromkeys(x for x in (m.byline, m.agency) if x))  # a wire story's byline is its agency
        if who:
            line.append(who)
        if line:
            parts.append(f"<div style='color:gray'>{esc(' — '.join(line))}</div>")
        self.header.setText("".join(parts))

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
