"""The headless commands, run the way a batch user runs them: through main.main()."""
import json

import pytest

from quotedesk import main

PAGE = """Home | World | Business | Sport

Harbour strike ends after overnight talks

March 4
09:12 2025

LISBON: Dock workers in the port of Alvera returned to work on Tuesday after union leaders and the port authority agreed a new pay deal overnight.

“We did not get everything we asked for, but we got respect,” union chief Marta Quintal said.

Port director Henrik Vale said the agreement would cost the authority about 4 million euros a year.

He told reporters the first ships would be unloaded by Wednesday morning.–AFP

Related Articles

Sign up for our morning briefing
"""


def run(capsys, *argv):
    code = main.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_analyze_text_page_offsets_index_the_input(tmp_path, capsys):
    page = tmp_path / "strike.txt"
    page.write_bytes(PAGE.replace("\n", "\r\n").encode("utf-8"))
    raw = page.read_bytes().decode("utf-8")
    code, out, err = run(capsys, "analyze", str(page), "--jobs", "1")
    assert code == 0, err
    rec = json.loads(out)
    assert rec["id"] == "strike" and rec["offsets"] == "input"
    texts = {raw[q["start"]:q["end"]] for q in rec["quotes"]}
    assert "We did not get everything we asked for, but we got respect," in texts
    direct = next(q for q in rec["quotes"] if raw[q["start"]:q["end"]].startswith("We did not"))
    # The mention keeps the speaker's role with the name.
    assert [raw[s:e] for s, e in direct["speaker_spans"]] in (["Marta Quintal"], ["union chief Marta Quintal"])
    assert direct["speaker"].endswith("Marta Quintal")
    assert [raw[s:e] for s, e in direct["cue_spans"]] == ["said"]
    assert rec["article"]["agency"] == "AFP"
    assert "Related Articles" not in rec["article"]["body"]


def test_analyze_jsonl_corpus_types_filter_and_parallel_jobs(tmp_path, capsys):
    corpus = tmp_path / "c.jsonl"
    docs = [{"id": f"d{i}", "text": f"Mayor Lena Fisk{i} said the bridge would reopen. "
                                     f"\u201cIt is safe,\u201d she said."} for i in range(10)]
    corpus.write_text("\n".join(json.dumps(d) for d in docs), encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    code, _, err = run(capsys, "analyze", str(corpus), "-o", str(out), "--jobs", "2", "--types", "direct")
    assert code == 0, err
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in recs] == [d["id"] for d in docs]
    for r, d in zip(recs, docs):
        assert {q["type"] for q in r["quotes"]} == {"direct"}
        assert [d["text"][q["start"]:q["end"]] for q in r["quotes"]] == ["It is safe,"]


def test_analyze_skips_unreadable_input_and_reports_failure(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text("\u201cWe are ready,\u201d coach Ivo Brandt said.\n", encoding="utf-8")
    bad = tmp_path / "photo.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    code, out, err = run(capsys, "analyze", str(bad), str(good), "--jobs", "1")
    assert code == 1
    assert "photo" in err
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["good"]


def test_extract_writes_zyte_json(tmp_path, capsys):
    page = tmp_path / "p1.txt"
    page.write_text(PAGE, encoding="utf-8")
    out = tmp_path / "zyte.json"
    code, _, err = run(capsys, "extract", str(page), "--format", "zyte", "-o", str(out), "--jobs", "1")
    assert code == 0, err
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["p1"]["headline"] == "Harbour strike ends after overnight talks"
    assert data["p1"]["articleBody"].startswith("LISBON: Dock workers")
    assert "Sign up" not in data["p1"]["articleBody"]


def test_eval_prints_metrics_for_identical_sets(tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    text = "\u201cNo comment,\u201d the minister said."
    rec = {"id": "a", "text": text, "quotes": [{"start": 1, "end": 12, "type": "direct",
                                                "speaker": "the minister", "speaker_spans": [[14, 26]],
                                                "cue_spans": [[27, 31]]}]}
    gold.write_text(json.dumps(rec), encoding="utf-8")
    code, out, _ = run(capsys, "eval", str(gold), str(gold))
    assert code == 0
    assert "e2e_overlap" in out and "1.000" in out


def test_unknown_option_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main.main(["analyze"])
    assert exc.value.code == 2


# -- errors: one line, a documented status --------------------------------------------------------
@pytest.mark.parametrize("fmt, out", [("json", "folder"), ("jsonl", "pred.jsonl")])
def test_analyze_on_a_full_disk_is_one_line_and_status_3(tmp_path, capsys, monkeypatch, fmt, out):
    import errno

    from quotedesk.core import atomic

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    page = tmp_path / "p.txt"
    page.write_text(PAGE, encoding="utf-8")
    code, _, err = run(capsys, "analyze", str(page), "--jobs", "1", "--format", fmt, "-o", str(tmp_path / out))
    assert code == 3
    assert err.strip().splitlines()[-1].startswith(f"quotedesk: {tmp_path / out}")
    assert "no space left" in err and "Traceback" not in err


def test_analyze_into_a_read_only_folder_is_status_3(tmp_path, capsys, monkeypatch):
    import errno
    import tempfile

    def read_only(*a, **k):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    page = tmp_path / "p.txt"
    page.write_text(PAGE, encoding="utf-8")
    code, _, err = run(capsys, "analyze", str(page), "--jobs", "1", "--format", "json", "-o", str(tmp_path / "out"))
    assert code == 3 and "read-only file system" in err


def test_display_problem():
    assert main.display_problem({}, "linux") is not None
    assert main.display_problem({"DISPLAY": ":0"}, "linux", probe=False) is None
    assert ":987" in main.display_problem({"DISPLAY": ":987"}, "linux")  # no X server there
    assert main.display_problem({"DISPLAY": "somehost:0"}, "linux") is None  # remote: not probed
    assert main.display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert main.display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert main.display_problem({"QT_QPA_PLATFORM": "minimal"}, "linux") is None
    assert main.display_problem({"QT_QPA_PLATFORM": "xcb"}, "linux") is not None
    assert main.display_problem({"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":0"}, "linux", probe=False) is not None
    assert main.display_problem({}, "win32") is None and main.display_problem({}, "darwin") is None
    assert main.display_problem({}, "linux", offscreen_default=True) is None


@pytest.mark.parametrize("argv", [["analyze", "{m}"], ["extract", "{m}"], ["eval", "{m}", "{m}"],
                                  ["convert", "{m}", "--to", "jsonl", "-o", "{o}"]])
def test_a_missing_input_is_one_line_for_every_command(capsys, tmp_path, argv):
    code, _, err = run(capsys, *[a.format(m=tmp_path / "missing-input", o=tmp_path / "o") for a in argv])
    assert code in (1, 2) and "Traceback" not in err and "missing-input" in err


def test_ids_become_file_names_inside_the_folder():
    from quotedesk.core.safe_paths import file_stem, path_in

    assert file_stem("harbour-strike_1.v2") == "harbour-strike_1.v2"
    for bad in ("../../x", "/etc/passwd", "..", ".", "", ".hidden", "a/b", "a\\b", "CON", "x" * 300, "\ud800"):
        stem = file_stem(bad)
        assert "/" not in stem and "\\" not in stem and not stem.startswith(".") and 0 < len(stem) <= 200
        assert path_in("/out", bad, ".json").parent.as_posix() == "/out"
    assert file_stem("a/b") != file_stem("a_b")  # two ids never share a file


def test_analyze_bounds_corpus_lines_and_reports_deep_json(tmp_path, capsys, monkeypatch):
    import gzip

    from quotedesk.core import readers

    monkeypatch.setattr(readers, "MAX_LINE_BYTES", 300_000)
    corpus = tmp_path / "c.jsonl.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as f:
        f.write(json.dumps({"id": "ok1", "text": "Fine, she said."}) + "\n")
        f.write(json.dumps({"id": "huge", "text": "x" * 400_000}) + "\n")
        f.write("[" * 100_000 + "]" * 100_000 + "\n")
        f.write(json.dumps({"id": "ok2", "text": "Fine too, he said."}) + "\n")
    for source in (corpus, tmp_path / "plain.jsonl"):
        if source.suffix == ".jsonl":
            source.write_bytes(gzip.decompress(corpus.read_bytes()))
        code, out, err = run(capsys, "analyze", str(source), "--jobs", "1")
        assert code == 1
        assert "line 2 is too long" in err and "line 3: nested too deeply" in err and "Traceback" not in err
        assert [json.loads(line)["id"] for line in out.splitlines()] == ["ok1", "ok2"]


def test_analyze_leaves_out_links_out_of_the_folder(tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("Private notes, he said.", encoding="utf-8")
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.txt").write_text("\u201cReady,\u201d coach Ivo Brandt said.", encoding="utf-8")
    (folder / "leak.txt").symlink_to(secret)
    code, out, err = run(capsys, "analyze", str(folder), "--jobs", "1")
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["a"]
    assert "Private" not in out
