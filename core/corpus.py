"""An annotators' corpus: the pages of a folder or JSONL file, their annotation files and review status.

On-disk layout (nothing is ever written into the pages themselves)::

    <folder>/.quotedesk/            for a folder of .txt / .html / .htm pages
    <file>.jsonl.quotedesk/         for a JSONL corpus ({"id","text"} or {"id","html"} records,
                                    optionally with gold "quotes" in the shared scorer format)
        project.json                version, corpus source, per-document status and counts,
                                    the last opened document, timestamps
        <doc-id>.quotedesk.json     one annotation file per document that has been saved
                                    (core.annotation_file format); ids that are not safe file
                                    names get a sanitised name plus a short hash

A document's status is one of ``new`` (never analysed), ``machine`` (only the machine's
suggestions), ``review`` (a person has touched it) and ``done``.  Saving never lowers a status a
person has reached: a document with any human-origin span, or in review/done, stays there until
someone explicitly calls :meth:`Corpus.set_status`.
"""
from __future__ import annotations

import dataclasses
import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .annotation_file import load_document, save_document
from .atomic import atomic_write_text
from .model import DOC_STATUSES, ORIGIN_HUMAN, ORIGIN_MACHINE, Document
from .safe_paths import file_stem
from .readers import PAGE_SUFFIXES, read_path, replace_lone_surrogates
from .stats import SpeakerRow, document_summary, merge_summaries
from .textmap import normalize_newlines

PROJECT_VERSION = 1
STORE_SUFFIX = ".quotedesk"
ANNOTATION_SUFFIX = ".quotedesk.json"
STATUS_RANK = {s: i for i, s in enumerate(DOC_STATUSES)}  # new < machine < review < done
HUMAN_STATUSES = ("review", "done")


class CorpusError(ValueError):
    """A corpus that cannot be opened or a document id it does not hold."""


@dataclass
class PageRef:
    """Where one document's page lives: a file of the folder, or a line of the JSONL file."""
    id: str
    kind: str  # text | html | record
    path: Path
    offset: int = 0  # JSONL only: byte offset and length of the record's line
    length: int = 0
    # JSONL only: the summary of the annotations the record already holds (gold or exported
    # quotes), so the list shows them before the document is ever opened; None for a bare text.
    entry: DocEntry | None = None


@dataclass
class DocEntry:
    """The per-document summary kept in project.json, so the list shows without loading documents."""
    status: str = "new"
    quotes: int = 0
    reviewed: int = 0
    human: bool = False  # any human-origin span: never overwritten by the machine
    updated: float | None = None
    # core.stats.document_summary of the saved annotation: corpus statistics without loading it.
    speakers: list | None = None

    def to_dict(self) -> dict:
        return {"status": self.status, "quotes": self.quotes, "reviewed": self.reviewed,
                "human": self.human, "updated": self.updated, "speakers": self.speakers}

    @classmethod
    def from_dict(cls, d: dict) -> "DocEntry":
        status = d.get("status", "new")
        return cls(status=status if status in STATUS_RANK else "new", quotes=int(d.get("quotes", 0)),
                   reviewed=int(d.get("reviewed", 0)), human=bool(d.get("human", False)),
                   updated=d.get("updated"), speakers=d.get("speakers"))


def has_human_work(doc: Document) -> bool:
    """True when a person has made, accepted or reviewed anything in ``doc``."""
    if doc.status in HUMAN_STATUSES:
        return True
    for pool in (doc.quotes, doc.mentions, doc.cues):
        if any(getattr(x, "origin", None) == ORIGIN_HUMAN for x in pool.values()):
            return True
    return any(q.reviewed for q in doc.quotes.values())


def annotation_has_human_work(path: Path) -> bool:
    """Whether an annotation file on disk holds any person's work, judged from its JSON alone
    (no validation, so it is cheap and independent of the exact schema)."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError, RecursionError):
        # An unreadable file may be someone's work we cannot see: treat it as human, never overwrite.
        return True

    def walk(x) -> bool:
        if isinstance(x, dict):
            if x.get("origin") == ORIGIN_HUMAN or x.get("reviewed") is True:
                return True
            if x.get("status") in HUMAN_STATUSES:
                return True
            return any(walk(v) for v in x.values())
        if isinstance(x, list):
            return any(walk(v) for v in x)
        return False

    return walk(data)


def summarize(doc: Document) -> DocEntry:
    status = doc.status if doc.status in STATUS_RANK else "new"
    human = has_human_work(doc)
    if human and STATUS_RANK[status] < STATUS_RANK["review"]:
        status = "review"
    elif status == "new" and (doc.quotes or doc.mentions or doc.cues):
        status = "machine"
    return DocEntry(status=status, quotes=len(doc.quotes),
                    reviewed=sum(1 for q in doc.quotes.values() if q.reviewed),
                    human=human, updated=time.time(), speakers=document_summary(doc))


def annotation_file_name(doc_id: str) -> str:
    """A file name for ``doc_id``: core.safe_paths.file_stem (the id itself when safe, else a
    sanitised id plus a short hash so that two different ids never share a file) and the suffix."""
    return file_stem(doc_id) + ANNOTATION_SUFFIX


def default_store(source: Path) -> Path:
    source = Path(source)
    return source / ".quotedesk" if source.is_dir() else source.with_name(source.name + STORE_SUFFIX)


def _outside(path: Path, folder: Path) -> bool:
    """True when ``path`` (a symlink, or inside a symlinked folder) really lives outside ``folder``."""
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return True
    except OSError:  # a symlink loop
        return True
    return False


def _scan_folder(folder: Path, skipped: list[str] | None = None) -> list[PageRef]:
    """Page files under ``folder`` (recursively, skipping hidden folders such as .quotedesk);
    the id is the path relative to the folder without its suffix, or with it when two pages
    would otherwise share an id.  A page that is a symlink to a file outside the folder is left
    out (it would be read and copied into the store) and reported in ``skipped``."""
    files = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            p = Path(root, name)
            if not name.startswith(".") and p.suffix.lower() in PAGE_SUFFIXES:
                if p.is_symlink() and _outside(p, folder):
                    if skipped is not None:
                        skipped.append(f"{p}: a link to a file outside the corpus folder; left out")
                    continue
                files.append(p)
    stems: dict[str, int] = {}
    for p in files:
        stem = p.relative_to(folder).with_suffix("").as_posix()
        stems[stem] = stems.get(stem, 0) + 1
    refs = []
    for p in files:
        rel = p.relative_to(folder)
        stem = rel.with_suffix("").as_posix()
        doc_id = stem if stems[stem] == 1 else rel.as_posix()
        refs.append(PageRef(doc_id, PAGE_SUFFIXES[p.suffix.lower()], p))
    return refs


def _read_project(pj: Path) -> dict:
    """project.json as a dict; CorpusError naming the file when it is damaged or not one QuoteDesk
    wrote (callers report CorpusError to the user; any other exception would be a crash)."""
    try:
        project = json.loads(pj.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise CorpusError(f"{pj}: not a text file (not UTF-8); it is not a QuoteDesk project file") from None
    except ValueError as e:
        raise CorpusError(f"{pj}: not valid JSON ({e})") from None
    except RecursionError:
        raise CorpusError(f"{pj}: JSON nested too deeply; it is not a QuoteDesk project file") from None
    docs = project.get("documents", {}) if isinstance(project, dict) else None
    if not isinstance(docs, dict) or not all(isinstance(d, dict) for d in docs.values()):
        raise CorpusError(f"{pj}: not a QuoteDesk project file (expected an object whose \"documents\" "
                          "maps each document id to an object)")
    version = project.get("version", PROJECT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool):
        raise CorpusError(f"{pj}: bad version {version!r}")
    if version > PROJECT_VERSION:
        raise CorpusError(f"{pj}: written by a newer QuoteDesk (version {version})")
    return project


def _scan_jsonl(path: Path) -> list[PageRef]:
    refs, seen = [], set()
    from .readers import MAX_LINE_BYTES

    with open(path, "rb") as f:
        offset = 0
        # readline with a limit: a line of many gigabytes is refused, not read until memory runs out
        for lineno, line in enumerate(iter(lambda: f.readline(MAX_LINE_BYTES + 1), b""), 1):
            length = len(line)
            if length > MAX_LINE_BYTES:
                raise CorpusError(f"{path}: line {lineno} is longer than {MAX_LINE_BYTES // 2 ** 20} MB; "
                                  "a corpus line holds one page")
            if line.strip():
                try:
                    rec = json.loads(line)
                except ValueError as e:
                    raise CorpusError(f"{path}: line {lineno} is not JSON ({e})") from None
                except RecursionError:
                    raise CorpusError(f"{path}: line {lineno} is JSON nested too deeply to be a record") from None
                rec = replace_lone_surrogates(rec)[0]  # U+FFFD, as every JSON reader does (ids stay writable)
                if not isinstance(rec, dict) or not ("text" in rec or "html" in rec):
                    raise CorpusError(f"{path}: line {lineno} has neither \"text\" nor \"html\"")
                doc_id = str(rec.get("id", f"line{lineno}"))
                if doc_id in seen:
                    raise CorpusError(f"{path}: line {lineno} repeats document id {doc_id!r}")
                seen.add(doc_id)
                refs.append(PageRef(doc_id, "record", path, offset, length, record_entry(rec)))
            offset += length
    return refs


def _record_annotated(rec: dict) -> bool:
    return isinstance(rec.get("text"), str) and bool(rec.get("quotes") or rec.get("mentions"))


def _record_status(rec: dict, human: bool) -> str:
    """A record's own status when it is a valid one, else review for a person's work (gold quotes)
    and machine for a machine's; a person's work is never below review."""
    status = rec.get("status")
    if status not in STATUS_RANK:
        status = "review" if human else "machine"
    if human and STATUS_RANK[status] < STATUS_RANK["review"]:
        status = "review"
    return status


def record_entry(rec: dict) -> DocEntry | None:
    """The list entry of a record that already holds annotations, worked out from its JSON alone
    (opening a corpus of many records must not build every document): spans without an origin
    are a person's, as :func:`record_document` reads them."""
    if not _record_annotated(rec):
        return None
    items = {k: [x for x in rec.get(k) or [] if isinstance(x, dict)] if isinstance(rec.get(k), list) else []
             for k in ("quotes", "mentions", "cues")}

    def nonempty(q):
        s, e = q.get("start"), q.get("end")
        return not (isinstance(s, int) and isinstance(e, int) and e <= s)

    quotes = [q for q in items["quotes"] if nonempty(q)]
    human = any(x.get("origin", ORIGIN_HUMAN) == ORIGIN_HUMAN for k in items for x in items[k])
    reviewed = sum(1 for q in quotes if q.get("reviewed", q.get("origin", ORIGIN_HUMAN) == ORIGIN_HUMAN) is True)
    return DocEntry(status=_record_status(rec, human), quotes=len(quotes), reviewed=reviewed, human=human)


def record_document(rec: dict, source: str | None) -> Document:
    """A JSONL record as a Document before any machine analysis.  A text record is the article
    itself (offsets unchanged); HTML is extracted.  Annotations the record already carries (gold
    or exported quotes) are kept through core.formats.jsonl as a person's work unless the record
    says the machine made them, with the record's status (see :func:`_record_status`), so they are
    shown as human and pre-annotation never replaces them."""
    from . import pipeline

    doc_id = str(rec.get("id", "doc"))
    if not isinstance(rec.get("text"), str):
        return pipeline.build_document(normalize_newlines(rec["html"])[0], "html", doc_id, source)
    if _record_annotated(rec):
        from .formats.jsonl import record_to_document

        # A status QuoteDesk does not know ("finished") is not worth refusing the quotes over: the
        # list already shows _record_status' choice, and loading agrees with it.
        doc = record_to_document({k: v for k, v in rec.items() if k != "status" or v in STATUS_RANK},
                                 origin=ORIGIN_HUMAN)
        doc.source = doc.source or source
        human = any(x.origin == ORIGIN_HUMAN for pool in (doc.quotes, doc.mentions, doc.cues)
                    for x in pool.values())
        doc.status = _record_status(rec, human)
        return doc
    return pipeline.build_document(normalize_newlines(rec["text"])[0], "text", doc_id, source, clean=True)


class Corpus:
    """A folder or JSONL corpus with its annotation store; safe to share between the UI thread
    and one batch thread (every change of the project state holds a lock)."""

    def __init__(self, source: Path, store: Path, pages: list[PageRef], project: dict):
        self.source = Path(source)
        self.store = Path(store)
        self._pages = {p.id: p for p in pages}
        self._order = [p.id for p in pages]
        self._lock = threading.RLock()
        self._created = project.get("created") or time.time()
        # Pages left out when the corpus was opened, each with the reason (shown to the user).
        self.skipped: list[str] = []
        self._last_opened = project.get("last_opened")
        docs = project.get("documents", {})
        self._entries = {i: DocEntry.from_dict(docs.get(i, {})) for i in self._order}
        if self._last_opened not in self._pages:
            self._last_opened = None

    # -- opening -----------------------------------------------------------------------
    @classmethod
    def open(cls, path, store=None) -> "Corpus":
        """Open a folder of pages or a JSONL file; ``store`` overrides where annotations live
        (default: beside the corpus, see the module docstring).  Reopening resumes."""
        source = Path(path).resolve()
        skipped: list[str] = []
        if source.is_dir():
            pages = _scan_folder(source, skipped)
        elif source.is_file():
            pages = _scan_jsonl(source)
        else:
            raise CorpusError(f"{path}: no such folder or file")
        store = Path(store) if store is not None else default_store(source)
        pj = store / "project.json"
        project = _read_project(pj) if pj.exists() else {}
        try:
            corpus = cls(source, store, pages, project)
        except (TypeError, ValueError) as e:  # a document entry with a field of the wrong type
            raise CorpusError(f"{pj}: a document entry is damaged ({e})") from None
        corpus.skipped = skipped
        # A record's own annotations count as they are until an annotation file exists (a project
        # written before they did shows them "new, 0 quotes"); a status set by hand higher stays.
        for ref in pages:
            if ref.entry is not None and not corpus.annotation_path(ref.id).exists():
                cur = corpus._entries[ref.id]
                entry = dataclasses.replace(ref.entry)
                if STATUS_RANK[cur.status] > STATUS_RANK[entry.status]:
                    entry.status = cur.status
                corpus._entries[ref.id] = entry
        # Annotation files saved by someone else (or before project.json existed) still count.
        for doc_id, entry in corpus._entries.items():
            if entry.status == "new" and corpus.annotation_path(doc_id).exists():
                corpus._refresh_entry_from_file(doc_id)
        return corpus

    # -- the list ----------------------------------------------------------------------
    @property
    def ids(self) -> list[str]:
        return list(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, doc_id) -> bool:
        return doc_id in self._pages

    def entry(self, doc_id: str) -> DocEntry:
        self._check(doc_id)
        with self._lock:
            return dataclasses.replace(self._entries[doc_id])

    def status(self, doc_id: str) -> str:
        return self.entry(doc_id).status

    def counts(self) -> dict[str, int]:
        with self._lock:
            out = {s: 0 for s in DOC_STATUSES}
            for e in self._entries.values():
                out[e.status] += 1
            return out

    def filter(self, status=None, text=None) -> list[str]:
        """Ids in corpus order whose status is ``status`` (a name or a collection of names) and
        whose id contains ``text`` (case-insensitive)."""
        wanted = {status} if isinstance(status, str) else (set(status) if status else None)
        needle = text.casefold() if text else None
        with self._lock:
            return [i for i in self._order
                    if (wanted is None or self._entries[i].status in wanted)
                    and (needle is None or needle in i.casefold())]

    def next_unreviewed(self, after_id: str | None = None) -> str | None:
        """The first document after ``after_id`` (wrapping round) that is not done and has no
        review yet: new or machine first, then review ones; None when all are done."""
        order = self._order
        start = order.index(after_id) + 1 if after_id in self._pages else 0
        rotated = order[start:] + order[:start]
        with self._lock:
            for wanted in (("new", "machine"), ("review",)):
                for i in rotated:
                    if i != after_id and self._entries[i].status in wanted:
                        return i
        return None

    @property
    def last_opened(self) -> str | None:
        return self._last_opened

    @last_opened.setter
    def last_opened(self, doc_id: str | None) -> None:
        if doc_id is not None:
            self._check(doc_id)
        with self._lock:
            if doc_id == self._last_opened:
                return  # reopening the same document rewrites nothing
            self._last_opened = doc_id
            self._write_project()

    # -- documents ---------------------------------------------------------------------
    def annotation_path(self, doc_id: str) -> Path:
        return self.store / annotation_file_name(doc_id)

    def page_source(self, doc_id: str) -> str:
        ref = self._pages[doc_id]
        return str(ref.path) if ref.kind != "record" else f"{ref.path}#{doc_id}"

    def read_raw(self, doc_id: str) -> tuple[str, str, bool] | dict:
        """The page of ``doc_id``: ``(raw, kind, clean)`` for a page file, the record for JSONL."""
        ref = self._pages[self._check(doc_id)]
        if ref.kind == "record":
            with open(ref.path, "rb") as f:
                f.seek(ref.offset)
                return replace_lone_surrogates(json.loads(f.read(ref.length)))[0]
        if ref.path.is_symlink() and _outside(ref.path, self.source):
            raise CorpusError(f"{ref.path}: a link to a file outside the corpus folder; not read")
        rec = read_path(ref.path)
        return rec.text, ref.kind, False

    def fresh_document(self, doc_id: str) -> Document:
        """The page as a new, unannotated Document (ignores any annotation file)."""
        from . import pipeline

        page = self.read_raw(doc_id)
        if isinstance(page, dict):
            doc = record_document(page, self.page_source(doc_id))
            doc.id = doc_id
            return doc
        raw, kind, clean = page
        return pipeline.build_document(raw, kind, doc_id, self.page_source(doc_id), clean=clean)

    def load(self, doc_id: str) -> Document:
        """The saved annotation of ``doc_id`` if there is one, else a fresh document from its page."""
        path = self.annotation_path(self._check(doc_id))
        if path.exists():
            doc = load_document(path)
            with self._lock:
                e = self._entries[doc_id]
                # project.json may be behind a file saved elsewhere; never behind a status set here.
                if STATUS_RANK[e.status] > STATUS_RANK.get(doc.status, 0):
                    doc.status = e.status
                self._entries[doc_id] = summarize(doc)
            return doc
        doc = self.fresh_document(doc_id)
        with self._lock:
            status = self._entries[doc_id].status
            if doc.quotes or doc.mentions or doc.cues:  # a record's own annotations, with its status
                if STATUS_RANK[status] > STATUS_RANK.get(doc.status, 0):
                    doc.status = status
                self._entries[doc_id] = summarize(doc)
                return doc
        # A status set by hand without a file (e.g. "done" on an empty page) still shows.
        doc.status = status if status in HUMAN_STATUSES else "new"
        return doc

    def save(self, doc: Document, machine: bool = False, flush: bool = True) -> bool:
        """Write ``doc``'s annotation and update its status: at least ``review`` when it holds any
        person's work, never lower than it was.  With ``machine=True`` (the batch) the write is
        refused, returning False, when the document already holds a person's work.
        ``flush=False`` leaves project.json to a later :meth:`flush` (the batch saves many)."""
        doc_id = self._check(doc.id)
        path = self.annotation_path(doc_id)
        with self._lock:
            prev = self._entries[doc_id]
            if machine and (prev.human or prev.status in HUMAN_STATUSES
                            or (path.exists() and annotation_has_human_work(path))):
                return False
            status = doc.status if doc.status in STATUS_RANK else "new"
            if status == "new" and (doc.quotes or doc.mentions or doc.cues):
                status = "machine"
            if has_human_work(doc) and STATUS_RANK[status] < STATUS_RANK["review"]:
                status = "review"
            if not machine and STATUS_RANK[status] < STATUS_RANK[prev.status]:
                status = prev.status
            doc.status = status
            save_document(doc, path)
            self._entries[doc_id] = summarize(doc)
            if flush:
                self._write_project()
            return True

    def sync(self, doc_id: str) -> str:
        """Re-read a document's summary from its annotation file after something else wrote it
        (e.g. the review window's own save); returns its status.  Unlike :meth:`save` this takes
        the file as it is: only a person's work in it lifts the status to at least review."""
        path = self.annotation_path(self._check(doc_id))
        with self._lock:
            if path.exists():
                self._refresh_entry_from_file(doc_id)
                self._write_project()
            return self._entries[doc_id].status

    def staging_path(self, doc_id: str) -> Path:
        """Where a batch worker writes a machine annotation before :meth:`commit_machine` puts it
        in place (same folder, so the final rename is atomic)."""
        return self.store / f".{annotation_file_name(doc_id)}.batch.tmp"

    def commit_machine(self, doc_id: str, staged: Path, entry: DocEntry, flush: bool = False) -> bool:
        """Move a machine annotation a worker wrote to ``staged`` into place, unless the document
        now holds a person's work (checked here, under the lock, so a save made while the batch
        ran wins); the staged file is removed either way.  True when it was put in place."""
        path = self.annotation_path(self._check(doc_id))
        with self._lock:
            prev = self._entries[doc_id]
            if (prev.human or prev.status in HUMAN_STATUSES
                    or (path.exists() and annotation_has_human_work(path))):
                Path(staged).unlink(missing_ok=True)
                return False
            os.replace(staged, path)
            self._entries[doc_id] = entry
            if flush:
                self._write_project()
            return True

    def set_status(self, doc_id: str, status: str) -> None:
        """Set a status explicitly (a person's decision: it may also lower it, e.g. reopen a done
        document).  The annotation file, when there is one, is updated to agree."""
        if status not in STATUS_RANK:
            raise CorpusError(f"unknown status {status!r} (expected one of {', '.join(DOC_STATUSES)})")
        path = self.annotation_path(self._check(doc_id))
        with self._lock:
            if path.exists():
                doc = load_document(path)
                if doc.status != status:
                    doc.status = status
                    save_document(doc, path)
                entry = summarize(doc)
            else:
                entry = self._entries[doc_id]
                entry.updated = time.time()
            entry.status = status
            if status in HUMAN_STATUSES:
                entry.human = True
            self._entries[doc_id] = entry
            self._write_project()

    def speaker_rows(self, ids=None, current: Document | None = None) -> list[SpeakerRow]:
        """Who is quoted across the corpus' saved annotations (or ``ids``), from the summaries in
        project.json; ``current`` (the document on screen, maybe with unsaved edits) counts as it
        is now instead of as saved."""
        summaries = []
        for i in (self._order if ids is None else ids):
            if current is not None and i == current.id:
                summaries.append(document_summary(current))
                continue
            with self._lock:
                e = self._entries[i]
            if e.speakers is None and e.status != "new" and self.annotation_path(i).exists():
                # Saved by an older version or behind our back: summarise it once, now.
                self._refresh_entry_from_file(i)
                with self._lock:
                    e = self._entries[i]
            if e.speakers:
                summaries.append(e.speakers)
        return merge_summaries(summaries)

    def documents(self, ids=None, annotated_only: bool = True):
        """Yield documents (for statistics): by default only those with an annotation file."""
        for i in (self._order if ids is None else ids):
            if not annotated_only or self.annotation_path(i).exists():
                yield self.load(i)

    # -- internals ---------------------------------------------------------------------
    def _check(self, doc_id: str) -> str:
        if doc_id not in self._pages:
            raise CorpusError(f"no document {doc_id!r} in {self.source}")
        return doc_id

    def _refresh_entry_from_file(self, doc_id: str) -> None:
        try:
            doc = load_document(self.annotation_path(doc_id))
        except Exception:  # a broken file is reported when it is opened, not when listing
            self._entries[doc_id] = DocEntry(status="review", human=True)
            return
        self._entries[doc_id] = summarize(doc)

    def project_dict(self) -> dict:
        return {
            "format": "quotedesk-project",
            "version": PROJECT_VERSION,
            "source": str(self.source),
            "kind": "folder" if self.source.is_dir() else "jsonl",
            "created": self._created,
            "modified": time.time(),
            "last_opened": self._last_opened,
            "documents": {i: self._entries[i].to_dict() for i in self._order},
        }

    def _write_project(self) -> None:
        atomic_write_text(self.store / "project.json",
                           json.dumps(self.project_dict(), ensure_ascii=False, indent=1))

    def flush(self) -> None:
        with self._lock:
            self._write_project()

