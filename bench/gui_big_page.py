"""Bench: open a 50 MB page file in the review window the way a user does (File > Open), offscreen.

Prints ONE JSON line: mb (file size), named_s (until the title names the page and the busy bar
shows: open_path returning), ready_s (until the document is shown), longest_stall_s (the longest
gap between two turns of the event loop meanwhile: what the user feels as a frozen window),
adopt_s (the UI thread's share of showing the finished document).
The page is the bundled invented sample's body repeated; it is written to a temporary folder.
Run: python bench/gui_big_page.py            (50 MB)
     python bench/gui_big_page.py --mb 10
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import main  # noqa: E402,F401  (the checkout becomes the quotedesk package)


def main_() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=50.0)
    args = ap.parse_args()
    from PySide6.QtWidgets import QApplication

    from quotedesk.gui.app import sample_path
    from quotedesk.gui.review_window import ReviewWindow
    from quotedesk.gui.testing import ScriptedPrompts, temp_settings

    app = QApplication.instance() or QApplication([])
    tmp = Path(tempfile.mkdtemp(prefix="quotedesk-bigpage-"))
    sample = Path(sample_path()).read_text(encoding="utf-8")
    size = int(args.mb * 1_000_000)
    page = tmp / "big-page.txt"
    page.write_text(sample + (sample * (size // len(sample) + 1))[:size - len(sample)], encoding="utf-8")

    win = ReviewWindow(settings=temp_settings(tmp), prompts=ScriptedPrompts())
    win.resize(1280, 800)
    win.show()
    app.processEvents()
    t0 = time.monotonic()
    win.open_path(str(page))
    named = time.monotonic() - t0
    assert "big-page.txt" in win.windowTitle()
    longest, last = 0.0, time.monotonic()
    adopt = 0.0

    def on_ready():
        nonlocal adopt
        adopt = time.monotonic() - ready_started[0]

    ready_started = [0.0]
    original = win._analysis_done

    def timed_done(result):
        ready_started[0] = time.monotonic()
        original(result)
        on_ready()
    win._analysis_done = timed_done
    while (win.busy or win.doc is None) and time.monotonic() - t0 < 600:
        app.processEvents()
        now = time.monotonic()
        longest, last = max(longest, now - last), now
        time.sleep(0.005)
    ready = time.monotonic() - t0
    print(json.dumps({"mb": round(page.stat().st_size / 1e6, 1), "named_s": round(named, 2),
                      "ready_s": round(ready, 1), "longest_stall_s": round(longest, 2),
                      "adopt_s": round(adopt, 2), "errors": win.prompts.errors}))
    win.stack.setClean()
    win.close()
    page.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main_())
