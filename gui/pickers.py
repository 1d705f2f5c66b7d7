"""Small dialogs that pick an entity (filterable list) or some of an entity's mentions."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLineEdit, QListWidget, QListWidgetItem,
                               QVBoxLayout)


class EntityPicker(QDialog):
    """Type to filter entities by name; Enter picks the highlighted one."""

    def __init__(self, doc, title: str, exclude: str | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter speakers…")
        self.list = QListWidget(self)
        for ent in doc.entities.values():
            if ent.id == exclude:
                continue
            item = QListWidgetItem(f"{ent.name}  [{ent.id}]")
            item.setData(Qt.ItemDataRole.UserRole, ent.id)
            self.list.addItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.filter)
        lay.addWidget(self.list)
        lay.addWidget(buttons)
        self.filter.textChanged.connect(self.apply_filter)
        self.filter.returnPressed.connect(self.accept)
        self.list.itemDoubleClicked.connect(self.accept)
        self.list.setCurrentRow(0)

    def apply_filter(self, text: str) -> None:
        needle = text.casefold()
        first = None
        for i in range(self.list.count()):
            item = self.list.item(i)
            hide = needle not in item.text().casefold()
            item.setHidden(hide)
            if not hide and first is None:
                first = i
        if first is not None:
            self.list.setCurrentRow(first)

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None and not item.isHidden() else None


class MentionPicker(QDialog):
    """Tick the mentions of an entity that belong to someone else (for a split)."""

    def __init__(self, doc, entity_id: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Split speaker: pick the mentions to move")
        self.list = QListWidget(self)
        for m in doc.mentions.values():
            if m.entity != entity_id:
                continue
            lo = max(0, m.start - 30)
            ctx = " ".join(doc.article[lo:m.end + 30].split())
            item = QListWidgetItem(f"{doc.article[m.start:m.end]} — …{ctx}…")
            item.setData(Qt.ItemDataRole.UserRole, m.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.list)
        lay.addWidget(buttons)

    def chosen(self) -> list[str]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]
