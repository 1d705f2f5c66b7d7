"""Every reporting-verb occurrence of a text, found in one pass and looked up by range."""
from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache
from typing import NamedTuple

from .lexicon import is_cue_phrase, lexicon, patterns


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
        kinds = _kinds()
        hits: list[Hit] = []
        starts: list[int] = []
        search = patterns().cue_any.search
        m = search(text)
        while m is not None:
            a, b = m.span()
            if a and text[a - 1] in "'’-":
                # 'self-described', 'O'Said': not a word of its own; a word may still start
                # inside the match (the pattern matches at word boundaries only)
                m = search(text, a + 1)
                continue
            w = m.group()
            finite, verb = kinds.get(w) or _kind(w)
            hits.append(Hit(a, b, w, finite, verb))
            starts.append(a)
            m = search(text, b)
        self.hits, self.starts = hits, starts

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


@lru_cache(maxsize=None)
def _kinds() -> dict[str, tuple[bool, bool]]:
    """(finite, verb) of each cue word as written, filled as words are met (a cache)."""
    return {}


def _kind(word: str) -> tuple[bool, bool]:
    lx = lexicon()
    low = word.lower()
    verb = not is_cue_phrase(low)
    kind = (low in lx.present and low not in lx.weak or not verb, verb)
    _kinds()[word] = kind
    return kind
