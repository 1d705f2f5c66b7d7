"""Corpus mode in the GUI: open a folder, pre-annotate off the UI thread, review a document,
reopen and resume; cancel; a person's work is never overwritten."""
import pytest
from PySide6.QtCore import Qt

from quotedesk.core import edits
from quotedesk.core.corpus import Corpus
from quotedesk.gui.corpus_model import ID_ROLE, STATUS_ROLE
from quotedesk.gui.corpus_panel import CorpusPanel
from tests.core.conftest import CORPUS_IDS as IDS
from tests.core.test_batch import many_pages, slow_analyzer


def make_panel(qtbot, jobs=1) -> CorpusPanel:
    panel = CorpusPanel(jobs=jobs)
    qtbot.addWidget(panel)
    panel.resize(500, 500)
    return panel


def rows(panel) -> dict[str, str]:
    m = panel.model
    return {m.index(r, 0).data(ID_ROLE): m.index(r, 0).data(STATUS_ROLE) for r in range(m.rowCount())}


def run_batch(qtbot, panel, **kw):
    progress = []
    panel.batchProgress.connect(lambda d, t: progress.append((d, t)))
    with qtbot.waitSignal(panel.batchFinished, timeout=60000) as blocker:
        assert panel.preannotate(**kw) is not None
        assert panel.is_batch_running() or progress  # started off the UI thread
    return blocker.args[0], progress


@pytest.mark.parametrize("jobs", [1, 2])
def test_open_preannotate_review_reopen(qtbot, folder, jobs):
    panel = make_panel(qtbot, jobs)
    panel.open_corpus(folder)
    assert list(rows(panel)) == IDS and set(rows(panel).values()) == {"new"}
    assert "5 documents" in panel.summary.text()

    result, progress = run_batch(qtbot, panel)
    assert not result.errors and sorted(result.done) == IDS
    assert progress[-1] == (5, 5) and [d for d, _ in progress] == [1, 2, 3, 4, 5]
    assert set(rows(panel).values()) == {"machine"}
    assert not panel.is_batch_running() and panel.batch_bar.isHidden()
    quotes_col = {panel.model.index(r, 0).data(ID_ROLE): panel.model.index(r, 2).data()
                  for r in range(panel.model.rowCount())}
    assert all(n > 0 for n in quotes_col.values())  # every invented page quotes somebody

    # Open the next unreviewed document, accept the machine's work and mark it done.
    with qtbot.waitSignal(panel.documentActivated) as act:
        first = panel.next_unreviewed()
    assert act.args == [first] == ["budget-vote"]
    doc = panel.corpus.load(first)
    edits.apply_all(doc, edits.accept_all(doc))
    edits.apply_all(doc, edits.set_doc_status(doc, "done"))
    with qtbot.waitSignal(panel.statusChanged) as changed:
        panel.save_document(doc)
    assert changed.args == ["budget-vote", "done"]
    assert rows(panel)["budget-vote"] == "done"
    assert panel.done_bar.value() == 1 and panel.done_bar.maximum() == 5
    reviewed = panel.model.index(0, 3).data()
    assert reviewed == len(doc.quotes) > 0

    # Reopen: statuses and the last opened document are kept; the next one follows it.
    again = make_panel(qtbot)
    again.open_corpus(folder)
    assert rows(again)["budget-vote"] == "done"
    assert [s for i, s in rows(again).items() if i != "budget-vote"] == ["machine"] * 4
    assert again.corpus.last_opened == "budget-vote"
    assert again.view.currentIndex().data(ID_ROLE) == "budget-vote"
    # A new panel starts from the top: the next unreviewed is the first machine document.
    assert again.next_unreviewed() == "chess-final"
    assert again.next_unreviewed() == "harbour-strike"


def test_filters(qtbot, folder):
    panel = make_panel(qtbot)
    panel.open_corpus(folder)
    panel.set_status("orchard-frost", "done")
    panel.set_status("chess-final", "review")
    panel.status_combo.setCurrentIndex(panel.status_combo.findData("done"))
    assert panel.proxy.visible_ids() == ["orchard-frost"]
    panel.status_combo.setCurrentIndex(0)
    qtbot.keyClicks(panel.text_filter, "har")
    assert panel.proxy.visible_ids() == ["harbour-strike", "orchard-frost"]
    panel.status_combo.setCurrentIndex(panel.status_combo.findData("new"))
    assert panel.proxy.visible_ids() == ["harbour-strike"]
    # Activating a filtered-out document clears the filters so the list shows it.
    panel.activate("budget-vote")
    assert panel.view.currentIndex().data(ID_ROLE) == "budget-vote"
    assert panel.text_filter.text() == "" and len(panel.proxy.visible_ids()) == 5


def test_shift_pagedown_opens_next_unreviewed(qtbot, folder):
    panel = make_panel(qtbot)
    panel.open_corpus(folder)
    panel.set_status("budget-vote", "done")
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    qtbot.waitUntil(lambda: panel.isActiveWindow())
    panel.view.setFocus()
    with qtbot.waitSignal(panel.documentActivated, timeout=2000) as act:
        qtbot.keyClick(panel.view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ShiftModifier)
    assert act.args == ["chess-final"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_cancel_stops_early_and_keeps_finished_work(qtbot, tmp_path, jobs):
    panel = make_panel(qtbot, jobs)
    panel.analyzer = slow_analyzer
    panel.open_corpus(many_pages(tmp_path, 6))  # 30 documents
    panel.batchProgress.connect(lambda d, t: panel.cancel_batch() if d == 1 else None)
    result, progress = run_batch(qtbot, panel)
    assert result.cancelled
    # The cancel travels through the event loop, so a busy machine lets a few more finish
    # (core/test_batch.py checks the exact bound); it must still stop far short of all 30.
    assert 1 <= len(result.done) <= 10
    assert "Cancelled" in panel.batch_label.text()
    assert panel.corpus.counts()["machine"] == len(result.done)
    assert panel.preannotate_action.isEnabled()


def test_human_edited_document_not_overwritten(qtbot, folder):
    panel = make_panel(qtbot)
    panel.open_corpus(folder)
    # A person reviews one page before any pre-annotation: one quote of their own, nothing else.
    doc = panel.corpus.load("chess-final")
    s = doc.article.index("I was sure")
    edits.apply_all(doc, edits.mark_quote(doc, s, s + len("I was sure")))
    panel.save_document(doc)
    assert rows(panel)["chess-final"] == "review"
    before = panel.corpus.annotation_path("chess-final").read_bytes()

    result, _ = run_batch(qtbot, panel, redo=True)
    assert result.skipped == ["chess-final"] and len(result.done) == 4
    assert panel.corpus.annotation_path("chess-final").read_bytes() == before
    kept = Corpus.open(folder).load("chess-final")
    assert [(q.origin, kept.span_text(q)) for q in kept.quotes.values()] == [("human", "I was sure")]
    assert "left alone" in panel.batch_label.text()
