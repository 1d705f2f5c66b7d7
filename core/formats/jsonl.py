"""QuoteDesk JSONL: one document a line, a superset of the shared scorer's quote format.

A record is ``{"id", "text", "quotes": [...]}`` as the scorer reads it (offsets into ``text``, which
is the document's article), plus QuoteDesk's own ``mentions`` / ``entities`` / ``cues`` lists and
ids so that nothing is lost on the way back.  Records without those lists (gold corpora such as
PolNeAR) are read from their spans: one mention per distinct speaker span, one entity per distinct
speaker string, one cue per distinct cue span.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Iterator

from ..atomic import atomic_write_text, json_dumps
from ..readers import clean_json
from ..model import DOC_STATUSES, ORIGIN_HUMAN, ORIGIN_MACHINE, QUOTE_TYPES, ArticleMeta, Cue, Document, Entity, Mention, Quote
from . import checked, text_document


def quote_record(doc: Document, quote: Quote, offset=None) -> dict:
    """A quote as the scorer reads it.  ``offset`` maps an article span to the output text's span
    (identity when omitted)."""
    mentions = [doc.mentions[m] for m in [quote.mention, *quote.extra_mentions] if m and m in doc.mentions]
    cues = [doc.cues[c] for c in [quote.cue, *quote.extra_cues] if c and c in doc.cues]
    mention = mentions[0] if mentions else None
    if offset:
        start, end = offset(quote.start, quote.end)
        speaker_spans = [list(offset(m.start, m.end)) for m in mentions]
        cue_spans = [list(offset(c.start, c.end)) for c in cues]
    else:  # a closure call per span is a noticeable part of writing a large corpus
        start, end = quote.start, quote.end
        speaker_spans = [[m.start, m.end] for m in mentions]
        cue_spans = [[c.start, c.end] for c in cues]
    rec = {
        "start": start,
        "end": end,
        "type": quote.type,
        "speaker": doc.speaker_name(quote),
        "speaker_spans": speaker_spans,
        "cue_spans": cue_spans,
        "id": quote.id,
        "rule": quote.rule,
        "confidence": round(quote.confidence, 3),
        "origin": quote.origin,
        "reviewed": quote.reviewed,
    }
    if quote.group:
        rec["group"] = quote.group
    if mention and mention.entity:
        rec["entity"] = mention.entity
    return rec


def document_to_record(doc: Document) -> dict:
    """The document as one JSONL record; ``text`` is the article and every offset indexes it."""
    quotes = []
    for q in doc.quotes.values():
        rec = quote_record(doc, q)
        # Unrounded confidence and the link ids, so reading it back gives the same document.
        rec["confidence"] = q.confidence
        rec["mention"] = q.mention
        rec["cue"] = q.cue
        if q.extra_mentions:
            rec["extra_mentions"] = list(q.extra_mentions)
        if q.extra_cues:
            rec["extra_cues"] = list(q.extra_cues)
        quotes.append(rec)
    record = {
        "id": doc.id,
        "text": doc.article,
        "quotes": quotes,
        "mentions": [{"id": m.id, "start": m.start, "end": m.end, "entity": m.entity, "kind": m.kind,
                      "origin": m.origin} for m in doc.mentions.values()],
        "entities": [{"id": e.id, "name": e.name, "kind": e.kind} for e in doc.entities.values()],
        "cues": [{"id": c.id, "start": c.start, "end": c.end, "origin": c.origin} for c in doc.cues.values()],
        "status": doc.status,
    }
    meta = {k: v for k, v in (("headline", doc.meta.headline), ("date", doc.meta.date),
                              ("date_text", doc.meta.date_text),
                              ("dateline", doc.meta.dateline), ("byline", doc.meta.byline),
                              ("agency", doc.meta.agency)) if v is not None}
    if meta:
        record["article"] = meta
    if doc.source:
        record["source"] = doc.source
    if "record_meta" in doc.provenance:
        record["meta"] = doc.provenance["record_meta"]
    return record


ORIGINS = (ORIGIN_HUMAN, ORIGIN_MACHINE)


class RecordError(ValueError):
    """A JSONL record that cannot become a document (bad span, dangling link)."""


def _span(value, what: str, n: int) -> tuple[int, int]:
    if (not isinstance(value, (list, tuple)) or len(value) != 2
            or not all(isinstance(x, int) and not isinstance(x, bool) for x in value)):
        raise RecordError(f"{what}: expected [start, end], got {value!r}")
    s, e = value
    if not 0 <= s < e <= n:
        raise RecordError(f"{what}: span {s}-{e} is not a non-empty span inside the text (length {n})")
    return s, e


def _obj(value, what: str) -> dict:
    if not isinstance(value, dict):
        raise RecordError(f"{what} must be an object, got {json.dumps(value, ensure_ascii=False)[:40]}")
    return value


def _field(obj: dict, key: str, types, what: str, default=None):
    """``obj[key]`` when it has one of ``types`` (``default`` when absent or null); else RecordError
    naming the field."""
    value = obj.get(key)
    if value is None:
        return default
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in _tuple(types)):
        names = "a number" if set(_tuple(types)) == {int, float} else " or ".join(
            {str: "a string", int: "an integer", bool: "true/false", list: "a list", dict: "an object"}.get(t, t.__name__)
            for t in _tuple(types))
        raise RecordError(f"{what}: {key} must be {names}, got {json.dumps(value, ensure_ascii=False)[:40]}")
    return value


def _tuple(types):
    return types if isinstance(types, tuple) else (types,)


def _str_list(obj: dict, key: str, what: str) -> list[str]:
    value = _field(obj, key, list, what, [])
    if not all(isinstance(x, str) for x in value):
        raise RecordError(f"{what}: {key} must be a list of ids (strings)")
    return list(value)


def record_to_document(rec: dict, origin: str = ORIGIN_HUMAN) -> Document:
    """A Document from one record: QuoteDesk's own (with mentions/entities/cues) or a gold record
    that has only spans.  ``origin`` is given to spans whose record does not say (gold: human).
    Every field is checked: RecordError names the first bad one."""
    if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
        raise RecordError("a record needs a 'text' string")
    raw_id = rec.get("id", "doc")
    if not isinstance(raw_id, (str, int)) or isinstance(raw_id, bool):
        raise RecordError(f"id must be a string or an integer, got {json.dumps(raw_id)[:40]}")
    doc_id = str(raw_id)
    where = f"record {doc_id}"
    text = rec["text"]
    status = _field(rec, "status", str, where) or ("done" if origin == ORIGIN_HUMAN else "machine")
    if status not in DOC_STATUSES:
        raise RecordError(f"{where}: status {status!r} is not one of {', '.join(DOC_STATUSES)}")
    doc = text_document(doc_id, text, status, source=_field(rec, "source", str, where))
    art = _field(rec, "article", dict, where, {})
    doc.meta = ArticleMeta(**{k: _field(art, k, str, f"{where}: article") for k in
                              ("headline", "date", "date_text", "dateline", "byline", "agency")})
    if "meta" in rec:
        doc.provenance["record_meta"] = rec["meta"]
    _field(rec, "quotes", list, where)
    if isinstance(rec.get("mentions"), list) and isinstance(rec.get("entities"), list) \
            and isinstance(rec.get("cues"), list):
        _read_linked(doc, rec, where, origin)
    else:
        for key in ("mentions", "entities", "cues"):
            _field(rec, key, list, where)
        _read_spans_only(doc, rec, where, origin)
    return checked(doc, RecordError, where)


def _origin(obj: dict, what: str, origin: str) -> str:
    value = _field(obj, "origin", str, what, origin)
    if value not in ORIGINS:
        raise RecordError(f"{what}: origin {value!r} is not one of {', '.join(ORIGINS)}")
    return value


def _quote_common(q: dict, qid: str, what: str, origin: str) -> dict:
    qtype = _field(q, "type", str, what, "unknown")
    conf = _field(q, "confidence", (int, float), what, 1.0)
    if not 0.0 <= conf <= 1.0:
        raise RecordError(f"{what}: confidence {conf!r} is not between 0 and 1")
    return dict(id=qid, start=q["start"], end=q["end"], type=qtype if qtype in QUOTE_TYPES else "unknown",
                rule=_field(q, "rule", str, what, ""), confidence=float(conf),
                origin=_origin(q, what, origin), reviewed=_field(q, "reviewed", bool, what, origin == ORIGIN_HUMAN),
                group=_field(q, "group", str, what) or None)


def _read_linked(doc: Document, rec: dict, where: str, origin: str) -> None:
    def new_key(pool, obj: dict, kind: str, i: int) -> str:
        _obj(obj, f"{where}: {kind} {i + 1}")
        oid = obj.get("id")
        if not isinstance(oid, str) or not oid:
            raise RecordError(f"{where}: {kind} {i + 1} has no id (a non-empty string)")
        if oid in pool:
            raise RecordError(f"{where}: {kind} {oid}: duplicate id")
        return oid

    for i, e in enumerate(rec["entities"]):
        eid = new_key(doc.entities, e, "entity", i)
        what = f"{where}: entity {eid}"
        doc.entities[eid] = Entity(eid, _field(e, "name", str, what, ""), _field(e, "kind", str, what, "unknown"))
    for i, m in enumerate(rec["mentions"]):
        mid = new_key(doc.mentions, m, "mention", i)
        what = f"{where}: mention {mid}"
        s, e = _span([m.get("start"), m.get("end")], what, len(doc.article))
        doc.mentions[mid] = Mention(mid, s, e, _field(m, "entity", str, what), _field(m, "kind", str, what, "name"),
                                    _origin(m, what, origin))
    for i, c in enumerate(rec["cues"]):
        cid = new_key(doc.cues, c, "cue", i)
        what = f"{where}: cue {cid}"
        s, e = _span([c.get("start"), c.get("end")], what, len(doc.article))
        doc.cues[cid] = Cue(cid, s, e, _origin(c, what, origin))
    for i, q in enumerate(rec.get("quotes") or []):
        _obj(q, f"{where}: quote {i + 1}")
        qid = new_key(doc.quotes, q, "quote", i) if "id" in q else doc.new_id("q")
        what = f"{where}: quote {qid}"
        _span([q.get("start"), q.get("end")], what, len(doc.article))
        doc.quotes[qid] = Quote(**_quote_common(q, qid, what, origin), mention=_field(q, "mention", str, what),
                                cue=_field(q, "cue", str, what),
                                extra_mentions=_str_list(q, "extra_mentions", what),
                                extra_cues=_str_list(q, "extra_cues", what))


def _read_spans_only(doc: Document, rec: dict, where: str, origin: str) -> None:
    n = len(doc.article)
    mention_at: dict[tuple[int, int, str | None], str] = {}
    entity_of: dict[str, str] = {}
    cue_at: dict[tuple[int, int], str] = {}
    for i, q in enumerate(rec.get("quotes") or []):
        what = f"{where}: quote {i + 1}"
        _obj(q, what)
        qid = f"q{i + 1}"
        start, end = q.get("start"), q.get("end")
        if _is_int(start) and _is_int(end) and end <= start:
            continue  # the scorer ignores empty predicted spans; so do we
        _span([start, end], what, n)
        speaker = q.get("speaker")
        if speaker is not None and (not isinstance(speaker, (str, int, float)) or isinstance(speaker, bool)):
            raise RecordError(f"{what}: speaker must be a string")
        speaker_spans = _field(q, "speaker_spans", list, what, [])
        cue_spans = _field(q, "cue_spans", list, what, [])
        # Entities are keyed by the exact speaker string: folding case or spacing would change the
        # speaker a round trip writes back ("He" vs "he"), and gold corpora have no coreference anyway.
        ent = None
        if speaker is not None and str(speaker).strip() and speaker_spans:
            speaker = str(speaker)
            ent = entity_of.get(speaker)
            if ent is None:
                ent = entity_of[speaker] = doc.new_id("e")
                doc.entities[ent] = Entity(ent, speaker)
        mids = []
        for j, span in enumerate(speaker_spans):
            s, e = _span(span, f"{what} speaker span {j + 1}", n)
            key = (s, e, ent)
            if key not in mention_at:
                mid = mention_at[key] = doc.new_id("m")
                text = doc.article[s:e]
                kind = "pronoun" if text.strip().casefold() in _PRONOUNS else "name"
                doc.mentions[mid] = Mention(mid, s, e, ent, kind, origin)
            if mention_at[key] not in mids:
                mids.append(mention_at[key])
        cids = []
        for j, span in enumerate(cue_spans):
            s, e = _span(span, f"{what} cue span {j + 1}", n)
            if (s, e) not in cue_at:
                cid = cue_at[(s, e)] = doc.new_id("c")
                doc.cues[cid] = Cue(cid, s, e, origin)
            if cue_at[(s, e)] not in cids:
                cids.append(cue_at[(s, e)])
        doc.quotes[qid] = Quote(**_quote_common(q, qid, what, origin), mention=mids[0] if mids else None,
                                cue=cids[0] if cids else None, extra_mentions=mids[1:], extra_cues=cids[1:])


def _is_int(x) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


_PRONOUNS = frozenset("he she they it we i you him her them".split())


def read_jsonl(path, origin: str = ORIGIN_HUMAN) -> Iterator[Document]:
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                raise RecordError(f"{path}, line {n}: not JSON ({e.msg})") from None
            except RecursionError:
                raise RecordError(f"{path}, line {n}: JSON nested too deeply to be a record") from None
            rec = clean_json(rec, f"{path}, line {n}")
            try:
                yield record_to_document(rec, origin)
            except RecordError as e:
                raise RecordError(f"{path}, line {n}: {e}") from None


def write_jsonl(docs: Iterable[Document], path) -> int:
    """Write one record a line; returns how many documents were written."""
    lines = [json_dumps(document_to_record(d)) for d in docs]  # json_dumps: a lone surrogate stays an escape
    atomic_write_text(Path(path), "".join(line + "\n" for line in lines))
    return len(lines)
