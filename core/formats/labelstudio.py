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

from ..atomic import atomic_write_bytes, atomic_write_text, json_dumps
from ..readers import clean_json
from ..model import DOC_STATUSES, ORIGIN_HUMAN, ORIGIN_MACHINE, QUOTE_TYPES, Cue, Document, Entity, Mention, Quote
from . import checked, resource_bytes, text_document

CONFIG_NAME = "labelstudio_config.xml"
TASKS_NAME = "tasks.json"  # the file a folder export holds
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
    """Write a JSON list of tasks to ``path`` and the labelling config beside it (the config is read
    first: a broken install fails before anything is written)."""
    path = Path(path)
    config = resource_bytes(CONFIG_NAME)
    tasks = [document_to_task(d, predictions, model_version) for d in docs]
    atomic_write_text(path, json_dumps(tasks, indent=1))  # json_dumps: a lone surrogate stays an escape
    atomic_write_bytes(path.parent / CONFIG_NAME, config)
    return len(tasks)


# -- reading -----------------------------------------------------------------------------------

# What each region label means to QuoteDesk; any other label is refused.
LABELS = {"quote": "quote", "speaker": "mention", "source": "mention", "cue": "cue"}
# Per-region controls of resources/labelstudio_config.xml: (result type, value key).
CONTROLS = {"quote_type": ("choices", "choices"), "group": ("textarea", "text"), "entity": ("textarea", "text")}
RELATIONS = {"said_by": {"quote", "mention"}, "cue_of": {"quote", "cue"}}


def _utf16_to_index(text: str, units: int) -> int:
    """The str index at ``units`` UTF-16 code units (how old Label Studio counted)."""
    n = 0
    for i, ch in enumerate(text):
        if n >= units:
            return i
        n += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


def _int(x) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _span(text: str, value: dict, where: str) -> tuple[int, int]:
    s, e = value.get("start"), value.get("end")
    if not _int(s) or not _int(e):
        raise LabelStudioError(f"{where}: value.start and value.end must be integers, got {s!r} and {e!r}")
    want = value.get("text")
    if want is not None and not isinstance(want, str):
        raise LabelStudioError(f"{where}: value.text must be a string")
    if 0 <= s < e <= len(text) and (want is None or text[s:e] == want):
        return s, e
    s16, e16 = _utf16_to_index(text, s), _utf16_to_index(text, e)
    if want is not None and 0 <= s and s16 < e16 and text[s16:e16] == want:
        return s16, e16
    raise LabelStudioError(f"{where}: region {s}-{e} ({want!r}) does not match the text (length {len(text)})")


def _note(region: dict) -> dict:
    meta = region.get("meta")
    texts = meta.get("text") if isinstance(meta, dict) else None
    for t in texts if isinstance(texts, list) else []:
        if isinstance(t, str) and t.startswith(NOTE_MARK):
            try:
                d = json.loads(t[len(NOTE_MARK):])
                return d if isinstance(d, dict) else {}
            except (json.JSONDecodeError, RecursionError):
                return {}
    return {}


def task_result(task: dict, where: str = "task") -> tuple[list, str]:
    """The result list to read and where it came from: the first non-cancelled annotation
    ("annotation", or "accepted" when a Label Studio user submitted it: ``completed_by`` is set),
    else the first prediction held inline ("prediction"; a Label Studio export lists predictions as
    ids only, which hold nothing to read)."""
    for key in ("annotations", "completions", "predictions"):
        items = task.get(key)
        if items is None:
            continue
        if not isinstance(items, list):
            raise LabelStudioError(f"{where}: {key} must be a list")
        for i, item in enumerate(items):
            if _int(item) or isinstance(item, str):
                continue  # a prediction's id in a Label Studio export
            if not isinstance(item, dict):
                raise LabelStudioError(f"{where}: {key}[{i}] must be an object")
            result = item.get("result")
            if key != "predictions" and item.get("was_cancelled"):
                continue
            if result is None:
                continue
            if not isinstance(result, list):
                raise LabelStudioError(f"{where}: {key}[{i}].result must be a list")
            if key == "predictions":
                return result, "prediction"
            return result, "accepted" if item.get("completed_by") not in (None, "", 0) else "annotation"
    return [], "nothing"


def task_to_document(task: dict, index: int = 0) -> Document:
    if not isinstance(task, dict):
        raise LabelStudioError(f"task {index + 1}: must be an object, got {type(task).__name__}")
    data = task.get("data")
    if not isinstance(data, dict):
        raise LabelStudioError(f"task {index + 1}: data must be an object with a text")
    text = data.get("text")
    if not isinstance(text, str):
        raise LabelStudioError(f"task {index + 1}: data.text is missing or not a string")
    raw_id = data.get("id") if data.get("id") not in (None, "") else task.get("id")
    if raw_id is not None and not (isinstance(raw_id, str) or _int(raw_id)):
        raise LabelStudioError(f"task {index + 1}: id must be a string or an integer, got {raw_id!r}")
    doc_id = str(raw_id) if raw_id not in (None, "") else f"task{index + 1}"
    where = f"task {doc_id}"
    result, came_from = task_result(task, where)
    predicted = came_from == "prediction"
    accepted = came_from == "accepted"  # a person submitted it in Label Studio: their decision
    default_origin = ORIGIN_MACHINE if predicted else ORIGIN_HUMAN
    status = data.get("status")
    if status is not None and status not in DOC_STATUSES:
        raise LabelStudioError(f"{where}: data.status {status!r} is not one of {', '.join(DOC_STATUSES)}")
    if accepted and status not in ("review", "done"):
        status = "review"
    default_status = {"prediction": "machine", "nothing": "new"}.get(came_from, "review")
    doc = text_document(doc_id, text, status or default_status, from_format="labelstudio")

    regions: dict[str, dict] = {}
    extras: dict[str, dict] = {}
    rels = []
    for i, r in enumerate(result):
        at = f"{where}, result[{i}]"
        if not isinstance(r, dict):
            raise LabelStudioError(f"{at}: must be an object")
        if r.get("type") == "relation":
            rels.append((at, r))
            continue
        value = r.get("value")
        if not isinstance(value, dict):
            raise LabelStudioError(f"{at}: value must be an object")
        rid = r.get("id")
        if not (isinstance(rid, str) and rid) and not _int(rid):
            raise LabelStudioError(f"{at}: a region needs an id (string)")
        rid = str(rid)
        if r.get("type") == "labels" or "labels" in value:
            labels = value.get("labels")
            if not (isinstance(labels, list) and len(labels) == 1 and isinstance(labels[0], str)):
                raise LabelStudioError(f"{at}: value.labels must be a list of one label, got {labels!r}")
            if labels[0].lower() not in LABELS:
                raise LabelStudioError(f"{at}: region {rid} has label {labels[0]!r}; QuoteDesk reads Quote, "
                                       "Speaker and Cue")
            if rid in regions:
                raise LabelStudioError(f"{at}: duplicate region id {rid!r}")
            regions[rid] = r
        else:
            control = r.get("from_name")
            if not isinstance(control, str) or control not in CONTROLS:
                raise LabelStudioError(f"{at}: from_name {control!r} is not a control QuoteDesk reads "
                                       f"({', '.join(['label', *CONTROLS])})")
            rtype, key = CONTROLS[control]
            v = value.get(key)
            if r.get("type") != rtype or not (isinstance(v, list) and len(v) <= 1
                                              and all(isinstance(x, str) for x in v)):
                raise LabelStudioError(f"{at}: {control} must be a {rtype} result whose value.{key} is a list "
                                       "of one string")
            if control in extras.get(rid, {}):
                raise LabelStudioError(f"{at}: region {rid} has two {control} results")
            extras.setdefault(rid, {})[control] = v[0] if v else None

    for rid, found in extras.items():
        if rid not in regions:
            raise LabelStudioError(f"{where}: {', '.join(found)} given for region {rid!r}, which is not a "
                                   "labelled region of the task")

    def extra(rid, control):
        return extras.get(rid, {}).get(control)

    kind_of = {}
    obj_of: dict[str, str] = {}
    entity_by_name: dict[str, str] = {}
    ordered = sorted(regions.items(), key=lambda kv: (kv[1]["value"].get("start") if _int(kv[1]["value"].get("start"))
                                                      else 0, kv[0]))
    for rid, r in ordered:
        kind = LABELS[r["value"]["labels"][0].lower()]
        at = f"{where}, region {rid}"
        s, e = _span(text, r["value"], at)
        note = _note(r)
        if accepted:
            origin = ORIGIN_HUMAN
        else:
            origin = note.get("origin") if note.get("origin") in (ORIGIN_HUMAN, ORIGIN_MACHINE) else default_origin
        pool = {"quote": doc.quotes, "mention": doc.mentions, "cue": doc.cues}[kind]
        oid = note.get("id")
        if not isinstance(oid, str) or not oid or oid in pool:
            oid = doc.new_id(kind[0])
        kind_of[rid], obj_of[rid] = kind, oid
        if kind == "quote":
            qtype = extra(rid, "quote_type")
            if qtype is not None and qtype not in QUOTE_TYPES:
                raise LabelStudioError(f"{at}: quote_type {qtype!r} is not one of {', '.join(QUOTE_TYPES)}")
            conf = note.get("confidence", r.get("score", 1.0))
            if not isinstance(conf, (int, float)) or isinstance(conf, bool) or not 0.0 <= conf <= 1.0:
                conf = 1.0
            reviewed = True if accepted else note.get("reviewed", not predicted)
            doc.quotes[oid] = Quote(oid, s, e, qtype or "unknown",
                                    rule=note.get("rule") if isinstance(note.get("rule"), str) else "",
                                    confidence=float(conf), origin=origin,
                                    reviewed=reviewed if isinstance(reviewed, bool) else not predicted,
                                    group=extra(rid, "group") or None)
        elif kind == "mention":
            name = extra(rid, "entity")
            ent = note.get("entity") if isinstance(note.get("entity"), str) and note.get("entity") else None
            if name is None:
                name = " ".join(text[s:e].split())
            if ent is None:
                ent = entity_by_name.get(name)
            if ent is None or (ent in doc.entities and doc.entities[ent].name != name):
                ent = doc.new_id("e")
            if ent not in doc.entities:
                ekind = note.get("entity_kind")
                doc.entities[ent] = Entity(ent, name, ekind if isinstance(ekind, str) else "unknown")
            entity_by_name.setdefault(name, ent)
            mkind = note.get("kind")
            doc.mentions[oid] = Mention(oid, s, e, ent, mkind if isinstance(mkind, str) else "name", origin)
        else:
            doc.cues[oid] = Cue(oid, s, e, origin)

    for at, rel in rels:
        a, b = rel.get("from_id"), rel.get("to_id")
        labels = rel.get("labels", [])
        if not isinstance(labels, list) or len(labels) > 1 or not all(isinstance(x, str) for x in labels):
            raise LabelStudioError(f"{at}: a relation's labels must be a list of at most one label")
        label = labels[0].lower() if labels else ""
        for end, rid in (("from_id", a), ("to_id", b)):
            if not (isinstance(rid, str) or _int(rid)) or str(rid) not in kind_of:
                raise LabelStudioError(f"{at}: relation {end} {rid!r} is not a region of the task")
        a, b = str(a), str(b)
        kinds = {kind_of[a], kind_of[b]}
        if label and label not in RELATIONS:
            raise LabelStudioError(f"{at}: relation label {labels[0]!r}; QuoteDesk reads {', '.join(RELATIONS)}")
        if kinds not in ([RELATIONS[label]] if label else list(RELATIONS.values())):
            raise LabelStudioError(f"{at}: relation {labels[0] if labels else '(unlabelled)'} between a "
                                   f"{kind_of[a]} and a {kind_of[b]}; said_by links a quote and a speaker, "
                                   "cue_of a cue and a quote")
        if kinds == {"quote", "mention"}:
            q, m = (a, b) if kind_of[a] == "quote" else (b, a)
            _link(doc.quotes[obj_of[q]], "mention", obj_of[m])
        else:
            q, c = (a, b) if kind_of[a] == "quote" else (b, a)
            _link(doc.quotes[obj_of[q]], "cue", obj_of[c])
    return checked(doc, LabelStudioError, where)


def _link(q: Quote, kind: str, oid: str) -> None:
    main, extra = ("mention", "extra_mentions") if kind == "mention" else ("cue", "extra_cues")
    if getattr(q, main) is None:
        setattr(q, main, oid)
    elif getattr(q, main) != oid and oid not in getattr(q, extra):
        getattr(q, extra).append(oid)


def read_labelstudio(path) -> Iterator[Document]:
    """The tasks of a Label Studio JSON export (a list of tasks, or one task); a folder is read
    through the tasks.json QuoteDesk writes into it."""
    path = Path(path)
    if path.is_dir():
        if not (path / TASKS_NAME).is_file():
            raise LabelStudioError(f"{path}: a folder without {TASKS_NAME}; give the Label Studio JSON file")
        path = path / TASKS_NAME
    with open(path, encoding="utf-8") as f:
        try:
            data = json.load(f)
        except RecursionError:
            raise LabelStudioError(f"{path}: JSON nested too deeply to be a Label Studio export") from None
    data = clean_json(data, str(path))
    tasks = data if isinstance(data, list) else [data]
    for i, task in enumerate(tasks):
        try:
            yield task_to_document(task, i)
        except LabelStudioError as e:
            raise LabelStudioError(f"{path}: {e}") from None
