"""The Quotes panel's table model: one row per quote in article order, updated row by row on edits."""
from __future__ import annotations

from bisect import bisect_left

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from .colours import EntityColours

COLUMNS = ("Excerpt", "Type", "Speaker", "Cue", "Conf.", "Rule", "Reviewed")
CONFIDENCE_COLUMN = COLUMNS.index("Conf.")
EXCERPT_CHARS = 90
# The Quotes panel's filters, in the order its combo box lists them.
FILTERS = ("all", "unattributed", "unreviewed", "low confidence")
# A quote below this confidence counts as "low confidence" (the least sure of the engine's rules).
LOW_CONFIDENCE = 0.6


def is_unattributed(doc, q) -> bool:
    """No speaker: the quotation was found but nobody said it, yet (what an editor must catch)."""
    return doc.speaker_name(q) is None


def needs_review(q) -> bool:
    return not q.reviewed and q.origin == "machine"


def least_confident_order(doc) -> list[str]:
    """Unreviewed suggestions, least confident first (article order among equals)."""
    pending = [q for q in doc.quotes.values() if needs_review(q)]
    pending.sort(key=lambda q: (q.confidence, q.start, q.end, q.id))
    return [q.id for q in pending]


def quote_key(q) -> tuple:
    return (q.start, q.end, q.id)


class QuoteTableModel(QAbstractTableModel):
    def __init__(self, colours: EntityColours, parent=None):
        super().__init__(parent)
        self.doc = None
        self.colours = colours
        self._keys: list[tuple] = []  # sorted quote keys; row i shows quote self._keys[i][2]
        self._key_of: dict[str, tuple] = {}
        # Display strings per quote id, computed when first painted: data() runs per cell and role.
        self._cells: dict[str, tuple] = {}

    def set_document(self, doc) -> None:
        self.beginResetModel()
        self.doc = doc
        self._cells.clear()
        self._keys = sorted(quote_key(q) for q in doc.quotes.values()) if doc else []
        self._key_of = {k[2]: k for k in self._keys}
        self.endResetModel()

    def update_quotes(self, ids) -> None:
        """Re-places the rows of these quotes (added, removed or moved) and refreshes their cells."""
        for qid in ids:
            self._cells.pop(qid, None)
            old = self._key_of.pop(qid, None)
            if old is not None:
                row = bisect_left(self._keys, old)
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._keys[row]
                self.endRemoveRows()
            q = self.doc.quotes.get(qid)
            if q is not None:
                key = quote_key(q)
                row = bisect_left(self._keys, key)
                self.beginInsertRows(QModelIndex(), row, row)
                self._keys.insert(row, key)
                self._key_of[qid] = key
                self.endInsertRows()

    def refresh_all_cells(self) -> None:
        self._cells.clear()
        if self._keys:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._keys) - 1, len(COLUMNS) - 1))

    def quote_id(self, row: int) -> str | None:
        return self._keys[row][2] if 0 <= row < len(self._keys) else None

    def row_of(self, quote_id: str) -> int:
        key = self._key_of.get(quote_id)
        return -1 if key is None else bisect_left(self._keys, key)

    def first_row_at_or_after(self, offset: int) -> int:
        return bisect_left(self._keys, (offset,))

    def ids(self) -> list[str]:
        return [k[2] for k in self._keys]

    # -- Qt model API ------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def _row_cells(self, qid: str):
        cells = self._cells.get(qid)
        if cells is None:
            doc = self.doc
            q = doc.quotes[qid]
            text = " ".join(doc.article[q.start:min(q.end, q.start + 4 * EXCERPT_CHARS)].split())
            excerpt = text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS - 1] + "…"
            c = doc.cues.get(q.cue) if q.cue else None
            ent = doc.speaker_entity(q)
            display = (excerpt, q.type, doc.speaker_name(q) or "(unattributed)", doc.article[c.start:c.end] if c else "—",
                       f"{q.confidence:.2f}", q.rule or q.origin, "yes" if q.reviewed else "")
            pale = needs_review(q)
            cells = self._cells[qid] = (display, self.colours.colour(ent.id if ent else None), pale)
        return cells

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        qid = self._keys[index.row()][2]
        if qid not in self.doc.quotes:
            return None
        if role == _DISPLAY:
            return self._row_cells(qid)[0][index.column()]
        if role == _DECORATION:
            return self._row_cells(qid)[1] if index.column() == 2 else None
        if role == _FOREGROUND:
            return _PALE if self._row_cells(qid)[2] else None
        if role == _TOOLTIP:
            return quote_tooltip(self.doc, self.doc.quotes[qid])
        if role == SORT_ROLE:
            q = self.doc.quotes[qid]
            if index.column() == CONFIDENCE_COLUMN:
                return (q.confidence, index.row())
            return (self._row_cells(qid)[0][index.column()].casefold(), index.row())
        return None


class QuoteFilterProxy(QSortFilterProxyModel):
    """The Quotes panel's view of the model: one filter of ``FILTERS`` and any column's sort
    (confidence numerically); unsorted, it keeps the model's article order."""

    def __init__(self, model: QuoteTableModel, parent=None):
        super().__init__(parent)
        self.mode = "all"
        self.setSourceModel(model)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    @property
    def quotes(self) -> QuoteTableModel:
        return self.sourceModel()

    def set_filter(self, mode: str) -> None:
        if mode not in FILTERS:
            raise ValueError(f"unknown quote filter {mode!r}")
        # Qt 6.10 replaced invalidateFilter() by a begin/end pair (as in corpus_model).
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            self.mode = mode
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - Qt before 6.10
            self.mode = mode
            self.invalidateFilter()

    def accepts(self, doc, q) -> bool:
        if self.mode == "unattributed":
            return is_unattributed(doc, q)
        if self.mode == "unreviewed":
            return needs_review(q)
        if self.mode == "low confidence":
            return q.confidence < LOW_CONFIDENCE
        return True

    def filterAcceptsRow(self, row, parent):
        if self.mode == "all":
            return True
        model = self.quotes
        qid = model.quote_id(row)
        q = model.doc.quotes.get(qid) if qid is not None and model.doc is not None else None
        return q is not None and self.accepts(model.doc, q)

    def lessThan(self, left, right):
        return left.data(SORT_ROLE) < right.data(SORT_ROLE)

    def index_of(self, quote_id: str) -> QModelIndex:
        """The row showing ``quote_id`` (invalid when the filter hides it)."""
        row = self.quotes.row_of(quote_id)
        return self.mapFromSource(self.quotes.index(row, 0)) if row >= 0 else QModelIndex()

    def quote_id_at(self, index: QModelIndex) -> str | None:
        if not index.isValid():
            return None
        return self.quotes.quote_id(self.mapToSource(index).row())


_DISPLAY = Qt.ItemDataRole.DisplayRole
_DECORATION = Qt.ItemDataRole.DecorationRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
_PALE = QColor(128, 128, 128)


def quote_tooltip(doc, q) -> str:
    """Who, how and why, for a quote: its speaker, cue, the rule that found it and its confidence."""
    speaker = doc.speaker_name(q) or "unattributed (no speaker yet)"
    m = doc.mentions.get(q.mention) if q.mention else None
    said_as = f" (as “{doc.article[m.start:m.end]}”)" if m and doc.article[m.start:m.end] != speaker else ""
    c = doc.cues.get(q.cue) if q.cue else None
    cue = doc.article[c.start:c.end] if c else "(no cue)"
    state = "reviewed" if q.reviewed else ("suggestion" if q.origin == "machine" else "human")
    return (f"<b>{_esc(speaker)}</b>{_esc(said_as)}<br>{q.type} quote, cue: <i>{_esc(cue)}</i><br>"
            f"why: {_esc(q.rule or q.origin)}<br>confidence {q.confidence:.2f} · {state}")


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
