"""Corpus mode's Tracked quotations dock: a quotation printed in two stories under different names and
one printed with a word changed are listed as conflicts; a row opens the other story with that quote
selected; selecting a quote shows where else it appears; a save rebuilds the index.  Invented stories."""
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from quotedesk.core.batch import preannotate
from quotedesk.core.corpus import Corpus
from quotedesk.gui.track_panel import SPAN_ROLE, TrackPanel, build_track_index, corpus_files, describe_changes

STRIKE = "We have waited two years for a fair contract and we will not wait another winter"
FERRY = "The new ferry timetable leaves the island without a morning crossing on weekdays"
FERRY_CHANGED = FERRY.replace("morning", "dawn")
STORIES = {
    "harbour-strike": ("Harbour strike enters third week\n\nDock workers marched through the port on Monday.\n\n"
                       f"“{STRIKE},” Mara Lindqvist said outside the gates.\n\n"
                       f"“{FERRY},” said Anna Holm, a councillor who backs the strikers.\n"),
    "island-ferry": ("Island ferry row\n\nResidents gathered at the pier on Saturday.\n\n"
                     f"“{FERRY_CHANGED},” Anna Holm said.\n\nThe operator said it would review the plan.\n"),
    "port-talks": ("Port talks stall\n\nNegotiators met again on Tuesday without an agreement.\n\n"
                   f"“{STRIKE},” Tomas Berg told reporters.\n\nThe port authority did not reply.\n"),
}


@pytest.fixture
def stories(tmp_path) -> Path:
    """Three pre-annotated stories in a corpus folder."""
    folder = tmp_path / "stories"
    folder.mkdir()
    for doc_id, text in STORIES.items():
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    result = preannotate(Corpus.open(folder), jobs=1)
    assert sorted(result.done) == sorted(STORIES) and not result.errors
    return folder


def open_corpus(qtbot, make_window, folder):
    win = make_window(active=True)
    panel = win.corpus_mode.track_panel
    with qtbot.waitSignal(panel.indexBuilt, timeout=30000):
        assert win.corpus_mode.open_corpus(folder)
    assert win.corpus_mode.track_dock.isVisible()
    return win, panel


def conflict_rows(panel) -> dict[str, list]:
    """Each conflict row's text -> its children as (doc, speaker, wording, span)."""
    out = {}
    tree = panel.conflicts
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        out[top.text(0)] = [(c.text(0), c.text(1), c.text(2), c.data(0, SPAN_ROLE))
                            for c in (top.child(k) for k in range(top.childCount()))]
    return out


def elsewhere_rows(panel) -> list[tuple]:
    tree = panel.elsewhere
    return [(it.text(0), it.text(1), it.text(2)) for it in (tree.topLevelItem(i) for i in range(tree.topLevelItemCount()))
            if it.data(0, SPAN_ROLE)]


def quote_at(win, words: str) -> str:
    """The id of the window's quote holding ``words``."""
    return next(q.id for q in win.doc.quotes.values() if words in win.doc.article[q.start:q.end])


def test_conflicts_listed_and_a_row_opens_the_other_story(qtbot, make_window, stories):
    win, panel = open_corpus(qtbot, make_window, stories)
    rows = conflict_rows(panel)
    assert len(rows) == 2, rows
    strike = next(v for k, v in rows.items() if k.startswith("We have waited"))
    ferry = next(v for k, v in rows.items() if k.startswith("The new ferry"))
    assert [(d, s) for d, s, _w, _span in strike] == [("harbour-strike", "Mara Lindqvist"),
                                                       ("port-talks", "Tomas Berg")]
    assert {d: w for d, _s, w, _span in ferry} == {"harbour-strike": "same words", "island-ferry": "morning → dawn"}
    tops = {panel.conflicts.topLevelItem(i).text(1) for i in range(panel.conflicts.topLevelItemCount())}
    assert tops == {"Mara Lindqvist / Tomas Berg", "wording differs"}
    assert "2 under" not in panel.status.text() and "1 under different speakers, 1 in different words" in panel.status.text()

    # Enter on the port-talks row opens that story with the quotation selected (and accepts nothing).
    assert win.doc.id == "harbour-strike"
    tree = panel.conflicts
    top = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
               if tree.topLevelItem(i).text(0).startswith("We have waited"))
    child = next(top.child(k) for k in range(top.childCount()) if top.child(k).text(0) == "port-talks")
    tree.setFocus()
    tree.setCurrentItem(child)
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert win.doc.id == "port-talks" and not win.isWindowModified()
    assert win.selected == ("quote", quote_at(win, "We have waited two years"))
    assert not win.doc.quotes[win.selected[1]].reviewed  # Enter did not reach "Accept suggestion"
    # The window's selection is the quote the row named, and Elsewhere now tells where else it is.
    assert elsewhere_rows(panel) == [("harbour-strike", "Mara Lindqvist", "same words")]

    # Double-clicking the island-ferry row opens it.
    top = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
               if tree.topLevelItem(i).text(0).startswith("The new ferry"))
    child = next(top.child(k) for k in range(top.childCount()) if top.child(k).text(0) == "island-ferry")
    tree.scrollToItem(child)
    rect = tree.visualItemRect(child)
    pos = QPoint(rect.left() + 10, rect.center().y())  # the row is wider than the dock
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert win.doc.id == "island-ferry"
    assert win.selected == ("quote", quote_at(win, "without a dawn crossing"))
    assert elsewhere_rows(panel) == [("harbour-strike", "Anna Holm", "dawn → morning")]


def test_selecting_a_quote_shows_where_else_and_jumps(qtbot, make_window, stories):
    win, panel = open_corpus(qtbot, make_window, stories)
    assert win.doc.id == "harbour-strike"
    win.select("quote", quote_at(win, "We have waited two years"))
    assert elsewhere_rows(panel) == [("port-talks", "Tomas Berg", "same words")]
    assert "(1)" in panel.elsewhere_label.text()
    win.select("quote", quote_at(win, "without a morning crossing"))
    assert elsewhere_rows(panel) == [("island-ferry", "Anna Holm", "morning → dawn")]
    win.select(None)
    assert elsewhere_rows(panel) == []
    assert "Select a quote" in panel.elsewhere.topLevelItem(0).text(0)

    # Enter on an Elsewhere row opens that story with the quote selected.
    win.select("quote", quote_at(win, "We have waited two years"))
    panel.elsewhere.setFocus()
    panel.elsewhere.setCurrentItem(panel.elsewhere.topLevelItem(0))
    qtbot.keyClick(panel.elsewhere, Qt.Key.Key_Return)
    assert win.doc.id == "port-talks"
    assert win.selected == ("quote", quote_at(win, "We have waited two years"))
    assert elsewhere_rows(panel) == [("harbour-strike", "Mara Lindqvist", "same words")]


def test_a_save_rebuilds_the_index(qtbot, make_window, stories):
    win, panel = open_corpus(qtbot, make_window, stories)
    win.corpus_mode.jump_to("port-talks", *_span_of(panel, "port-talks"))
    assert win.doc.id == "port-talks" and win.selected[0] == "quote"
    win.do_delete_span()  # Tomas Berg's quote goes: the speaker conflict with it
    with qtbot.waitSignal(panel.indexBuilt, timeout=30000):
        assert win.do_save()
    rows = conflict_rows(panel)
    assert len(rows) == 1 and next(iter(rows)).startswith("The new ferry")
    assert panel.build.read == 1  # the two stories not saved again were not read again


def _span_of(panel, doc_id):
    return next(span[1:] for kids in conflict_rows(panel).values() for d, _s, _w, span in kids if d == doc_id)


def test_build_reads_only_changed_files_and_skips_broken_ones(stories):
    corpus = Corpus.open(stories)
    files = corpus_files(corpus)
    first = build_track_index(files, {})
    assert first.read == 3 and first.documents == 3 and not first.problems
    assert {tuple(g["flags"]) for g in first.flagged()} == {("speaker_conflict",), ("wording_drift",)}
    again = build_track_index(files, first.cache)
    assert again.read == 0 and len(again.index.groups) == 2
    corpus.annotation_path("port-talks").write_text("{not json", encoding="utf-8")
    broken = build_track_index(files, again.cache)
    assert broken.read == 0 and broken.documents == 2
    assert len(broken.problems) == 1 and "port-talks" in broken.problems[0]
    assert [g["flags"] for g in broken.flagged()] == [["wording_drift"]]


def test_describe_changes():
    assert describe_changes([]) == "same words"
    assert describe_changes([{"op": "replace", "from": "fair", "to": "decent"},
                             {"op": "insert", "from": "", "to": "again"},
                             {"op": "delete", "from": "not", "to": ""}]) == "fair → decent; + again; − not"


def test_panel_without_corpus(qtbot):
    panel = TrackPanel()
    qtbot.addWidget(panel)
    panel.schedule()
    assert not panel.is_building()
    panel.show_quote("x", 0, 5)
    assert "Open a corpus" in panel.elsewhere.topLevelItem(0).text(0)


def test_a_jsonl_corpus_records_own_annotations_count(tmp_path):
    """Records that carry their quotes (gold, exported) are indexed without an annotation file;
    once a document has one, the file is what counts."""
    import json

    from tests.core.test_track import HARBOUR, harbour_story
    path = tmp_path / "wire.jsonl"
    records = [harbour_story("a", HARBOUR, "Mara Lindqvist"), harbour_story("b", HARBOUR, "Tomas Berg"),
               {"id": "c", "text": "Nothing quoted here."}]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    corpus = Corpus.open(path, store=tmp_path / "store")
    files = corpus_files(corpus)
    assert [has for _i, _p, has in files] == [True, True, False]
    build = build_track_index(files, {}, corpus.read_raw)
    assert build.read == 2 and not build.problems
    (g,) = build.flagged()
    assert g["flags"] == ["speaker_conflict"] and sorted(g["speakers"]) == ["Mara Lindqvist", "Tomas Berg"]
    doc = corpus.load("b")
    doc.quotes.clear()
    corpus.save(doc)
    again = build_track_index(corpus_files(corpus), build.cache, corpus.read_raw)
    assert again.read == 1 and again.flagged() == [] and again.documents == 2
