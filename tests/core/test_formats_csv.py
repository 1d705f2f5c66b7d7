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


def _one_doc_csv(tmp_path, text, quote):
    from quotedesk.core.model import Document, Quote
    from quotedesk.core.formats import paragraphs_from_lines

    s = text.index(quote)
    d = Document(id="=cmd|' /C calc'!A0", raw=text, article=text, paragraphs=paragraphs_from_lines(text),
                 status="review")
    d.quotes = {"q1": Quote("q1", s, s + len(quote), "direct", rule="@rule", origin="human", reviewed=True)}
    path = tmp_path / "q.csv"
    write_csv([d], path)
    return d, path


@pytest.mark.parametrize("quote", ["=HYPERLINK(\"http://x\",\"y\")", "+1 more", "-5 percent", "@once",
                                   "'=already quoted", "''@two", "plain"])
def test_formula_cells_are_neutralised_and_read_back(tmp_path, quote):
    text = f"He said {quote} today."
    d, path = _one_doc_csv(tmp_path, text, quote)
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    for cell in (c for row in rows for c in row):
        assert not cell[:1] in ("=", "+", "-", "@"), cell  # LibreOffice would run it
    (back,) = read_csv(path)
    assert back.id == d.id
    (q,) = back.quotes.values()
    assert back.article[q.start:q.end] == quote and q.rule == "@rule"


@pytest.mark.parametrize("column,value,message", [
    ("confidence", "abc", r"line 2: confidence 'abc' is not a number"),  # became 1.0
    ("confidence", "7.5", r"line 2: confidence 7.5 is not between 0 and 1"),
    ("origin", "robot", r"line 2: origin 'robot' is not human or machine"),  # became human
    ("type", "gossip", r"line 2: type 'gossip' is not one of"),
    ("reviewed", "perhaps", r"line 2: reviewed 'perhaps' is not yes or no"),
])
def test_bad_cells_are_refused_naming_the_line(tmp_path, column, value, message):
    docs = invented_corpus()
    path = tmp_path / "q.csv"
    write_csv(docs, path)
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[0][column] = value
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    with pytest.raises(CsvError, match=message):
        list(read_csv(path))


def test_broken_texts_file_is_refused(tmp_path):
    path = tmp_path / "q.csv"
    write_csv(invented_corpus(), path)
    texts_path(path).write_text('{"id": "a"}\n', encoding="utf-8")
    with pytest.raises(CsvError, match=r"q.texts.jsonl, line 1: expected"):
        list(read_csv(path))
    with open(path, "a", encoding="utf-8", newline="") as f:
        f.write("a,b,c," * 10 + "\r\n")
    texts_path(path).write_text('{"id": "a", "text": "x"}\n', encoding="utf-8")
    with pytest.raises(CsvError, match=r"more cells than the header"):
        list(read_csv(path))


def test_lone_surrogates_do_not_stop_the_export(tmp_path):
    """A text holding lone surrogates: the CSV shows U+FFFD; reading the texts back replaces each
    with U+FFFD too (one for one, so the quote's offsets still hold) and says so."""
    from quotedesk.core.readers import collect_read_notes

    text = "He said \ud800 fine \udfff today."
    d, path = _one_doc_csv(tmp_path, text, "\ud800 fine")
    d.entities = {}
    with collect_read_notes() as notes:
        (back,) = read_csv(path)
    assert back.article == "He said \ufffd fine \ufffd today."
    (q,) = back.quotes.values()
    assert back.article[q.start:q.end] == "\ufffd fine"
    assert notes == [f"{texts_path(path)}, line 1: 2 lone surrogates replaced by U+FFFD"]
