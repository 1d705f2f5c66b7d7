"""QUndoCommands over core edits: one parent command per gesture, one child per core Edit of its cascade."""
from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from quotedesk.core.edits import apply_all


class EditChild(QUndoCommand):
    """Wraps one core Edit: redo applies it and keeps the inverse that undo applies."""

    def __init__(self, doc, edit, inverse=None):
        super().__init__(getattr(edit, "description", "") or type(edit).__name__)
        self._doc = doc
        self._edit = edit
        self._inverse = inverse

    def redo(self):
        self._inverse = self._edit.apply(self._doc)

    def undo(self):
        self._inverse.apply(self._doc)


class GestureCommand(QUndoCommand):
    """One user gesture (mark, delete with its cascade, merge ...): undone and redone as one step.

    The edits are applied before the command is pushed (so an EditError can be reported and
    rolled back in plain Python), hence the first redo, which QUndoStack.push calls, does nothing.

    The children are kept in a Python list rather than given a C++ parent: PySide does not hand
    a parent ownership of a child command, so the C++ parent and the Python wrapper would both
    delete it (measured: a segfault when the stack drops an undone command)."""

    def __init__(self, doc, edits, inverses, description: str, on_change):
        super().__init__(description)
        self._on_change = on_change
        self._edits = list(edits)
        self.children = [EditChild(doc, edit, inverse) for edit, inverse in zip(edits, inverses)]
        self._applied = True

    @property
    def edits(self):
        return self._edits

    def redo(self):
        if self._applied:
            self._applied = False
            return
        for child in self.children:
            child.redo()
        self._on_change(self._edits)

    def undo(self):
        for child in reversed(self.children):
            child.undo()
        self._on_change(self._edits)


def apply_gesture(doc, edits) -> list:
    """Applies ``edits`` in order and returns their inverses in the same order (one per child
    command); on an error core rolls back and re-raises."""
    return apply_all(doc, edits)[::-1]
