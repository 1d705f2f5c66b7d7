"""The Quotes panel's table model: one row per quote in article order, updated row by row on edits."""
from __future__ import annotations

from bisect import bisect_left

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor

from .colours import EntityColours

COLUMNS = ("Excerpt", "Type", "Speaker", "Cue", "Conf.", "Rule", "Reviewed")
EXCERPT_CHARS = 90


def quote_key(q) -> tuple:
    return (q.start, q.end, q.id)


class QuoteTableModel(QAbstractTableModel):
    def __init__(self, colours: EntityColours, parent=None):
        super().__init__(parent)
        self.doc = None
        self.colours = colours
        self._keys: list[tuple] = []  # sorted quote keys; row i shows quote self._keys[i][2]
        self._key_of: dict[str, tuple] = {}

    def set_document(self, doc) -> None:
        self.beginResetModel()
        self.doc = doc
        self._keys = sorted(quote_key(q) for q in doc.quotes.values()) if doc else []
        self._key_of = {k[2]: k for k in self._keys}
        self.endResetModel()

    def update_quotes(self, ids) -> None:
        """Re-places the rows of these quotes (added, removed or moved) and refreshes their cells."""
        for qid in ids:
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
        if self._keys:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._keys) - 1, len(COLUMNS) - 1))

    def quote_id(self, row: int) -> str | None:
        return self._keys[row][2] if 0 <= row < len(self._keys) else None

    def row_of(self, quote_id: str) -> int:
        key = self._key_of.get(quote_id)
        return -1 if key is None else bisect_left(self._keys, key)

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

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        doc = self.doc
        q = doc.quotes.get(self._keys[index.row()][2])
        if q is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                text = " ".join(doc.article[q.start:q.end].split())
                return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS - 1] + "…"
            if col == 1:
                return q.type
            if col == 2:
                return doc.speaker_name(q) or "—"
            if col == 3:
                c = doc.cues.get(q.cue) if q.cue else None
                return doc.article[c.start:c.end] if c else "—"
            if col == 4:
                return f"{q.confidence:.2f}"
            if col == 5:
                return q.rule or q.origin
            if col == 6:
                return "yes" if q.reviewed else ""
        elif role == Qt.ItemDataRole.DecorationRole and col == 2:
            ent = doc.speaker_entity(q)
            return self.colours.colour(ent.id if ent else None)
        elif role == Qt.ItemDataRole.ToolTipRole:
            return quote_tooltip(doc, q)
        elif role == Qt.ItemDataRole.ForegroundRole and not q.reviewed and q.origin == "machine":
            return QColor(128, 128, 128)
        return None


def quote_tooltip(doc, q) -> str:
    """Who, how and why, for a quote: its speaker, cue, the rule that found it and its confidence."""
    speaker = doc.speaker_name(q) or "(no speaker)"
    m = doc.mentions.get(q.mention) if q.mention else None
    said_as = f" (as “{doc.article[m.start:m.end]}”)" if m and doc.article[m.start:m.end] != speaker else ""
    c = doc.cues.get(q.cue) if q.cue else None
    cue = doc.article[c.start:c.end] if c else "(no cue)"
    state = "reviewed" if q.reviewed else ("suggestion" if q.origin == "machine" else "human")
    return (f"<b>{_esc(speaker)}</b>{_esc(said_as)}<br>{q.type} quote, cue: <i>{_esc(cue)}</i><br>"
            f"why: {_esc(q.rule or q.origin)}<br>confidence {q.confidence:.2f} · {state}")


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
