"""Typed user preferences over a defaults dict, stored with QSettings (tests pass their own ini file)."""
from __future__ import annotations

from PySide6.QtCore import QSettings

DEFAULTS = {
    "font_family": "DejaVu Sans",
    "font_size": 11,
    "theme": "light",  # light | dark
    # Unsaved work is written to the autosave sidecar this many seconds after the last change.
    "autosave_delay": 2,
    "recent_files": [],
    # The window's size and place, and where its docks are (QMainWindow.saveGeometry / saveState).
    "window_geometry": b"",
    "window_state": b"",
}
MAX_RECENT = 10


class Settings:
    def __init__(self, qsettings: QSettings | None = None):
        self.q = qsettings if qsettings is not None else QSettings("QuoteDesk", "QuoteDesk")

    def get(self, key: str):
        default = DEFAULTS[key]
        value = self.q.value(key, default)
        if isinstance(default, bytes):
            try:
                return bytes(value) if value else b""
            except (TypeError, ValueError):
                return b""
        if isinstance(default, bool):
            return value in (True, "true", "1", 1)
        if isinstance(default, int):
            try:
                return int(value)
            except (TypeError, ValueError):
                return default
        if isinstance(default, list):
            if value is None or value == "":
                return []
            return [value] if isinstance(value, str) else list(value)
        return str(value) if value is not None else default

    def set(self, key: str, value) -> None:
        if key not in DEFAULTS:
            raise KeyError(key)
        if isinstance(DEFAULTS[key], bytes):
            from PySide6.QtCore import QByteArray
            value = QByteArray(bytes(value))
        self.q.setValue(key, value)
        self.q.sync()

    def add_recent(self, path: str) -> list[str]:
        recent = [p for p in self.get("recent_files") if p != path]
        recent.insert(0, path)
        del recent[MAX_RECENT:]
        self.set("recent_files", recent)
        return recent
