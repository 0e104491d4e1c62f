"""Report benchmark: the organisation PDF report, timed against bare reportlab in the same run.

Why: consultants generate the report from the web in the background; the goal (issue 15) is a
report built at close to reportlab's own speed: per page at most 1.5× a bare reportlab
platypus build of the same content, data read and scoring included; and 50 departments in at
most 10 s and 300 MB. Timing against reportlab in the same run makes the figure independent of
how loaded the machine is.

What it does: a throwaway SQLite database, the shipped framework and training modules, one
organisation with N departments (10, or ``--departments``) of 3 managers each and a
consultant rating every department (bench/campaign_data.py), all submitted. For each language
(ja and en) one LevelCheck build is captured and its story turned into plain content
(bench/report_bare.py: the same texts, tables and chart Drawings); then LevelCheck's full build
(``reports.campaign_report.build_campaign_report``: data read, scoring, charts, layout) and the
bare reportlab build of that content take turns, after a warm-up, and the medians are printed
with pages, seconds a page, size, the ratio and the process's peak RSS, with PASS/MISS per goal.

Run from the project root: ``.venv/bin/python bench/report.py [--repeat N] [--departments 50]
[--profile N]`` (``--profile`` prints where LevelCheck's build spends its time).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOAL_RATIO = 1.5
GOAL_BYTES = 2 * 1024 * 1024
GOAL_50_SECONDS, GOAL_50_MB = 10.0, 300.0
LANGUAGES = ("ja", "en")


def _departments(count: int) -> list[tuple[str, str]]:
    from bench.campaign_data import DEPARTMENTS

    rounds = -(-count // len(DEPARTMENTS))
    names = [
        (name if r == 0 else f"{name} ({r + 1})", function)
        for r in range(rounds)
        for name, function in DEPARTMENTS
    ]
    return names[:count]


def _slowed(build, *args):
    from reports.document import collector_slowed

    with collector_slowed():
        return build(*args)


def _one_build_peak_mb(build) -> float:
    """The peak RSS of a fresh process (forked from this one before any build: Django, the
    data, no fonts or caches yet) that builds one report: what a report worker needs."""
    from django.db import connections

    connections.close_all()  # the child opens its own connection to the SQLite file
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: one build, then its peak, and out
        os.close(read)
        status = 1
        try:
            build()
            os.write(write, str(_peak_rss_mb()).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    with os.fdopen(read) as pipe:
        reported = pipe.read()
    os.waitpid(pid, 0)
    return float(reported) if reported else float("nan")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--departments", type=int, default=10)
    parser.add_argument("--profile", type=int, default=0, metavar="RUNS")
    parser.add_argument("--top", type=int, default=30, help="functions listed per profile")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="levelcheck-bench-report-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("LEVELCHECK_ENV_FILE", "")  # not the developer's .env (DEBUG=1)
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from pypdf import PdfReader
        from reportlab.platypus.doctemplate import LayoutError

        from assessments.models import Campaign
        from bench.campaign_data import build_campaign, import_shipped_framework
        from bench.report_bare import bare_content, build_bare, capture
        from bench.timing import profile, timed
        from reports.campaign_report import build_campaign_report

        call_command("migrate", interactive=False, verbosity=0)
        call_command("import_modules", verbosity=0)
        framework = import_shipped_framework()
        built = build_campaign(
            framework,
            slug="report",
            departments=_departments(args.departments),
            managers=3,
            rng=random.Random(7),
        )
        campaign = Campaign.objects.get(pk=built.campaign_id)
        print(
            f"[bench] report of {built.departments} departments, {built.responses} responses, "
            f"{len(framework.dimensions.all())} dimensions; LevelCheck against bare reportlab "
            f"(same content, wordWrap='CJK'), {args.repeat} runs each after a warm-up"
        )
        fns, pages, sizes, split = {}, {}, {}, {}
        worker_mb = {
            lang: _one_build_peak_mb(
                lambda lang=lang: build_campaign_report(campaign, language=lang)
            )
            for lang in LANGUAGES
        }
        for lang in LANGUAGES:

            def levelcheck(lang=lang):
                return build_campaign_report(campaign, language=lang)

            try:
                capture(levelcheck)  # warm-up: fonts, imports, caches
            except LayoutError as error:
                print(f"[bench] {lang}: the report does not build: {str(error)[:160]}")
                print(f"goal: {args.departments} departments: MISS (no report)")
                return 1
            captured = capture(levelcheck)
            split[lang] = (captured.seconds - captured.layout_seconds, captured.layout_seconds)
            content = bare_content(captured.story)
            if content.copied:
                print(f"[bench] {lang}: laid out as they are in the bare build: {content.copied}")
            bare_pdf, _ = build_bare(content)
            pages[f"levelcheck {lang}"] = len(PdfReader(io.BytesIO(captured.pdf)).pages)
            pages[f"bare {lang}"] = len(PdfReader(io.BytesIO(bare_pdf)).pages)
            sizes[f"levelcheck {lang}"], sizes[f"bare {lang}"] = len(captured.pdf), len(bare_pdf)
            fns[f"levelcheck {lang}"] = levelcheck
            fns[f"bare {lang}"] = lambda content=content: build_bare(content)
            # LevelCheck slows Python's cycle collector while it builds
            # (reports.document.collector_slowed); the same on the bare build shows
            # how much of the ratio is that alone.
            pages[f"bare {lang} slowed gc"] = pages[f"bare {lang}"]
            sizes[f"bare {lang} slowed gc"] = sizes[f"bare {lang}"]
            fns[f"bare {lang} slowed gc"] = lambda content=content: _slowed(build_bare, content)
        # CPU seconds of this process: every build is single-threaded and in-process (SQLite
        # included), so other work on the machine changes these far less than wall time.
        seconds = timed(fns, warmup=1, repeat=args.repeat, clock=time.process_time)
        median = {label: statistics.median(s) for label, s in seconds.items()}
        print(
            f"{'build (CPU s)':<22}{'median s':>10}{'min s':>9}{'pages':>7}{'ms/page':>9}"
            f"{'size':>11}"
        )
        for label in fns:
            print(
                f"{label:<22}{median[label]:>10.3f}{min(seconds[label]):>9.3f}"
                f"{pages[label]:>7}{median[label] / pages[label] * 1000:>9.1f}"
                f"{sizes[label]:>11,}"
            )
        for lang in LANGUAGES:
            ours = median[f"levelcheck {lang}"] / pages[f"levelcheck {lang}"]
            bare = median[f"bare {lang}"] / pages[f"bare {lang}"]
            ratio = ours / bare
            print(
                f"{lang}: per-page time vs bare reportlab: {ratio:.2f}× "
                f"(goal ≤ {GOAL_RATIO}×: {'PASS' if ratio <= GOAL_RATIO else 'MISS'})"
            )
            paused = median[f"bare {lang} slowed gc"] / pages[f"bare {lang}"]
            print(
                f"{lang}: per-page time vs bare reportlab with its collector slowed too: "
                f"{ours / paused:.2f}×"
            )
        for lang, (story, layout) in split.items():
            print(
                f"{lang}: one LevelCheck build: data, scoring, charts and story {story:.3f} s, "
                f"platypus layout and drawing {layout:.3f} s"
            )
        biggest = max(sizes[f"levelcheck {lang}"] for lang in LANGUAGES)
        print(f"goal: size ≤ 2 MB: {'PASS' if biggest <= GOAL_BYTES else 'MISS'}")
        print(
            f"peak RSS of the whole benchmark process: {_peak_rss_mb():.0f} MB; of a fresh "
            "process building one report: "
            + ", ".join(f"{lang} {mb:.0f} MB" for lang, mb in worker_mb.items())
        )
        rss = max(worker_mb.values())
        if args.departments >= 50:
            slowest = max(median[f"levelcheck {lang}"] for lang in LANGUAGES)
            fits = slowest <= GOAL_50_SECONDS and rss <= GOAL_50_MB
            print(
                f"goal: {args.departments} departments ≤ {GOAL_50_SECONDS:.0f} s and "
                f"≤ {GOAL_50_MB:.0f} MB: {'PASS' if fits else 'MISS'} "
                f"({slowest:.2f} s, {rss:.0f} MB)"
            )
        for lang in LANGUAGES if args.profile else ():
            label = f"levelcheck {lang}"
            profile(fns[label], label=label, runs=args.profile, top=args.top)
        return 0  # a benchmark reports figures; it does not fail the build
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
