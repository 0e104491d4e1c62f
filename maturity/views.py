from types import SimpleNamespace

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render

from .scoring_rules import ScoringRules
from .scoring_text import describe
from .selectors import framework_with_content, latest_published, published_frameworks


def framework_default(request):
    """The default level check, presented publicly."""
    framework = latest_published(settings.DEFAULT_FRAMEWORK_SLUG)
    if framework is None:
        framework = published_frameworks().first()
    if framework is None:
        raise Http404("No published framework yet.")
    return redirect("maturity:framework-detail", slug=framework.slug)


def _level_scale(framework) -> list:
    """Every step of the scale, with its Level row's title and description when the file
    gives them (format v2 may give none)."""
    given = {level.value: level for level in framework.levels.all()}
    return [
        given.get(value) or SimpleNamespace(value=value, title="", description="")
        for value in range(framework.scale_min, framework.scale_max + 1)
    ]


def _grouped(dimension) -> list:
    """The dimension's questions as ``(stream or None, questions, questions before)``,
    unstreamed first; the count before lets the numbering run on across streams."""
    groups: dict = {}
    for question in dimension.questions.all():
        groups.setdefault(question.stream, []).append(question)
    ordered = sorted(groups.items(), key=lambda g: (g[0] is not None, g[0] and g[0].order))
    out, before = [], 0
    for stream, questions in ordered:
        out.append((stream, questions, before))
        before += len(questions)
    return out


def _hierarchy(framework, dimensions) -> list:
    """Areas in order with their dimensions; dimensions without an area under ``None``."""
    areas = [(area, []) for area in framework.areas.all()]
    index = {area.pk: items for area, items in areas}
    loose = []
    for dimension in dimensions:
        index.get(dimension.area_id, loose).append(dimension)
    tree = [(area, items) for area, items in areas if items]
    return ([(None, loose)] if loose else []) + tree


def framework_detail(request, slug: str, version: int | None = None):
    """A published framework: its metadata and scoring rule, the level scale, and the areas,
    dimensions, streams, level descriptions and questions."""
    frameworks = published_frameworks().filter(slug=slug)
    if version is not None:
        frameworks = frameworks.filter(version=version)
    framework = frameworks.first()
    if framework is None:
        raise Http404("No such published framework.")
    framework = framework_with_content(framework.pk)
    versions = published_frameworks().filter(slug=slug).values_list("version", "version_label")
    dimensions = list(framework.dimensions.all())
    prefetch_related_objects(dimensions, "streams", "questions__stream")
    for dimension in dimensions:
        dimension.groups = _grouped(dimension)
        dimension.described_levels = [
            level for level in dimension.levels.all() if level.description
        ]
    for number, dimension in enumerate(dimensions, start=1):
        dimension.number = number
    hierarchy = _hierarchy(framework, dimensions)
    rules = ScoringRules.from_data(framework.scoring)
    return render(
        request,
        "maturity/framework_detail.html",
        {
            "framework": framework,
            "levels": _level_scale(framework),
            "dimensions": dimensions,
            "hierarchy": hierarchy,
            "has_areas": any(area is not None for area, _items in hierarchy),
            "scoring": describe(
                rules,
                (framework.scale_min, framework.scale_max),
                areas=any(area is not None for area, _items in hierarchy),
            ),
            "question_count": sum(len(d.questions.all()) for d in dimensions),
            "versions": [
                {"number": number, "label": label or str(number)} for number, label in versions
            ],
            "is_latest": version is None,
        },
    )
