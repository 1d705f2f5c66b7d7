"""What a worker does with one shard: read its records, analyse them, and write (or return) the
results.  Runs in a local worker process or on a Dask worker; the parent only sees counts.

Records are built by core.analysis_records (``analyze_record``, ``analysis_record``), as for analyze,
so a batch shard holds exactly the lines ``quotedesk analyze`` writes for the same records.
"""
from __future__ import annotations

import json
import os
import socket
import tempfile
import time
from pathlib import Path

from .engines import report_progress
from .readers import ReadError
from .shards import Shard, read_shard


class _AtomicFile:
    """A text file written under a unique temporary name in its folder and renamed into place
    when complete (fsync first), so a reader sees the whole file or none, and two attempts at the
    same shard (a retry after a dead worker) never write into one file."""

    def __init__(self, path: Path):
        self.path = Path(path)
        fd, self.tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".part", dir=self.path.parent)
        from .atomic import apply_mode

        apply_mode(fd, self.path)  # the umask's mode (or the old file's), not mkstemp's 0600
        self.f = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        self.size = 0

    def write(self, text: str) -> None:
        self.f.write(text)

    def commit(self) -> int:
        self.f.flush()
        os.fsync(self.f.fileno())
        self.size = self.f.tell()
        self.f.close()
        os.replace(self.tmp, self.path)
        return self.size

    def abort(self) -> None:
        try:
            self.f.close()
        finally:
            try:
                os.unlink(self.tmp)
            except OSError:
                pass


def shard_paths(outdir, name: str) -> tuple[Path, Path]:
    outdir = Path(outdir)
    return outdir / f"{name}.jsonl", outdir / f"{name}.errors.jsonl"


def batch_shard(task) -> dict:
    """``(shard, outdir, scheme, types)``: analyse the shard and write ``<shard>.jsonl`` (analyze
    records) and ``<shard>.errors.jsonl`` (``{"id", "error"}`` per record that failed); returns
    the counts.  One bad record is listed and the rest goes on."""
    from .analysis_records import analysis_record, analyze_record

    shard, outdir, scheme, types = task
    t0 = time.perf_counter()
    out_path, err_path = shard_paths(outdir, shard.name)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out, err = _AtomicFile(out_path), _AtomicFile(err_path)
    dumps = _dumps()
    docs = quotes = failed = 0
    try:
        for item in read_shard(shard):
            if isinstance(item, ReadError):
                err.write(json.dumps({"id": item.source or shard.name, "error": str(item)}, ensure_ascii=False) + "\n")
                failed += 1
            else:
                try:
                    rec = analysis_record(analyze_record(item, scheme), item, set(types) if types else None)
                    line = dumps(rec) + "\n"
                except Exception as exc:  # one bad record must not stop the shard
                    err.write(json.dumps({"id": item.id, "error": f"{item.source}: analysis failed: {exc!r}"},
                                         ensure_ascii=False) + "\n")
                    failed += 1
                else:
                    out.write(line)
                    docs += 1
                    quotes += len(rec["quotes"])
            report_progress(1)
        # the errors file first: a shard's output file exists only once both are complete
        err_bytes = err.commit()
        out_bytes = out.commit()
    except BaseException:
        out.abort()
        err.abort()
        raise
    return {"shard": shard.name, "records": shard.records, "docs": docs, "quotes": quotes, "failed": failed,
            "bytes": out_bytes, "error_bytes": err_bytes, "seconds": round(time.perf_counter() - t0, 3),
            "worker": f"{socket.gethostname()}:{os.getpid()}"}


def _dumps():
    """core.commands' record serialiser (the same bytes `analyze` writes in one process)."""
    from . import atomic

    dumps = getattr(atomic, "json_dumps", None)
    if dumps is None:
        return lambda obj: json.dumps(obj, ensure_ascii=False)
    return dumps


def analyze_shard(task) -> dict:
    """``(shard, fmt, types, scheme)`` for ``quotedesk analyze``: the shard's JSONL lines
    serialised here, in the worker (or its annotation files' data for json), and the messages to
    print, in record order.  The parent only writes them out in shard order."""
    from .analysis_records import analyze_job_with_warnings

    shard, fmt, types, scheme = task
    dumps = _dumps()
    parts: list = []
    messages: list[tuple[str, str]] = []  # ("read" | "analysis", message)
    read = 0
    for item in read_shard(shard):
        if isinstance(item, ReadError):
            messages.append(("read", str(item)))
            report_progress(1)
            continue
        read += 1
        status, payload, warnings = analyze_job_with_warnings((item, fmt, types, scheme))
        messages.extend(("warning", w) for w in warnings)  # printed, not counted as problems
        if status == "error":
            messages.append(("analysis", payload))
        elif fmt == "json":
            parts.append(payload)
        else:
            parts.append(dumps(payload) + "\n")
        report_progress(1)
    return {"read": read, "parts": parts, "messages": messages}
