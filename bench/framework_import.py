"""Framework import benchmark: a 100-dimension, 1,000-question format v2 file read, checked
and imported on SQLite, against merely parsing the same YAML.

Why: issue #14 asks that a framework of that size imports in at most 5 s. The import is
``maturity.framework_file.load_framework_file`` (the bounded YAML loader, the JSON Schema and
the rules beyond it) and ``maturity.framework_io.import_framework`` (bulk inserts in one
transaction). The floor, measured in the same run, is ``yaml.load`` of the same text with
PyYAML's CSafeLoader (libyaml's parser and composer, Python's constructor: the fastest plain
read PyYAML offers, no checks): the ratio says what checking and writing cost on top of
reading. The pure-Python SafeLoader's time is printed beside it for scale.

The file (``synthetic_framework``; tests/maturity/test_scale.py builds it too) has 10 areas,
100 dimensions of two streams each, 1,000 questions with 5 choices each (half from two shared
answer sets on 0–1, half their own choices on their own 0–4 range), bilingual texts, a
declared ``mean_of_streams`` rule, and guidance and criteria on every tenth question.

Run from the project root: ``.venv/bin/python bench/framework_import.py [--dimensions N]
[--questions-per-dimension N] [--repeat N]``. Exits 0 whether or not the goal is met.
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
sys.path.insert(0, str(ROOT))  # run as a script: make ``bench`` and the apps importable

GOAL_SECONDS = 5.0
BENCH_SECRET_KEY = "levelcheck-bench-only-not-a-secret"


def _text(en: str, ja: str) -> dict[str, str]:
    return {"en": en, "ja": ja}


def synthetic_framework(
    dimensions: int = 100, questions_per_dimension: int = 10, *, slug: str = "synthetic"
) -> dict:
    """A valid format v2 framework file as data, of the given size (see the module docstring)."""
    steps = (0, 0.25, 0.5, 0.75, 1)
    answer_sets = [
        {
            "code": code,
            "title": _text(f"Set {code}", f"セット{code}"),
            "values": {"min": 0, "max": 1},
            "choices": [
                {"label": _text(f"{code} {i}", f"{code}の{i}"), "value": value}
                for i, value in enumerate(steps)
            ],
        }
        for code in ("degree", "Coverage")
    ]
    areas = max(1, dimensions // 10)
    dims = []
    for d in range(dimensions):
        code = f"D{d:03d}"
        questions = []
        for q in range(questions_per_dimension):
            question: dict = {
                "code": f"{code}-{q + 1}-{'AB'[q % 2]}",
                "stream": "AB"[q % 2],
                "level": 1 + q % 3,
                "text": _text(
                    f"Question {q + 1} of dimension {d}: is this practice in place?",
                    f"次元{d}の質問{q + 1}: この実践は定着していますか？",
                ),
            }
            if q % 10 == 0:
                question["guidance"] = _text(
                    "Look for **written** evidence.", "**文書化された**証拠を確認します。"
                )
                question["criteria"] = [_text("Written", "文書化"), _text("Reviewed", "見直し")]
            if q % 2 == 0:
                question["answer_set"] = answer_sets[(d + q) % 2]["code"]
            else:
                question["values"] = {"min": 0, "max": 4}
                question["choices"] = [
                    {"label": _text(f"Option {v}", f"選択肢{v}"), "value": v} for v in range(5)
                ]
            questions.append(question)
        dims.append(
            {
                "code": code,
                "area": f"A{d % areas}",
                "title": _text(f"Dimension {d}", f"次元{d}"),
                "streams": [
                    {"code": "A", "title": _text("Create", "策定")},
                    {"code": "B", "title": _text("Measure", "測定")},
                ],
                "levels": [
                    {"level": level, "description": _text(f"Level {level}", f"レベル{level}")}
                    for level in (1, 2, 3)
                ],
                "questions": questions,
            }
        )
    return {
        "format": "levelcheck-framework/2",
        "slug": slug,
        "version": "1.0.0",
        "status": "published",
        "languages": ["en", "ja"],
        "title": _text("Synthetic model", "合成モデル"),
        "licence": "CC0-1.0",
        "scale": {"min": 0, "max": 3},
        "scoring": {"dimension": "mean_of_streams", "stream": "mean", "unanswered": 0},
        "answer_sets": answer_sets,
        "areas": [{"code": f"A{a}", "title": _text(f"Area {a}", f"領域{a}")} for a in range(areas)],
        "dimensions": dims,
    }


def synthetic_file(dimensions: int = 100, questions_per_dimension: int = 10, **kw) -> bytes:
    """The synthetic framework written as a YAML file."""
    import yaml

    data = synthetic_framework(dimensions, questions_per_dimension, **kw)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


def _setup(database: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("LEVELCHECK_ENV_FILE", "")
    os.environ.setdefault("SECRET_KEY", BENCH_SECRET_KEY)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dimensions", type=int, default=100)
    parser.add_argument("--questions-per-dimension", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="levelcheck-bench-") as tmp:
        _setup(Path(tmp) / "bench.sqlite3")
        import yaml
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from maturity.framework_file import load_framework_file
        from maturity.framework_io import import_framework
        from maturity.models import Framework

        content = synthetic_file(args.dimensions, args.questions_per_dimension)
        text = content.decode("utf-8")
        floors, pure, loads, imports, totals, queries = [], [], [], [], [], 0
        floor_loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        for run in range(args.repeat):
            Framework.objects.all().delete()
            started = time.perf_counter()
            yaml.load(text, Loader=floor_loader)  # noqa: S506 - a safe loader
            floors.append(time.perf_counter() - started)
            started = time.perf_counter()
            yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506 - the safe loader
            pure.append(time.perf_counter() - started)
            started = time.perf_counter()
            data = load_framework_file(content, source="synthetic.yaml")
            loaded = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                framework = import_framework(data, source="synthetic.yaml")
            done = time.perf_counter()
            loads.append(loaded - started)
            imports.append(done - loaded)
            totals.append(done - started)
            queries = len(captured.captured_queries)
            if run == 0:
                questions = framework.questions.count()
        floor, total = statistics.median(floors), statistics.median(totals)
        ratio = total / floor if floor else float("inf")
        print()
        print(
            f"Framework import on SQLite: {args.dimensions} dimensions, {questions:,} questions, "
            f"{len(content):,} bytes; median of {args.repeat} runs"
        )
        rows = (
            (f"floor: yaml.load ({floor_loader.__name__})", floor),
            ("(for scale: yaml.load, pure-Python SafeLoader)", statistics.median(pure)),
            ("load + validate (load_framework_file)", statistics.median(loads)),
            (f"import ({queries} queries)", statistics.median(imports)),
            ("load + validate + import", total),
        )
        for label, seconds in rows:
            print(f"  {label:<46}{seconds:>8.3f} s")
        verdict = "PASS" if total <= GOAL_SECONDS else "MISS"
        print(f"  ratio to the floor: {ratio:.2f}×; goal ≤ {GOAL_SECONDS:.0f} s: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
