"""A CSV of quotes for editors (one row a quote), and reading it back onto the documents' texts.

Columns: document, paragraph (1-based), quote, speaker, cue, type, confidence, reviewed, start,
end, then what a round trip needs: speaker_spans / cue_spans (``s-e;s-e``), group, quote_id,
origin, rule.  A CSV cannot hold the texts themselves, so ``write_csv`` puts them beside it in
``<name>.texts.jsonl`` ({"id", "text"} a line); ``read_csv`` finds them there (or takes them as
an argument) and checks each row's quote text against its offsets, so an edited offset or text
is reported instead of silently shifting.  Written as UTF-8 with a BOM so spreadsheet programs
show accents right.
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Iterable, Iterator

from ..atomic import atomic_write_text, json_dumps
from ..readers import clean_json
from ..model import ORIGIN_HUMAN, ORIGIN_MACHINE, QUOTE_TYPES, Cue, Document, Entity, Mention, Quote
from . import checked, text_document, utf8_safe

COLUMNS = ["document", "paragraph", "quote", "speaker", "cue", "type", "confidence", "reviewed", "start", "end",
           "speaker_spans", "cue_spans", "group", "quote_id", "origin", "rule"]


class CsvError(ValueError):
    """A CSV row that does not fit its document's text."""


# A cell starting with one of these is a live formula in LibreOffice and Excel (``=HYPERLINK(…)``
# runs): OWASP's advice is a leading ``'``.  Cells that already start with apostrophes before one
# of them get one more, so reading strips exactly one and every text comes back unchanged.
_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")


_utf8 = utf8_safe


def neutralise(cell) -> str:
    """``cell`` as a CSV cell a spreadsheet shows as text, never runs (and UTF-8 can hold)."""
    cell = _utf8("" if cell is None else str(cell))
    return "'" + cell if _FORMULA.match(cell) else cell


def restore(cell: str | None) -> str | None:
    """The text :func:`neutralise` was given."""
    return cell[1:] if cell and _ESCAPED.match(cell) else cell


def texts_path(path) -> Path:
    path = Path(path)
    return path.with_name(path.stem + ".texts.jsonl")


def _spans(spans) -> str:
    return ";".join(f"{s}-{e}" for s, e in spans)


def _paragraph_number(doc: Document, offset: int) -> int | str:
    for i, p in enumerate(doc.paragraphs, 1):
        if p.start <= offset < p.end or (p.start <= offset <= p.end and i == len(doc.paragraphs)):
            return i
        if offset < p.start:
            return i  # in the gap before this paragraph
    return ""


def document_rows(doc: Document) -> list[dict]:
    rows = []
    for q in doc.sorted_quotes():
        mentions = [doc.mentions[m] for m in [q.mention, *q.extra_mentions] if m]
        cues = [doc.cues[c] for c in [q.cue, *q.extra_cues] if c]
        rows.append({
            "document": doc.id,
            "paragraph": _paragraph_number(doc, q.start),
            "quote": doc.article[q.start:q.end],
            "speaker": doc.speaker_name(q) or "",
            "cue": " / ".join(doc.article[c.start:c.end] for c in cues),
            "type": q.type,
            "confidence": f"{q.confidence:.3f}",
            "reviewed": "yes" if q.reviewed else "no",
            "start": q.start,
            "end": q.end,
            "speaker_spans": _spans((m.start, m.end) for m in mentions),
            "cue_spans": _spans((c.start, c.end) for c in cues),
            "group": q.group or "",
            "quote_id": q.id,
            "origin": q.origin,
            "rule": q.rule,
        })
    return rows


def write_csv(docs: Iterable[Document], path) -> int:
    """Write the quotes of ``docs`` to ``path`` and their texts to ``<name>.texts.jsonl``; returns the row count."""
    path = Path(path)
    table, texts, n = csv_texts(docs)
    atomic_write_text(path, table)
    atomic_write_text(texts_path(path), texts)
    return n


def csv_texts(docs: Iterable[Document]) -> tuple[str, str, int]:
    """``(the CSV table with its BOM, the texts file's JSONL, the row count)``."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\r\n")
    w.writeheader()
    texts, n = [], 0
    for doc in docs:
        for row in document_rows(doc):
            w.writerow({k: neutralise(v) for k, v in row.items()})
            n += 1
        texts.append(json_dumps({"id": doc.id, "text": doc.article}))  # a lone surrogate stays an escape
    return "\ufeff" + buf.getvalue(), "".join(t + "\n" for t in texts), n


def _parse_spans(value: str, where: str, n: int) -> list[tuple[int, int]]:
    out = []
    for piece in (value or "").split(";"):
        piece = piece.strip()
        if not piece:
            continue
        try:
            s, e = (int(x) for x in piece.split("-"))
        except ValueError:
            raise CsvError(f"{where}: bad span {piece!r} (expected start-end)") from None
        if not 0 <= s < e <= n:
            raise CsvError(f"{where}: span {s}-{e} is not inside the text (length {n})")
        out.append((s, e))
    return out


def read_csv(path, texts: dict[str, str] | None = None) -> Iterator[Document]:
    """Documents rebuilt from the CSV rows and their texts (``texts`` or the ``.texts.jsonl`` beside it)."""
    path = Path(path)
    if texts is None:
        tp = texts_path(path)
        if not tp.exists():
            raise CsvError(f"{path}: the document texts are not beside it ({tp.name}); a CSV alone holds no texts")
        texts = _read_texts(tp)
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = []
        try:
            for row in csv.DictReader(f):
                if None in row:
                    raise CsvError(f"{path}, line {len(rows) + 2}: more cells than the header has columns")
                rows.append({k: restore(v) for k, v in row.items()})
        except csv.Error as e:
            raise CsvError(f"{path}: not a readable CSV ({e})") from None
    missing = [c for c in ("document", "start", "end") if rows and c not in rows[0]]
    if missing:
        raise CsvError(f"{path}: no {', '.join(missing)} column (the header must name the columns QuoteDesk wrote)")
    by_doc: dict[str, list[tuple[int, dict]]] = {doc_id: [] for doc_id in texts}
    for i, row in enumerate(rows, 2):  # line 1 is the header
        doc_id = row.get("document", "")
        if doc_id not in texts:
            raise CsvError(f"{path}, line {i}: document {doc_id!r} has no text")
        by_doc[doc_id].append((i, row))
    for doc_id, text in texts.items():
        yield _rows_to_document(doc_id, text, by_doc[doc_id], str(path))


def _read_texts(tp: Path) -> dict[str, str]:
    texts: dict[str, str] = {}
    with open(tp, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except (ValueError, RecursionError):
                raise CsvError(f"{tp}, line {n}: not a JSON record") from None
            rec = clean_json(rec, f"{tp}, line {n}")
            if not (isinstance(rec, dict) and isinstance(rec.get("id"), (str, int))
                    and not isinstance(rec.get("id"), bool) and isinstance(rec.get("text"), str)):
                raise CsvError(f"{tp}, line {n}: expected {{\"id\": …, \"text\": \"…\"}}")
            if str(rec["id"]) in texts:
                raise CsvError(f"{tp}, line {n}: document {rec['id']!r} again")
            texts[str(rec["id"])] = rec["text"]
    return texts


_YES, _NO = ("yes", "true", "1", "y"), ("no", "false", "0", "n", "")


def _row_values(row: dict, at: str) -> tuple[str, float, str, bool]:
    """The row's type, confidence, origin and reviewed flag, checked: a value QuoteDesk cannot
    read is an error naming the line, not a silent default (``abc`` became 1.0, ``robot`` human)."""
    qtype = (row.get("type") or "").strip() or "unknown"
    if qtype not in QUOTE_TYPES:
        raise CsvError(f"{at}: type {qtype!r} is not one of {', '.join(QUOTE_TYPES)}")
    raw_conf = (row.get("confidence") or "").strip()
    try:
        conf = float(raw_conf) if raw_conf else 1.0
    except ValueError:
        raise CsvError(f"{at}: confidence {raw_conf!r} is not a number") from None
    if not 0.0 <= conf <= 1.0:
        raise CsvError(f"{at}: confidence {raw_conf} is not between 0 and 1")
    origin = (row.get("origin") or "").strip() or ORIGIN_HUMAN
    if origin not in (ORIGIN_HUMAN, ORIGIN_MACHINE):
        raise CsvError(f"{at}: origin {origin!r} is not {ORIGIN_HUMAN} or {ORIGIN_MACHINE}")
    reviewed = (row.get("reviewed") or "").strip().lower()
    if reviewed not in _YES + _NO:
        raise CsvError(f"{at}: reviewed {row.get('reviewed')!r} is not yes or no")
    return qtype, conf, origin, reviewed in _YES


def _rows_to_document(doc_id: str, text: str, rows, where: str) -> Document:
    doc = text_document(doc_id, text, "review", from_format="csv")
    n = len(text)
    entity_of: dict[str, str] = {}
    mention_at: dict[tuple, str] = {}
    cue_at: dict[tuple, str] = {}
    for line, row in rows:
        at = f"{where}, line {line}"
        try:
            s, e = int(row["start"]), int(row["end"])
        except (KeyError, TypeError, ValueError):
            raise CsvError(f"{at}: start and end must be integers") from None
        if not 0 <= s < e <= n:
            raise CsvError(f"{at}: quote span {s}-{e} is not inside the text (length {n})")
        if row.get("quote") is not None and _utf8(text[s:e]) != row["quote"]:
            raise CsvError(f"{at}: the quote text differs from the document at {s}-{e}")
        speaker = row.get("speaker") or ""
        ent = None
        if speaker.strip():
            ent = entity_of.get(speaker)
            if ent is None:
                ent = entity_of[speaker] = doc.new_id("e")
                doc.entities[ent] = Entity(ent, speaker)
        qtype, conf, origin, reviewed = _row_values(row, at)
        mids = []
        for sp in _parse_spans(row.get("speaker_spans", ""), at, n):
            key = (sp, ent)
            if key not in mention_at:
                mid = mention_at[key] = doc.new_id("m")
                doc.mentions[mid] = Mention(mid, sp[0], sp[1], ent, "name", origin)
            if mention_at[key] not in mids:
                mids.append(mention_at[key])
        cids = []
        for sp in _parse_spans(row.get("cue_spans", ""), at, n):
            if sp not in cue_at:
                cid = cue_at[sp] = doc.new_id("c")
                doc.cues[cid] = Cue(cid, sp[0], sp[1], origin)
            if cue_at[sp] not in cids:
                cids.append(cue_at[sp])
        qid = row.get("quote_id") or ""
        if not qid or qid in doc.quotes:
            qid = doc.new_id("q")
        doc.quotes[qid] = Quote(qid, s, e, qtype, mids[0] if mids else None, cids[0] if cids else None,
                                rule=row.get("rule") or "", confidence=conf, origin=origin, reviewed=reviewed,
                                group=row.get("group") or None, extra_mentions=mids[1:], extra_cues=cids[1:])
    return checked(doc, CsvError, where)
