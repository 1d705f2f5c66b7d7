"""Python index <-> Qt UTF-16 position conversion, past emoji and line breaks."""
from PySide6.QtGui import QTextCursor, QTextDocument

from quotedesk.gui.offsets import OffsetMap, display_text


def test_round_trip_past_astral_characters():
    text = "a😀b\n😀😀c🚀"
    m = OffsetMap(text)
    units = text.encode("utf-16-le")
    assert not m.identity
    for i in range(len(text) + 1):
        q = m.to_qt(i)
        assert units[:2 * q].decode("utf-16-le") == text[:i]
        assert m.from_qt(q) == i
    assert m.qt_length == len(units) // 2


def test_position_inside_a_surrogate_pair_rounds_down():
    m = OffsetMap("x😀y")
    assert m.from_qt(2) == 1  # between the two halves of 😀


def test_identity_fast_path():
    m = OffsetMap("plain ascii, é and ü are in the BMP")
    assert m.identity
    assert m.to_qt(7) == 7 and m.from_qt(7) == 7


def test_qt_document_agrees_with_python_substrings():
    text = "one\r\ntwo\u2028three 😀 four\rfive"
    shown = display_text(text)
    assert len(shown) == len(text)
    doc = QTextDocument()
    doc.setPlainText(shown)
    m = OffsetMap(shown)
    start, end = text.index("three"), text.index("four") + 4
    cur = QTextCursor(doc)
    cur.setPosition(m.to_qt(start))
    cur.setPosition(m.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
    assert cur.selectedText() == shown[start:end]
