"""Colours and text formats for quotes, speakers and cues: Okabe-Ito hues, readable on light and dark bases."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPalette, QTextCharFormat

# Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#D55E00", "#0072B2", "#CC79A7", "#F0E442")
UNLINKED = "#999999"
# A user property on the formats of unattributed quotes (tests and tools can tell them apart).
UNATTRIBUTED_PROPERTY = QTextCharFormat.Property.UserProperty + 1

# The quote type is shown by the underline's style too, never by colour alone.
TYPE_UNDERLINE = {
    "direct": QTextCharFormat.UnderlineStyle.SingleUnderline,
    "mixed": QTextCharFormat.UnderlineStyle.DashUnderline,
    "indirect": QTextCharFormat.UnderlineStyle.DotLine,
    "unknown": QTextCharFormat.UnderlineStyle.WaveUnderline,
}


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


class EntityColours:
    """A stable colour per entity id, handed out in the order entities are first seen."""

    def __init__(self):
        self._index: dict[str, int] = {}

    def index(self, entity_id: str | None) -> int:
        if entity_id is None:
            return -1
        i = self._index.get(entity_id)
        if i is None:
            i = self._index[entity_id] = len(self._index)
        return i

    def colour(self, entity_id: str | None) -> QColor:
        i = self.index(entity_id)
        if i < 0:
            return QColor(UNLINKED)
        if i < len(OKABE_ITO):
            return QColor(OKABE_ITO[i])
        return extra_colour(i - len(OKABE_ITO))


def extra_colour(k: int) -> QColor:
    """Colours for speakers past the seventh: hues a golden angle apart, in alternating strengths,
    so that a story with a dozen speakers does not paint two of them the same.  (Beyond the
    Okabe-Ito seven, hue alone no longer suits every reader: names stay on every highlight.)"""
    hue = int((k * 137.508 + 20) % 360)
    return QColor.fromHsv(hue, (170, 110, 230)[k % 3], (205, 170, 235)[k % 3])


class Formats:
    """Builds and caches the QTextCharFormats one view paints with, for its palette."""

    def __init__(self, palette: QPalette):
        self.dark = is_dark(palette)
        self.text = palette.color(QPalette.ColorRole.Text)
        self.base = palette.color(QPalette.ColorRole.Base)
        self._cache: dict[tuple, QTextCharFormat] = {}

    def ink(self, colour: QColor) -> QColor:
        """A version of ``colour`` legible as text on this base (yellow on white is not)."""
        c = QColor(colour)
        for _ in range(8):  # bounded: lighter() cannot brighten pure black
            if self.dark and c.lightness() < 150:
                c = c.lighter(130) if c.value() else QColor("#bbbbbb")
            elif not self.dark and c.lightness() > 110:
                c = c.darker(130)
            else:
                break
        return c

    def tint(self, colour: QColor, strong: bool) -> QColor:
        c = QColor(colour)
        alpha = (0.42 if strong else 0.22) if self.dark else (0.38 if strong else 0.16)
        c.setAlphaF(alpha)
        return c

    def quote(self, colour: QColor, qtype: str, reviewed: bool, selected: bool = False) -> QTextCharFormat:
        key = ("q", colour.rgb(), qtype, reviewed, selected)
        f = self._cache.get(key)
        if f is None:
            f = QTextCharFormat()
            f.setBackground(self.tint(colour, reviewed or selected))
            f.setUnderlineStyle(TYPE_UNDERLINE.get(qtype, TYPE_UNDERLINE["unknown"]))
            f.setUnderlineColor(self.ink(colour))
            if selected:
                f.setForeground(self.text)
                f.setFontWeight(QFont.Weight.Medium)
            self._cache[key] = f
        return f

    def unattributed_quote(self, qtype: str, reviewed: bool, selected: bool = False) -> QTextCharFormat:
        """A quote nobody is credited with: neutral grey, hatched, so it stands out from every
        speaker's tint (the underline still tells its type)."""
        key = ("qu", qtype, reviewed, selected)
        f = self._cache.get(key)
        if f is None:
            f = QTextCharFormat()
            grey = QColor(UNLINKED)
            # Hatch lines are thin: nearly opaque, or they vanish (a tint's alpha would be too faint).
            grey.setAlphaF(1.0 if (reviewed or selected) else 0.8)
            f.setBackground(QBrush(grey, Qt.BrushStyle.BDiagPattern))
            f.setUnderlineStyle(TYPE_UNDERLINE.get(qtype, TYPE_UNDERLINE["unknown"]))
            f.setUnderlineColor(self.ink(QColor(UNLINKED)))
            f.setProperty(UNATTRIBUTED_PROPERTY, True)
            if selected:
                f.setForeground(self.text)
                f.setFontWeight(QFont.Weight.Medium)
            self._cache[key] = f
        return f

    def mention(self, colour: QColor, selected: bool = False) -> QTextCharFormat:
        key = ("m", colour.rgb(), selected)
        f = self._cache.get(key)
        if f is None:
            f = QTextCharFormat()
            f.setFontWeight(QFont.Weight.Bold)
            f.setForeground(self.ink(colour))
            if selected:
                f.setBackground(self.tint(colour, True))
            self._cache[key] = f
        return f

    def cue(self, selected: bool = False) -> QTextCharFormat:
        key = ("c", selected)
        f = self._cache.get(key)
        if f is None:
            f = QTextCharFormat()
            f.setFontItalic(True)
            f.setFontUnderline(True)
            f.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            f.setUnderlineColor(self.text)
            if selected:
                c = QColor(self.text)
                c.setAlphaF(0.18)
                f.setBackground(c)
            self._cache[key] = f
        return f

    # Page-level fills: one colour each, faded so the text over them stays legible.
    def dimmed(self) -> QTextCharFormat:
        return self._fill(("dim",), foreground=_faded(self.text, 0.38))

    def extracted(self) -> QTextCharFormat:
        return self._fill(("x",), background=_faded("#56B4E9", 0.16 if self.dark else 0.10))

    def raw_selected(self) -> QTextCharFormat:
        return self._fill(("rs",), background=_faded("#E69F00", 0.5), foreground=self.text)

    def metadata(self) -> QTextCharFormat:
        return self._fill(("meta",), background=_faded("#CC79A7", 0.22 if self.dark else 0.14), foreground=self.text)

    def _fill(self, key: tuple, background: QColor | None = None, foreground: QColor | None = None) -> QTextCharFormat:
        f = self._cache.get(key)
        if f is None:
            f = self._cache[key] = QTextCharFormat()
            if background is not None:
                f.setBackground(background)
            if foreground is not None:
                f.setForeground(foreground)
        return f


def _faded(colour, alpha: float) -> QColor:
    c = QColor(colour)
    c.setAlphaF(alpha)
    return c
