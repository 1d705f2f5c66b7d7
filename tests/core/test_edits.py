"""Edits and gesture builders: every change undoes to an exactly equal document, errors change nothing."""
import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotedesk.core import edits as E
from quotedesk.core.model import Cue, Document, Entity, Mention, Quote

TEXT = ('"The bridge will reopen in spring," said Mara Voss, the county engineer. '
        "Voss added that the repairs were on budget.\n\n"
        'Councillor Ide Brandt told reporters the delay was "unacceptable" and he wanted answers.')


def invented_doc() -> Document:
    doc = Document(id="bridge", raw=TEXT, article=TEXT)
    doc.entities = {"e1": Entity("e1", "Mara Voss", "person"), "e2": Entity("e2", "Ide Brandt", "person")}
    voss = TEXT.index("Mara Voss")
    voss2 = TEXT.index("Voss added")
    brandt = TEXT.index("Ide Brandt")
    he = TEXT.index(" he ") + 1
    doc.mentions = {
        "m1": Mention("m1", voss, voss + 9, "e1"),
        "m2": Mention("m2", voss2, voss2 + 4, "e1"),
        "m3": Mention("m3", brandt, brandt + 10, "e2"),
        "m4": Mention("m4", he, he + 2, "e2", kind="pronoun"),
    }
    said = TEXT.index("said")
    added = TEXT.index("added")
    told = TEXT.index("told")
    doc.cues = {"c1": Cue("c1", said, said + 4), "c2": Cue("c2", added, added + 5), "c3": Cue("c3", told, told + 4)}
    unacc = TEXT.index("unacceptable")
    doc.quotes = {
        "q1": Quote("q1", 1, 33, "direct", "m1", "c1", rule="quote-said-name", confidence=0.9),
        "q2": Quote("q2", added + 11, TEXT.index(" on budget") + 10, "indirect", "m2", "c2"),
        "q3": Quote("q3", unacc, unacc + 12, "mixed", "m3", "c3", group="g1"),
        "q4": Quote("q4", TEXT.index("the delay"), TEXT.index(" and he"), "indirect", "m3", "c3", group="g1"),
    }
    return doc


def apply_and_undo(doc, edits):
    before = copy.deepcopy(doc)
    inverses = E.apply_all(doc, edits)
    after = copy.deepcopy(doc)
    E.apply_all(doc, inverses)
    assert doc == before
    assert [list(getattr(doc, k)) for k in ("quotes", "mentions", "cues", "entities")] == \
        [list(getattr(before, k)) for k in ("quotes", "mentions", "cues", "entities")]
    return after


BUILDERS = [
    lambda d: E.mark_quote(d, 40, 60, "indirect", mention="m1", cue="c1"),
    lambda d: E.mark_mention(d, 0, 5),
    lambda d: E.mark_mention(d, 0, 5, entity="e2"),
    lambda d: E.mark_mention(d, 0, 5, new_entity_name="Somebody"),
    lambda d: E.mark_cue(d, 2, 6),
    lambda d: E.mark_cue(d, 2, 6, quote="q2"),
    lambda d: E.delete_quote(d, "q1"),
    lambda d: E.delete_mention(d, "m3"),
    lambda d: E.delete_mention(d, "m3", quotes="delete"),
    lambda d: E.delete_mention(d, "m3", quotes=("relink", "m4")),
    lambda d: E.delete_cue(d, "c3"),
    lambda d: E.move_boundary(d, "quote", "q1", "start", 0),
    lambda d: E.move_boundary(d, "mention", "m1", "end", 45),
    lambda d: E.relink_quote(d, "q1", "m3"),
    lambda d: E.relink_quote(d, "q1", None),
    lambda d: E.link_quote_to_entity(d, "q4", "e1"),
    lambda d: E.set_quote_type(d, "q1", "mixed"),
    lambda d: E.accept_quote(d, "q1"),
    lambda d: E.reject_quote(d, "q1"),
    lambda d: E.reject_quote(d, "q3"),
    lambda d: E.accept_all(d),
    lambda d: E.rename_entity(d, "e1", "M. Voss"),
    lambda d: E.merge_entities(d, "e1", "e2"),
    lambda d: E.split_entity(d, "e2", ["m4"], "Unnamed man"),
    lambda d: E.set_doc_status(d, "done"),
    lambda d: E.add_fragment(d, "q1", 40, 60),
    lambda d: E.add_fragment(d, "q3", 0, 1),
]


def test_add_fragment_joins_the_quote_group_with_its_speaker_and_cue():
    doc = invented_doc()
    E.apply_all(doc, E.add_fragment(doc, "q1", 40, 60))
    part = doc.quotes[max(doc.quotes, key=lambda k: int(k[1:]))]
    q1 = doc.quotes["q1"]
    assert q1.group is not None and part.group == q1.group and q1.group != "g1"  # g1 is taken by q3/q4
    assert (part.start, part.end, part.type, part.mention, part.cue) == (40, 60, "direct", "m1", "c1")
    assert part.origin == "human" and part.reviewed
    E.apply_all(doc, E.add_fragment(doc, "q3", 0, 1))
    assert sum(1 for q in doc.quotes.values() if q.group == "g1") == 3


def test_fragment_overlapping_its_quote_is_refused():
    doc = invented_doc()
    with pytest.raises(E.EditError):
        E.add_fragment(doc, "q1", 10, 40)


@pytest.mark.parametrize("build", BUILDERS)
def test_builder_then_inverse_restores_exactly(build):
    doc = invented_doc()
    snapshot = copy.deepcopy(doc)
    edits = build(doc)
    assert doc == snapshot, "builders must not mutate"
    assert edits
    after = apply_and_undo(doc, edits)
    assert after != snapshot


def test_composite_inverse_and_order():
    doc = invented_doc()
    before = copy.deepcopy(doc)
    comp = E.Composite(E.delete_mention(doc, "m1", quotes="delete") + E.delete_cue(doc, "c2"), "Clean up")
    inv = comp.apply(doc)
    assert "m1" not in doc.mentions and "q1" not in doc.quotes and doc.quotes["q2"].cue is None
    assert isinstance(inv, E.Composite) and inv.description == "Clean up"
    inv.apply(doc)
    assert doc == before and list(doc.quotes) == list(before.quotes)


def test_reject_removes_cue_only_when_unused():
    doc = invented_doc()
    E.apply_all(doc, E.reject_quote(doc, "q1"))
    assert "c1" not in doc.cues
    doc = invented_doc()
    E.apply_all(doc, E.reject_quote(doc, "q3"))  # c3 is still used by q4
    assert "c3" in doc.cues


def test_accept_marks_human_and_reviewed():
    doc = invented_doc()
    E.apply_all(doc, E.accept_quote(doc, "q1"))
    q = doc.quotes["q1"]
    assert (q.origin, q.reviewed) == ("human", True)
    assert doc.mentions["m1"].origin == "human" and doc.cues["c1"].origin == "human"
    assert E.accept_quote(doc, "q1") == []


def test_mark_quote_is_human_and_new_id():
    doc = invented_doc()
    E.apply_all(doc, E.mark_quote(doc, 3, 9))
    q = list(doc.quotes.values())[-1]
    assert q.id not in ("q1", "q2", "q3", "q4") and q.origin == "human" and q.reviewed


def test_link_quote_to_entity_picks_nearest_before():
    doc = invented_doc()
    E.apply_all(doc, E.link_quote_to_entity(doc, "q4", "e1"))
    assert doc.quotes["q4"].mention == "m2"
    doc.mentions.pop("m4")
    E.apply_all(doc, E.split_entity(doc, "e2", ["m3"], "X"))
    doc.entities["e9"] = Entity("e9", "Nobody")
    with pytest.raises(E.EditError, match="no mention"):
        E.link_quote_to_entity(doc, "q1", "e9")


@pytest.mark.parametrize("bad", [
    lambda d: E.AddQuote(Quote("q1", 0, 4)),                       # id exists
    lambda d: E.AddQuote(Quote("q9", 5, 5)),                       # empty
    lambda d: E.AddQuote(Quote("q9", 0, len(TEXT) + 1)),           # outside
    lambda d: E.AddQuote(Quote("q9", 0, 4, type="rumour")),        # type
    lambda d: E.AddQuote(Quote("q9", 0, 4, mention="m99")),        # dangling mention
    lambda d: E.AddMention(Mention("m9", 0, 4, entity="e99")),     # dangling entity
    lambda d: E.RemoveMention("m1"),                               # still used by q1
    lambda d: E.RemoveCue("c3"),
    lambda d: E.RemoveEntity("e1"),
    lambda d: E.RemoveQuote("q99"),
    lambda d: E.SetFields("quote", "q1", {"start": 40}),           # start >= end
    lambda d: E.SetFields("quote", "q1", {"colour": "red"}),
    lambda d: E.SetFields("quote", "q1", {"cue": "c99"}),
    lambda d: E.SetFields("widget", "q1", {}),
    lambda d: E.SetDocStatus("finished"),
    lambda d: E.Composite([E.SetFields("quote", "q1", {"type": "mixed"}), E.RemoveQuote("q99")], "x"),
])
def test_invalid_edit_raises_before_changing(bad):
    doc = invented_doc()
    before = copy.deepcopy(doc)
    with pytest.raises(E.EditError):
        bad(doc).apply(doc)
    assert doc == before


@pytest.mark.parametrize("bad", [
    lambda d: E.mark_quote(d, 10, 10),
    lambda d: E.mark_quote(d, 0, 4, type="x"),
    lambda d: E.move_boundary(d, "quote", "q1", "end", 1),
    lambda d: E.move_boundary(d, "quote", "q1", "middle", 1),
    lambda d: E.delete_mention(d, "m1", quotes=("relink", "m99")),
    lambda d: E.merge_entities(d, "e1", "e1"),
    lambda d: E.split_entity(d, "e1", ["m3"], "X"),
    lambda d: E.rename_entity(d, "e1", "  "),
])
def test_builders_validate(bad):
    with pytest.raises(E.EditError):
        bad(invented_doc())


def test_snap_offset():
    t = "said he, quietly"
    assert E.snap_offset(t, 0, 1, "word") == 4
    assert E.snap_offset(t, 4, 1, "word") == 7
    assert E.snap_offset(t, 7, 1, "word") == len(t)
    assert E.snap_offset(t, len(t), 1, "word") == len(t)
    assert E.snap_offset(t, 7, -1, "word") == 5
    assert E.snap_offset(t, 5, -1, "word") == 0
    assert E.snap_offset(t, 0, -1, "char") == 0
    assert E.snap_offset(t, 3, 1, "char") == 4


# -- random sequences -------------------------------------------------------------------------

def _random_edits(doc, draw):
    """One gesture's edits, chosen by hypothesis from what the current doc allows."""
    n = len(doc.article)
    qs, ms, cs, es = list(doc.quotes), list(doc.mentions), list(doc.cues), list(doc.entities)
    choice = draw(st.integers(0, 13))
    s = draw(st.integers(0, n - 2))
    e = draw(st.integers(s + 1, min(n, s + 80)))
    pick = lambda xs: draw(st.sampled_from(xs)) if xs else None  # noqa: E731
    if choice == 0:
        return E.mark_quote(doc, s, e, draw(st.sampled_from(["direct", "mixed", "indirect"])),
                            mention=pick(ms + [None]), cue=pick(cs + [None]))
    if choice == 1:
        return E.mark_mention(doc, s, e, entity=pick(es + [None]))
    if choice == 2:
        return E.mark_cue(doc, s, e, quote=pick(qs + [None]))
    if choice == 3 and qs:
        return E.delete_quote(doc, pick(qs))
    if choice == 4 and ms:
        mode = draw(st.sampled_from(["unlink", "delete", "relink"]))
        m = pick(ms)
        if mode == "relink":
            others = [x for x in ms if x != m]
            if not others:
                return []
            mode = ("relink", pick(others))
        return E.delete_mention(doc, m, quotes=mode)
    if choice == 5 and cs:
        return E.delete_cue(doc, pick(cs))
    if choice == 6 and qs:
        q = doc.quotes[pick(qs)]
        side = draw(st.sampled_from(["start", "end"]))
        off = draw(st.integers(0, q.end - 1)) if side == "start" else draw(st.integers(q.start + 1, n))
        return E.move_boundary(doc, "quote", q.id, side, off)
    if choice == 7 and qs:
        return E.relink_quote(doc, pick(qs), pick(ms + [None]))
    if choice == 8 and qs:
        return E.reject_quote(doc, pick(qs))
    if choice == 9:
        return E.accept_all(doc)
    if choice == 10 and len(es) >= 2:
        a, b = draw(st.lists(st.sampled_from(es), min_size=2, max_size=2, unique=True))
        return E.merge_entities(doc, a, b)
    if choice == 11 and es:
        ent = pick(es)
        mine = [m for m in ms if doc.mentions[m].entity == ent]
        return E.split_entity(doc, ent, mine[:1], "Split") if mine else []
    if choice == 12 and qs:
        return E.set_quote_type(doc, pick(qs), draw(st.sampled_from(["direct", "mixed", "indirect", "unknown"])))
    if choice == 13 and es:
        return E.rename_entity(doc, pick(es), draw(st.text(min_size=1, max_size=8).filter(str.strip)))
    return []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_edit_sequences_undo_exactly(data):
    doc = invented_doc()
    start = copy.deepcopy(doc)
    undo_stack = []
    states = [copy.deepcopy(doc)]
    for _ in range(data.draw(st.integers(1, 12))):
        edits = _random_edits(doc, data.draw)
        undo_stack.append(E.apply_all(doc, edits))
        states.append(copy.deepcopy(doc))
    states.pop()
    end = copy.deepcopy(doc)
    redo_stack = []
    while undo_stack:
        redo_stack.append(E.apply_all(doc, undo_stack.pop()))
        assert doc == states.pop()
    assert doc == start
    assert list(doc.quotes) == list(start.quotes) and list(doc.mentions) == list(start.mentions)
    while redo_stack:  # redo everything: the inverses of the inverses
        E.apply_all(doc, redo_stack.pop())
    assert doc == end
    E.apply_all(doc, [])  # a no-op gesture is allowed


def test_unlinking_a_main_speaker_promotes_the_next():
    doc = invented_doc()
    doc.quotes["q1"].extra_mentions = ["m3"]
    E.apply_all(doc, E.delete_mention(doc, "m1"))
    assert doc.quotes["q1"].mention == "m3" and doc.quotes["q1"].extra_mentions == []


def test_deleting_last_mention_removes_its_entity():
    doc = invented_doc()
    E.apply_all(doc, E.delete_mention(doc, "m1"))
    assert "e1" in doc.entities  # m2 still names Mara Voss
    inv = E.apply_all(doc, E.delete_mention(doc, "m2"))
    assert "e1" not in doc.entities
    E.apply_all(doc, inv)
    assert list(doc.entities) == ["e1", "e2"]


def test_snap_to_word_moves_only_edges_inside_a_word():
    text = "the harbour board met"
    assert E.snap_to_word(text, 6, "start") == 4 and E.snap_to_word(text, 6, "end") == 11
    assert E.snap_to_word(text, 4, "start") == 4 and E.snap_to_word(text, 11, "end") == 11
    assert E.snap_to_word(text, 0, "start") == 0 and E.snap_to_word(text, 99, "end") == len(text)


def test_edits_say_what_they_touch():
    doc = invented_doc()
    q = next(iter(doc.quotes))
    changes = E.changes_of(E.delete_quote(doc, q))
    assert changes.removed == {("quote", q)} and not changes.added and not changes.status
    s = doc.article.index(" ", 2)
    edits = E.mark_mention(doc, 0, s)
    changes = E.changes_of(edits)
    mid = changes.first_added("mention", edits)
    assert mid is not None and {k for k, _ in changes.added} == {"mention", "entity"}
    inverses = E.apply_all(doc, edits)
    assert E.changes_of(inverses).removed == changes.added  # the inverse touches the same objects
    nested = E.changes_of([E.Composite(E.set_doc_status(doc, "done")), E.SetFields("quote", q, {"type": "mixed"})])
    assert nested.status and nested.changed == {("quote", q)} and nested.of_kind("quote") == {q}


def test_link_cue_makes_a_cue_the_quote_s_and_undoes():
    doc = invented_doc()
    q = next(iter(doc.quotes))
    start = copy.deepcopy(doc)
    edits = E.mark_cue(doc, 0, 3)
    E.apply_all(doc, edits)
    cid = E.changes_of(edits).first_added("cue", edits)
    inverses = E.apply_all(doc, E.link_cue(doc, q, cid))
    assert doc.quotes[q].cue == cid
    assert E.link_cue(doc, q, cid) == []
    E.apply_all(doc, inverses)
    assert doc.quotes[q].cue == start.quotes[q].cue
    with pytest.raises(E.EditError):
        E.link_cue(doc, q, "nope")
