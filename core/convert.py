"""Converting annotated documents between QuoteDesk's files and the exchange formats (JSONL, brat,
Label Studio, CSV), with the input format recognised from the path when not given.

- JSONL input may also be ``quotedesk analyze`` output: a record with ``"offsets": "article"``
  (HTML inputs) is read against its ``article.body``; one with ``"offsets": "input"`` (text and
  JSONL-text inputs) indexes the input exactly as analyze read it, so that input is read again
  from the record's ``source`` (as given, else beside the analyze file); without it the record
  is refused, since the body alone would put every span in the wrong place.
- A Label Studio folder (what ``--to labelstudio`` writes) is read through its ``tasks.json``.
- Any failure while reading is a ConvertError naming the input; while writing, an OSError
  naming the output.  A lone surrogate in a text (valid JSON can hold ``"\ud800"``) is written
  as its escape in JSON formats and as U+FFFD in brat and CSV (one code point for one, so every
  offset stays right), with a note in the report.
"""
from __future__ import annotations

import copy
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .safe_paths import file_stem

FORMATS = ("jsonl", "brat", "labelstudio", "csv", "quotedesk", "inception")
# What --to labelstudio writes into a folder, and so what a folder given --from labelstudio holds.
LABELSTUDIO_TASKS = "tasks.json"
# Targets that hold the text as plain UTF-8, where a lone surrogate has no escape.
PLAIN_TEXT_FORMATS = {"brat", "csv", "inception"}
_SURROGATE = re.compile("[\ud800-\udfff]")
# What each target cannot hold, said once in the report rather than discovered later.
LOSSES = {
    "jsonl": "raw page and paragraph structure (the text becomes the article)",
    "brat": "raw page, entities without mentions (ids and status ride in quotedesk-documents.json)",
    "labelstudio": "raw page (entity ids survive only in QuoteDesk's region notes)",
    "csv": "raw page, mentions and cues not linked to a quote, mention kinds",
    "quotedesk": "",
    "inception": "raw page, entities without mentions, review status (one brat basic ZIP a document)",
}


class ConvertError(ValueError):
    pass


@dataclass
class ConvertReport:
    from_fmt: str
    to_fmt: str
    input: str
    output: str
    documents: int = 0
    quotes: int = 0
    mentions: int = 0
    cues: int = 0
    entities: int = 0
    written: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, docs, from_fmt: str, to_fmt: str, input: str, output: str) -> "ConvertReport":
        """A report counting what ``docs`` hold, before anything is written."""
        return cls(from_fmt, to_fmt, input, output, documents=len(docs),
                   quotes=sum(len(d.quotes) for d in docs), mentions=sum(len(d.mentions) for d in docs),
                   cues=sum(len(d.cues) for d in docs), entities=sum(len(d.entities) for d in docs))

    def __str__(self) -> str:
        lines = [f"converted {self.documents} documents from {self.from_fmt} ({self.input}) to {self.to_fmt} "
                 f"({self.output}): {self.quotes} quotes, {self.mentions} speaker mentions, {self.cues} cues, "
                 f"{self.entities} entities"]
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)


def detect_format(path) -> str:
    """The format of ``path`` from its extension or, for a folder, from the files in it."""
    path = Path(path)
    if path.is_dir():
        if any(path.glob("*.ann")):
            return "brat"
        if any(path.glob("*.quotedesk.json")):
            return "quotedesk"
        if (path / LABELSTUDIO_TASKS).is_file():
            return "labelstudio"
        if any(path.glob("*.zip")):
            return "inception"
        raise ConvertError(f"{path}: a folder with neither .ann (brat), .quotedesk.json nor "
                           f"{LABELSTUDIO_TASKS} (Label Studio) files")
    if not path.exists():
        raise ConvertError(f"{path}: no such file or folder")
    name = path.name.lower()
    if name.endswith(".quotedesk.json"):
        return "quotedesk"
    if name.endswith(".jsonl"):
        return "jsonl"
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".ann"):
        return "brat"
    if name.endswith(".zip"):
        return "inception"
    if name.endswith(".json"):
        try:
            with open(path, encoding="utf-8") as f:
                head = json.load(f)
        except (OSError, ValueError) as e:  # ValueError: not JSON, or not UTF-8 at all
            raise ConvertError(f"{path}: cannot tell its format: {_unreadable(path, e)}") from None
        if isinstance(head, dict) and head.get("format") == "quotedesk":
            return "quotedesk"
        if isinstance(head, list) or (isinstance(head, dict) and "data" in head):
            return "labelstudio"
    raise ConvertError(f"{path}: cannot tell its format; give --from")


def read_documents(path, fmt: str):
    """Every document at ``path`` in format ``fmt``; a file that is not UTF-8 text or not JSON raises
    ConvertError naming it, rather than a bare codec or parser message."""
    try:
        return _read_documents(Path(path), fmt)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ConvertError(f"{path}: {_unreadable(path, e)}") from None
    except ConvertError:
        raise
    except RecursionError:
        raise ConvertError(f"{path}: nested too deeply to read (a JSON value inside thousands of others)") from None
    except OSError as e:
        where = e.filename or path
        raise ConvertError(f"{where}: cannot be read: {(e.strerror or str(e)).lower()}") from None
    except MemoryError:
        raise ConvertError(f"{path}: too large to read into memory") from None
    except Exception as e:  # a loader's own message (it names the line or field), else what broke
        msg = str(e) if isinstance(e, ValueError) and type(e).__module__ != "builtins" else \
            f"cannot be read as {fmt}: {type(e).__name__}: {e}"
        raise ConvertError(msg if str(path) in msg else f"{path}: {msg}") from None


def _unreadable(path, e: Exception) -> str:
    if isinstance(e, UnicodeDecodeError):
        from .readers import binary_kind

        kind = None
        if Path(path).is_file():
            with open(path, "rb") as f:
                kind = binary_kind(f.read(8192))
        if kind:
            return f"not text: it looks like {kind}"
        where = "a file in it is" if Path(path).is_dir() else "it is"
        # No byte offset: text streams decode in chunks, so e.start is not a position in the file.
        return f"{where} not UTF-8 text; save it as UTF-8"
    if isinstance(e, json.JSONDecodeError):
        return f"not valid JSON at line {e.lineno} column {e.colno}: {e.msg}"
    return str(e)


def _read_documents(path: Path, fmt: str):
    from .annotation_file import load_document

    if fmt == "jsonl":
        return list(_read_jsonl(path))
    if fmt == "brat":
        from .formats.brat import ann_to_document, read_brat
        if path.is_file():  # a single .ann
            txt = path.with_suffix(".txt")
            if not txt.is_file():
                raise ConvertError(f"{path}: its text {txt.name} is not beside it (brat keeps the text there)")
            with open(txt, encoding="utf-8", newline="") as f_txt, open(path, encoding="utf-8", newline="") as f_ann:
                return [ann_to_document(path.stem, f_txt.read(), f_ann.read(), str(path))]
        return list(read_brat(path))
    if fmt == "labelstudio":
        from .formats.labelstudio import read_labelstudio
        return list(read_labelstudio(_labelstudio_file(path)))
    if fmt == "csv":
        from .formats.csv_quotes import read_csv
        return list(read_csv(path))
    if fmt == "inception":
        from .formats.inception import read_inception
        return list(read_inception(path))
    if fmt == "quotedesk":
        if path.is_dir():
            return [load_document(p) for p in sorted(path.glob("*.quotedesk.json"))]
        return [load_document(path)]
    raise ConvertError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")


def _labelstudio_file(path: Path) -> Path:
    """The tasks file of a Label Studio export: ``path`` itself, or the tasks.json (else the only
    .json file) in the folder ``--to labelstudio`` wrote."""
    if not path.is_dir():
        return path
    if (path / LABELSTUDIO_TASKS).is_file():
        return path / LABELSTUDIO_TASKS
    found = sorted(path.glob("*.json"))
    if len(found) == 1:
        return found[0]
    raise ConvertError(f"{path}: a folder without {LABELSTUDIO_TASKS}"
                       + (f" and with {len(found)} .json files: name one" if found else ""))


def is_analysis_record(rec) -> bool:
    """``quotedesk analyze`` output: ``offsets`` and ``article.body`` instead of ``text``."""
    return (isinstance(rec, dict) and "text" not in rec and rec.get("offsets") in ("input", "article", "page")
            and isinstance(rec.get("article"), dict) and isinstance(rec["article"].get("body"), str))


def _analysis_input_text(source, beside: Path) -> str:
    """The input an analyze record's offsets index, read as analyze read it (decoded, newlines
    as they were); raises ConvertError saying why it cannot be had."""
    from .readers import CORPUS_SUFFIXES, ReadError, _page_suffix, _read_page_bytes, decode_bytes, iter_jsonl_lines

    if not isinstance(source, str) or not source or source == "<stdin>":
        raise ConvertError("its input was standard input, which is gone")
    file, line = source, None
    m = re.fullmatch(r"(.*):(\d+)", source)
    if m and _page_suffix(Path(m.group(1))) in CORPUS_SUFFIXES:
        file, line = m.group(1), int(m.group(2))
    candidates = [Path(file)]
    if not Path(file).is_absolute():
        candidates.append(beside / file)
    where = next((c for c in candidates if c.is_file()), None)
    if where is None:
        raise ConvertError(f"its input {file} is not here")
    try:
        if line is None:
            return decode_bytes(_read_page_bytes(where), source=str(where))
        for n, obj in iter_jsonl_lines(where):
            if n == line:
                if isinstance(obj, dict) and isinstance(obj.get("text"), str):
                    return obj["text"]
                break
    except ReadError as e:
        raise ConvertError(f"its input cannot be read: {e}") from None
    raise ConvertError(f"its input {file} has no text record at line {line}")


def analysis_to_record(rec: dict, beside: Path) -> dict:
    """An analyze record as a QuoteDesk JSONL record (machine suggestions against their text)."""
    art = rec["article"]
    if rec["offsets"] == "article":
        text = art["body"]
    elif rec["offsets"] == "page":  # an HTML page: the offsets index its page text, which the record carries
        if not isinstance(rec.get("page"), str):
            raise ConvertError("its offsets index the page text, and the record has no \"page\" string")
        text = rec["page"]
    else:
        try:
            text = _analysis_input_text(rec.get("source"), beside)
        except ConvertError as e:
            raise ConvertError(f"its offsets index the input, not article.body, and {e}; convert it where "
                               "that input is, or analyze with --format json") from None
    out = {"id": rec.get("id"), "text": text, "quotes": rec.get("quotes") or [], "status": "machine",
           "article": {k: v for k, v in art.items() if k != "body"}}
    if rec.get("source"):
        out["source"] = rec["source"]
    return out


def _read_jsonl(path: Path):
    """QuoteDesk JSONL records, gold records and analyze output, one document a line."""
    from .formats.jsonl import RecordError, record_to_document
    from .model import ORIGIN_HUMAN, ORIGIN_MACHINE
    from .readers import ReadError, iter_jsonl_lines

    try:
        for n, rec in iter_jsonl_lines(path):
            try:
                if is_analysis_record(rec):
                    yield record_to_document(analysis_to_record(rec, path.parent), ORIGIN_MACHINE)
                else:
                    yield record_to_document(rec, ORIGIN_HUMAN)
            except (ConvertError, RecordError) as e:
                raise ConvertError(f"{path}, line {n}: {e}") from None
            except (TypeError, KeyError, AttributeError, ValueError) as e:
                raise ConvertError(f"{path}, line {n}: not a record QuoteDesk can read "
                                   f"({type(e).__name__}: {e})") from None
    except ReadError as e:
        raise ConvertError(str(e)) from None


def _plain_text_safe(docs, report: "ConvertReport") -> list:
    """Documents whose texts UTF-8 can hold: each lone surrogate becomes U+FFFD (a copy of the
    document; one code point for one, so no offset moves), noted in the report."""
    out = []
    for d in docs:
        n = len(_SURROGATE.findall(d.article))
        if n or _SURROGATE.search(d.raw or ""):
            d = copy.copy(d)
            d.article = _SURROGATE.sub("\ufffd", d.article)
            d.raw = _SURROGATE.sub("\ufffd", d.raw or "")
            report.notes.append(f"{d.id}: {n} lone surrogate(s), which UTF-8 cannot hold, written as U+FFFD")
        out.append(d)
    return out


# Targets that are one file and can go to standard output (``-o -``); the others write folders or
# several files.  CSV to stdout is the table alone (its texts file, needed to read it back, is not written).
STDOUT_FORMATS = ("jsonl", "labelstudio", "csv")


def document_text(docs, fmt: str, predictions: bool = False) -> str:
    """What ``-o -`` prints for a single-file format (:data:`STDOUT_FORMATS`)."""
    from .atomic import json_dumps

    if fmt == "jsonl":
        from .formats.jsonl import document_to_record
        return "".join(json_dumps(document_to_record(d)) + "\n" for d in docs)
    if fmt == "labelstudio":
        from .formats.labelstudio import document_to_task
        return json_dumps([document_to_task(d, predictions, None) for d in docs], indent=1) + "\n"
    if fmt == "csv":
        from .formats.csv_quotes import csv_texts
        return csv_texts(docs)[0].lstrip("\ufeff")
    raise ConvertError(f"{fmt} writes a folder or several files, not one stream: give -o a path "
                       f"(- means standard output for {', '.join(STDOUT_FORMATS)})")


def write_documents(docs, path, fmt: str, predictions: bool = False) -> list[str]:
    if str(path) == "-":
        text = document_text(docs, fmt, predictions)
        sys.stdout.write(text)
        sys.stdout.flush()
        return ["<stdout>"]
    path = Path(path)
    if fmt == "jsonl":
        from .formats.jsonl import write_jsonl
        write_jsonl(docs, path)
        return [str(path)]
    if fmt == "brat":
        from .formats.brat import write_brat
        return [str(p) for p in write_brat(docs, path)]
    if fmt == "inception":
        from .formats.inception import write_inception
        return [str(p) for p in write_inception(docs, path)]
    if fmt == "labelstudio":
        from .formats.labelstudio import write_labelstudio
        if path.is_dir() or not path.suffix:
            path = path / "tasks.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_labelstudio(docs, path, predictions=predictions)
        return [str(path)]
    if fmt == "csv":
        from .formats.csv_quotes import texts_path, write_csv
        path.parent.mkdir(parents=True, exist_ok=True)
        write_csv(docs, path)
        return [str(path), str(texts_path(path))]
    if fmt == "quotedesk":
        from .annotation_file import SUFFIX, save_document
        out, used = [], set()
        for d in docs:
            stem = file_stem(d.id)  # inside the folder whatever the id (../../x, /etc/x)
            while stem.casefold() in used:
                stem += "_"
            used.add(stem.casefold())
            out.append(str(save_document(d, path / (stem + SUFFIX))))
        return out
    raise ConvertError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")


def convert(in_path, out_path, from_fmt: str | None = None, to_fmt: str = "jsonl",
            predictions: bool = False) -> ConvertReport:
    """Read every document at ``in_path`` and write them to ``out_path`` in ``to_fmt``.

    ``predictions`` writes Label Studio ``predictions`` (a model's suggestions) instead of
    ``annotations``."""
    if to_fmt not in FORMATS:
        raise ConvertError(f"unknown format {to_fmt!r} (expected one of {', '.join(FORMATS)})")
    if str(out_path) == "-" and to_fmt not in STDOUT_FORMATS:
        raise ConvertError(f"-o -: {to_fmt} writes a folder or several files, not one stream; give -o a path "
                           f"(- means standard output for {', '.join(STDOUT_FORMATS)})")
    from_fmt = from_fmt or detect_format(in_path)
    from .readers import collect_read_notes
    with collect_read_notes() as read_notes:  # lone surrogates replaced as the input was read
        docs = read_documents(in_path, from_fmt)
    report = ConvertReport.of(docs, from_fmt, to_fmt, str(in_path), str(out_path))
    report.notes.extend(read_notes)
    if to_fmt in PLAIN_TEXT_FORMATS:
        docs = _plain_text_safe(docs, report)
    try:
        report.written = write_documents(docs, out_path, to_fmt, predictions)
    except OSError as e:
        from .errors import OutputError

        raise OutputError.from_os_error(e, e.filename or out_path) from None
    if str(out_path) == "-" and to_fmt == "labelstudio":
        report.notes.append("standard output holds the tasks only; the labelling config is written with -o a path")
    if str(out_path) == "-" and to_fmt == "csv":
        report.notes.append("standard output holds the table only; its texts file (needed to read it back) "
                            "is written with -o a path")
    if LOSSES.get(to_fmt) and to_fmt != from_fmt:
        report.notes.append(f"{to_fmt} does not keep: {LOSSES[to_fmt]}")
    return report
