"""Scoring benchmark: a large campaign's results, scored through the real code path, against
a plain SQL read of the same answer rows.

Why: the results pages, exports, reports and the results API all call
``results.loader.campaign_results`` and then read the department scores, organisation
roll-up, perception gap and disagreements. The goal (from the issue) is that a campaign of
1,000 respondents × ~60 questions scores in at most 0.1 s and in at most twice the time of
merely reading its answer rows, in a fixed number of SQL queries whatever its size.

What it does: builds a throwaway database (SQLite in a temp dir; PostgreSQL with
``--postgres``, through devtools/throwaway_postgres.py), imports the shipped framework and
builds one organisation with 10 departments of 100 managers each, a consultant rating every
department, all responses submitted (bench/campaign_data.py). A second, tiny campaign shows
the query count does not grow with size.

It then times, after warm-up runs, the median of several repetitions of
(a) ``campaign_results`` plus the four score frames (the full scoring path), and
(b) a raw ``SELECT`` of the same rows (cursor.execute + fetchall), prints the figures with
PASS/MISS per goal and a per-stage breakdown; when a goal is missed (or with ``--profile``)
it also profiles (a) with cProfile and lists where the time goes.

Run from the project root: ``.venv/bin/python bench/scoring.py [--postgres] [--repeat N]
[--managers N]``; the timing helpers are bench/timing.py.
Exits 0 whether or not the goals are met; non-zero only on errors (including results that
do not match the data built).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: make ``bench`` and the apps importable

from bench.campaign_data import (  # noqa: E402
    DEPARTMENTS,
    MANAGERS_PER_DEPARTMENT,
    SEED,
    Built,
    build_campaign,
    import_shipped_framework,
)
from bench.harness import log  # noqa: E402
from bench.timing import captured_queries, profile, timed  # noqa: E402

BENCH_SECRET_KEY = "levelcheck-bench-only-not-a-secret"

GOAL_SECONDS = 0.1  # full scoring path, median
GOAL_RATIO = 2.0  # full scoring path ÷ raw read of the same rows


# ---------------------------------------------------------------- the two paths


def full_path(campaign):
    """What a results page needs: load, then every score frame it shows."""
    from results.loader import campaign_results

    results = campaign_results(campaign)
    frames = {
        "by_department": results.by_department,
        "organisation": results.organisation,
        "perception_gap": results.perception_gap,
        "disagreements": results.disagreements,
    }
    return results, frames


def raw_sql() -> str:
    """The plain SELECT of the rows the scoring reads: answers of submitted responses with
    their department, rater role, dimension, weight and choice score."""
    from assessments.models import Answer, Response
    from maturity.models import Choice, Dimension, Question

    answer, response = Answer._meta.db_table, Response._meta.db_table
    question, dimension = Question._meta.db_table, Dimension._meta.db_table
    choice = Choice._meta.db_table
    return (
        "SELECT a.response_id, r.department_id, r.rater_role, a.question_id, d.code, "
        "q.weight, c.score, a.is_na "
        f"FROM {answer} a "
        f"JOIN {response} r ON r.id = a.response_id "
        f"JOIN {question} q ON q.id = a.question_id "
        f"JOIN {dimension} d ON d.id = q.dimension_id "
        f"LEFT JOIN {choice} c ON c.id = a.choice_id "
        "WHERE r.campaign_id = %s AND r.status = %s"
    )


def raw_read(campaign_id: int) -> list[tuple]:
    from django.db import connection

    from assessments.models import Response

    with connection.cursor() as cursor:
        cursor.execute(raw_sql(), [campaign_id, Response.Status.SUBMITTED])
        return cursor.fetchall()


def check_results(campaign, built: Built, expected_departments: int) -> None:
    """The full path must have scored what was built; a benchmark of wrong answers is moot."""
    results, frames = full_path(campaign)
    dimensions = results.answers["dimension"].nunique()
    problems = []
    if len(results.answers) != built.answers:
        problems.append(f"{len(results.answers)} answer rows read, {built.answers} built")
    if results.answers["response_id"].nunique() != built.responses:
        problems.append("not every submitted response was read")
    if len(frames["by_department"]) != expected_departments * dimensions:
        problems.append(f"{len(frames['by_department'])} department × dimension scores")
    if len(frames["organisation"]) != dimensions:
        problems.append(f"{len(frames['organisation'])} organisation scores")
    if len(frames["perception_gap"]) != expected_departments * dimensions:
        problems.append(f"{len(frames['perception_gap'])} perception gaps")
    if frames["disagreements"].empty:
        problems.append("no disagreements, though the choices were spread")
    if problems:
        raise RuntimeError("results do not match the data built: " + "; ".join(problems))


def stages(campaign, *, warmup: int, repeat: int) -> list[tuple[int, str, float]]:
    """(depth, step, median seconds) of each step of the full path, timed alone. Read-only
    use of the loader's private helpers; the ``_answer_frame`` sub-steps repeat its few lines
    (DataFrame from the rows, then the dtype of three columns), and the rest of
    ``campaign_results`` is timed with both frame builders patched to return ready frames."""
    from unittest import mock

    import pandas as pd

    from maturity import scoring
    from results import loader

    departments = list(campaign.departments.order_by("name"))
    rows = raw_read(campaign.pk)
    raw_frame = pd.DataFrame.from_records(rows, columns=scoring.ANSWER_COLUMNS)
    answers = loader._answer_frame(campaign.pk)
    applicable = loader._applicable_frame(campaign.framework_id, departments)
    scale = scoring.Scale(campaign.framework.scale_min, campaign.framework.scale_max)
    respondents = scoring.respondent_scores(answers, applicable, scale)
    by_department = scoring.department_scores(respondents, scale)

    def rest_of_campaign_results():
        with (
            mock.patch.object(loader, "_answer_frame", lambda *_: answers),
            mock.patch.object(loader, "_applicable_frame", lambda *_: applicable),
        ):
            loader.campaign_results(campaign)

    steps = {
        (0, "campaign_results()"): lambda: loader.campaign_results(campaign),
        (1, "_answer_frame()"): lambda: loader._answer_frame(campaign.pk),
        (2, "SQL execute + fetchall (as b)"): lambda: raw_read(campaign.pk),
        (2, "DataFrame.from_records"): lambda: pd.DataFrame.from_records(
            rows, columns=scoring.ANSWER_COLUMNS
        ),
        (2, "weight.astype(float)"): lambda: raw_frame["weight"].astype(float),
        (2, "to_numeric(score).astype(float)"): lambda: pd.to_numeric(
            raw_frame["score"], errors="coerce"
        ).astype(float),
        (2, "is_na.astype(bool)"): lambda: raw_frame["is_na"].astype(bool),
        (1, "_applicable_frame()"): lambda: loader._applicable_frame(
            campaign.framework_id, departments
        ),
        (1, "the rest: 6 queries (departments, …)"): rest_of_campaign_results,
        (0, "respondent_scores"): lambda: scoring.respondent_scores(answers, applicable, scale),
        (0, "department_scores"): lambda: scoring.department_scores(respondents, scale),
        (0, "organisation_scores"): lambda: scoring.organisation_scores(by_department, scale),
        (0, "perception_gap"): lambda: scoring.perception_gap(respondents, scale),
        (0, "disagreements"): lambda: scoring.disagreements(answers),
    }
    seconds = timed(steps, warmup=warmup, repeat=repeat)
    return [(depth, label, statistics.median(seconds[depth, label])) for depth, label in steps]


# ---------------------------------------------------------------- report


def print_report(
    *,
    engine: str,
    built: Built,
    rows: int,
    full: list[float],
    raw: list[float],
    queries: list[str],
    small_queries: list[str],
    small: Built,
) -> bool:
    a, b = statistics.median(full), statistics.median(raw)
    ratio = a / b if b else float("inf")
    print()
    print(
        f"Scoring benchmark on {engine}: {built.responses:,} submitted responses "
        f"({built.responses - built.departments:,} managers + {built.departments} consultant "
        f"ratings) in {built.departments} departments, {built.answers:,} answers "
        f"({built.answers / built.responses:.1f} per response, {built.na} N/A); "
        f"{len(full)} timed runs after warm-up"
    )
    header = f"{'path':<44}{'rows':>8}{'queries':>9}{'median s':>10}{'min s':>9}{'max s':>9}"
    print(header)
    print("-" * len(header))
    for label, seconds, count in (
        ("(a) campaign_results + four score frames", full, len(queries)),
        ("(b) raw SQL read of the same rows", raw, 1),
    ):
        print(
            f"{label:<44}{rows:>8,}{count:>9}{statistics.median(seconds):>10.4f}"
            f"{min(seconds):>9.4f}{max(seconds):>9.4f}"
        )
    print(f"{'ratio a/b':<44}{'':>8}{'':>9}{ratio:>9.2f}×")
    print()
    fixed = len(queries) == len(small_queries)
    goals = [
        (f"(a) median ≤ {GOAL_SECONDS:.3f} s", f"{a:.4f} s", a <= GOAL_SECONDS),
        (f"(a) ≤ {GOAL_RATIO:.0f}× the raw read (b)", f"{ratio:.2f}×", ratio <= GOAL_RATIO),
        (
            "(a) queries fixed, whatever the size",
            f"{len(queries)} for {built.responses:,} responses, "
            f"{len(small_queries)} for {small.responses}",
            fixed,
        ),
    ]
    header = f"{'goal':<44}{'measured':<36}result"
    print(header)
    print("-" * len(header))
    for goal, measured, passed in goals:
        print(f"{goal:<44}{measured:<36}{'PASS' if passed else 'MISS'}")
    return all(passed for *_, passed in goals)


# ---------------------------------------------------------------- main


def benchmark(database_url: str, args) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = database_url
    # DEBUG stays off unless set: the developer's .env (DEBUG=1) is not read.
    os.environ.setdefault("LEVELCHECK_ENV_FILE", "")
    os.environ.setdefault("SECRET_KEY", BENCH_SECRET_KEY)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    from assessments.models import Campaign

    try:
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        framework = import_shipped_framework()
        rng = random.Random(SEED)
        built = build_campaign(
            framework,
            slug="large",
            departments=DEPARTMENTS,
            managers=args.managers,
            rng=rng,
        )
        small = build_campaign(
            framework, slug="small", departments=DEPARTMENTS[:2], managers=2, rng=rng
        )
        log(
            f"set up in {time.monotonic() - started:.1f} s: framework {framework.label}, "
            f"{built.responses:,} + {small.responses} responses, "
            f"{built.answers + small.answers:,} answers"
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

        def fetch(pk: int):  # as the results views do (selectors.campaign_for)
            return Campaign.objects.select_related("framework", "organisation").get(pk=pk)

        campaign, small_campaign = fetch(built.campaign_id), fetch(small.campaign_id)
        check_results(campaign, built, len(DEPARTMENTS))
        check_results(small_campaign, small, 2)
        queries = captured_queries(lambda: full_path(campaign))
        small_queries = captured_queries(lambda: full_path(small_campaign))
        log(f"SQL statements of (a): {len(queries)}")
        for sql in queries:
            log("    " + " ".join(sql.split())[:110])

        rows = len(raw_read(built.campaign_id))
        if rows != built.answers:
            raise RuntimeError(f"the raw read found {rows} rows, {built.answers} were built")
        seconds = timed(
            {"a": lambda: full_path(campaign), "b": lambda: raw_read(built.campaign_id)},
            warmup=args.warmup,
            repeat=args.repeat,
        )
        full, raw = seconds["a"], seconds["b"]
        engine = (
            f"{connection.display_name} {'.'.join(map(str, connection.get_database_version()))}"
        )
        met = print_report(
            engine=engine,
            built=built,
            rows=rows,
            full=full,
            raw=raw,
            queries=queries,
            small_queries=small_queries,
            small=small,
        )

        print("\nWhere (a) spends its time: each step timed alone, median ms")
        breakdown = stages(campaign, warmup=args.warmup, repeat=args.repeat)
        for depth, label, median in breakdown:
            print(f"  {'  ' * depth}{label:<{44 - 2 * depth}}{median * 1000:>9.2f}")
        total = sum(median for depth, _, median in breakdown if depth == 0)
        print(f"  {'sum of the top-level steps':<44}{total * 1000:>9.2f}")
        print(f"  {'(a) measured as a whole, above':<44}{statistics.median(full) * 1000:>9.2f}")

        if args.profile or not met:
            profile(lambda: full_path(campaign), label="(a)", runs=args.profile_runs, top=args.top)
        print()
    finally:
        connections.close_all()


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="run on a throwaway PostgreSQL cluster (devtools/throwaway_postgres.py), not SQLite",
    )
    parser.add_argument(
        "--managers",
        type=int,
        default=MANAGERS_PER_DEPARTMENT,
        help="managers per department of the large campaign (a smaller one for a quick check)",
    )
    parser.add_argument("--repeat", type=int, default=15, help="timed runs per path")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs first")
    parser.add_argument("--profile", action="store_true", help="profile (a) even if it passes")
    parser.add_argument("--profile-runs", type=int, default=5)
    parser.add_argument("--top", type=int, default=25, help="functions listed per profile")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    log(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    workdir = Path(tempfile.mkdtemp(prefix="levelcheck-bench-scoring-"))
    try:
        if args.postgres:
            from devtools.throwaway_postgres import throwaway_cluster

            with throwaway_cluster("levelcheck_bench") as cluster:
                benchmark(cluster.url, args)
        else:
            benchmark(f"sqlite:///{workdir / 'bench.sqlite3'}", args)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    log(f"done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
