"""A batch's manifest (``OUTDIR/manifest.json``): which shards are finished, from which input and
with which settings, so that running the same command again skips them.

A shard counts as finished when its entry names the same input (path, size, modification time,
the same cut) and the same settings hash, and both of its output files are there with the sizes
recorded.  The settings hash covers the scheme, the quote types and a fingerprint of QuoteDesk's
own rules and code (``core/`` and ``resources/``): an upgrade or an edited word list re-runs
everything, since the output may differ.  Only the parent writes the manifest (atomically).
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from functools import lru_cache
from pathlib import Path

from .atomic import atomic_write_text
from .shards import Shard

MANIFEST_NAME = "manifest.json"
FORMAT = "quotedesk-batch"
VERSION = 1


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the code and resources that decide the output (core/ and resources/)."""
    root = Path(os.path.abspath(__file__)).parent.parent
    h = hashlib.sha256()
    files = sorted(p for folder in (root / "core", root / "resources") if folder.is_dir()
                   for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                   and p.suffix not in (".pyc", ".png", ".svg"))
    for p in files:
        h.update(p.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def settings_hash(settings: dict) -> str:
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]


class Manifest:
    def __init__(self, outdir, data: dict | None = None):
        self.outdir = Path(outdir)
        data = data or {}
        self.shards: dict[str, dict] = dict(data.get("shards", {}))
        self.created = data.get("created") or time.time()
        self.order: list[str] = list(data.get("order", []))  # the shards in input order
        self.problem: str | None = None  # why an existing manifest was not usable
        self._last_save = 0.0

    @property
    def path(self) -> Path:
        return self.outdir / MANIFEST_NAME

    @classmethod
    def load(cls, outdir) -> "Manifest":
        """The manifest in ``outdir``; an empty one (and ``problem`` said) when it is missing or
        damaged: then every shard runs again, nothing is lost but time."""
        path = Path(outdir) / MANIFEST_NAME
        if not path.exists():
            return cls(outdir)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("shards"), dict):
                raise ValueError("not a QuoteDesk batch manifest")
            if data.get("version", VERSION) > VERSION:
                raise ValueError(f"written by a newer QuoteDesk (version {data.get('version')})")
        except (OSError, ValueError) as e:
            m = cls(outdir)
            m.problem = f"{path}: {e}; every shard runs again"
            return m
        return cls(outdir, data)

    def finished(self, shard: Shard, settings: str) -> bool:
        e = self.shards.get(shard.name)
        if not e or e.get("settings_hash") != settings or e.get("identity") != shard.identity():
            return False
        for key, suffix in (("bytes", ".jsonl"), ("error_bytes", ".errors.jsonl")):
            try:
                if (self.outdir / f"{shard.name}{suffix}").stat().st_size != e.get(key):
                    return False
            except OSError:
                return False
        return True

    def entry(self, name: str) -> dict | None:
        return self.shards.get(name)

    def record(self, shard: Shard, settings: str, counts: dict) -> None:
        self.shards[shard.name] = {
            "input": shard.path or (shard.files[0] if shard.files else ""),
            "records": shard.records, "identity": shard.identity(), "settings_hash": settings,
            **{k: counts.get(k) for k in ("docs", "quotes", "failed", "bytes", "error_bytes", "seconds", "worker")},
            "finished": time.time(),
        }

    def forget(self, name: str) -> None:
        self.shards.pop(name, None)

    def prune(self, keep: set[str]) -> int:
        """Drop the entries (and the output files) of shards that are not in this run's plan, so
        OUTDIR never mixes outputs of two cuts; returns how many were dropped."""
        gone = [n for n in self.shards if n not in keep]
        for name in gone:
            for suffix in (".jsonl", ".errors.jsonl"):
                try:
                    (self.outdir / f"{name}{suffix}").unlink()
                except OSError:
                    pass
            del self.shards[name]
        return len(gone)

    def save(self, settings: dict, inputs: list[str], every: float = 0.0) -> None:
        """Write the manifest (at most once per ``every`` seconds unless 0)."""
        now = time.monotonic()
        if every and now - self._last_save < every:
            return
        self._last_save = now
        data = {"format": FORMAT, "version": VERSION, "created": self.created, "updated": time.time(),
                "inputs": [os.path.abspath(i) for i in inputs], "settings": settings,
                "settings_hash": settings_hash(settings), "order": self.order, "shards": self.shards}
        atomic_write_text(self.path, json.dumps(data, ensure_ascii=False, indent=1))
