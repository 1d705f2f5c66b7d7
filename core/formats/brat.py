"""brat standoff: ``<id>.txt`` (the article, exactly) and ``<id>.ann`` with Quote / Speaker / Cue spans.

Offsets: brat reads the .txt as UTF-8 and counts Unicode code points, which are Python ``str``
indices, so article offsets are written as they are.  The .txt is written byte for byte (no
newline translation, no BOM), so CRLF never shifts anything.

A span's text may not hold a newline in brat (one annotation a line), so a span that crosses a
line break is written as fragments split at the newlines (``10 40;42 80``); parts of one
discontinuous quote (a ``group``) become fragments of one ``Quote`` annotation.  Links:
``R SaidBy Arg1:<quote> Arg2:<speaker>``, ``R CueOf Arg1:<cue> Arg2:<quote>``, ``R Coref`` from an
entity's first mention to each of its others (no ``*`` lines: INCEpTION's brat reader and pybrat
refuse them; old files holding ``* Coref`` lines are still read), ``A QuoteType`` for the type.  An ``AnnotatorNotes`` line on each span
keeps what brat has no place for (ids, rule, confidence, the exact parts of a group) after a
``qd:`` marker; the reader uses it only while it still agrees with the spans, so edits made in
brat win.  Files from elsewhere (no notes) are read from spans and relations alone; PolNeAR-style
``E Attribution`` events are read too.  What QuoteDesk cannot represent (an unknown label,
relation or attribute, a repeated id, a link to an id the file lacks, a line that is not brat) is
refused with the file and line, never dropped.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from ..atomic import atomic_write_bytes, atomic_write_text, json_dumps
from ..safe_paths import file_stem
from ..model import DOC_STATUSES, ORIGIN_HUMAN, ORIGIN_MACHINE, QUOTE_TYPES, Cue, Document, Entity, Mention, Quote
from . import checked, resource_bytes, text_document, utf8_safe

CONF_FILES = ("annotation.conf", "visual.conf")
# brat lists only .txt/.ann pairs; this file keeps what a file name cannot (the exact document id,
# its review status and source).
MANIFEST = "quotedesk-documents.json"
NOTE_MARK = "qd:"


class BratError(ValueError):
    """An .ann file that does not fit its .txt (a span outside the text, or text that differs)."""


# -- fragments ---------------------------------------------------------------------------------

def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``start``-``end`` cut at line breaks, as brat needs (empty pieces dropped)."""
    out, s = [], start
    for i in range(start, end):
        if text[i] in "\n\r":
            if i > s:
                out.append((s, i))
            s = i + 1
    if end > s:
        out.append((s, end))
    return out


def fragment_text(text: str, frags) -> str:
    return " ".join(text[s:e] for s, e in frags)


def _merge_line_breaks(text: str, frags: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join fragments separated only by whitespace holding a line break: one span brat had to cut."""
    out: list[list[int]] = []
    for s, e in sorted(frags):
        if out:
            gap = text[out[-1][1]:s]
            if s >= out[-1][1] and gap and not gap.strip() and ("\n" in gap or "\r" in gap):
                out[-1][1] = max(out[-1][1], e)
                continue
        out.append([s, e])
    return [(s, e) for s, e in out]


def safe_name(doc_id: str) -> str:
    """A file stem for ``doc_id`` that stays inside the output folder (core/safe_paths' rule)."""
    return file_stem(doc_id)


def unique_stems(docs) -> list[str]:
    """One file stem per document, distinct even on a case-insensitive file system."""
    used: set[str] = set()
    out = []
    for doc in docs:
        base = stem = safe_name(doc.id)
        k = 1
        while stem.casefold() in used:
            k += 1
            stem = f"{base}-{k}"
        used.add(stem.casefold())
        out.append(stem)
    return out


# -- writing -----------------------------------------------------------------------------------

def _note(summary: str, data: dict) -> str:
    payload = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    # The summary is for people reading the note in brat: one line of UTF-8 (a speaker's name may
    # hold a line break or a lone surrogate); the exact values ride in the JSON payload.
    summary = re.sub(r"[\ud800-\udfff]", "\ufffd", " ".join(summary.split()))
    return f"{summary} | {NOTE_MARK}{payload}" if summary else NOTE_MARK + payload


def _bundles(doc: Document) -> list[list[Quote]]:
    """Quotes grouped into one brat annotation each: parts of a group that share their links and
    follow one another without overlapping; every other quote alone."""
    by_key: dict = {}
    order: list = []
    for q in doc.sorted_quotes():
        key = (q.group, q.mention, tuple(q.extra_mentions), q.cue, tuple(q.extra_cues)) if q.group else ("", q.id)
        if key not in by_key:
            by_key[key] = []
            order.append(key)
        by_key[key].append(q)
    out = []
    for key in order:
        parts = by_key[key]
        if all(b.start >= a.end for a, b in zip(parts, parts[1:])):
            out.append(parts)
        else:
            out.extend([p] for p in parts)
    return out


def document_to_ann(doc: Document) -> str:
    text = doc.article
    lines: list[str] = []
    t_of: dict[tuple[str, str], str] = {}
    items = []  # (start, order, kind, payload)
    for parts in _bundles(doc):
        items.append((parts[0].start, 0, "quote", parts))
    for m in doc.mentions.values():
        items.append((m.start, 1, "mention", m))
    for c in doc.cues.values():
        items.append((c.start, 2, "cue", c))
    items.sort(key=lambda x: (x[0], x[1]))
    notes: list[tuple[str, str]] = []
    attrs: list[tuple[str, str, str]] = []
    for n, (_, _, kind, obj) in enumerate(items, 1):
        tid = f"T{n}"
        if kind == "quote":
            frags = [f for q in obj for f in fragments(text, q.start, q.end)]
            label = "Quote"
            for q in obj:
                t_of[("quote", q.id)] = tid
            parts = [{"id": q.id, "start": q.start, "end": q.end, "type": q.type, "rule": q.rule,
                      "confidence": q.confidence, "origin": q.origin, "reviewed": q.reviewed,
                      "group": q.group} for q in obj]
            q0 = obj[0]
            summary = f"{q0.type}" + (f", rule {q0.rule}" if q0.rule else "") + f", confidence {q0.confidence:.2f}"
            notes.append((tid, _note(summary, {"parts": parts})))
            attrs.append((tid, "QuoteType", q0.type))
            if q0.origin == ORIGIN_MACHINE and not q0.reviewed:
                attrs.append((tid, "Suggested", ""))
        elif kind == "mention":
            frags = fragments(text, obj.start, obj.end)
            label = "Speaker"
            t_of[("mention", obj.id)] = tid
            ent = doc.entities.get(obj.entity) if obj.entity else None
            data = {"id": obj.id, "kind": obj.kind, "origin": obj.origin, "entity": obj.entity}
            if ent is not None:
                data.update(name=ent.name, entity_kind=ent.kind)
            notes.append((tid, _note(ent.name if ent else "", data)))
        else:
            frags = fragments(text, obj.start, obj.end)
            label = "Cue"
            t_of[("cue", obj.id)] = tid
            notes.append((tid, _note("", {"id": obj.id, "origin": obj.origin})))
        if not frags:  # a span of line breaks only: brat cannot show it; a zero-width mark keeps its place
            at = obj[0].start if kind == "quote" else obj.start
            frags = [(at, at)]
        offs = ";".join(f"{s} {e}" for s, e in frags)
        lines.append(f"{tid}\t{label} {offs}\t{fragment_text(text, frags)}")
    r = 0
    done = set()
    for parts in _bundles(doc):
        q = parts[0]
        qt = t_of[("quote", q.id)]
        for mid in [q.mention, *q.extra_mentions]:
            if mid and ("SaidBy", qt, mid) not in done:
                done.add(("SaidBy", qt, mid))
                r += 1
                lines.append(f"R{r}\tSaidBy Arg1:{qt} Arg2:{t_of[('mention', mid)]}\t")
        for cid in [q.cue, *q.extra_cues]:
            if cid and ("CueOf", qt, cid) not in done:
                done.add(("CueOf", qt, cid))
                r += 1
                lines.append(f"R{r}\tCueOf Arg1:{t_of[('cue', cid)]} Arg2:{qt}\t")
    # Mentions of one entity as Coref relations from its first mention to each other one: brat's
    # `*` equivalence lines would be shorter, but INCEpTION's brat reader and pybrat refuse them.
    members_of: dict[str, list[str]] = {}
    for m in doc.mentions.values():
        if m.entity:
            members_of.setdefault(m.entity, []).append(t_of[("mention", m.id)])
    for ent in doc.entities.values():
        members = sorted(members_of.get(ent.id, []), key=lambda t: int(t[1:]))
        for other in members[1:]:
            r += 1
            lines.append(f"R{r}\tCoref Arg1:{members[0]} Arg2:{other}\t")
    for n, (tid, name, value) in enumerate(attrs, 1):
        lines.append(f"A{n}\t{name} {tid}" + (f" {value}" if value else ""))
    for n, (tid, note) in enumerate(notes, 1):
        lines.append(f"#{n}\tAnnotatorNotes {tid}\t{note}")
    return "\n".join(lines) + "\n"


def write_brat(docs: Iterable[Document], folder) -> list[Path]:
    """Write ``<id>.txt`` + ``<id>.ann`` per document and the brat configuration into ``folder``."""
    folder = Path(folder)
    confs = {name: resource_bytes(f"brat/{name}") for name in CONF_FILES}  # before writing anything
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in confs.items():
        atomic_write_bytes(folder / name, data)
    docs = list(docs)
    written, manifest = [], {}
    for doc, stem in zip(docs, unique_stems(docs)):
        # brat files are plain UTF-8: a lone surrogate becomes U+FFFD in both (offsets unchanged)
        atomic_write_text(folder / f"{stem}.txt", utf8_safe(doc.article))
        atomic_write_text(folder / f"{stem}.ann", utf8_safe(document_to_ann(doc)))
        written.append(folder / f"{stem}.ann")
        manifest[stem] = {"id": doc.id, "status": doc.status, "source": doc.source}
    atomic_write_text(folder / MANIFEST, json_dumps({"format": "quotedesk-brat", "documents": manifest}, indent=1))
    return written


def _manifest(folder: Path) -> dict:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        docs = data.get("documents")
        return docs if isinstance(docs, dict) else {}
    except (OSError, ValueError, AttributeError, RecursionError):
        return {}


# -- reading -----------------------------------------------------------------------------------

@dataclass
class _T:
    id: str
    label: str
    frags: list
    text: str
    note: dict = field(default_factory=dict)


def _parse_note(text: str) -> dict:
    i = text.find(NOTE_MARK)
    if i < 0:
        return {}
    try:
        data = json.loads(text[i + len(NOTE_MARK):])
    except (json.JSONDecodeError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


# What each T label means to QuoteDesk (PolNeAR's event labels included); any other label is refused.
LABELS = {"quote": "quote", "speaker": "speaker", "cue": "cue",
          "content": "quote", "source": "speaker", "attribution": "cue"}
RELATIONS = {"SaidBy": ("quote", "speaker"), "CueOf": ("cue", "quote"), "Coref": ("speaker", "speaker")}
ATTRIBUTES = ("QuoteType", "Suggested")
EVENT_ROLES = ("content", "source", "cue")
_ID = re.compile(r"^([TREAMN#])\d+$")


def _short(name: str) -> str:
    """A type name without a package prefix (``custom.Quote`` -> ``Quote``), as some tools write them."""
    return name.rsplit(".", 1)[-1]



def parse_ann(ann: str, text: str, where: str = "<ann>") -> dict:
    """The annotations of an .ann file, checked against the .txt: every T's text must equal the text
    at its offsets (fragments joined by one space), as brat itself requires.  Anything QuoteDesk
    cannot represent is refused naming the line: a malformed or unknown line, a repeated id, an
    unknown label, relation or attribute, a reference to an id the file does not hold."""
    ts: dict[str, _T] = {}
    rels, events, corefs, attrs, notes = [], [], [], [], []
    first_line: dict[str, int] = {}
    refs: list[tuple[int, str]] = []  # (line, id) every reference, checked once all T lines are known

    def bad(n, msg):
        raise BratError(f"{where}, line {n}: {msg}")

    # Only \n ends a line (str.splitlines would also cut at U+2028 and friends inside a span's text).
    for n, line in enumerate(ann.split("\n"), 1):
        line = line[:-1] if line.endswith("\r") else line
        if not line.strip():
            continue
        cols = line.split("\t")
        ident = cols[0]
        body = cols[1] if len(cols) > 1 else ""
        m = _ID.match(ident)
        if ident != "*" and not m:
            bad(n, f"not a brat annotation line (it should start with an id such as T1, R1, E1, A1 or #1): "
                   f"{line[:40]!r}")
        if ident != "*":
            if ident in first_line:
                bad(n, f"duplicate id {ident} (already used on line {first_line[ident]})")
            first_line[ident] = n
        kind = m.group(1) if m else "*"
        parts = body.split()
        if kind == "T":
            if len(cols) < 3:
                bad(n, "a T line needs id, type and offsets, and text")
            label, _, offs = body.partition(" ")
            label = _short(label)
            if label.lower() not in LABELS:
                bad(n, f"{ident} has label {label!r}; QuoteDesk reads Quote, Speaker and Cue "
                       "(or PolNeAR's Content, Source and Attribution)")
            frags = []
            for piece in offs.split(";"):
                try:
                    s, e = (int(x) for x in piece.split())
                except ValueError:
                    bad(n, f"bad offsets {offs!r}")
                if not 0 <= s <= e <= len(text):
                    bad(n, f"{ident} span {s}-{e} is outside the text (length {len(text)})")
                frags.append((s, e))
            span_text = "\t".join(cols[2:])
            if fragment_text(text, frags) != span_text:
                bad(n, f"{ident} text {span_text[:40]!r} differs from the .txt at "
                       f"{offs} ({fragment_text(text, frags)[:40]!r})")
            ts[ident] = _T(ident, label, frags, span_text)
        elif kind == "R":
            # Two role:id arguments, Arg1 then Arg2 as brat writes them (another tool's role names,
            # such as Governor/Dependent, are taken in the same order).
            args = [p.split(":", 1) for p in parts[1:]]
            if len(parts) != 3 or not all(len(a) == 2 and a[0] and a[1] for a in args) or args[0][0] == args[1][0]:
                bad(n, f"a relation needs a type, Arg1:<id> and Arg2:<id>: {body[:40]!r}")
            rel = _short(parts[0])
            if rel not in RELATIONS:
                bad(n, f"{ident} is a {parts[0]!r} relation; QuoteDesk reads {', '.join(RELATIONS)}")
            refs += [(n, args[0][1]), (n, args[1][1])]
            rels.append((rel, args[0][1], args[1][1], n))
        elif kind == "E":
            roles = [tuple(p.split(":", 1)) for p in parts]
            if not roles or any(len(r) != 2 or not r[1] for r in roles):
                bad(n, f"an event needs <type>:<trigger id> and role:<id> arguments: {body[:40]!r}")
            for role, tid in roles[1:]:
                if re.sub(r"\d+$", "", role).lower() not in EVENT_ROLES:
                    bad(n, f"{ident} has role {role!r}; QuoteDesk reads Content, Source and Cue")
            refs += [(n, tid) for _, tid in roles]
            events.append((roles, n))
        elif kind == "*":
            if len(parts) < 3 or parts[0] != "Coref":
                bad(n, f"QuoteDesk reads only '*\tCoref <id> <id> ...' equivalence lines: {body[:40]!r}")
            refs += [(n, tid) for tid in parts[1:]]
            corefs.append(parts[1:])
        elif kind in ("A", "M"):
            if len(parts) not in (2, 3):
                bad(n, f"an attribute needs a name, an id and at most one value: {body[:40]!r}")
            if _short(parts[0]) not in ATTRIBUTES:
                bad(n, f"{ident} is a {parts[0]!r} attribute; QuoteDesk reads {', '.join(ATTRIBUTES)}")
            refs.append((n, parts[1]))
            attrs.append((_short(parts[0]), parts[1], parts[2] if len(parts) > 2 else True))
        elif kind == "#":
            if len(parts) < 2 or parts[0] != "AnnotatorNotes":
                bad(n, f"a note needs 'AnnotatorNotes <id>': {body[:40]!r}")
            refs.append((n, parts[1]))
            notes.append((parts[1], "\t".join(cols[2:])))
        else:  # N: a normalisation (a link to an outside database); QuoteDesk has no place for it
            bad(n, f"{ident} is a normalisation; QuoteDesk has no place for one")
    for n, ref in refs:
        if ref not in ts:
            bad(n, f"refers to {ref}, which is not a text-bound annotation (T line) of this file")
    for rel, a1, a2, n in rels:
        want = RELATIONS[rel]
        got = (LABELS[ts[a1].label.lower()], LABELS[ts[a2].label.lower()])
        if rel != "Coref" and got not in (want, want[::-1]):
            bad(n, f"a {rel} relation links a {want[0].capitalize()} and a {want[1].capitalize()}, "
                   f"not {ts[a1].label} {a1} and {ts[a2].label} {a2}")
        if rel == "Coref" and got != want:
            bad(n, f"a Coref relation links two Speakers, not {ts[a1].label} {a1} and {ts[a2].label} {a2}")
    for target, note in notes:
        ts[target].note = _parse_note(note)
    return {"ts": ts, "rels": [r[:3] for r in rels if r[0] != "Coref"],
            "events": [e for e, _ in events], "corefs": corefs + [[a1, a2] for rel, a1, a2, _ in rels if rel == "Coref"],
            "attrs": attrs}


def _parts_agree(text: str, parts: list[dict], frags: list[tuple[int, int]]) -> bool:
    try:
        spans = [(p["start"], p["end"]) for p in parts]
    except (KeyError, TypeError):
        return False
    if not all(type(s) is int and type(e) is int and 0 <= s <= e <= len(text) for s, e in spans):
        return False  # a note that no longer fits the text: the spans win
    mine = [f for s, e in spans for f in fragments(text, s, e)]
    if not mine and all(s == e for s, e in frags):
        return True
    return sorted(mine) == sorted(frags) or (
        len(parts) == 1 and len(frags) == 1 and (parts[0]["start"], parts[0]["end"]) == frags[0])


def ann_to_document(doc_id: str, text: str, ann: str, source: str | None = None) -> Document:
    parsed = parse_ann(ann, text, source or doc_id)
    ts: dict[str, _T] = parsed["ts"]
    doc = text_document(doc_id, text, "review", source=source, from_format="brat")
    labels = {t.id: LABELS[t.label.lower()] for t in ts.values()}
    # PolNeAR-style events carry the same links as our relations.
    rels = list(parsed["rels"])
    for ev in parsed["events"]:
        roles = {}
        for role, tid in ev[1:]:
            roles.setdefault(re.sub(r"\d+$", "", role).lower(), []).append(tid)
        if "cue" not in roles:  # no Cue argument: the trigger span is the cue
            roles["cue"] = [ev[0][1]]
        else:  # the trigger only anchors the event
            labels[ev[0][1]] = "trigger"
        for role, tids in roles.items():
            for tid in tids:
                if labels[tid] != {"content": "quote", "source": "speaker", "cue": "cue"}[role]:
                    raise BratError(f"{source or doc_id}: event {ev[0][0]}:{ev[0][1]} has {ts[tid].label} {tid} "
                                    f"as its {role}")
        for content in roles.get("content", []):
            rels += [("SaidBy", content, s) for s in roles.get("source", [])]
            rels += [("CueOf", c, content) for c in roles.get("cue", [])]

    # Coreference (old `*` lines and Coref relations alike): speakers joined into one entity each,
    # the entity id a QuoteDesk note gives, else a new one named after the first mention.
    parent = {tid: tid for tid in ts}

    def root(tid):
        while parent[tid] != tid:
            parent[tid] = parent[parent[tid]]
            tid = parent[tid]
        return tid

    for members in parsed["corefs"]:
        for m in members[1:]:
            parent[root(m)] = root(members[0])
    entity_of_root: dict[str, str] = {}
    speakers = sorted((t for t in ts.values() if labels[t.id] == "speaker"), key=lambda t: (t.frags[0], t.id))
    for t in speakers:
        ent_id, name = t.note.get("entity"), t.note.get("name")
        if ent_id and isinstance(ent_id, str) and root(t.id) not in entity_of_root:
            if ent_id not in doc.entities:
                doc.entities[ent_id] = Entity(ent_id, name if isinstance(name, str) else t.text,
                                              t.note.get("entity_kind", "unknown"))
            entity_of_root[root(t.id)] = ent_id
    size: dict[str, int] = {}
    for t in speakers:
        size[root(t.id)] = size.get(root(t.id), 0) + 1
    entity_of_t: dict[str, str] = {}
    for t in speakers:
        r = root(t.id)
        if r not in entity_of_root and size[r] > 1:
            entity_of_root[r] = doc.new_id("e")
            doc.entities[entity_of_root[r]] = Entity(entity_of_root[r], " ".join(t.text.split()))
        if r in entity_of_root:
            entity_of_t[t.id] = entity_of_root[r]

    mention_of_t: dict[str, str] = {}
    cue_of_t: dict[str, str] = {}
    for t in sorted(ts.values(), key=lambda t: t.frags[0]):
        kind = labels[t.id]
        if kind not in ("speaker", "cue"):
            continue
        s, e = min(f[0] for f in t.frags), max(f[1] for f in t.frags)
        if s >= e:
            continue
        pool, prefix = (doc.mentions, "m") if kind == "speaker" else (doc.cues, "c")
        oid = t.note.get("id")
        if not isinstance(oid, str) or not oid or oid in pool:
            oid = doc.new_id(prefix)
        origin = t.note.get("origin") if t.note.get("origin") in (ORIGIN_HUMAN, ORIGIN_MACHINE) else ORIGIN_HUMAN
        if kind == "speaker":
            ent = entity_of_t.get(t.id)
            if ent is None:
                ent = doc.new_id("e")
                doc.entities[ent] = Entity(ent, " ".join(t.text.split()))
            doc.mentions[oid] = Mention(oid, s, e, ent, t.note.get("kind", "name"), origin)
            mention_of_t[t.id] = oid
        else:
            doc.cues[oid] = Cue(oid, s, e, origin)
            cue_of_t[t.id] = oid

    types, suggested = {}, set()
    for name, tid, value in parsed["attrs"]:
        if labels[tid] != "quote":
            raise BratError(f"{source or doc_id}: attribute {name} is set on {ts[tid].label} {tid}; "
                            "it belongs on a Quote")
        if name == "QuoteType":
            if value not in QUOTE_TYPES:
                raise BratError(f"{source or doc_id}: QuoteType of {tid} is {value!r}, not one of "
                                f"{', '.join(QUOTE_TYPES)}")
            types[tid] = value
        elif name == "Suggested":
            suggested.add(tid)
    said = {}
    cued = {}
    for rel, a1, a2 in rels:
        if rel == "SaidBy":
            q, m = (a1, a2) if labels.get(a1) == "quote" else (a2, a1)
            if q in ts and m in mention_of_t and mention_of_t[m] not in said.get(q, []):
                said.setdefault(q, []).append(mention_of_t[m])
        elif rel == "CueOf":
            c, q = (a1, a2) if labels.get(a1) == "cue" else (a2, a1)
            if q in ts and c in cue_of_t and cue_of_t[c] not in cued.get(q, []):
                cued.setdefault(q, []).append(cue_of_t[c])

    for t in sorted(ts.values(), key=lambda t: t.frags[0]):
        if labels[t.id] != "quote":
            continue
        mids, cids = said.get(t.id, []), cued.get(t.id, [])
        parts = t.note.get("parts")
        if not (isinstance(parts, list) and parts and all(isinstance(p, dict) for p in parts)
                and _parts_agree(text, parts, t.frags)):
            merged = _merge_line_breaks(text, [f for f in t.frags if f[1] > f[0]])
            group = t.id if len(merged) > 1 else None
            machine = t.id in suggested  # brat's "Suggested" flag: a machine's quote nobody accepted yet
            parts = [{"start": s, "end": e, "type": types.get(t.id, "unknown"), "group": group,
                      "origin": ORIGIN_MACHINE if machine else ORIGIN_HUMAN, "reviewed": not machine}
                     for s, e in merged]
        for p in parts:
            qid = p.get("id")
            if not isinstance(qid, str) or not qid or qid in doc.quotes:
                qid = doc.new_id("q")
            qtype = p.get("type") if p.get("type") in QUOTE_TYPES else types.get(t.id, "unknown")
            origin = p.get("origin") if p.get("origin") in (ORIGIN_HUMAN, ORIGIN_MACHINE) else ORIGIN_HUMAN
            conf = p.get("confidence", 1.0)
            if isinstance(conf, bool) or not isinstance(conf, (int, float)) or not 0.0 <= conf <= 1.0:
                conf = 1.0  # a note's confidence that no longer makes sense: not worth refusing the file
            doc.quotes[qid] = Quote(qid, int(p["start"]), int(p["end"]), qtype,
                                    mention=mids[0] if mids else None, cue=cids[0] if cids else None,
                                    rule=str(p.get("rule", "") or ""),
                                    confidence=float(conf) if isinstance(conf, (int, float)) else 1.0,
                                    origin=origin, reviewed=bool(p.get("reviewed", True)),
                                    group=p.get("group") if isinstance(p.get("group"), str) else None,
                                    extra_mentions=mids[1:], extra_cues=cids[1:])
    return checked(doc, BratError, source or doc_id)


def read_brat(folder) -> Iterator[Document]:
    """Every ``<name>.ann`` with its ``<name>.txt`` in ``folder`` (sorted by name)."""
    folder = Path(folder)
    manifest = _manifest(folder)
    for ann_path in sorted(folder.glob("*.ann")):
        txt_path = ann_path.with_suffix(".txt")
        if not txt_path.exists():
            raise BratError(f"{ann_path}: no {txt_path.name} beside it")
        # newline="" keeps \r\n as two characters, which is how brat counts them.
        with open(txt_path, encoding="utf-8", newline="") as f:
            text = f.read()
        with open(ann_path, encoding="utf-8", newline="") as f:
            ann = f.read()
        doc = ann_to_document(ann_path.stem, text, ann, source=str(ann_path))
        entry = manifest.get(ann_path.stem)
        if isinstance(entry, dict):
            if isinstance(entry.get("id"), str) and entry["id"]:
                doc.id = entry["id"]
            if entry.get("status") in DOC_STATUSES:
                doc.status = entry["status"]
            if isinstance(entry.get("source"), str):
                doc.source = entry["source"]
        yield doc
