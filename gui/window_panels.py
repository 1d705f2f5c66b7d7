"""The review window's panels: the Quotes table (its filter, sort and the row that follows the
selection) and the Speakers table (a mixin of ReviewWindow)."""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .quote_table import FILTERS, QuoteFilterProxy, QuoteTableModel
from .speaker_table import SpeakerTableModel


class WindowPanels:
    """The Quotes and Speakers docks of ReviewWindow and what their rows do."""

    def _build_quotes_panel(self):
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

    def _build_speakers_panel(self):
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

    # -- the Quotes table ------------------------------------------------------------------------
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

    def set_quote_filter(self, mode: str) -> None:
        """Which quotes the Quotes panel lists: one of ``quote_table.FILTERS``."""
        self.quote_proxy.set_filter(mode)
        i = self.quote_filter.findData(mode)
        if i != self.quote_filter.currentIndex():
            self.quote_filter.setCurrentIndex(i)
        sel = self.selected
        self._sync_table_row(sel[1] if sel and sel[0] == "quote" else None)

    # -- the Speakers table -----------------------------------------------------------------------
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
        self.controller.focus_mentions = {m.id for m in self.doc.mentions.values() if m.entity in ids} if self.doc else set()
        self.article_highlights.refresh()

    def _on_speaker_double_click(self, index):
        eid = self.speaker_model.entity_id(index.row())
        ms = [m for m in self.doc.mentions.values() if m.entity == eid]
        if ms:
            self.select("mention", ms[0].id)
