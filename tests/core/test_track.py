"""The same quotation across stories: grouped after normalisation, flagged when the speaker or the
wording differs, and kept apart when only the topic is shared.  All stories are invented."""
import json

from quotedesk.core.track import (TrackIndex, load_occurrences, merge_names, record_occurrences, track,
                                  where_else)


def story(doc_id, text, quotes, entities=None):
    """An annotated corpus record: ``quotes`` are (quoted passage, speaker as printed, type)."""
    qs = []
    for passage, speaker, qtype in quotes:
        s = text.index(passage)
        q = {"start": s, "end": s + len(passage), "type": qtype, "speaker": speaker, "speaker_spans": []}
        if speaker and speaker in text:
            ss = text.index(speaker)
            q["speaker_spans"] = [[ss, ss + len(speaker)]]
        qs.append(q)
    return {"id": doc_id, "text": text, "quotes": qs}


HARBOUR = "We have waited two years for a fair contract and we will not wait another winter"


def harbour_story(doc_id, words, speaker="Mara Lindqvist"):
    text = (f"The harbour strike entered its third week on Monday. “{words},” {speaker} said outside "
            "the gates.\n\nThe port authority did not reply.")
    return story(doc_id, text, [(words, speaker, "direct")])


def groups_of(records):
    return track([o for r in records for o in record_occurrences(r)])


def test_one_word_changed_is_one_quotation_with_wording_drift():
    changed = HARBOUR.replace("fair contract", "decent contract")
    groups = groups_of([harbour_story("wire-a", HARBOUR), harbour_story("wire-b", HARBOUR),
                        harbour_story("paper-c", changed)])
    assert len(groups) == 1
    g = groups[0]
    assert sorted(o["doc"] for o in g["occurrences"]) == ["paper-c", "wire-a", "wire-b"]
    assert g["flags"] == ["wording_drift"]
    assert g["speakers"] == ["Mara Lindqvist"]
    assert g["text"] == HARBOUR  # the wording printed most often
    (diff,) = g["differences"]
    assert diff["doc"] == "paper-c"
    assert diff["changes"] == [{"op": "replace", "from": "fair", "to": "decent"}]


def test_case_punctuation_and_quote_marks_do_not_count_as_drift():
    loud = HARBOUR.upper().replace("TWO YEARS", "TWO YEARS,")
    g, = groups_of([harbour_story("a", HARBOUR), harbour_story("b", loud)])
    assert g["flags"] == []


def test_quotation_given_to_two_people_is_a_speaker_conflict():
    groups = groups_of([harbour_story("a", HARBOUR, "Mara Lindqvist"),
                        harbour_story("b", HARBOUR, "Tomas Berg")])
    g, = groups
    assert g["flags"] == ["speaker_conflict"]
    assert set(g["speakers"]) == {"Mara Lindqvist", "Tomas Berg"}


def test_surname_and_full_name_are_one_speaker():
    assert merge_names(["Putin", "Vladimir Putin", "putin"]) == {
        "Putin": "Vladimir Putin", "Vladimir Putin": "Vladimir Putin", "putin": "Vladimir Putin"}
    # accents do not make another person
    assert set(merge_names(["Felipe Calderón", "Felipe Calderon"]).values()) == {"Felipe Calderón"}
    # a surname two people share stays itself
    assert merge_names(["Clinton", "Bill Clinton", "Hillary Clinton"])["Clinton"] == "Clinton"
    g, = groups_of([harbour_story("a", HARBOUR, "Lindqvist"), harbour_story("b", HARBOUR, "Mara Lindqvist"),
                    harbour_story("c", HARBOUR, "she"), harbour_story("d", HARBOUR, "The union leader")])
    assert g["flags"] == [] and g["speakers"] == ["Mara Lindqvist"]


def test_quotation_split_across_paragraphs_matches_the_whole():
    first = "The council has broken every promise it made to the families on the east bank"
    second = "and we will keep marching until the flood wall is finished"
    split = story("weekly", f"Residents gathered again.\n\n“{first}.\n\n“{second},” said Ines Moreau.\n\nMore later.",
                  [(first + ".", "Ines Moreau", "direct"), (second, "Ines Moreau", "direct")])
    whole = story("daily", f"“{first}, {second},” Ines Moreau told the crowd on Friday.",
                  [(f"{first}, {second}", "Ines Moreau", "direct")])
    occ = record_occurrences(split)
    assert len(occ) == 1  # the two paragraphs are one occurrence
    g, = groups_of([split, whole])
    assert sorted(o["doc"] for o in g["occurrences"]) == ["daily", "weekly"]
    assert g["flags"] == []


def test_near_misses_on_the_same_topic_do_not_merge():
    records = [
        harbour_story("a", HARBOUR),
        harbour_story("b", "We have been patient for two years and the owners still refuse to talk to us"),
        harbour_story("c", "Nobody at the port wants another winter of strikes and empty ships"),
        harbour_story("d", "Two years without a contract is too long for any family on this harbour"),
    ]
    assert groups_of(records) == []


def test_a_short_phrase_inside_long_quotes_does_not_join_them():
    records = [harbour_story("a", HARBOUR),
               harbour_story("b", "We will not wait another winter, the mayor said of the new ferry timetable plan"),
               story("c", "He called it “a fair contract” again.", [("a fair contract", "He", "mixed")])]
    assert groups_of(records) == []


def test_mixed_quote_counts_only_its_quoted_words():
    text = f"Lindqvist said the union “{HARBOUR.lower()}” and would vote on Friday."
    s = text.index("the union")
    rec = {"id": "m", "text": text, "quotes": [{"start": s, "end": len(text) - 1, "type": "mixed",
                                                 "speaker": "Lindqvist", "speaker_spans": [[0, 9]]}]}
    g, = groups_of([rec, harbour_story("a", HARBOUR)])
    assert g["flags"] == []


def test_reads_analyze_output_and_folders(tmp_path):
    """analyze/batch records carry the text in article.body and entity ids; a folder of shards
    (errors files left out) reads as one input."""
    body = f"“{HARBOUR},” Lindqvist said."
    s, e = 1, 1 + len(HARBOUR)
    rec = {"id": "x1", "source": "x", "offsets": "input",
           "quotes": [{"start": s, "end": e, "type": "direct", "speaker": "Mara Lindqvist",
                       "speaker_spans": [[e + 3, e + 12]], "entity": "e1"}],
           "entities": [{"id": "e1", "name": "Mara Lindqvist", "kind": "person"}],
           "article": {"body": body}}
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "a-00000.jsonl").write_text(json.dumps(rec) + "\n")
    (tmp_path / "out" / "a-00000.errors.jsonl").write_text('{"id": "zz", "error": "bad"}\n')
    (tmp_path / "b.jsonl").write_text(json.dumps(harbour_story("y1", HARBOUR, "Tomas Berg")) + "\nnot json\n")
    problems = []
    occ = load_occurrences([str(tmp_path / "out"), str(tmp_path / "b.jsonl")], problems)
    assert [(o.doc, o.speaker, o.entity_name) for o in occ] == [("x1", "Lindqvist", "Mara Lindqvist"),
                                                               ("y1", "Tomas Berg", None)]
    assert len(problems) == 1 and "b.jsonl:2" in problems[0]
    g, = track(occ)
    assert g["flags"] == ["speaker_conflict"]


def test_where_else_for_the_window():
    index = TrackIndex.from_records([harbour_story("a", HARBOUR), harbour_story("b", HARBOUR),
                                     harbour_story("c", "Something else entirely was said about the ferry")])
    rec = harbour_story("a", HARBOUR)
    q = rec["quotes"][0]
    others = where_else(index, "a", q["start"], q["end"])
    assert [o["doc"] for o in others] == ["b"]
    assert where_else(index, "c", 0, 5) == []


def test_index_from_analysed_documents():
    """What a corpus window has: Documents (the machine's analysis of two invented stories)."""
    from quotedesk.core.pipeline import analyze

    a = analyze(f"Dockworkers walked out.\n\n“{HARBOUR},” said Mara Lindqvist.\n", "text", "a", clean=True)
    b = analyze(f"Talks failed.\n\n“{HARBOUR},” Tomas Berg said.\n", "text", "b", clean=True)
    index = TrackIndex.from_documents([a, b])
    q = a.sorted_quotes()[0]
    assert [(o["doc"], o["speaker"]) for o in where_else(index, "a", q.start, q.end)] == [("b", "Tomas Berg")]
    assert [g["flags"] for g in index.conflicts()] == [["speaker_conflict"]]
