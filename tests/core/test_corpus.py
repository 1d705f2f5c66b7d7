"""Corpus: opening folders and JSONL files, the annotation store beside them, statuses, resuming."""
import json

import pytest

from quotedesk.core import edits
from quotedesk.core.corpus import Corpus, CorpusError, annotation_file_name, default_store
from quotedesk.core.model import ORIGIN_MACHINE, Mention, Quote
from tests.core.conftest import CORPUS_IDS as IDS


def machine_quote(doc, phrase: str) -> str:
    """Add a machine suggestion covering ``phrase`` (as the batch would) and return its id."""
    start = doc.article.index(phrase)
    qid = doc.new_id("q")
    doc.quotes[qid] = Quote(qid, start, start + len(phrase), "direct", origin=ORIGIN_MACHINE)
    doc.status = "machine"
    return qid


def test_folder_ids_kinds_and_fresh_documents(folder):
    c = Corpus.open(folder)
    assert c.ids == IDS
    assert c.counts() == {"new": 5, "machine": 0, "review": 0, "done": 0}
    doc = c.load("library-reopens")
    assert doc.raw_kind == "html" and doc.id == "library-reopens"
    assert "three years of roof repairs" in doc.article
    assert doc.status == "new" and not doc.quotes
    assert c.store == folder / ".quotedesk"
    # Listing and loading write nothing; nothing is ever written among the pages.
    assert not (folder / ".quotedesk" / "project.json").exists()


def test_save_reopen_resume(folder):
    c = Corpus.open(folder)
    doc = c.load("harbour-strike")
    machine_quote(doc, "Every day the cranes stand still costs the city money")
    assert c.save(doc)
    c.last_opened = "harbour-strike"
    assert (folder / ".quotedesk" / "harbour-strike.quotedesk.json").exists()
    assert c.status("harbour-strike") == "machine"

    again = Corpus.open(folder)
    assert again.status("harbour-strike") == "machine"
    assert again.last_opened == "harbour-strike"
    assert again.entry("harbour-strike").quotes == 1
    loaded = again.load("harbour-strike")
    assert loaded == doc
    project = json.loads((folder / ".quotedesk" / "project.json").read_text())
    assert project["version"] == 1 and project["documents"]["harbour-strike"]["status"] == "machine"
    assert project["source"] == str(folder.resolve())


def test_human_work_is_never_downgraded(folder):
    c = Corpus.open(folder)
    doc = c.load("orchard-frost")
    qid = machine_quote(doc, "The blossoms turned brown by morning")
    c.save(doc)
    edits.apply_all(doc, edits.accept_quote(doc, qid))
    c.save(doc)
    assert c.status("orchard-frost") == "review"
    edits.apply_all(doc, edits.set_doc_status(doc, "done"))
    c.save(doc)
    assert c.status("orchard-frost") == "done"
    # A later save of a copy still saying "machine" keeps done.
    doc.status = "machine"
    c.save(doc)
    assert c.status("orchard-frost") == "done"
    # The batch may not write over it at all.
    fresh = c.load("orchard-frost")
    fresh.quotes.clear()
    assert c.save(fresh, machine=True) is False
    assert len(c.load("orchard-frost").quotes) == 1
    # A person may reopen it explicitly, and the file agrees.
    c.set_status("orchard-frost", "review")
    assert c.status("orchard-frost") == "review"
    assert c.load("orchard-frost").status == "review"


def test_machine_save_refused_when_file_has_human_span(folder):
    c = Corpus.open(folder)
    doc = c.load("chess-final")
    edits.apply_all(doc, edits.mark_mention(doc, *_span(doc, "Elin Maras")))
    # Written behind the corpus' back (e.g. by another tool), so project.json does not know.
    from quotedesk.core.annotation_file import save_document
    doc.status = "machine"
    save_document(doc, c.annotation_path("chess-final"))
    c2 = Corpus.open(folder)
    assert c2.status("chess-final") == "review"
    assert c2.save(c2.fresh_document("chess-final"), machine=True) is False
    assert any(isinstance(m, Mention) for m in c2.load("chess-final").mentions.values())


def _span(doc, phrase):
    s = doc.article.index(phrase)
    return s, s + len(phrase)


def test_filter_and_next_unreviewed(folder):
    c = Corpus.open(folder)
    c.set_status("budget-vote", "done")
    c.set_status("chess-final", "review")
    assert c.filter(status="done") == ["budget-vote"]
    assert c.filter(status=("new", "review")) == ["chess-final", "harbour-strike", "library-reopens",
                                                   "orchard-frost"]
    assert c.filter(text="ORCH") == ["orchard-frost"]
    assert c.filter(status="new", text="re") == ["library-reopens"]
    assert c.next_unreviewed() == "harbour-strike"
    assert c.next_unreviewed("harbour-strike") == "library-reopens"
    assert c.next_unreviewed("orchard-frost") == "harbour-strike"  # wraps round, skips done/review
    for i in ("harbour-strike", "library-reopens", "orchard-frost"):
        c.set_status(i, "done")
    assert c.next_unreviewed() == "chess-final"  # only a review one is left
    c.set_status("chess-final", "done")
    assert c.next_unreviewed() is None
    assert c.counts()["done"] == 5
    with pytest.raises(CorpusError):
        c.set_status("chess-final", "finished")
    with pytest.raises(CorpusError):
        c.status("no-such-doc")


def test_jsonl_corpus_store_beside_file(tmp_path):
    path = tmp_path / "wire.jsonl"
    recs = [
        {"id": "a/1", "text": "\"We are ready,\" said Ona Pell.\nThe ferry leaves at noon."},
        {"id": "b", "html": "<html><body><article><h1>Bridge</h1><p>The bridge over the Kessa river "
                             "opened on Friday after two years of works, said engineer Ruta Vask, "
                             "who led the project.</p></article></body></html>"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8")
    c = Corpus.open(path)
    assert c.ids == ["a/1", "b"]
    assert c.store == tmp_path / "wire.jsonl.quotedesk" == default_store(path)
    d = c.load("a/1")
    assert d.article == recs[0]["text"]  # a text record is the article, offsets unchanged
    assert "bridge over the Kessa river" in c.load("b").article
    machine_quote(d, "We are ready,")
    c.save(d)
    # An id that is not a safe file name gets its own file all the same.
    assert c.annotation_path("a/1").parent == c.store
    assert annotation_file_name("a/1") != annotation_file_name("a_1")
    assert Corpus.open(path).load("a/1") == d


def test_bad_inputs(tmp_path):
    with pytest.raises(CorpusError):
        Corpus.open(tmp_path / "missing")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "ok"}\n{"id": "x", "text": "again"}\n')
    with pytest.raises(CorpusError, match="repeats"):
        Corpus.open(bad)


def test_duplicate_stems_get_distinct_ids(tmp_path):
    (tmp_path / "story.txt").write_text("A plain story about the Lenn canal.\n")
    (tmp_path / "story.html").write_text("<html><body><p>The Lenn canal story.</p></body></html>")
    c = Corpus.open(tmp_path)
    assert c.ids == ["story.html", "story.txt"]


GOLD_TEXT = '"Nets are empty this season," said Lars Hoven, a fisher from Orvik.'
GOLD = {"id": "fish", "text": GOLD_TEXT, "quotes": [
    {"start": 1, "end": 28, "type": "direct", "speaker": "Lars Hoven", "speaker_spans": [[35, 45]],
     "cue_spans": [[30, 34]]}]}


def _jsonl(tmp_path, *records):
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_jsonl_records_with_quotes_open_as_human_work(tmp_path):
    """A copy of a gold corpus listed every document as "new, 0 quotes" and showed the gold
    quotes as machine suggestions."""
    bare = {"id": "bare", "text": "Nobody said anything."}
    c = Corpus.open(_jsonl(tmp_path, GOLD, bare))
    e = c.entry("fish")  # before the document is ever opened
    assert (e.status, e.quotes, e.human) == ("review", 1, True)
    assert c.status("bare") == "new"
    doc = c.load("fish")
    assert doc.article == GOLD_TEXT
    [q] = doc.quotes.values()
    assert doc.span_text(q) == "Nets are empty this season,"
    assert doc.speaker_name(q) == "Lars Hoven"
    assert q.origin == "human" and q.reviewed
    assert doc.status == "review" and c.status("fish") == "review"


def test_record_status_is_respected_and_machine_records_stay_machine(tmp_path):
    done = dict(GOLD, id="done", status="done")
    bogus = dict(GOLD, id="bogus", status="finished")
    machine = dict(GOLD, id="mach", quotes=[dict(GOLD["quotes"][0], origin="machine", reviewed=False)])
    c = Corpus.open(_jsonl(tmp_path, done, bogus, machine))
    assert c.status("done") == "done" and c.load("done").status == "done"
    assert c.status("bogus") == "review" and c.load("bogus").status == "review"
    assert (c.status("mach"), c.entry("mach").human) == ("machine", False)
    [q] = c.load("mach").quotes.values()
    assert q.origin == "machine"


def test_stale_project_file_does_not_hide_gold_quotes(tmp_path):
    path = _jsonl(tmp_path, GOLD)
    Corpus.open(path).flush()  # as an older QuoteDesk wrote it: "fish" new, 0 quotes
    pj = path.with_name(path.name + ".quotedesk") / "project.json"
    data = json.loads(pj.read_text(encoding="utf-8"))
    data["documents"]["fish"] = {"status": "new", "quotes": 0, "reviewed": 0, "human": False}
    pj.write_text(json.dumps(data), encoding="utf-8")
    assert Corpus.open(path).entry("fish").quotes == 1


def test_preannotate_never_replaces_gold_quotes(tmp_path):
    from quotedesk.core.batch import preannotate
    from quotedesk.core.model import Quote

    def analyzer(raw, kind, doc_id, source, clean):
        from quotedesk.core import pipeline

        doc = pipeline.build_document(raw, kind, doc_id, source, clean=clean)
        doc.quotes["q1"] = Quote("q1", 0, 5, "direct")
        return doc

    bare = {"id": "bare", "text": "Nobody said anything."}
    c = Corpus.open(_jsonl(tmp_path, GOLD, bare))
    res = preannotate(c, jobs=1, analyzer=analyzer)
    assert len(res.done) == 1 and c.status("bare") == "machine"
    assert not c.annotation_path("fish").exists()
    [q] = c.load("fish").quotes.values()
    assert (q.start, q.end, q.origin) == (1, 28, "human")
    assert len(preannotate(c, jobs=1, redo=True, analyzer=analyzer).done) == 1


def test_symlink_to_a_page_outside_the_folder_is_refused(folder, tmp_path):
    secret = tmp_path / "elsewhere.txt"
    secret.write_text("Private notes, not part of the corpus.", encoding="utf-8")
    (folder / "linked.txt").symlink_to(secret)
    (folder / "inside.txt").symlink_to(folder / "budget-vote.txt")  # a link within the folder is fine
    c = Corpus.open(folder)
    assert "linked" not in c and "inside" in c
    assert len(c.skipped) == 1 and "linked.txt" in c.skipped[0] and "outside the corpus folder" in c.skipped[0]


def test_sync_after_another_writer_saved(folder):
    from quotedesk.core.annotation_file import save_document

    c = Corpus.open(folder)
    doc = c.load("budget-vote")
    edits.apply_all(doc, edits.mark_quote(doc, *_span(doc, "This budget puts buses where people actually live")))
    edits.apply_all(doc, edits.set_doc_status(doc, "done"))
    save_document(doc, c.annotation_path("budget-vote"))  # e.g. the review window's own save
    assert c.status("budget-vote") == "new"
    assert c.sync("budget-vote") == "done"
    assert c.entry("budget-vote").quotes == 1 and c.entry("budget-vote").reviewed == 1
    assert Corpus.open(folder).status("budget-vote") == "done"
    assert [r.speaker for r in c.speaker_rows()] == ["(no speaker)"]


@pytest.mark.parametrize("content", [b"[]", b"{", b"\x89PNG\r\n\x1a\n\x00\x00", b'{"documents": []}',
                                     b'{"documents": {"budget-vote": "done"}}', b'{"version": "1"}',
                                     b'{"documents": {"budget-vote": {"quotes": "many"}}}'])
def test_damaged_project_file_is_a_corpus_error_naming_it(folder, content):
    Corpus.open(folder).flush()
    project = folder / ".quotedesk" / "project.json"
    project.write_bytes(content)
    with pytest.raises(CorpusError) as err:
        Corpus.open(folder)
    assert str(project) in str(err.value)


def test_overlong_and_deep_lines_are_refused(tmp_path, monkeypatch):
    from quotedesk.core import readers

    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps(GOLD) + "\n" + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="line 2 is JSON nested too deeply"):
        Corpus.open(path)
    monkeypatch.setattr(readers, "MAX_LINE_BYTES", 1000)
    path.write_text(json.dumps(GOLD) + "\n" + json.dumps({"id": "big", "text": "x" * 5000}) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="line 2 is longer than"):
        Corpus.open(path)
