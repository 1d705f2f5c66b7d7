"""HTML offsets: the share of article characters in verbatim paragraphs that map exactly to the page text, from `quotedesk analyze --format json` on the Zyte HTML pages."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(folder: Path) -> dict:
    """Counts over every annotation file in ``folder``."""
    files = pages = 0
    article_chars = para_chars = exact_chars = sep_chars = 0
    quotes = exact_quotes = 0
    bad_pages = []
    for f in sorted(folder.glob("*.json")):
        data = json.loads(f.read_text(encoding="utf-8"))
        files += 1
        if data.get("raw_kind") != "html":
            continue
        pages += 1
        raw, article = data["raw"]["text"], data["article"]["text"]
        article_chars += len(article)
        exact_here = 0
        spans = []
        for p in data["paragraphs"]:
            n = p["end"] - p["start"]
            para_chars += n
            if p["verbatim"] and raw[p["raw_start"]:p["raw_end"]] == article[p["start"]:p["end"]]:
                exact_here += n
                spans.append(p)
        exact_chars += exact_here
        ps = data["paragraphs"]
        for p, q in zip(ps, ps[1:]):
            # The blank line QuoteDesk puts between two paragraphs maps too when the page has it there.
            if p in spans and q in spans and raw[p["raw_end"]:q["raw_start"]] == article[p["end"]:q["start"]]:
                sep_chars += q["start"] - p["end"]
        if exact_here < sum(p["end"] - p["start"] for p in data["paragraphs"]):
            bad_pages.append(data["id"])
        # Quotes: the article span maps into one verbatim paragraph (or across them) exactly.
        for q in data["quotes"]:
            quotes += 1
            inside = [p for p in spans if p["start"] <= q["start"] < p["end"] or p["start"] < q["end"] <= p["end"]]
            if inside:
                exact_quotes += 1
    return {"files": files, "html_pages": pages, "article_chars": article_chars, "paragraph_chars": para_chars,
            "exact_chars": exact_chars, "exact_separator_chars": sep_chars, "quotes": quotes, "quotes_in_exact_paragraphs": exact_quotes,
            "pages_not_exact": bad_pages}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, help="folder for the annotation files (default: a temporary folder)")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    pages = args.shared / "data" / "zyte" / "html"
    out = args.out or Path(tempfile.mkdtemp(prefix="html_offsets_"))
    out.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, str(ROOT / "main.py"), "analyze", str(pages), "--format", "json", "-o", str(out),
           "--jobs", str(args.jobs), "--no-progress"]
    t0 = time.perf_counter()
    run = subprocess.run(cmd, capture_output=True, text=True)
    secs = time.perf_counter() - t0
    if run.returncode not in (0, 1):
        print(run.stderr, file=sys.stderr)
        return run.returncode
    r = measure(out)
    share = r["exact_chars"] / r["article_chars"] if r["article_chars"] else 0.0
    share_p = r["exact_chars"] / r["paragraph_chars"] if r["paragraph_chars"] else 0.0
    print(f"command: {' '.join(cmd)}  ({secs:.1f} s, exit {run.returncode})")
    print(f"{r['html_pages']} HTML pages, {r['article_chars']} article characters "
          f"({r['paragraph_chars']} in paragraphs, the rest the blank lines between them)")
    print(f"article characters in verbatim paragraphs that map exactly to the page text: "
          f"{share:.4f} of all article characters, {share_p:.4f} of paragraph characters")
    print(f"counting the blank lines between paragraphs that the page text has there too: "
          f"{(r['exact_chars'] + r['exact_separator_chars']) / max(r['article_chars'], 1):.4f} of all article characters "
          "map one to one onto the page text")
    print(f"quotes inside exact paragraphs: {r['quotes_in_exact_paragraphs']} of {r['quotes']}")
    if r["pages_not_exact"]:
        print(f"pages with a paragraph that is not exact: {len(r['pages_not_exact'])} "
              f"({', '.join(r['pages_not_exact'][:10])})")
    print(f"{share:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
