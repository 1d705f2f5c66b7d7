"""The corpus window's Tracked quotations index on PolNeAR train (840 documents) pre-annotated as a
corpus: how long the first build and a rebuild after one save take in the pool thread, and the
window's longest event-loop stall meanwhile.

    python bench/track_panel.py [--limit N]

Annotations go to a temporary folder (the shared data is read-only and stays untouched).
Numbers are printed, never asserted.  Skips with a message when ../shared is absent.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import main  # noqa: E402,F401  (the checkout becomes the quotedesk package)

from quotedesk.core.batch import preannotate  # noqa: E402
from quotedesk.core.corpus import Corpus  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "polnear" / "train.jsonl"


class StallMeter:
    """The longest gap between ticks of a 5 ms timer: how long the event loop was kept from running."""

    def __init__(self):
        from PySide6.QtCore import QTimer
        self.longest = 0.0
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self):
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now

    def reset(self):
        self.longest = 0.0
        self._last = time.perf_counter()


def wait_built(app, panel, meter, timeout=300.0) -> float:
    done = []
    panel.indexBuilt.connect(lambda: done.append(time.perf_counter()))
    t0 = time.perf_counter()
    meter.reset()
    while not done and time.perf_counter() - t0 < timeout:
        app.processEvents()
        time.sleep(0.001)
    panel.indexBuilt.disconnect()
    return done[0] - t0 if done else float("nan")


def main_(limit: int | None) -> None:
    if not DATA.exists():
        print(f"skipped: {DATA} is absent")
        return
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from quotedesk.gui.review_window import ReviewWindow
    from quotedesk.gui.settings import Settings
    from quotedesk.gui.testing import ScriptedPrompts

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="qd-bench-") as tmp:
        corpus = Corpus.open(DATA, store=tmp)
        ids = corpus.ids[:limit] if limit else None
        res = preannotate(corpus, jobs=1, ids=ids)
        print(f"pre-annotated {len(res.done)} documents in {res.seconds:.1f} s (jobs 1)")
        win = ReviewWindow(settings=Settings(QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat)),
                           prompts=ScriptedPrompts())
        win.resize(1400, 900)
        win.show()
        meter = StallMeter()
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < 2:
            app.processEvents()
            time.sleep(0.001)
        print(f"idle window for 2 s (the machine's load alone): longest event-loop stall {meter.longest * 1000:.0f} ms")
        panel = win.corpus_mode.track_panel
        t0 = time.perf_counter()
        win.corpus_mode.open_corpus(DATA, store=tmp)
        opened = time.perf_counter() - t0
        first = wait_built(app, panel, meter)
        stall = meter.longest
        b = panel.build
        flagged = b.flagged()
        print(f"first build: {first:.2f} s after the corpus opened ({opened:.2f} s to open and show a document); "
              f"{b.read} files read, {b.documents} documents, {len(b.index.groups)} groups, "
              f"{sum('speaker_conflict' in g['flags'] for g in flagged)} speaker conflicts, "
              f"{sum('wording_drift' in g['flags'] for g in flagged)} wording drifts; "
              f"longest event-loop stall {stall * 1000:.0f} ms")
        t0 = time.perf_counter()
        panel._on_built(panel._generation, b)
        print(f"showing a build in the panel (UI thread): {(time.perf_counter() - t0) * 1000:.0f} ms")
        meter.reset()
        t0 = time.perf_counter()
        win.stack.resetClean()  # an unsaved change: Save writes the shown document into the corpus
        win.do_save()
        print(f"the save itself (UI thread): {(time.perf_counter() - t0) * 1000:.0f} ms, longest stall "
              f"{meter.longest * 1000:.0f} ms")
        again = wait_built(app, panel, meter)
        print(f"rebuild after one save: {again:.2f} s including the {panel._debounce.interval()} ms debounce; "
              f"{panel.build.read} file(s) read; longest stall {meter.longest * 1000:.0f} ms")
        panel.wait()
        win.stack.setClean()
        win.close()


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents")
    main_(ap.parse_args().limit)
