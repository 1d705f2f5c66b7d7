"""Article-extraction accuracy on the shared benchmarks (Zyte and WCXB dev, HTML and page text), scored by the shared scorer."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import main  # noqa: E402,F401  (the checkout becomes the quotedesk package)

from quotedesk.core.extraction import extract_article  # noqa: E402
from quotedesk.core.readers import ReadError, read_path  # noqa: E402

SETS = {
    "zyte-html": ("zyte", "html", "*.html.gz"),
    "zyte-text": ("zyte", "text", "*.txt"),
    "wcxb-html": ("wcxb-dev", "html", "*.html.gz"),
    "wcxb-text": ("wcxb-dev", "text", "*.txt"),
}


def extract_pages(folder: Path, pattern: str):
    """(record, extraction) for each page in ``folder`` matching ``pattern``, in name order; a page
    that cannot be read is skipped with a line on stderr."""
    for f in sorted(folder.glob(pattern)):
        try:
            rec = read_path(f)
        except ReadError as e:
            print(f"  skip {e}", file=sys.stderr)
            continue
        yield rec, extract_article(rec.text, rec.kind)


def predict(folder: Path, pattern: str) -> tuple[dict, float, int]:
    pred = {}
    t0 = time.perf_counter()
    for rec, ex in extract_pages(folder, pattern):
        pred[rec.id] = {"articleBody": ex.article, "headline": ex.meta.headline,
                        "date": ex.meta.date, "byline": ex.meta.byline}
    return pred, time.perf_counter() - t0, len(pred)


def meta_scores(gold_path: Path, pred: dict) -> str:
    """Share of pages whose headline (exact / words only), date (day) and author match the gold,
    where the gold has them, counted as bench/metadata_accuracy.py counts them."""
    from metadata_accuracy import FIELDS, verdicts  # noqa: E402  (bench/ is on the path)

    gold = json.loads(gold_path.read_text("utf8"))
    counts = {f: [0, 0] for f in FIELDS}
    for k, g in gold.items():
        for f, ok in verdicts(g, pred.get(k, {})).items():
            if ok is not None:
                counts[f][0] += ok
                counts[f][1] += 1
    out = [f"{f} {ok / n:.3f}" for f, (ok, n) in counts.items() if n]
    return ("  meta: " + ", ".join(out)) if out else ""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, help="folder for predictions (default: a temporary folder)")
    ap.add_argument("sets", nargs="*", default=list(SETS), help=f"any of {', '.join(SETS)}")
    a = ap.parse_args(argv)
    data = a.shared / "data"
    scorer = a.shared / "eval" / "score_extract.py"
    if not data.is_dir() or not scorer.is_file():
        print(f"no shared data at {a.shared}: nothing to measure")
        return 0
    out = a.out or Path(tempfile.mkdtemp(prefix="qd-extract-"))
    out.mkdir(parents=True, exist_ok=True)
    for name in a.sets:
        corpus, sub, pattern = SETS[name]
        folder = data / corpus / sub
        gold = data / corpus / "ground-truth.json"
        pred, secs, n = predict(folder, pattern)
        pred_path = out / f"{name}.json"
        pred_path.write_text(json.dumps(pred, ensure_ascii=False), "utf8")
        metrics_path = out / f"{name}.metrics.json"
        cmd = [sys.executable, str(scorer), "--gold", str(gold), "--n-bootstrap", "0",
               "--json", str(metrics_path), str(pred_path)]
        run = subprocess.run(cmd, capture_output=True, text=True)
        if run.returncode != 0:
            print(f"{name}: scorer failed: {run.stderr.strip()[-500:]}")
            continue
        m = json.loads(metrics_path.read_text("utf8"))[name]
        print(f"{name:<10} F1 {m['f1']:.3f}  P {m['precision']:.3f}  R {m['recall']:.3f}  "
              f"acc90 {m['acc90']:.3f}  pages {n}  {n / secs:.0f} pages/s{meta_scores(gold, pred)}")
        print(f"           reproduce: {' '.join(cmd[:-3])} {pred_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
