"""The stats view: bars for the right speakers in each scope and metric; PNG and CSV exports."""
import csv

from PySide6.QtGui import QColor, QImage

from quotedesk.gui import stats_view
from quotedesk.gui.stats_view import BAR_COLOUR, TYPE_COLOURS, StatsView
from tests.core.test_stats import docs


def make_view(qtbot) -> StatsView:
    view = StatsView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_bars_follow_scope_and_metric(qtbot):
    a, b = docs()
    view = make_view(qtbot)
    view.set_corpus_documents([a, b])
    view.set_document(a)
    assert view.scope() == "document"
    bars = view.chart.bars()
    assert [(x.label, x.value) for x in bars] == [("Ruta Vask", 2), ("Ines Kolar", 1), ("(no speaker)", 1)]
    # Bar lengths are proportional to the values.
    assert abs(bars[1].rect.width() * 2 - bars[0].rect.width()) < 1.5
    view.set_scope("corpus")
    assert [(x.label, x.value) for x in view.chart.bars()][:2] == [("Ruta Vask", 4), ("Ines Kolar", 1)]
    assert {x.label for x in view.chart.bars()} == {"Ruta Vask", "Ines Kolar", "Oskar Feld", "(no speaker)"}
    view.set_metric("words")
    assert [(x.label, x.value) for x in view.chart.bars()][:2] == [("Ruta Vask", 21), ("Ines Kolar", 6)]
    # An edit to the shown document counts at once in the corpus scope too.
    a.quotes.pop("q1")
    view.set_document(a)
    view.refresh()
    assert view.chart.bars()[0].value == 21 - 7
    assert set(view.chart.share_rects()) == {"direct", "mixed", "indirect"}


def test_painted_widget_shows_the_bars(qtbot):
    view = make_view(qtbot)
    view.set_document(docs()[0])
    img = view.chart.grab().toImage()
    for bar in view.chart.bars():
        c = bar.rect.center()
        assert QColor(img.pixel(int(c.x()), int(c.y()))) == QColor(BAR_COLOUR), bar.label
    direct = view.chart.share_rects()["direct"].center()
    assert QColor(img.pixel(int(direct.x()), int(direct.y()))) == QColor(TYPE_COLOURS["direct"])


def test_png_and_csv_export(qtbot, tmp_path):
    view = make_view(qtbot)
    view.set_corpus_documents(docs())
    view.set_scope("corpus")
    png = view.export_png(tmp_path / "speakers.png")
    img = QImage(str(png))
    assert not img.isNull() and img.height() == view.chart.content_height()
    width = img.width()
    for bar in view.chart.bars(width):
        c = bar.rect.center()
        assert QColor(img.pixel(int(c.x()), int(c.y()))) == QColor(BAR_COLOUR)
    path = view.export_csv(tmp_path / "speakers.csv")
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["speaker"], r["quotes"], r["words"]) for r in rows] == [
        ("Ruta Vask", "4", "21"), ("Ines Kolar", "1", "6"), ("Oskar Feld", "1", "3"), ("(no speaker)", "1", "2")]


def test_empty_scope(qtbot):
    view = make_view(qtbot)
    assert view.chart.bars() == [] and view.rows == []
    view.set_scope("corpus")
    assert view.chart.bars() == []
    view.chart.grab()  # paints "No quotes yet" without error


def test_corpus_scope_from_a_corpus(qtbot, tmp_path):
    import json

    from quotedesk.core.corpus import Corpus
    from tests.core.test_stats import A, B

    path = tmp_path / "wire.jsonl"
    path.write_text(json.dumps({"id": "a", "text": A}) + "\n" + json.dumps({"id": "b", "text": B}) + "\n",
                    encoding="utf-8")
    corpus = Corpus.open(path)
    a, b = docs()
    corpus.save(a)
    corpus.save(b)
    view = make_view(qtbot)
    view.set_corpus(corpus)
    view.set_document(a)
    view.set_scope("corpus")
    assert [(x.label, x.value) for x in view.chart.bars()][:2] == [("Ruta Vask", 4), ("Ines Kolar", 1)]
    assert "2 annotated documents" in view.chart.title


def test_failed_export_from_the_buttons_is_shown(qtbot, tmp_path, monkeypatch, messages):
    view = make_view(qtbot)
    view.set_corpus_documents(docs())
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    target = str(blocker / "speakers.csv")  # its folder is a file: the write must fail
    monkeypatch.setattr(stats_view.QFileDialog, "getSaveFileName", lambda *a, **k: (target, "CSV (*.csv)"))
    view.csv_button.click()
    assert [(kind, title) for kind, title, _ in messages] == [("error", "Export failed")]
    assert target in messages[0][2]
