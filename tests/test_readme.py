"""The README stays true: every shortcut the window has is documented, every command is named."""
from pathlib import Path

from quotedesk import main
from quotedesk.gui.action_table import ACTIONS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def shortcut_table() -> str:
    start = README.index("<!-- shortcuts:start -->")
    return README[start:README.index("<!-- shortcuts:end -->")]


def test_every_shortcut_is_in_the_readme_table():
    table = shortcut_table()
    missing = [f"{spec.text.replace('&', '')}: {key}" for spec in ACTIONS for key in spec.keys
               if f"`{key}`" not in table]
    assert not missing, "README lacks shortcuts: " + "; ".join(missing)


def test_every_headless_command_is_documented():
    for command in main.command_names():
        assert f"quotedesk {command} " in README
