"""Cutting batch inputs into shards (the unit of work) and reading one shard's records in a worker.

A :class:`Shard` is a small description a worker can act on alone: which file, where in it, how
many records.  Planning reads only what it must to find the cuts (line ends of a JSONL file, the
decompressed lines of a JSONL.gz, record headers of a WARC); it never decodes or analyses a record.
A worker then reads its own shard (:func:`read_shard`) and yields the same
:class:`~quotedesk.core.readers.InputRecord` items (or ReadErrors) that ``read_inputs`` gives for
those records, so a batch analyses exactly what ``analyze`` would.

Inputs: ``.jsonl`` / ``.jsonl.gz`` corpora, page files (``.txt``, ``.html``, ``.htm``, also
gzipped), folders of those, and ``.warc`` / ``.warc.gz`` files (HTML responses; needs ``warcio``,
imported only when a WARC is given).
"""
from __future__ import annotations

import gzip
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .readers import (CORPUS_SUFFIXES, PAGE_SUFFIXES, LongLine, ReadError, _corpus_record, _folder_files, _outside,
                      outside_link_errors,
                      NO_LIMIT, bounded_lines, line_size, parse_json_line, too_long,
                      _page_suffix, _stem, read_path)

WARC_SUFFIXES = (".warc", ".warc.gz")
WARC_MISSING = "reading WARC files needs the 'warcio' package: pip install \"quotedesk[warc]\" (or pip install warcio)"
DEFAULT_SHARD_SIZE = 1000


class PlanError(ValueError):
    """An input that cannot be planned (missing, unknown kind); the message names it."""


@dataclass
class Shard:
    name: str  # unique in one plan, stable between runs: the output file stem
    kind: str  # jsonl | jsonl.gz | pages | warc
    path: str  # the file as the user named it (record sources use it); pages: "" (see files)
    abspath: str  # what a worker opens
    start: int = 0  # jsonl: byte offset; jsonl.gz: lines to skip
    stop: int = 0  # jsonl: byte offset of the end; jsonl.gz: lines to read
    first_line: int = 1  # the line number of the first line read (jsonl)
    records: int = 0  # how many records (non-blank lines, pages, HTML responses)
    files: list[str] = field(default_factory=list)  # pages: the files, as named
    offsets: list[int] = field(default_factory=list)  # warc: record offsets
    input_size: int = 0
    input_mtime: int = 0

    def identity(self) -> dict:
        """What must be unchanged for a finished shard's output to stand."""
        return {"kind": self.kind, "input": self.abspath or None, "files": [os.path.abspath(f) for f in self.files],
                "start": self.start, "stop": self.stop, "records": self.records,
                "input_size": self.input_size, "input_mtime": self.input_mtime}


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def is_corpus(path: Path) -> bool:
    return _page_suffix(path) in CORPUS_SUFFIXES


def _stat(p: Path) -> tuple[int, int]:
    st = p.stat()
    return st.st_size, st.st_mtime_ns


_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class _Names:
    """Stable shard names: the input's stem, a suffix when two inputs share it, then the index."""

    def __init__(self):
        self.used: dict[str, int] = {}

    def base(self, stem: str) -> str:
        stem = _NAME_UNSAFE.sub("_", stem).strip("._") or "input"
        n = self.used.get(stem, 0) + 1
        self.used[stem] = n
        return stem if n == 1 else f"{stem}.{n}"


def plan(inputs: list[str], shard_size: int = DEFAULT_SHARD_SIZE) -> tuple[list[Shard], list[ReadError]]:
    """Shards covering every record of ``inputs`` in order, and the problems found (a missing
    file, an empty folder); page files given one by one are grouped into shards too."""
    shard_size = max(1, int(shard_size))
    names = _Names()
    shards: list[Shard] = []
    problems: list[ReadError] = []
    pending: list[Path] = []  # a run of page files, grouped into shards when the run ends
    pending_base = [None]

    def flush_pages():
        if not pending:
            return
        base = names.base(pending_base[0] or "pages")
        for k in range(0, len(pending), shard_size):
            chunk = pending[k:k + shard_size]
            size = mtime = 0
            for f in chunk:
                try:
                    s, m = _stat(f)
                except OSError:
                    s, m = -1, 0
                size += s
                mtime = max(mtime, m)
            shards.append(Shard(name=f"{base}-{k // shard_size:05d}", kind="pages", path="", abspath="",
                                records=len(chunk), files=[str(f) for f in chunk],
                                input_size=size, input_mtime=mtime))
        pending.clear()

    def one_file(p: Path, base: str | None):
        if is_warc(p):
            flush_pages()
            shards.extend(_plan_warc(p, shard_size, names.base(_warc_stem(p))))
        elif is_corpus(p):
            flush_pages()
            shards.extend(_plan_jsonl(p, shard_size, names.base(_stem(p))))
        else:
            if pending and pending_base[0] != base:
                flush_pages()
            pending_base[0] = base
            pending.append(p)

    for item in inputs:
        p = Path(item)
        if item == "-":
            problems.append(ReadError("standard input cannot be sharded: give files", "<stdin>"))
            continue
        try:
            if p.is_dir():
                links_out: list[Path] = []  # links to files outside the folder: reported, not read
                files = _folder_files(p, links_out)
                for f in p.rglob("*"):
                    if f.is_file() and not f.name.startswith(".") and is_warc(f):
                        (links_out if _outside(f, p) else files).append(f)
                files = sorted(set(files))
                problems.extend(outside_link_errors(links_out))
                if not files and links_out:
                    continue
                if not files:
                    problems.append(ReadError("folder holds no .txt, .html, .htm, .jsonl or .warc file", str(p)))
                    continue
                base = _stem(p.resolve()) or "pages"
                for f in files:
                    one_file(f, base)
            elif not p.exists():
                problems.append(ReadError("no such file", str(p)))
            else:
                one_file(p, None)
        except ReadError as e:
            problems.append(e)
    flush_pages()
    return shards, problems


def _warc_stem(p: Path) -> str:
    name = p.name
    for suffix in (".gz", ".warc"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name


def _plan_jsonl(p: Path, shard_size: int, base: str) -> list[Shard]:
    size, mtime = _stat(p)
    gz = p.name.lower().endswith(".gz")
    out: list[Shard] = []
    opener = gzip.open if gz else open
    try:
        f = opener(p, "rb")
    except OSError as e:
        raise ReadError(f"cannot be read ({e.strerror or e})", str(p)) from None

    def add(start, stop, first_line, records):
        out.append(Shard(name=f"{base}-{len(out):05d}", kind="jsonl.gz" if gz else "jsonl", path=str(p),
                         abspath=os.path.abspath(p), start=start, stop=stop, first_line=first_line,
                         records=records, input_size=size, input_mtime=mtime))

    with f:
        pos = 0  # byte offset (plain) or line index (gz) where the current shard begins
        first_line, line_no, count, offset = 1, 0, 0, 0
        try:
            for line in bounded_lines(f, str(p), max_total=None if gz else NO_LIMIT):  # a 5 GB line is not held
                line_no += 1
                if count == shard_size and line.strip():
                    # close the shard before this record (blank lines ride along with the previous one)
                    add(pos, offset if not gz else line_no - 1 - pos, first_line, count)
                    pos = offset if not gz else line_no - 1
                    first_line, count = line_no, 0
                offset += line_size(line)
                if line.strip():
                    count += 1
        except (OSError, EOFError) as e:
            raise ReadError(f"cannot be read after line {line_no} ({e})", str(p)) from None
        if count or not out:
            add(pos, offset if not gz else line_no - pos, first_line, count)
    return out


def _plan_warc(p: Path, shard_size: int, base: str) -> list[Shard]:
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError:
        raise ReadError(WARC_MISSING, str(p)) from None
    size, mtime = _stat(p)
    offsets: list[int] = []
    try:
        with open(p, "rb") as f:
            it = ArchiveIterator(f)
            for rec in it:
                if _is_html_response(rec):
                    offsets.append(it.get_record_offset())
    except Exception as e:  # warcio raises its own errors for a damaged archive
        if not offsets:
            raise ReadError(f"not a readable WARC file ({type(e).__name__}: {e})", str(p)) from None
    out = []
    for k in range(0, max(1, len(offsets)), shard_size):
        chunk = offsets[k:k + shard_size]
        out.append(Shard(name=f"{base}-{k // shard_size:05d}", kind="warc", path=str(p), abspath=os.path.abspath(p),
                         records=len(chunk), offsets=chunk, input_size=size, input_mtime=mtime))
    return out


def _is_html_response(rec) -> bool:
    if rec.rec_type != "response" or rec.http_headers is None:
        return False
    ctype = (rec.http_headers.get_header("Content-Type") or "").lower()
    return "html" in ctype


# -- reading a shard (in a worker) -------------------------------------------------------------
def read_shard(shard: Shard) -> Iterator:
    """The records of one shard, in order: InputRecord items, or ReadError for a record that
    cannot be read (named exactly as ``read_inputs`` names it)."""
    if shard.kind == "pages":
        for f in shard.files:
            try:
                yield read_path(f)
            except ReadError as e:
                yield e
    elif shard.kind in ("jsonl", "jsonl.gz"):
        yield from _read_jsonl_shard(shard)
    elif shard.kind == "warc":
        yield from _read_warc_shard(shard)
    else:
        yield ReadError(f"unknown shard kind {shard.kind!r}", shard.path)


def _read_jsonl_shard(shard: Shard) -> Iterator:
    import codecs
    import json
    from itertools import islice

    src = shard.path
    p = Path(shard.abspath)
    try:
        if shard.kind == "jsonl":
            f = open(p, "rb")
            f.seek(shard.start)
            lines = _byte_range_lines(f, shard.stop - shard.start)
        else:
            f = gzip.open(p, "rb")
            lines = islice(bounded_lines(f, src), shard.start, shard.start + shard.stop)
    except OSError as e:
        yield ReadError(f"cannot be read ({e.strerror or e})", src)
        return
    fallback = _stem(Path(src))
    with f:
        line_no = shard.first_line - 1
        try:
            for line in lines:
                line_no += 1
                if line_no == 1 and line.startswith(codecs.BOM_UTF8):
                    line = line[3:]
                if not line.strip():
                    continue
                if isinstance(line, LongLine):
                    yield too_long(line_no, src)
                    continue
                obj = parse_json_line(line, line_no, src)  # not UTF-8, not JSON, nested too deeply
                if isinstance(obj, ReadError):
                    yield obj
                    continue
                try:
                    yield _corpus_record(obj, line_no, src, fallback)
                except ReadError as e:
                    yield e
        except (OSError, EOFError) as e:
            yield ReadError(f"cannot be read after line {line_no} ({e})", src)
        except ReadError as e:  # inflated past the limit
            yield e


def _byte_range_lines(f, length: int) -> Iterator[bytes]:
    left = length
    for line in bounded_lines(f, max_total=NO_LIMIT):
        if left <= 0:
            return
        left -= line_size(line)
        yield line


def _read_warc_shard(shard: Shard) -> Iterator:
    from .readers import _record_from_bytes, decode_bytes  # noqa: F401  (decode via the same rules)

    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError:
        yield ReadError(WARC_MISSING, shard.path)
        return
    try:
        f = open(shard.abspath, "rb")
    except OSError as e:
        yield ReadError(f"cannot be read ({e.strerror or e})", shard.path)
        return
    with f:
        for offset in shard.offsets:
            src = f"{shard.path}@{offset}"
            try:
                f.seek(offset)
                rec = next(iter(ArchiveIterator(f)))
                uri = rec.rec_headers.get_header("WARC-Target-URI") or src
                data = rec.content_stream().read()
                yield _warc_record(data, rec, uri, src)
            except ReadError as e:
                yield e
            except Exception as e:
                yield ReadError(f"damaged WARC record ({type(e).__name__}: {e})", src)


def _warc_record(data: bytes, rec, uri: str, src: str):
    from .readers import InputRecord, decode_bytes
    from .textmap import normalize_newlines

    ctype = rec.http_headers.get_header("Content-Type") or ""
    m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", ctype, re.IGNORECASE)
    text = decode_bytes(data, declared=m.group(1) if m else None, source=src)
    norm, nmap = normalize_newlines(text)
    return InputRecord(id=uri, text=norm, kind="html", source=src, newline_map=nmap, clean=False)


def page_suffixes() -> set[str]:
    return set(PAGE_SUFFIXES)
