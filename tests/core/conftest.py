"""Test set-up shared by the corpus tests: a fresh copy of the invented corpus folder."""
import shutil
from pathlib import Path

import pytest

CORPUS_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"
CORPUS_IDS = ["budget-vote", "chess-final", "harbour-strike", "library-reopens", "orchard-frost"]


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of tests/fixtures/corpus, so a test may write its store and annotations beside the pages."""
    dst = tmp_path / "pages"
    shutil.copytree(CORPUS_FIXTURES, dst)
    return dst
