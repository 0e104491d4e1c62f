"""Autosave benchmark: the real API's ORM upsert against a raw-SQL upsert, over real HTTP.

Both run in gunicorn against a throwaway PostgreSQL cluster on loopback, so the figures
include everything a browser's autosave pays for (session, CSRF, Django, the database).
Started by ``make bench``; knobs are environment variables (see bench/README.md). The
client side (the plan of saves and the threads that send it) is bench/autosave_driver.py.

Exits non-zero when any request fails or the answers end up with duplicate rows.
"""

import json
import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: make ``bench`` and the apps importable

from bench.autosave_driver import Result, Target, drive, plan  # noqa: E402
from bench.harness import (  # noqa: E402
    bench_env,
    gunicorn,
    log,
    login,
    run,
    use_env_here,
)
from devtools.throwaway_postgres import Cluster, throwaway_cluster  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "3000"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "200"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
PHASE_TIMEOUT_S = float(os.environ.get("BENCH_PHASE_TIMEOUT", "120"))

DB_NAME = "levelcheck_bench"
USERNAME = "ito"
PASSWORD = "levelcheck-demo"
CAMPAIGN = "2026年度 下期 レベルチェック"
FRAMEWORK_FILE = "maturity/frameworks/customer-engagement.yaml"

ENDPOINTS = [  # (label, path template)
    ("ORM upsert (real API)", "/api/v1/responses/{pk}/answers/{qid}/"),
    ("raw SQL upsert", "/bench/raw/responses/{pk}/answers/{qid}/"),
]


# ---------------------------------------------------------------- app


def prepare_database(env: dict) -> None:
    """Schema, the default framework and the demo people, as ``make run`` would."""
    manage = [sys.executable, "manage.py"]
    for args in (
        ["migrate", "--no-input", "-v0"],
        ["import_framework", FRAMEWORK_FILE],
        ["setup_demo"],
    ):
        log("manage.py " + " ".join(args))
        run(manage + args, env=env, cwd=ROOT)


# ---------------------------------------------------------------- in-process checks


def queries_per_save(response, question_id: int, choice_id: int) -> dict[str, list[str]]:
    """One PUT per endpoint through Django's test client, recording every SQL statement it
    sends (each is one round trip to PostgreSQL)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(response.respondent)
    captured = {}
    for label, template in ENDPOINTS:
        with CaptureQueriesContext(connection) as ctx:
            reply = client.put(
                template.format(pk=response.pk, qid=question_id),
                data=json.dumps({"choice": choice_id}),
                content_type="application/json",
            )
        if reply.status_code != 200:
            raise RuntimeError(f"{label}: HTTP {reply.status_code} {reply.content[:300]!r}")
        captured[label] = [q["sql"] for q in ctx.captured_queries]
    return captured


def duplicate_check(response, written: set[int]) -> tuple[bool, str]:
    """The answers of the response: exactly one row per question written, none other."""
    from django.db.models import Count

    from assessments.models import Answer

    rows = Answer.objects.filter(response=response)
    total = rows.count()
    duplicated = rows.values("question_id").annotate(n=Count("id")).filter(n__gt=1).count()
    questions = set(rows.values_list("question_id", flat=True))
    ok = total == len(written) and duplicated == 0 and questions == written
    return ok, (
        f"{total} answer rows, {len(written)} distinct questions written, "
        f"{duplicated} duplicated — {'OK' if ok else 'FAILED'}"
    )


# ---------------------------------------------------------------- report


def print_table(results: list[Result], sql_counts: dict[str, int]) -> None:
    header = (
        f"{'endpoint':<24}{'requests':>9}{'errors':>8}{'saves/s':>10}"
        f"{'p50 ms':>9}{'p99 ms':>9}{'SQL/save':>10}{'CPU busy':>10}"
    )
    print()
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.label:<24}{r.requests:>9}{r.failures:>8}{r.saves_per_s:>10.0f}"
            f"{r.percentile_ms(0.50):>9.1f}{r.percentile_ms(0.99):>9.1f}"
            f"{sql_counts.get(r.label, 0):>10}{r.cpu_busy:>10.0%}"
        )
    orm, raw = results
    if orm.saves_per_s and raw.saves_per_s:
        print(
            f"ORM/raw: throughput {orm.saves_per_s / raw.saves_per_s:.2f}×, "
            f"p50 latency {orm.percentile_ms(0.5) / raw.percentile_ms(0.5):.2f}×, "
            f"p99 latency {orm.percentile_ms(0.99) / raw.percentile_ms(0.99):.2f}×"
        )
    names = [n for n in results[0].cpu if n not in ("busy", "elapsed")] + ["other"]
    print()
    header = f"{'CPU ms per save':<24}" + "".join(f"{n:>10}" for n in names)
    print(header)
    print("-" * len(header))
    for r in results:
        print(f"{r.label:<24}" + "".join(f"{r.cpu_ms_per_save(n):>10.2f}" for n in names))
    for r in results:
        if r.errors:
            print(f"errors of {r.label}: {dict(r.errors)}")
        if r.unsent:
            print(
                f"{r.label}: {r.unsent} not sent within {PHASE_TIMEOUT_S:.0f} s (counted as errors)"
            )
    print()


def benchmark(cluster: Cluster, workdir: Path) -> bool:
    env = bench_env(cluster.url)
    prepare_database(env)

    use_env_here(env)
    import django

    django.setup()
    from django.db import connection

    from assessments.models import Answer, Response
    from assessments.selectors import applicable_question_ids
    from maturity.models import Choice

    response = Response.objects.select_related("campaign", "department", "respondent").get(
        respondent__username=USERNAME, campaign__name=CAMPAIGN
    )
    question_ids = applicable_question_ids(
        response.campaign.framework_id, response.department.function
    )
    choices = defaultdict(list)
    for choice_id, question_id in (
        Choice.objects.filter(question_id__in=question_ids)
        .order_by("question_id", "order")
        .values_list("id", "question_id")
    ):
        choices[question_id].append(choice_id)
    log(
        f"response {response.pk} of {USERNAME}: {len(question_ids)} questions, "
        f"{sum(map(len, choices.values()))} choices"
    )

    sql = queries_per_save(response, question_ids[0], choices[question_ids[0]][0])
    for label, statements in sql.items():
        log(f"SQL statements per save, {label}: {len(statements)} (BEGIN/COMMIT included)")
        for statement in statements:
            log("    " + " ".join(statement.split())[:110])

    ok = True
    results = []
    postmaster = cluster.postmaster_pid()
    with gunicorn(env, workdir, workers=WORKERS, threads=THREADS) as server:
        port = server.port
        target = Target(
            port, login(port, USERNAME, PASSWORD), {"gunicorn": server.pid, "postgres": postmaster}
        )
        log(f"logged in as {USERNAME}; {CONCURRENCY} client threads, {REQUESTS} saves each")
        load = {"concurrency": CONCURRENCY, "timeout_s": PHASE_TIMEOUT_S}
        for label, template in ENDPOINTS:
            warmup = plan(response.pk, template, question_ids, choices, WARMUP)
            drive(target, warmup[0], warmup[1], label, **load)
            Answer.objects.filter(response=response).delete()  # measured phase starts empty
            connection.close()
            paths, bodies, written = plan(response.pk, template, question_ids, choices, REQUESTS)
            result = drive(target, paths, bodies, label, **load)
            results.append(result)
            passed, message = duplicate_check(response, written)
            log(f"{label}: {result.saves_per_s:.0f} saves/s; duplicate check: {message}")
            ok = ok and passed and not result.failures
            connection.close()
    print_table(results, {label: len(statements) for label, statements in sql.items()})
    return ok


def main() -> int:
    started = time.monotonic()
    load = os.getloadavg()[0]
    log(f"{os.cpu_count()} cores, load average {load:.2f}")
    if load > 0.5:
        log("warning: the machine is busy; saves/s will be low (see the 'other' CPU column)")
    workdir = Path(tempfile.mkdtemp(prefix="levelcheck-bench-"))
    try:
        with throwaway_cluster(DB_NAME) as cluster:
            ok = benchmark(cluster, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    log(f"{'PASS' if ok else 'FAIL'} in {time.monotonic() - started:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
