"""INCEpTION export: one brat basic ZIP per document, whose .ann INCEpTION's brat reader accepts."""
import re
import zipfile

import pytest

from quotedesk.core.formats.inception import InceptionError, read_inception, write_inception
from tests.core.test_convert_polnear import annotations, invented_corpus, span_key
from tests.core.test_formats_brat import check_standoff

# The line shapes of INCEpTION's brat basic reader (T, R, A/M, E and # only; no '*').
INCEPTION_LINES = [
    re.compile(r"^T[0-9]+\t[a-zA-Z0-9_][a-zA-Z0-9_\-]+ [0-9]+ [0-9]+(;[0-9]+ [0-9]+)*\t.*$"),
    re.compile(r"^R[0-9]+\t[a-zA-Z0-9_][a-zA-Z0-9_-]+ [a-zA-Z][a-zA-Z0-9]+:[ET][0-9]+ "
               r"[a-zA-Z][a-zA-Z0-9]+:[ET][0-9]+\s*$"),
    re.compile(r"^[AM][0-9]+\t[a-zA-Z_][a-zA-Z0-9_\-:]+ [TREN][0-9]+(?: .*)?$"),
    re.compile(r"^#[0-9]+\tAnnotatorNotes [TRE][0-9]+\t.*$"),
]


def test_one_zip_per_document_in_brat_basic_layout(tmp_path):
    docs = invented_corpus()
    written = write_inception(docs, tmp_path / "out")
    assert len(written) == len(docs) and all(p.suffix == ".zip" for p in written)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in written)
    for path, doc in zip(written, docs):
        with zipfile.ZipFile(path) as z:
            names = sorted(z.namelist())
            stem = path.stem
            assert names == sorted([f"{stem}.ann", f"{stem}.txt", "annotation.conf"])
            txt = z.read(f"{stem}.txt")
            ann = z.read(f"{stem}.ann").decode("utf-8")
        assert txt == doc.article.encode("utf-8")
        assert check_standoff(doc.article, ann) > 0
        for line in ann.splitlines():
            assert any(p.match(line) for p in INCEPTION_LINES), f"INCEpTION's reader refuses {line!r}"


def test_zips_read_back_exactly(tmp_path):
    docs = invented_corpus()
    write_inception(docs, tmp_path)
    back = {d.article: d for d in read_inception(tmp_path)}
    for d in docs:
        assert span_key(back[d.article]) == span_key(d)
        assert annotations(back[d.article]) == annotations(d)


def test_ids_stay_inside_the_folder(tmp_path):
    docs = invented_corpus()
    docs[0].id, docs[1].id = "../../escape", "/etc/passwd"
    written = write_inception(docs, tmp_path / "out")
    assert all(p.parent == tmp_path / "out" for p in written)


def test_missing_conf_fails_before_writing(tmp_path, monkeypatch):
    from quotedesk.core import resources
    from quotedesk.core.formats import MissingResourceError

    monkeypatch.setattr(resources, "RESOURCES", tmp_path / "none")
    with pytest.raises(MissingResourceError):
        write_inception(invented_corpus(), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_bad_zip_is_named(tmp_path):
    p = tmp_path / "x.zip"
    p.write_bytes(b"not a zip")
    with pytest.raises(InceptionError, match="x.zip: not a ZIP"):
        list(read_inception(p))
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("a.ann", "")
    with pytest.raises(InceptionError, match="a.ann has no a.txt"):
        list(read_inception(p))


def test_convert_to_inception_and_back_from_the_command_line(tmp_path):
    import main
    from quotedesk.core.formats.jsonl import read_jsonl, write_jsonl

    docs = invented_corpus()
    write_jsonl(docs, tmp_path / "in.jsonl")
    assert main.main(["convert", str(tmp_path / "in.jsonl"), "--to", "inception", "-o", str(tmp_path / "inc")]) == 0
    assert len(list((tmp_path / "inc").glob("*.zip"))) == len(docs)
    assert main.main(["convert", str(tmp_path / "inc"), "--to", "jsonl", "-o", str(tmp_path / "back.jsonl")]) == 0
    back = {d.article: d for d in read_jsonl(tmp_path / "back.jsonl")}
    assert all(span_key(back[d.article]) == span_key(d) for d in docs)


def test_zip_inflating_past_the_page_limit_is_refused(tmp_path, monkeypatch):
    from quotedesk.core import readers

    write_inception(invented_corpus()[:1], tmp_path)
    monkeypatch.setattr(readers, "MAX_PAGE_BYTES", 100)
    with pytest.raises(InceptionError, match="inflates past"):
        list(read_inception(tmp_path))
