"""Pre-annotating a corpus off the UI thread: core.batch.preannotate in a QThread, reporting back by signals."""
from __future__ import annotations

import threading
import traceback

from PySide6.QtCore import QObject, QThread, Signal

from quotedesk.core.batch import preannotate


class _BatchThread(QThread):
    def __init__(self, owner: "BatchWorker"):
        super().__init__()
        self.owner = owner

    def run(self):
        o = self.owner
        try:
            result = preannotate(o.corpus, jobs=o.jobs, progress=o._report, cancel=o._cancel,
                                 redo=o.redo, ids=o.ids, analyzer=o.analyzer, in_process=False)
        except Exception as exc:  # reported to the window; the app lives on
            traceback.print_exc()
            o.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            o.finished.emit(result)


class BatchWorker(QObject):
    """One pre-annotation run.  Signals arrive in the thread that made the worker (the UI thread):
    ``progress(done, total)`` after each document, then ``finished(BatchResult)`` (also after a
    cancel, with ``result.cancelled``) or ``failed(message)``.

    The corpus is written from the worker thread; core.corpus.Corpus locks its state, and never
    lets the batch overwrite a document a person has worked on, even one saved during the run."""

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, corpus, jobs: int | None = None, redo: bool = False, ids=None, analyzer=None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.corpus = corpus
        self.jobs = jobs
        self.redo = redo
        self.ids = ids
        self.analyzer = analyzer
        self._cancel = threading.Event()
        self._thread = _BatchThread(self)

    def _report(self, done: int, total: int) -> None:
        self.progress.emit(done, total)

    def start(self) -> None:
        self._cancel.clear()
        self._thread.start()

    def cancel(self) -> None:
        """Ask the run to stop: no document starts after this; those in flight finish and are saved."""
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, msecs: int = -1) -> bool:
        """Block until the run ends (for shutdown and tests); True when it has ended."""
        return self._thread.wait() if msecs < 0 else self._thread.wait(msecs)
