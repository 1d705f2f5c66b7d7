"""The Preferences dialog and the keyboard-shortcut list (generated from the window's actions)."""
from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFontComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from .action_table import HELP_NOTES
from .settings import Settings


class PreferencesDialog(QDialog):
    def __init__(self, settings: Settings, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.settings = settings
        self.font_box = QFontComboBox(self)
        self.font_box.setCurrentFont(QFont(settings.get("font_family")))
        self.size_box = QSpinBox(self)
        self.size_box.setRange(6, 40)
        self.size_box.setValue(settings.get("font_size"))
        self.theme_box = QComboBox(self)
        self.theme_box.addItems(["light", "dark"])
        self.theme_box.setCurrentText(settings.get("theme"))
        self.autosave_box = QSpinBox(self)
        self.autosave_box.setObjectName("autosaveDelay")
        self.autosave_box.setRange(1, 600)
        self.autosave_box.setSuffix(" s after each change")
        self.autosave_box.setToolTip("Unsaved changes are written to a recovery file this long after the "
                                     "last edit; Save writes the annotation file itself")
        self.autosave_box.setValue(settings.get("autosave_delay"))
        form = QFormLayout()
        form.addRow("Text font", self.font_box)
        form.addRow("Font size", self.size_box)
        form.addRow("Theme", self.theme_box)
        form.addRow("Autosave", self.autosave_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(buttons)

    def store(self) -> None:
        self.settings.set("font_family", self.font_box.currentFont().family())
        self.settings.set("font_size", self.size_box.value())
        self.settings.set("theme", self.theme_box.currentText())
        self.settings.set("autosave_delay", self.autosave_box.value())


class ShortcutsDialog(QDialog):
    def __init__(self, rows: list[tuple[str, str, str]], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(640, 640)
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setHorizontalHeaderLabels(["Menu", "Action", "Keys"])
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)  # keys never cut off
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.verticalHeader().hide()
        notes = QLabel("<br>".join(HELP_NOTES), self)
        notes.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table)
        lay.addWidget(notes)
        lay.addWidget(buttons)
