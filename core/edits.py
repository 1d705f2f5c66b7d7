"""Annotation edits that return their exact inverse, and the gesture builders that compose them.

Every change to a Document's annotations goes through an ``Edit``: ``apply(doc)`` validates
first (raising ``EditError`` before touching anything), performs the change and returns the edit
that undoes it.  Undo re-inserts removed objects at their original dict position, so a sequence
of edits followed by its inverses leaves the document exactly equal, dict order included.

Gesture builders look at the document and return the list of primitive edits a user gesture
needs (the cascade); they never mutate the document themselves.
"""
from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field

from .model import (DOC_STATUSES, ORIGIN_HUMAN, ORIGIN_MACHINE, QUOTE_TYPES, Cue, Document, Entity,
                    Mention, Quote)

ORIGINS = (ORIGIN_MACHINE, ORIGIN_HUMAN)
# kind -> the Document dict holding objects of that kind
KINDS = {"quote": "quotes", "mention": "mentions", "cue": "cues", "entity": "entities"}
# kind -> the quote fields that link to it: the main one and the list of further ones
_LINK_FIELDS = {"mention": ("mention", "extra_mentions"), "cue": ("cue", "extra_cues")}
PRONOUNS = frozenset("he she they it we i you him her them his hers their its".split())


class EditError(ValueError):
    """An edit that cannot be applied; raised before the document changes."""


# -- validation helpers ------------------------------------------------------------------------

def _pool(doc: Document, kind: str) -> dict:
    if kind not in KINDS:
        raise EditError(f"unknown kind {kind!r} (expected one of {', '.join(KINDS)})")
    return getattr(doc, KINDS[kind])


def _get(doc: Document, kind: str, id: str):
    pool = _pool(doc, kind)
    if id not in pool:
        raise EditError(f"{kind} {id!r} does not exist")
    return pool[id]


def check_span(doc: Document, start, end, what: str) -> None:
    """Raise EditError unless ``0 <= start < end <= len(doc.article)`` with int offsets."""
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
        raise EditError(f"{what}: offsets must be integers, got {start!r}-{end!r}")
    n = len(doc.article)
    if not 0 <= start < end <= n:
        if start >= end:
            raise EditError(f"{what}: span {start}-{end} is empty or reversed (start must be < end)")
        raise EditError(f"{what}: span {start}-{end} is not inside the article (length {n})")


def _check_object(doc: Document, kind: str, obj) -> None:
    """Validate one object's own fields and its links against ``doc``."""
    what = f"{kind} {obj.id}"
    if not isinstance(obj.id, str) or not obj.id:
        raise EditError(f"{kind}: id must be a non-empty string, got {obj.id!r}")
    if kind != "entity":
        check_span(doc, obj.start, obj.end, what)
        if obj.origin not in ORIGINS:
            raise EditError(f"{what}: origin {obj.origin!r} is not one of {', '.join(ORIGINS)}")
    if kind == "quote":
        if obj.type not in QUOTE_TYPES:
            raise EditError(f"{what}: type {obj.type!r} is not one of {', '.join(QUOTE_TYPES)}")
        if obj.mention is not None and obj.mention not in doc.mentions:
            raise EditError(f"{what}: speaker mention {obj.mention!r} does not exist")
        if obj.cue is not None and obj.cue not in doc.cues:
            raise EditError(f"{what}: cue {obj.cue!r} does not exist")
        for m in getattr(obj, "extra_mentions", ()):
            if m not in doc.mentions:
                raise EditError(f"{what}: extra speaker mention {m!r} does not exist")
        for c in getattr(obj, "extra_cues", ()):
            if c not in doc.cues:
                raise EditError(f"{what}: extra cue {c!r} does not exist")
        if not isinstance(obj.reviewed, bool):
            raise EditError(f"{what}: reviewed must be true or false, got {obj.reviewed!r}")
    elif kind == "mention":
        if obj.entity is not None and obj.entity not in doc.entities:
            raise EditError(f"{what}: entity {obj.entity!r} does not exist")
    elif kind == "entity":
        if not isinstance(obj.name, str):
            raise EditError(f"{what}: name must be a string")


def _quotes_linking(doc: Document, kind: str, id: str) -> list[Quote]:
    """The quotes whose speaker (kind "mention") or cue (kind "cue"), main or further, is ``id``."""
    main, extra = _LINK_FIELDS[kind]
    return [q for q in doc.quotes.values() if getattr(q, main) == id or id in getattr(q, extra, ())]


def _users(doc: Document, kind: str, id: str) -> list[str]:
    """Descriptions of the objects that link to ``kind`` ``id`` (what would dangle if it went)."""
    if kind in _LINK_FIELDS:
        return [f"quote {q.id}" for q in _quotes_linking(doc, kind, id)]
    if kind == "entity":
        return [f"mention {m.id}" for m in doc.mentions.values() if m.entity == id]
    return []


def _insert_at(pool: dict, key: str, value, index: int | None) -> None:
    if index is None or index >= len(pool):
        pool[key] = value
        return
    items = list(pool.items())
    items.insert(max(index, 0), (key, value))
    pool.clear()
    pool.update(items)


# -- what an edit touches -------------------------------------------------------------------------

@dataclass
class OpChanges:
    """What applying some edits touched, as Anki's operations report it: (kind, id) pairs of the
    quotes, mentions, cues and entities added, removed or changed, and whether the document's
    status changed. Views refresh from this instead of inspecting the edits."""
    added: set = field(default_factory=set)
    removed: set = field(default_factory=set)
    changed: set = field(default_factory=set)
    status: bool = False

    def merge(self, other: "OpChanges") -> "OpChanges":
        self.added |= other.added
        self.removed |= other.removed
        self.changed |= other.changed
        self.status = self.status or other.status
        return self

    @property
    def touched(self) -> set:
        """Every (kind, id) whose object may have appeared, gone, moved or changed."""
        return self.added | self.removed | self.changed

    def of_kind(self, kind: str) -> set:
        return {i for k, i in self.touched if k == kind}

    def first_added(self, kind: str, edits=None) -> str | None:
        """The id of the first ``kind`` object added (in the order of ``edits`` when given)."""
        if edits is not None:
            for e in _flatten(edits):
                if isinstance(e, _Add) and e.kind == kind:
                    return e.obj.id
            return None
        return next((i for k, i in sorted(self.added) if k == kind), None)


def _flatten(edits):
    for e in edits:
        if isinstance(e, Composite):
            yield from _flatten(e.edits)
        else:
            yield e


def changes_of(edits) -> OpChanges:
    """The union of what ``edits`` touch (the same for the edits and for their inverses)."""
    out = OpChanges()
    for e in edits:
        out.merge(e.op_changes())
    return out


# -- primitive edits ----------------------------------------------------------------------------

class Edit:
    """Base class: ``apply(doc)`` performs the change and returns the exact inverse edit;
    ``op_changes()`` says what it touches."""
    description: str = ""

    def apply(self, doc: Document) -> "Edit":  # pragma: no cover - abstract
        raise NotImplementedError

    def op_changes(self) -> OpChanges:  # pragma: no cover - abstract
        raise NotImplementedError


class _Add(Edit):
    """Insert an object (at ``index`` when undoing a removal, else at the end)."""
    kind = ""
    index: int | None = None

    @property
    def obj(self):
        return getattr(self, self.kind)

    def apply(self, doc: Document) -> Edit:
        pool = _pool(doc, self.kind)
        obj = self.obj
        if obj.id in pool:
            raise EditError(f"{self.kind} {obj.id!r} already exists")
        _check_object(doc, self.kind, obj)
        # A copy, so the edit kept on an undo stack never aliases the live object.
        _insert_at(pool, obj.id, copy.deepcopy(obj), self.index)
        return _REMOVE[self.kind](obj.id, description=self.description)

    def op_changes(self) -> OpChanges:
        return OpChanges(added={(self.kind, self.obj.id)})


class _Remove(Edit):
    """Remove an object that nothing links to any more."""
    kind = ""
    id: str

    def apply(self, doc: Document) -> Edit:
        pool = _pool(doc, self.kind)
        if self.id not in pool:
            raise EditError(f"{self.kind} {self.id!r} does not exist")
        users = _users(doc, self.kind, self.id)
        if users:
            raise EditError(f"{self.kind} {self.id} is still used by {', '.join(users[:5])}"
                            + (" ..." if len(users) > 5 else ""))
        index = list(pool).index(self.id)
        obj = pool.pop(self.id)
        return _ADD[self.kind](obj, index=index, description=self.description)

    def op_changes(self) -> OpChanges:
        return OpChanges(removed={(self.kind, self.id)})


@dataclass
class AddQuote(_Add):
    quote: Quote
    index: int | None = None
    description: str = "Add quote"
    kind = "quote"


@dataclass
class RemoveQuote(_Remove):
    id: str
    description: str = "Remove quote"
    kind = "quote"


@dataclass
class AddMention(_Add):
    mention: Mention
    index: int | None = None
    description: str = "Add speaker mention"
    kind = "mention"


@dataclass
class RemoveMention(_Remove):
    id: str
    description: str = "Remove speaker mention"
    kind = "mention"


@dataclass
class AddCue(_Add):
    cue: Cue
    index: int | None = None
    description: str = "Add cue"
    kind = "cue"


@dataclass
class RemoveCue(_Remove):
    id: str
    description: str = "Remove cue"
    kind = "cue"


@dataclass
class AddEntity(_Add):
    entity: Entity
    index: int | None = None
    description: str = "Add entity"
    kind = "entity"


@dataclass
class RemoveEntity(_Remove):
    id: str
    description: str = "Remove entity"
    kind = "entity"


_ADD = {"quote": AddQuote, "mention": AddMention, "cue": AddCue, "entity": AddEntity}
_REMOVE = {"quote": RemoveQuote, "mention": RemoveMention, "cue": RemoveCue, "entity": RemoveEntity}


@dataclass
class SetFields(Edit):
    """Set fields of one quote, mention, cue or entity; the inverse restores the old values."""
    kind: str
    id: str
    changes: dict
    description: str = "Change"

    def apply(self, doc: Document) -> Edit:
        obj = _get(doc, self.kind, self.id)
        names = {f.name for f in dataclasses.fields(obj)}
        for name in self.changes:
            if name not in names or name == "id":
                raise EditError(f"{self.kind} {self.id}: cannot set field {name!r}")
        trial = dataclasses.replace(obj, **copy.deepcopy(self.changes))
        _check_object(doc, self.kind, trial)
        old = {name: copy.deepcopy(getattr(obj, name)) for name in self.changes}
        for name, value in self.changes.items():
            setattr(obj, name, copy.deepcopy(value))
        return SetFields(self.kind, self.id, old, description=self.description)

    def op_changes(self) -> OpChanges:
        return OpChanges(changed={(self.kind, self.id)})


@dataclass
class SetDocStatus(Edit):
    status: str
    description: str = "Set document status"

    def apply(self, doc: Document) -> Edit:
        if self.status not in DOC_STATUSES:
            raise EditError(f"status {self.status!r} is not one of {', '.join(DOC_STATUSES)}")
        old = doc.status
        doc.status = self.status
        return SetDocStatus(old, description=self.description)

    def op_changes(self) -> OpChanges:
        return OpChanges(status=True)


@dataclass
class Composite(Edit):
    """Several edits as one: applied in order, all or nothing."""
    edits: list = field(default_factory=list)
    description: str = "Edit"

    def apply(self, doc: Document) -> Edit:
        inverses = apply_all(doc, self.edits)
        return Composite(inverses, self.description)

    def op_changes(self) -> OpChanges:
        return changes_of(self.edits)


def apply_all(doc: Document, edits) -> list[Edit]:
    """Apply ``edits`` in order and return their inverses in undo order.

    If one fails, those already applied are undone before the EditError propagates, so the
    document is left as it was."""
    done: list[Edit] = []
    try:
        for e in edits:
            done.append(e.apply(doc))
    except Exception:
        for inv in reversed(done):
            inv.apply(doc)
        raise
    done.reverse()
    return done


# -- gesture builders ---------------------------------------------------------------------------

def _check_type(type: str) -> None:
    if type not in QUOTE_TYPES:
        raise EditError(f"quote type {type!r} is not one of {', '.join(QUOTE_TYPES)}")


def mark_quote(doc: Document, start: int, end: int, type: str = "direct", mention: str | None = None,
               cue: str | None = None) -> list[Edit]:
    """A new quote made by a person."""
    check_span(doc, start, end, "new quote")
    _check_type(type)
    if mention is not None:
        _get(doc, "mention", mention)
    if cue is not None:
        _get(doc, "cue", cue)
    q = Quote(id=doc.new_id("q"), start=start, end=end, type=type, mention=mention, cue=cue,
              rule="manual", confidence=1.0, origin=ORIGIN_HUMAN, reviewed=True)
    return [AddQuote(q, description="Mark quote")]


def add_fragment(doc: Document, quote_id: str, start: int, end: int) -> list[Edit]:
    """A further part of a discontinuous quote ('“We will,” she said, “stay open.”'): a new quote
    over [start, end) with the same type, speaker and cue, in the same group as ``quote_id``
    (which joins a new group when it had none)."""
    q = _get(doc, "quote", quote_id)
    check_span(doc, start, end, "new fragment")
    if start < q.end and q.start < end:
        raise EditError("a fragment cannot overlap the quote it continues")
    edits: list[Edit] = []
    group = q.group
    if group is None:
        taken = {o.group for o in doc.quotes.values() if o.group}
        n = 1
        while f"g{n}" in taken:
            n += 1
        group = f"g{n}"
        edits.append(SetFields("quote", quote_id, {"group": group}, description="Add fragment"))
    part = Quote(id=doc.new_id("q"), start=start, end=end, type=q.type, mention=q.mention, cue=q.cue,
                 rule="manual", confidence=1.0, origin=ORIGIN_HUMAN, reviewed=True, group=group,
                 extra_mentions=list(q.extra_mentions), extra_cues=list(q.extra_cues))
    edits.append(AddQuote(part, description="Add fragment"))
    return edits


def mark_mention(doc: Document, start: int, end: int, entity: str | None = None,
                 new_entity_name: str | None = None) -> list[Edit]:
    """A new speaker mention; without ``entity`` a new entity (named after the text) is made too."""
    check_span(doc, start, end, "new speaker mention")
    text = doc.article[start:end]
    edits: list[Edit] = []
    if entity is None:
        entity = doc.new_id("e")
        name = new_entity_name if new_entity_name else " ".join(text.split())
        edits.append(AddEntity(Entity(id=entity, name=name), description="Mark speaker"))
    else:
        _get(doc, "entity", entity)
    kind = "pronoun" if text.strip().casefold() in PRONOUNS else "name"
    m = Mention(id=doc.new_id("m"), start=start, end=end, entity=entity, kind=kind, origin=ORIGIN_HUMAN)
    edits.append(AddMention(m, description="Mark speaker"))
    return edits


def mark_cue(doc: Document, start: int, end: int, quote: str | None = None) -> list[Edit]:
    check_span(doc, start, end, "new cue")
    if quote is not None:
        _get(doc, "quote", quote)
    c = Cue(id=doc.new_id("c"), start=start, end=end, origin=ORIGIN_HUMAN)
    edits: list[Edit] = [AddCue(c, description="Mark cue")]
    if quote is not None:
        edits.append(SetFields("quote", quote, {"cue": c.id}, description="Mark cue"))
    return edits


def delete_quote(doc: Document, quote_id: str) -> list[Edit]:
    _get(doc, "quote", quote_id)
    return [RemoveQuote(quote_id, description="Delete quote")]


def _unlink_from_quotes(doc: Document, kind: str, id: str, replacement: str | None,
                        description: str) -> list[Edit]:
    """Edits that stop quotes pointing at mention/cue ``id`` (pointing at ``replacement`` instead)."""
    main, extra = _LINK_FIELDS[kind]
    edits: list[Edit] = []
    for q in doc.quotes.values():
        changes = {}
        extras = list(getattr(q, extra, ()))
        if id in extras:
            extras = [x for x in extras if x != id]
            if replacement is not None and replacement not in extras and replacement != getattr(q, main):
                extras.append(replacement)
            changes[extra] = extras
        if getattr(q, main) == id:
            if replacement is not None and replacement in extras:
                extras.remove(replacement)
                changes[extra] = extras
            elif replacement is None and extras:
                # the next speaker / cue of a quote that had several becomes the main one
                replacement = extras.pop(0)
                changes[extra] = extras
            changes[main] = replacement
        if changes:
            edits.append(SetFields("quote", q.id, changes, description=description))
    return edits


def delete_mention(doc: Document, mention_id: str, quotes="unlink") -> list[Edit]:
    """Delete a speaker mention; quotes it speaks for are unlinked, deleted, or relinked to another mention.

    ``quotes`` is "unlink", "delete" or ("relink", other_mention_id)."""
    mention = _get(doc, "mention", mention_id)
    d = "Delete speaker mention"
    edits: list[Edit] = []
    if quotes == "unlink":
        edits += _unlink_from_quotes(doc, "mention", mention_id, None, d)
    elif quotes == "delete":
        edits += [RemoveQuote(q.id, description=d) for q in _quotes_linking(doc, "mention", mention_id)]
    elif isinstance(quotes, (tuple, list)) and len(quotes) == 2 and quotes[0] == "relink":
        other = quotes[1]
        _get(doc, "mention", other)
        if other == mention_id:
            raise EditError(f"cannot relink quotes of mention {mention_id} to itself")
        edits += _unlink_from_quotes(doc, "mention", mention_id, other, d)
    else:
        raise EditError(f"quotes= must be 'unlink', 'delete' or ('relink', mention_id), got {quotes!r}")
    edits.append(RemoveMention(mention_id, description=d))
    # An entity left without any mention would linger in the speaker list with nothing to show.
    ent = mention.entity
    if ent is not None and not any(m.entity == ent for m in doc.mentions.values() if m.id != mention_id):
        edits.append(RemoveEntity(ent, description=d))
    return edits


def delete_cue(doc: Document, cue_id: str) -> list[Edit]:
    _get(doc, "cue", cue_id)
    d = "Delete cue"
    return _unlink_from_quotes(doc, "cue", cue_id, None, d) + [RemoveCue(cue_id, description=d)]


def move_boundary(doc: Document, kind: str, id: str, side: str, new_offset: int) -> list[Edit]:
    obj = _get(doc, kind, id)
    if kind == "entity":
        raise EditError("an entity has no span to move")
    if side not in ("start", "end"):
        raise EditError(f"side must be 'start' or 'end', got {side!r}")
    start, end = (new_offset, obj.end) if side == "start" else (obj.start, new_offset)
    check_span(doc, start, end, f"{kind} {id}")
    if getattr(obj, side) == new_offset:
        return []
    return [SetFields(kind, id, {side: new_offset}, description=f"Move {kind} {side}")]


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def snap_offset(text: str, offset: int, direction: int, unit: str = "word") -> int:
    """The offset one ``unit`` away from ``offset``: for "word", forward goes to the end of the
    next word and backward to the start of the previous one (like Alt+F / Alt+B); clamped to the text."""
    n = len(text)
    offset = min(max(offset, 0), n)
    if direction == 0:
        return offset
    if unit == "char":
        return min(max(offset + (1 if direction > 0 else -1), 0), n)
    if unit != "word":
        raise ValueError(f"unit must be 'word' or 'char', got {unit!r}")
    i = offset
    if direction > 0:
        while i < n and not _is_word(text[i]):
            i += 1
        while i < n and _is_word(text[i]):
            i += 1
    else:
        while i > 0 and not _is_word(text[i - 1]):
            i -= 1
        while i > 0 and _is_word(text[i - 1]):
            i -= 1
    return i


def snap_to_word(text: str, offset: int, side: str) -> int:
    """A boundary dropped inside a word moves to that word's edge: a start to its beginning, an end
    to its finish (spans hold whole words unless a person asks for characters)."""
    n = len(text)
    offset = min(max(offset, 0), n)
    if not (0 < offset < n and _is_word(text[offset - 1]) and _is_word(text[offset])):
        return offset
    if side == "start":
        while offset > 0 and _is_word(text[offset - 1]):
            offset -= 1
    else:
        while offset < n and _is_word(text[offset]):
            offset += 1
    return offset


def relink_quote(doc: Document, quote_id: str, mention_id: str | None) -> list[Edit]:
    q = _get(doc, "quote", quote_id)
    if mention_id is not None:
        _get(doc, "mention", mention_id)
    if q.mention == mention_id:
        return []
    changes: dict = {"mention": mention_id}
    extras = getattr(q, "extra_mentions", None)
    if extras and mention_id in extras:
        changes["extra_mentions"] = [m for m in extras if m != mention_id]
    return [SetFields("quote", quote_id, changes, description="Change speaker")]


def link_cue(doc: Document, quote_id: str, cue_id: str) -> list[Edit]:
    """``cue_id`` becomes the quote's (main) cue: a cue marked before its quote was selected, or
    the machine's cue of another quote, can be linked afterwards."""
    q = _get(doc, "quote", quote_id)
    _get(doc, "cue", cue_id)
    if q.cue == cue_id:
        return []
    changes: dict = {"cue": cue_id}
    extras = getattr(q, "extra_cues", None)
    if extras and cue_id in extras:
        changes["extra_cues"] = [c for c in extras if c != cue_id]
    return [SetFields("quote", quote_id, changes, description="Link cue")]


def link_quote_to_entity(doc: Document, quote_id: str, entity_id: str) -> list[Edit]:
    """Link a quote to the entity's mention nearest before it (or nearest after when none precedes)."""
    q = _get(doc, "quote", quote_id)
    _get(doc, "entity", entity_id)
    ms = [m for m in doc.mentions.values() if m.entity == entity_id]
    if not ms:
        raise EditError(f"entity {entity_id} has no mention in the text to link quote {quote_id} to")
    before = [m for m in ms if m.start <= q.start]
    if before:
        best = max(before, key=lambda m: (m.start, m.end))
    else:
        best = min(ms, key=lambda m: abs(m.start - q.end))
    return relink_quote(doc, quote_id, best.id)


def set_quote_type(doc: Document, quote_id: str, type: str) -> list[Edit]:
    q = _get(doc, "quote", quote_id)
    _check_type(type)
    if q.type == type:
        return []
    return [SetFields("quote", quote_id, {"type": type}, description="Change quote type")]


def accept_quote(doc: Document, quote_id: str, description: str = "Accept quote") -> list[Edit]:
    """A person confirms a suggestion: the quote, and its speaker mention and cue, become human."""
    q = _get(doc, "quote", quote_id)
    edits: list[Edit] = []
    if q.origin != ORIGIN_HUMAN or not q.reviewed:
        edits.append(SetFields("quote", quote_id, {"origin": ORIGIN_HUMAN, "reviewed": True},
                               description=description))
    for kind, id in (("mention", q.mention), ("cue", q.cue)):
        if id is not None and _get(doc, kind, id).origin != ORIGIN_HUMAN:
            edits.append(SetFields(kind, id, {"origin": ORIGIN_HUMAN}, description=description))
    return edits


def reject_quote(doc: Document, quote_id: str) -> list[Edit]:
    """Delete a suggestion, and its cue when no other quote uses it."""
    q = _get(doc, "quote", quote_id)
    d = "Reject quote"
    edits: list[Edit] = [RemoveQuote(quote_id, description=d)]
    for cue_id in [q.cue, *getattr(q, "extra_cues", ())]:
        if cue_id is None:
            continue
        if all(o.id == quote_id for o in _quotes_linking(doc, "cue", cue_id)):
            edits.append(RemoveCue(cue_id, description=d))
    return edits


def accept_all(doc: Document) -> list[Edit]:
    edits: list[Edit] = []
    seen: set = set()
    for q in doc.quotes.values():
        for e in accept_quote(doc, q.id, description="Accept all"):
            key = (e.kind, e.id)  # a mention shared by several quotes is accepted once
            if key not in seen:
                seen.add(key)
                edits.append(e)
    return edits


def rename_entity(doc: Document, entity_id: str, name: str) -> list[Edit]:
    ent = _get(doc, "entity", entity_id)
    if not isinstance(name, str) or not name.strip():
        raise EditError("an entity name cannot be empty")
    if ent.name == name:
        return []
    return [SetFields("entity", entity_id, {"name": name}, description="Rename entity")]


def merge_entities(doc: Document, keep_id: str, drop_id: str) -> list[Edit]:
    _get(doc, "entity", keep_id)
    _get(doc, "entity", drop_id)
    if keep_id == drop_id:
        raise EditError(f"cannot merge entity {keep_id} with itself")
    d = "Merge entities"
    edits: list[Edit] = [SetFields("mention", m.id, {"entity": keep_id}, description=d)
                         for m in doc.mentions.values() if m.entity == drop_id]
    edits.append(RemoveEntity(drop_id, description=d))
    return edits


def split_entity(doc: Document, entity_id: str, mention_ids, new_name: str) -> list[Edit]:
    ent = _get(doc, "entity", entity_id)
    mention_ids = list(mention_ids)
    if not mention_ids:
        raise EditError("choose at least one mention to split off")
    for mid in mention_ids:
        if _get(doc, "mention", mid).entity != entity_id:
            raise EditError(f"mention {mid} does not belong to entity {entity_id}")
    if not isinstance(new_name, str) or not new_name.strip():
        raise EditError("an entity name cannot be empty")
    d = "Split entity"
    new = Entity(id=doc.new_id("e"), name=new_name, kind=ent.kind)
    return [AddEntity(new, description=d)] + [
        SetFields("mention", mid, {"entity": new.id}, description=d) for mid in mention_ids]


def set_doc_status(doc: Document, status: str) -> list[Edit]:
    if status not in DOC_STATUSES:
        raise EditError(f"status {status!r} is not one of {', '.join(DOC_STATUSES)}")
    if doc.status == status:
        return []
    return [SetDocStatus(status, description=f"Mark document {status}")]
