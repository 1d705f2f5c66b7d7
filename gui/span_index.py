"""A sorted index of annotation spans for fast lookup of the spans overlapping a visible range."""
from __future__ import annotations

from bisect import bisect_left, insort
from operator import sub


class SpanIndex:
    """Entries ``(start, end, kind, id)`` sorted by start; updated one span at a time on edits.

    ``overlapping(lo, hi)`` bisects to ``lo - longest`` and scans forward while ``start < hi``,
    so the cost follows the spans near the range, not the document's size."""

    def __init__(self, entries=()):
        self._entries: list[tuple[int, int, str, str]] = sorted(entries)
        # Built on the first edit: opening a long document should not pay for it.
        self._key_map: dict[tuple[str, str], tuple[int, int, str, str]] | None = None
        # An upper bound on span length; it only grows, which keeps lookups correct.
        if self._entries:
            starts, ends, _, _ = zip(*self._entries)
            self._longest = max(map(sub, ends, starts))
        else:
            self._longest = 0

    @property
    def _by_key(self):
        if self._key_map is None:
            self._key_map = {(e[2], e[3]): e for e in self._entries}
        return self._key_map

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key) -> bool:
        return key in self._by_key

    def put(self, kind: str, id: str, start: int, end: int) -> None:
        self.remove(kind, id)
        entry = (start, end, kind, id)
        insort(self._entries, entry)
        self._by_key[(kind, id)] = entry
        if end - start > self._longest:
            self._longest = end - start

    def remove(self, kind: str, id: str) -> None:
        entry = self._by_key.pop((kind, id), None)
        if entry is not None:
            i = bisect_left(self._entries, entry)
            del self._entries[i]

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
        return out

    def at(self, offset: int):
        """Entries containing ``offset`` (start <= offset < end), innermost (shortest) first."""
        hits = [e for e in self.overlapping(offset, offset + 1)]
        hits.sort(key=lambda e: e[1] - e[0])
        return hits

    def entries(self):
        return self._entries
