"""The agreement report dialog: its summary equals compare_corpora's, it lists exactly the
disagreements of two invented annotation sets, and activating one asks for a jump to its span."""
import copy
import csv

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from quotedesk.core.evaluation import KINDS, compare_corpora
from quotedesk.core.model import Cue, Document, Entity, Mention, Paragraph, Quote
from quotedesk.gui import eval_report, export_dialog
from quotedesk.gui.eval_report import SUMMARY_COLUMNS, VALUE_ROLE, EvalReportDialog, choose_and_compare

# Two invented wire stories.
FERRY = [
    "HARLOW BAY, March 3 (Wire) - The island ferry line will keep its ticket prices for another season.",
    "\u201cThe fares will stay where they are until spring,\u201d said Tomas Berg, head of Bayline Ferries.",
    ("Union organiser Lena Ostrova told reporters the crews had not been consulted. "
     "\u201cWe read about it in the paper,\u201d she said."),
]
BRIDGE = [
    ("NORTHGATE, March 4 (Wire) - Repainting the old rail bridge will cost twice the estimate, "
     "the city engineer warned on Tuesday."),
    ("Maria Quell said the steel was in worse shape than the survey showed. "
     "\u201cNobody climbed up there for ten years,\u201d she added."),
]


def _document(doc_id: str, paras: list[str]) -> Document:
    head = "Home | Regions | Weather\nSubscribe to our newsletter\n"
    article = "\n\n".join(paras)
    paragraphs, pos = [], 0
    for p in paras:
        paragraphs.append(Paragraph(pos, pos + len(p), len(head) + pos, len(head) + pos + len(p)))
        pos += len(p) + 2
    return Document(id=doc_id, raw=head + article + "\nMost read today\n", article=article,
                    paragraphs=paragraphs, raw_kind="text", status="review")


def _at(doc: Document, words: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = doc.article.index(words, i + 1)
    return i, i + len(words)


def _add(doc, what, oid, words, nth=0, /, **kw):
    s, e = _at(doc, words, nth)
    cls, pool = {"q": (Quote, doc.quotes), "m": (Mention, doc.mentions), "c": (Cue, doc.cues)}[what]
    pool[oid] = cls(oid, s, e, **kw)


def reference_set() -> dict[str, Document]:
    ferry = _document("ferry-fares", FERRY)
    ferry.entities = {"e1": Entity("e1", "Tomas Berg", "person"), "e2": Entity("e2", "Lena Ostrova", "person")}
    _add(ferry, "m", "m1", "Tomas Berg", entity="e1")
    _add(ferry, "m", "m2", "Lena Ostrova", entity="e2")
    _add(ferry, "m", "m3", "she", entity="e2", kind="pronoun")
    _add(ferry, "c", "c1", "said")
    _add(ferry, "c", "c2", "told")
    _add(ferry, "c", "c3", "said", 1)
    _add(ferry, "q", "q1", "The fares will stay where they are until spring,", type="direct", mention="m1", cue="c1")
    _add(ferry, "q", "q2", "the crews had not been consulted", type="indirect", mention="m2", cue="c2")
    _add(ferry, "q", "q3", "We read about it in the paper,", type="direct", mention="m3", cue="c3")

    bridge = _document("bridge-paint", BRIDGE)
    bridge.entities = {"e1": Entity("e1", "city engineer", "person"), "e2": Entity("e2", "Maria Quell", "person")}
    _add(bridge, "m", "m1", "the city engineer", entity="e1", kind="nominal")
    _add(bridge, "m", "m2", "Maria Quell", entity="e2")
    _add(bridge, "m", "m3", "she", entity="e2", kind="pronoun")
    _add(bridge, "c", "c1", "said")
    _add(bridge, "c", "c2", "added")
    _add(bridge, "q", "q1", "Repainting the old rail bridge will cost twice the estimate", type="indirect",
         mention="m1")
    _add(bridge, "q", "q2", "the steel was in worse shape than the survey showed", type="indirect",
         mention="m2", cue="c1")
    _add(bridge, "q", "q3", "Nobody climbed up there for ten years,", type="direct", mention="m3", cue="c2")
    return {d.id: d for d in (ferry, bridge)}


def compared_set() -> dict[str, Document]:
    """The reference with one quote boundary, one speaker and one cue changed."""
    docs = copy.deepcopy(reference_set())
    ferry, bridge = docs["ferry-fares"], docs["bridge-paint"]
    ferry.quotes["q1"].end -= 1  # without the closing comma
    ferry.quotes["q3"].mention = "m1"  # Tomas Berg instead of "she" (Lena Ostrova)
    _add(bridge, "c", "c3", "warned")  # a cue the reference does not mark
    bridge.quotes["q1"].cue = "c3"
    return docs


def expected_disagreements(a, b):
    fa, ba = a["ferry-fares"], a["bridge-paint"]
    q1, q3 = fa.quotes["q1"], fa.quotes["q3"]
    return [
        ("ferry-fares", "quote", (q1.start, q1.end), (q1.start, q1.end - 1), "boundaries differ"),
        ("ferry-fares", "quote", (q3.start, q3.end), (q3.start, q3.end), "speaker differs: Lena Ostrova vs Tomas Berg"),
        ("bridge-paint", "cue", None, _at(ba, "warned"), "only in b"),
    ]


@pytest.fixture
def dialog(qtbot):
    a, b = reference_set(), compared_set()
    dlg = EvalReportDialog.from_documents(a, b, "corrected", "machine")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def test_lists_exactly_the_disagreements(dialog):
    a, b = reference_set(), compared_set()
    got = sorted((d["doc_id"], d["kind"], d["a"], d["b"], d["what"]) for d in dialog.disagreements)
    assert got == sorted(expected_disagreements(a, b))
    assert dialog.table.rowCount() == 3
    shown = {(dialog.table.item(r, 0).text(), dialog.table.item(r, 1).text(), dialog.table.item(r, 2).text(),
              dialog.table.item(r, 3).text(), dialog.table.item(r, 4).text()) for r in range(3)}
    assert shown == {
        ("ferry-fares", "quote", "The fares will stay where they are until spring,",
         "The fares will stay where they are until spring", "boundaries differ"),
        ("ferry-fares", "quote", "We read about it in the paper,", "We read about it in the paper,",
         "speaker differs: Lena Ostrova vs Tomas Berg"),
        ("bridge-paint", "cue", "", "warned", "only in machine"),
    }


def test_summary_equals_compare_corpora(dialog):
    expected = compare_corpora(reference_set(), compared_set())
    for row, kind in enumerate(KINDS):
        for col, (_, path) in enumerate(SUMMARY_COLUMNS):
            value = expected[kind]
            for key in path:
                value = value[key]
            assert dialog.summary.item(row, col).data(VALUE_ROLE) == pytest.approx(value), (kind, path)
    assert dialog.summary.item(0, 2).data(VALUE_ROLE) < 1.0  # the boundary change costs exact quote F1
    assert f"{expected['speaker_acc']:.3f}" in dialog.head.text()
    assert expected["matched_quotes"] == 6 and expected["speaker_acc"] == pytest.approx(5 / 6)


def test_filter_by_kind(dialog):
    box = dialog.kind_filter
    box.setCurrentIndex(box.findData("cue"))
    assert [dialog.disagreements[r]["kind"] for r in dialog.visible_rows()] == ["cue"]
    box.setCurrentIndex(box.findData("mention"))
    assert dialog.visible_rows() == []
    box.setCurrentIndex(box.findData("quote"))
    assert len(dialog.visible_rows()) == 2
    box.setCurrentIndex(0)
    assert len(dialog.visible_rows()) == 3


def _row_of(dialog, doc_id, kind):
    return next(r for r, d in enumerate(dialog.disagreements) if d["doc_id"] == doc_id and d["kind"] == kind)


def test_enter_on_a_row_emits_jump(dialog, qtbot):
    row = _row_of(dialog, "bridge-paint", "cue")
    dialog.table.setFocus()
    dialog.table.setCurrentCell(row, 0)
    with qtbot.waitSignal(dialog.jumpRequested) as sig:
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert sig.args == ["bridge-paint", *_at(reference_set()["bridge-paint"], "warned")]
    assert dialog.isVisible()  # Enter jumped; it did not press a button that closes the dialog


def test_double_click_emits_jump_and_span(dialog, qtbot):
    row = _row_of(dialog, "ferry-fares", "quote")
    q1 = reference_set()["ferry-fares"].quotes["q1"]
    rect = dialog.table.visualRect(dialog.table.model().index(row, 2))
    spans = []
    dialog.spanRequested.connect(lambda *a: spans.append(a))
    # A real double-click starts with a press: the view only activates the row the press hit.
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(dialog.jumpRequested) as sig:
        qtbot.mouseDClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert sig.args == ["ferry-fares", q1.start, q1.end]
    assert spans == [("ferry-fares", "quote", q1.start, q1.end)]


def test_copy_and_csv(dialog, tmp_path, monkeypatch):
    dialog.copy_as_text()
    text = QGuiApplication.clipboard().text()
    assert "a = corrected, b = machine" in text and "disagreements: 3" in text
    dialog.kind_filter.setCurrentIndex(dialog.kind_filter.findData("quote"))
    monkeypatch.setattr(eval_report, "ask_csv_path", lambda parent: str(tmp_path / "dis.csv"))
    assert dialog.export_csv() == str(tmp_path / "dis.csv")
    with open(tmp_path / "dis.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["what"] for r in rows] == ["boundaries differ", "speaker differs: Lena Ostrova vs Tomas Berg"]
    assert rows[0]["machine_text"] == "The fares will stay where they are until spring"


def test_csv_to_unwritable_path_shows_error(dialog, tmp_path, monkeypatch):
    errors = []
    monkeypatch.setattr(export_dialog, "show_error", lambda parent, title, text: errors.append(title))
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert dialog.export_csv(str(blocker / "dis.csv")) is None
    assert errors == ["Export CSV failed"]


def test_single_document_comparison(qtbot):
    a, b = reference_set()["ferry-fares"], compared_set()["ferry-fares"]
    dlg = EvalReportDialog.from_documents(a, b, "A", "B")
    qtbot.addWidget(dlg)
    assert dlg.table.rowCount() == 2 and dlg.result["docs"] == 1


def test_choose_and_compare_reads_a_file_and_pairs_by_text(qtbot, tmp_path):
    from quotedesk.core.formats.jsonl import write_jsonl

    other = compared_set()
    other["bridge-paint"].id = "renamed-elsewhere"  # pairs by its text
    write_jsonl(list(other.values()), tmp_path / "machine.jsonl")
    dlg = choose_and_compare(None, reference_set(), str(tmp_path / "machine.jsonl"))
    qtbot.addWidget(dlg)
    assert dlg.isVisible() and dlg.label_b == "machine.jsonl"
    got = sorted((d["doc_id"], d["kind"], d["a"], d["b"], d["what"]) for d in dlg.disagreements)
    assert got == sorted(expected_disagreements(reference_set(), other))


def test_choose_and_compare_asks_and_reports_problems(qtbot, tmp_path, monkeypatch):
    errors = []
    monkeypatch.setattr(export_dialog, "show_error", lambda parent, title, text: errors.append(text))
    monkeypatch.setattr(export_dialog, "ask_open", lambda parent, title="": None)
    assert choose_and_compare(None, reference_set()) is None and errors == []  # cancelled
    stranger = _document("unrelated", ["OTHERTON (Wire) - Nothing here matches."])
    from quotedesk.core.formats.jsonl import write_jsonl
    write_jsonl([stranger], tmp_path / "x.jsonl")
    monkeypatch.setattr(export_dialog, "ask_open",
                        lambda parent, title="": (str(tmp_path / "x.jsonl"), export_dialog.ANY_FILTER))
    assert choose_and_compare(None, reference_set()) is None
    assert "None of the 1 document(s)" in errors[-1]
    (tmp_path / "bad.jsonl").write_text("{not json\n")
    assert choose_and_compare(None, reference_set(), str(tmp_path / "bad.jsonl")) is None
    assert "JSON" in errors[-1]  # "not JSON" or "corrupt JSONL line 1", as the loader words it


def test_show_span_selects_in_the_review_window(qtbot, tmp_path):
    from quotedesk.gui.eval_report import show_span
    from quotedesk.gui.review_window import ReviewWindow
    from quotedesk.gui.testing import ScriptedPrompts, temp_settings

    a, b = reference_set(), compared_set()
    win = ReviewWindow(settings=temp_settings(tmp_path), prompts=ScriptedPrompts())
    qtbot.addWidget(win)
    win.set_document(a["ferry-fares"])
    dlg = EvalReportDialog.from_documents(a, b, "corrected", "machine")
    qtbot.addWidget(dlg)
    dlg.spanRequested.connect(lambda doc_id, kind, s, e: show_span(win, kind, s, e))
    dlg.activate_row(_row_of(dlg, "ferry-fares", "quote"))
    assert win.selected == ("quote", "q1")
    win.set_document(a["bridge-paint"])
    dlg.activate_row(_row_of(dlg, "bridge-paint", "cue"))  # only the machine marked this cue
    assert win.selected is None
    assert win.article_view.selected_range() == _at(a["bridge-paint"], "warned")


def test_compare_again_sees_corrections_made_in_place(qtbot, monkeypatch):
    a, b = reference_set(), compared_set()
    dlg = EvalReportDialog.from_documents(a, b, "corrected", "machine")
    qtbot.addWidget(dlg)
    dlg.kind_filter.setCurrentIndex(dlg.kind_filter.findData("quote"))
    a["ferry-fares"].quotes["q1"].end -= 1  # the reviewer accepts the machine's boundary
    assert dlg.compare_again()
    assert [d["what"] for d in dlg.disagreements] == ["speaker differs: Lena Ostrova vs Tomas Berg", "only in b"]
    assert len(dlg.visible_rows()) == 1 and dlg.kind_filter.currentText() == "Quotes (1)"
    assert dlg.summary.item(0, 2).data(VALUE_ROLE) == pytest.approx(1.0)
    errors = []
    monkeypatch.setattr(export_dialog, "show_error", lambda parent, title, text: errors.append(text))
    a["bridge-paint"].article += " More later."
    assert not dlg.compare_again() and "different texts" in errors[0]
    assert len(dlg.disagreements) == 2  # the last good report stays
