"""Label Studio tasks: the config declares every control the tasks use; annotations and predictions read back."""
import json
import re
import xml.etree.ElementTree as ET

import pytest

from quotedesk.core.formats.labelstudio import (CONFIG_NAME, LabelStudioError, document_to_task, read_labelstudio,
                                      task_to_document, write_labelstudio)
from quotedesk.core.resources import resource_path
from tests.core.test_convert_polnear import annotations, invented_corpus, span_key, story_a


def test_config_declares_what_tasks_use(tmp_path):
    root = ET.parse(resource_path(CONFIG_NAME)).getroot()
    names = {el.get("name"): el for el in root.iter() if el.get("name")}
    labels = {el.get("value") for el in names["label"].iter("Label")}
    relations = {el.get("value") for el in root.iter("Relation")}
    choices = {el.get("value") for el in names["quote_type"].iter("Choice")}
    for task in (document_to_task(d) for d in invented_corpus()):
        for r in task["annotations"][0]["result"]:
            if r["type"] == "relation":
                assert set(r["labels"]) <= relations
                continue
            assert r["from_name"] in names and names[r["from_name"]].get("toName") == r["to_name"] == "text"
            if r["type"] == "labels":
                assert set(r["value"]["labels"]) <= labels
            if r["type"] == "choices":
                assert set(r["value"]["choices"]) <= choices
            if r["type"] in ("choices", "textarea"):
                assert names[r["from_name"]].get("perRegion") == "true"


@pytest.mark.parametrize("predictions", [False, True])
def test_round_trip(tmp_path, predictions):
    docs = invented_corpus()
    write_labelstudio(docs, tmp_path / "tasks.json", predictions=predictions)
    assert (tmp_path / CONFIG_NAME).exists()
    tasks = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))
    key = "predictions" if predictions else "annotations"
    assert all(key in t for t in tasks)
    if predictions:
        assert tasks[0]["predictions"][0]["model_version"].startswith("quotedesk-")
    back = list(read_labelstudio(tmp_path / "tasks.json"))
    for d, b in zip(docs, back):
        assert b.id == d.id and b.article == d.article
        assert span_key(b) == span_key(d) and annotations(b) == annotations(d)


def test_region_text_matches_offsets_in_code_points():
    doc = story_a()
    for r in document_to_task(doc)["annotations"][0]["result"]:
        if r["type"] == "labels":
            v = r["value"]
            assert doc.article[v["start"]:v["end"]] == v["text"]


def test_foreign_task_annotations_win_and_utf16_offsets_are_repaired():
    text = "Fans \U0001F389 cheered. \"We won,\" said Coach Ama."
    s = text.index("We won,")
    sp = text.index("Coach Ama")
    cue = text.index("said")
    # old Label Studio counted UTF-16 units: one more after the emoji
    ann = [
        {"id": "a", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": s + 1, "end": s + 8, "text": "We won,", "labels": ["Quote"]}},
        {"id": "b", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": sp + 1, "end": sp + 10, "text": "Coach Ama", "labels": ["Speaker"]}},
        {"id": "c", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": cue + 1, "end": cue + 5, "text": "said", "labels": ["Cue"]}},
        {"from_id": "a", "to_id": "b", "type": "relation", "direction": "right", "labels": ["said_by"]},
        {"from_id": "c", "to_id": "a", "type": "relation", "direction": "right", "labels": ["cue_of"]},
    ]
    task = {"id": 7, "data": {"text": text},
            "annotations": [{"was_cancelled": True, "result": []}, {"result": ann}],
            "predictions": [{"model_version": "x", "result": []}]}
    doc = task_to_document(task)
    (q,) = doc.quotes.values()
    assert doc.span_text(q) == "We won," and doc.speaker_name(q) == "Coach Ama"
    assert doc.span_text(doc.cues[q.cue]) == "said" and q.origin == "human"
    assert doc.id == "7"


def test_mismatched_region_is_an_error():
    task = {"data": {"text": "Short text."}, "annotations": [{"result": [
        {"id": "a", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 0, "end": 5, "text": "Other", "labels": ["Quote"]}}]}]}
    with pytest.raises(LabelStudioError, match="does not match the text"):
        task_to_document(task)


def test_predictions_only_are_machine_suggestions():
    doc = invented_corpus()[1]
    task = document_to_task(doc, predictions=True)
    for r in task["predictions"][0]["result"]:
        r.pop("meta", None)  # a model that knows nothing of QuoteDesk's notes
    back = task_to_document(task)
    assert {q.origin for q in back.quotes.values()} == {"machine"}
    assert span_key(back) == span_key(doc)


def _region(rid, text, needle, label):
    s = text.index(needle)
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": s, "end": s + len(needle), "text": needle, "labels": [label]}}


TEXT = "\"We won,\" said Coach Ama."


def _task(result, **extra):
    return {"id": 3, "data": {"text": TEXT}, "annotations": [{"result": result, **extra}]}


def test_export_with_predictions_as_ids_reads():
    """Label Studio 1.23's JSON export of a pre-annotated project lists predictions by id."""
    task = _task([_region("a", TEXT, "We won,", "Quote")], completed_by=1)
    task["predictions"] = [84]
    (q,) = task_to_document(task).quotes.values()
    assert TEXT[q.start:q.end] == "We won,"
    only_ids = {"id": 4, "data": {"text": TEXT}, "annotations": [], "predictions": [84, 85]}
    assert task_to_document(only_ids).quotes == {}


def test_regions_a_person_accepted_come_back_human_and_reviewed():
    doc = invented_corpus()[0]
    task = document_to_task(doc, predictions=True)
    # in Label Studio a person opens the task, accepts the prediction and submits it
    lst = {"id": 9, "data": task["data"], "predictions": [12],
           "annotations": [{"id": 5, "completed_by": 1, "was_cancelled": False,
                            "result": task["predictions"][0]["result"]}]}
    back = task_to_document(lst)
    assert back.quotes and {(q.origin, q.reviewed) for q in back.quotes.values()} == {("human", True)}
    assert {m.origin for m in back.mentions.values()} <= {"human"}
    assert back.status in ("review", "done")
    assert span_key(back) == span_key(doc)
    # the same result in QuoteDesk's own annotations export (nobody submitted it) keeps its notes
    own = task_to_document({"data": task["data"], "annotations": [{"result": task["predictions"][0]["result"]}]})
    assert {q.origin for q in own.quotes.values()} == {q.origin for q in doc.quotes.values()}


@pytest.mark.parametrize("result,message", [
    ([_region("a", TEXT, "We won,", "Quote"), _region("a", TEXT, "Coach Ama", "Speaker")],
     r"result\[1\]: duplicate region id 'a'"),
    ([_region("a", TEXT, "We won,", "Quote"), {"from_id": "a", "to_id": "zz", "type": "relation",
                                                "labels": ["said_by"]}], r"relation to_id 'zz' is not a region"),
    ([_region("a", TEXT, "Coach Ama", "Person")], r"region a has label 'Person'"),
    ([_region("a", TEXT, "We won,", "Quote"), _region("b", TEXT, "said", "Cue"),
      {"from_id": "a", "to_id": "b", "type": "relation", "labels": ["said_by"]}], r"said_by links a quote and a speaker"),
    ([_region("a", TEXT, "We won,", "Quote"), _region("b", TEXT, "Coach Ama", "Speaker"),
      {"from_id": "a", "to_id": "b", "type": "relation", "labels": ["quoted"]}], r"relation label 'quoted'"),
    ([{"id": "a", "type": "labels", "value": {"start": "0", "end": 5, "labels": ["Quote"]}}],
     r"region a: value.start and value.end must be integers"),
    ([{"id": "a", "type": "labels", "value": [1, 2]}], r"result\[0\]: value must be an object"),
    (["a"], r"result\[0\]: must be an object"),
    ([{"id": "a", "type": "labels", "value": {"start": 1, "end": 7, "labels": "Quote"}}],
     r"value.labels must be a list"),
    ([{"id": "q", "from_name": "quote_type", "type": "choices", "value": {"choices": ["direct"]}}],
     r"not a labelled region"),
    ([{"id": "q", "from_name": "sentiment", "type": "choices", "value": {"choices": ["happy"]}}],
     r"from_name 'sentiment'"),
    ({"not": "a list"}, r"annotations\[0\].result must be a list"),
])
def test_task_that_cannot_be_represented_is_refused(result, message):
    with pytest.raises(LabelStudioError, match=r"^task 3[:,]") as e:
        task_to_document(_task(result))
    assert re.search(message, str(e.value)), str(e.value)


@pytest.mark.parametrize("task,message", [
    ("just a string", r"^task 1: must be an object"),
    ({"data": ["x"]}, r"^task 1: data must be an object"),
    ({"data": {"text": 5}}, r"^task 1: data.text"),
    ({"data": {"text": "x", "id": {"a": 1}}}, r"^task 1: id must be"),
    ({"data": {"text": "x", "status": "finished"}}, r"data.status 'finished'"),
    ({"data": {"text": "x"}, "annotations": {"result": []}}, r"annotations must be a list"),
    ({"data": {"text": "x"}, "predictions": ["x", 3, None]}, r"predictions\[2\] must be an object"),
])
def test_malformed_tasks_are_refused_not_crashed(task, message):
    with pytest.raises(LabelStudioError, match=message):
        task_to_document(task)


def test_file_errors_name_the_file(tmp_path):
    p = tmp_path / "deep.json"
    p.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(LabelStudioError, match="nested too deeply"):
        list(read_labelstudio(p))
    p.write_text(json.dumps([{"data": {"text": "x"}}, {"data": {}}]), encoding="utf-8")
    with pytest.raises(LabelStudioError, match=rf"^{re.escape(str(p))}: task 2: data.text"):
        list(read_labelstudio(p))


def test_folder_written_by_the_export_reads_back(tmp_path):
    write_labelstudio(invented_corpus(), tmp_path / "tasks.json")
    assert len(list(read_labelstudio(tmp_path))) == len(invented_corpus())


def test_missing_config_fails_before_writing(tmp_path, monkeypatch):
    """A wheel without resources/labelstudio_config.xml wrote the tasks and then failed."""
    from quotedesk.core import resources
    from quotedesk.core.formats import MissingResourceError

    monkeypatch.setattr(resources, "RESOURCES", tmp_path / "no-such-folder")
    with pytest.raises(MissingResourceError, match="labelstudio_config.xml.*reinstall"):
        write_labelstudio(invented_corpus(), tmp_path / "out" / "tasks.json")
    assert not (tmp_path / "out" / "tasks.json").exists()


def test_cli_writes_predictions(tmp_path, capsys):
    import main
    from quotedesk.core.formats.jsonl import write_jsonl

    write_jsonl(invented_corpus(), tmp_path / "in.jsonl")
    out = tmp_path / "ls"
    assert main.main(["convert", str(tmp_path / "in.jsonl"), "--to", "labelstudio", "--predictions",
                      "-o", str(out)]) == 0
    tasks = json.loads((out / "tasks.json").read_text(encoding="utf-8"))
    assert all("predictions" in t and "annotations" not in t for t in tasks)
    assert main.main(["convert", str(tmp_path / "in.jsonl"), "--to", "csv", "--predictions",
                      "-o", str(tmp_path / "x.csv")]) == 2
    assert "--predictions is for --to labelstudio" in capsys.readouterr().err


def test_a_label_studio_1_23_export_task_reads():
    """The shape Label Studio 1.23 exports (JSON): bookkeeping fields everywhere, predictions by id,
    regions marked by their origin in the editor."""
    text = "Rain delayed the match, the referee said."
    s, sp, cue = 0, text.index("the referee"), text.index("said")
    result = [
        {"value": {"start": s, "end": 22, "text": text[s:22], "labels": ["Quote"]}, "id": "Xq1",
         "from_name": "label", "to_name": "text", "type": "labels", "origin": "prediction"},
        {"value": {"start": s, "end": 22, "text": text[s:22], "choices": ["indirect"]}, "id": "Xq1",
         "from_name": "quote_type", "to_name": "text", "type": "choices", "origin": "prediction"},
        {"value": {"start": sp, "end": sp + 11, "text": "the referee", "labels": ["Speaker"]}, "id": "Xs1",
         "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual"},
        {"value": {"start": cue, "end": cue + 4, "text": "said", "labels": ["Cue"]}, "id": "Xc1",
         "from_name": "label", "to_name": "text", "type": "labels", "origin": "prediction-changed"},
        {"from_id": "Xq1", "to_id": "Xs1", "type": "relation", "direction": "right", "labels": ["said_by"]},
        {"from_id": "Xc1", "to_id": "Xq1", "type": "relation", "direction": "right", "labels": []},
    ]
    task = {"id": 84, "annotations": [{"id": 12, "completed_by": 1, "result": result, "was_cancelled": False,
                                       "ground_truth": False, "created_at": "2026-11-30T10:00:00.000000Z",
                                       "updated_at": "2026-11-30T10:01:00.000000Z", "draft_created_at": None,
                                       "lead_time": 41.2, "prediction": {}, "result_count": 0,
                                       "unique_id": "c0ffee", "import_id": None, "last_action": None,
                                       "bulk_created": False, "task": 84, "project": 3, "updated_by": 1,
                                       "parent_prediction": 77, "parent_annotation": None,
                                       "last_created_by": None}],
            "file_upload": "tasks.json", "drafts": [], "predictions": [77],
            "data": {"text": text}, "meta": {}, "created_at": "2026-11-30T09:00:00.000000Z",
            "updated_at": "2026-11-30T10:01:00.000000Z", "inner_id": 1, "total_annotations": 1,
            "cancelled_annotations": 0, "total_predictions": 1, "comment_count": 0,
            "unresolved_comment_count": 0, "last_comment_updated_at": None, "project": 3, "updated_by": 1,
            "comment_authors": []}
    doc = task_to_document(task)
    (q,) = doc.quotes.values()
    assert doc.id == "84" and q.type == "indirect" and (q.origin, q.reviewed) == ("human", True)
    assert doc.speaker_name(q) == "the referee" and doc.span_text(doc.cues[q.cue]) == "said"
