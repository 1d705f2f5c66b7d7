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
