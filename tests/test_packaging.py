"""The wheel: one top-level package, every resource inside, a licence; and an installed wheel that
works from a folder outside the checkout (version, analyze, convert to every format and back)."""
import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {r.stderr.strip().splitlines()[-1:]}")
    return next(out.glob("quotedesk-*.whl"))


def tracked_resources() -> list[str]:
    r = subprocess.run(["git", "ls-files", "resources"], cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0 or not r.stdout.strip():
        return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "resources").rglob("*")
                      if p.is_file() and "__pycache__" not in p.parts)
    return r.stdout.split()


def test_wheel_holds_one_package_every_resource_and_the_licence(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"quotedesk", wheel.name.split("-py3")[0] + ".dist-info"}
    missing = [f for f in tracked_resources() if "quotedesk/" + f not in names]
    assert not missing, f"resources missing from the wheel: {missing}"
    assert any(n.endswith(".dist-info/licenses/LICENSE") or n.endswith(".dist-info/LICENSE") for n in names)
    assert "quotedesk/main.py" in names


def test_installed_wheel_works_outside_the_checkout(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    # The runtime dependencies come from this interpreter's site-packages; QuoteDesk itself only from the wheel.
    venv.EnvBuilder(system_site_packages=True, with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True, capture_output=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    exe = str(env_dir / "bin" / "quotedesk")

    def run(*args):
        r = subprocess.run([exe, *args], cwd=work, env=env, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0 and "Traceback" not in r.stderr, (args, r.stdout[-1000:], r.stderr[-2000:])
        return r

    located = subprocess.run([str(py), "-c", "import quotedesk.core, sys; print(quotedesk.core.__file__)"],
                             cwd=work, env=env, capture_output=True, text=True)
    assert str(env_dir) in located.stdout, located.stdout + located.stderr
    assert run("--version").stdout.strip()
    page = work / "story.txt"
    page.write_text(
        "DOCKSIDE (Wire) - The harbour will stay shut until Monday, officials said.\n\n"
        "\u201cWe will not reopen the gates before the inspection,\u201d said port director Ana Brel.\n",
        encoding="utf-8")
    run("analyze", str(page), "-o", "out.jsonl")
    rec = json.loads((work / "out.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert rec["quotes"], rec
    corpus = work / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "story", "text": page.read_text(encoding="utf-8"),
                                  "quotes": rec["quotes"]}) + "\n", encoding="utf-8")
    for fmt, out in [("brat", "b"), ("labelstudio", "ls.json"), ("csv", "q.csv"), ("quotedesk", "qd"), ("jsonl", "j.jsonl")]:
        run("convert", str(corpus), "--from", "jsonl", "--to", fmt, "-o", out)
        run("convert", out, "--from", fmt, "--to", "jsonl", "-o", f"back-{fmt}.jsonl")
        back = json.loads((work / f"back-{fmt}.jsonl").read_text(encoding="utf-8").splitlines()[0])
        assert [(q["start"], q["end"]) for q in back["quotes"]] == [(q["start"], q["end"]) for q in rec["quotes"]], fmt
    shutil.rmtree(env_dir, ignore_errors=True)
