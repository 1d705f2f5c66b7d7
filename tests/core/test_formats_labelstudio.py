"""Label Studio tasks: the config declares every control the tasks use; annotations and predictions read back."""
import json
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
