"""Newline normalisation (\\r\\n, \\r, U+2028, U+2029 -> \\n, as Qt's setPlainText does) and the offset map back to the original text."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

_NEWLINE_RE = re.compile("\r\n|[\r\u2028\u2029]")


@dataclass(frozen=True)
class NewlineMap:
    """Maps offsets of the normalised text to the original and back.

    Only ``\\r\\n`` changes length (two characters become one), so the map only has to remember
    where each collapsed pair sits: ``pairs_norm[k]`` is the index of the ``\\n`` in the normalised
    text, ``pairs_src[k]`` the index of the ``\\r`` in the original.
    """
    pairs_norm: tuple[int, ...] = field(default=())
    pairs_src: tuple[int, ...] = field(default=())

    @property
    def is_identity(self) -> bool:
        return not self.pairs_norm

    def to_source(self, i: int) -> int:
        """The original-text offset of normalised offset ``i``; an end offset just after a
        collapsed newline lands after the whole ``\\r\\n``."""
        if not self.pairs_norm:
            return i
        return i + bisect_left(self.pairs_norm, i)

    def to_normalized(self, i: int) -> int:
        """The normalised offset of original offset ``i`` (an offset between ``\\r`` and ``\\n``
        lands after the newline)."""
        if not self.pairs_src:
            return i
        # Pairs whose "\r" is before i - 1 are wholly passed; i == s + 1 (mid pair) goes after it.
        passed = bisect_right(self.pairs_src, i - 2)
        return i - passed


IDENTITY = NewlineMap()


def normalize_newlines(text: str) -> tuple[str, NewlineMap]:
    """``text`` with every line break as ``\\n``, and the map of its offsets to ``text``."""
    if "\r" not in text and "\u2028" not in text and "\u2029" not in text:
        return text, IDENTITY
    if "\r\n" not in text:
        # Same length: a one-to-one replacement keeps every offset.
        return text.translate(_ONE_TO_ONE), IDENTITY
    norm_pos: list[int] = []
    src_pos: list[int] = []
    shift = 0
    for m in re.finditer("\r\n", text):
        s = m.start()
        src_pos.append(s)
        norm_pos.append(s - shift)
        shift += 1
    out = _NEWLINE_RE.sub("\n", text)
    return out, NewlineMap(tuple(norm_pos), tuple(src_pos))


_ONE_TO_ONE = {ord("\r"): "\n", 0x2028: "\n", 0x2029: "\n"}
