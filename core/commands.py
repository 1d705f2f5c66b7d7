"""The headless commands behind ``quotedesk analyze|extract|eval|convert``: batch jobs without a display."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Iterable, Iterator

from .model import Document

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
            print(f"quotedesk: skipped {item}", file=sys.stderr)
        else:
            yield item


def _map(func, items: Iterable, jobs: int, progress: Progress) -> Iterator:
    """func over items in order; a process pool when jobs > 1 and there is enough work."""
    items = list(items)
    if jobs > 1 and len(items) >= MIN_DOCS_FOR_POOL:
        chunk = max(1, min(32, len(items) // (jobs * 8)))
        from concurrent.futures import ProcessPoolExecutor  # only a pooled run pays for importing it

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for out in pool.map(func, items, chunksize=chunk):
                progress.step()
                yield out
    else:
        for item in items:
            out = func(item)
            progress.step()
            yield out


# -- analyze ------------------------------------------------------------------------------
def analyze_record(record, scheme: str = "default") -> Document:
    from .pipeline import analyze

    return analyze(record.text, record.kind, record.id, record.source, clean=record.clean, scheme=scheme)


def _analyze_job(args) -> tuple[str, object]:
    record, fmt, types, scheme = args
    try:
        doc = analyze_record(record, scheme)
    except Exception as exc:  # one bad page must not stop the batch
        return ("error", f"{record.source}: analysis failed: {exc!r}")
    if fmt == "json":
        from .annotation_file import document_to_dict

        return ("ok", (doc.id, document_to_dict(doc)))
    return ("ok", analysis_record(doc, record, types))


def analysis_record(doc: Document, record, types: set[str] | None = None) -> dict:
    """One JSONL output record.  For page text and corpus text the offsets index the input text
    (so the shared scorer reads them as they are); for HTML they index the extracted article."""
    from .formats.jsonl import quote_record

    newline_map = record.newline_map
    if doc.raw_kind == "html":
        offset, base = None, "article"
    elif doc.article is doc.raw or doc.article == doc.raw:
        offset, base = None, "input"  # the usual corpus record: no newline was collapsed, offsets pass as they are
        if not newline_map.is_identity:
            def offset(s, e):
                return newline_map.to_source(s), newline_map.to_source(e)
    else:
        def offset(s, e):
            rs, re_ = doc.to_raw(s, e)
            return newline_map.to_source(rs), newline_map.to_source(re_)
        base = "input"
    quotes = [quote_record(doc, q, offset) for q in doc.sorted_quotes()
              if not types or q.type in types]
    meta = doc.meta
    return {
        "id": doc.id,
        "source": record.source,
        "offsets": base,
        "quotes": quotes,
        "entities": [{"id": e.id, "name": e.name, "kind": e.kind} for e in doc.entities.values()],
        "article": {"headline": meta.headline, "date": meta.date, "dateline": meta.dateline,
                    "byline": meta.byline, "agency": meta.agency, "body": doc.article},
    }


def cmd_analyze(inputs: list[str], out: str | None, fmt: str = "jsonl", jobs: int | None = None,
                types: set[str] | None = None, progress: bool | None = None, scheme: str = "default") -> int:
    errors: list[str] = []
    records = list(_records(inputs, errors))
    jobs = jobs or os.cpu_count() or 1
    show = progress if progress is not None else (len(records) >= 20 and sys.stderr.isatty())
    bar = Progress(len(records), show)
    results = _map(_analyze_job, [(r, fmt, types, scheme) for r in records], jobs, bar)
    if fmt == "json":
        _write_annotation_files(results, out, errors, single=len(records) == 1)
    else:
        stream = open(out, "w", encoding="utf-8") if out and out != "-" else sys.stdout
        try:
            for status, payload in results:
                if status == "error":
                    errors.append(payload)
                    print(f"quotedesk: {payload}", file=sys.stderr)
                else:
                    stream.write(json.dumps(payload, ensure_ascii=False) + "\n")
        finally:
            if stream is not sys.stdout:
                stream.close()
    bar.close()
    return _report(len(records), errors)


def _write_annotation_files(results, out: str | None, errors: list[str], single: bool) -> None:
    from .atomic import atomic_write_text

    target = Path(out or ".")
    for status, payload in results:
        if status == "error":
            errors.append(payload)
            print(f"quotedesk: {payload}", file=sys.stderr)
            continue
        doc_id, data = payload
        if single and out and not target.is_dir() and target.suffix == ".json":
            path = target
        else:
            target.mkdir(parents=True, exist_ok=True)
            path = target / f"{doc_id}.quotedesk.json"
        atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=1))


def _report(n_read: int, errors: list[str]) -> int:
    """Exit status 1 when anything failed, so a batch job notices; the rest was still written."""
    if errors:
        print(f"quotedesk: {len(errors)} problem(s); {n_read} document(s) were read", file=sys.stderr)
        return 1
    return 0


# -- extract ------------------------------------------------------------------------------
def _extract_job(record) -> tuple[str, object]:
    from .extraction import extract_article

    try:
        ex = extract_article(record.text, record.kind)
    except Exception as exc:
        return ("error", f"{record.source}: extraction failed: {exc!r}")
    m = ex.meta
    return ("ok", (record.id, {"articleBody": ex.article, "headline": m.headline, "date": m.date,
                               "byline": m.byline or m.agency, "dateline": m.dateline}))


def cmd_extract(inputs: list[str], out: str | None, fmt: str = "zyte", jobs: int | None = None) -> int:
    errors: list[str] = []
    records = list(_records(inputs, errors))
    bar = Progress(len(records), len(records) >= 20 and sys.stderr.isatty())
    result = {}
    for status, payload in _map(_extract_job, records, jobs or os.cpu_count() or 1, bar):
        if status == "error":
            errors.append(payload)
            print(f"quotedesk: {payload}", file=sys.stderr)
        else:
            result[payload[0]] = payload[1]
    bar.close()
    text = json.dumps(result, ensure_ascii=False, indent=1)
    if out and out != "-":
        from .atomic import atomic_write_text

        atomic_write_text(Path(out), text)
    else:
        print(text)
    return _report(len(records), errors)


# -- eval ---------------------------------------------------------------------------------
def _load_jsonl(path: str) -> dict:
    docs = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    d = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise SystemExit(f"quotedesk: {path}, line {n}: not JSON ({exc.msg})")
                docs[d["id"]] = d
    return docs


def cmd_eval(gold: str, pred: str, types: set[str] | None = None, json_out: str | None = None,
             agreement: bool = False) -> int:
    from . import evaluation

    g, p = _load_jsonl(gold), _load_jsonl(pred)
    if agreement:
        from .formats.jsonl import record_to_document

        for d in p.values():
            d.setdefault("text", g.get(d["id"], {}).get("text", ""))
        res = evaluation.compare_corpora({k: record_to_document(v) for k, v in g.items()},
                                         {k: record_to_document(v) for k, v in p.items()})
    else:
        res = evaluation.score_quotes(g, p, types)
    print(evaluation.format_report(res))
    if json_out:
        with open(json_out, "w", encoding="utf-8") as f:
            json.dump(res, f, indent=1, default=str)
    return 0


# -- convert ------------------------------------------------------------------------------
def cmd_convert(src: str, out: str, from_fmt: str | None, to_fmt: str) -> int:
    from .convert import convert

    report = convert(src, out, from_fmt=from_fmt, to_fmt=to_fmt)
    print(report, file=sys.stderr)
    return 0
