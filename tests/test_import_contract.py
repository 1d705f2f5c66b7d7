"""The import contract in pyproject.toml: core never imports Qt or gui (import-linter, a test extra)."""
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_core_never_imports_qt_or_gui():
    if importlib.util.find_spec("importlinter") is None:
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    # Run from the checkout's parent's view: quotedesk must resolve to this checkout, as main.py arranges.
    code = ("import sys, main; from importlinter.cli import lint_imports_command; "
            "sys.argv=['lint-imports','pyproject.toml']; lint_imports_command()")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert "broken" in r.stdout and " 0 broken" in r.stdout
