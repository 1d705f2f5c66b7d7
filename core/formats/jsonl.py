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

from ..atomic import atomic_write_text
from ..model import ORIGIN_HUMAN, QUOTE_TYPES, ArticleMeta, Cue, Document, Entity, Mention, Quote
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
                              ("dateline", doc.meta.dateline), ("byline", doc.meta.byline),
                              ("agency", doc.meta.agency)) if v is not None}
    if meta:
        record["article"] = meta
    if doc.source:
        record["source"] = doc.source
    if "record_meta" in doc.provenance:
        record["meta"] = doc.provenance["record_meta"]
    return record


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


def record_to_document(rec: dict, origin: str = ORIGIN_HUMAN) -> Document:
    """A Document from one record: QuoteDesk's own (with mentions/entities/cues) or a gold record
    that has only spans.  ``origin`` is given to spans whose record does not say (gold: human)."""
    if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
        raise RecordError("a record needs a 'text' string")
    doc_id = str(rec.get("id", "doc"))
    text = rec["text"]
    doc = text_document(doc_id, text, rec.get("status") or ("done" if origin == ORIGIN_HUMAN else "machine"),
                        source=rec.get("source"))
    art = rec.get("article") if isinstance(rec.get("article"), dict) else {}
    doc.meta = ArticleMeta(**{k: art.get(k) for k in ("headline", "date", "dateline", "byline", "agency")})
    if "meta" in rec:
        doc.provenance["record_meta"] = rec["meta"]
    where = f"record {doc_id}"
    if isinstance(rec.get("mentions"), list) and isinstance(rec.get("entities"), list) \
            and isinstance(rec.get("cues"), list):
        _read_linked(doc, rec, where, origin)
    else:
        _read_spans_only(doc, rec, where, origin)
    return checked(doc, RecordError, where)


def _quote_common(q: dict, qid: str, origin: str) -> dict:
    qtype = q.get("type", "unknown")
    return dict(id=qid, start=q["start"], end=q["end"], type=qtype if qtype in QUOTE_TYPES else "unknown",
                rule=q.get("rule", "") or "", confidence=float(q.get("confidence", 1.0)),
                origin=q.get("origin", origin), reviewed=bool(q.get("reviewed", origin == ORIGIN_HUMAN)),
                group=q.get("group"))


def _read_linked(doc: Document, rec: dict, where: str, origin: str) -> None:
    def new_key(pool, obj: dict, kind: str) -> str:
        oid = obj.get("id")
        if not isinstance(oid, str) or not oid:
            raise RecordError(f"{where}: a {kind} without an id")
        if oid in pool:
            raise RecordError(f"{where}: {kind} {oid}: duplicate id")
        return oid

    for e in rec["entities"]:
        eid = new_key(doc.entities, e, "entity")
        doc.entities[eid] = Entity(eid, e.get("name", ""), e.get("kind", "unknown"))
    for m in rec["mentions"]:
        mid = new_key(doc.mentions, m, "mention")
        s, e = _span([m.get("start"), m.get("end")], f"{where}: mention {mid}", len(doc.article))
        doc.mentions[mid] = Mention(mid, s, e, m.get("entity"), m.get("kind", "name"), m.get("origin", origin))
    for c in rec["cues"]:
        cid = new_key(doc.cues, c, "cue")
        s, e = _span([c.get("start"), c.get("end")], f"{where}: cue {cid}", len(doc.article))
        doc.cues[cid] = Cue(cid, s, e, c.get("origin", origin))
    for q in rec.get("quotes") or []:
        qid = new_key(doc.quotes, q, "quote") if "id" in q else doc.new_id("q")
        _span([q.get("start"), q.get("end")], f"{where}: quote {qid}", len(doc.article))
        doc.quotes[qid] = Quote(**_quote_common(q, qid, origin), mention=q.get("mention"), cue=q.get("cue"),
                                extra_mentions=list(q.get("extra_mentions", [])),
                                extra_cues=list(q.get("extra_cues", [])))


def _read_spans_only(doc: Document, rec: dict, where: str, origin: str) -> None:
    n = len(doc.article)
    mention_at: dict[tuple[int, int, str | None], str] = {}
    entity_of: dict[str, str] = {}
    cue_at: dict[tuple[int, int], str] = {}
    for i, q in enumerate(rec.get("quotes") or []):
        qid = f"q{i + 1}"
        if q.get("end", 0) <= q.get("start", 0):
            continue  # the scorer ignores empty predicted spans; so do we
        _span([q.get("start"), q.get("end")], f"{where}: quote {i + 1}", n)
        speaker = q.get("speaker")
        # Entities are keyed by the exact speaker string: folding case or spacing would change the
        # speaker a round trip writes back ("He" vs "he"), and gold corpora have no coreference anyway.
        ent = None
        if speaker is not None and str(speaker).strip() and q.get("speaker_spans"):
            speaker = str(speaker)
            ent = entity_of.get(speaker)
            if ent is None:
                ent = entity_of[speaker] = doc.new_id("e")
                doc.entities[ent] = Entity(ent, speaker)
        mids = []
        for j, span in enumerate(q.get("speaker_spans") or []):
            s, e = _span(span, f"{where}: quote {i + 1} speaker span {j + 1}", n)
            key = (s, e, ent)
            if key not in mention_at:
                mid = mention_at[key] = doc.new_id("m")
                text = doc.article[s:e]
                kind = "pronoun" if text.strip().casefold() in _PRONOUNS else "name"
                doc.mentions[mid] = Mention(mid, s, e, ent, kind, origin)
            if mention_at[key] not in mids:
                mids.append(mention_at[key])
        cids = []
        for j, span in enumerate(q.get("cue_spans") or []):
            s, e = _span(span, f"{where}: quote {i + 1} cue span {j + 1}", n)
            if (s, e) not in cue_at:
                cid = cue_at[(s, e)] = doc.new_id("c")
                doc.cues[cid] = Cue(cid, s, e, origin)
            if cue_at[(s, e)] not in cids:
                cids.append(cue_at[(s, e)])
        doc.quotes[qid] = Quote(**_quote_common(q, qid, origin), mention=mids[0] if mids else None,
                                cue=cids[0] if cids else None, extra_mentions=mids[1:], extra_cues=cids[1:])


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
            try:
                yield record_to_document(rec, origin)
            except RecordError as e:
                raise RecordError(f"{path}, line {n}: {e}") from None


def write_jsonl(docs: Iterable[Document], path) -> int:
    """Write one record a line; returns how many documents were written."""
    lines = [json.dumps(document_to_record(d), ensure_ascii=False) for d in docs]
    atomic_write_text(Path(path), "".join(line + "\n" for line in lines))
    return len(lines)
