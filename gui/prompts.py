"""Every question the window asks the user, in one replaceable object (tests substitute answers)."""
from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from .pickers import EntityPicker, MentionPicker


# Every page the readers take, gzipped too (a Qt name filter matches the whole name: "*.html.gz").
PAGE_PATTERNS = ("*.html", "*.htm", "*.xhtml", "*.txt", "*.html.gz", "*.htm.gz", "*.xhtml.gz", "*.txt.gz")
OPEN_FILTER = (f"Pages and annotations ({' '.join(PAGE_PATTERNS)} *.quotedesk.json *.json);;"
               "JSONL corpus (*.jsonl *.jsonl.gz);;All files (*)")


class Prompts:
    """Modal dialogs. ``errors`` keeps every error shown, so tests and logs can read them."""

    def __init__(self, parent: QWidget | None = None):
        self.parent = parent
        self.errors: list[tuple[str, str]] = []

    def error(self, title: str, message: str) -> None:
        self.errors.append((title, message))
        QMessageBox.critical(self.parent, title, message)

    def ask_recover(self, autosave: str, original: str) -> bool:
        ans = QMessageBox.question(
            self.parent, "Recover unsaved work?",
            f"An autosave newer than {original} exists:\n{autosave}\n\nRecover it?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
        return ans == QMessageBox.StandardButton.Yes

    def ask_save_changes(self, name: str) -> str:
        """'save', 'discard' or 'cancel'."""
        ans = QMessageBox.warning(
            self.parent, "Unsaved changes", f"Save the changes to {name}?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        return {QMessageBox.StandardButton.Save: "save",
                QMessageBox.StandardButton.Discard: "discard"}.get(ans, "cancel")

    def ask_mention_quotes(self, mention_text: str, n_quotes: int, can_relink: bool):
        """What becomes of the quotes of a deleted mention: 'unlink', 'delete', 'relink' or None (cancel)."""
        box = QMessageBox(self.parent)
        box.setWindowTitle("Delete speaker mention")
        box.setText(f"“{mention_text}” is the speaker of {n_quotes} quote(s). What becomes of them?")
        unlink = box.addButton("Unlink them", QMessageBox.ButtonRole.AcceptRole)
        delete = box.addButton("Delete them", QMessageBox.ButtonRole.DestructiveRole)
        relink = box.addButton("Relink to another mention", QMessageBox.ButtonRole.AcceptRole) if can_relink else None
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        return {unlink: "unlink", delete: "delete", relink: "relink"}.get(clicked) if clicked else None

    def pick_entity(self, doc, title: str, exclude: str | None = None) -> str | None:
        dlg = EntityPicker(doc, title, exclude, self.parent)
        return dlg.chosen() if dlg.exec() else None

    def pick_mentions(self, doc, entity_id: str) -> list[str]:
        dlg = MentionPicker(doc, entity_id, self.parent)
        return dlg.chosen() if dlg.exec() else []

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(self.parent, title, label, text=text)
        return value if ok and value.strip() else None

    def open_paths(self, start_dir: str) -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(
            self.parent, "Open page or annotation file", start_dir,
            OPEN_FILTER)
        return paths

    def save_path(self, suggested: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self.parent, "Save annotations", suggested,
                                              "QuoteDesk annotations (*.quotedesk.json)")
        return path or None
