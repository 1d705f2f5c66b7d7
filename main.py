"""QuoteDesk's entry point: parse the command line, then start the window or a headless command.

Adding a headless command: write a ``_<name>_command(sub)`` function that makes its parser with
``_command(sub, NAME, HELP, run)`` (``run(args) -> exit status``, importing what it needs from
quotedesk.core inside) and list it in ``HEADLESS_COMMANDS``.  Every command then runs through
core.errors.run_guarded: any error is one line on stderr with a documented exit status (README
"Headless commands"), ``--debug`` (anywhere on the line) shows the traceback, and a first word
that is neither a command nor a file is a usage error instead of a window.
"""
from __future__ import annotations

import argparse
import os
import sys


def _checkout_as_package() -> None:
    """Run from a checkout (`python main.py`, tests, bench scripts), this folder is the quotedesk package;
    installed, the package is quotedesk and this module is quotedesk.main."""
    if __package__ or "quotedesk" in sys.modules:
        return
    import importlib.machinery
    import importlib.util

    # A real package spec (not a bare module): tools such as import-linter inspect it.
    spec = importlib.machinery.ModuleSpec("quotedesk", None, is_package=True)
    spec.submodule_search_locations = [os.path.dirname(os.path.abspath(__file__))]
    sys.modules["quotedesk"] = importlib.util.module_from_spec(spec)


_checkout_as_package()

from quotedesk.core import errors  # noqa: E402  (after the package exists)


def _types(value: str | None) -> set[str] | None:
    return {t.strip() for t in value.split(",") if t.strip()} if value else None


def _command(sub, name: str, help: str, run) -> argparse.ArgumentParser:
    """A subcommand's parser; ``run(args)`` returns its exit status."""
    p = sub.add_parser(name, help=help, description=help)
    p.set_defaults(run=run)
    return p


# -- the headless commands -------------------------------------------------------------------------
def _analyze_command(sub) -> None:
    a = _command(sub, "analyze", "extract articles and attribute their quotes", _run_analyze)
    a.add_argument("inputs", nargs="+", help="pages (.txt, .html), folders, JSONL corpora, or - for stdin")
    a.add_argument("-o", "--output", help="output file (jsonl) or folder (json); default stdout")
    a.add_argument("--format", choices=("jsonl", "json"), default="jsonl",
                   help="jsonl: one record a document; json: QuoteDesk annotation files")
    a.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    a.add_argument("--types", help="keep only these quote types, e.g. direct,mixed")
    a.add_argument("--scheme", choices=("default", "polnear"), default="default",
                   help="polnear: follow that corpus's labelling conventions (see README)")
    a.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar on stderr (default: on a terminal, for 20+ documents)")


def _run_analyze(args) -> int:
    from quotedesk.core import commands

    return commands.cmd_analyze(args.inputs, args.output, args.format, args.jobs,
                                _types(args.types), args.progress, args.scheme)


def _extract_command(sub) -> None:
    e = _command(sub, "extract", "extract article bodies and metadata", _run_extract)
    e.add_argument("inputs", nargs="+")
    e.add_argument("-o", "--output")
    e.add_argument("--format", choices=("zyte",), default="zyte")
    e.add_argument("--jobs", type=int, default=None)


def _run_extract(args) -> int:
    from quotedesk.core import commands

    return commands.cmd_extract(args.inputs, args.output, args.format, args.jobs)


def _eval_command(sub) -> None:
    v = _command(sub, "eval", "score predicted quotes against gold (the shared scorer's metrics)", _run_eval)
    v.add_argument("gold")
    v.add_argument("pred")
    v.add_argument("--types", help="restrict gold quotes to these types")
    v.add_argument("--json", dest="json_out", help="also write the metrics as JSON")
    v.add_argument("--agreement", action="store_true",
                   help="compare two annotation sets: P/R/F1 and agreement for quotes, speakers and cues")


def _run_eval(args) -> int:
    from quotedesk.core import commands

    return commands.cmd_eval(args.gold, args.pred, _types(args.types), args.json_out, args.agreement)


def _convert_command(sub) -> None:
    from quotedesk.core.convert import FORMATS  # the one list of formats

    c = _command(sub, "convert", "convert annotations between formats", _run_convert)
    c.add_argument("input")
    c.add_argument("--from", dest="from_fmt", choices=FORMATS)
    c.add_argument("--to", dest="to_fmt", required=True, choices=FORMATS)
    c.add_argument("-o", "--output", required=True)
    c.add_argument("--predictions", action="store_true",
                   help="labelstudio: write the quotes as a model's predictions (to pre-annotate a project) "
                        "instead of annotations")


def _run_convert(args) -> int:
    from quotedesk.core import commands

    return commands.cmd_convert(args.input, args.output, args.from_fmt, args.to_fmt, args.predictions)


def _scale_commands(sub) -> None:
    from quotedesk.core import batch_commands  # batch, preannotate, track: parsers and commands live there

    batch_commands.add_parsers(sub, _command)


HEADLESS_COMMANDS = [_analyze_command, _extract_command, _eval_command, _convert_command, _scale_commands]


def headless_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="quotedesk", description="Who said what in the news: headless commands.",
                                 epilog="--debug anywhere on the line shows a traceback with an error.")
    sub = ap.add_subparsers(dest="command", required=True)
    for add in HEADLESS_COMMANDS:
        add(sub)
    return ap


def command_names() -> tuple[str, ...]:
    """The headless commands, as the parser knows them."""
    ap = headless_parser()
    for action in ap._actions:
        if isinstance(action, argparse._SubParsersAction):
            return tuple(action.choices)
    return ()


# -- the window ------------------------------------------------------------------------------------
def gui_parser(commands: tuple[str, ...] = ()) -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="quotedesk",
        description="QuoteDesk review window. Headless commands: " + ", ".join(commands or command_names())
                    + " (quotedesk COMMAND --help).",
        epilog="--debug anywhere on the line shows a traceback with an error.")
    ap.add_argument("files", nargs="*", help="pages (.txt, .html), .quotedesk.json files, or a folder / .jsonl corpus to open "
                         "as a project (none: the bundled sample)")
    ap.add_argument("--screenshot", metavar="OUT.png", help="render the window offscreen to a PNG and exit")
    ap.add_argument("--version", action="version", version=f"quotedesk {version()}")
    return ap


# Qt platforms that draw on a display server; any other (offscreen, minimal, vnc, eglfs…) needs none.
_DISPLAY_PLATFORMS = {"xcb": "DISPLAY", "wayland": "WAYLAND_DISPLAY", "wayland-egl": "WAYLAND_DISPLAY"}


def _local_x_display_missing(display: str) -> bool:
    """True when DISPLAY names a local X server (":1", "unix:1.0") that has no socket: Qt would
    abort on it.  A remote display (host:0, ssh forwarding) is not probed."""
    import re
    import socket

    m = re.fullmatch(r"(unix)?:(\d+)(\.\d+)?", display.strip())
    if not m:
        return False
    path = f"/tmp/.X11-unix/X{m.group(2)}"
    if os.path.exists(path):
        return False
    if sys.platform.startswith("linux"):  # an abstract socket only
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(1.0)
                s.connect("\0" + path)
            return False
        except OSError:
            pass
    return True


def display_problem(environ=None, platform: str | None = None, offscreen_default: bool = False,
                    probe: bool = True) -> str | None:
    """Why the window cannot open here (None when it can): on Linux and the BSDs Qt aborts without
    a display server unless QT_QPA_PLATFORM names one that needs none.  ``probe``: also check that
    a local X display named by DISPLAY has a server."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if platform in ("win32", "darwin", "cygwin"):
        return None
    wanted = [p.split(":")[0].strip().lower() for p in environ.get("QT_QPA_PLATFORM", "").split(";") if p.strip()]
    if not wanted:
        if offscreen_default:
            return None
        wanted = ["xcb", "wayland"]
    dead = None
    for name in wanted:
        var = _DISPLAY_PLATFORMS.get(name)
        if var is None:
            return None
        if environ.get(var):
            if var == "DISPLAY" and probe and _local_x_display_missing(environ[var]):
                dead = environ[var]
                continue
            return None
    why = (f"no X server answers on display {dead} (DISPLAY)" if dead else
           "no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set)")
    return (f"{why}; the headless commands need none: quotedesk {'|'.join(command_names())} … "
            "(or set QT_QPA_PLATFORM=offscreen)")


def _first_word_problem(word: str, commands: tuple[str, ...]) -> str | None:
    """A first word that is neither a command, an option nor an existing file: a typo, not a window."""
    if word in commands or word.startswith("-") or os.path.exists(word):
        return None
    import difflib

    near = difflib.get_close_matches(word, commands, n=1)
    hint = f"; did you mean '{near[0]}'?" if near else ""
    return f"'{word}' is neither a command ({', '.join(commands)}) nor an existing file{hint}"


def version() -> str:
    """The version: a checkout's own pyproject.toml (even where an older copy is installed), else
    the installed package's metadata."""
    pyproject = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pyproject.toml")
    if os.path.isfile(pyproject):
        try:
            import tomllib

            with open(pyproject, "rb") as f:
                project = tomllib.load(f).get("project", {})
            if project.get("name") == "quotedesk" and project.get("version"):
                return str(project["version"])
        except (ImportError, OSError, ValueError):
            pass
    from importlib import metadata

    try:
        return metadata.version("quotedesk")
    except metadata.PackageNotFoundError:
        return "unknown"


def _take_debug(argv: list[str]) -> tuple[list[str], bool]:
    """``--debug`` may stand anywhere before a ``--``; QUOTEDESK_DEBUG=1 does the same."""
    end = argv.index("--") if "--" in argv else len(argv)
    debug = "--debug" in argv[:end] or os.environ.get("QUOTEDESK_DEBUG", "") not in ("", "0")
    return [a for i, a in enumerate(argv) if not (a == "--debug" and i < end)], debug


def _dispatch(argv: list[str]) -> int:
    commands = command_names()
    if argv and argv[0] in commands:
        args = headless_parser().parse_args(argv)
        return args.run(args)
    ap = gui_parser(commands)
    if argv:
        problem = _first_word_problem(argv[0], commands)
        if problem:
            ap.print_usage(sys.stderr)
            raise errors.UserError(problem)
    args = ap.parse_args(argv)
    problem = display_problem(offscreen_default=bool(args.screenshot))
    if problem:
        raise errors.UserError(problem)
    import signal

    from quotedesk.gui import app

    # The event loop seldom returns to Python, where errors.run_guarded's SIGTERM handler would
    # run: the window keeps the default (SIGTERM ends it at once); its own saves are atomic.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if args.screenshot:
        return app.screenshot(args.screenshot, args.files[0] if args.files else None)
    return app.run(args.files)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    argv, debug = _take_debug(argv)
    return errors.run_guarded(lambda: _dispatch(argv), debug)


if __name__ == "__main__":
    sys.exit(main())
