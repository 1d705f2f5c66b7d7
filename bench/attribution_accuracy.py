"""Accuracy of the attribution engine on the shared corpora: writes predictions and runs the shared scorer."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import main  # noqa: E402,F401  (the checkout becomes the quotedesk package)

from quotedesk.core.attribution import attribute_text  # noqa: E402
from quotedesk.core.formats.jsonl import quote_record  # noqa: E402

SHARED = ROOT.parent / "shared"


def predict(gold_path: Path, out_all: Path, out_dm: Path, scheme: str = "default") -> None:
    with open(gold_path, encoding="utf-8") as f, open(out_all, "w", encoding="utf-8") as fa, \
            open(out_dm, "w", encoding="utf-8") as fd:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            doc = attribute_text(rec["text"], scheme)
            quotes = [quote_record(doc, q) for q in doc.sorted_quotes()]
            fa.write(json.dumps({"id": rec["id"], "quotes": quotes}) + "\n")
            fd.write(json.dumps({"id": rec["id"], "quotes": [q for q in quotes if q["type"] in ("direct", "mixed")]}) + "\n")


def score(gold: Path, pred: Path, types: str | None = None) -> dict:
    scorer = SHARED / "eval" / "score.py"
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
        out = Path(tmp.name)
    cmd = [sys.executable, str(scorer), str(gold), str(pred), "--json", str(out)]
    if types:
        cmd += ["--types", types]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return json.loads(out.read_text())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--split", default="dev", help="polnear split to score (dev or train)")
    ap.add_argument("--pdnc", action="store_true", help="also score PDNC dev (fiction, direct speech)")
    ap.add_argument("--scheme", default="default", choices=("default", "polnear"),
                    help="labelling scheme passed to attribute() (polnear: that corpus's '' convention)")
    ap.add_argument("--out", help="folder for the prediction files (default: a temp folder)")
    a = ap.parse_args()
    if not (SHARED / "data").is_dir() or not (SHARED / "eval" / "score.py").is_file():
        print(f"shared data not found at {SHARED}: nothing to measure", file=sys.stderr)
        return 2
    out_dir = Path(a.out) if a.out else Path(tempfile.mkdtemp(prefix="qd-attr-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    sets = [("polnear", SHARED / "data" / "polnear" / f"{a.split}.jsonl")]
    if a.pdnc:
        sets.append(("pdnc", SHARED / "data" / "pdnc" / "dev.jsonl"))
    for name, gold in sets:
        tag = f"{name}-{gold.stem}" + ("-polnear" if a.scheme == "polnear" and name == "polnear" else "")
        pa, pd = out_dir / f"{tag}-all.jsonl", out_dir / f"{tag}-direct-mixed.jsonl"
        predict(gold, pa, pd, a.scheme if name == "polnear" else "default")
        dm = score(gold, pd, "direct,mixed")
        al = score(gold, pa)
        print(f"== {name} {gold.stem} (scheme {a.scheme if name == 'polnear' else 'default'})")
        print(f"direct+mixed: e2e_overlap F1 {dm['e2e_overlap']['F1']:.3f} (P {dm['e2e_overlap']['P']:.3f} R {dm['e2e_overlap']['R']:.3f})  overlap F1 {dm['overlap']['F1']:.3f}  "
              f"attr_acc {dm['attr_acc']:.3f}  exact_norm F1 {dm['exact_norm']['F1']:.3f}")
        print(f"all types:    overlap F1 {al['overlap']['F1']:.3f}  e2e_overlap F1 {al['e2e_overlap']['F1']:.3f}  "
              f"attr_acc {al['attr_acc']:.3f}  (P {al['overlap']['P']:.3f} R {al['overlap']['R']:.3f})")
        if name == "polnear":
            # Documents written with '' for quote marks label every quote "indirect" in this corpus
            # (marks included): score direct+mixed once more without them to see the rules' own error.
            kept = out_dir / f"{name}-{gold.stem}-gold-no-doubled-apostrophes.jsonl"
            ids = set()
            with open(gold, encoding="utf-8") as f, open(kept, "w", encoding="utf-8") as g:
                for line in f:
                    if line.strip() and "''" not in json.loads(line)["text"]:
                        g.write(line)
                        ids.add(json.loads(line)["id"])
            pk = out_dir / f"{name}-{gold.stem}-direct-mixed-no-doubled-apostrophes.jsonl"
            with open(pd, encoding="utf-8") as f, open(pk, "w", encoding="utf-8") as g:
                for line in f:
                    if json.loads(line)["id"] in ids:
                        g.write(line)
            dk = score(kept, pk, "direct,mixed")
            print(f"direct+mixed, {len(ids)} docs without '' marks: e2e_overlap F1 {dk['e2e_overlap']['F1']:.3f}  "
                  f"(P {dk['e2e_overlap']['P']:.3f} R {dk['e2e_overlap']['R']:.3f})  attr_acc {dk['attr_acc']:.3f}")
        print("recall by type: " + "; ".join(f"{t} {v['overlap_R']:.3f}" for t, v in al["by_type_recall"].items()))
        print("reproduce:")
        print(f"  python {SHARED}/eval/score.py {gold} {pd} --types direct,mixed")
        print(f"  python {SHARED}/eval/score.py {gold} {pa}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
