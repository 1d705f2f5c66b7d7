"""The QuoteDesk annotation file: versioned JSON holding a Document, validated on load, saved atomically.

Layout (version 2)::

    {"format": "quotedesk", "version": 2, "id", "source", "raw_kind", "status",
     "raw": {"text", "sha256"}, "html"?: {"text", "sha256"}, "article": {"text", "sha256"},
     "paragraphs": [...], "meta": {...},
     "entities": [...], "mentions": [...], "cues": [...], "quotes": [...], "provenance": {...}}

``raw`` is text a reader sees: the page text as read, or for an HTML page (``raw_kind`` "html")
the page as text built from the markup, which ``html`` holds; paragraph and meta raw spans index
``raw``.  Version 1 had no ``html``: an HTML page's ``raw`` was the markup itself.  Such a file
loads with that meaning unchanged (``Document.raw_is_markup``) and saves as version 2 the same way
(``raw_kind`` "html" without ``html``).

Loading checks the hashes, every span and every link, and names the first bad thing, so offsets
that drifted (an editor re-saved the text with CRLF, a BOM crept in) are caught instead of shown
on the wrong words.  Nothing is silently dropped: an unknown field is an error too.
"""
from __future__ import annotations

import dataclasses
import json
from functools import lru_cache
from pathlib import Path

from . import appdirs
from .atomic import atomic_write_bytes
from .edits import EditError, _check_object
from .model import DOC_STATUSES, ArticleMeta, Cue, Document, Entity, Mention, Paragraph, Quote, sha256

FORMAT_NAME = "quotedesk"
FORMAT_VERSION = 2
SUFFIX = ".quotedesk.json"
# Lone surrogates can come out of broken HTML; keep them byte-exact rather than fail the save.
_ERRORS = "surrogatepass"

_LISTS = (("entities", "entity", Entity), ("mentions", "mention", Mention), ("cues", "cue", Cue),
          ("quotes", "quote", Quote))
_TOP_KEYS = {"format", "version", "id", "source", "raw_kind", "status", "raw", "html", "article", "paragraphs",
             "meta", "entities", "mentions", "cues", "quotes", "provenance"}


RAW_KINDS = ("text", "html")  # what Document.raw holds: a plain text or an HTML page


class AnnotationFileError(ValueError):
    """A file that is not a valid QuoteDesk annotation file; the message names the first problem."""


# -- writing ---------------------------------------------------------------------------------

def _plain(obj) -> dict:
    """A flat dataclass as a JSON object (faster than dataclasses.asdict, which deep-copies)."""
    out = {}
    for name, *_ in _field_specs(type(obj)):
        value = getattr(obj, name)
        out[name] = list(value) if isinstance(value, list) else value
    return out


def document_to_dict(doc: Document) -> dict:
    meta = _plain(doc.meta)
    meta["raw_spans"] = {k: list(v) for k, v in doc.meta.raw_spans.items()}
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "id": doc.id,
        "source": doc.source,
        "raw_kind": doc.raw_kind,
        "status": doc.status,
        "raw": {"text": doc.raw, "sha256": sha256(doc.raw)},
        **({"html": {"text": doc.html, "sha256": sha256(doc.html)}} if doc.html is not None else {}),
        "article": {"text": doc.article, "sha256": sha256(doc.article)},
        "paragraphs": [_plain(p) for p in doc.paragraphs],
        "meta": meta,
        "entities": [_plain(o) for o in doc.entities.values()],
        "mentions": [_plain(o) for o in doc.mentions.values()],
        "cues": [_plain(o) for o in doc.cues.values()],
        "quotes": [_plain(o) for o in doc.quotes.values()],
        "provenance": doc.provenance,
    }


def dumps(doc: Document) -> str:
    return json.dumps(document_to_dict(doc), ensure_ascii=False, indent=1)


def save_document(doc: Document, path) -> Path:
    """Write ``doc`` to ``path`` atomically: a temporary file in the same folder, fsync, rename."""
    return atomic_write_bytes(path, dumps(doc).encode("utf-8", _ERRORS))


def autosave_path(path, doc_id: str = "untitled") -> Path:
    """The autosave sidecar: ``<name>.autosave.json`` beside ``path``, or in the user's data folder
    (named after ``doc_id``) for a document never saved."""
    if path:
        path = Path(path)
        name = path.name[:-5] if path.name.endswith(".json") else path.name
        return path.with_name(name + ".autosave.json")
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in doc_id) or "untitled"
    return user_data_dir() / "autosave" / (safe + ".autosave.json")


def user_data_dir() -> Path:
    return appdirs.data_dir()


# -- reading ---------------------------------------------------------------------------------

def load_document(path) -> Document:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise AnnotationFileError(f"{path}: cannot read: {e.strerror or e}") from e
    try:
        text = data.decode("utf-8", _ERRORS)
    except UnicodeDecodeError as e:
        raise AnnotationFileError(f"{path}: not UTF-8 text (byte {e.start})") from e
    return loads(text, source=str(path))


def loads(text: str, source=None) -> Document:
    where = source or "<annotation>"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        hint = " (the file looks truncated)" if not text.rstrip().endswith("}") else ""
        raise AnnotationFileError(f"{where}: not valid JSON at line {e.lineno} column {e.colno}: {e.msg}{hint}") from e
    except RecursionError:
        raise AnnotationFileError(f"{where}: JSON nested too deeply to be an annotation file") from None
    try:
        return document_from_dict(data)
    except AnnotationFileError as e:
        raise AnnotationFileError(f"{where}: {e}") from None


def _fail(msg: str):
    raise AnnotationFileError(msg)


def _typed(value, types, what: str):
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in _as_tuple(types)):
        names = "/".join(t.__name__ if t is not type(None) else "null" for t in _as_tuple(types))
        _fail(f"{what} must be {names}, got {json.dumps(value, ensure_ascii=False)[:60]}")
    return value


def _as_tuple(types):
    return types if isinstance(types, tuple) else (types,)


_BASE_TYPES = {"int": int, "float": (int, float), "str": str, "bool": bool}


@lru_cache(maxsize=None)
def _field_specs(cls) -> tuple:
    """(name, required, optional, base type name) per field of ``cls``, read once from its annotations."""
    out = []
    for f in dataclasses.fields(cls):
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        ann = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
        out.append((f.name, required, "None" in ann, ann.split("|")[0].strip()))
    return tuple(out)


@lru_cache(maxsize=None)
def _field_names(cls) -> frozenset:
    return frozenset(spec[0] for spec in _field_specs(cls))


def _build(cls, raw, what: str):
    """An instance of dataclass ``cls`` from a JSON object, checking keys and basic types."""
    if not isinstance(raw, dict):
        _fail(f"{what} must be an object")
    specs = _field_specs(cls)
    names = _field_names(cls)
    unknown = next((k for k in raw if k not in names), None)
    if unknown is not None:
        _fail(f"{what}: unknown field {unknown!r}")
    kwargs = {}
    for name, required, optional, base in specs:
        if name not in raw:
            if required:
                _fail(f"{what}: missing field {name!r}")
            continue
        value = raw[name]
        if value is None and optional:
            kwargs[name] = None
            continue
        expected = _BASE_TYPES.get(base)
        if expected is not None:
            _typed(value, expected, f"{what}: {name}")
            if base == "float":
                value = float(value)
        elif base == "list[str]":
            if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
                _fail(f"{what}: {name} must be a list of strings")
            value = list(value)
        kwargs[name] = value
    return cls(**kwargs)


def _text_block(data: dict, key: str) -> str:
    block = data.get(key)
    if not isinstance(block, dict) or not isinstance(block.get("text"), str):
        _fail(f"{key}: must be an object with a text")
    text = block["text"]
    digest = block.get("sha256")
    if digest is not None and digest != sha256(text):
        _fail(f"{key}: sha256 does not match its text (the text was changed outside QuoteDesk; "
              "offsets would point at the wrong words)")
    return text


def _html_block(data: dict, version: int, raw_kind: str) -> str | None:
    """The HTML source of a version 2 HTML page (``raw`` is its page text), or None."""
    if "html" not in data:
        return None
    if version < 2:
        _fail("unknown top-level field 'html' (version 1 files have none)")
    if raw_kind != "html":
        _fail(f"html: only an HTML page has one (raw_kind is {raw_kind!r})")
    return _text_block(data, "html")


def document_from_dict(data: dict) -> Document:
    """A Document from a decoded annotation file; AnnotationFileError names the first problem."""
    if not isinstance(data, dict):
        _fail("not a QuoteDesk annotation file (top level is not an object)")
    if data.get("format") != FORMAT_NAME:
        _fail(f"not a QuoteDesk annotation file (format is {data.get('format')!r}, expected {FORMAT_NAME!r})")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        _fail(f"bad format version {version!r}")
    if version > FORMAT_VERSION:
        _fail(f"written by a newer QuoteDesk (format version {version}; this one reads up to {FORMAT_VERSION})")
    for key in data:
        if key not in _TOP_KEYS:
            _fail(f"unknown top-level field {key!r}")
    doc_id = _typed(data.get("id"), str, "id")
    source = _typed(data.get("source"), (str, type(None)), "source")
    raw_kind = _typed(data.get("raw_kind", "text"), str, "raw_kind")
    status = _typed(data.get("status", "new"), str, "status")
    _check_header(doc_id, raw_kind, status)
    raw = _text_block(data, "raw")
    html = _html_block(data, version, raw_kind)
    article = _text_block(data, "article")

    paragraphs = []
    for i, p in enumerate(_typed(data.get("paragraphs", []), list, "paragraphs")):
        par = _build(Paragraph, p, f"paragraph {i + 1}")
        if not 0 <= par.start <= par.end <= len(article):
            _fail(f"paragraph {i + 1}: span {par.start}-{par.end} is not inside the article (length {len(article)})")
        if not 0 <= par.raw_start <= par.raw_end <= len(raw):
            _fail(f"paragraph {i + 1}: raw span {par.raw_start}-{par.raw_end} is not inside the raw page "
                  f"(length {len(raw)})")
        _check_paragraph_order(paragraphs[-1] if paragraphs else None, par, i + 1)
        paragraphs.append(par)

    meta_raw = _typed(data.get("meta", {}), dict, "meta")
    meta = _build(ArticleMeta, {k: v for k, v in meta_raw.items() if k != "raw_spans"}, "meta")
    for name, span in _typed(meta_raw.get("raw_spans", {}), dict, "meta raw_spans").items():
        if (not isinstance(span, list) or len(span) != 2 or not all(isinstance(x, int) and not isinstance(x, bool)
                                                                    for x in span)):
            _fail(f"meta {name}: raw span must be [start, end]")
        if not 0 <= span[0] <= span[1] <= len(raw):
            _fail(f"meta {name}: raw span {span[0]}-{span[1]} is not inside the raw page (length {len(raw)})")
        meta.raw_spans[name] = (span[0], span[1])

    provenance = _typed(data.get("provenance", {}), dict, "provenance")
    doc = Document(id=doc_id, raw=raw, article=article, paragraphs=paragraphs, meta=meta, source=source,
                   raw_kind=raw_kind, status=status, provenance=provenance, html=html)
    # Entities first, then what links to them, so each link can be checked as it is read.
    for key, kind, cls in _LISTS:
        pool = getattr(doc, key)
        for i, raw_obj in enumerate(_typed(data.get(key, []), list, key)):
            label = f"{kind} {raw_obj.get('id', '#' + str(i + 1))}" if isinstance(raw_obj, dict) else f"{kind} #{i + 1}"
            obj = _build(cls, raw_obj, label)
            if obj.id in pool:
                _fail(f"{kind} {obj.id}: duplicate id")
            try:
                _check_object(doc, kind, obj)
            except EditError as e:
                _fail(str(e))
            _check_values(kind, obj)
            pool[obj.id] = obj
    return doc


def validate_document(doc: Document) -> None:
    """Raise AnnotationFileError if ``doc`` holds anything loading would refuse (a bad id, status or
    raw kind, a paragraph out of place, a bad span or value, a dangling link, a key that is not its
    object's id), without serialising it: a reader that builds a Document checks it here, so it
    never writes a file QuoteDesk then refuses."""
    for name, value, types in (("id", doc.id, str), ("raw_kind", doc.raw_kind, str), ("status", doc.status, str),
                               ("source", doc.source, (str, type(None)))):
        _typed(value, types, name)
    _check_header(doc.id, doc.raw_kind, doc.status)
    prev = None
    for i, par in enumerate(doc.paragraphs, 1):
        for name in ("start", "end", "raw_start", "raw_end"):
            _typed(getattr(par, name), int, f"paragraph {i}: {name}")
        if not 0 <= par.start <= par.end <= len(doc.article):
            _fail(f"paragraph {i}: span {par.start}-{par.end} is not inside the article (length {len(doc.article)})")
        if not 0 <= par.raw_start <= par.raw_end <= len(doc.raw):
            _fail(f"paragraph {i}: raw span {par.raw_start}-{par.raw_end} is not inside the raw page "
                  f"(length {len(doc.raw)})")
        _check_paragraph_order(prev, par, i)
        prev = par
    for name in ("headline", "date", "dateline", "byline", "agency"):
        _typed(getattr(doc.meta, name), (str, type(None)), f"meta: {name}")
    for key, kind, cls in _LISTS:
        for oid, obj in getattr(doc, key).items():
            if obj.id != oid:
                _fail(f"{kind} {oid}: stored under a different id ({obj.id!r})")
            _check_types(cls, obj, f"{kind} {oid}")
            try:
                _check_object(doc, kind, obj)
            except EditError as e:
                _fail(str(e))
            _check_values(kind, obj)


def _check_header(doc_id: str, raw_kind: str, status: str) -> None:
    if not doc_id:
        _fail("id: a document needs a non-empty id")
    if raw_kind not in RAW_KINDS:
        _fail(f"raw_kind {raw_kind!r} is not one of {', '.join(RAW_KINDS)}")
    if status not in DOC_STATUSES:
        _fail(f"status {status!r} is not one of {', '.join(DOC_STATUSES)}")


def _check_paragraph_order(prev: Paragraph | None, par: Paragraph, number: int) -> None:
    """Paragraphs follow one another without overlapping, in the article (a span is in one paragraph)."""
    if prev is None:
        return
    if par.start < prev.start:
        _fail(f"paragraph {number}: paragraphs are out of order")
    if par.start < prev.end:
        _fail(f"paragraph {number}: span {par.start}-{par.end} overlaps paragraph {number - 1} "
              f"({prev.start}-{prev.end})")


def _check_values(kind: str, obj) -> None:
    """What the field types alone do not say: a confidence is a probability."""
    if kind == "quote":
        c = obj.confidence
        if not (0.0 <= c <= 1.0):  # also refuses NaN
            _fail(f"quote {obj.id}: confidence {c!r} is not between 0 and 1")


def _check_types(cls, obj, what: str) -> None:
    """The field types ``_build`` checks when loading, for an object built in memory."""
    for name, _required, optional, base in _field_specs(cls):
        value = getattr(obj, name)
        if value is None and optional:
            continue
        expected = _BASE_TYPES.get(base)
        if expected is not None:
            _typed(value, expected, f"{what}: {name}")
        elif base == "list[str]" and (not isinstance(value, list) or not all(isinstance(x, str) for x in value)):
            _fail(f"{what}: {name} must be a list of strings")
