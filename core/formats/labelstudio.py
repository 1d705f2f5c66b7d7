"""Label Studio tasks: the article as ``data.text``, quotes / speakers / cues as labelled regions with
``said_by`` and ``cue_of`` relations, as human ``annotations`` or as model ``predictions``.

Offsets: current Label Studio stores region offsets as Unicode code points (= Python ``str``
indices; LS PR #1559 / frontend #308).  Older versions counted UTF-16 code units, which drift
after an emoji: on reading, a region whose ``text`` does not match its offsets is re-read as
UTF-16 offsets before it is rejected.  Texts are exported with ``\\n`` line breaks only.

Per region, the quote type is a per-region ``Choices`` (``quote_type``), a discontinuous quote's
group and a speaker's entity are per-region ``TextArea``s (``group``, ``entity``), and what Label
Studio has no control for (ids, rule, confidence, origin) rides in the region's ``meta`` after a
``qd:`` marker.  The matching labelling config is resources/labelstudio_config.xml.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Iterator

from ..atomic import atomic_write_bytes, atomic_write_text
from ..model import ORIGIN_HUMAN, ORIGIN_MACHINE, QUOTE_TYPES, Cue, Document, Entity, Mention, Quote
from ..resources import resource_path
from . import checked, text_document

CONFIG_NAME = "labelstudio_config.xml"
NOTE_MARK = "qd:"
FROM, TO = "label", "text"


class LabelStudioError(ValueError):
    """A task whose regions do not fit its text."""


def _version() -> str:
    try:
        from importlib.metadata import version
        return version("quotedesk")
    except Exception:  # running from a checkout that was never installed
        return "dev"


def _region(rid: str, text: str, s: int, e: int, label: str, score=None, note: dict | None = None) -> dict:
    r = {"id": rid, "from_name": FROM, "to_name": TO, "type": "labels",
         "value": {"start": s, "end": e, "text": text[s:e], "labels": [label]}}
    if score is not None:
        r["score"] = score
    if note:
        r["meta"] = {"text": [NOTE_MARK + json.dumps(note, ensure_ascii=False, separators=(",", ":"))]}
    return r


def _per_region(rid: str, text: str, s: int, e: int, control: str, kind: str, value) -> dict:
    key = {"choices": "choices", "textarea": "text"}[kind]
    return {"id": rid, "from_name": control, "to_name": TO, "type": kind,
            "value": {"start": s, "end": e, key: [value]}}


def document_to_results(doc: Document) -> list[dict]:
    text = doc.article
    used: set[str] = set()
    rid_of: dict[tuple[str, str], str] = {}

    def rid(kind, oid):  # region ids are one namespace in Label Studio
        r = oid if oid not in used else f"{kind}-{oid}"
        while r in used:
            r += "_"
        used.add(r)
        rid_of[(kind, oid)] = r
        return r

    out: list[dict] = []
    for q in doc.sorted_quotes():
        r = rid("quote", q.id)
        out.append(_region(r, text, q.start, q.end, "Quote", score=q.confidence,
                           note={"id": q.id, "rule": q.rule, "confidence": q.confidence, "origin": q.origin,
                                 "reviewed": q.reviewed}))
        out.append(_per_region(r, text, q.start, q.end, "quote_type", "choices", q.type))
        if q.group:
            out.append(_per_region(r, text, q.start, q.end, "group", "textarea", q.group))
    for m in sorted(doc.mentions.values(), key=lambda m: (m.start, m.end, m.id)):
        r = rid("mention", m.id)
        ent = doc.entities.get(m.entity) if m.entity else None
        note = {"id": m.id, "kind": m.kind, "origin": m.origin, "entity": m.entity}
        if ent is not None:
            note["entity_kind"] = ent.kind
        out.append(_region(r, text, m.start, m.end, "Speaker", note=note))
        if ent is not None:
            out.append(_per_region(r, text, m.start, m.end, "entity", "textarea", ent.name))
    for c in sorted(doc.cues.values(), key=lambda c: (c.start, c.end, c.id)):
        r = rid("cue", c.id)
        out.append(_region(r, text, c.start, c.end, "Cue", note={"id": c.id, "origin": c.origin}))
    for q in doc.sorted_quotes():
        for mid in [q.mention, *q.extra_mentions]:
            if mid:
                out.append({"from_id": rid_of[("quote", q.id)], "to_id": rid_of[("mention", mid)],
                            "type": "relation", "direction": "right", "labels": ["said_by"]})
        for cid in [q.cue, *q.extra_cues]:
            if cid:
                out.append({"from_id": rid_of[("cue", cid)], "to_id": rid_of[("quote", q.id)],
                            "type": "relation", "direction": "right", "labels": ["cue_of"]})
    return out


def document_to_task(doc: Document, predictions: bool = False, model_version: str | None = None) -> dict:
    data = {"text": doc.article, "id": doc.id}
    if doc.status:
        data["status"] = doc.status
    task = {"data": data}
    result = document_to_results(doc)
    if predictions:
        scores = [q.confidence for q in doc.quotes.values()]
        task["predictions"] = [{"model_version": model_version or f"quotedesk-{_version()}",
                                "score": round(sum(scores) / len(scores), 4) if scores else 0.0,
                                "result": result}]
    else:
        task["annotations"] = [{"result": result}]
    return task


def write_labelstudio(docs: Iterable[Document], path, predictions: bool = False,
                      model_version: str | None = None) -> int:
    """Write a JSON list of tasks to ``path`` and the labelling config beside it."""
    path = Path(path)
    tasks = [document_to_task(d, predictions, model_version) for d in docs]
    atomic_write_text(path, json.dumps(tasks, ensure_ascii=False, indent=1))
    atomic_write_bytes(path.parent / CONFIG_NAME, resource_path(CONFIG_NAME).read_bytes())
    return len(tasks)


# -- reading -----------------------------------------------------------------------------------

def _utf16_to_index(text: str, units: int) -> int:
    """The str index at ``units`` UTF-16 code units (how old Label Studio counted)."""
    n = 0
    for i, ch in enumerate(text):
        if n >= units:
            return i
        n += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


def _span(text: str, value: dict, where: str) -> tuple[int, int]:
    s, e = value.get("start"), value.get("end")
    if not isinstance(s, int) or not isinstance(e, int):
        raise LabelStudioError(f"{where}: region without integer start/end")
    want = value.get("text")
    if 0 <= s < e <= len(text) and (want is None or text[s:e] == want):
        return s, e
    s16, e16 = _utf16_to_index(text, s), _utf16_to_index(text, e)
    if want is not None and s16 < e16 and text[s16:e16] == want:
        return s16, e16
    raise LabelStudioError(f"{where}: region {s}-{e} ({want!r}) does not match the text (length {len(text)})")


def _note(region: dict) -> dict:
    for t in (region.get("meta") or {}).get("text") or []:
        if isinstance(t, str) and t.startswith(NOTE_MARK):
            try:
                d = json.loads(t[len(NOTE_MARK):])
                return d if isinstance(d, dict) else {}
            except json.JSONDecodeError:
                return {}
    return {}


def task_result(task: dict) -> tuple[list, bool]:
    """The result list to read (the first non-cancelled annotation, else the first prediction) and
    whether it came from a prediction."""
    for ann in task.get("annotations") or task.get("completions") or []:
        if not ann.get("was_cancelled") and isinstance(ann.get("result"), list):
            return ann["result"], False
    for pred in task.get("predictions") or []:
        if isinstance(pred.get("result"), list):
            return pred["result"], True
    return [], False


def task_to_document(task: dict, index: int = 0) -> Document:
    data = task.get("data") or {}
    text = data.get("text")
    if not isinstance(text, str):
        raise LabelStudioError(f"task {index + 1}: data.text is missing")
    doc_id = str(data.get("id") or task.get("id") or f"task{index + 1}")
    where = f"task {doc_id}"
    result, predicted = task_result(task)
    default_origin = ORIGIN_MACHINE if predicted else ORIGIN_HUMAN
    doc = text_document(doc_id, text, data.get("status") or ("machine" if predicted else "review"),
                        from_format="labelstudio")

    regions: dict[str, dict] = {}
    extras: dict[str, dict] = {}
    rels = []
    for r in result:
        if r.get("type") == "relation":
            rels.append(r)
        elif r.get("type") == "labels" or (r.get("value") or {}).get("labels"):
            regions[r["id"]] = r
        elif r.get("id") is not None:
            extras.setdefault(r["id"], {})[r.get("from_name")] = r.get("value") or {}

    def extra(rid, control, key):
        v = extras.get(rid, {}).get(control, {}).get(key) or []
        return v[0] if v else None

    kind_of = {}
    obj_of: dict[str, str] = {}
    entity_by_name: dict[str, str] = {}
    ordered = sorted(regions.values(), key=lambda r: ((r.get("value") or {}).get("start", 0), r["id"]))
    for r in ordered:
        label = ((r.get("value") or {}).get("labels") or [""])[0]
        kind = {"quote": "quote", "speaker": "mention", "source": "mention", "cue": "cue"}.get(label.lower())
        if kind is None:
            continue
        s, e = _span(text, r["value"], f"{where}, region {r['id']}")
        note = _note(r)
        origin = note.get("origin") if note.get("origin") in (ORIGIN_HUMAN, ORIGIN_MACHINE) else default_origin
        pool = {"quote": doc.quotes, "mention": doc.mentions, "cue": doc.cues}[kind]
        oid = note.get("id")
        if not isinstance(oid, str) or not oid or oid in pool:
            oid = doc.new_id(kind[0])
        kind_of[r["id"]], obj_of[r["id"]] = kind, oid
        if kind == "quote":
            qtype = extra(r["id"], "quote_type", "choices")
            conf = note.get("confidence", r.get("score", 1.0))
            doc.quotes[oid] = Quote(oid, s, e, qtype if qtype in QUOTE_TYPES else "unknown",
                                    rule=str(note.get("rule", "") or ""),
                                    confidence=float(conf) if isinstance(conf, (int, float)) else 1.0,
                                    origin=origin, reviewed=bool(note.get("reviewed", not predicted)),
                                    group=extra(r["id"], "group", "text") or None)
        elif kind == "mention":
            name = extra(r["id"], "entity", "text")
            ent = note.get("entity") if isinstance(note.get("entity"), str) else None
            if name is None:
                name = " ".join(text[s:e].split())
            if ent is None:
                ent = entity_by_name.get(name)
            if ent is None or (ent in doc.entities and doc.entities[ent].name != name):
                ent = doc.new_id("e")
            if ent not in doc.entities:
                doc.entities[ent] = Entity(ent, name, note.get("entity_kind", "unknown"))
            entity_by_name.setdefault(name, ent)
            doc.mentions[oid] = Mention(oid, s, e, ent, note.get("kind", "name"), origin)
        else:
            doc.cues[oid] = Cue(oid, s, e, origin)

    for rel in rels:
        a, b = rel.get("from_id"), rel.get("to_id")
        label = (rel.get("labels") or [""])[0].lower()
        ka, kb = kind_of.get(a), kind_of.get(b)
        if {ka, kb} == {"quote", "mention"} and label in ("said_by", ""):
            q, m = (a, b) if ka == "quote" else (b, a)
            _link(doc.quotes[obj_of[q]], "mention", obj_of[m])
        elif {ka, kb} == {"quote", "cue"} and label in ("cue_of", ""):
            q, c = (a, b) if ka == "quote" else (b, a)
            _link(doc.quotes[obj_of[q]], "cue", obj_of[c])
    return checked(doc, LabelStudioError, where)


def _link(q: Quote, kind: str, oid: str) -> None:
    main, extra = ("mention", "extra_mentions") if kind == "mention" else ("cue", "extra_cues")
    if getattr(q, main) is None:
        setattr(q, main, oid)
    elif getattr(q, main) != oid and oid not in getattr(q, extra):
        getattr(q, extra).append(oid)


def read_labelstudio(path) -> Iterator[Document]:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    tasks = data if isinstance(data, list) else [data]
    for i, task in enumerate(tasks):
        yield task_to_document(task, i)
