"""The window's Qt-free document controller: selection, link mode and the span index after edits."""
import ast
from pathlib import Path

from quotedesk.core import edits as E
from quotedesk.gui import document_controller
from quotedesk.gui.document_controller import DocumentController
from quotedesk.gui.testing import emoji_document


def test_the_controller_imports_no_qt():
    tree = ast.parse(Path(document_controller.__file__).read_text(encoding="utf-8"))
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [n for n in names if "PySide" in n or "Qt" in n]


def test_selection_family_and_index_follow_edits():
    c = DocumentController()
    doc = emoji_document()
    c.set_document(doc)
    c.selected = ("quote", "q1")
    assert c.selected_family() == {("quote", "q1"), ("mention", "m1"), ("cue", "c1")}
    assert c.selected_quote() == "q1" and c.valid(("quote", "nope")) is None
    edits = E.delete_quote(doc, "q1")
    inverses = E.apply_all(doc, edits)
    changes = c.after_edit(E.changes_of(edits))
    assert changes.removed == {("quote", "q1")}
    assert c.selected is None and ("quote", "q1") not in {(k, i) for _, _, k, i in c.index.entries()}
    E.apply_all(doc, inverses)
    c.after_edit(E.changes_of(inverses))
    q = doc.quotes["q1"]
    assert (q.start, q.end, "quote", "q1") in c.index.entries()
    c.link_mode = True
    c.set_document(emoji_document())
    assert not c.link_mode and c.selected is None
