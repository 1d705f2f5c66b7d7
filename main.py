"""QuoteDesk's entry point: parse the command line, then start the window or a headless command."""
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

    spec = importlib.machinery.ModuleSpec("quotedesk", None, is_package=True)
    spec.submodule_search_locations = [os.path.dirname(os.path.abspath(__file__))]
    sys.modules["quotedesk"] = importlib.util.module_from_spec(spec)


_checkout_as_package()

COMMANDS = ("analyze", "extract", "eval", "convert")


def _types(value: str | None) -> set[str] | None:
    return {t.strip() for t in value.split(",") if t.strip()} if value else None


def headless_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="quotedesk", description="Who said what in the news: headless commands.")
    sub = ap.add_subparsers(dest="command", required=True)

    a = sub.add_parser("analyze", help="extract articles and attribute their quotes")
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

    e = sub.add_parser("extract", help="extract article bodies and metadata")
    e.add_argument("inputs", nargs="+")
    e.add_argument("-o", "--output")
    e.add_argument("--format", choices=("zyte",), default="zyte")
    e.add_argument("--jobs", type=int, default=None)

    v = sub.add_parser("eval", help="score predicted quotes against gold (the shared scorer's metrics)")
    v.add_argument("gold")
    v.add_argument("pred")
    v.add_argument("--types", help="restrict gold quotes to these types")
    v.add_argument("--json", dest="json_out", help="also write the metrics as JSON")
    v.add_argument("--agreement", action="store_true",
                   help="compare two annotation sets: P/R/F1 and agreement for quotes, speakers and cues")

    c = sub.add_parser("convert", help="convert annotations between formats")
    c.add_argument("input")
    c.add_argument("--from", dest="from_fmt", choices=("jsonl", "brat", "labelstudio", "csv", "quotedesk"))
    c.add_argument("--to", dest="to_fmt", required=True, choices=("jsonl", "brat", "labelstudio", "csv", "quotedesk"))
    c.add_argument("-o", "--output", required=True)
    return ap


def gui_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="quotedesk",
        description="QuoteDesk review window. Headless commands: " + ", ".join(COMMANDS)
                    + " (quotedesk COMMAND --help).")
    ap.add_argument("files", nargs="*", help="pages (.txt, .html), .quotedesk.json files, or a folder / .jsonl corpus to open "
                         "as a project (none: the bundled sample)")
    ap.add_argument("--screenshot", metavar="OUT.png", help="render the window offscreen to a PNG and exit")
    return ap


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in COMMANDS:
        args = headless_parser().parse_args(argv)
        from quotedesk.core import commands

        if args.command == "analyze":
            return commands.cmd_analyze(args.inputs, args.output, args.format, args.jobs,
                                        _types(args.types), args.progress, args.scheme)
        if args.command == "extract":
            return commands.cmd_extract(args.inputs, args.output, args.format, args.jobs)
        if args.command == "eval":
            return commands.cmd_eval(args.gold, args.pred, _types(args.types), args.json_out, args.agreement)
        return commands.cmd_convert(args.input, args.output, args.from_fmt, args.to_fmt)

    args = gui_parser().parse_args(argv)
    from quotedesk.gui import app

    if args.screenshot:
        return app.screenshot(args.screenshot, args.files[0] if args.files else None)
    return app.run(args.files)


if __name__ == "__main__":
    sys.exit(main())
