"""The editors' CSV: one row a quote, readable in a spreadsheet, and read back onto the texts."""
import csv

import pytest

from quotedesk.core.formats.csv_quotes import COLUMNS, CsvError, read_csv, texts_path, write_csv
from tests.core.test_convert_polnear import invented_corpus, span_key


def test_columns_and_rows(tmp_path):
    docs = invented_corpus()
    n = write_csv(docs, tmp_path / "q.csv")
    assert n == sum(len(d.quotes) for d in docs)
    raw = (tmp_path / "q.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM for spreadsheets
    with open(tmp_path / "q.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == COLUMNS
    first = rows[0]
    assert first["document"] == docs[0].id
    assert first["paragraph"] == "2" and first["speaker"] == "Lena Morrow" and first["cue"] == "said"
    assert first["quote"] == "We have a deal that keeps every crane working,"
    multi = [r for r in rows if r["cue"] == "according to / want"]
    assert multi and multi[0]["speaker"] == "Lena Morrow and Abel Quist"


def test_round_trip(tmp_path):
    docs = invented_corpus()
    write_csv(docs, tmp_path / "q.csv")
    back = list(read_csv(tmp_path / "q.csv"))
    assert [b.id for b in back] == [d.id for d in docs]
    for d, b in zip(docs, back):
        assert span_key(b) == span_key(d)
        assert {q.id: (q.reviewed, q.origin, q.rule) for q in b.quotes.values()} == \
            {q.id: (q.reviewed, q.origin, q.rule) for q in d.quotes.values()}


def test_edited_text_or_missing_texts_are_reported(tmp_path):
    write_csv(invented_corpus(), tmp_path / "q.csv")
    path = tmp_path / "q.csv"
    text = path.read_text(encoding="utf-8-sig")
    path.write_text(text.replace("keeps every crane", "keeps each crane"), encoding="utf-8-sig")
    with pytest.raises(CsvError, match="quote text differs"):
        list(read_csv(path))
    texts_path(path).unlink()
    with pytest.raises(CsvError, match="texts are not beside it"):
        list(read_csv(path))
