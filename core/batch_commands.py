"""The headless commands ``quotedesk batch``, ``preannotate`` and ``track``, and the engine-backed
``analyze`` run: the parent plans, dispatches and reports; workers read, analyse and write."""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

PROG = "quotedesk"


def _say(message: str) -> None:
    from .errors import say  # the one way commands speak to the user

    say(message)


# -- progress ------------------------------------------------------------------------------------
class ProgressBar:
    """Documents (and shards) done, the rate and the time left, on stderr: tqdm when it is
    installed, else one plain line rewritten in place.  Silent when not ``enabled``."""

    def __init__(self, total_docs: int, total_shards: int, enabled: bool, stream=None):
        self.total, self.shards_total = total_docs, total_shards
        self.done = self.shards = 0
        self.enabled = enabled and total_docs > 0
        self.stream = stream or sys.stderr
        self.t0 = time.monotonic()
        self._last = 0.0
        self._tqdm = None
        if self.enabled:
            try:
                from tqdm import tqdm
            except ImportError:
                tqdm = None
            if tqdm is not None:
                self._tqdm = tqdm(total=total_docs, unit="doc", file=self.stream, dynamic_ncols=True,
                                  desc="documents", postfix=f"shards 0/{total_shards}")

    def docs(self, n: int = 1) -> None:
        n = max(0, min(n, self.total - self.done))
        self.done += n
        if not self.enabled:
            return
        if self._tqdm is not None:
            self._tqdm.update(n)
        else:
            self._plain()

    def shard_done(self) -> None:
        self.shards += 1
        if not self.enabled:
            return
        if self._tqdm is not None:
            self._tqdm.set_postfix_str(f"shards {self.shards}/{self.shards_total}")
        else:
            self._plain(force=True)

    def _plain(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < 0.5 and self.done < self.total:
            return
        self._last = now
        elapsed = max(now - self.t0, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate > 0 else 0
        self.stream.write(f"\r{self.shards}/{self.shards_total} shards, {self.done}/{self.total} documents, "
                          f"{rate:.1f} docs/s, {left:.0f} s left ")
        self.stream.flush()

    def close(self) -> None:
        if not self.enabled:
            return
        if self._tqdm is not None:
            self._tqdm.close()
        elif self.done or self.shards:
            self.stream.write("\n")
            self.stream.flush()


def _show_progress(progress: bool | None, total: int) -> bool:
    if progress is not None:
        return progress
    return total >= 20 and sys.stderr.isatty()


def _engine(name: str, workers: int | None, scheduler: str | None, in_process: bool = False):
    from .engines import make_engine

    return make_engine(name, workers=workers, scheduler=scheduler, in_process=in_process)


# -- batch ---------------------------------------------------------------------------------------
def cmd_batch(inputs: list[str], outdir: str, engine: str = "local", scheduler: str | None = None,
              workers: int | None = None, shard_size: int = 1000, scheme: str = "default",
              types: set[str] | None = None, progress: bool | None = None) -> int:
    """Analyse ``inputs`` shard by shard into ``outdir``; 0 when every record of every shard was
    analysed, 1 when anything failed (each failure listed), the rest written either way."""
    from .engines import EngineError
    from .manifest import Manifest, code_fingerprint, settings_hash
    from .shard_work import batch_shard
    from .shards import plan

    t0 = time.perf_counter()
    if shard_size < 1:
        raise EngineError(f"--shard-size must be at least 1 (got {shard_size})")
    shards, problems = plan(inputs, shard_size)
    for p in problems:
        _say(f"skipped {p}")
    out = Path(outdir).resolve()
    if out.exists() and not out.is_dir():
        raise EngineError(f"{outdir}: the output must be a folder (-o OUTDIR)")
    out.mkdir(parents=True, exist_ok=True)
    settings = {"scheme": scheme, "types": sorted(types) if types else None, "rules": code_fingerprint()}
    h = settings_hash(settings)
    manifest = Manifest.load(out)
    if manifest.problem:
        _say(manifest.problem)
    names = {s.name for s in shards}
    dropped = manifest.prune(names)
    manifest.order = [s.name for s in shards]  # their outputs one after another: analyze's output
    todo = [s for s in shards if not manifest.finished(s, h)]
    skipped = [s for s in shards if s not in todo]
    earlier_failures = sum((manifest.entry(s.name) or {}).get("failed") or 0 for s in skipped)
    runner = _engine(engine, workers, scheduler)
    _say(f"batch: {len(shards)} shard(s) of up to {shard_size} records; "
         f"{len(skipped)} skipped (finished before with these settings), {len(todo)} to run"
         + (f" on the {runner.describe()}" if todo else "")
         + (f"; {dropped} shard(s) of an earlier cut removed" if dropped else ""))
    docs = quotes = failures = 0
    failed_shards: list[str] = []
    bar = ProgressBar(sum(s.records for s in todo), len(todo), _show_progress(progress, sum(s.records for s in todo)))
    try:
        if todo:
            tasks = [(s, str(out), scheme, sorted(types) if types else None) for s in todo]
            with runner:
                for o in runner.run(batch_shard, tasks, progress=bar.docs):
                    shard = todo[o.index]
                    if o.error is not None:
                        failed_shards.append(shard.name)
                        manifest.forget(shard.name)
                        _say(f"shard {shard.name} failed ({shard.records} record(s) not analysed; "
                             f"a re-run retries it): {o.error}")
                    else:
                        c = o.result
                        docs += c["docs"]
                        quotes += c["quotes"]
                        failures += c["failed"]
                        if c["failed"]:
                            _say(f"shard {shard.name}: {c['failed']} record(s) failed, listed in "
                                 f"{out / (shard.name + '.errors.jsonl')}")
                        manifest.record(shard, h, c)
                        manifest.save(settings, inputs, every=2.0)
                    if runner.name != "local":  # Dask workers report per shard only
                        bar.docs(shard.records)
                    bar.shard_done()
    finally:
        bar.close()
        manifest.save(settings, inputs)
    seconds = time.perf_counter() - t0
    rate = docs / seconds if seconds > 0 else 0.0
    lost = sum(s.records for s in todo if s.name in failed_shards)
    _say(f"batch: {docs} documents, {quotes} quotes, {failures + lost} failures in {seconds:.1f} s "
         f"({rate:.1f} documents/s); {len(todo) - len(failed_shards)} shard(s) written, {len(skipped)} skipped"
         + (f", {len(failed_shards)} failed" if failed_shards else "")
         + (f"; the skipped shards hold {earlier_failures} earlier failure(s)" if earlier_failures else "")
         + f"; output in {out}")
    return 1 if (failures or failed_shards or problems or earlier_failures) else 0


# -- analyze through the local engine --------------------------------------------------------------
# Records per shard for `analyze`: small enough to balance two workers on a few hundred documents,
# large enough that dispatching costs nothing next to the analysis.
ANALYZE_SHARD_SIZE = 16
MIN_DOCS_FOR_POOL = 8


class AnalyzeRun:
    """``quotedesk analyze`` over files on the local engine: workers read, analyse and serialise
    whole shards; the command only writes the text they return, in input order, so the output is
    the same bytes one process writes.  ``total`` is known before anything is analysed.

    :meth:`results` yields what core.commands' writer takes: ``("text", lines)`` (JSONL lines,
    already serialised), ``("ok", (doc_id, data))`` (annotation files) and ``("error", message)``;
    records that cannot be read are reported (and added to ``errors``) as they come, like
    core.commands._records does."""

    def __init__(self, inputs: list[str], errors: list[str]):
        from .shards import plan

        self.errors = errors
        self.shards, problems = plan(inputs, ANALYZE_SHARD_SIZE)
        for p in problems:
            self._read_error(str(p))
        self.total = sum(s.records for s in self.shards)
        self.read = 0  # records read, known once results() is exhausted

    def _read_error(self, message: str) -> None:
        self.errors.append(message)
        _say(f"skipped {message}")

    def results(self, fmt: str, types, scheme: str, jobs: int, progress):
        from .engines import LocalEngine
        from .shard_work import analyze_shard

        engine = LocalEngine(workers=jobs, in_process=jobs <= 1 or self.total < MIN_DOCS_FOR_POOL)
        tasks = [(s, fmt, types, scheme) for s in self.shards]
        pending: dict[int, dict] = {}
        next_index = 0
        with engine:
            for o in engine.run(analyze_shard, tasks, progress=progress.step):
                if o.error is not None:
                    shard = o.task[0]
                    o.result = {"read": 0, "parts": [], "messages": [
                        ("analysis", f"{shard.path or shard.name}: {shard.records} record(s) not analysed: {o.error}")]}
                pending[o.index] = o.result
                while next_index in pending:  # a shard that finished early waits for its turn
                    res = pending.pop(next_index)
                    next_index += 1
                    self.read += res["read"]
                    for kind, message in res["messages"]:
                        if kind == "read":
                            self._read_error(message)
                        elif kind == "warning":
                            _say(message)
                        else:
                            yield ("error", message)
                    if fmt == "json":
                        for payload in res["parts"]:
                            yield ("ok", payload)
                    elif res["parts"]:
                        yield ("text", "".join(res["parts"]))


# -- preannotate ------------------------------------------------------------------------------------
def cmd_preannotate(corpus_path: str, jobs: int | None = None, engine: str = "local", scheduler: str | None = None,
                    redo: bool = False, progress: bool | None = None) -> int:
    """Pre-annotate a corpus project headless, as the window's "Pre-annotate all" does: every new
    document (``redo``: also machine-only ones) gets the machine's suggestions; a document a
    person has touched is never overwritten."""
    from .batch import candidates, preannotate
    from .corpus import Corpus

    corpus = Corpus.open(corpus_path)
    todo, _ = candidates(corpus, redo)
    bar = ProgressBar(len(todo), 0, _show_progress(progress, len(todo)))
    last = [0]

    def step(done, total):
        bar.docs(done - last[0])
        last[0] = done

    try:
        res = preannotate(corpus, jobs=jobs, progress=step, redo=redo, engine=engine, scheduler=scheduler,
                          in_process=(jobs == 1 and engine == "local") or None)
    finally:
        bar.close()
    for doc_id, message in res.errors.items():
        _say(f"{corpus.page_source(doc_id)}: {message}")
    rate = res.docs_per_second
    _say(f"preannotate: {len(res.done)} documents annotated, {len(res.skipped)} left as they were "
         f"(a person's work), {len(res.errors)} failures in {res.seconds:.1f} s ({rate:.1f} documents/s); "
         f"annotations in {corpus.store}")
    return 1 if res.errors else 0


# -- track ---------------------------------------------------------------------------------------
def cmd_track(inputs: list[str], out: str, engine: str = "local", scheduler: str | None = None,
              workers: int | None = None) -> int:
    """Group the occurrences of one quotation across documents into ``out`` (JSONL)."""
    from .track import load_occurrences, track, write_tracks

    t0 = time.perf_counter()
    problems: list[str] = []
    occurrences = load_occurrences(inputs, problems, engine=engine, scheduler=scheduler, workers=workers)
    for p in problems:
        _say(p)
    groups = track(occurrences)
    write_tracks(groups, out)
    n_conflict = sum(1 for g in groups if "speaker_conflict" in g["flags"])
    n_drift = sum(1 for g in groups if "wording_drift" in g["flags"])
    multi = sum(1 for g in groups if len({o["doc"] for o in g["occurrences"]}) > 1)
    _say(f"track: {len(occurrences)} quotes -> {len(groups)} quotations, {multi} in more than one document; "
         f"{n_conflict} speaker_conflict, {n_drift} wording_drift; {time.perf_counter() - t0:.1f} s; written to {out}")
    return 1 if problems else 0


# -- the command line (main.py lists add_parsers among its headless commands) --------------------
def _types(value: str | None) -> set[str] | None:
    return {t.strip() for t in value.split(",") if t.strip()} if value else None


def _engine_options(p, workers_help: str) -> None:
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local: worker processes on this machine (default); dask: a Dask cluster "
                        "(pip install \"quotedesk[dask]\")")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="with --engine dask: the scheduler of your cluster (default: a LocalCluster on 127.0.0.1)")
    p.add_argument("--workers", "--jobs", dest="workers", type=int, default=None, help=workers_help)


def add_parsers(sub, command) -> None:
    """``quotedesk batch``, ``preannotate`` and ``track``; ``command(sub, name, help, run)``
    makes a subcommand's parser (main.py's helper)."""
    b = command(sub, "batch", "analyse large inputs shard by shard into a folder, resumable, "
                "on this machine or a Dask cluster", _run_batch)
    b.add_argument("inputs", nargs="+", help="JSONL / JSONL.gz corpora, folders of pages, WARC / WARC.gz files")
    b.add_argument("-o", "--output", required=True, metavar="OUTDIR",
                   help="folder for <shard>.jsonl, <shard>.errors.jsonl and manifest.json")
    _engine_options(b, "worker processes (local) or LocalCluster workers (dask); default: all cores")
    b.add_argument("--shard-size", type=int, default=100, help="records per shard (default 100)")
    b.add_argument("--scheme", choices=("default", "polnear"), default="default")
    b.add_argument("--types", help="keep only these quote types, e.g. direct,mixed")
    b.add_argument("--progress", action=argparse_bool(), default=None,
                   help="progress bar on stderr (default: on a terminal)")

    p = command(sub, "preannotate", "pre-annotate a corpus project (a folder of pages or a JSONL file) "
                "as the window does, never overwriting a person's work", _run_preannotate)
    p.add_argument("corpus", help="a folder of pages or a .jsonl corpus")
    _engine_options(p, "worker processes (default: all cores)")
    p.add_argument("--redo", action="store_true", help="also re-analyse documents that hold only machine suggestions")
    p.add_argument("--progress", action=argparse_bool(), default=None)

    t = command(sub, "track", "group the occurrences of one quotation across documents, flag "
                "speaker conflicts and wording drift", _run_track)
    t.add_argument("inputs", nargs="+", help="analyze/batch output (files or OUTDIR folders) or annotated JSONL corpora")
    t.add_argument("-o", "--output", required=True, help="tracks.jsonl (- for stdout)")
    _engine_options(t, "processes reading the input files (default: one)")


def argparse_bool():
    import argparse

    return argparse.BooleanOptionalAction


def _run_batch(args) -> int:
    return cmd_batch(args.inputs, args.output, args.engine, args.scheduler, args.workers, args.shard_size,
                     args.scheme, _types(args.types), args.progress)


def _run_preannotate(args) -> int:
    return cmd_preannotate(args.corpus, args.workers, args.engine, args.scheduler, args.redo, args.progress)


def _run_track(args) -> int:
    return cmd_track(args.inputs, args.output, args.engine, args.scheduler, args.workers)
