"""Every reporting-verb occurrence of a text, found in one pass and looked up by range."""
from __future__ import annotations

from bisect import bisect_left
from typing import NamedTuple

from .lexicon import lexicon, patterns


class Hit(NamedTuple):
    start: int
    end: int
    word: str
    finite: bool      # usable in 'X said' / 'said X' (not a bare clause verb like 'think')
    verb: bool        # a reporting verb (False for 'according to')

    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


class CueHits:
    """Cue words of one text in text order; ``between(lo, hi)`` lists those inside [lo, hi)."""

    def __init__(self, text: str):
        lx = lexicon()
        finite = lx.present - lx.weak
        self.hits: list[Hit] = []
        for m in patterns().cue_any.finditer(text):
            w = m.group()
            low = w.lower()
            verb = not low.startswith("according")
            self.hits.append(Hit(m.start(), m.end(), w, low in finite or not verb, verb))
        self.starts = [h.start for h in self.hits]

    def between(self, lo: int, hi: int) -> list[Hit]:
        i = bisect_left(self.starts, lo)
        j = bisect_left(self.starts, hi, i)
        out = self.hits[i:j]
        # hits never overlap, so only the last one can run past hi
        if out and out[-1].end > hi:
            out.pop()
        return out

    def verbs(self, lo: int, hi: int) -> list[Hit]:
        return [h for h in self.between(lo, hi) if h.verb]
