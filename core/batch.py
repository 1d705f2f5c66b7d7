"""Pre-annotating a whole corpus with the machine's suggestions, across processes, cancellable,
never overwriting a person's work."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .engines import default_mp_context  # noqa: F401  (callers import it from here)
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


class _PageTasks:
    """The documents' tasks, each read from the corpus only when an engine asks for it (a large
    corpus is never held in memory at once); a page that cannot be read becomes that document's
    error instead of stopping the run."""

    def __init__(self, corpus: Corpus, ids: list[str]):
        self.corpus, self.ids = corpus, ids

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, i: int):
        doc_id = self.ids[i]
        c = self.corpus
        try:
            return doc_id, c.read_raw(doc_id), c.page_source(doc_id), str(c.staging_path(doc_id))
        except Exception as e:
            return doc_id, _Unreadable(f"{type(e).__name__}: {e}"), None, str(c.staging_path(doc_id))


@dataclass
class _Unreadable:
    message: str


def _document_task(analyzer, task):
    """One engine task: a document analysed and its annotation staged, in the worker."""
    if isinstance(task[1], _Unreadable):
        return task[0], None, task[1].message
    return analyze_task(analyzer, task)


def preannotate(corpus: Corpus, jobs: int | None = None,
                progress: Callable[[int, int], None] | None = None,
                cancel=None, redo: bool = False, ids=None,
                analyzer: Callable[..., Document] | None = None, mp_context=None,
                in_process: bool | None = None, engine: str = "local",
                scheduler: str | None = None) -> BatchResult:
    """Analyse every new document of ``corpus`` (also machine-only ones with ``redo``) and save
    the machine's annotations.

    ``jobs`` worker processes (default: all cores; 1 runs here, in this process, unless
    ``in_process=False``: a GUI wants even one job in another process, since analysis running in
    a thread of the GUI process holds the GIL and stalls the window).  ``progress``
    is called with ``(finished, total)`` after each document; ``cancel`` is a threading.Event or
    a callable returning True to stop: no new document starts after it is seen, and the at most
    ``jobs`` documents already running finish and are saved.  A document a person has edited
    (status review/done, or a human-origin span on disk, checked again right before writing) is
    never overwritten.  ``analyzer(raw, kind, doc_id, source, clean) -> Document`` defaults to
    core.pipeline.analyze; with jobs > 1 it must be a module-level function.

    The work runs on core.engines (the machinery of ``quotedesk batch``): ``engine`` "local" (a
    process pool; a worker that dies takes only its document, which is retried once) or "dask"
    (``scheduler`` "tcp://HOST:PORT", or a LocalCluster of ``jobs`` workers; the corpus and its
    store must then be on storage every worker sees)."""
    from functools import partial

    from .engines import DaskEngine, LocalEngine

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

    if in_process is None:
        in_process = jobs == 1
    if engine == "dask":
        runner = DaskEngine(scheduler=scheduler, workers=jobs)
    else:
        runner = LocalEngine(workers=jobs, mp_context=mp_context or default_mp_context(),
                             in_process=in_process)
    stop = (lambda: _is_cancelled(cancel)) if cancel is not None else None
    try:
        with runner:
            for out in runner.run(partial(_document_task, analyzer), _PageTasks(corpus, todo), cancel=stop):
                if out.error is not None:  # the worker died (out of memory, killed), twice
                    record(out.task[0], None, f"worker failed: {out.error}")
                else:
                    record(*out.result)
        res.cancelled = finished < res.total
    finally:
        corpus.flush()
        res.seconds = time.perf_counter() - t0
    return res
