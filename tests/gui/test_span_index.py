"""The sorted span index used to find the spans of the visible range."""
import random

from quotedesk.gui.span_index import SpanIndex


def brute(entries, lo, hi):
    return sorted(e for e in entries if e[0] < hi and e[1] > lo)


def test_overlapping_matches_brute_force_after_updates():
    rng = random.Random(7)
    idx = SpanIndex()
    live = {}
    for step in range(600):
        key = ("quote", f"q{rng.randrange(80)}")
        if rng.random() < 0.25 and key in live:
            idx.remove(*key)
            del live[key]
        else:
            s = rng.randrange(0, 20000)
            e = s + (rng.randrange(1, 400) if rng.random() < 0.9 else rng.randrange(4000, 9000))
            idx.put(key[0], key[1], s, e)
            live[key] = (s, e, key[0], key[1])
        lo = rng.randrange(0, 20000)
        hi = lo + rng.randrange(1, 700)
        assert idx.overlapping(lo, hi) == brute(live.values(), lo, hi)
        assert idx.entries() == sorted(live.values())
    rebuilt = SpanIndex(live.values())
    assert rebuilt.entries() == sorted(live.values())
    assert rebuilt.overlapping(0, 30000) == sorted(live.values())


def test_at_returns_innermost_first():
    idx = SpanIndex([(0, 100, "quote", "outer"), (10, 20, "quote", "inner"), (12, 15, "mention", "m")])
    assert [e[3] for e in idx.at(13)] == ["m", "inner", "outer"]
    assert idx.at(100) == []
