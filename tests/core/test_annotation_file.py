"""The QuoteDesk annotation file: exact round trips, atomic saves, and clear errors for every corruption."""
import json

import pytest

from quotedesk.core import edits as E
from quotedesk.core.annotation_file import (FORMAT_NAME, FORMAT_VERSION, AnnotationFileError, autosave_path,
                                  document_from_dict, document_to_dict, dumps, load_document, loads,
                                  save_document)
from quotedesk.core.model import ArticleMeta, Paragraph, sha256
from tests.core.test_edits import invented_doc


def rich_doc():
    doc = invented_doc()
    doc.raw = "<p>" + doc.article + "</p> \u00e9\U0001F600"
    doc.raw_kind = "html"
    doc.source = "invented/bridge.html"
    doc.status = "review"
    cut = doc.article.index("\n\n")
    doc.paragraphs = [Paragraph(0, cut, 3, 3 + cut), Paragraph(cut + 2, len(doc.article), 5 + cut, 3 + len(doc.article))]
    doc.meta = ArticleMeta(headline="Bridge delay", byline="Staff", raw_spans={"headline": (0, 3)})
    doc.quotes["q2"].extra_mentions = ["m4"]
    doc.quotes["q3"].extra_cues = ["c1"]
    doc.provenance = {"extractor": "test", "n": 3}
    return doc


def test_round_trip_exact(tmp_path):
    doc = rich_doc()
    path = save_document(doc, tmp_path / "bridge.quotedesk.json")
    back = load_document(path)
    assert back == doc
    assert list(back.quotes) == list(doc.quotes) and list(back.mentions) == list(doc.mentions)
    assert loads(dumps(doc)) == doc
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == FORMAT_NAME and data["version"] == FORMAT_VERSION
    assert data["article"]["sha256"] == sha256(doc.article)


def test_atomic_save_leaves_no_temp_and_replaces(tmp_path):
    doc = rich_doc()
    path = tmp_path / "a.quotedesk.json"
    save_document(doc, path)
    E.apply_all(doc, E.delete_quote(doc, "q1"))
    save_document(doc, path)
    assert [p.name for p in tmp_path.iterdir()] == ["a.quotedesk.json"]
    assert "q1" not in load_document(path).quotes


def test_autosave_path(tmp_path):
    assert autosave_path(tmp_path / "x.quotedesk.json") == tmp_path / "x.quotedesk.autosave.json"
    assert autosave_path(tmp_path / "page.txt") == tmp_path / "page.txt.autosave.json"
    assert autosave_path(None, "doc/1").name == "doc_1.autosave.json"


def _corrupt(mutate):
    data = document_to_dict(rich_doc())
    mutate(data)
    return json.dumps(data)


CASES = [
    ("not json", lambda: "this is not json", "not valid JSON"),
    ("truncated", lambda: dumps(rich_doc())[:300], "truncated"),
    ("wrong format", lambda: _corrupt(lambda d: d.update(format="brat")), "not a QuoteDesk annotation file"),
    ("future version", lambda: _corrupt(lambda d: d.update(version=FORMAT_VERSION + 1)), "newer QuoteDesk"),
    ("article sha", lambda: _corrupt(lambda d: d["article"].update(text=d["article"]["text"] + "\r")),
     "article: sha256 does not match"),
    ("raw sha", lambda: _corrupt(lambda d: d["raw"].update(sha256="0" * 64)), "raw: sha256"),
    ("span outside", lambda: _corrupt(lambda d: d["quotes"][1].update(end=10_000)), "quote q2: span .* not inside the article"),
    ("start>=end", lambda: _corrupt(lambda d: d["cues"][0].update(start=d["cues"][0]["end"])), "cue c1: span .* empty or reversed"),
    ("negative", lambda: _corrupt(lambda d: d["mentions"][0].update(start=-1)), "mention m1: span -1"),
    ("dangling mention", lambda: _corrupt(lambda d: d["quotes"][0].update(mention="m77")), "quote q1: speaker mention 'm77'"),
    ("dangling extra", lambda: _corrupt(lambda d: d["quotes"][2].update(extra_cues=["c77"])), "quote q3: extra cue 'c77'"),
    ("dangling entity", lambda: _corrupt(lambda d: d["mentions"][2].update(entity="e77")), "mention m3: entity 'e77'"),
    ("duplicate id", lambda: _corrupt(lambda d: d["quotes"].append(dict(d["quotes"][0]))), "quote q1: duplicate id"),
    ("bad type", lambda: _corrupt(lambda d: d["quotes"][0].update(type="gossip")), "quote q1: type 'gossip'"),
    ("string offset", lambda: _corrupt(lambda d: d["quotes"][0].update(start="1")), "quote q1: start must be int"),
    ("unknown field", lambda: _corrupt(lambda d: d["quotes"][0].update(colour="red")), "quote q1: unknown field 'colour'"),
    ("missing field", lambda: _corrupt(lambda d: d["quotes"][0].pop("end")), "quote q1: missing field 'end'"),
    ("paragraph outside", lambda: _corrupt(lambda d: d["paragraphs"][1].update(raw_end=10_000)), "paragraph 2: raw span"),
    ("bad status", lambda: _corrupt(lambda d: d.update(status="maybe")), "status 'maybe'"),
    ("meta span", lambda: _corrupt(lambda d: d["meta"]["raw_spans"].update(headline=[5, 1])), "meta headline"),
]


@pytest.mark.parametrize("name,make,message", CASES, ids=[c[0] for c in CASES])
def test_corruption_is_reported(tmp_path, name, make, message):
    path = tmp_path / "bad.quotedesk.json"
    path.write_text(make(), encoding="utf-8")
    with pytest.raises(AnnotationFileError, match=message) as info:
        load_document(path)
    assert str(path) in str(info.value)


def test_missing_file_and_non_object():
    with pytest.raises(AnnotationFileError, match="cannot read"):
        load_document("/nonexistent/x.quotedesk.json")
    with pytest.raises(AnnotationFileError, match="not an object"):
        document_from_dict([])


# Values the loader used to accept although nothing in QuoteDesk can use them.
VALUE_CASES = [
    ("confidence 7.5", lambda d: d["quotes"][0].update(confidence=7.5), "quote q1: confidence 7.5 is not between 0 and 1"),
    ("confidence NaN", lambda d: d["quotes"][0].update(confidence=float("nan")), "quote q1: confidence nan"),
    ("raw_kind pdf", lambda d: d.update(raw_kind="pdf"), "raw_kind 'pdf' is not one of text, html"),
    ("empty doc id", lambda d: d.update(id=""), "id: a document needs a non-empty id"),
    ("empty quote id", lambda d: d["quotes"][0].update(id=""), "quote: id must be a non-empty string"),
    ("empty entity id", lambda d: d["entities"][0].update(id=""), "entity: id must be a non-empty string"),
    ("overlapping paragraphs", lambda d: d["paragraphs"][1].update(start=d["paragraphs"][0]["end"] - 3),
     "paragraph 2: span .* overlaps paragraph 1"),
]


@pytest.mark.parametrize("name,mutate,message", VALUE_CASES, ids=[c[0] for c in VALUE_CASES])
def test_values_nothing_can_use_are_refused(name, mutate, message):
    with pytest.raises(AnnotationFileError, match=message):
        loads(_corrupt(mutate))


@pytest.mark.parametrize("name,mutate,message", VALUE_CASES, ids=[c[0] for c in VALUE_CASES])
def test_validate_document_refuses_what_loading_refuses(name, mutate, message):
    """A reader (JSONL, brat, CSV, Label Studio) checks its Document with validate_document: it must
    refuse everything load_document would, or convert writes a file QuoteDesk then refuses."""
    from quotedesk.core.annotation_file import validate_document

    data = document_to_dict(rich_doc())
    mutate(data)
    doc = rich_doc()
    if "id" in data and data["id"] == "":
        doc.id = ""
    doc.raw_kind = data["raw_kind"]
    doc.paragraphs = [Paragraph(**p) for p in data["paragraphs"]]
    q = data["quotes"][0]
    doc.quotes["q1"].confidence = q["confidence"]
    if q["id"] == "":
        doc.quotes = {"": doc.quotes.pop("q1"), **doc.quotes}
        doc.quotes[""].id = ""
    if data["entities"][0]["id"] == "":
        ent = doc.entities.pop(data["mentions"][0]["entity"])
        ent.id = ""
        doc.entities[""] = ent
    with pytest.raises(AnnotationFileError, match=message):
        validate_document(doc)
    validate_document(rich_doc())


def test_validate_document_checks_types_and_status():
    from quotedesk.core.annotation_file import validate_document

    doc = rich_doc()
    doc.status = "finished"
    with pytest.raises(AnnotationFileError, match="status 'finished'"):
        validate_document(doc)
    doc = rich_doc()
    doc.quotes["q1"].rule = 5
    with pytest.raises(AnnotationFileError, match="quote q1: rule must be str"):
        validate_document(doc)


def test_deeply_nested_json_is_an_annotation_file_error():
    with pytest.raises(AnnotationFileError, match="nested too deeply"):
        loads("[" * 100_000 + "]" * 100_000, source="deep.quotedesk.json")
