"""Where QuoteDesk keeps its own files: the cache (compiled patterns) and user data (autosaves).

platformdirs knows each platform's convention (XDG on Linux, Library on macOS, AppData on
Windows); $QUOTEDESK_CACHE and $QUOTEDESK_DATA override both, which is how tests keep a run's
files out of the user's home.
"""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "quotedesk"


def cache_dir() -> Path:
    override = os.environ.get("QUOTEDESK_CACHE")
    return Path(override) if override else Path(platformdirs.user_cache_dir(APP, appauthor=False))


def data_dir() -> Path:
    override = os.environ.get("QUOTEDESK_DATA")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP, appauthor=False))
