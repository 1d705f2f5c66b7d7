"""JSONL records: the scorer's fields, QuoteDesk's links, and clear errors for bad records."""
import pytest

from quotedesk.core.formats.jsonl import (RecordError, document_to_record, quote_record, read_jsonl, record_to_document,
                                write_jsonl)
from tests.core.test_convert_polnear import invented_corpus


def test_quote_record_with_offset_map():
    doc = invented_corpus()[0]
    q = doc.quotes["q4"]
    rec = quote_record(doc, q, offset=lambda s, e: (s + 100, e + 100))
    assert rec["start"] == q.start + 100
    assert len(rec["speaker_spans"]) == 2 and len(rec["cue_spans"]) == 2
    assert rec["speaker"] == "Lena Morrow and Abel Quist"
    assert quote_record(doc, doc.quotes["q5"])["speaker"] is None


def test_record_round_trip_is_exact(tmp_path):
    docs = invented_corpus()
    write_jsonl(docs, tmp_path / "x.jsonl")
    back = list(read_jsonl(tmp_path / "x.jsonl"))
    for d, b in zip(docs, back):
        for k in ("id", "article", "quotes", "mentions", "cues", "entities", "status"):
            assert getattr(b, k) == getattr(d, k), k
        assert document_to_record(b) == document_to_record(d)


@pytest.mark.parametrize("rec,message", [
    ({"id": "a"}, "needs a 'text'"),
    ({"id": "a", "text": "abc", "quotes": [{"start": 0, "end": 9, "speaker_spans": [], "cue_spans": []}]},
     "not a non-empty span inside"),
    ({"id": "a", "text": "abc", "quotes": [{"start": 0, "end": 2, "speaker_spans": [[1]], "cue_spans": []}]},
     "expected \\[start, end\\]"),
    ({"id": "a", "text": "abc", "quotes": [{"id": "q1", "start": 0, "end": 2, "mention": "m9"}],
      "mentions": [], "entities": [], "cues": []}, "speaker mention 'm9' does not exist"),
])
def test_bad_records(rec, message):
    with pytest.raises(RecordError, match=message):
        record_to_document(rec)


def test_empty_predicted_spans_are_skipped_like_the_scorer():
    doc = record_to_document({"id": "a", "text": "abcdef", "quotes": [
        {"start": 3, "end": 3, "speaker": None}, {"start": 1, "end": 4, "speaker": "X", "speaker_spans": []}]})
    assert [(q.start, q.end) for q in doc.quotes.values()] == [(1, 4)]
    assert not doc.entities  # a speaker name without a span has nothing to attach to


GOOD = {"id": "a", "text": "\"Yes,\" said Ana.", "quotes": [
    {"start": 1, "end": 5, "type": "direct", "speaker": "Ana", "speaker_spans": [[12, 15]], "cue_spans": [[7, 11]]}]}


def _linked():
    return document_to_record(invented_corpus()[1])


def _mut(base, fn):
    import copy

    rec = copy.deepcopy(base() if callable(base) else base)
    fn(rec)
    return rec


BAD_RECORDS = [
    # a status QuoteDesk then refused when the converted file was opened
    (lambda r: r.update(status="finished"), GOOD, r"record a: status 'finished' is not one of"),
    (lambda r: r.update(status=3), GOOD, r"record a: status must be a string"),
    (lambda r: r.update(id=["x"]), GOOD, r"id must be a string or an integer"),
    (lambda r: r.update(quotes={"start": 1}), GOOD, r"record a: quotes must be a list"),
    (lambda r: r["quotes"].append(7), GOOD, r"record a: quote 2 must be an object"),
    (lambda r: r["quotes"][0].update(confidence="high"), GOOD, r"quote 1: confidence must be a number"),
    (lambda r: r["quotes"][0].update(confidence=7.5), GOOD, r"quote 1: confidence 7.5 is not between 0 and 1"),
    (lambda r: r["quotes"][0].update(origin="robot"), GOOD, r"quote 1: origin 'robot' is not one of"),
    (lambda r: r["quotes"][0].update(reviewed="yes"), GOOD, r"quote 1: reviewed must be true/false"),
    (lambda r: r["quotes"][0].update(speaker_spans=[[12]]), GOOD, r"speaker span 1: expected \[start, end\]"),
    (lambda r: r["quotes"][0].update(cue_spans=5), GOOD, r"quote 1: cue_spans must be a list"),
    (lambda r: r["quotes"][0].update(speaker={"n": 1}), GOOD, r"quote 1: speaker must be a string"),
    (lambda r: r["quotes"][0].update(start="1"), GOOD, r"quote 1: expected \[start, end\]"),
    (lambda r: r["quotes"][0].pop("end"), GOOD, r"quote 1: expected \[start, end\]"),
    (lambda r: r.update(article=["h"]), GOOD, r"record a: article must be an object"),
    (lambda r: r.update(article={"headline": 5}), GOOD, r"article: headline must be a string"),
    (lambda r: r.update(source=5), GOOD, r"source must be a string"),
    (lambda r: r["entities"].append("e9"), _linked, r"entity \d+ must be an object"),
    (lambda r: r["mentions"][0].update(entity=5), _linked, r"mention m1: entity must be a string"),
    (lambda r: r["mentions"][0].update(start=None), _linked, r"mention m1: expected \[start, end\]"),
    (lambda r: r["quotes"][0].update(extra_mentions=3), _linked, r"extra_mentions must be a list"),
    (lambda r: r["quotes"][0].update(extra_cues=[1]), _linked, r"extra_cues must be a list of ids"),
    (lambda r: r["quotes"][0].update(mention="m99"), _linked, r"speaker mention 'm99' does not exist"),
    (lambda r: r["cues"][0].update(origin=None, id=""), _linked, r"cue 1 has no id"),
    (lambda r: r["entities"][0].update(name=["x"]), _linked, r"name must be a string"),
]


@pytest.mark.parametrize("mutate,base,message", BAD_RECORDS)
def test_bad_records_are_refused_naming_the_field(mutate, base, message):
    """These surfaced as TypeError, KeyError, AttributeError or ValueError, or passed silently."""
    with pytest.raises(RecordError, match=message):
        record_to_document(_mut(base, mutate))


def test_any_wrong_field_type_is_a_record_error():
    """Every field of a linked record and a gold record, set to each wrong JSON type: RecordError
    or a valid document, never another exception."""
    values = [None, True, 0, -1, 2.5, "", "x", [], [1, 2], {}, {"a": 1}]
    for base in (GOOD, _linked):
        rec = base() if callable(base) else base
        paths = [(k,) for k in rec]
        for key in ("quotes", "mentions", "cues", "entities"):
            if isinstance(rec.get(key), list) and rec[key]:
                paths += [(key, 0, k) for k in rec[key][0]]
        for path in paths:
            for v in values:
                def put(r, path=path, v=v):
                    target = r
                    for p in path[:-1]:
                        target = target[p]
                    target[path[-1]] = v
                try:
                    record_to_document(_mut(base, put))
                except RecordError:
                    pass


def test_file_errors_name_the_line(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_text('{"id": "a", "text": "x"}\n' + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    with pytest.raises(RecordError, match=r"c.jsonl, line 2: JSON nested too deeply"):
        list(read_jsonl(p))
