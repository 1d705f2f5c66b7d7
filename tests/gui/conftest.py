"""Test set-up shared by the GUI tests: the corpus folder fixture and message boxes recorded instead of shown."""
import pytest

from gui import export_dialog
# The corpus folder fixture is the core tests' one: the same pages, copied the same way.
from tests.core.conftest import folder

__all__ = ["folder", "messages"]


@pytest.fixture
def messages(monkeypatch, qapp):
    """Every message box export_dialog would show, as ("error"|"info", title, text).  Asks for a
    QApplication because import and export set a wait cursor."""
    shown = []
    monkeypatch.setattr(export_dialog, "show_error", lambda p, title, text: shown.append(("error", title, text)))
    monkeypatch.setattr(export_dialog, "show_info", lambda p, title, text: shown.append(("info", title, text)))
    return shown
