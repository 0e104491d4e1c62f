"""Timing code in-process: timed runs that take turns, the SQL a call sends, and where a call
spends its time (cProfile). Used by bench/scoring.py; call after ``django.setup()``.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(
    fns: dict[str, Callable[[], object]],
    *,
    warmup: int,
    repeat: int,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, list[float]]:
    """Seconds per run of each function; the functions take turns in every round, so that
    a change in the machine's load hits them alike. ``clock`` is wall time unless told
    (``time.process_time``: this process's CPU seconds, for in-process work)."""
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    seconds = {label: [] for label in fns}
    for _ in range(repeat):
        for label, fn in fns.items():
            started = clock()
            fn()
            seconds[label].append(clock() - started)
    return seconds


def captured_queries(fn: Callable[[], object]) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return [q["sql"] for q in ctx.captured_queries]


def profile(fn: Callable[[], object], *, label: str, runs: int, top: int) -> None:
    """cProfile of ``runs`` calls of ``fn``; per-run milliseconds of the heaviest functions."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        fn()
    profiler.disable()
    stats = pstats.Stats(profiler).stats

    def where(key) -> str:
        filename, line, name = key
        if filename == "~":
            return name  # built-in
        path = Path(filename)
        for base in (ROOT, *map(Path, sys.path)):
            if base.is_dir() and path.is_relative_to(base) and base != Path("/"):
                path = path.relative_to(base)
                break
        return f"{name} ({path}:{line})"

    rows = [
        (where(key), calls, own / runs * 1000, cumulative / runs * 1000)
        for key, (_, calls, own, cumulative, _) in stats.items()
    ]
    for title, sort in (("cumulative", 3), ("own time", 2)):
        print(f"\nProfile of {label}, top {top} by {title}, ms per run ({runs} runs):")
        print(f"{'cum ms':>9}{'own ms':>9}{'calls':>9}  function")
        for name, calls, own, cumulative in sorted(rows, key=lambda r: -r[sort])[:top]:
            print(f"{cumulative:>9.2f}{own:>9.2f}{calls // runs:>9}  {name[:110]}")
