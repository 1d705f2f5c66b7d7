"""Round trips through every exchange format leave quote, speaker and cue spans and the texts unchanged:
on invented documents (always) and on the PolNeAR dev set from ../shared (when present)."""
import json

import pytest

from quotedesk.core.convert import ConvertError, convert, detect_format, read_documents
from quotedesk.core.formats.jsonl import document_to_record, read_jsonl, record_to_document
from quotedesk.core.model import Cue, Document, Entity, Mention, Quote
from quotedesk.core.formats import paragraphs_from_lines

# Invented wire copy: a direct quote, a quote split over a paragraph break, a partial quote, a
# quote with two speakers and two cues, an emoji (one code point, two UTF-16 units), a tab, a
# nested quote and a CRLF-free multi-line story.
STORY_A = (
    "Harbour strike ends after talks\n\n"
    "\"We have a deal that keeps every crane working,\" said Lena Morrow, who chairs the dockers' union.\n\n"
    "Morrow said the agreement covered pensions and\nnight shifts, and that members would vote on Friday.\n"
    "Port director Abel Quist told reporters the strike had cost \"more than we can say \U0001F622 in public\".\n"
    "\tBoth sides, according to Morrow and Quist, want \"a quiet winter, 'no more stoppages', and new cranes\".\n"
)
STORY_B = (
    "Library to open on Sundays\n"
    "The council will fund Sunday opening, a spokeswoman said.\n"
    "\"Readers asked,\n\nand we listened,\" she said, adding that staff would volunteer.\n"
)


def _span(text, needle, nth=0):
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    return i, i + len(needle)


def story_a() -> Document:
    t = STORY_A
    d = Document(id="harbour strike/1", raw=t, article=t, paragraphs=paragraphs_from_lines(t), status="review")
    d.entities = {"e1": Entity("e1", "Lena Morrow", "person"), "e2": Entity("e2", "Abel Quist", "person"),
                  "e3": Entity("e3", "Lena Morrow and Abel Quist", "group")}
    d.mentions = {
        "m1": Mention("m1", *_span(t, "Lena Morrow"), "e1"),
        "m2": Mention("m2", *_span(t, "Morrow said")[:1], _span(t, "Morrow said")[0] + 6, "e1"),
        "m3": Mention("m3", *_span(t, "Abel Quist"), "e2"),
        "m4": Mention("m4", *_span(t, "Morrow", 2), "e3"),
        "m5": Mention("m5", *_span(t, "Quist", 1), "e3"),
    }
    d.cues = {"c1": Cue("c1", *_span(t, "said")), "c2": Cue("c2", *_span(t, "said", 1)),
              "c3": Cue("c3", *_span(t, "told")), "c4": Cue("c4", *_span(t, "according to")),
              "c5": Cue("c5", *_span(t, "want"))}
    s = _span(t, "the agreement covered")[0]
    e = _span(t, "on Friday")[1]
    inner = _span(t, "no more stoppages")
    d.quotes = {
        "q1": Quote("q1", *_span(t, "We have a deal that keeps every crane working,"), "direct", "m1", "c1",
                    rule="quote-said-name", confidence=0.93, origin="machine"),
        "q2": Quote("q2", s, e, "indirect", "m2", "c2", rule="said-that", confidence=0.61, group="g1"),
        "q3": Quote("q3", *_span(t, "more than we can say \U0001F622 in public"), "mixed", "m3", "c3",
                    origin="human", reviewed=True),
        "q4": Quote("q4", *_span(t, "a quiet winter, 'no more stoppages', and new cranes"), "mixed", "m4", "c4",
                    extra_mentions=["m5"], extra_cues=["c5"]),
        "q5": Quote("q5", *inner, "direct", None, None, rule="nested"),
    }
    return d


def story_b() -> Document:
    t = STORY_B
    d = Document(id="library", raw=t, article=t, paragraphs=paragraphs_from_lines(t))
    d.entities = {"e1": Entity("e1", "a spokeswoman")}
    d.mentions = {"m1": Mention("m1", *_span(t, "a spokeswoman"), "e1"),
                  "m2": Mention("m2", *_span(t, "she"), "e1", kind="pronoun")}
    d.cues = {"c1": Cue("c1", *_span(t, "said")), "c2": Cue("c2", *_span(t, "said", 1)),
              "c3": Cue("c3", *_span(t, "adding"))}
    a = _span(t, "Readers asked,")
    b = _span(t, "and we listened,")
    d.quotes = {
        "q1": Quote("q1", *_span(t, "The council will fund Sunday opening"), "indirect", "m1", "c1"),
        # one quote split at a blank line: brat must cut it into fragments and read it back whole
        "q2": Quote("q2", a[0], b[1], "direct", "m2", "c2"),
        # and the same text as two parts of a group whose gap is only line breaks
        "q3": Quote("q3", *a, "direct", "m2", "c2", group="G7"),
        "q4": Quote("q4", *b, "direct", "m2", "c2", group="G7"),
        "q5": Quote("q5", *_span(t, "staff would volunteer"), "indirect", "m2", "c3"),
    }
    return d


def invented_corpus() -> list[Document]:
    return [story_a(), story_b()]


def span_key(doc: Document):
    """What must survive any exchange format: the text and each quote's span, type, group,
    speaker string and spans, cue spans."""
    rec = document_to_record(doc)
    return rec["text"], sorted((q["start"], q["end"], q["type"], q.get("group"), q["speaker"],
                                json.dumps(q["speaker_spans"]), json.dumps(q["cue_spans"])) for q in rec["quotes"])


def annotations(doc: Document):
    return {k: dict(sorted(getattr(doc, k).items())) for k in ("quotes", "mentions", "cues", "entities")}


def _round_trip(docs, tmp_path, via, out_name):
    mid = tmp_path / out_name
    convert_report = convert(tmp_path / "in.jsonl", mid, to_fmt=via)
    assert convert_report.documents == len(docs)
    assert detect_format(mid) == via
    back = tmp_path / "back.jsonl"
    convert(mid, back, to_fmt="jsonl")
    return {d.id: d for d in read_jsonl(back)}


@pytest.mark.parametrize("via,out_name", [("brat", "brat"), ("labelstudio", "tasks.json"),
                                          ("csv", "quotes.csv"), ("quotedesk", "qd"), ("jsonl", "copy.jsonl")])
def test_invented_round_trip(tmp_path, via, out_name):
    docs = invented_corpus()
    with open(tmp_path / "in.jsonl", "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(document_to_record(d), ensure_ascii=False) + "\n")
    back = _round_trip(docs, tmp_path, via, out_name)
    assert sorted(back) == sorted(d.id for d in docs)
    by_text = {b.article: b for b in back.values()}
    for d in docs:
        b = by_text[d.article]
        assert span_key(b) == span_key(d)
        if via in ("brat", "labelstudio", "quotedesk", "jsonl"):
            assert annotations(b) == annotations(d)


def test_gold_record_spans_become_linked_objects():
    t = "Ann Lee and Bo Park said, according to aides, that talks failed. He said so."
    rec = {"id": "x", "text": t, "quotes": [
        {"start": 51, "end": 63, "type": "indirect", "speaker": "Ann Lee and Bo Park",
         "speaker_spans": [[0, 7], [12, 19]], "cue_spans": [[20, 24], [26, 38]], "group": "E1"},
        {"start": 65, "end": 75, "type": "indirect", "speaker": "He", "speaker_spans": [[65, 67]],
         "cue_spans": [[68, 72]]},
        {"start": 65, "end": 75, "type": "indirect", "speaker": None, "speaker_spans": [], "cue_spans": [[68, 72]]},
    ]}
    doc = record_to_document(rec)
    q1, q2, q3 = doc.quotes.values()
    assert [doc.span_text(doc.mentions[m]) for m in [q1.mention, *q1.extra_mentions]] == ["Ann Lee", "Bo Park"]
    assert [doc.span_text(doc.cues[c]) for c in [q1.cue, *q1.extra_cues]] == ["said", "according to"]
    assert q2.cue == q3.cue and q3.mention is None
    assert doc.mentions[q2.mention].kind == "pronoun"
    assert [p for p in doc.paragraphs] and doc.raw == doc.article == t
    out = document_to_record(doc)
    for a, b in zip(rec["quotes"], out["quotes"]):
        for k in ("start", "end", "type", "speaker", "speaker_spans", "cue_spans"):
            assert a[k] == b[k]


def _polnear_check(docs, back):
    changed = {"text": 0, "quote": 0, "speaker": 0, "cue": 0}
    for d in docs:
        b = back[d.id]
        changed["text"] += b.article != d.article
        ka, kb = span_key(d)[1], span_key(b)[1]
        changed["quote"] += len(set((x[0], x[1], x[2], x[3]) for x in ka) ^ set((x[0], x[1], x[2], x[3]) for x in kb))
        changed["speaker"] += len(set((x[0], x[1], x[4], x[5]) for x in ka) ^ set((x[0], x[1], x[4], x[5]) for x in kb))
        changed["cue"] += len(set((x[0], x[1], x[6]) for x in ka) ^ set((x[0], x[1], x[6]) for x in kb))
    return changed


@pytest.mark.parametrize("via,out_name", [("brat", "brat"), ("labelstudio", "tasks.json")])
def test_polnear_dev_round_trip(shared_dir, tmp_path, via, out_name):
    src = shared_dir / "data" / "polnear" / "dev.jsonl"
    gold = [json.loads(line) for line in src.read_text(encoding="utf-8").split("\n") if line.strip()]
    docs = read_documents(src, "jsonl")
    assert sum(len(d.quotes) for d in docs) == sum(len(r["quotes"]) for r in gold)
    convert(src, tmp_path / out_name, to_fmt=via)
    convert(tmp_path / out_name, tmp_path / "back.jsonl", to_fmt="jsonl")
    back = {d.id: d for d in read_jsonl(tmp_path / "back.jsonl")}
    assert sorted(back) == sorted(d.id for d in docs)
    assert _polnear_check(docs, back) == {"text": 0, "quote": 0, "speaker": 0, "cue": 0}
    # and against the gold file itself, field by field
    by_id = {r["id"]: r for r in gold}
    for doc_id, d in back.items():
        g = by_id[doc_id]
        assert d.article == g["text"]
        mine = sorted((q["start"], q["end"], q["type"], q["speaker"], q["speaker_spans"], q["cue_spans"], q["group"])
                      for q in document_to_record(d)["quotes"])
        theirs = sorted((q["start"], q["end"], q["type"], q["speaker"], q["speaker_spans"], q["cue_spans"], q["group"])
                        for q in g["quotes"])
        assert mine == theirs


@pytest.mark.parametrize("content, fmt, says", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "jsonl", "looks like a PNG image"),
    ('{"id": "a", "text": "Caf\u00e9 owners said so."}\n'.encode("cp1252"), "jsonl", "not UTF-8 text"),
    (b"this is not JSON at all", "labelstudio", "not valid JSON at line 1"),
])
def test_unreadable_input_is_named_clearly(tmp_path, content, fmt, says):
    path = tmp_path / ("in.jsonl" if fmt == "jsonl" else "in.json")
    path.write_bytes(content)
    with pytest.raises(ConvertError) as err:
        read_documents(path, fmt)
    assert str(path) in str(err.value) and says in str(err.value)
