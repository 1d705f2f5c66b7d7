"""Metadata accuracy on WCXB dev (HTML and page text): headline exact, date right to the day, author found in the byline.

    python bench/metadata_accuracy.py [--shared ../shared] [--out DIR] [--show N]

Scores, over the pages whose gold has the field (../shared/data/wcxb-dev/ground-truth.json):
- headline: exact after Unicode NFKC and whitespace normalisation (case kept); ``headline~`` also
  forgives case and punctuation (words only: "We’ve" = "We've"), as the issue's baseline was counted;
- date: the first ten characters of our ``date`` (ISO 8601) equal the gold's (a gold "2025-06" must
  match its seven);
- author: the gold author, NFKC- and case-folded with whitespace collapsed, occurs in our byline.
``--out`` writes each page's prediction and verdicts (``metadata-{html,text}.json``) for looking at
the misses; ``--show N`` prints N misses of each field.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import main  # noqa: E402,F401  (the checkout becomes the quotedesk package)

from extract_accuracy import extract_pages  # noqa: E402  (the page loop extract_accuracy.py scores)

KINDS = {"html": ("html", "*.html.gz"), "text": ("text", "*.txt")}
FIELDS = ("headline", "headline~", "date", "author")


def norm_headline(s) -> str:
    return " ".join(unicodedata.normalize("NFKC", str(s or "")).split())


def loose_headline(s) -> str:
    """The words only, case-folded: how the issue's baseline (0.80) was counted."""
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", str(s or "")).casefold()))


def norm_author(s) -> str:
    return " ".join(unicodedata.normalize("NFKC", str(s or "")).casefold().split())


def verdicts(gold: dict, pred: dict) -> dict[str, bool | None]:
    """Per field: True / False, or None when the gold has no value for it."""
    out: dict[str, bool | None] = {}
    g = gold.get("headline")
    out["headline"] = None if not g else bool(pred.get("headline")) and norm_headline(g) == norm_headline(pred["headline"])
    out["headline~"] = None if not g else bool(pred.get("headline")) and \
        loose_headline(g) == loose_headline(pred["headline"])
    g = str(gold.get("date") or "")
    p = str(pred.get("date") or "")
    out["date"] = None if not g else bool(p) and p[:min(10, len(g))] == g[:10]
    g = norm_author(gold.get("author"))
    out["author"] = None if not g else bool(pred.get("byline")) and g in norm_author(pred["byline"])
    return out


def predict(folder: Path, pattern: str) -> tuple[dict, float]:
    pred = {}
    t0 = time.perf_counter()
    for rec, ex in extract_pages(folder, pattern):
        m = ex.meta
        pred[rec.id] = {"headline": m.headline, "date": m.date, "date_text": getattr(m, "date_text", None), "byline": m.byline}
    return pred, time.perf_counter() - t0


def main_(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, help="folder for per-page predictions and verdicts")
    ap.add_argument("--show", type=int, default=0, help="print this many misses per field")
    ap.add_argument("kinds", nargs="*", default=list(KINDS), help="html, text or both")
    a = ap.parse_args(argv)
    base = a.shared / "data" / "wcxb-dev"
    gold_path = base / "ground-truth.json"
    if not gold_path.is_file():
        print(f"no WCXB dev data at {base}: nothing to measure")
        return 0
    gold = json.loads(gold_path.read_text("utf8"))
    rows = []
    for kind in a.kinds:
        sub, pattern = KINDS[kind]
        pred, secs = predict(base / sub, pattern)
        per_page = {}
        counts = {f: [0, 0] for f in FIELDS}
        for doc_id, g in gold.items():
            p = pred.get(doc_id, {})
            v = verdicts(g, p)
            per_page[doc_id] = {"pred": p, "gold": {f: g.get(f) for f in ("headline", "date", "author")}, "ok": v}
            for f in FIELDS:
                if v[f] is not None:
                    counts[f][0] += v[f]
                    counts[f][1] += 1
        rows.append((kind, counts, len(pred), secs))
        if a.out:
            a.out.mkdir(parents=True, exist_ok=True)
            (a.out / f"metadata-{kind}.json").write_text(json.dumps(per_page, ensure_ascii=False, indent=1), "utf8")
        for f in FIELDS if a.show else ():
            misses = [(k, r) for k, r in per_page.items() if r["ok"][f] is False][:a.show]
            for k, r in misses:
                key = {"author": "byline", "headline~": "headline"}.get(f, f)
                print(f"  {kind} {f} miss {k}: gold {r['gold'].get(key if f != 'author' else f)!r} "
                      f"ours {r['pred'].get(key)!r}")
    print(f"{'WCXB dev':<10} " + " ".join(f"{f:>9}" for f in FIELDS) + f" {'pages':>6} {'pages/s':>8}")
    for kind, counts, n, secs in rows:
        cells = " ".join(f"{(ok / tot if tot else 0):>9.3f}" for ok, tot in (counts[f] for f in FIELDS))
        print(f"{kind:<10} {cells} {n:>6} {n / secs if secs else 0:>8.0f}")
    print("(gold pages per field: " + ", ".join(f"{f} {rows[0][1][f][1]}" for f in FIELDS) + ")" if rows else "")
    return 0


if __name__ == "__main__":
    sys.exit(main_())
