"""Where batch work runs: a pool of worker processes on this machine, or a Dask cluster.

Both engines run module-level functions over a list of tasks and hand back one :class:`Outcome`
per task as it finishes (not in task order).  The worker does all the work of a task (reading,
analysing, writing); the parent only dispatches small task descriptions and collects small
results, so two workers give close to twice the speed of one.

- :class:`LocalEngine` (the default, no extra dependency) keeps one task in flight per worker
  process, so when a process dies (killed, out of memory, a crash in a C library) it knows
  which task it held: that task alone is retried once, on a fresh worker, and the rest goes on.
  A task can report progress from inside the worker with :func:`report_progress`.
- :class:`DaskEngine` runs the same functions on ``distributed``: a LocalCluster bound to
  127.0.0.1 (dashboard off), or the user's cluster given by its scheduler address.  The
  scheduler reschedules a dead worker's tasks; a task that still fails is submitted once more.
  ``distributed`` is imported only when this engine is made.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

# Modules a local worker imports before its first task (the attribution rules and their patterns),
# so that cost is paid once per worker, not inside the first task's timing.
PRELOAD = ("quotedesk.core.pipeline", "quotedesk.core.attribution")


class EngineError(ValueError):
    """An engine that cannot start (a missing extra, a scheduler that does not answer)."""


@dataclass
class Outcome:
    index: int  # the task's position in the list given
    task: Any
    result: Any = None
    error: str | None = None  # the task raised, or its worker died (after the retry)
    attempts: int = 1


# -- progress from inside a worker ------------------------------------------------------------
_progress_sink: Callable[[int], None] | None = None


def report_progress(n: int = 1) -> None:
    """Called by a task inside a worker: ``n`` more documents are done.  A no-op where nobody
    listens (in-process runs without a callback, Dask workers)."""
    if _progress_sink is not None:
        _progress_sink(n)


def default_mp_context():
    """forkserver where there is one: work may be started from a GUI thread, and forking a
    process that runs Qt threads can deadlock the child."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform != "win32" and "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def cli_mp_context():
    """fork for a command-line run (no threads in the parent: the children start at once and
    inherit the imported rules); the GUI-safe default elsewhere."""
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return default_mp_context()


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


# -- the local process pool ----------------------------------------------------------------------
def _warm_parent(preload: tuple[str, ...]) -> None:
    """Before forking: import what every worker needs once, here, and freeze the heap for the
    collector, so the children neither import it again nor copy every page the collector would
    touch (copy-on-write)."""
    import gc
    import importlib

    for name in preload:
        try:
            importlib.import_module(name)
        except Exception:
            pass
    gc.freeze()


def _worker_main(conn, preload: tuple[str, ...], parent_pid: int) -> None:
    """A worker process: run tasks received on ``conn`` until told to stop (None)."""
    global _progress_sink
    import importlib

    import signal

    try:  # a forked worker must not inherit the parent's handlers: SIGTERM ends it quietly
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except (ValueError, OSError):
        pass
    try:  # die with the parent, leave Ctrl+C to it (core.workers, the pools' own rule)
        from .workers import _die_with

        _die_with(parent_pid)
    except Exception:
        pass
    for name in preload:
        try:
            importlib.import_module(name)
        except Exception:  # a missing module only costs the time later
            pass
    current = [None]

    def sink(n: int) -> None:
        conn.send(("progress", current[0], n))

    _progress_sink = sink
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        index, func, task = msg
        current[0] = index
        try:
            result = func(task)
        except Exception as exc:
            conn.send(("error", index, _describe(exc)))
        else:
            conn.send(("done", index, result))


class _Slot:
    def __init__(self, ctx, preload):
        parent, child = ctx.Pipe(duplex=True)
        self.conn = parent
        self.process = ctx.Process(target=_worker_main, args=(child, preload, os.getpid()), daemon=True)
        self.process.start()
        child.close()
        self.task: int | None = None  # index of the task it holds
        self.born = time.monotonic()

    def stop(self, timeout: float = 2.0) -> None:
        """Ask the worker to finish (``timeout`` 0: end it now, as after Ctrl+C)."""
        if timeout > 0:
            try:
                self.conn.send(None)
            except (OSError, BrokenPipeError):
                pass
            self.process.join(timeout)
        elif self.process.is_alive():
            self.process.terminate()
            self.process.join(1)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(1)
        self.conn.close()


class LocalEngine:
    """Worker processes on this machine.  ``workers`` defaults to all cores; ``in_process`` runs
    the tasks here, one after another (``workers`` 1 and no pool wanted)."""

    name = "local"

    def __init__(self, workers: int | None = None, mp_context=None, in_process: bool = False,
                 preload: Iterable[str] = PRELOAD, retries: int = 1):
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.mp_context = mp_context
        self.in_process = in_process
        self.preload = tuple(preload)
        self.retries = retries

    def describe(self) -> str:
        return "in this process" if self.in_process else f"local engine, {self.workers} worker process(es)"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def run(self, func: Callable, tasks: list, progress: Callable[[int], None] | None = None,
            cancel: Callable[[], bool] | None = None) -> Iterator[Outcome]:
        """``func(task)`` for every task; yields an Outcome as each finishes.  ``progress(n)``
        receives what tasks report with :func:`report_progress`; once ``cancel()`` is true no
        task starts and those running finish."""
        if self.in_process:
            yield from self._run_here(func, tasks, progress, cancel)
        else:
            yield from self._run_pool(func, tasks, progress, cancel)

    def _run_here(self, func, tasks, progress, cancel):
        global _progress_sink
        previous = _progress_sink
        _progress_sink = progress
        try:
            for i, task in enumerate(tasks):
                if cancel is not None and cancel():
                    return
                try:
                    yield Outcome(i, task, result=func(task))
                except Exception as exc:
                    yield Outcome(i, task, error=_describe(exc))
        finally:
            _progress_sink = previous

    def _run_pool(self, func, tasks, progress, cancel):
        from multiprocessing.connection import wait

        ctx = self.mp_context or cli_mp_context()
        queue = list(range(len(tasks)))
        queue.reverse()  # pop() takes the next task in order
        attempts = [0] * len(tasks)
        n_slots = min(self.workers, max(1, len(tasks)))
        slots: list[_Slot] = []
        finished = False
        try:
            if ctx.get_start_method() == "fork":
                _warm_parent(self.preload)  # forked workers inherit the rules, already imported
            slots = [_Slot(ctx, self.preload) for _ in range(n_slots)]
            if ctx.get_start_method() == "fork":
                import gc

                gc.unfreeze()
            running = 0
            while True:
                stopping = cancel is not None and cancel()
                if not stopping:
                    for slot in slots:
                        if slot.task is None and queue:
                            i = queue.pop()
                            attempts[i] += 1
                            try:
                                slot.conn.send((i, func, tasks[i]))
                            except (OSError, BrokenPipeError):
                                queue.append(i)  # the slot is dead: noticed below
                                attempts[i] -= 1
                                continue
                            slot.task = i
                            running += 1
                if running == 0 and (stopping or not queue):
                    finished = True
                    return
                ready = wait([s.conn for s in slots] + [s.process.sentinel for s in slots], timeout=0.2)
                if not ready:
                    continue
                for k, slot in enumerate(slots):
                    while True:
                        try:
                            if not slot.conn.poll():
                                break
                            kind, i, payload = slot.conn.recv()
                        except (EOFError, OSError):
                            break
                        if kind == "progress":
                            if progress is not None:
                                progress(payload)
                            continue
                        slot.task = None
                        running -= 1
                        yield Outcome(i, tasks[i], result=payload if kind == "done" else None,
                                      error=payload if kind == "error" else None, attempts=attempts[i])
                    if slot.process.is_alive():
                        continue
                    # The process died holding slot.task: that task alone is lost; a fresh
                    # process takes the slot and the task is retried (first in the queue).
                    i, code = slot.task, slot.process.exitcode
                    slot.stop(0)
                    slots[k] = _Slot(ctx, self.preload)
                    if i is not None:
                        running -= 1
                        if attempts[i] <= self.retries:
                            queue.append(i)
                        else:
                            yield Outcome(i, tasks[i], error=f"worker died (exit code {code}) "
                                          f"in {attempts[i]} attempt(s)", attempts=attempts[i])
        finally:
            # a run abandoned half-way (Ctrl+C, a closed output, the caller stopped reading)
            # ends its workers at once instead of waiting for their tasks
            for slot in slots:
                slot.stop(2.0 if finished else 0)


# -- Dask --------------------------------------------------------------------------------------
DASK_MISSING = ("the dask engine needs the 'distributed' package: "
                "pip install \"quotedesk[dask]\" (or pip install \"dask[distributed]\")")


def import_distributed():
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise EngineError(DASK_MISSING) from None
    return distributed


class DaskEngine:
    """Tasks on a Dask cluster: ``scheduler`` "tcp://HOST:PORT" of the user's cluster, or none for
    a LocalCluster of ``workers`` single-threaded processes on 127.0.0.1 without a dashboard.

    The workers need the same QuoteDesk version installed, and the paths in the tasks must
    name the same files on every machine (shared storage)."""

    name = "dask"

    def __init__(self, scheduler: str | None = None, workers: int | None = None, retries: int = 1,
                 connect_timeout: float = 20.0):
        import_distributed()
        self.scheduler = scheduler
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.retries = retries
        self.connect_timeout = connect_timeout
        self.cluster = None
        self.client = None

    def describe(self) -> str:
        if self.scheduler:
            return f"dask engine, scheduler {self.scheduler}"
        return f"dask engine, LocalCluster of {self.workers} worker(s) on 127.0.0.1"

    def __enter__(self):
        import logging

        from distributed import Client, LocalCluster

        try:
            if self.scheduler:
                self.client = Client(self.scheduler, timeout=self.connect_timeout)
            else:
                import dask

                # a shard whose worker dies runs once more, then is reported (the default is 3 tries)
                with dask.config.set({"distributed.scheduler.allowed-failures": self.retries}):
                    self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                                host="127.0.0.1", dashboard_address=None,
                                                silence_logs=logging.ERROR)
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as exc:
            self.__exit__(None, None, None)
            where = self.scheduler or "a LocalCluster"
            raise EngineError(f"cannot reach the Dask scheduler at {where} ({_describe(exc)})") from None
        if self.scheduler:
            self._check_workers()
        return self

    def _check_workers(self) -> None:
        """Say which workers run other QuoteDesk code than this process (their output may differ)."""
        from .manifest import code_fingerprint

        try:
            theirs = self.client.run(_worker_fingerprint)
        except Exception as exc:  # a worker without QuoteDesk at all
            _warn(f"could not ask the Dask workers for their QuoteDesk version ({_describe(exc)}); "
                  "every worker needs the same QuoteDesk installed")
            return
        ours = code_fingerprint()
        other = sorted(w for w, f in theirs.items() if f != ours)
        if other:
            _warn(f"{len(other)} of {len(theirs)} Dask worker(s) run other QuoteDesk code than this "
                  f"command (rules fingerprint {ours}), e.g. {other[0]}: install the same version everywhere")

    def __exit__(self, *exc):
        if self.client is not None:
            try:
                self.client.close()
            except Exception:
                pass
            self.client = None
        if self.cluster is not None:
            try:
                self.cluster.close()
            except Exception:
                pass
            self.cluster = None
        return False

    def run(self, func: Callable, tasks: list, progress: Callable[[int], None] | None = None,
            cancel: Callable[[], bool] | None = None, keys: list[str] | None = None) -> Iterator[Outcome]:
        from distributed import as_completed

        if self.client is None:
            raise EngineError("DaskEngine.run outside 'with engine:'")
        index_of = {}
        attempts = [1] * len(tasks)
        futures = []
        for i, task in enumerate(tasks):
            key = f"quotedesk-{keys[i] if keys else i}-{os.getpid()}-{time.time_ns()}"
            f = self.client.submit(func, task, key=key, pure=False)
            index_of[f.key] = i
            futures.append(f)
        ac = as_completed(futures)
        for f in ac:
            i = index_of[f.key]
            if cancel is not None and cancel():
                for other in futures:
                    if not other.done():
                        other.cancel()
            if f.status == "finished":
                yield Outcome(i, tasks[i], result=f.result(), attempts=attempts[i])
            elif f.status == "cancelled":
                continue
            else:
                exc = None
                try:
                    exc = f.exception()
                    message = _describe(exc)
                except Exception as e:  # the future itself could not be read
                    message = _describe(e)
                # a dead worker's shard was already rescheduled by the scheduler (KilledWorker
                # says it gave up): only an error the task raised is tried once more here
                killed = type(exc).__name__ == "KilledWorker"
                if attempts[i] <= self.retries and not killed and not (cancel is not None and cancel()):
                    attempts[i] += 1
                    again = self.client.submit(func, tasks[i], key=f"{f.key}-retry{attempts[i]}", pure=False)
                    index_of[again.key] = i
                    futures.append(again)
                    ac.add(again)
                else:
                    yield Outcome(i, tasks[i], error=message, attempts=attempts[i])
            f.release()


def _worker_fingerprint() -> str:
    from quotedesk.core.manifest import code_fingerprint

    return code_fingerprint()


def _warn(message: str) -> None:
    print(f"quotedesk: warning: {message}", file=sys.stderr, flush=True)


def make_engine(name: str = "local", workers: int | None = None, scheduler: str | None = None,
                mp_context=None, in_process: bool | None = None):
    """The engine a command asked for; EngineError when it cannot be made (message for people)."""
    if name == "dask":
        return DaskEngine(scheduler=scheduler, workers=workers)
    if name != "local":
        raise EngineError(f"unknown engine {name!r} (expected local or dask)")
    if scheduler:
        raise EngineError("--scheduler needs --engine dask")
    return LocalEngine(workers=workers, mp_context=mp_context,
                       in_process=bool(in_process) if in_process is not None else False)

