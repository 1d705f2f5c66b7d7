"""Pre-annotation speed on PolNeAR train (840 documents) with 1 and 2 worker processes, and how
responsive the UI stays while the GUI worker runs it.

    python bench/preannotate.py [--limit N] [--jobs 1 2] [--gui-jobs 1 2] [--no-gui]

Annotations go to a temporary folder (the shared data is read-only and stays untouched).
Numbers are printed, never asserted.  Skips with a message when ../shared is absent.
"""
from __future__ import annotations

import argparse
import json
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


def text_only_copy(dest: Path, limit: int | None = None) -> Path:
    """The corpus as raw stories ({"id", "text"}): PolNeAR's gold quotes would open as a person's
    work, which pre-annotation rightly leaves alone."""
    with open(DATA, encoding="utf-8") as f, open(dest, "w", encoding="utf-8") as out:
        for n, line in enumerate(f):
            if limit and n >= limit:
                break
            rec = json.loads(line)
            out.write(json.dumps({"id": rec["id"], "text": rec["text"]}) + "\n")
    return dest


def core_run(jobs: int, limit: int | None) -> None:
    with tempfile.TemporaryDirectory(prefix="qd-bench-") as tmp:
        src = text_only_copy(Path(tmp) / "train-text.jsonl")
        corpus = Corpus.open(src, store=Path(tmp) / "store")
        ids = corpus.ids[:limit] if limit else None
        chars = sum(len(corpus.read_raw(i)["text"]) for i in (ids or corpus.ids))
        load = os.getloadavg()[0]
        res = preannotate(corpus, jobs=jobs, ids=ids)
        quotes = sum(corpus.entry(i).quotes for i in res.done)
        print(f"core  jobs={jobs}: {len(res.done)} docs in {res.seconds:.2f} s = "
              f"{len(res.done) / res.seconds:.1f} docs/s, {chars / res.seconds / 1000:.0f}k chars/s, "
              f"{quotes} quotes, {len(res.errors)} errors (load average before: {load:.1f})")
        t = time.perf_counter()
        rows = Corpus.open(src, store=Path(tmp) / "store").speaker_rows()
        print(f"      corpus statistics after reopening: {len(rows)} speakers in "
              f"{(time.perf_counter() - t) * 1000:.0f} ms (project.json "
              f"{(Path(tmp) / 'store' / 'project.json').stat().st_size / 1024:.0f} KB)")
        for k, v in list(res.errors.items())[:3]:
            print(f"    error {k}: {v}")


def gui_run(jobs: int, limit: int | None) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from quotedesk.gui.corpus_panel import CorpusPanel

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="qd-bench-gui-") as tmp:
        # The panel runs over the whole corpus: give it the first ``limit`` records.
        src = text_only_copy(Path(tmp) / "subset.jsonl", limit)
        panel = CorpusPanel(jobs=jobs)
        panel.resize(500, 700)
        panel.show()
        panel.open_corpus(src, store=Path(tmp) / "store")
        gaps = []
        clock = QElapsedTimer()
        ticker = QTimer()
        ticker.setInterval(10)

        def tick():
            gaps.append(clock.restart())

        ticker.timeout.connect(tick)
        done = {}
        panel.batchFinished.connect(lambda r: done.setdefault("r", r))
        load = os.getloadavg()[0]
        t0 = time.perf_counter()
        clock.start()
        ticker.start()
        panel.preannotate()
        while "r" not in done:
            app.processEvents()
            time.sleep(0.001)
        ticker.stop()
        wall = time.perf_counter() - t0
        res = done["r"]
        gaps = gaps[1:] or [0]
        gaps.sort()
        p99 = gaps[min(len(gaps) - 1, int(len(gaps) * 0.99))]
        print(f"gui   jobs={jobs}: {len(res.done)} docs in {wall:.2f} s = {len(res.done) / wall:.1f} docs/s; "
              f"UI timer (10 ms) gaps: max {max(gaps)} ms, p99 {p99} ms, {len(gaps)} ticks; "
              f"{len(res.errors)} errors (load average before: {load:.1f})")
        panel.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--gui-jobs", type=int, nargs="+", default=[2])
    ap.add_argument("--no-gui", action="store_true")
    args = ap.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} is not present (../shared is absent in this checkout)")
        return
    print(f"{DATA.name}: cores={os.cpu_count()}, python {sys.version.split()[0]}")
    for jobs in args.jobs:
        core_run(jobs, args.limit)
    if not args.no_gui:
        for jobs in args.gui_jobs:
            gui_run(jobs, args.limit)


if __name__ == "__main__":
    main()
