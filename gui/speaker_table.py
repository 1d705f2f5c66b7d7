"""The Speakers panel's table model: entities with their colour, mention count and quote count."""
from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from .colours import EntityColours

COLUMNS = ("Speaker", "Mentions", "Quotes")


class SpeakerTableModel(QAbstractTableModel):
    def __init__(self, colours: EntityColours, parent=None):
        super().__init__(parent)
        self.doc = None
        self.colours = colours
        self._ids: list[str] = []
        self._mentions: Counter = Counter()
        self._quotes: Counter = Counter()

    def set_document(self, doc) -> None:
        self.doc = doc
        self.recount()

    def recount(self) -> None:
        """Entities and counts from scratch; cheap enough to run debounced after edits.

        When the entity list is unchanged only the cells change, so the view keeps its selection."""
        doc = self.doc
        ids = list(doc.entities) if doc else []
        mentions = Counter(m.entity for m in doc.mentions.values()) if doc else Counter()
        quotes = Counter()
        if doc:
            entity_of = {m.id: m.entity for m in doc.mentions.values()}
            quotes = Counter(entity_of.get(q.mention) for q in doc.quotes.values() if q.mention)
        if ids == self._ids:
            self._mentions, self._quotes = mentions, quotes
            if ids:
                self.dataChanged.emit(self.index(0, 0), self.index(len(ids) - 1, len(COLUMNS) - 1))
            return
        self.beginResetModel()
        self._ids, self._mentions, self._quotes = ids, mentions, quotes
        self.endResetModel()

    def entity_id(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, entity_id: str) -> int:
        try:
            return self._ids.index(entity_id)
        except ValueError:
            return -1

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        eid = self._ids[index.row()]
        ent = self.doc.entities.get(eid)
        if ent is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (ent.name, str(self._mentions[eid]), str(self._quotes[eid]))[col]
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return self.colours.colour(eid)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{ent.name} ({ent.kind}): {self._mentions[eid]} mentions, {self._quotes[eid]} quotes"
        return None
