"""Test set-up shared by every test: an offscreen Qt platform and the optional ../shared data."""
import os
from pathlib import Path

import pytest

import main  # noqa: F401  (the checkout under test becomes the quotedesk package, even where another is installed)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    """The ../shared folder beside the checkout; tests that need it skip where a clone has none."""
    if not (SHARED / "data").is_dir():
        pytest.skip("../shared is not present in this checkout")
    return SHARED
