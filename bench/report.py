"""Report benchmark: the full organisation PDF report of a 10-department campaign.

Why: consultants generate the report from the web in the background; the goal (from the
issue) is that the full report — 10 departments × the framework's dimensions, plus the
study-session appendix — builds in at most 1.5 s and weighs at most 2 MB.

What it does: a throwaway SQLite database, the shipped framework and training modules, one
organisation with 10 departments of 3 managers each and a consultant rating every
department (bench/campaign_data.py), all submitted; then it builds the report
through ``reports.campaign_report.build_campaign_report`` several times after a warm-up and
prints the median time, the page count and the size, with PASS/MISS per goal.

Run from the project root: ``.venv/bin/python bench/report.py [--repeat N] [--lang en]``.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOAL_SECONDS = 1.5
GOAL_BYTES = 2 * 1024 * 1024


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--lang", choices=["ja", "en"], default="ja")
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

        from assessments.models import Campaign
        from bench.campaign_data import DEPARTMENTS, build_campaign, import_shipped_framework
        from reports.campaign_report import build_campaign_report

        call_command("migrate", interactive=False, verbosity=0)
        call_command("import_modules", verbosity=0)
        framework = import_shipped_framework()
        built = build_campaign(
            framework, slug="report", departments=DEPARTMENTS, managers=3, rng=random.Random(7)
        )
        campaign = Campaign.objects.get(pk=built.campaign_id)
        print(
            f"[bench] report of {built.departments} departments, {built.responses} responses, "
            f"{len(framework.dimensions.all())} dimensions, language {args.lang}"
        )
        build_campaign_report(campaign, language=args.lang)  # warm-up: fonts, imports
        times, pdf = [], b""
        for _ in range(args.repeat):
            started = time.perf_counter()
            pdf = build_campaign_report(campaign, language=args.lang)
            times.append(time.perf_counter() - started)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        median = statistics.median(times)
        print(f"{'runs':<10}{'median s':>10}{'min s':>10}{'max s':>10}{'pages':>8}{'size':>12}")
        print(
            f"{len(times):<10}{median:>10.3f}{min(times):>10.3f}{max(times):>10.3f}"
            f"{pages:>8}{len(pdf):>12,}"
        )
        print(f"goal: median ≤ {GOAL_SECONDS} s: {'PASS' if median <= GOAL_SECONDS else 'MISS'}")
        print(f"goal: size ≤ 2 MB: {'PASS' if len(pdf) <= GOAL_BYTES else 'MISS'}")
        return 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
