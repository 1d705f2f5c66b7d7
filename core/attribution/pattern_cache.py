"""Compiled patterns kept on disk between runs: the `regex` module parses in Python, so compiling the
attribution patterns costs about 0.3 s a process, while unpickling them (their compiled code) takes
about 20 ms.

A cache file is named by a hash of everything the patterns are built from (the caller's key parts,
the `regex` and Python versions): an edit makes a new file, never a stale match.  A missing,
unreadable or foreign file is ignored and the patterns are compiled afresh; a cache that cannot be
written costs only the time.  Files go to $QUOTEDESK_CACHE, else the platform's user cache folder (core/appdirs.py).
"""
from __future__ import annotations

import hashlib
import pickle
import sys
from pathlib import Path
from typing import Callable, Iterable

import regex

from .. import appdirs
from ..atomic import atomic_write_bytes

# Unpickling may call only these (rebuilding a compiled pattern): a cache file cannot run code.
_ALLOWED = frozenset({("regex._regex", "compile"), ("re", "_compile")})
KEEP = 8  # cache files kept per name (versions of the patterns: branches, edits)


def cache_dir() -> Path:
    return appdirs.cache_dir()


class _PatternUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a compiled pattern")


def cache_path(name: str, key_parts: Iterable[str | bytes]) -> Path:
    h = hashlib.sha256()
    for part in (*key_parts, regex.__version__, sys.version):
        h.update(part if isinstance(part, bytes) else part.encode("utf-8"))
        h.update(b"\0")
    return cache_dir() / f"{name}-{h.hexdigest()[:24]}.pickle"


def cached_patterns(name: str, key_parts: Iterable[str | bytes], build: Callable[[], dict]) -> dict:
    """The compiled patterns ``build()`` returns (a dict of name -> pattern), from the cache when
    a file for ``key_parts`` exists, else built and stored."""
    try:
        path = cache_path(name, key_parts)
    except (OSError, RuntimeError):  # no home folder to keep a cache in
        return build()
    try:
        with open(path, "rb") as f:
            found = _PatternUnpickler(f).load()
        if isinstance(found, dict):
            return found
    except Exception:  # missing, truncated or not ours: compile afresh
        pass
    compiled = build()
    try:
        atomic_write_bytes(path, pickle.dumps(compiled, protocol=pickle.HIGHEST_PROTOCOL))
        _prune(path.parent, name)
    except OSError:
        pass
    return compiled


def _prune(folder: Path, name: str) -> None:
    """Keep the ``KEEP`` newest cache files of ``name``."""
    files = sorted(folder.glob(f"{name}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[KEEP:]:
        try:
            old.unlink()
        except OSError:
            pass


def compile_all(name: str, sources: dict[str, str | tuple[str, int]]) -> list:
    """A module's own patterns (name -> pattern text, or (text, flags)) compiled with ``regex``, in
    the order given, through the cache: the texts themselves are the key, so an edited pattern is
    compiled afresh."""
    items = sorted((k, v if isinstance(v, tuple) else (v, 0)) for k, v in sources.items())
    key = [f"{k}\0{text}\0{flags}" for k, (text, flags) in items]
    found = cached_patterns(name, key, lambda: {k: regex.compile(text, flags) for k, (text, flags) in items})
    return [found[k] for k in sources]
