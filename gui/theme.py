"""Light and dark palettes for the window (highlight colours adapt to the palette's base)."""
from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget


def dark_palette() -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    for r, c in ((role.Window, "#2b2b2b"), (role.WindowText, "#e6e6e6"), (role.Base, "#1e1e1e"),
                 (role.AlternateBase, "#262626"), (role.Text, "#e6e6e6"), (role.Button, "#333333"),
                 (role.ButtonText, "#e6e6e6"), (role.Highlight, "#3d6fa8"), (role.HighlightedText, "#ffffff"),
                 (role.ToolTipBase, "#333333"), (role.ToolTipText, "#e6e6e6"), (role.PlaceholderText, "#8a8a8a"),
                 (role.Link, "#56B4E9")):
        p.setColor(r, QColor(c))
    p.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor("#777777"))
    p.setColor(QPalette.ColorGroup.Disabled, role.WindowText, QColor("#777777"))
    p.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor("#777777"))
    return p


def light_palette() -> QPalette:
    app = QApplication.instance()
    return app.style().standardPalette() if app else QPalette()


def apply_theme(widget: QWidget, theme: str) -> None:
    """The theme for ``widget`` and for the whole application: dialogs and message boxes are
    windows of their own, which take the application's palette, not their parent's."""
    palette = dark_palette() if theme == "dark" else light_palette()
    app = QApplication.instance()
    if app is not None:
        app.setPalette(palette)
    widget.setPalette(palette)
