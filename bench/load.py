"""Load and faults benchmark: 200 managers autosaving at once while gunicorn is killed and
PostgreSQL restarted, and afterwards no acknowledged answer lost or stale.

gunicorn (gthread) serves the app against a throwaway PostgreSQL cluster on loopback. Each
simulated manager is a thread with one keep-alive connection: it logs in through the real
login form, then walks through its department's questions, PUTting one answer at a time to
the autosave API with a short think time, sometimes changing its mind on the question it
just answered. Like static/js/questionnaire.js it retries a save after a connection error,
a 5xx or a 429 with a doubling backoff, and sends the next save only once the previous one
is acknowledged (HTTP 200). The run goes through timed phases: warm, the same load against
a bare JSON view (the floor), steady, gunicorn SIGKILLed and restarted, PostgreSQL restarted,
recovery. Started by ``make bench``; knobs are environment variables (see bench/README.md).

Every save carries its sequence number in the answer's comment, so the final check is
exact: for each (response, question) with an acknowledged save, the row must hold the last
acknowledged save (or a later one that was sent but whose reply was lost).

Exits non-zero when an acknowledged answer is lost or stale, when a request fails in a
phase without a fault, when the server rejects a save (4xx), or when the run does not
finish within its time limit.

The parts: bench/load_config.py (knobs), load_data.py (the campaign), load_managers.py (the
simulated managers), load_phases.py (the timeline), load_results.py (the check and table).
"""

import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: make ``bench`` and the apps importable

from bench.harness import Gunicorn, bench_env, log, use_env_here  # noqa: E402
from bench.load_config import (  # noqa: E402
    CLIENT_TIMEOUT_S,
    DB_NAME,
    MANAGERS,
    THREADS,
    TIME_LIMIT_S,
    WORKERS,
)
from bench.load_data import build_campaign, prepare_database  # noqa: E402
from bench.load_managers import Control, Manager  # noqa: E402
from bench.load_phases import timeline  # noqa: E402
from bench.load_results import check_answers, phase_rows, print_report  # noqa: E402
from devtools.throwaway_postgres import Cluster, throwaway_cluster  # noqa: E402

STARTED = time.monotonic()


def benchmark(cluster: Cluster, workdir: Path) -> bool:
    env = bench_env(cluster.url)
    prepare_database(env, deadline=STARTED + TIME_LIMIT_S)
    use_env_here(env)
    import django

    django.setup()
    from django.db import connections

    started = time.monotonic()
    campaign_id, specs = build_campaign(MANAGERS)
    connections.close_all()
    log(
        f"{len(specs)} managers, departments and responses in one open campaign "
        f"({time.monotonic() - started:.1f} s)"
    )

    server = Gunicorn(env, workdir, workers=WORKERS, threads=THREADS)
    control = Control(server.port, deadline=STARTED + TIME_LIMIT_S)
    managers = [Manager(i, spec, control) for i, spec in enumerate(specs)]
    threads = [threading.Thread(target=m.run, daemon=True) for m in managers]
    try:
        server.start()
        started = time.monotonic()
        for thread in threads:
            thread.start()
        while not all(m.settled.is_set() for m in managers) and not control.stop.is_set():
            control.wait(0.1)
        failed = [m for m in managers if m.failure]
        if failed:
            control.stop.set()
            raise RuntimeError(f"{len(failed)} managers could not log in: {failed[0].failure}")
        log(
            f"{len(managers)} managers logged in through the login form in "
            f"{time.monotonic() - started:.1f} s"
        )
        phases = timeline(control, server, cluster)
        join_by = time.monotonic() + CLIENT_TIMEOUT_S + 5  # the last replies in flight
        for thread in threads:
            thread.join(timeout=max(0.0, join_by - time.monotonic()))
        if any(thread.is_alive() for thread in threads):
            log("warning: some managers were still waiting for a reply")
    finally:
        control.stop.set()
        server.stop()
        server_log = server.log_text()
    check = check_answers(campaign_id, managers)
    rows = phase_rows(phases, managers)
    print_report(rows, check, managers)
    tracebacks = server_log.count("Traceback")
    log(f"gunicorn log: {len(server_log.splitlines())} lines, {tracebacks} tracebacks")

    steady_errors = sum(sum(r["errors"].values()) for r in rows if not r["phase"].fault)
    problems = []
    if control.timed_out:
        problems.append(f"the run did not finish within {TIME_LIMIT_S:.0f} s")
    if len(phases) < 6:
        problems.append(f"only {len(phases)} of 6 phases ran")
    if check.lost or check.stale:
        problems.append(f"{check.lost} acknowledged answers lost, {check.stale} stale")
    if steady_errors:
        problems.append(f"{steady_errors} errors in phases without a fault")
    if any(m.rejected for m in managers):
        problems.append("the server refused saves")
    if not check.answers:
        problems.append("no save was acknowledged")
    if steady_errors and tracebacks:
        log("gunicorn log (tail):\n" + server_log[-3000:])
    for problem in problems:
        log("FAIL: " + problem)
    return not problems


def main() -> int:
    load = os.getloadavg()[0]
    log(f"{os.cpu_count()} cores, load average {load:.2f}")
    if load > 0.5:
        log("warning: the machine is busy; saves/s will be low")
    workdir = Path(tempfile.mkdtemp(prefix="levelcheck-bench-load-"))
    try:
        with throwaway_cluster(DB_NAME) as cluster:
            ok = benchmark(cluster, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    elapsed = time.monotonic() - STARTED
    if elapsed > TIME_LIMIT_S:
        log(f"FAIL: took {elapsed:.0f} s, limit {TIME_LIMIT_S:.0f} s")
        ok = False
    log(f"{'PASS' if ok else 'FAIL'} in {elapsed:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
