"""The corpus document list as a Qt table model (id, status, quotes, reviewed) and its status/text filter."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from quotedesk.core.corpus import Corpus, DocEntry

# Okabe-Ito hues (as gui/colours.py), so a status reads the same for colour-blind annotators;
# the status word is always shown beside the marker, never colour alone.
STATUS_COLOURS = {"new": "#999999", "machine": "#56B4E9", "review": "#E69F00", "done": "#009E73"}
STATUS_LABELS = {"new": "new", "machine": "machine", "review": "in review", "done": "done"}
COLUMNS = ("Document", "Status", "Quotes", "Rev.")
# Header tooltips: short headers leave the ids room in a narrow dock.
COLUMN_TIPS = ("The document's id (the full id in each row's tooltip)", "Where the document's review stands",
               "Quotes in the document", "Quotes a person has reviewed")
ID_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
_STATUS_ORDER = {"new": 0, "machine": 1, "review": 2, "done": 3}


class CorpusTableModel(QAbstractTableModel):
    """One row per document, in corpus order, from the summaries the corpus keeps (no document
    is loaded to show the list)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._corpus: Corpus | None = None
        self._ids: list[str] = []
        self._rows: dict[str, DocEntry] = {}
        self._row_of: dict[str, int] = {}

    @property
    def corpus(self) -> Corpus | None:
        return self._corpus

    def set_corpus(self, corpus: Corpus | None) -> None:
        self.beginResetModel()
        self._corpus = corpus
        self._ids = corpus.ids if corpus is not None else []
        self._row_of = {i: n for n, i in enumerate(self._ids)}
        self._rows = {i: corpus.entry(i) for i in self._ids} if corpus is not None else {}
        self.endResetModel()

    def refresh(self, doc_id: str | None = None) -> None:
        """Re-read the summary of one document (or all) from the corpus."""
        if self._corpus is None:
            return
        ids = [doc_id] if doc_id is not None else self._ids
        changed = []
        for i in ids:
            if i not in self._row_of:
                continue
            e = self._corpus.entry(i)
            old = self._rows.get(i)
            if old is None or (old.status, old.quotes, old.reviewed) != (e.status, e.quotes, e.reviewed):
                self._rows[i] = e
                changed.append(self._row_of[i])
        # One signal per run of adjacent changed rows: views and the proxy redo only those.
        changed.sort()
        start = prev = None
        for r in changed + [None]:
            if start is not None and (r is None or r != prev + 1):
                self.dataChanged.emit(self.index(start, 0), self.index(prev, len(COLUMNS) - 1))
                start = None
            if r is not None and start is None:
                start = r
            prev = r

    def doc_id(self, row: int) -> str:
        return self._ids[row]

    def row_of(self, doc_id: str) -> int:
        return self._row_of.get(doc_id, -1)

    # -- Qt model --------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return COLUMN_TIPS[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        doc_id = self._ids[index.row()]
        e = self._rows[doc_id]
        col = index.column()
        if role == ID_ROLE:
            return doc_id
        if role == STATUS_ROLE:
            return e.status
        if role == Qt.ItemDataRole.DisplayRole:
            return (doc_id, STATUS_LABELS[e.status], e.quotes, e.reviewed)[col]
        if role == SORT_ROLE:
            return (doc_id.casefold(), _STATUS_ORDER[e.status], e.quotes, e.reviewed)[col]
        if role == Qt.ItemDataRole.DecorationRole and col == 1:
            return QColor(STATUS_COLOURS[e.status])
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{doc_id}: {STATUS_LABELS[e.status]}, {e.quotes} quotes, {e.reviewed} reviewed"
        return None


class CorpusFilterProxy(QSortFilterProxyModel):
    """Shows the documents of one status (or all) whose id contains the filter text."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._status: str | None = None
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(0)
        self.setSortRole(SORT_ROLE)

    def set_status_filter(self, status: str | None) -> None:
        # Qt 6.10 replaced invalidateFilter() by a begin/end pair; both work on 6.8-6.11.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            self._status = status or None
            self.endFilterChange()
        else:
            self._status = status or None
            self.invalidateFilter()

    def status_filter(self) -> str | None:
        return self._status

    def set_text_filter(self, text: str) -> None:
        self.setFilterFixedString(text)

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:
        if self._status is not None:
            idx = self.sourceModel().index(row, 0, parent)
            if self.sourceModel().data(idx, STATUS_ROLE) != self._status:
                return False
        return super().filterAcceptsRow(row, parent)

    def visible_ids(self) -> list[str]:
        return [self.data(self.index(r, 0), ID_ROLE) for r in range(self.rowCount())]
