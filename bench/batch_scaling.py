"""Batch speed on PolNeAR train (840 documents) with 1 and 2 workers: the local engine (worker
processes) and Dask (a LocalCluster on 127.0.0.1), through the same shard task `quotedesk batch` runs.

    python bench/batch_scaling.py [--shard-size 25] [--repeat 3] [--engines local dask] [--limit N]

Each run analyses every shard into a fresh temporary folder; the time is from the first task sent
to the last result (the cluster's start is printed apart).  Documents per second are printed with
the load average before the run, how many of the machine's cores were busy during it (a busy
neighbour shows there) and the dispatching process's own CPU time (it only sends shard
descriptions and counts results, so it should be near zero).  Numbers are printed, never asserted.  Skips with a message when ../shared
is absent (and Dask when distributed is not installed).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import main  # noqa: E402,F401  (the checkout becomes the quotedesk package)

from quotedesk.core.engines import EngineError, make_engine  # noqa: E402
from quotedesk.core.shard_work import batch_shard  # noqa: E402
from quotedesk.core.shards import plan  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "polnear" / "train.jsonl"


def _cpu_seconds() -> float:
    """All CPU time spent on this machine so far (every process, every core), from /proc/stat."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()[1:]
        ticks = sum(int(x) for i, x in enumerate(fields) if i not in (3, 4))  # not idle, not iowait
        return ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        return float("nan")


def _children_cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _warm(engine) -> None:
    """Dask workers import the rules before timing, as the local engine's workers do on start."""
    client = getattr(engine, "client", None)
    if client is not None:
        def load():
            import quotedesk.core.attribution  # noqa: F401
            import quotedesk.core.pipeline  # noqa: F401

            return os.getpid()

        client.run(load)


def one_run(engine_name: str, workers: int, shards, limit_docs: int) -> tuple:
    engine = make_engine(engine_name, workers=workers)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="qd-scaling-") as out:
        with engine:
            _warm(engine)
            start = time.perf_counter() - t0
            tasks = [(s, out, "default", None) for s in shards]
            load = os.getloadavg()[0]
            cpu0 = _cpu_seconds()
            own0 = time.process_time()
            kids0 = _children_cpu()
            t1 = time.perf_counter()
            docs = quotes = 0
            for o in engine.run(batch_shard, tasks):
                if o.error:
                    print(f"    shard {o.task[0].name} failed: {o.error}")
                    continue
                docs += o.result["docs"]
                quotes += o.result["quotes"]
            seconds = time.perf_counter() - t1
            cpu = _cpu_seconds() - cpu0
            own = time.process_time() - own0
        kids = _children_cpu() - kids0  # local workers are reaped when the engine closes
    return seconds, start, docs, quotes, load, cpu, own, kids


def main_(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shard-size", type=int, default=25)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--engines", nargs="+", default=["local", "dask"], choices=("local", "dask"))
    ap.add_argument("--limit", type=int, default=None, help="only the first N shards")
    args = ap.parse_args(argv)
    if not DATA.exists():
        print(f"skipped: {DATA} is not there (the shared data sits beside the checkout)")
        return 0
    # the parent imports the rules once, so forked local workers start warm (Dask ones are warmed)
    import quotedesk.core.pipeline  # noqa: F401
    from quotedesk.core.attribution import attribute  # noqa: F401

    shards, _ = plan([str(DATA)], args.shard_size)
    shards = shards[: args.limit] if args.limit else shards
    n_docs = sum(s.records for s in shards)
    print(f"PolNeAR train: {n_docs} documents in {len(shards)} shards of {args.shard_size}; "
          f"{os.cpu_count()} cores; best and median of {args.repeat} runs")
    rates: dict[tuple[str, int], float] = {}
    for name in args.engines:
        for workers in (1, 2):
            results = []
            for _ in range(args.repeat):
                try:
                    results.append(one_run(name, workers, shards, n_docs))
                except EngineError as e:
                    print(f"{name}: skipped ({e})")
                    break
            if not results:
                break
            best = min(results)
            rate = best[2] / best[0]
            med = statistics.median(r[2] / r[0] for r in results)
            rates[(name, workers)] = rate
            loads = ", ".join(f"{r[4]:.1f}" for r in results)
            cpu = ", ".join(f"{r[5] / r[0]:.2f}" for r in results)
            own = ", ".join(f"{r[6]:.2f}" for r in results)
            kids = ", ".join(f"{r[7]:.2f}" for r in results)
            print(f"{name:5s} workers={workers}: {rate:6.1f} docs/s best, {med:6.1f} median "
                  f"({best[2]} docs, {best[3]} quotes in {best[0]:.2f} s; start {best[1]:.2f} s; "
                  f"load average before: {loads}; machine cores busy during: {cpu}; "
                  f"the dispatching process's own CPU: {own} s"
                  + (f"; the workers' CPU: {kids} s" if name == "local" else "") + ")")
        if rates.get((name, 1)) and rates.get((name, 2)):
            print(f"{name:5s} 2 workers / 1 worker: {rates[(name, 2)] / rates[(name, 1)]:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main_())
