"""One error path for every headless command: a one-line message on stderr and a documented exit status.

``main.py`` runs every command through :func:`run_guarded`, so a command added there gets this
for free.  The statuses (README "Headless commands"):

    0    everything was read and written
    1    some inputs could not be read or analysed: each was reported and skipped, the rest written
    2    usage error, or an input the command cannot use at all (nothing was written)
    3    the output could not be written (disk full, read-only folder, permission denied)
    4    an internal error (a bug): ``--debug`` shows the traceback to report
    130  interrupted (Ctrl+C);  143  terminated (SIGTERM)
    141  the reader of the output went away (``quotedesk analyze … | head``), as for other Unix tools

Exceptions a command may raise on purpose: :class:`UserError` (status 2) and :class:`OutputError`
(status 3).  The loaders' own errors (such as
ReadError, ConvertError, RecordError, BratError: any exception class defined in quotedesk) are
messages for people too and give status 2; Python's own (TypeError, KeyError…) mean a bug: 4.
"""
from __future__ import annotations

import errno
import os
import signal
import sys
import traceback
from typing import Callable

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2
EXIT_OUTPUT = 3
EXIT_INTERNAL = 4
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141
EXIT_TERMINATED = 143

PROG = "quotedesk"

# errno values that mean "this output cannot be written", whichever file it was.
_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EFBIG}


class UserError(Exception):
    """A problem the user can fix, said in one line: ``path: message``."""

    status = EXIT_USAGE

    def __init__(self, message: str, path=None, status: int | None = None):
        self.message, self.path = message, (str(path) if path is not None else None)
        if status is not None:
            self.status = status
        super().__init__(f"{self.path}: {message}" if self.path else message)


class OutputError(UserError):
    """An output that cannot be written; status 3."""

    status = EXIT_OUTPUT

    @classmethod
    def from_os_error(cls, exc: OSError, path=None) -> "OutputError":
        err = cls(f"cannot write it: {_strerror(exc)}", path if path is not None else exc.filename)
        err.__cause__ = exc
        return err


class Terminated(BaseException):
    """SIGTERM arrived.  A BaseException, so that no ``except Exception`` (a batch's 'one bad page
    must not stop the rest') swallows it."""


def _strerror(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    return (exc.strerror or str(exc)).rstrip(".").lower() if exc.strerror else str(exc)


def describe(exc: BaseException) -> tuple[str, int]:
    """The one-line message (without the program name) and the exit status for ``exc``."""
    if isinstance(exc, UserError):
        return str(exc), exc.status
    if isinstance(exc, OSError):
        path = exc.filename
        where = f"{path}: " if path else ""
        if exc.errno in _OUTPUT_ERRNOS:
            return f"{where}cannot write it: {_strerror(exc)}", EXIT_OUTPUT
        if isinstance(exc, IsADirectoryError):
            return f"{where}is a folder, not a file", EXIT_USAGE
        if isinstance(exc, FileNotFoundError):
            return f"{where}no such file or folder", EXIT_USAGE
        return f"{where}{_strerror(exc)}", EXIT_USAGE
    if isinstance(exc, RecursionError):
        return "the input is nested too deeply to read (a JSON value inside thousands of others?)", EXIT_USAGE
    if isinstance(exc, MemoryError):
        return "out of memory (is one input enormous? split it)", EXIT_USAGE
    if type(exc).__module__.startswith("quotedesk."):  # ReadError, ConvertError, the loaders' errors
        return str(exc), EXIT_USAGE
    return (f"internal error: {type(exc).__name__}: {exc} (a bug: run again with --debug and report the "
            "traceback)"), EXIT_INTERNAL


def say(message: str) -> None:
    """One line on stderr, prefixed with the program's name; never raises."""
    try:
        print(f"{PROG}: {message}", file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


def _silence_stdout() -> None:
    """After a broken pipe: point stdout at /dev/null so the interpreter's final flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _on_sigterm(signum, frame):
    raise Terminated()


def run_guarded(func: Callable[[], int | None], debug: bool = False) -> int:
    """``func()``'s exit status; any exception becomes one line on stderr and its status
    (``debug``: the traceback first).  SIGTERM is turned into :class:`Terminated` while it runs,
    so that worker pools are shut down on the way out."""
    restore = None
    try:
        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
            restore = signal.signal(signal.SIGTERM, _on_sigterm)
    except (ValueError, OSError):  # not the main thread: leave signals alone
        restore = None
    try:
        status = func()
        return EXIT_OK if status is None else int(status)
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        if debug:
            traceback.print_exc()
        say("interrupted")
        return EXIT_INTERRUPTED
    except Terminated:
        say("terminated")
        return EXIT_TERMINATED
    except Exception as exc:  # the one place every command's errors end up
        if debug:
            traceback.print_exc()
        message, status = describe(exc)
        if isinstance(exc, OSError) and exc.errno == errno.EPIPE:
            _silence_stdout()
            return EXIT_BROKEN_PIPE
        say(message)
        return status
    finally:
        if restore is not None:
            try:
                signal.signal(signal.SIGTERM, restore)
            except (ValueError, OSError):
                pass
