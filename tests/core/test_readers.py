"""Readers: decoding, binary detection, newline maps, folders, stdin and JSONL corpora."""
import gzip
import io
import json

from pathlib import Path

import pytest

from quotedesk.core.readers import InputRecord, ReadError, decode_bytes, read_inputs, read_path
from quotedesk.core.textmap import normalize_newlines

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"


def test_newline_map_identity_fast_path():
    text, nmap = normalize_newlines("one\ntwo")
    assert text == "one\ntwo" and nmap.is_identity
    assert nmap.to_source(5) == 5 and nmap.to_normalized(5) == 5


def test_crlf_map_round_trips_every_line():
    src = "alpha\r\nbeta\rgamma\u2028delta\r\n\r\nepsilon\u2029"
    norm, nmap = normalize_newlines(src)
    assert norm == "alpha\nbeta\ngamma\ndelta\n\nepsilon\n"
    for word in ("alpha", "beta", "gamma", "delta", "epsilon"):
        s = norm.index(word)
        e = s + len(word)
        assert src[nmap.to_source(s):nmap.to_source(e)] == word
        assert nmap.to_normalized(nmap.to_source(s)) == s
    # An end offset just after a collapsed newline covers the whole "\r\n".
    e = norm.index("\n") + 1
    assert src[:nmap.to_source(e)] == "alpha\r\n"
    assert nmap.to_source(len(norm)) == len(src)


def test_lone_cr_and_separators_keep_offsets():
    norm, nmap = normalize_newlines("a\rb\u2028c")
    assert norm == "a\nb\nc" and nmap.is_identity


def test_decode_bom_utf8_cp1252_and_meta_charset():
    assert decode_bytes(b"\xef\xbb\xbfcaf\xc3\xa9") == "café"
    assert decode_bytes("caf\u00e9 \u201cquoted\u201d".encode("cp1252")) == "café “quoted”"
    assert decode_bytes("ab\u00e9".encode("utf-16")) == "abé"
    html = '<html><head><meta charset="koi8-r"></head><body>мир</body></html>'.encode("koi8-r")
    assert "мир" in decode_bytes(html)
    # cp1252 leaves 0x81 undefined: it still decodes, as its Latin-1 character.
    assert decode_bytes(b"x\x81y\x93") == "x\x81y“"


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
    b"PK\x03\x04" + b"\x00" * 100,
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
    bytes(200) + b"text",
    bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 50,
], ids=["png", "zip", "pdf", "nul", "controls"])
def test_binary_data_is_a_read_error(data):
    with pytest.raises(ReadError, match="binary"):
        decode_bytes(data)


def test_read_path_binary_file_has_source_and_message(tmp_path):
    p = tmp_path / "picture.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    with pytest.raises(ReadError) as err:
        read_path(p)
    assert err.value.source == str(p)
    assert "binary" in str(err.value) and "PNG" in str(err.value)


def test_missing_file_is_a_read_error(tmp_path):
    with pytest.raises(ReadError, match="no such file"):
        read_path(tmp_path / "absent.txt")
    items = list(read_inputs([str(tmp_path / "absent.html")]))
    assert len(items) == 1 and isinstance(items[0], ReadError)


def test_fixture_pages_decode_and_normalise():
    rec = read_path(FIXTURES / "rail_reopening_cp1252.txt")
    assert rec.kind == "text" and rec.id == "rail_reopening_cp1252" and not rec.clean
    assert "The café at Dunmore" in rec.text and "“" in rec.text
    rec = read_path(FIXTURES / "river_fine_bom_crlf.txt")
    assert "\r" not in rec.text and not rec.text.startswith("\ufeff")
    assert not rec.newline_map.is_identity
    raw = (FIXTURES / "river_fine_bom_crlf.txt").read_bytes()[3:].decode("utf-8")
    s = rec.text.index("WASHINGTON")
    e = rec.text.index("\n", s)
    assert raw[rec.newline_map.to_source(s):rec.newline_map.to_source(e)] == rec.text[s:e]
    assert read_path(FIXTURES / "orchard_frost.html").kind == "html"


def test_gzipped_page(tmp_path):
    p = tmp_path / "page.html.gz"
    p.write_bytes(gzip.compress(b"<html><body><p>Hello there.</p></body></html>"))
    rec = read_path(p)
    assert rec.id == "page" and rec.kind == "html" and "Hello there." in rec.text


def test_folder_is_read_recursively_in_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text("second page", encoding="utf-8")
    (tmp_path / "one.html").write_text("<p>first</p>", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    items = list(read_inputs([str(tmp_path)]))
    assert [i.id for i in items] == ["two", "one"]  # sorted paths: b/two.txt < one.html
    assert [i.kind for i in items] == ["text", "html"]


def test_stdin_sniffs_html_and_text():
    rec, = read_inputs(["-"], stdin=io.BytesIO(b"<!DOCTYPE html><html><body><p>x</p></body></html>"))
    assert isinstance(rec, InputRecord) and rec.kind == "html" and rec.source == "<stdin>"
    rec, = read_inputs(["-"], stdin=io.BytesIO("Plain words,\r\nno markup.".encode()))
    assert rec.kind == "text" and rec.text == "Plain words,\nno markup."
    err, = read_inputs(["-"], stdin=io.BytesIO(b"\x00\x01\x02" * 100))
    assert isinstance(err, ReadError)


def test_jsonl_corpus_with_a_bad_line(tmp_path):
    p = tmp_path / "corpus.jsonl"
    lines = [
        json.dumps({"id": "a1", "text": "First story.\r\nSecond line."}),
        "{not json",
        json.dumps({"id": "a2", "html": "<p>An HTML record.</p>"}),
        json.dumps(["not", "an", "object"]),
        "",
        json.dumps({"id": "a3", "text": "Last one."}),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_inputs([str(p)]))
    assert [type(i).__name__ for i in items] == ["InputRecord", "ReadError", "InputRecord", "ReadError", "InputRecord"]
    a1, bad, a2, bad2, a3 = items
    assert a1.id == "a1" and a1.clean and a1.kind == "text" and a1.text == "First story.\nSecond line."
    assert a1.newline_map.to_source(a1.text.index("Second")) == "First story.\r\nSecond line.".index("Second")
    assert "line 2" in str(bad) and bad.source.endswith(":2")
    assert a2.kind == "html" and not a2.clean
    assert "line 4" in str(bad2)
    assert a3.id == "a3"


def test_large_page_loads_whole(tmp_path):
    p = tmp_path / "big.txt"
    chunk = "A paragraph of an invented story about the harbour, repeated many times.\n"
    n = (20 * 2**20) // len(chunk) + 1
    p.write_text(chunk * n, encoding="utf-8")
    rec = read_path(p)
    assert len(rec.text) == len(chunk) * n


# -- limits, nesting, wording, code pages -----------------------------------------------------------
def test_corpus_line_over_the_limit_is_reported_and_the_next_line_read(tmp_path, monkeypatch):
    from quotedesk.core import readers

    monkeypatch.setattr(readers, "MAX_LINE_BYTES", 1000)
    corpus = tmp_path / "c.jsonl.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as f:
        f.write(json.dumps({"id": "a", "text": "Fine."}) + "\n")
        f.write(json.dumps({"id": "huge", "text": "x" * 5000}) + "\n")
        f.write(json.dumps({"id": "b", "text": "Fine too."}) + "\n")
    items = list(read_inputs([str(corpus)]))
    assert [getattr(i, "id", None) for i in items] == ["a", None, "b"]
    assert isinstance(items[1], ReadError) and "line 2 is too long" in str(items[1])


def test_gzipped_corpus_that_inflates_past_the_limit_stops_with_a_message(tmp_path, monkeypatch):
    from quotedesk.core import readers

    monkeypatch.setattr(readers, "MAX_INFLATED_BYTES", 10_000)
    corpus = tmp_path / "bomb.jsonl.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as f:
        for i in range(1000):
            f.write(json.dumps({"id": f"d{i}", "text": "Same words again."}) + "\n")
    items = list(read_inputs([str(corpus)]))
    assert isinstance(items[-1], ReadError) and "too large once unpacked" in str(items[-1])
    assert len(items) < 300


def test_deeply_nested_corpus_line_is_a_read_error(tmp_path):
    corpus = tmp_path / "deep.jsonl"
    corpus.write_text("[" * 100_000 + "]" * 100_000 + "\n" + json.dumps({"id": "ok", "text": "Fine."}) + "\n")
    items = list(read_inputs([str(corpus)]))
    assert isinstance(items[0], ReadError) and "nested too deeply" in str(items[0])
    assert items[1].id == "ok"


def test_binary_message_does_not_repeat_itself():
    with pytest.raises(ReadError) as err:
        decode_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 50, source="x.txt")
    assert str(err.value) == "x.txt: is a binary file, not a page"
    with pytest.raises(ReadError) as err:
        decode_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert str(err.value) == "is a binary file (a PNG image), not a page"


@pytest.mark.parametrize("text, encoding", [
    ("\u201eNevzd\u00e1me se,\u201c \u0159ekl starosta Dvo\u0159\u00e1k. P\u0159\u00edli\u0161 \u017elu\u0165ou\u010dk\u00fd k\u016f\u0148.", "cp1250"),
    ("\u201eNie poddamy si\u0119\u201d \u2013 powiedzia\u0142 burmistrz \u0141odzi. Za\u017c\u00f3\u0142\u0107 g\u0119\u015bl\u0105 ja\u017a\u0144.", "cp1250"),
    ("\u00abМы не отступим\u00bb, \u2014 заявил мэр города Иван Петров журналистам.", "cp1251"),
    ("Мы не отступим, заявил мэр города Иван Петров журналистам во вторник.", "koi8-r"),
    ("Привет мир", "cp1251"),
    ("Привет мир", "koi8-r"),
], ids=["cs-1250", "pl-1250", "ru-1251", "ru-koi8", "short-1251", "short-koi8"])
def test_undeclared_central_european_and_cyrillic_code_pages(text, encoding):
    assert decode_bytes(text.encode(encoding)) == text


@pytest.mark.parametrize("text", [
    "\u201cWe will not back down,\u201d said Smith \u2014 the union\u2019s chief. Prices rose to \u20ac3.",
    "Le pr\u00e9sident a d\u00e9clar\u00e9 : \u00ab Nous ne c\u00e9derons pas \u00bb, selon l\u2019agence. \u00c9l\u00e8ve, o\u00f9, gar\u00e7on.",
    "\u201eWir geben nicht auf\u201c, sagte der B\u00fcrgermeister. Die Stra\u00dfe wird f\u00fcr Fu\u00dfg\u00e4nger ge\u00f6ffnet.",
    "\u00abNo vamos a rendirnos\u00bb, afirm\u00f3 el alcalde. La reuni\u00f3n dur\u00f3 m\u00e1s de seis horas en C\u00e1diz.",
    "caf\u00e9 \u201cquoted\u201d",
], ids=["en", "fr", "de", "es", "short"])
def test_real_cp1252_text_stays_cp1252(text):
    assert decode_bytes(text.encode("cp1252")) == text


def test_a_link_out_of_the_folder_is_not_read(tmp_path):
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("Private notes.", encoding="utf-8")
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.txt").write_text("A page.", encoding="utf-8")
    (folder / "inner.txt").symlink_to(folder / "a.txt")  # a link inside the folder is fine
    (folder / "leak.txt").symlink_to(secret)
    items = list(read_inputs([str(folder)]))
    ok = [i.id for i in items if isinstance(i, InputRecord)]
    bad = [str(i) for i in items if isinstance(i, ReadError)]
    assert ok == ["a", "inner"] and len(bad) == 1 and "leak.txt" in bad[0] and "outside" in bad[0]


# -- lone surrogates ----------------------------------------------------------------------------
def test_corpus_lone_surrogates_become_replacement_characters_with_a_warning(tmp_path):
    """Valid JSON can hold "\\ud800"; no UTF-8 file can: the reader replaces each lone surrogate in
    the text and the id with U+FFFD (same length, offsets exact) and says so, naming file and line."""
    p = tmp_path / "c.jsonl"
    p.write_text('{"id": "ok", "text": "Fine."}\n'
                 '{"id": "\\ud800", "text": "A \\ud800 b \\udc00\\ud801 \\ud83d\\ude00 end."}\n', encoding="utf-8")
    first, second = list(read_inputs([str(p)]))
    assert first.warnings == []
    assert second.id == "\ufffd"
    assert second.text == "A \ufffd b \ufffd\ufffd \U0001F600 end."  # a real pair stays one character
    assert second.warnings == [f"{p}, line 2 (record \ufffd): 4 lone surrogates replaced by U+FFFD"]


def test_jsonl_and_labelstudio_loaders_replace_lone_surrogates(tmp_path):
    from quotedesk.core.formats.jsonl import read_jsonl
    from quotedesk.core.formats.labelstudio import read_labelstudio
    from quotedesk.core.readers import collect_read_notes

    jl = tmp_path / "g.jsonl"
    jl.write_text('{"id": "d\\udfff", "text": "\\u201cGo,\\u201d \\ud800 Al said.", '
                  '"quotes": [{"start": 0, "end": 5, "type": "direct"}]}\n', encoding="utf-8")
    with collect_read_notes() as notes:
        (doc,) = read_jsonl(jl)
    assert (doc.id, doc.article) == ("d\ufffd", "\u201cGo,\u201d \ufffd Al said.")
    assert notes == [f"{jl}, line 1: 2 lone surrogates replaced by U+FFFD"]
    ls = tmp_path / "t.json"
    ls.write_text('[{"id": 1, "data": {"text": "\\ud800 Hi."}, "annotations": []}]', encoding="utf-8")
    with collect_read_notes() as notes:
        (doc,) = read_labelstudio(ls)
    assert doc.article == "\ufffd Hi." and notes == [f"{ls}: 1 lone surrogate replaced by U+FFFD"]


def test_a_split_pair_is_written_so_that_it_reads_back_the_same_length():
    from quotedesk.core.atomic import json_dumps

    text = "a\ud800\udc00b\udfff"  # a lone high then a lone low: two code points, not one
    back = json.loads(json_dumps({"t": text}))["t"]
    assert len(back) == len(text) and back[1:3] == "\ufffd\ufffd" and back[4] == "\udfff"


# -- undeclared cp1250 against cp1252 (invented sentences) -------------------------------------
CP1250_TEXTS = [
    "Burmistrz Łodzi powiedział, że nowa linia będzie gotowa. Mieszkańcy skarżą się na hałas.",  # Polish
    "A polgármester szerint az új villamosvonal jövőre elkészül, a lakók a zajra panaszkodnak.",  # Hungarian
    "Jövőre új műsor indul, mondta Kovács Anna.",
    "Starosta řekl, že nová linka bude hotová a lidé si stěžují na hluk. Příští rok se otevře.",  # Czech
    "Primátor povedal, že nová linka bude hotová budúci rok a ľudia sa sťažujú na hluk.",  # Slovak
]
CP1252_TEXTS = [
    "Le président a déclaré « nous restons » à Paris, où l’été fut chaud. C’est sûr, août.",
    "Der Bürgermeister sagte: „Wir bleiben“, über die Straße. Öl für 5 m³.",
    "¿Dónde está el niño? ¡Sí, señor! El 1º de mañana costó £5 y ¥3.",
    "Informações: não, as eleições são já. Ação.",
    "Cœur, Œuvre, naïve, Noël, façade — “quoted” ‘single’ €5 ™ • …",
    "Il sindaco ha detto che la città è pronta, però non c'è più tempo.",
    "København: Søren sagde, at året blev godt. Æble.",
]


@pytest.mark.parametrize("text", CP1250_TEXTS)
def test_undeclared_cp1250_is_read_as_cp1250(text, tmp_path):
    p = tmp_path / "page.txt"
    p.write_bytes((text + "\n").encode("cp1250"))
    assert read_path(p).text == text + "\n"


@pytest.mark.parametrize("text", CP1252_TEXTS)
def test_undeclared_cp1252_stays_cp1252(text):
    assert decode_bytes(text.encode("cp1252")) == text
