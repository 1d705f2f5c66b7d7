"""Export and import from the GUI: every format round-trips the spans, the Save/Open dialogs'
choices become formats and folders, and failures show a message instead of raising."""
import pytest

from quotedesk.gui import export_dialog
from quotedesk.gui.export_dialog import (ANY_FILTER, EXPORT_FILTERS, IMPORT_FILTERS, export_choice, export_documents,
                               import_choice, import_documents)
from tests.gui.test_eval_report import compared_set, reference_set


def spans(doc, linked_only=False):
    """What must survive a format: the text, every span, each quote's type and speaker/cue spans
    (``linked_only``: mentions and cues no quote links, which a CSV of quotes cannot hold, left out)."""
    def at(pool, oid):
        return (pool[oid].start, pool[oid].end) if oid in pool else None
    quotes = sorted((q.start, q.end, q.type, at(doc.mentions, q.mention), at(doc.cues, q.cue))
                    for q in doc.quotes.values())
    linked = {q.mention for q in doc.quotes.values()} | {q.cue for q in doc.quotes.values()}
    keep = [o for o in [*doc.mentions.values(), *doc.cues.values()] if not linked_only or o.id in linked]
    return (doc.article, quotes, sorted((m.start, m.end) for m in keep if m.id in doc.mentions),
            sorted((c.start, c.end) for c in keep if c.id in doc.cues))


CASES = [("jsonl", "set.jsonl", False), ("brat", "brat_out", False), ("labelstudio", "tasks.json", False),
         ("labelstudio", "preds.json", True), ("csv", "quotes.csv", False), ("quotedesk", "qd_out", False)]


@pytest.mark.parametrize("fmt,name,predictions", CASES)
def test_round_trip_keeps_spans(tmp_path, messages, fmt, name, predictions):
    docs = list(compared_set().values())
    written = export_documents(None, docs, fmt, str(tmp_path / name), predictions=predictions)
    assert written is not None and messages[-1][0] == "info", messages
    back = import_documents(None, written)
    assert [m for m in messages if m[0] == "error"] == []
    assert {d.id: spans(d) for d in back} == {d.id: spans(d, linked_only=fmt == "csv") for d in docs}


def test_export_message_names_what_the_format_cannot_keep(tmp_path, messages):
    export_documents(None, list(reference_set().values()), "csv", str(tmp_path / "q.csv"))
    kind, _, text = messages[-1]
    assert kind == "info" and "Wrote 2 document(s): 6 quotes" in text
    assert "CSV does not keep: raw page" in text
    export_documents(None, list(reference_set().values()), "quotedesk", str(tmp_path / "qd"))
    assert "does not keep" not in messages[-1][2]


def test_unwritable_path_shows_error_and_returns_none(tmp_path, messages):
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    docs = list(reference_set().values())
    for fmt, name in (("jsonl", "out.jsonl"), ("brat", "folder"), ("labelstudio", "t.json"), ("csv", "q.csv")):
        assert export_documents(None, docs, fmt, str(blocker / name)) is None
        assert messages[-1][:2] == ("error", "Export failed"), fmt
    assert all(kind == "error" for kind, _, _ in messages)


def test_save_dialog_choice_decides_format(tmp_path, messages, monkeypatch):
    asked = []

    def fake_save(parent, preselect=None):
        asked.append(preselect)
        return str(tmp_path / "preds"), "Label Studio tasks as predictions (*.json)"

    monkeypatch.setattr(export_dialog, "ask_save", fake_save)
    written = export_documents(None, list(reference_set().values()), "labelstudio")
    assert written == str(tmp_path / "preds.json")
    assert asked == ["Label Studio tasks as annotations (*.json)"]
    assert '"predictions"' in (tmp_path / "preds.json").read_text(encoding="utf-8")
    monkeypatch.setattr(export_dialog, "ask_save", lambda parent, preselect=None: None)
    assert export_documents(None, list(reference_set().values())) is None  # cancelled: nothing said
    assert len(messages) == 1


def test_dialog_choices_map_to_formats():
    assert [f for _, f, _ in EXPORT_FILTERS].count("labelstudio") == 2
    assert export_choice("/x/out", "QuoteDesk JSONL (*.jsonl)") == ("/x/out.jsonl", "jsonl", False)
    assert export_choice("/x/out.csv", "CSV for editors (*.csv)") == ("/x/out.csv", "csv", False)
    brat = next(f for f, k, _ in EXPORT_FILTERS if k == "brat")
    assert export_choice("/x/corpus", brat) == ("/x/corpus", "brat", False)
    folder = dict(IMPORT_FILTERS)
    brat_in = next(f for f, k in folder.items() if k == "brat-folder")
    qd_in = next(f for f, k in folder.items() if k == "quotedesk-folder")
    assert import_choice("/x/corpus/a.ann", brat_in) == ("/x/corpus", "brat")
    assert import_choice("/x/corpus/a.ann", ANY_FILTER) == ("/x/corpus", "brat")
    assert import_choice("/x/set/a.quotedesk.json", qd_in) == ("/x/set", "quotedesk")
    assert import_choice("/x/set.jsonl", ANY_FILTER) == ("/x/set.jsonl", None)


def test_import_picks_a_folder_through_a_file_in_it(tmp_path, messages, monkeypatch):
    docs = list(reference_set().values())
    export_documents(None, docs, "brat", str(tmp_path / "corpus"))
    ann = min((tmp_path / "corpus").glob("*.ann"))
    brat_in = next(f for f, k in IMPORT_FILTERS if k == "brat-folder")
    monkeypatch.setattr(export_dialog, "ask_open", lambda parent, title="": (str(ann), brat_in))
    back = import_documents(None)
    assert sorted(d.id for d in back) == sorted(d.id for d in docs)


def test_import_problems_are_shown_not_raised(tmp_path, messages):
    assert import_documents(None, str(tmp_path / "missing.jsonl")) == []
    assert messages[-1][:2] == ("error", "Import failed")
    (tmp_path / "odd.txt").write_text("plain words")
    assert import_documents(None, str(tmp_path / "odd.txt")) == []
    assert "cannot tell its format" in messages[-1][2]
    (tmp_path / "empty.jsonl").write_text("")
    assert import_documents(None, str(tmp_path / "empty.jsonl")) == []
    assert "holds no documents" in messages[-1][2]
    ferry = reference_set()["ferry-fares"]
    export_documents(None, [ferry], "brat", str(tmp_path / "b"))
    ann = tmp_path / "b" / "ferry-fares.ann"
    ann.write_text(ann.read_text(encoding="utf-8").replace("Tomas Berg", "Tomas Burg"), encoding="utf-8")
    assert import_documents(None, str(tmp_path / "b")) == []
    assert messages[-1][:2] == ("error", "Import failed")
