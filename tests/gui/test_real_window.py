"""A real window on the xcb platform under Xvfb (when Xvfb is installed): the README's Debian line
is enough for Qt to open the window, and real key input (xdotool) reaches it."""
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def xvfb():
    if not shutil.which("Xvfb"):
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                              pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as f:
        display = f.readline().strip()
    try:
        yield f":{display}"
    finally:
        server.terminate()
        server.wait(10)


def _window_ids(env) -> list[str]:
    r = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "QuoteDesk"], env=env,
                       capture_output=True, text=True)
    return r.stdout.split()


def test_window_opens_on_xcb_and_quits_on_a_real_ctrl_q(xvfb, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
    env.update(DISPLAY=xvfb, QT_QPA_PLATFORM="xcb", QUOTEDESK_DATA=str(tmp_path / "data"), HOME=str(tmp_path))
    app = subprocess.Popen([sys.executable, str(ROOT / "main.py"), str(ROOT / "resources" / "samples" / "harbour_strike.txt")],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        have_xdotool = shutil.which("xdotool") is not None
        deadline = time.monotonic() + 60
        shown = False
        while time.monotonic() < deadline and app.poll() is None:
            if have_xdotool and _window_ids(env):
                shown = True
                break
            if not have_xdotool and time.monotonic() > deadline - 50:
                shown = True  # still alive after 10 s: Qt did not abort
                break
            time.sleep(0.3)
        assert app.poll() is None, f"Qt exited with {app.returncode}: {app.stderr.read()[-2000:]}"
        assert shown
        if have_xdotool:
            win = _window_ids(env)[0]
            # No window manager runs under Xvfb: focus the window directly, then type through XTEST
            # (events Qt takes as real input, unlike XSendEvent's synthetic ones).
            subprocess.run(["xdotool", "windowfocus", "--sync", win], env=env, capture_output=True, timeout=10)
            subprocess.run(["xdotool", "key", "ctrl+q"], env=env, check=True, timeout=10)
            assert app.wait(30) == 0, app.stderr.read()[-2000:]
    finally:
        if app.poll() is None:
            app.kill()
        app.communicate(timeout=10)  # closes the pipes
