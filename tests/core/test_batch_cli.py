"""`quotedesk batch`, `preannotate` and `track` on the local engine, and the engine itself: shards
of JSONL, JSONL.gz, folders of pages and WARC files; the manifest skips finished shards and re-runs
changed ones; failures are listed and change the exit status; a dead worker loses only its task.
All pages and records are invented (tests/fixtures/corpus and strings below)."""
import gzip
import io
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

import main
from quotedesk.core.engines import LocalEngine
from quotedesk.core.shards import plan, read_shard
from tests.core.conftest import CORPUS_FIXTURES

STORY = ("Dockworkers walked out at dawn on Monday.\n\n“We have waited two years for a fair contract,” "
         "said Mara Lindqvist, who leads the union. “We will not wait another winter for the owners to make up "
         "their minds.”\n\n"
         "The port authority said talks would resume on Friday.\n")


def records(n, start=0):
    return [{"id": f"s{i:02d}", "text": STORY.replace("two years", f"{i + 2} years")} for i in range(start, start + n)]


def write_jsonl(path: Path, recs, extra_lines=()):
    lines = [json.dumps(r, ensure_ascii=False) for r in recs] + list(extra_lines)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)
    return path


def run(capsys, *argv):
    code = main.main(list(argv))
    out, err = capsys.readouterr()
    return code, err


def shards_text(outdir: Path) -> str:
    names = json.loads((outdir / "manifest.json").read_text())["order"]
    return "".join((outdir / f"{n}.jsonl").read_text(encoding="utf-8") for n in names)


def test_plan_and_read_cover_every_record_once(tmp_path):
    plain = write_jsonl(tmp_path / "a.jsonl", records(7), ["", ""])
    gz = write_jsonl(tmp_path / "b.jsonl.gz", records(5, 10))
    shards, problems = plan([str(plain), str(gz), str(tmp_path / "missing.jsonl")], shard_size=3)
    assert [s.name for s in shards] == ["a-00000", "a-00001", "a-00002", "b-00000", "b-00001"]
    assert [s.records for s in shards] == [3, 3, 1, 3, 2]
    assert [str(p) for p in problems] == [f"{tmp_path / 'missing.jsonl'}: no such file"]
    ids = [r.id for s in shards for r in read_shard(s)]
    assert ids == [f"s{i:02d}" for i in list(range(7)) + list(range(10, 15))]
    srcs = [r.source for r in read_shard(shards[1])]
    assert srcs == [f"{plain}:4", f"{plain}:5", f"{plain}:6"]


def test_batch_equals_analyze_and_reruns_only_what_changed(tmp_path, capsys):
    pages = tmp_path / "pages"
    shutil.copytree(CORPUS_FIXTURES, pages)
    corpus = write_jsonl(tmp_path / "c.jsonl.gz", records(5))
    inputs = [str(pages), str(corpus)]
    code, err = run(capsys, "analyze", *inputs, "-o", str(tmp_path / "ref.jsonl"), "--jobs", "1")
    assert code == 0, err
    out = tmp_path / "out"
    code, err = run(capsys, "batch", *inputs, "-o", str(out), "--shard-size", "2", "--workers", "2")
    assert code == 0, err
    assert "10 documents" in err and "0 failures" in err and "documents/s" in err
    assert shards_text(out) == (tmp_path / "ref.jsonl").read_text(encoding="utf-8")
    assert sorted(p.name for p in out.glob("*.errors.jsonl")) == [
        "c-00000.errors.jsonl", "c-00001.errors.jsonl", "c-00002.errors.jsonl",
        "pages-00000.errors.jsonl", "pages-00001.errors.jsonl", "pages-00002.errors.jsonl"]

    code, err = run(capsys, "batch", *inputs, "-o", str(out), "--shard-size", "2", "--workers", "2")
    assert code == 0 and "6 skipped" in err and "0 to run" in err

    # an edited page re-runs its own shard only
    page = sorted(pages.iterdir())[0]
    page.write_text(page.read_text(encoding="utf-8") + "\nA late paragraph.\n", encoding="utf-8")
    code, err = run(capsys, "batch", *inputs, "-o", str(out), "--shard-size", "2", "--workers", "1")
    assert code == 0 and "5 skipped" in err and "1 to run" in err

    # a changed setting re-runs everything
    code, err = run(capsys, "batch", *inputs, "-o", str(out), "--shard-size", "2", "--types", "direct")
    assert code == 0 and "0 skipped" in err and "6 to run" in err
    assert all(q["type"] == "direct" for line in shards_text(out).splitlines() for q in json.loads(line)["quotes"])

    # a new cut replaces the old shards' files instead of mixing them in
    code, err = run(capsys, "batch", *inputs, "-o", str(out), "--shard-size", "5", "--types", "direct")
    assert code == 0 and "removed" in err
    assert sorted(p.name for p in out.glob("*.jsonl") if ".errors" not in p.name) == [
        "c-00000.jsonl", "pages-00000.jsonl"]


def test_failures_are_listed_and_the_exit_status_says_so(tmp_path, capsys):
    corpus = write_jsonl(tmp_path / "c.jsonl", records(3), ['{"id": "bad", "text": 3}', "{not json"])
    out = tmp_path / "out"
    code, err = run(capsys, "batch", str(corpus), "-o", str(out), "--shard-size", "2", "--workers", "1")
    assert code == 1
    assert "3 documents" in err and "2 failures" in err
    listed = [json.loads(line) for p in sorted(out.glob("*.errors.jsonl")) for line in p.read_text().splitlines()]
    assert [e["id"] for e in listed] == [f"{corpus}:4", f"{corpus}:5"]
    assert "no \"text\" or \"html\"" in listed[0]["error"] and "corrupt JSONL line 5" in listed[1]["error"]
    # a re-run skips the shards but still says that the output is incomplete
    code, err = run(capsys, "batch", str(corpus), "-o", str(out), "--shard-size", "2", "--workers", "1")
    assert code == 1 and "3 skipped" in err and "2 earlier failure(s)" in err


def test_batch_refuses_bad_settings_in_one_line(tmp_path, capsys):
    corpus = write_jsonl(tmp_path / "c.jsonl", records(1))
    code, err = run(capsys, "batch", str(corpus), "-o", str(tmp_path / "o"), "--shard-size", "0")
    assert code == 2 and "--shard-size" in err and "Traceback" not in err
    code, err = run(capsys, "batch", str(corpus), "-o", str(tmp_path / "o"), "--scheduler", "tcp://127.0.0.1:1")
    assert code == 2 and "--engine dask" in err


WARC_HTML = ("<html><head><title>Harbour strike</title></head><body><article><h1>Harbour strike enters third week</h1>"
             "<p>Dockworkers walked out again on Monday.</p><p>“We will not wait another winter,” said Mara "
             "Lindqvist, who leads the union.</p></article></body></html>")


def write_warc(path: Path, pages: int) -> None:
    warcio = pytest.importorskip("warcio")
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=path.name.endswith(".gz"))
        for i in range(pages):
            body = WARC_HTML.replace("third", f"{i + 3}th").encode("utf-8")
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            # lengths given, so warcio needs no temporary buffer (it would leave one open)
            w.write_record(w.create_warc_record(f"https://news.example/story/{i}", "response",
                                                payload=io.BytesIO(body), length=len(body), http_headers=headers))
            w.write_record(w.create_warc_record(f"https://news.example/story/{i}.png", "resource",
                                                payload=io.BytesIO(b"\x89PNG...."), length=8,
                                                warc_content_type="image/png"))
    assert warcio


@pytest.mark.parametrize("name", ["pages.warc", "pages.warc.gz"])
def test_warc_responses_are_analysed(tmp_path, capsys, name):
    warc = tmp_path / name
    write_warc(warc, 5)
    out = tmp_path / "out"
    code, err = run(capsys, "batch", str(warc), "-o", str(out), "--shard-size", "2", "--workers", "2")
    assert code == 0, err
    recs = [json.loads(line) for line in shards_text(out).splitlines()]
    assert [r["id"] for r in recs] == [f"https://news.example/story/{i}" for i in range(5)]
    assert all(any(q["speaker"] == "Mara Lindqvist" for q in r["quotes"]) for r in recs)


def test_warc_without_warcio_is_one_clear_line(tmp_path, capsys, monkeypatch):
    (tmp_path / "x.warc").write_bytes(b"WARC/1.0\r\n")
    monkeypatch.setitem(sys.modules, "warcio", None)
    monkeypatch.setitem(sys.modules, "warcio.archiveiterator", None)
    code, err = run(capsys, "batch", str(tmp_path / "x.warc"), "-o", str(tmp_path / "o"))
    assert code == 1 and "pip install" in err and "warcio" in err and "Traceback" not in err


def test_dask_engine_without_distributed_is_one_clear_line(tmp_path, capsys, monkeypatch):
    corpus = write_jsonl(tmp_path / "c.jsonl", records(1))
    monkeypatch.setitem(sys.modules, "distributed", None)
    code, err = run(capsys, "batch", str(corpus), "-o", str(tmp_path / "o"), "--engine", "dask")
    assert code == 2 and "quotedesk[dask]" in err and "Traceback" not in err


# -- the engine --------------------------------------------------------------------------------
def square_or_die(task):
    """Module level, so worker processes import it.  ("die", n): the worker exits outright;
    ("once", path): dies on the first attempt only (the marker file tells)."""
    kind, value = task
    if kind == "die":
        os._exit(7)
    if kind == "once":
        marker = Path(value)
        if not marker.exists():
            marker.write_text("x")
            os._exit(9)
        return "survived"
    if kind == "raise":
        raise ValueError("no good")
    return value * value


def test_local_engine_loses_only_the_dead_workers_task(tmp_path):
    tasks = [("ok", 2), ("die", 0), ("ok", 3), ("once", str(tmp_path / "marker")), ("raise", 0), ("ok", 4)]
    outcomes = {o.index: o for o in LocalEngine(workers=2).run(square_or_die, tasks)}
    assert sorted(outcomes) == list(range(6))  # every task reported once
    assert [outcomes[i].result for i in (0, 2, 5)] == [4, 9, 16]
    assert outcomes[1].error.startswith("worker died (exit code 7) in 2 attempt(s)")
    assert outcomes[3].result == "survived" and outcomes[3].attempts == 2  # retried on a fresh worker
    assert outcomes[4].error == "ValueError: no good" and outcomes[4].attempts == 1  # an error is not retried


def test_local_engine_in_process_and_cancel():
    seen = []
    eng = LocalEngine(in_process=True)
    outs = list(eng.run(square_or_die, [("ok", 1), ("ok", 2), ("ok", 3)],
                        cancel=lambda: len(seen) >= 2 or seen.append(1)))
    assert [o.result for o in outs] == [1, 4]


# -- preannotate and track on the command line ------------------------------------------------------
def test_preannotate_command_keeps_a_persons_work(folder, capsys):
    from quotedesk.core.corpus import Corpus

    c = Corpus.open(folder)
    c.set_status("chess-final", "done")
    code, err = run(capsys, "preannotate", str(folder), "--jobs", "2")
    assert code == 0, err
    assert "4 documents annotated" in err and "1 left as they were" in err
    c = Corpus.open(folder)
    assert c.status("chess-final") == "done" and c.counts()["machine"] == 4
    code, err = run(capsys, "preannotate", str(folder), "--jobs", "1")
    assert code == 0 and "0 documents annotated" in err


def test_track_command_over_batch_output(tmp_path, capsys):
    recs = records(3)
    recs[2]["text"] = recs[2]["text"].replace("Mara Lindqvist", "Tomas Berg")
    corpus = write_jsonl(tmp_path / "c.jsonl", recs)
    out = tmp_path / "out"
    assert run(capsys, "batch", str(corpus), "-o", str(out), "--workers", "1")[0] == 0
    code, err = run(capsys, "track", str(out), "-o", str(tmp_path / "tracks.jsonl"))
    assert code == 0, err
    groups = [json.loads(line) for line in (tmp_path / "tracks.jsonl").read_text().splitlines()]
    winter = [g for g in groups if "another winter" in g["text"]]
    assert len(winter) == 1
    assert sorted(o["doc"] for o in winter[0]["occurrences"]) == ["s00", "s01", "s02"]
    assert "speaker_conflict" in winter[0]["flags"]
    assert "speaker_conflict" in err


def test_analyze_jobs_2_writes_what_jobs_1_writes(tmp_path, capsys):
    """analyze on files runs on the local engine (workers serialise whole shards): the same bytes
    with one and two workers, in input order, also across several inputs and a bad line."""
    a = write_jsonl(tmp_path / "a.jsonl", records(30), ["{broken"])
    b = write_jsonl(tmp_path / "b.jsonl.gz", records(9, 40))
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"j{jobs}.jsonl"
        code, err = run(capsys, "analyze", str(a), str(b), "-o", str(out), "--jobs", jobs)
        assert code == 1 and "corrupt JSONL line 31" in err and "39 document(s) were read" in err
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    assert [json.loads(line)["id"] for line in outs[1].decode().splitlines()] == (
        [f"s{i:02d}" for i in range(30)] + [f"s{i:02d}" for i in range(40, 49)])
