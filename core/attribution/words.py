"""The attribution word lists, read from resources/attribution_words.txt: one [section] a list, each list written once."""
from __future__ import annotations

from functools import lru_cache

import regex

from ..resources import resource_path

WORDS_FILE = "attribution_words.txt"


@lru_cache(maxsize=None)
def _sections(name: str = WORDS_FILE) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    current = None
    with open(resource_path(name), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("[") and line.endswith("]"):
                current = out.setdefault(line[1:-1].strip(), [])
                continue
            if current is None:
                raise ValueError(f"{name}: words before the first [section]: {line!r}")
            current.extend(w.strip() for w in line.split(",") if w.strip())
    return {k: tuple(v) for k, v in out.items()}


def words(section: str) -> tuple[str, ...]:
    """The entries of a list in the order written (a KeyError names a list the file lacks)."""
    return _sections()[section]


@lru_cache(maxsize=None)
def word_set(section: str) -> frozenset:
    return frozenset(words(section))


def alternation(section: str, space: str = " ") -> str:
    """The list as a regular-expression alternation, in the order written; a space inside an entry
    matches ``space``."""
    return "|".join(space.join(regex.escape(part) for part in w.split(" ")) for w in dict.fromkeys(words(section)))


def source_text() -> str:
    """The word file's text, for keys of caches built from it."""
    return resource_path(WORDS_FILE).read_text(encoding="utf-8")
