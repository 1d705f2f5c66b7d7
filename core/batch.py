"""Pre-annotating a whole corpus with the machine's suggestions, across processes, cancellable,
never overwriting a person's work."""
from __future__ import annotations

import multiprocessing
import os
import sys
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .corpus import HUMAN_STATUSES, Corpus, DocEntry, has_human_work, summarize
from .model import Document

# project.json is rewritten after this many saved documents, so an interrupted run keeps its work
# without paying one project write per document.
FLUSH_EVERY = 50


@dataclass
class BatchResult:
    total: int = 0  # documents that were to be analysed
    done: list[str] = field(default_factory=list)  # analysed and saved
    skipped: list[str] = field(default_factory=list)  # a person's work found: left untouched
    errors: dict[str, str] = field(default_factory=dict)  # doc id -> message
    cancelled: bool = False
    seconds: float = 0.0
    jobs: int = 1

    @property
    def docs_per_second(self) -> float:
        return len(self.done) / self.seconds if self.seconds > 0 else 0.0


def _default_analyzer(raw: str, kind: str, doc_id: str, source: str | None, clean: bool) -> Document:
    from .pipeline import analyze

    return analyze(raw, kind, doc_id, source, clean=clean)


def analyze_task(analyzer, task) -> tuple[str, DocEntry | None, str | None]:
    """Runs in a worker: one document's page -> its machine annotation written to the staging
    path (serialising and fsync-ing here keeps that work off the parent), with its summary; or
    the error message."""
    doc_id, page, source, staged = task
    try:
        if isinstance(page, dict):  # a JSONL record: text records are already the article
            from .textmap import normalize_newlines

            if isinstance(page.get("text"), str):
                raw, kind, clean = normalize_newlines(page["text"])[0], "text", True
            else:
                raw, kind, clean = normalize_newlines(page["html"])[0], "html", False
        else:
            raw, kind, clean = page
        doc = analyzer(raw, kind, doc_id, source, clean)
        doc.id = doc_id
        if has_human_work(doc):
            raise ValueError("the analyser returned human-origin annotations")
        doc.status = "machine"
        from .annotation_file import save_document

        save_document(doc, staged)
        return doc_id, summarize(doc), None
    except Exception as e:  # one bad page must not stop the corpus
        try:
            Path(staged).unlink(missing_ok=True)
        except OSError:
            pass
        return doc_id, None, f"{type(e).__name__}: {e}"


def _is_cancelled(cancel) -> bool:
    if cancel is None:
        return False
    if hasattr(cancel, "is_set"):
        return cancel.is_set()
    return bool(cancel())


def default_mp_context():
    """forkserver where there is one: the batch may be started from a GUI thread, and forking a
    process that runs Qt threads can deadlock the child."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform != "win32" and "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def candidates(corpus: Corpus, redo: bool = False, ids=None) -> tuple[list[str], list[str]]:
    """Documents the batch should analyse, and those it must leave alone because a person has
    worked on them.  ``redo`` re-analyses documents that only hold machine suggestions."""
    todo, skipped = [], []
    wanted = ("new", "machine") if redo else ("new",)
    for doc_id in (corpus.ids if ids is None else ids):
        e = corpus.entry(doc_id)
        if e.human or e.status in HUMAN_STATUSES:
            skipped.append(doc_id)
        elif e.status in wanted:
            todo.append(doc_id)
    return todo, skipped


def preannotate(corpus: Corpus, jobs: int | None = None,
                progress: Callable[[int, int], None] | None = None,
                cancel=None, redo: bool = False, ids=None,
                analyzer: Callable[..., Document] | None = None, mp_context=None,
                in_process: bool | None = None) -> BatchResult:
    """Analyse every new document of ``corpus`` (also machine-only ones with ``redo``) and save
    the machine's annotations.

    ``jobs`` worker processes (default: all cores; 1 runs here, in this process, unless
    ``in_process=False``: a GUI wants even one job in another process, since analysis running in
    a thread of the GUI process holds the GIL and stalls the window).  ``progress``
    is called with ``(finished, total)`` after each document; ``cancel`` is a threading.Event or
    a callable returning True to stop: no new document starts after it is seen, and at most
    ``2 * jobs`` documents already submitted finish.  A document a person has edited (status
    review/done, or a human-origin span on disk, checked again right before writing) is never
    overwritten.  ``analyzer(raw, kind, doc_id, source, clean) -> Document`` defaults to
    core.pipeline.analyze; with jobs > 1 it must be a module-level function."""
    t0 = time.perf_counter()
    analyzer = analyzer or _default_analyzer
    jobs = max(1, jobs or os.cpu_count() or 1)
    todo, skipped = candidates(corpus, redo, ids)
    # Staged files a killed run left behind were never committed: nobody's work is in them.
    if corpus.store.is_dir():
        for stale in corpus.store.glob(".*.batch.tmp"):
            stale.unlink(missing_ok=True)
    res = BatchResult(total=len(todo), skipped=list(skipped), jobs=jobs)
    finished = 0
    unsaved = 0

    def task(doc_id):
        return doc_id, corpus.read_raw(doc_id), corpus.page_source(doc_id), corpus.staging_path(doc_id)

    def record(doc_id, entry, err):
        nonlocal finished, unsaved
        finished += 1
        if err is not None:
            res.errors[doc_id] = err
        else:
            try:
                if corpus.commit_machine(doc_id, corpus.staging_path(doc_id), entry):
                    res.done.append(doc_id)
                    unsaved += 1
                else:
                    res.skipped.append(doc_id)
            except Exception as e:
                res.errors[doc_id] = f"not saved: {type(e).__name__}: {e}"
        if unsaved >= FLUSH_EVERY:
            corpus.flush()
            unsaved = 0
        if progress is not None:
            progress(finished, res.total)

    def next_task(it):
        # Reading a page can fail too (unreadable file): that is that document's error.
        for doc_id in it:
            try:
                return task(doc_id)
            except Exception as e:
                record(doc_id, None, f"{type(e).__name__}: {e}")
        return None

    try:
        if in_process is None:
            in_process = jobs == 1
        if in_process:
            it = iter(todo)
            while not (cancelled := _is_cancelled(cancel)):
                t = next_task(it)
                if t is None:
                    break
                record(*analyze_task(analyzer, t))
            res.cancelled = cancelled and finished < res.total
        else:
            ctx = mp_context or default_mp_context()
            it = iter(todo)
            window = 2 * jobs  # in flight at once: keeps workers busy, lets cancel act fast
            with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
                pending: dict[Future, str] = {}
                exhausted = broken = False

                def collect(futures):
                    for f in futures:
                        doc_id = pending.pop(f)
                        try:
                            record(*f.result())
                        except Exception as e:  # the worker died (out of memory, killed)
                            record(doc_id, None, f"worker failed: {type(e).__name__}: {e}")

                while True:
                    if _is_cancelled(cancel):
                        res.cancelled = True
                        break
                    while not (exhausted or broken) and len(pending) < window:
                        t = next_task(it)
                        if t is None:
                            exhausted = True
                            break
                        try:
                            pending[pool.submit(analyze_task, analyzer, t)] = t[0]
                        except BrokenProcessPool as e:
                            broken = True
                            record(t[0], None, f"worker failed: {e}")
                    if not pending:
                        break
                    # A timeout so a cancel is noticed even while a long document runs.
                    ready, _ = wait(list(pending), timeout=0.2, return_when=FIRST_COMPLETED)
                    collect(ready)
                if res.cancelled:
                    for f in pending:
                        f.cancel()
                    # Work already running is finished and saved rather than thrown away.
                    collect([f for f in list(pending) if not f.cancelled()])
                    res.cancelled = finished < res.total
                elif broken:
                    # The pool is gone: what was never started is reported, not silently dropped.
                    for doc_id in it:
                        record(doc_id, None, "not analysed: the worker pool failed earlier")
    finally:
        corpus.flush()
        res.seconds = time.perf_counter() - t0
    return res
