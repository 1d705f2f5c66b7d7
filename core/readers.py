"""Reading pages and corpora from disk or stdin into newline-normalised input records, with clear errors.

What is read:
- ``.txt`` (page text in any common encoding), ``.html`` / ``.htm`` (kind ``html``), the same with a
  ``.gz`` suffix (gunzipped), a folder (its ``.txt``/``.html``/``.htm``/``.jsonl`` files, recursively,
  in sorted order), ``-`` (stdin bytes; HTML or text is sniffed), and ``.jsonl`` / ``.json-lines``
  corpora whose lines are ``{"id", "text"}`` (an article already: ``clean=True``) or ``{"id", "html"}``.
- A record's id is the file stem (``page.html.gz`` -> ``page``); corpus records keep their own id.

Decoding: BOM first, then strict UTF-8, then the declared charset (argument, or an HTML
``<meta charset>``), then a guess among the single-byte code pages news pages come in:
charset-normalizer's, checked (Cyrillic, cp1251 or koi8-r, only when the words come out Cyrillic
through and through; cp1250 only where it reads differently from cp1252), else cp1252 (undefined
cp1252 bytes fall back to Latin-1, so decoding never fails).  Data that looks binary (PNG, JPEG, GIF, ZIP, PDF, gzip we did not expect, or many NUL /
control bytes) raises :class:`ReadError` instead of showing mojibake.

Size: a page of up to ``MAX_PAGE_BYTES`` (256 MiB) is read whole and never truncated; a 50 MB cp1252
page with CRLF line ends loads in about 1.6 s here (extraction then takes about 4-9 s more).
A larger file raises ``ReadError`` ("too large") before it is read,
so nothing is silently cut.  Corpus files are read line by line: a line (one record) may hold up
to ``MAX_LINE_BYTES`` (the page limit) and a gzipped corpus may inflate to ``MAX_INFLATED_BYTES``;
past either the line or the rest of the file is reported, never read into memory.
JSON nested too deeply to parse (``[[[[…``) is a ReadError for that line.
"""
from __future__ import annotations

import codecs
import contextvars
import gzip
import io
import json
import re
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterator

from .textmap import IDENTITY, NewlineMap, normalize_newlines

MAX_PAGE_BYTES = 256 * 1024 * 1024
MAX_LINE_BYTES = MAX_PAGE_BYTES  # a corpus line holds one page
MAX_INFLATED_BYTES = 64 * 1024 ** 3  # a .jsonl.gz past this is a decompression bomb, not a corpus
NO_LIMIT = 1 << 62  # a plain file's size is what the disk holds
_GUESS_SAMPLE = 256 * 1024
PAGE_SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html", ".xhtml": "html"}
CORPUS_SUFFIXES = {".jsonl", ".json-lines", ".jsonlines"}

_BINARY_MAGIC = (
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or an office document)"), (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"), (b"\x7fELF", "a program"),
    (b"RIFF", "a media file"), (b"\x00\x00\x01\x00", "an icon"),
    (b"7z\xbc\xaf", "a 7-zip archive"), (b"\xfd7zXZ", "an xz archive"), (b"OggS", "a media file"),
    (b"\x00\x00\x00\x18ftyp", "a video"), (b"\x00\x00\x00\x20ftyp", "a video"),
    (b"SQLite format 3", "an SQLite database"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_XML_ENCODING_RE = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""")
_HTML_SNIFF_RE = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|script|span|a\s|table|br)\b",
    re.IGNORECASE)
# WHATWG: these labels mean windows-1252 in practice.
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252",
                    "us-ascii": "cp1252", "iso8859-1": "cp1252", "windows-1252": "cp1252",
                    "x-user-defined": "cp1252", "unicode": "utf-8", "utf8": "utf-8"}


class ReadError(Exception):
    """A page or corpus line that cannot be read; ``str(err)`` is a message for people."""

    def __init__(self, message: str, source: str | None = None):
        self.source = source
        self.message = message
        super().__init__(f"{source}: {message}" if source else message)


@dataclass
class InputRecord:
    id: str
    text: str  # newline-normalised
    kind: str  # "text" or "html"
    source: str
    newline_map: NewlineMap = field(default=IDENTITY)
    # True for corpus text records: the text is already the article.
    clean: bool = False
    # Things the reader changed or noticed, one line each for the user ("…: 2 lone surrogates replaced").
    warnings: list[str] = field(default_factory=list)


# -- lone surrogates -------------------------------------------------------------------------
# Valid JSON can hold a lone surrogate ("\ud800"), which no UTF-8 file can: every JSON reader
# replaces each with U+FFFD as it reads (one code point for one, so every offset stays exact) and
# says so, so nothing downstream (a CSV cell, a brat file, a re-read pair of escapes that JSON joins
# into one character) sees one.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_READ_NOTES: "contextvars.ContextVar[list[str] | None]" = contextvars.ContextVar("quotedesk_read_notes", default=None)


def replace_lone_surrogates(obj):
    """``(obj with each lone surrogate in its strings and keys as U+FFFD, how many were replaced)``."""
    count = 0

    def walk(o):
        nonlocal count
        if isinstance(o, str):
            n = len(_SURROGATE_RE.findall(o))
            if n:
                count += n
                return _SURROGATE_RE.sub("\ufffd", o)
            return o
        if isinstance(o, dict):
            return {walk(k): walk(v) for k, v in o.items()}
        if isinstance(o, list):
            return [walk(v) for v in o]
        return o

    try:
        out = walk(obj)
    except RecursionError:  # the parser already refuses what nests this deep
        return obj, 0
    return (out, count) if count else (obj, 0)


def surrogate_note(where: str, n: int) -> str:
    return f"{where}: {n} lone surrogate{'s' if n != 1 else ''} replaced by U+FFFD"


def note_read(message: str) -> None:
    """Hand ``message`` to the caller collecting read notes (:func:`collect_read_notes`), if any."""
    notes = _READ_NOTES.get()
    if notes is not None:
        notes.append(message)


class collect_read_notes:
    """``with collect_read_notes() as notes:`` gathers what readers note (surrogates replaced)."""

    def __enter__(self) -> list[str]:
        self.notes: list[str] = []
        self._token = _READ_NOTES.set(self.notes)
        return self.notes

    def __exit__(self, *exc) -> None:
        _READ_NOTES.reset(self._token)


def clean_json(obj, where: str):
    """``obj`` with its lone surrogates replaced; a note for ``where`` when there were any."""
    obj, n = replace_lone_surrogates(obj)
    if n:
        note_read(surrogate_note(where, n))
    return obj


# -- decoding ---------------------------------------------------------------------------------

def _cp1252_or_latin1(err: UnicodeDecodeError):
    # The five bytes cp1252 leaves undefined are kept as their Latin-1 characters.
    bad = err.object[err.start:err.end]
    return "".join(chr(b) for b in bad), err.end


codecs.register_error("quotedesk-latin1", _cp1252_or_latin1)


def binary_kind(data: bytes) -> str | None:
    """What binary thing ``data`` looks like, or None when it may be text."""
    head = data[:8192]
    for magic, what in _BINARY_MAGIC:
        if head.startswith(magic):
            return what
    if not head:
        return None
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return None
    nul = head.count(0)
    if nul and _utf16_without_bom(head):
        return None
    controls = sum(head.count(b) for b in _CONTROL_BYTES)
    if nul > len(head) // 100 or controls > max(8, len(head) // 20):
        return "a binary file"
    return None


_CONTROL_BYTES = bytes([b for b in range(32) if b not in (9, 10, 12, 13, 27)])


def _utf16_without_bom(head: bytes) -> str | None:
    even, odd = head[0::2], head[1::2]
    n = max(1, len(head) // 2)
    if odd.count(0) > 0.4 * n and even.count(0) < 0.05 * n:
        return "utf-16-le"
    if even.count(0) > 0.4 * n and odd.count(0) < 0.05 * n:
        return "utf-16-be"
    return None


def _normal_charset(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().lower()
    name = _CHARSET_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML ``<meta>`` or XML declaration names in the first few KB, if any."""
    head = data[:4096]
    m = _XML_ENCODING_RE.match(head) or _META_CHARSET_RE.search(head)
    return _normal_charset(m.group(1).decode("ascii", "replace")) if m else None


def decode_bytes(data: bytes, declared: str | None = None, source: str | None = None) -> str:
    """``data`` as text: BOM, strict UTF-8, the declared/meta charset, then cp1252.

    Raises ReadError when the data looks like a binary file."""
    what = binary_kind(data)
    if what:
        raise ReadError("is a binary file, not a page" if what == "a binary file"
                        else f"is a binary file ({what}), not a page", source)
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc)
            except UnicodeDecodeError:
                return data[len(bom):].decode(enc, "replace")
    utf16 = _utf16_without_bom(data[:8192]) if data[:8192].count(0) else None
    if utf16:
        return data.decode(utf16, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for enc in (_normal_charset(declared), declared_charset(data)):
        if enc and enc not in ("utf-8", "cp1252"):
            try:
                return data.decode(enc)
            except (UnicodeDecodeError, LookupError):
                pass
    guess = guess_single_byte(data)
    if guess != "cp1252":
        try:
            return data.decode(guess)
        except UnicodeDecodeError:
            pass
    return data.decode("cp1252", "quotedesk-latin1")


_CYRILLIC_RE = re.compile("[\u0400-\u04ff]")
_MIXED_RE = re.compile("[A-Za-z][\u0400-\u04ff]|[\u0400-\u04ff][A-Za-z]")


def _cyrillic_words(text: str) -> tuple[int, int] | None:
    """(Cyrillic letters, lowercase ones) when ``text`` reads as Cyrillic words; else None.  Latin
    text decoded as cp1251 has Cyrillic letters too, but inside Latin words ("prйsident")."""
    cyr = len(_CYRILLIC_RE.findall(text))
    if cyr < 4 or len(_MIXED_RE.findall(text)) > cyr // 10:
        return None
    return cyr, sum(1 for ch in text if "\u0430" <= ch <= "\u045f")


# The bytes cp1250 and cp1252 read differently.
_DIFFER_1250 = bytes(b for b in range(0x80, 0x100)
                     if bytes([b]).decode("cp1250", "replace") != bytes([b]).decode("cp1252", "replace"))
_DIFFER_1250_RE = re.compile(b"[" + re.escape(_DIFFER_1250) + b"]")
_SPANISH_OPENERS = "\u00bf\u00a1"  # ¿ ¡ open a Spanish word in real cp1252
_HU_DOUBLE_ACUTE_AS_1252 = frozenset("\u00f5\u00fb\u00d5\u00db")  # ő ű Ő Ű read as cp1252: õ û Õ Û
_DIAERESIS = frozenset("\u00f6\u00fc\u00d6\u00dc")  # ö ü Ö Ü, the same in both


def _cp1250_reads_better(sample: bytes) -> bool:
    """Letters against symbols: where the two code pages differ, cp1250 wins when it gives letters
    inside words where cp1252 gives symbols (Polish ``powiedzia³``/``ska¿¹``/``£odzi`` are
    ``powiedział``/``skarżą``/``Łodzi``), by more than cp1252 does the other way round.  A letter
    with letters on both sides counts 1, at a word's edge 1/2 (``m³`` alone is not enough; ``¿``
    and ``¡`` opening a word are Spanish).  Hungarian ő/ű (cp1252 õ/û, letters in both) are told by
    ö/ü beside them: no cp1252 language writes both õ/û and ö/ü."""
    a = b = None
    score = 0.0
    for m in _DIFFER_1250_RE.finditer(sample):
        if a is None:
            # one character a byte in both (undefined bytes too), so indices are byte positions
            a = sample.decode("cp1252", "quotedesk-latin1")
            b = sample.decode("cp1250", "replace")
        i = m.start()
        ca, cb = a[i], b[i]
        if ca.isalpha() == cb.isalpha():
            continue
        text, ch = (b, cb) if cb.isalpha() else (a, ca)
        left = i > 0 and text[i - 1].isalpha()
        right = i + 1 < len(text) and text[i + 1].isalpha()
        weight = 1.0 if left and right else 0.5 if left or right else 0.0
        if cb.isalpha():
            if ca in _SPANISH_OPENERS and not left:
                continue
            score += weight
        else:
            score -= weight
    if score >= 1.0:
        return True
    if a is None or score < 0:
        return False
    seen = set(a)
    return bool(seen & _HU_DOUBLE_ACUTE_AS_1252) and bool(seen & _DIAERESIS)


def guess_single_byte(data: bytes) -> str:
    """The code page of text that is not UTF-8 and declares none: cp1251 or koi8-r for Cyrillic,
    cp1250 for Central European text, else cp1252."""
    sample = data[:_GUESS_SAMPLE]
    cyrillic = {}
    for enc in ("cp1251", "koi8_r"):
        found = _cyrillic_words(sample.decode(enc, "replace"))
        if found:
            cyrillic[enc] = found
    if cyrillic:
        # Russian in one of them read as the other comes out mostly capitals.
        return max(cyrillic, key=lambda enc: cyrillic[enc][1] / cyrillic[enc][0])
    if _cp1250_reads_better(sample):
        return "cp1250"
    try:
        from charset_normalizer import from_bytes

        found = {m.encoding: m for m in from_bytes(sample, cp_isolation=["cp1252", "cp1250"])}
    except Exception:  # a detector failure only costs the guess
        found = {}
    best, rival = found.get("cp1250"), found.get("cp1252")
    # cp1250 only when the detector finds it strictly more plausible: on a tie (French à/ù, which
    # cp1250 reads as the letters ŕ/ů) the text stays cp1252
    if best is not None and (rival is None or (best.chaos, -best.coherence) < (rival.chaos, -rival.coherence)):
        as_1252 = sample.decode("cp1252", "quotedesk-latin1")
        try:
            if sample.decode("cp1250") != as_1252:
                return "cp1250"
        except UnicodeDecodeError:
            pass
    return "cp1252"


def looks_like_html(text: str) -> bool:
    head = text[:4096].lstrip()
    if head.startswith("<") and _HTML_SNIFF_RE.search(head[:1024]):
        return True
    return len(_HTML_SNIFF_RE.findall(head)) >= 5


# -- pages ------------------------------------------------------------------------------------

def _stem(path: Path) -> str:
    name = path.name
    if name.endswith(".gz"):
        name = name[:-3]
    return Path(name).stem if "." in name else name


def _page_suffix(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return Path(name).suffix


def _read_page_bytes(path: Path) -> bytes:
    src = str(path)
    if not path.exists():
        raise ReadError("no such file", src)
    if path.is_dir():
        raise ReadError("is a folder, not a page", src)
    try:
        size = path.stat().st_size
        if size > MAX_PAGE_BYTES:
            raise ReadError(f"too large ({size / 2**20:.0f} MB; the limit is {MAX_PAGE_BYTES // 2**20} MB)", src)
        with open(path, "rb") as f:
            data = f.read()
    except PermissionError:
        raise ReadError("permission denied", src) from None
    except OSError as e:
        raise ReadError(f"cannot be read ({e.strerror or e})", src) from None
    if path.name.lower().endswith(".gz") and data[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as g:
                data = g.read(MAX_PAGE_BYTES + 1)
        except (OSError, EOFError) as e:
            raise ReadError(f"corrupt gzip file ({e})", src) from None
        if len(data) > MAX_PAGE_BYTES:
            raise ReadError(f"too large once unpacked (over {MAX_PAGE_BYTES // 2**20} MB)", src)
    return data


def _record_from_bytes(data: bytes, rec_id: str, source: str, kind: str | None) -> InputRecord:
    text = decode_bytes(data, source=source)
    if kind is None:
        kind = "html" if looks_like_html(text) else "text"
    norm, nmap = normalize_newlines(text)
    return InputRecord(id=rec_id, text=norm, kind=kind, source=source, newline_map=nmap, clean=False)


def read_path(path: str | Path) -> InputRecord:
    """One page file as a record (kind from the suffix, sniffed when unknown); raises ReadError."""
    p = Path(path)
    data = _read_page_bytes(p)
    return _record_from_bytes(data, _stem(p), str(p), PAGE_SUFFIXES.get(_page_suffix(p)))


# -- corpora ----------------------------------------------------------------------------------

def _corpus_record(obj, line_no: int, source: str, fallback_id: str) -> InputRecord:
    if not isinstance(obj, dict):
        raise ReadError(f"corrupt JSONL line {line_no}: expected an object with \"id\" and \"text\" or \"html\"",
                        f"{source}:{line_no}")
    obj, n_sur = replace_lone_surrogates(obj)
    rec_id = obj.get("id")
    rec_id = str(rec_id) if rec_id is not None and rec_id != "" else f"{fallback_id}-{line_no}"
    if isinstance(obj.get("text"), str):
        text, kind, clean = obj["text"], "text", True
    elif isinstance(obj.get("html"), str):
        text, kind, clean = obj["html"], "html", False
    else:
        raise ReadError(f"corrupt JSONL line {line_no}: no \"text\" or \"html\" string", f"{source}:{line_no}")
    norm, nmap = normalize_newlines(text)
    warnings = [surrogate_note(f"{source}, line {line_no} (record {rec_id})", n_sur)] if n_sur else []
    return InputRecord(id=rec_id, text=norm, kind=kind, source=f"{source}:{line_no}", newline_map=nmap,
                       clean=clean, warnings=warnings)


def read_corpus(path: str | Path) -> Iterator[InputRecord | ReadError]:
    """Each line of a JSONL corpus as a record, or a ReadError for a line that is not one."""
    p = Path(path)
    src = str(p)
    if not p.exists():
        yield ReadError("no such file", src)
        return
    gz = p.name.lower().endswith(".gz")
    try:
        f = (gzip.open if gz else open)(p, "rb")
    except OSError as e:
        yield ReadError(f"cannot be read ({e.strerror or e})", src)
        return
    with f:
        for line_no, obj in _json_lines(f, src, max_total=None if gz else NO_LIMIT):
            if isinstance(obj, ReadError):
                yield obj
                continue
            try:
                yield _corpus_record(obj, line_no, src, _stem(p))
            except ReadError as e:
                yield e


class LongLine(bytes):
    """The first bytes of a line longer than the limit (what ``bounded_lines`` yields in its place);
    ``size`` is the whole line's length in bytes, which was skipped without being held."""

    size: int = 0


def line_size(line: bytes) -> int:
    """A line's length in the file, also for a LongLine."""
    return line.size if isinstance(line, LongLine) else len(line)


def bounded_lines(f, src: str = "", max_line: int | None = None, max_total: int | None = None) -> Iterator[bytes]:
    """The lines of binary file ``f`` without holding one longer than ``max_line`` (default
    MAX_LINE_BYTES): such a line comes as a LongLine.  Past ``max_total`` bytes (default
    MAX_INFLATED_BYTES: a gzip bomb) a ReadError naming ``src`` is raised."""
    max_line = MAX_LINE_BYTES if max_line is None else max_line
    max_total = MAX_INFLATED_BYTES if max_total is None else max_total
    total = 0
    while True:
        line = f.readline(max_line + 1)
        if not line:
            return
        size = len(line)
        if size > max_line and not line.endswith(b"\n"):
            head = line[:64]
            while line and not line.endswith(b"\n"):  # the rest of the line, chunk by chunk
                line = f.readline(1 << 20)
                size += len(line)
                if total + size > max_total:
                    break
            line = LongLine(head)
            line.size = size
        total += size
        if total > max_total:
            raise ReadError(f"too large once unpacked (over {max_total // 2**30} GB)", src)
        yield line


def too_long(line_no: int, src: str, max_line: int | None = None) -> ReadError:
    max_line = MAX_LINE_BYTES if max_line is None else max_line
    limit = f"{max_line // 2**20} MB" if max_line >= 2**20 else f"{max_line:,} bytes"
    return ReadError(f"line {line_no} is too long (over {limit}; a record holds one page)", f"{src}:{line_no}")


def _lines(f, src: str, max_line: int, max_total: int) -> Iterator[tuple[int, bytes | ReadError]]:
    """Numbered lines of binary file ``f``, none read past ``max_line`` bytes: a longer line is a
    ReadError (and skipped without holding it); past ``max_total`` bytes the rest is one ReadError."""
    line_no = 0
    try:
        for line in bounded_lines(f, src, max_line, max_total):
            line_no += 1
            yield line_no, (too_long(line_no, src, max_line) if isinstance(line, LongLine) else line)
    except ReadError as e:
        yield line_no, ReadError(f"{e.message}: stopped after line {line_no}", src)
    except (OSError, EOFError, zlib.error) as e:
        yield line_no, ReadError(f"cannot be read after line {line_no} ({e})", src)


def _json_lines(f, src: str, max_line: int | None = None,
                max_total: int | None = None) -> Iterator[tuple[int, object]]:
    """``(line number, parsed JSON value or ReadError)`` for each non-blank line of binary ``f``."""
    max_line = MAX_LINE_BYTES if max_line is None else max_line
    max_total = MAX_INFLATED_BYTES if max_total is None else max_total
    for line_no, line in _lines(f, src, max_line, max_total):
        if isinstance(line, ReadError):
            yield line_no, line
            continue
        if line_no == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[3:]
        if not line.strip():
            continue
        yield line_no, parse_json_line(line, line_no, src)


def parse_json_line(line: bytes, line_no: int, src: str):
    """One JSONL line's value, or a ReadError naming ``src:line_no`` (not UTF-8, not JSON, nested
    too deeply for the parser)."""
    where = f"{src}:{line_no}"
    try:
        return json.loads(line.decode("utf-8"))
    except UnicodeDecodeError:
        what = binary_kind(line) if line_no == 1 else None
        return ReadError(f"looks like {what}, not a JSONL file" if what else
                         f"corrupt JSONL line {line_no}: not UTF-8 text (save it as UTF-8)", where)
    except RecursionError:
        return ReadError(f"corrupt JSONL line {line_no}: nested too deeply to read", where)
    except ValueError as e:
        return ReadError(f"corrupt JSONL line {line_no}: {e}", where)


def iter_jsonl_lines(path, max_line: int | None = None) -> Iterator[tuple[int, object]]:
    """``(line number, value)`` for each line of a JSONL file (gzipped when it ends in .gz); the
    first bad line (missing file, too long, not UTF-8, not JSON) raises ReadError naming it."""
    p = Path(path)
    opener = gzip.open if p.name.lower().endswith(".gz") else open
    try:
        f = opener(p, "rb")
    except FileNotFoundError:
        raise ReadError("no such file", str(p)) from None
    except IsADirectoryError:
        raise ReadError("is a folder, not a JSONL file", str(p)) from None
    except OSError as e:
        raise ReadError(f"cannot be read ({e.strerror or e})", str(p)) from None
    with f:
        for line_no, obj in _json_lines(f, str(p), max_line):
            if isinstance(obj, ReadError):
                raise obj
            yield line_no, clean_json(obj, f"{p}, line {line_no}")


# -- everything -------------------------------------------------------------------------------

def _is_corpus(p: Path) -> bool:
    return _page_suffix(p) in CORPUS_SUFFIXES


def _folder_files(folder: Path, links_out: list[Path] | None = None) -> list[Path]:
    """The page and corpus files in ``folder``, recursively, sorted.  A link to a file outside the
    folder is left out (added to ``links_out`` when given): a folder's contents are its own files."""
    wanted = set(PAGE_SUFFIXES) | CORPUS_SUFFIXES
    files = [f for f in folder.rglob("*") if f.is_file() and not f.name.startswith(".")
             and (_page_suffix(f) in wanted)]
    inside = []
    for f in files:
        if _outside(f, folder):
            if links_out is not None:
                links_out.append(f)
        else:
            inside.append(f)
    return sorted(inside)


def outside_link_errors(links: list[Path]) -> list[ReadError]:
    """What a folder's links to files outside it are reported as (skipped; exit status 1)."""
    return [ReadError("a link to a file outside the folder, not read (give that file itself)", str(f))
            for f in sorted(links)]


def _outside(path: Path, folder: Path) -> bool:
    """True for a file in ``folder`` that is a link to (or through) somewhere outside it."""
    try:
        path.resolve().relative_to(folder.resolve())
        return False
    except (ValueError, OSError):
        return True


def read_inputs(paths: list[str], stdin: BinaryIO | None = None) -> Iterator[InputRecord | ReadError]:
    """Every record the given paths hold, in order; a problem becomes a ReadError item and the
    rest goes on.  ``-`` reads ``stdin`` (default: the process's standard input)."""
    for path in paths:
        if path == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            try:
                data = stream.read(MAX_PAGE_BYTES + 1)
            except OSError as e:
                yield ReadError(f"cannot be read ({e})", "<stdin>")
                continue
            if len(data) > MAX_PAGE_BYTES:
                yield ReadError(f"too large (over {MAX_PAGE_BYTES // 2**20} MB)", "<stdin>")
                continue
            try:
                yield _record_from_bytes(data, "stdin", "<stdin>", None)
            except ReadError as e:
                yield e
            continue
        p = Path(path)
        if p.is_dir():
            links_out: list[Path] = []
            files = _folder_files(p, links_out)
            yield from outside_link_errors(links_out)
            if not files and not links_out:
                yield ReadError("folder holds no .txt, .html, .htm or .jsonl file", str(p))
            for f in files:
                yield from _read_one(f)
        else:
            yield from _read_one(p)


def _read_one(p: Path) -> Iterator[InputRecord | ReadError]:
    if _is_corpus(p):
        yield from read_corpus(p)
        return
    try:
        yield read_path(p)
    except ReadError as e:
        yield e
