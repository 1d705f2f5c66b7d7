"""Work off the UI thread: a QRunnable whose result comes back to the UI thread as a Qt signal."""
from __future__ import annotations

import traceback

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class TaskSignals(QObject):
    finished = Signal(object, object)  # tag, the function's result
    failed = Signal(object, str)  # tag, a message for people


class Task(QRunnable):
    """Runs ``func(*args)`` in a pool thread; ``signals`` are delivered queued to their receivers' thread.

    Connect them to methods of a QObject living in the UI thread (not to lambdas, which would run
    in the pool thread); ``tag`` tells the receiver which request a result answers."""

    def __init__(self, func, *args, tag=None):
        super().__init__()
        self.setAutoDelete(True)
        self.func = func
        self.args = args
        self.tag = tag
        self.signals = TaskSignals()

    def run(self):
        try:
            result = self.func(*self.args)
        except Exception as exc:  # reported to the window; the app lives on
            traceback.print_exc()
            self.signals.failed.emit(self.tag, f"{type(exc).__name__}: {exc}")
        else:
            self.signals.finished.emit(self.tag, result)


def submit(func, *args, tag=None, on_done=None, on_error=None, pool: QThreadPool | None = None) -> Task:
    task = Task(func, *args, tag=tag)
    if on_done is not None:
        task.signals.finished.connect(on_done)
    if on_error is not None:
        task.signals.failed.connect(on_error)
    (pool or QThreadPool.globalInstance()).start(task)
    return task
