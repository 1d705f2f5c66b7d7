"""`quotedesk batch --engine dask` on a real cluster: a `dask scheduler` and two `dask worker`
processes on free loopback ports, started here and stopped by PID afterwards.  The batch's shards
put together are byte for byte what `quotedesk analyze` writes for the same records, also when a
worker is killed mid-run; a re-run skips every shard; a corrupt record is listed and the exit
status says so.  Skipped when distributed is not installed.  The records are invented."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed")

ROOT = Path(__file__).absolute().parents[2]
SPEAKERS = ["Mara Lindqvist", "Tomas Berg", "Ines Moreau", "Pavel Orlov", "Ana Kovac"]
TOPICS = ["the harbour strike", "the flood wall", "the ferry timetable", "the school budget", "the orchard frost"]


def invented_story(n: int, paragraphs: int = 60) -> str:
    out = [f"Council report number {n}.\n"]
    for k in range(paragraphs):
        who = SPEAKERS[(n + k) % len(SPEAKERS)]
        topic = TOPICS[(n * 3 + k) % len(TOPICS)]
        out.append(f"“We have talked about {topic} for {k + 2} months and nothing has changed,” {who} said on "
                   f"Tuesday. The committee will meet again next week, officials said.\n")
        out.append(f"{who.split()[-1]} said the town should publish its plans for {topic} before the vote.\n")
    return "\n".join(out)


def write_corpus(path: Path, first: int, count: int, corrupt_at: int | None = None) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for i in range(first, first + count):
            if i == corrupt_at:
                f.write('{"id": "broken", "text": "unterminated\n')
                continue
            f.write(json.dumps({"id": f"story-{i:03d}", "text": invented_story(i)}, ensure_ascii=False) + "\n")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def env():
    e = dict(os.environ)
    e["PYTHONWARNINGS"] = "ignore"
    e.pop("QT_QPA_PLATFORM", None)
    return e


@pytest.fixture
def cluster(tmp_path):
    """A scheduler and two single-threaded workers without nannies (a killed worker stays dead)."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path / "logs"
    logs.mkdir()
    procs = []
    try:
        sched_log = open(logs / "scheduler.log", "wb")
        procs.append((subprocess.Popen([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1",
                                        "--port", str(port), "--no-dashboard"],
                                       stdout=sched_log, stderr=subprocess.STDOUT, env=env(), cwd=tmp_path),
                      sched_log))
        wait_for(lambda: _listening(port), 60, "the scheduler")
        workers = []
        for k in range(2):
            log = open(logs / f"worker{k}.log", "wb")
            p = subprocess.Popen([sys.executable, "-m", "dask", "worker", address, "--nthreads", "1",
                                  "--no-nanny", "--host", "127.0.0.1", "--dashboard-address", "127.0.0.1:0",
                                  "--name", f"w{k}"],
                                 stdout=log, stderr=subprocess.STDOUT, env=env(), cwd=tmp_path)
            procs.append((p, log))
            workers.append(p)
        for k in range(2):
            wait_for(lambda: b"Registered to" in (logs / f"worker{k}.log").read_bytes(), 90, f"worker {k}")
        yield address, workers
    finally:
        for p, log in reversed(procs):
            stop(p)
            log.close()


def _listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def quotedesk(*args, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env(), text=True, **kw)


def run(*args) -> tuple[int, str]:
    p = quotedesk(*args)
    out, err = p.communicate(timeout=240)
    return p.returncode, err


def shard_outputs(outdir: Path) -> str:
    names = json.loads((outdir / "manifest.json").read_text())["order"]
    return "".join((outdir / f"{n}.jsonl").read_text(encoding="utf-8") for n in names)


def test_batch_on_a_dask_cluster(cluster, tmp_path):
    address, workers = cluster
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write_corpus(a, 0, 24)
    write_corpus(b, 24, 12)
    inputs = [str(a), str(b)]
    code, err = run("analyze", *inputs, "-o", str(tmp_path / "ref.jsonl"), "--jobs", "1", "--no-progress")
    assert code == 0, err
    reference = (tmp_path / "ref.jsonl").read_text(encoding="utf-8")
    assert reference.count("\n") == 36

    # 1. through the scheduler: the shards together are analyze's output
    out1 = tmp_path / "out1"
    code, err = run("batch", *inputs, "-o", str(out1), "--engine", "dask", "--scheduler", address,
                    "--shard-size", "3", "--no-progress")
    assert code == 0, err
    assert "36 documents" in err and "0 failures" in err
    assert shard_outputs(out1) == reference
    assert not list(out1.glob(".*.part"))  # no temporary file left behind

    # 2. a re-run skips every shard
    code, err = run("batch", *inputs, "-o", str(out1), "--engine", "dask", "--scheduler", address,
                    "--shard-size", "3", "--no-progress")
    assert code == 0, err
    assert "12 skipped" in err and "0 to run" in err

    # 3. a worker killed mid-run: the batch completes, nothing lost or doubled
    out2 = tmp_path / "out2"
    p = quotedesk("batch", *inputs, "-o", str(out2), "--engine", "dask", "--scheduler", address,
                  "--shard-size", "1", "--no-progress")
    try:
        wait_for(lambda: any(out2.glob("a-*.jsonl")) or p.poll() is not None, 120, "the first shard")
        victim = workers[1]
        assert p.poll() is None, "the batch ended before a worker could be killed"
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(10)
        out, err = p.communicate(timeout=240)
    finally:
        stop(p)
    assert victim.returncode is not None
    assert p.returncode == 0, err
    assert "36 documents" in err and "36 shard(s) written" in err, err
    assert shard_outputs(out2) == reference
    ids = [json.loads(line)["id"] for line in shard_outputs(out2).splitlines()]
    assert len(ids) == len(set(ids)) == 36

    # 4. a corrupt record is listed in its shard's errors file, the rest written, exit status 1
    c = tmp_path / "c.jsonl"
    write_corpus(c, 0, 4, corrupt_at=2)
    out3 = tmp_path / "out3"
    code, err = run("batch", str(c), "-o", str(out3), "--engine", "dask", "--scheduler", address,
                    "--shard-size", "2", "--no-progress")
    assert code == 1, err
    assert "3 documents" in err and "1 failures" in err
    (problem,) = [json.loads(line) for line in (out3 / "c-00001.errors.jsonl").read_text().splitlines()]
    assert problem["id"].endswith("c.jsonl:3") and "corrupt JSONL line 3" in problem["error"]
    assert (out3 / "c-00000.errors.jsonl").read_text() == ""
    assert shard_outputs(out3).count("\n") == 3
