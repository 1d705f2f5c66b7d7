"""Pre-annotating a corpus: every new document analysed, progress reported, cancel honoured,
errors collected, a person's work never overwritten."""
import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from quotedesk.core import edits
from quotedesk.core.batch import preannotate
from quotedesk.core.corpus import Corpus
from quotedesk.core.model import ORIGIN_MACHINE, Quote
from tests.core.conftest import CORPUS_FIXTURES


def quoting_analyzer(raw, kind, doc_id, source, clean):
    """Extraction from the real pipeline, then one machine quote on the first double-quoted passage:
    enough to tell the batch's own logic apart from attribution quality.  Module level so worker
    processes can import it."""
    from quotedesk.core.pipeline import build_document

    if "BROKEN" in raw:
        raise ValueError("cannot analyse this page")
    doc = build_document(raw, kind, doc_id, source, clean)
    s = doc.article.find('"')
    e = doc.article.find('"', s + 1)
    if s >= 0 and e > s + 1:
        doc.quotes["q1"] = Quote("q1", s + 1, e, "direct", rule="test", origin=ORIGIN_MACHINE)
    doc.status = "machine"
    return doc


def slow_analyzer(raw, kind, doc_id, source, clean):
    time.sleep(0.15)
    return quoting_analyzer(raw, kind, doc_id, source, clean)


def many_pages(tmp_path: Path, copies: int) -> Path:
    """A bigger invented corpus: the fixture pages repeated under new names."""
    dst = tmp_path / "many"
    dst.mkdir()
    pages = sorted(CORPUS_FIXTURES.iterdir())
    for i in range(copies):
        for p in pages:
            shutil.copy(p, dst / f"{i:02d}-{p.name}")
    return dst


@pytest.mark.parametrize("jobs", [1, 2])
def test_preannotate_all_with_progress(folder, jobs):
    c = Corpus.open(folder)
    seen = []
    res = preannotate(c, jobs=jobs, progress=lambda d, t: seen.append((d, t)), analyzer=quoting_analyzer)
    assert sorted(res.done) == c.ids and not res.errors and not res.cancelled
    assert seen == [(i, 5) for i in range(1, 6)]
    assert c.counts()["machine"] == 5
    doc = Corpus.open(folder).load("harbour-strike")
    assert doc.status == "machine"
    assert doc.span_text(doc.quotes["q1"]).startswith("We have waited two years")
    # A second run has nothing new to do; redo re-analyses machine-only documents.
    assert preannotate(c, jobs=jobs, analyzer=quoting_analyzer).total == 0
    assert len(preannotate(c, jobs=jobs, redo=True, analyzer=quoting_analyzer).done) == 5


def test_human_edited_documents_are_not_overwritten(folder):
    c = Corpus.open(folder)
    preannotate(c, jobs=1, analyzer=quoting_analyzer)
    # A person accepts the suggestion in one document and marks another done.
    doc = c.load("chess-final")
    edits.apply_all(doc, edits.accept_quote(doc, "q1"))
    edits.apply_all(doc, edits.move_boundary(doc, "quote", "q1", "end", doc.quotes["q1"].end - 1))
    c.save(doc)
    c.set_status("budget-vote", "done")
    before = c.annotation_path("chess-final").read_bytes()
    res = preannotate(c, jobs=2, redo=True, analyzer=quoting_analyzer)
    assert set(res.skipped) == {"chess-final", "budget-vote"}
    assert "chess-final" not in res.done
    assert c.annotation_path("chess-final").read_bytes() == before
    assert c.status("chess-final") == "review" and c.status("budget-vote") == "done"


def test_human_work_appearing_during_the_run_is_kept(folder):
    c = Corpus.open(folder)

    def edit_while_running(done, total):
        if done == 1:  # a person saves their work on a document the batch has not reached yet
            doc = c.fresh_document("orchard-frost")
            edits.apply_all(doc, edits.mark_quote(doc, *_span(doc, "I have not seen it this bad")))
            c.save(doc)

    res = preannotate(c, jobs=1, progress=edit_while_running, analyzer=quoting_analyzer)
    assert "orchard-frost" in res.skipped
    kept = c.load("orchard-frost")
    assert [q.origin for q in kept.quotes.values()] == ["human"]


def _span(doc, phrase):
    s = doc.article.index(phrase)
    return s, s + len(phrase)


def test_errors_are_collected_not_fatal(folder):
    (folder / "zz-broken.txt").write_text("BROKEN page\n")
    c = Corpus.open(folder)
    res = preannotate(c, jobs=2, analyzer=quoting_analyzer)
    assert list(res.errors) == ["zz-broken"] and "cannot analyse" in res.errors["zz-broken"]
    assert len(res.done) == 5
    assert c.status("zz-broken") == "new"


@pytest.mark.parametrize("jobs", [1, 2])
def test_cancel_stops_early(tmp_path, jobs):
    c = Corpus.open(many_pages(tmp_path, 6))  # 30 documents
    cancel = threading.Event()

    def progress(done, total):
        if done == 2:
            cancel.set()

    res = preannotate(c, jobs=jobs, progress=progress, cancel=cancel, analyzer=slow_analyzer)
    assert res.cancelled
    assert 2 <= len(res.done) <= 2 + 2 * jobs < res.total == 30
    # What was finished is saved; the rest is still new and a later run picks it up.
    assert c.counts()["machine"] == len(res.done)
    assert Corpus.open(c.source).counts()["new"] == 30 - len(res.done)


def test_cancel_callable_before_start(folder):
    res = preannotate(Corpus.open(folder), jobs=1, cancel=lambda: True, analyzer=quoting_analyzer)
    assert res.cancelled and res.done == []


def test_real_pipeline_in_process(folder):
    """The default analyser is core.pipeline.analyze: its suggestions are saved as machine work."""
    c = Corpus.open(folder)
    res = preannotate(c, jobs=1)
    assert not res.errors, res.errors
    assert sorted(res.done) == c.ids
    for doc_id in c.ids:
        doc = c.load(doc_id)
        assert doc.status == "machine"
        assert all(q.origin == "machine" for q in doc.quotes.values())


def crashing_analyzer(raw, kind, doc_id, source, clean):
    if "CRASH" in raw:
        os._exit(3)  # a worker process dying outright (as if killed for memory)
    return quoting_analyzer(raw, kind, doc_id, source, clean)


def test_dead_worker_is_reported_not_fatal(folder):
    (folder / "aa-crash.txt").write_text("CRASH page\n")
    c = Corpus.open(folder)
    res = preannotate(c, jobs=2, analyzer=crashing_analyzer)
    assert "aa-crash" in res.errors
    assert len(res.done) + len(res.errors) == res.total == 6
    assert all(c.status(i) == "machine" for i in res.done)
    assert not list(c.store.glob(".*.batch.tmp"))  # no staged file left behind in place of work
