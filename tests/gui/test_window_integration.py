"""Corpus mode through the review window: open a corpus, pre-annotate, review with Shift+PgDn, resume,
statistics, export/import and the agreement report's jumps (invented pages of tests/fixtures/corpus)."""
import pytest
from PySide6.QtCore import Qt

from quotedesk.core.annotation_file import load_document
from quotedesk.core.convert import write_documents
from quotedesk.gui import corpus_mode, export_dialog
from quotedesk.gui.corpus_model import ID_ROLE, STATUS_ROLE
from quotedesk.gui.review_window import ReviewWindow
from quotedesk.gui.testing import ScriptedPrompts, temp_settings
from tests.core.conftest import CORPUS_IDS as IDS

# Fixtures from tests/core/conftest.py and tests/gui/conftest.py: ``folder`` (a copy of the invented
# pages of tests/fixtures/corpus) and ``messages`` (export_dialog's message boxes, recorded).
BRAT_FILTER = next(f for f, fmt, _ in export_dialog.EXPORT_FILTERS if fmt == "brat")
BRAT_OPEN = next(f for f, kind in export_dialog.IMPORT_FILTERS if kind == "brat-folder")
JSONL_OPEN = next(f for f, kind in export_dialog.IMPORT_FILTERS if kind == "jsonl")



def make_window(qtbot, tmp_path) -> ReviewWindow:
    win = ReviewWindow(settings=temp_settings(tmp_path), prompts=ScriptedPrompts())
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    win.corpus_mode.panel.jobs = 1
    return win


def open_through_menu(qtbot, win, folder, monkeypatch):
    monkeypatch.setattr(corpus_mode, "ask_corpus_path", lambda parent, start: str(folder))
    win.actions_by_name["open_corpus"].trigger()
    assert win.corpus_mode.corpus is not None, win.prompts.errors


def preannotate(qtbot, win):
    panel = win.corpus_mode.panel
    progress = []
    panel.batchProgress.connect(lambda d, t: progress.append((d, t)))
    with qtbot.waitSignal(panel.batchFinished, timeout=60000) as blocker:
        win.actions_by_name["preannotate"].trigger()
        assert win.actions_by_name["cancel_preannotate"].isEnabled() or progress
    return blocker.args[0], progress


def statuses(win) -> dict[str, str]:
    m = win.corpus_mode.panel.model
    return {m.index(r, 0).data(ID_ROLE): m.index(r, 0).data(STATUS_ROLE) for r in range(m.rowCount())}


def spans(doc):
    def at(pool, oid):
        return (pool[oid].start, pool[oid].end) if oid in pool else None
    return (sorted((q.start, q.end, q.type, at(doc.mentions, q.mention), at(doc.cues, q.cue))
                   for q in doc.quotes.values()),
            sorted((m.start, m.end) for m in doc.mentions.values()),
            sorted((c.start, c.end) for c in doc.cues.values()))


def shortcut(qtbot, win, key, mods=Qt.KeyboardModifier.NoModifier):
    """A key press as the user makes it: the window active, the caret in the article."""
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=3000)
    win.article_view.setFocus()
    qtbot.keyClick(win.article_view, key, mods)


def test_open_preannotate_review_with_shift_pgdn_and_resume(qtbot, tmp_path, folder, monkeypatch):
    win = make_window(qtbot, tmp_path)
    cm = win.corpus_mode
    assert cm.corpus_dock.isHidden()
    open_through_menu(qtbot, win, folder, monkeypatch)
    assert cm.corpus_dock.isVisible() and cm.panel.isVisible()
    assert win.doc.id == "budget-vote" and win.save_path == str(cm.corpus.annotation_path("budget-vote"))
    assert "0/5 done" in cm.status_label.text()

    result, progress = preannotate(qtbot, win)
    assert sorted(result.done) == IDS and progress[-1] == (5, 5)
    assert set(statuses(win).values()) == {"machine"}
    # The document on screen had no edits: it now shows the machine's suggestions.
    assert win.doc.id == "budget-vote" and win.doc.quotes and not win.isWindowModified()
    assert "budget-vote: machine" in cm.status_label.text()

    # Open a document from the list: Enter opens it (it does not accept a quote), as a double-click does.
    view = cm.panel.view
    qtbot.wait(50)  # the docks settle their sizes once the event loop runs

    def rect_of(doc_id):
        row = next(r for r in range(view.model().rowCount()) if view.model().index(r, 0).data(ID_ROLE) == doc_id)
        return view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect_of("orchard-frost").center())
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert win.doc.id == "orchard-frost" and not win.isWindowModified()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect_of("chess-final").center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect_of("chess-final").center())
    assert win.doc.id == "chess-final"

    # An edit through a shortcut, then Shift+PgDn: saved into the corpus without a question.
    win.select("quote", win.quote_model.quote_id(0))
    accepted = win.selected[1]
    shortcut(qtbot, win, Qt.Key.Key_Return)
    assert win.doc.quotes[accepted].reviewed and win.isWindowModified()
    shortcut(qtbot, win, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ShiftModifier)
    assert win.prompts.asked == []
    assert win.doc.id == "harbour-strike" and not win.isWindowModified()
    saved = load_document(cm.corpus.annotation_path("chess-final"))
    assert saved.quotes[accepted].reviewed
    assert statuses(win)["chess-final"] == "review"

    # Ctrl+End marks the document reviewed; it reaches the corpus when moving on.
    shortcut(qtbot, win, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    shortcut(qtbot, win, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ShiftModifier)
    assert win.doc.id == "library-reopens"
    assert statuses(win) == {"budget-vote": "machine", "chess-final": "review", "harbour-strike": "done",
                             "library-reopens": "machine", "orchard-frost": "machine"}
    assert "1/5 done" in cm.status_label.text()
    win.close()

    # A fresh window on the same corpus (as `main.py FOLDER` opens it): statuses, the edit, the last doc.
    again = make_window(qtbot, tmp_path)
    assert again.open_path(str(folder))
    assert again.doc.id == "library-reopens"
    assert statuses(again)["harbour-strike"] == "done" and statuses(again)["chess-final"] == "review"
    again.corpus_mode.panel.activate("chess-final")
    assert again.doc.id == "chess-final" and again.doc.quotes[accepted].reviewed
    assert str(folder.resolve()) in again.settings.get("recent_files")


def test_switching_keeps_edits_of_a_document_not_in_the_corpus_only_after_asking(qtbot, tmp_path, folder):
    from quotedesk.gui.testing import emoji_document
    win = make_window(qtbot, tmp_path)
    win.set_document(emoji_document())
    win.select("quote", "q1")
    win.actions_by_name["cycle_type"].trigger()
    win.prompts.save_changes = "cancel"
    assert not win.open_path(str(folder))
    assert win.corpus_mode.corpus is None and win.doc.id == "emoji"
    win.prompts.save_changes = "discard"
    assert win.open_path(str(folder)) and win.doc.id == "budget-vote"
    assert win.prompts.asked == ["save_changes", "save_changes"]


def test_statistics_dock_shows_the_documents_speakers(qtbot, tmp_path, folder, monkeypatch):
    win = make_window(qtbot, tmp_path)
    open_through_menu(qtbot, win, folder, monkeypatch)
    preannotate(qtbot, win)
    cm = win.corpus_mode
    assert cm.stats_dock.isHidden()
    cm.stats_dock.toggleViewAction().trigger()
    assert cm.stats_dock.isVisible()
    expected = {win.doc.speaker_name(q) for q in win.doc.quotes.values()} - {None}
    assert expected and {r.speaker for r in cm.stats.rows} >= expected

    # An edit in the window reaches the chart (the view refreshes after a short pause).
    win.select("quote", win.quote_model.quote_id(0))
    entity = win.doc.speaker_entity(win.doc.quotes[win.selected[1]])
    win.prompts.text = "Renamed Speaker"
    win.select_entities([entity.id])
    win.actions_by_name["rename_entity"].trigger()
    qtbot.waitUntil(lambda: "Renamed Speaker" in {r.speaker for r in cm.stats.rows}, timeout=3000)

    # Corpus scope: speakers of the other documents too.
    cm.stats.set_scope("corpus")
    other = cm.corpus.load("harbour-strike")
    others = {other.speaker_name(q) for q in other.quotes.values()} - {None}
    assert {r.speaker for r in cm.stats.rows} >= others | {"Renamed Speaker"}


def test_export_corpus_to_brat_and_import_back(qtbot, tmp_path, folder, monkeypatch, messages):
    win = make_window(qtbot, tmp_path)
    open_through_menu(qtbot, win, folder, monkeypatch)
    preannotate(qtbot, win)
    cm = win.corpus_mode
    before = {i: spans(cm.corpus.load(i)) for i in IDS}
    out = tmp_path / "brat_out"
    monkeypatch.setattr(export_dialog, "ask_save", lambda parent, preselect=None: (str(out), BRAT_FILTER))
    win.actions_by_name["export_corpus"].trigger()
    assert messages and messages[-1][0] == "info", messages
    assert len(list(out.glob("*.ann"))) == len(IDS)

    # A person's work: one quote accepted, another deleted (and saved); then import the export over it.
    win.select("quote", win.quote_model.quote_id(0))
    win.actions_by_name["accept"].trigger()
    qid = win.quote_model.quote_id(1)
    win.select("quote", qid)
    win.actions_by_name["delete_span"].trigger()
    win.actions_by_name["save"].trigger()
    assert qid not in cm.corpus.load("budget-vote").quotes
    asked = []
    monkeypatch.setattr(corpus_mode, "confirm", lambda parent, title, text: asked.append(text) or True)
    monkeypatch.setattr(export_dialog, "ask_open",
                        lambda parent, title="": (str(next(out.glob("*.ann"))), BRAT_OPEN))
    win.actions_by_name["import"].trigger()
    assert [m for m in messages if m[0] == "error"] == []
    assert len(asked) == 1 and "budget-vote" in asked[0]  # the person's work is replaced only after asking
    assert {i: spans(cm.corpus.load(i)) for i in IDS} == before
    assert win.doc.id == "budget-vote" and spans(win.doc) == before["budget-vote"]
    # The page stays the corpus' own: brat holds the article only.
    assert win.doc.raw == cm.corpus.fresh_document("budget-vote").raw != win.doc.article


def test_compare_with_another_set_jumps_to_the_span(qtbot, tmp_path, folder, monkeypatch, messages):
    win = make_window(qtbot, tmp_path)
    open_through_menu(qtbot, win, folder, monkeypatch)
    preannotate(qtbot, win)
    cm = win.corpus_mode
    # The other set: the same documents with one quote of chess-final missing.
    others = [cm.corpus.load(i) for i in IDS]
    chess = others[IDS.index("chess-final")]
    gone = chess.sorted_quotes()[-1]
    del chess.quotes[gone.id]
    other_path = tmp_path / "other.jsonl"
    write_documents(others, other_path, "jsonl")
    monkeypatch.setattr(export_dialog, "ask_open", lambda parent, title="": (str(other_path), JSONL_OPEN))
    assert win.doc.id == "budget-vote"
    win.actions_by_name["compare"].trigger()
    dialog = cm.report
    assert dialog is not None and dialog.isVisible(), messages
    rows = [r for r, d in enumerate(dialog.disagreements)
            if d["doc_id"] == "chess-final" and d["kind"] == "quote"]
    assert len(rows) == 1
    dialog.activate_row(rows[0])
    assert win.doc.id == "chess-final" and win.selected == ("quote", gone.id)
    assert cm.panel.current_id == "chess-final"

    # Where no span is, the words are selected instead (ready for Q / S / C).
    import re
    start, end = next(m.span() for m in re.finditer(r"\w+", win.doc.article)
                      if not win.index.overlapping(*m.span()))
    dialog.jumpRequested.emit("chess-final", start, end)
    assert win.selected is None and win.article_view.selected_range() == (start, end)


def test_shortcuts_are_listed_once_and_unambiguous(qtbot, tmp_path):
    win = make_window(qtbot, tmp_path)
    rows = win.all_shortcuts()
    names = {(menu, text) for menu, text, _ in rows}
    assert ("Corpus", "Next unreviewed document") in names and ("File", "Open corpus…") in names
    keys = [k.strip() for _, _, ks in rows for k in ks.split(",")]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
    # No other action in the window (the panel's own buttons) holds a listed shortcut.
    from PySide6.QtGui import QAction
    listed = {a for a in win.actions_by_name.values()} | {win._undo_action, win._redo_action}
    for act in win.findChildren(QAction):
        if act not in listed and act.shortcut().toString():
            assert act.shortcut().toString() not in keys, act.text()


def test_deleting_suggestions_is_a_persons_work_the_batch_keeps(qtbot, tmp_path, folder, monkeypatch):
    win = make_window(qtbot, tmp_path)
    open_through_menu(qtbot, win, folder, monkeypatch)
    preannotate(qtbot, win)
    gone = win.quote_model.quote_id(0)
    win.select("quote", gone)
    shortcut(qtbot, win, Qt.Key.Key_Delete)  # a machine suggestion: rejected, nothing human left behind
    assert gone not in win.doc.quotes
    shortcut(qtbot, win, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ShiftModifier)
    assert statuses(win)["budget-vote"] == "review"
    panel = win.corpus_mode.panel
    with qtbot.waitSignal(panel.batchFinished, timeout=60000) as blocker:
        panel.preannotate(redo=True)  # machine documents again too, but never a person's
    assert "budget-vote" not in blocker.args[0].done and "chess-final" in blocker.args[0].done
    assert gone not in win.corpus_mode.corpus.load("budget-vote").quotes


def test_unsaved_work_in_a_corpus_document_is_recovered_after_a_crash(qtbot, tmp_path, folder, monkeypatch):
    win = make_window(qtbot, tmp_path)
    open_through_menu(qtbot, win, folder, monkeypatch)
    preannotate(qtbot, win)
    win.select("quote", win.quote_model.quote_id(0))
    accepted = win.selected[1]
    win.actions_by_name["accept"].trigger()
    side = win.autosave()
    assert side is not None and side.parent == win.corpus_mode.corpus.store
    # "Crash": the window goes without saving; a new one opens the corpus and offers the autosave.
    win.stack.setClean()
    win.close()
    again = make_window(qtbot, tmp_path)
    again.prompts.recover = True
    assert again.open_path(str(folder))
    assert again.prompts.asked == ["recover"]
    assert again.doc.id == "budget-vote" and again.doc.quotes[accepted].reviewed and again.isWindowModified()
    shortcut(qtbot, again, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ShiftModifier)
    assert load_document(again.corpus_mode.corpus.annotation_path("budget-vote")).quotes[accepted].reviewed
    assert not side.exists()


@pytest.mark.parametrize("as_jsonl", [False, True])
def test_main_opens_a_folder_or_jsonl_as_a_corpus(qapp, qtbot, tmp_path, folder, monkeypatch, as_jsonl):
    import json

    from quotedesk import main
    from quotedesk.gui import review_window
    monkeypatch.setattr(review_window, "Settings", lambda: temp_settings(tmp_path))
    monkeypatch.setattr(review_window, "Prompts", lambda parent: ScriptedPrompts())
    # The test's own event loop runs the windows: a second QApplication.exec would end it for later tests.
    monkeypatch.setattr(qapp, "exec", lambda: 0)
    target = folder
    if as_jsonl:
        target = tmp_path / "wire.jsonl"
        records = [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in sorted(folder.glob("*.txt"))]
        target.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert main.main([str(target)]) == 0
    win = qapp._quotedesk_windows[0]
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.doc is not None, timeout=10000)
    assert win.corpus_mode.corpus.source == target.resolve() and win.corpus_mode.corpus_dock.isVisible()
    assert win.doc.id == "budget-vote" and win.prompts.errors == []


def test_marking_a_corpus_document_reviewed_saves_it_into_the_corpus(qtbot, tmp_path, folder, monkeypatch):
    win = make_window(qtbot, tmp_path)
    open_through_menu(qtbot, win, folder, monkeypatch)
    preannotate(qtbot, win)
    shown = win.doc.id
    shortcut(qtbot, win, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert win.doc.status == "done"
    assert statuses(win)[shown] == "done"
    assert win.corpus_mode.corpus.load(shown).status == "done"
    assert win.stack.isClean()
