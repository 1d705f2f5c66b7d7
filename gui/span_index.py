"""A sorted index of annotation spans for fast lookup of the spans overlapping a visible range."""
from __future__ import annotations

from bisect import bisect_left, insort
from operator import sub

# Spans longer than this are kept apart and scanned linearly: one quote covering a whole page
# must not make every lookup walk back over the page's other spans.
LONG_SPAN = 4096


class SpanIndex:
    """Entries ``(start, end, kind, id)`` sorted by start; updated one span at a time on edits.

    ``overlapping(lo, hi)`` bisects to ``lo - longest short span`` and scans forward while
    ``start < hi``, so the cost follows the spans near the range, not the document's size."""

    def __init__(self, entries=()):
        entries = sorted(entries)
        self._long = [e for e in entries if e[1] - e[0] > LONG_SPAN]
        self._entries: list[tuple[int, int, str, str]] = (
            [e for e in entries if e[1] - e[0] <= LONG_SPAN] if self._long else entries)
        # Built on the first edit: opening a long document should not pay for it.
        self._key_map: dict[tuple[str, str], tuple[int, int, str, str]] | None = None
        # An upper bound on the short spans' length; it only grows, which keeps lookups correct.
        if self._entries:
            starts, ends, _, _ = zip(*self._entries)
            self._longest = max(map(sub, ends, starts))
        else:
            self._longest = 0

    @property
    def _by_key(self):
        if self._key_map is None:
            self._key_map = {(e[2], e[3]): e for e in self._entries}
            self._key_map.update({(e[2], e[3]): e for e in self._long})
        return self._key_map

    def __len__(self) -> int:
        return len(self._entries) + len(self._long)

    def __contains__(self, key) -> bool:
        return key in self._by_key

    def put(self, kind: str, id: str, start: int, end: int) -> None:
        self.remove(kind, id)
        entry = (start, end, kind, id)
        if end - start > LONG_SPAN:
            insort(self._long, entry)
        else:
            insort(self._entries, entry)
            self._longest = max(self._longest, end - start)
        self._by_key[(kind, id)] = entry

    def remove(self, kind: str, id: str) -> None:
        entry = self._by_key.pop((kind, id), None)
        if entry is not None:
            pool = self._long if entry[1] - entry[0] > LONG_SPAN else self._entries
            del pool[bisect_left(pool, entry)]

    def overlapping(self, lo: int, hi: int, touching: bool = False):
        """Entries with ``start < hi and end > lo`` (``<=``/``>=`` when ``touching``), by start."""
        entries = self._entries
        i = bisect_left(entries, (lo - self._longest,))
        n = len(entries)
        out = []
        while i < n:
            e = entries[i]
            if e[0] > hi or (e[0] == hi and not touching):
                break
            if e[1] > lo or (touching and e[1] >= lo):
                out.append(e)
            i += 1
        if self._long:
            out.extend(e for e in self._long
                       if (e[0] < hi or (touching and e[0] == hi)) and (e[1] > lo or (touching and e[1] == lo)))
            out.sort()
        return out

    def at(self, offset: int):
        """Entries containing ``offset`` (start <= offset < end), innermost (shortest) first."""
        hits = self.overlapping(offset, offset + 1)
        hits.sort(key=lambda e: e[1] - e[0])
        return hits

    def entries(self):
        """Every entry, sorted."""
        return sorted(self._entries + self._long) if self._long else self._entries
