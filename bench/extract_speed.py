"""Article-extraction speed: pages/s and MB/s on the shared Zyte pages (HTML and text), and one synthetic 50 MB page."""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import main  # noqa: E402,F401  (the checkout becomes the quotedesk package)

from quotedesk.core.extraction import extract_article  # noqa: E402
from quotedesk.core.readers import read_path  # noqa: E402


def rss_mb() -> float | None:
    try:
        import psutil
    except ImportError:
        return None
    return psutil.Process().memory_info().rss / 2**20


def peak_rss_mb() -> float | None:
    try:
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    except (ImportError, AttributeError):
        return rss_mb()


def time_set(label: str, texts: list[tuple[str, str]], repeat: int) -> None:
    total = sum(len(t.encode("utf-8")) for t, _ in texts)
    best = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        for raw, kind in texts:
            extract_article(raw, kind)
        secs = time.perf_counter() - t0
        best = secs if best is None else min(best, secs)
    print(f"{label:<12} {len(texts) / best:7.1f} pages/s  {total / 2**20 / best:6.2f} MB/s  "
          f"({len(texts)} pages, {total / 2**20:.1f} MB, best of {repeat})")


def synthetic_page(mb: int, kind: str) -> str:
    """An invented page: menu lines, then wire-story paragraphs, then furniture, to ``mb`` MB."""
    rnd = random.Random(7)
    words = ("the council said on Tuesday that its members would review the harbour plan before "
             "winter while residents asked for more time to comment on the proposal").split()
    paras = []
    size = 0
    while size < mb * 2**20:
        p = " ".join(rnd.choice(words) for _ in range(rnd.randint(20, 70))).capitalize() + "."
        paras.append(p)
        size += len(p) + 10
    if kind == "html":
        body = "\n".join(f"<p>{p}</p>" for p in paras)
        return (f"<html><head><title>Harbour plan</title></head><body><nav><a href='/'>Home</a></nav>"
                f"<article><h1>Harbour plan</h1>{body}</article><footer>Contact us</footer></body></html>")
    return "Home\nNews\nSport\n\nHarbour plan\n\n" + "\n\n".join(paras) + "\n\nRelated Articles\nSubscribe\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--big-mb", type=int, default=50)
    a = ap.parse_args(argv)
    zyte = a.shared / "data" / "zyte"
    if zyte.is_dir():
        html = [(read_path(f).text, "html") for f in sorted((zyte / "html").glob("*.html.gz"))]
        text = [(read_path(f).text, "text") for f in sorted((zyte / "text").glob("*.txt"))]
        time_set("zyte-html", html, a.repeat)
        time_set("zyte-text", text, a.repeat)
        del html, text
    else:
        print(f"no shared data at {a.shared}: only the synthetic page is timed")
    for kind in ("text", "html"):
        page = synthetic_page(a.big_mb, kind)
        t0 = time.perf_counter()
        ex = extract_article(page, kind)
        secs = time.perf_counter() - t0
        print(f"synthetic {kind:<4} {len(page) / 2**20:.0f} MB page: {secs:.2f} s, "
              f"{len(ex.paragraphs)} paragraphs, article {len(ex.article) / 2**20:.1f} MB")
        del page, ex
    peak = peak_rss_mb()
    if peak is not None:
        print(f"peak RSS {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
