"""Bad invocations and bad files, run as a user runs them (``python main.py …`` in a subprocess):
each ends with the documented exit status and one line on stderr, never a traceback."""
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAIN = str(ROOT / "main.py")
PAGE = ("Harbour strike ends\n\nLISBON: Dock workers returned to work on Tuesday.\n\n"
        "\u201cWe did not get everything we asked for, but we got respect,\u201d union chief Marta Quintal said.\n")


def _env(**changes):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "COV_"))}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    for k, v in changes.items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = v
    return env


def qd(*args, env=None, cwd=None, umask=None, timeout=120, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL):
    """Run ``python main.py ARGS``; asserts no traceback reached stderr unless --debug was given."""
    def pre():
        if umask is not None:
            os.umask(umask)
    proc = subprocess.run([sys.executable, MAIN, *map(str, args)], stdout=stdout, stderr=subprocess.PIPE,
                          stdin=stdin, env=env or _env(), cwd=cwd, timeout=timeout, text=True,
                          preexec_fn=pre if umask is not None else None)
    if "--debug" not in args:
        assert "Traceback" not in proc.stderr, proc.stderr
    return proc


@pytest.fixture
def page(tmp_path) -> Path:
    p = tmp_path / "strike.txt"
    p.write_text(PAGE, encoding="utf-8")
    return p


def _corpus(path: Path, texts) -> Path:
    path.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in texts), encoding="utf-8")
    return path


# -- the first word ---------------------------------------------------------------------------
def test_typo_is_a_usage_error_naming_the_commands(page):
    r = qd("analyse", page)
    assert r.returncode == 2
    assert "analyze" in r.stderr and "did you mean" in r.stderr


def test_missing_file_as_first_word_does_not_open_the_window(tmp_path):
    r = qd(tmp_path / "nope.txt")
    assert r.returncode == 2 and "nope.txt" in r.stderr


def test_window_without_a_display_is_one_line_not_a_qt_abort(page):
    r = qd(page, env=_env(DISPLAY=None, WAYLAND_DISPLAY=None, QT_QPA_PLATFORM=None))
    assert r.returncode == 2
    assert "no display" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_screenshot_with_an_empty_platform_variable_renders_offscreen(tmp_path):
    # an empty QT_QPA_PLATFORM is Qt's "unset": the screenshot must still default to offscreen
    out = tmp_path / "s.png"
    r = qd("--screenshot", out, env=_env(DISPLAY=None, WAYLAND_DISPLAY=None, QT_QPA_PLATFORM=""))
    assert r.returncode == 0, r.stderr
    assert out.stat().st_size > 0


def test_version():
    r = qd("--version")
    assert r.returncode == 0
    assert r.stdout.startswith("quotedesk ") and r.stdout.split()[1][0].isdigit()


def test_debug_shows_the_traceback(tmp_path):
    r = qd("convert", tmp_path / "missing.jsonl", "--to", "brat", "-o", tmp_path / "out", "--debug")
    assert r.returncode == 2 and "Traceback" in r.stderr


# -- convert ----------------------------------------------------------------------------------
def _newer_quotedesk_file(tmp_path):
    p = tmp_path / "a.quotedesk.json"
    p.write_text(json.dumps({"format": "quotedesk", "version": 999, "document": {}}), encoding="utf-8")
    return p


CONVERT_CASES = [
    ("missing.jsonl", None, None, "no such file"),
    ("photo.jsonl", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), None, "PNG"),
    ("deep.json", b"[" * 100_000 + b"]" * 100_000, "labelstudio", "deep"),
    ("deep.jsonl", b'{"id": "a", "text": "x", "quotes": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n", None, "deep"),
    ("ints.json", b"[1, 2, 3]", "labelstudio", "ints.json"),
    ("notjson.jsonl", b"{not json\n", None, "line 1"),
    ("noid.csv", b"just,some\ncells,here\n", None, "noid.csv"),
    ("rec.jsonl", b'{"id": "a", "text": 5}\n', None, "line 1"),
    ("quotes.jsonl", b'{"id": "a", "text": "abc", "quotes": [{"start": "x", "end": 2}]}\n', None, "line 1"),
    ("a.ann", b"T1\tQuote 0 3\tabc\n", None, "a"),  # no a.txt beside it

]


@pytest.mark.parametrize("name, content, fmt, says", CONVERT_CASES, ids=[c[0] for c in CONVERT_CASES])
def test_convert_bad_inputs_are_one_line(tmp_path, name, content, fmt, says):
    src = tmp_path / name
    if content is not None:
        src.write_bytes(content)
    args = ["convert", src, "--to", "jsonl", "-o", tmp_path / "out.jsonl"]
    if fmt:
        args += ["--from", fmt]
    r = qd(*args)
    assert r.returncode == 2, r.stderr
    assert says in r.stderr and str(src.name) in r.stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_convert_says_what_the_loader_says(tmp_path):
    r = qd("convert", _newer_quotedesk_file(tmp_path), "--to", "jsonl", "-o", tmp_path / "o.jsonl")
    assert r.returncode == 2 and "newer" in r.stderr


def test_convert_output_that_cannot_be_written_is_status_3(tmp_path):
    src = _corpus(tmp_path / "c.jsonl", [("a", "A text.")])
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = qd("convert", src, "--to", "jsonl", "-o", blocker / "sub" / "out.jsonl")
    assert r.returncode == 3 and "out.jsonl" in r.stderr


def test_convert_reads_analyze_output_and_its_own_labelstudio_folder(tmp_path, page):
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(PAGE.replace("\n", "\r\n").encode("cp1252"))
    pred = tmp_path / "pred.jsonl"
    assert qd("analyze", page, crlf, "--jobs", "1", "-o", pred).returncode == 0
    r = qd("convert", pred, "--to", "labelstudio", "-o", tmp_path / "ls")
    assert r.returncode == 0, r.stderr
    r = qd("convert", tmp_path / "ls", "--from", "labelstudio", "--to", "jsonl", "-o", tmp_path / "back.jsonl")
    assert r.returncode == 0, r.stderr
    back = [json.loads(line) for line in (tmp_path / "back.jsonl").read_text(encoding="utf-8").splitlines()]
    raws = {"strike": PAGE, "crlf": PAGE.replace("\n", "\r\n")}
    for rec in back:
        # the text is the input analyze read (offsets "input"), so every quote is the quoted words
        assert rec["text"] == raws[rec["id"]]
        assert any(rec["text"][q["start"]:q["end"]].startswith("We did not get") for q in rec["quotes"])
        assert all(q["origin"] == "machine" for q in rec["quotes"])


def test_convert_analyze_output_without_its_input_is_refused(tmp_path, page):
    pred = tmp_path / "pred.jsonl"
    assert qd("analyze", page, "--jobs", "1", "-o", pred).returncode == 0
    page.unlink()
    r = qd("convert", pred, "--to", "jsonl", "-o", tmp_path / "o.jsonl")
    assert r.returncode == 2 and "input" in r.stderr


# -- eval -------------------------------------------------------------------------------------
@pytest.mark.parametrize("content, says", [
    (None, "no such file"),
    (b"{oops\n", "line 1"),
    (b'{"text": "x", "quotes": []}\n', "id"),
    (b'{"id": "a", "quotes": [{"start": "1", "end": 2}]}\n', "start"),
    (b'{"id": "a", "quotes": {"start": 1}}\n', "quotes"),
    (b'{"id": "a", "quotes": [{"start": 1, "end": 2, "speaker_spans": [1]}]}\n', "speaker_spans"),
], ids=["missing", "not-json", "no-id", "string-start", "quotes-object", "bad-span"])
def test_eval_bad_files(tmp_path, content, says):
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"id": "a", "text": "abc", "quotes": []}) + "\n", encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    if content is not None:
        bad.write_bytes(content)
    for gold, pred in ((bad, good), (good, bad)):
        r = qd("eval", gold, pred)
        assert r.returncode == 2, r.stderr
        assert says in r.stderr and "bad.jsonl" in r.stderr


# -- analyze ----------------------------------------------------------------------------------
def test_analyze_to_a_full_disk_is_status_3(page):
    with open("/dev/full", "w") as full:
        r = qd("analyze", page, "--jobs", "1", stdout=full)
    assert r.returncode == 3 and "no space left" in r.stderr


def test_analyze_into_a_path_that_cannot_be_written_is_status_3(tmp_path, page):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for fmt in ("jsonl", "json"):
        r = qd("analyze", page, "--jobs", "1", "--format", fmt, "-o", blocker / "out")
        assert r.returncode == 3, r.stderr
        assert "cannot write" in r.stderr


def test_outputs_onto_a_folder_or_past_a_file_are_status_3(tmp_path, page):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for args in (["analyze", page, "--jobs", "1", "-o", folder],
                 ["extract", page, "--jobs", "1", "-o", blocker / "z.json"],
                 ["eval", _corpus(tmp_path / "g.jsonl", [("a", "x")]), tmp_path / "g.jsonl", "--json", folder],
                 ["convert", tmp_path / "g.jsonl", "--to", "brat", "-o", blocker]):
        r = qd(*args)
        assert r.returncode == 3, (args[0], r.stderr)
        assert "cannot write it" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert list(folder.iterdir()) == [] and blocker.read_text() == "x"


def test_usage_errors_are_status_2(page):
    for args in (["analyze"], ["analyze", page, "--jobs", "many"], ["convert", page], ["eval", page],
                 ["analyze", page, "--format", "xml"], ["--no-such-option"]):
        r = qd(*args)
        assert r.returncode == 2 and "usage:" in r.stderr, (args, r.stderr)


def test_analyze_into_head_ends_quietly(tmp_path):
    corpus = _corpus(tmp_path / "c.jsonl", [(f"d{i}", PAGE * 20) for i in range(60)])
    proc = subprocess.Popen([sys.executable, MAIN, "analyze", str(corpus), "--jobs", "1"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=_env())
    proc.stdout.readline()
    proc.stdout.close()  # what `| head -1` does
    _, err = proc.communicate(timeout=120)
    assert b"Traceback" not in err and b"BrokenPipe" not in err, err
    assert proc.returncode == 141


def test_lone_surrogate_record_does_not_stop_the_batch(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "text": "First."}\n{"id": "b", "text": "Bad \\ud800 here, he said."}\n'
                      '{"id": "c", "text": "Third."}\n', encoding="utf-8")
    r = qd("analyze", corpus, "--jobs", "1")
    assert r.returncode == 0, r.stderr
    recs = [json.loads(line) for line in r.stdout.splitlines()]
    assert [x["id"] for x in recs] == ["a", "b", "c"]
    # replaced by U+FFFD as it was read (same length: offsets exact), and said on stderr
    assert recs[1]["article"]["body"] == "Bad \ufffd here, he said."
    assert "c.jsonl, line 2 (record b): 1 lone surrogate replaced by U+FFFD" in r.stderr
    out = tmp_path / "json"
    assert qd("analyze", corpus, "--jobs", "1", "--format", "json", "-o", out).returncode == 0
    assert sorted(p.name for p in out.iterdir()) == [f"{i}.quotedesk.json" for i in "abc"]
    for fmt, dest in (("jsonl", tmp_path / "o.jsonl"), ("brat", tmp_path / "brat"), ("csv", tmp_path / "o.csv"),
                      ("labelstudio", tmp_path / "ls"), ("quotedesk", tmp_path / "qd")):
        r = qd("convert", corpus, "--to", fmt, "-o", dest)
        assert r.returncode == 0, (fmt, r.stderr)
    assert sorted(p.name for p in (tmp_path / "brat").glob("*.txt")) == ["a.txt", "b.txt", "c.txt"]
    assert "U+FFFD" in qd("convert", corpus, "--to", "brat", "-o", tmp_path / "brat2").stderr
    back = [json.loads(line) for line in (tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()]
    assert back[1]["text"] == "Bad \ufffd here, he said."


def test_lone_surrogate_id_survives_analyze_csv_and_back(tmp_path):
    # QA's reproducer: the id "\ud800" went into the CSV as U+FFFD but stayed an escape in its texts file
    su = _corpus(tmp_path / "su.jsonl", [("\ud800", "\u201cWe stay,\u201d Ana Kovac said.")])
    r = qd("analyze", su, "--format", "json", "-o", tmp_path / "an")
    assert r.returncode == 0 and "1 lone surrogate replaced by U+FFFD" in r.stderr
    assert qd("convert", tmp_path / "an", "--to", "csv", "-o", tmp_path / "y.csv").returncode == 0
    r = qd("convert", tmp_path / "y.csv", "--to", "jsonl", "-o", tmp_path / "b.jsonl")
    assert r.returncode == 0, r.stderr
    (rec,) = [json.loads(x) for x in (tmp_path / "b.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rec["id"] == "\ufffd" and len(rec["quotes"]) == 1


def test_extraction_warnings_are_printed_naming_the_file(tmp_path):
    page = tmp_path / "deep.html"
    page.write_text("<html><body><article><h1>T</h1><p>Opening paragraph here.</p>" + "<div>" * 3000
                    + "<p>\u201cA first,\u201d Al said.</p></article></body></html>", encoding="utf-8")
    for cmd in ("analyze", "extract"):
        r = qd(cmd, page, "-o", tmp_path / f"{cmd}.out")
        assert r.returncode == 0, r.stderr
        lines = [x for x in r.stderr.splitlines() if "flattened" in x]
        assert len(lines) == 1 and str(page) in lines[0], (cmd, r.stderr)
    with page.open("rb") as f:
        r = qd("analyze", "-", "-o", tmp_path / "stdin.out", stdin=f)
    assert r.returncode == 0 and "<stdin>" in r.stderr and "flattened" in r.stderr


@pytest.mark.parametrize("command", ["analyze", "batch"])
def test_a_link_out_of_the_folder_is_reported_not_silently_skipped(tmp_path, command):
    folder, other = tmp_path / "c", tmp_path / "o"
    folder.mkdir()
    other.mkdir()
    (other / "x.txt").write_text('"Hi," said Al.\n', encoding="utf-8")
    (folder / "a.txt").write_text('"Yo," said Bo.\n', encoding="utf-8")
    (folder / "l.txt").symlink_to("../o/x.txt")
    r = qd(command, folder, "-o", tmp_path / "out")
    assert r.returncode == 1, r.stderr
    assert f"{folder / 'l.txt'}: a link to a file outside the folder" in r.stderr


def test_eval_with_analyze_output_as_gold_names_the_file_and_line(tmp_path):
    corpus = _corpus(tmp_path / "g.jsonl", [("x", "\u201cWe stay,\u201d Ana Kovac said.")])
    out = tmp_path / "a.jsonl"
    assert qd("analyze", corpus, "-o", out).returncode == 0
    r = qd("eval", out, out)
    assert r.returncode == 2, r.stderr
    assert f"{out}: line 1: record 'x' has no \"text\"" in r.stderr and "internal error" not in r.stderr
    assert qd("eval", corpus, out).returncode == 0  # as predictions it is fine


def test_convert_to_dash_writes_standard_output_or_refuses(tmp_path):
    corpus = _corpus(tmp_path / "g.jsonl", [("x", "\u201cWe stay,\u201d Ana Kovac said.")])
    r = qd("convert", corpus, "--to", "jsonl", "-o", "-", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert [json.loads(x)["id"] for x in r.stdout.splitlines()] == ["x"]
    r = qd("convert", corpus, "--to", "labelstudio", "-o", "-", cwd=tmp_path)
    assert r.returncode == 0 and json.loads(r.stdout)[0]["data"]["text"].endswith("said.")
    r = qd("convert", corpus, "--to", "csv", "-o", "-", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout.startswith("document,"), r.stdout
    for fmt in ("brat", "quotedesk", "inception"):
        r = qd("convert", corpus, "--to", fmt, "-o", "-", cwd=tmp_path)
        assert r.returncode == 2 and "-o -" in r.stderr and r.stdout == "", (fmt, r.stderr)
    assert not (tmp_path / "-").exists()


def test_ids_never_leave_the_output_folder(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    ids = ["../outside/x", str(outside / "abs"), "..", ".hidden", "a/b", ""]
    corpus = _corpus(tmp_path / "c.jsonl", [(i, f"Text number {n}.") for n, i in enumerate(ids)])
    out = tmp_path / "out"
    r = qd("analyze", corpus, "--jobs", "1", "--format", "json", "-o", out)
    assert r.returncode == 0, r.stderr
    assert list(outside.iterdir()) == []
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == len(ids) and not any(n.startswith(".") for n in names)
    r = qd("convert", out, "--to", "quotedesk", "-o", tmp_path / "again")
    assert r.returncode == 0, r.stderr
    assert list(outside.iterdir()) == [] and len(list((tmp_path / "again").iterdir())) == len(ids)


def test_outputs_follow_the_umask(tmp_path, page):
    out = tmp_path / "json"
    assert qd("analyze", page, "--jobs", "1", "--format", "json", "-o", out, umask=0o022).returncode == 0
    files = list(out.iterdir())
    assert qd("analyze", page, "--jobs", "1", "-o", tmp_path / "p.jsonl", umask=0o022).returncode == 0
    files.append(tmp_path / "p.jsonl")
    for fmt, dest in (("jsonl", tmp_path / "c.jsonl"), ("brat", tmp_path / "brat"), ("csv", tmp_path / "c.csv"),
                      ("labelstudio", tmp_path / "ls"), ("quotedesk", tmp_path / "qd"),
                      ("inception", tmp_path / "inc")):
        assert qd("convert", out, "--to", fmt, "-o", dest, umask=0o022).returncode == 0
        files += [dest] if dest.is_file() else list(dest.iterdir())
    assert qd("batch", page, "-o", tmp_path / "batch", "--workers", "1", umask=0o022).returncode == 0
    files += list((tmp_path / "batch").iterdir())
    modes = {f.name: oct(stat.S_IMODE(f.stat().st_mode)) for f in files if f.is_file()}
    assert set(modes.values()) == {"0o644"}, modes


def _children(pid: int) -> set[int]:
    kids = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids |= {int(x) for x in (task / "children").read_text().split()}
        except OSError:
            pass
    return kids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc (Linux)")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=["TERM", "INT", "KILL"])
def test_killing_analyze_ends_its_workers(tmp_path, sig):
    corpus = _corpus(tmp_path / "c.jsonl", [(f"d{i}", PAGE * 200) for i in range(400)])
    proc = subprocess.Popen([sys.executable, MAIN, "analyze", str(corpus), "--jobs", "2", "-o", tmp_path / "o.jsonl"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env())
    deadline = time.monotonic() + 60
    kids: set[int] = set()
    while time.monotonic() < deadline and len(kids) < 2 and proc.poll() is None:
        kids = _children(proc.pid)
        time.sleep(0.05)
    assert len(kids) >= 2, "the workers never started"
    time.sleep(0.3)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err, err
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(k) for k in kids):
        time.sleep(0.1)
    assert not any(_alive(k) for k in kids), "workers outlived their parent"
    if sig != signal.SIGKILL:
        assert proc.returncode == {signal.SIGTERM: 143, signal.SIGINT: 130}[sig]
        assert not (tmp_path / "o.jsonl").exists()  # an interrupted run leaves no half a file
