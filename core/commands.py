"""The headless commands behind ``quotedesk analyze|extract|eval|convert``: batch jobs without a display."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterable, Iterator

from .atomic import atomic_open, atomic_write_json, json_dumps
from .errors import EXIT_OK, EXIT_SOME_FAILED, OutputError, UserError, say
from .analysis_records import analyze_job_with_warnings, record_warnings
from .safe_paths import path_in

# Below this many documents a worker pool costs more to start than it saves.
MIN_DOCS_FOR_POOL = 8


class Progress:
    """A one-line progress bar on stderr, shown only for batches worth watching."""

    def __init__(self, total: int | None, enabled: bool, stream=None):
        self.total, self.done, self.enabled = total, 0, enabled
        self.stream = stream or sys.stderr

    def step(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled or (self.done % 10 and self.done != self.total):
            return
        if self.total:
            width = 30
            filled = int(width * self.done / self.total)
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}")
        else:
            self.stream.write(f"\r{self.done} documents")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.done:
            self.stream.write("\n")
            self.stream.flush()


def _records(inputs: list[str], errors: list[str]) -> Iterator:
    from .readers import ReadError, read_inputs

    for item in read_inputs(inputs, stdin=sys.stdin.buffer if "-" in inputs else None):
        if isinstance(item, ReadError):
            errors.append(str(item))
            say(f"skipped {item}")
        else:
            yield item


def _map(func, items: Iterable, jobs: int, progress: Progress) -> Iterator:
    """func over items in order; a process pool when jobs > 1 and there is enough work.  The
    workers die with this process, and an interrupted run (Ctrl+C, SIGTERM, a closed pipe, a
    full disk) ends them at once instead of leaving them running."""
    items = list(items)
    if jobs > 1 and len(items) >= MIN_DOCS_FOR_POOL:
        chunk = max(1, min(32, len(items) // (jobs * 8)))
        from . import workers  # only a pooled run pays for importing concurrent.futures

        pool = workers.pool(jobs)
        try:
            for out in pool.map(func, items, chunksize=chunk):
                progress.step()
                yield out
        except BaseException:
            workers.stop(pool)
            raise
        pool.shutdown(wait=True)
    else:
        for item in items:
            out = func(item)
            progress.step()
            yield out


# -- analyze ------------------------------------------------------------------------------
def cmd_analyze(inputs: list[str], out: str | None, fmt: str = "jsonl", jobs: int | None = None,
                types: set[str] | None = None, progress: bool | None = None, scheme: str = "default") -> int:
    errors: list[str] = []
    run = records = None
    if "-" in inputs:
        records = list(_records(inputs, errors))
        total = len(records)
    else:
        # Files: the local engine's workers read, analyse and serialise whole shards (core.batch_commands).
        from .batch_commands import AnalyzeRun

        run = AnalyzeRun(inputs, errors)
        total = run.total
    jobs = jobs or os.cpu_count() or 1
    show = progress if progress is not None else (total >= 20 and sys.stderr.isatty())
    bar = Progress(total, show)
    if run is not None:
        results = run.results(fmt, types, scheme, jobs, bar)
    else:
        results = _stdin_results(records, fmt, types, scheme, jobs, bar)
    try:
        if fmt == "json":
            _write_annotation_files(results, out, errors, single=total == 1)
        elif out and out != "-":
            # Written beside the target and renamed at the end: an interrupted run leaves the old file.
            try:
                with atomic_open(out) as stream:
                    _write_records(results, stream, errors)
            except OSError as e:
                raise OutputError.from_os_error(e, out) from None
        else:
            try:
                _write_records(results, sys.stdout, errors)
                sys.stdout.flush()
            except BrokenPipeError:
                raise
            except OSError as e:
                raise OutputError.from_os_error(e, "<stdout>") from None
    finally:
        results.close()  # a run stopped half-way ends its workers now
    bar.close()
    return _report(run.read if run is not None else len(records), errors)


def _stdin_results(records, fmt, types, scheme, jobs, bar):
    """analyze's results for records read from stdin; their warnings are printed as they come."""
    inner = _map(analyze_job_with_warnings, [(r, fmt, types, scheme) for r in records], jobs, bar)
    try:
        for status, payload, warnings in inner:
            for w in warnings:
                say(w)
            yield status, payload
    finally:
        inner.close()  # a run stopped half-way ends its workers now


def _write_records(results, stream, errors: list[str]) -> None:
    for status, payload in results:
        if status == "error":
            errors.append(payload)
            say(payload)
        elif status == "text":  # lines a worker already serialised (with json_dumps)
            stream.write(payload)
        else:
            # json_dumps: a lone surrogate in a valid JSON input is written as its \uXXXX escape
            # (the same string when read back) instead of stopping the batch.
            stream.write(json_dumps(payload) + "\n")


def _write_annotation_files(results, out: str | None, errors: list[str], single: bool) -> None:
    """One annotation file a document in folder ``out``, named by safe_paths (an id such as
    ``../../x`` or ``/etc/x`` stays inside the folder); ``-o x.json`` for a single document."""
    from .annotation_file import SUFFIX

    target = Path(out or ".")
    used: set[str] = set()
    for status, payload in results:
        if status == "error":
            errors.append(payload)
            say(payload)
            continue
        doc_id, data = payload
        if single and out and not target.is_dir() and target.suffix == ".json":
            path = target
        else:
            path, k = path_in(target, doc_id, SUFFIX), 1
            while path.name.casefold() in used:  # two records with one id: keep both
                k += 1
                path = path_in(target, f"{doc_id}-{k}", SUFFIX)
            if k > 1:
                say(f"{doc_id}: a second document with this id, written as {path.name}")
            used.add(path.name.casefold())
        try:
            atomic_write_json(path, data, indent=1)
        except OSError as e:
            raise OutputError.from_os_error(e, path) from None


def _report(n_read: int, errors: list[str]) -> int:
    """Exit status 1 when anything failed, so a batch job notices; the rest was still written."""
    if errors:
        say(f"{len(errors)} problem(s); {n_read} document(s) were read")
        return EXIT_SOME_FAILED
    return EXIT_OK


# -- extract ------------------------------------------------------------------------------
def _extract_job(record) -> tuple[str, object]:
    from .extraction import extract_article
    from .extraction.page_meta import meta_record

    try:
        ex = extract_article(record.text, record.kind)
    except Exception as exc:
        return ("error", f"{record.source}: extraction failed: {exc!r}", record_warnings(record))
    m = ex.meta
    # The same metadata fields as analyze's "article" record (page_meta.meta_record).
    return ("ok", (record.id, {"articleBody": ex.article, **meta_record(m)}),
            record_warnings(record, getattr(ex, "warnings", None)))


def cmd_extract(inputs: list[str], out: str | None, fmt: str = "zyte", jobs: int | None = None) -> int:
    errors: list[str] = []
    records = list(_records(inputs, errors))
    bar = Progress(len(records), len(records) >= 20 and sys.stderr.isatty())
    result = {}
    results = _map(_extract_job, records, jobs or os.cpu_count() or 1, bar)
    try:
        for status, payload, warnings in results:
            for w in warnings:  # printed, not counted as problems
                say(w)
            if status == "error":
                errors.append(payload)
                say(payload)
            else:
                result[payload[0]] = payload[1]
    finally:
        results.close()
    bar.close()
    text = json_dumps(result, indent=1)
    if out and out != "-":
        from .atomic import atomic_write_text

        try:
            atomic_write_text(Path(out), text)
        except OSError as e:
            raise OutputError.from_os_error(e, out) from None
    else:
        print(text)
    return _report(len(records), errors)


# -- eval ---------------------------------------------------------------------------------
def _load_jsonl(path: str, gold: bool = False) -> dict:
    """``{id: record}`` of a gold or predicted JSONL file, each record checked enough that the
    scorer cannot fail on it; a bad line is a UserError naming the file and the line.  A ``gold``
    record needs its ``"text"`` (the spans are scored against it)."""
    from .readers import iter_jsonl_lines

    docs = {}
    for n, d in iter_jsonl_lines(path):
        where = f"line {n}"
        if not isinstance(d, dict):
            raise UserError(f"{where}: expected a JSON object with \"id\" and \"quotes\"", path)
        if not isinstance(d.get("id"), (str, int)) or isinstance(d.get("id"), bool):
            raise UserError(f"{where}: a record needs an \"id\" (a string)", path)
        quotes = d.setdefault("quotes", [])  # a record without quotes has none
        if not isinstance(quotes, list):
            raise UserError(f"{where}: \"quotes\" must be a list", path)
        for i, q in enumerate(quotes, 1):
            _check_quote(q, f"{where}, quote {i}", path)
        if "text" in d and not isinstance(d["text"], str):
            raise UserError(f"{where}: \"text\" must be a string", path)
        if gold and "text" not in d:
            analysis = "offsets" in d and "article" in d
            raise UserError(f"{where}: record {d['id']!r} has no \"text\", which a gold record needs"
                            + (" (this is analyze output: give it as the predictions, after a gold file)"
                               if analysis else ""), path)
        docs[d["id"]] = d
    return docs


def _int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _check_quote(q, where: str, path: str) -> None:
    if not isinstance(q, dict):
        raise UserError(f"{where}: expected an object", path)
    if not (_int(q.get("start")) and _int(q.get("end"))):
        raise UserError(f"{where}: \"start\" and \"end\" must be integers", path)
    for key in ("speaker_spans", "cue_spans"):
        spans = q.get(key, [])
        if spans is None:
            continue
        if not isinstance(spans, list) or not all(
                isinstance(s, list) and len(s) == 2 and _int(s[0]) and _int(s[1]) for s in spans):
            raise UserError(f"{where}: \"{key}\" must be a list of [start, end] pairs", path)
    for key in ("type", "speaker"):
        if q.get(key) is not None and not isinstance(q.get(key), str):
            raise UserError(f"{where}: \"{key}\" must be a string", path)


def cmd_eval(gold: str, pred: str, types: set[str] | None = None, json_out: str | None = None,
             agreement: bool = False) -> int:
    from . import evaluation

    g, p = _load_jsonl(gold, gold=True), _load_jsonl(pred)
    if agreement:
        from .formats.jsonl import RecordError, record_to_document

        for d in p.values():
            d.setdefault("text", g.get(d["id"], {}).get("text", ""))
        docs = {}
        for path, recs in ((gold, g), (pred, p)):
            docs[path] = {}
            for k, v in recs.items():
                try:
                    docs[path][k] = record_to_document(v)
                except (RecordError, TypeError, KeyError, AttributeError, ValueError) as e:
                    raise UserError(f"record {k}: {e}", path) from None
        res = evaluation.compare_corpora(docs[gold], docs[pred])
    else:
        res = evaluation.score_quotes(g, p, types)
    print(evaluation.format_report(res))
    if json_out:
        try:
            atomic_write_json(json_out, res, indent=1, default=str)
        except OSError as e:
            raise OutputError.from_os_error(e, json_out) from None
    return EXIT_OK


# -- convert ------------------------------------------------------------------------------
def cmd_convert(src: str, out: str, from_fmt: str | None, to_fmt: str, predictions: bool = False) -> int:
    """Errors (ConvertError naming the input, OutputError naming the output) go to main's
    one error path; each lone-surrogate or skipped record is a note in the report."""
    from .convert import convert

    if predictions and to_fmt != "labelstudio":
        raise UserError(f"--predictions is for --to labelstudio (Label Studio predictions), not {to_fmt}")
    report = convert(src, out, from_fmt=from_fmt, to_fmt=to_fmt, predictions=predictions)
    print(report, file=sys.stderr)
    return EXIT_OK
