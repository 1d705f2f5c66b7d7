"""Test set-up shared by every test: an offscreen Qt platform and the optional ../shared data."""
import os
from pathlib import Path

import pytest

import main  # noqa: F401  (the checkout under test becomes the quotedesk package, even where another is installed)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pytest_configure(config):
    """The pattern cache and user data (autosaves) of a test run go to its own temporary folder,
    never the user's; a subprocess started by a test inherits the same."""
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="quotedesk-tests-"))
    os.environ["QUOTEDESK_CACHE"] = str(base / "cache")
    os.environ["QUOTEDESK_DATA"] = str(base / "data")
    config._quotedesk_tmp = base


def pytest_unconfigure(config):
    import shutil

    base = getattr(config, "_quotedesk_tmp", None)
    if base is not None:
        shutil.rmtree(base, ignore_errors=True)

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    """The ../shared folder beside the checkout; tests that need it skip where a clone has none."""
    if not (SHARED / "data").is_dir():
        pytest.skip("../shared is not present in this checkout")
    return SHARED
