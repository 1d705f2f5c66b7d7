"""Worker processes that die with their parent: a pool initializer and a stop that leaves none running.

A ProcessPoolExecutor's workers wait on a pipe that they hold open themselves, so when the parent
is killed they never see it close and stay (idle) for ever.  ``pool(...)`` gives each worker:
- on Linux, PR_SET_PDEATHSIG: the kernel sends it SIGKILL the moment the parent dies (even by SIGKILL);
- elsewhere too, a watchdog thread that exits the worker once its parent is gone;
- SIGINT ignored: Ctrl+C reaches the whole process group, and the parent alone decides (the
  workers would otherwise each print a KeyboardInterrupt traceback).
``stop(pool)`` ends the workers at once (an interrupted batch must not wait for running pages).
"""
from __future__ import annotations

import os
import signal
import sys
import threading
import time

WATCH_EVERY_S = 0.5
_PR_SET_PDEATHSIG = 1


def _die_with(parent_pid: int) -> None:
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except (ValueError, OSError):
        pass
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    # With fork our parent is the pool's owner; with forkserver it is the server, which the
    # owner's death ends too: either way, a changed parent or a dead owner means stop.
    first_parent = os.getppid()

    def orphaned() -> bool:
        if os.getppid() != first_parent:
            return True
        try:
            os.kill(parent_pid, 0)
        except ProcessLookupError:
            return True
        except OSError:
            pass
        return False

    if orphaned():
        os._exit(1)

    def watch():
        while True:
            time.sleep(WATCH_EVERY_S)
            if orphaned():
                os._exit(1)

    threading.Thread(target=watch, name="quotedesk-parent-watch", daemon=True).start()


def pool(max_workers: int, mp_context=None):
    """A ProcessPoolExecutor whose workers die with this process."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=max_workers, mp_context=mp_context,
                               initializer=_die_with, initargs=(os.getpid(),))


def stop(executor) -> None:
    """Cancel what has not started and end the workers now (SIGTERM, then SIGKILL)."""
    procs = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        try:
            p.terminate()
        except (OSError, AttributeError, ValueError):
            pass
    deadline = time.monotonic() + 2.0
    for p in procs:
        try:
            p.join(max(0.0, deadline - time.monotonic()))
            if p.is_alive():
                p.kill()
                p.join(1.0)
        except (OSError, AttributeError, ValueError, AssertionError):
            pass
