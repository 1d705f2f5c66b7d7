"""Refit the confidence table (resources/confidence.json) on PolNeAR train, then print its calibration on dev.

    python bench/fit_confidence.py            # analyze train, fit, write the table, score dev
    python bench/fit_confidence.py --cv       # also 5-fold cross-validation on train (by document)
    python bench/fit_confidence.py --no-write # fit and score without replacing the table

Each quote the engine predicts on train (``analyze`` as the CLI runs it, default scheme) is labelled
right or wrong exactly as ../shared/eval/calibration.py does: right when it overlaps a gold quote
whose speaker it gets right (the shared scorer's speaker_ok).  Its feature cells come from
core/attribution/confidence.py (the same code that applies the table), and an L2-penalised
logistic model over the cells is fitted by cyclic coordinate Newton steps in plain Python: every
cell's weight is a deviation from the coarser cells, pulled towards zero, so a cell seen a few times
stays near the rate of its coarser cells (back-off), and cells seen fewer than --min-count times
are left out of the table altogether.  Dev is then analyzed, given the new confidences and scored
by the shared calibration script (ECE and the share of wrong quotes among the least confident 20%).
"""
from __future__ import annotations

import argparse
import collections
import json
import math
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import main  # noqa: E402,F401  (the checkout becomes the quotedesk package)

from quotedesk.core.attribution import confidence  # noqa: E402
from quotedesk.core.analysis_records import analysis_record, analyze_record  # noqa: E402
from quotedesk.core.readers import ReadError, read_inputs  # noqa: E402

SHARED = ROOT.parent / "shared"
DEFAULT_TABLE = ROOT / "resources" / confidence.TABLE_NAME

# The word lists the features read; written into the table with the weights.
WORDS = {
    "be_words": ["be", "been", "being", "is", "was", "were", "are", "am", "'s", "’s", "get", "got", "gets",
                 "getting", "become", "became"],
    "prepositions": ["by", "from", "in", "for", "as", "of", "with", "on", "at", "about", "into", "over",
                     "against", "after", "before", "during", "through", "under", "among", "amid", "toward",
                     "towards", "upon", "without", "within"],
    "wh_words": ["whether", "if", "how", "what", "why", "when", "where", "who", "whom", "which"],
}
GROUPS = confidence.GROUPS
FLOOR, CEILING = 0.02, 0.99


def speaker_ok():
    sys.path.insert(0, str(SHARED / "eval"))
    import score  # the shared scorer's rule for 'right speaker'

    return score.speaker_ok


def labelled_quotes(corpus: Path, words) -> list[tuple[str, dict, bool]]:
    """(document id, feature cells, right?) for every quote analyze predicts on ``corpus``."""
    ok = speaker_ok()
    gold = {}
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                gold[d["id"]] = d
    rows = []
    for rec in read_inputs([str(corpus)]):
        if isinstance(rec, ReadError):
            print(f"skipped {rec}", file=sys.stderr)
            continue
        doc = analyze_record(rec)
        out = analysis_record(doc, rec)
        g = gold.get(rec.id)
        if g is None:
            continue
        counts = confidence.entity_quote_counts(doc)
        for q in out["quotes"]:
            hits = [x for x in g["quotes"] if x["start"] < q["end"] and q["start"] < x["end"]]
            right = any(ok(x, q, g["text"]) for x in hits)
            rows.append((rec.id, confidence.quote_features(doc, doc.quotes[q["id"]], words, counts), right))
    return rows


def cells_of(features: dict) -> list[tuple[str, str]]:
    return [(g, features[g]) for g in GROUPS if g in features]


def fit(rows, lam: float, min_count: int, sweeps: int = 60) -> tuple[float, dict]:
    """Bias and {group: {cell: weight}} of the L2-penalised logistic model (bias unpenalised)."""
    counts = collections.Counter(c for _, feats, _ in rows for c in cells_of(feats))
    X = [[c for c in cells_of(feats) if counts[c] >= min_count] for _, feats, _ in rows]
    y = [1.0 if right else 0.0 for _, _, right in rows]
    rate = (sum(y) + 1) / (len(y) + 2)
    bias = math.log(rate / (1 - rate))
    occ = collections.defaultdict(list)
    for i, cells in enumerate(X):
        for c in cells:
            occ[c].append(i)
    w = dict.fromkeys(occ, 0.0)
    z = [bias] * len(rows)
    order = sorted(occ)
    for _ in range(sweeps):
        # the bias: one Newton step, unpenalised
        g = h = 0.0
        for i in range(len(z)):
            p = 1 / (1 + math.exp(-z[i]))
            g += p - y[i]
            h += p * (1 - p)
        step = -g / (h + 1e-9)
        bias += step
        z = [v + step for v in z]
        biggest = abs(step)
        for c in order:
            ids = occ[c]
            g, h = lam * w[c], lam
            for i in ids:
                p = 1 / (1 + math.exp(-z[i]))
                g += p - y[i]
                h += p * (1 - p)
            step = -g / h
            if step:
                w[c] += step
                for i in ids:
                    z[i] += step
                biggest = max(biggest, abs(step))
        if biggest < 1e-5:
            break
    weights = {g: {} for g in GROUPS}
    for (group, value), v in sorted(w.items()):
        if abs(v) >= 5e-4:
            weights[group][value] = round(v, 4)
    return round(bias, 4), {g: cells for g, cells in weights.items() if cells}


def table_data(bias, weights, rows, lam, min_count, corpus) -> dict:
    by_rule = collections.defaultdict(lambda: [0, 0])
    for _, feats, right in rows:
        by_rule[feats["rule"]][0] += 1
        by_rule[feats["rule"]][1] += right
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=False).stdout.strip()
    except OSError:
        commit = ""
    return {
        "format": confidence.TABLE_FORMAT,
        "version": confidence.TABLE_VERSION,
        "about": "P(a machine quote is found with the right speaker) = logistic(bias + the weights of its "
                 "cells); rebuild with: python bench/fit_confidence.py",
        "fitted_on": {"corpus": f"{Path(corpus).parent.name}/{Path(corpus).name}", "quotes": len(rows),
                      "right": sum(r for _, _, r in rows), "l2": lam, "min_count": min_count,
                      "commit": commit, "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")},
        "bias": bias,
        "floor": FLOOR,
        "ceiling": CEILING,
        "words": WORDS,
        "weights": weights,
        "observed_by_rule": {r: {"n": n, "right": k} for r, (n, k) in sorted(by_rule.items())},
    }


def ece_and_share(pairs) -> tuple[float, float]:
    """calibration.py's two numbers for (confidence rounded as written, right) pairs."""
    n = len(pairs)
    bins = [[] for _ in range(10)]
    for c, r in pairs:
        bins[min(9, int(c * 10))].append((c, r))
    ece = sum(abs(sum(c for c, _ in b) / len(b) - sum(r for _, r in b) / len(b)) * len(b) / n for b in bins if b)
    wrong = sum(1 for _, r in pairs if not r)
    low = sorted(pairs, key=lambda x: x[0])[: n // 5]
    return ece, (sum(1 for _, r in low if not r) / wrong if wrong else 1.0)


def cross_validate(rows, lam, min_count, folds=5) -> tuple[float, float]:
    docs = sorted({d for d, _, _ in rows})
    random.Random(0).shuffle(docs)
    fold = {d: i % folds for i, d in enumerate(docs)}
    pairs = [None] * len(rows)
    for k in range(folds):
        bias, weights = fit([r for r in rows if fold[r[0]] != k], lam, min_count)
        table = confidence.parse_table(table_data(bias, weights, [], lam, min_count, "cv"))
        for i, (d, feats, right) in enumerate(rows):
            if fold[d] == k:
                pairs[i] = (round(confidence.estimate(table, feats), 3), right)
    return ece_and_share(pairs)


def score_dev(dev: Path, table) -> str:
    """analyze dev, set the table's confidences, and run the shared calibration script on the result."""
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "dev.pred.jsonl"
        with open(pred, "w", encoding="utf-8") as f:
            for rec in read_inputs([str(dev)]):
                if isinstance(rec, ReadError):
                    continue
                doc = analyze_record(rec)
                confidence.assign_confidences(doc, table)
                f.write(json.dumps(analysis_record(doc, rec), ensure_ascii=False) + "\n")
        res = subprocess.run([sys.executable, str(SHARED / "eval" / "calibration.py"), str(dev), str(pred)],
                             capture_output=True, text=True, check=False)
        return (res.stdout + res.stderr).rstrip()


def main_(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--train", default=str(SHARED / "data" / "polnear" / "train.jsonl"))
    ap.add_argument("--dev", default=str(SHARED / "data" / "polnear" / "dev.jsonl"))
    ap.add_argument("--out", default=str(DEFAULT_TABLE))
    # 2.0: the best of 0.5/1/2 by 5-fold cross-validation on train (ECE 0.008; dev was not used to pick it)
    ap.add_argument("--l2", type=float, default=2.0, help="penalty on every cell weight (default 2.0)")
    ap.add_argument("--min-count", type=int, default=3, help="cells seen fewer times on train are left out")
    ap.add_argument("--cv", action="store_true", help="5-fold cross-validation on train as well")
    ap.add_argument("--no-write", action="store_true", help="do not replace the table file")
    a = ap.parse_args(argv)
    for p in (a.train, a.dev):
        if not Path(p).is_file():
            print(f"fit_confidence: {p}: not found (the shared data lives in ../shared)", file=sys.stderr)
            return 2
    t0 = time.time()
    rows = labelled_quotes(Path(a.train), WORDS)
    t1 = time.time()
    bias, weights = fit(rows, a.l2, a.min_count)
    data = table_data(bias, weights, rows, a.l2, a.min_count, a.train)
    table = confidence.parse_table(data, "fitted table")
    t2 = time.time()
    n_cells = sum(len(c) for c in weights.values())
    right = sum(r for _, _, r in rows)
    print(f"train: {len(rows)} predicted quotes, {right / len(rows):.3f} right; analyzed in {t1 - t0:.1f} s, "
          f"fitted {n_cells} cells in {t2 - t1:.1f} s (l2 {a.l2}, min count {a.min_count})")
    ece, share = ece_and_share([(round(confidence.estimate(table, f), 3), r) for _, f, r in rows])
    print(f"train (in sample): ECE {ece:.3f}; least-confident 20% hold {share:.0%} of the wrong")
    if a.cv:
        ece, share = cross_validate(rows, a.l2, a.min_count)
        print(f"train (5-fold cross-validation by document): ECE {ece:.3f}; least-confident 20% hold {share:.0%} of the wrong")
    if not a.no_write:
        out = Path(a.out)
        tmp = out.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")
        tmp.replace(out)
        print(f"wrote {out} ({out.stat().st_size // 1024} KB)")
    print(f"dev ({a.dev}), shared calibration script:")
    print(score_dev(Path(a.dev), table))
    return 0


if __name__ == "__main__":
    sys.exit(main_())
