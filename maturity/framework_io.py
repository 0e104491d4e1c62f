"""Framework files ↔ database: import a validated file's data, export a version back.

Export is canonical (fixed key order, texts always as language mappings, defaults left
out), so export → import into an empty database → export gives an identical file.
"""

from decimal import Decimal

import yaml
from django.db import transaction
from django.db.models import Prefetch

from .framework_file import (
    FORMAT,
    LANGUAGE_CODES,
    FrameworkFileError,
    Problem,
    primary_language,
)
from .models import (
    Area,
    Choice,
    Dimension,
    DimensionLevel,
    Framework,
    Level,
    Question,
    Recommendation,
)


def _texts(value, primary: str) -> dict[str, str]:
    """A file text (plain string or language mapping) as {language: text} for every language."""
    texts = {primary: value} if isinstance(value, str) else dict(value)
    return {lang: (texts.get(lang) or "").strip() for lang in LANGUAGE_CODES}


def _translated(field: str, value, primary: str) -> dict[str, str]:
    """Keyword arguments for a translated model field, e.g. title_ja=…, title_en=…."""
    if value is None:
        value = {}
    return {f"{field}_{lang}": text for lang, text in _texts(value, primary).items()}


def refuse_existing_version(data: dict, *, source: str) -> None:
    """Raise FrameworkFileError when the file's slug and version are already imported."""
    slug, version = data["slug"], data["version"]
    if Framework.objects.filter(slug=slug, version=version).exists():
        raise FrameworkFileError(
            source,
            [
                Problem(
                    "version",
                    f"framework {slug!r} version {version} already exists; versions are never "
                    "overwritten: give the changed file a new version number",
                )
            ],
        )


@transaction.atomic
def import_framework(data: dict, *, source: str = "<data>") -> Framework:
    """Write a validated framework file's data as a new framework version, all or nothing.

    Refuses (FrameworkFileError) a slug and version that already exist: a version is
    never overwritten or duplicated.
    """
    refuse_existing_version(data, source=source)
    slug, version = data["slug"], data["version"]
    primary = primary_language(data)
    framework = Framework.objects.create(
        slug=slug,
        version=version,
        status=Framework.Status.DRAFT,
        languages=list(data.get("languages", [])),
        scale_min=data["scale"]["min"],
        scale_max=data["scale"]["max"],
        **_translated("title", data["title"], primary),
        **_translated("description", data.get("description"), primary),
    )
    Level.objects.bulk_create(
        Level(
            framework=framework,
            value=level["level"],
            **_translated("title", level["title"], primary),
            **_translated("description", level.get("description"), primary),
        )
        for level in data["levels"]
    )
    areas = {
        area.code: area
        for area in Area.objects.bulk_create(
            Area(
                framework=framework,
                code=item["code"],
                order=order,
                **_translated("title", item["title"], primary),
                **_translated("description", item.get("description"), primary),
            )
            for order, item in enumerate(data.get("areas", []))
        )
    }
    dimensions = Dimension.objects.bulk_create(
        Dimension(
            framework=framework,
            area=areas.get(item.get("area")),
            code=item["code"],
            order=order,
            **_translated("title", item["title"], primary),
            **_translated("description", item.get("description"), primary),
        )
        for order, item in enumerate(data["dimensions"])
    )
    level_rows, recommendation_texts, questions, choice_lists = [], [], [], []
    for dimension, item in zip(dimensions, data["dimensions"], strict=True):
        for dim_level in item["levels"]:
            level_rows.append(
                DimensionLevel(
                    dimension=dimension,
                    level=dim_level["level"],
                    **_translated("description", dim_level["description"], primary),
                )
            )
            recommendation_texts.append(dim_level.get("recommendations", []))
        for order, q in enumerate(item["questions"]):
            questions.append(
                Question(
                    framework=framework,
                    dimension=dimension,
                    code=q["code"],
                    order=order,
                    weight=Decimal(str(q.get("weight", 1))),
                    functions=list(q.get("functions", [])),
                    allow_na=q.get("allow_na", False),
                    **_translated("text", q["text"], primary),
                    **_translated("acquisition_pole", q["acquisition_pole"], primary),
                    **_translated("engagement_pole", q["engagement_pole"], primary),
                    **_translated("help_text", q.get("help"), primary),
                )
            )
            choice_lists.append(q["choices"])
    DimensionLevel.objects.bulk_create(level_rows)
    Recommendation.objects.bulk_create(
        Recommendation(dimension_level=row, order=order, **_translated("text", text, primary))
        for row, texts in zip(level_rows, recommendation_texts, strict=True)
        for order, text in enumerate(texts)
    )
    Question.objects.bulk_create(questions)
    Choice.objects.bulk_create(
        Choice(
            question=question,
            order=order,
            score=Decimal(str(choice["score"])),
            **_translated("label", choice["label"], primary),
        )
        for question, choices in zip(questions, choice_lists, strict=True)
        for order, choice in enumerate(choices)
    )
    if data.get("status", "draft") == Framework.Status.PUBLISHED:
        framework.status = Framework.Status.PUBLISHED
        framework.save()
    return framework


def _export_text(obj, field: str, languages: list[str]) -> dict[str, str]:
    order = [*languages, *(lang for lang in LANGUAGE_CODES if lang not in languages)]
    return {
        lang: getattr(obj, f"{field}_{lang}")
        for lang in order
        if getattr(obj, f"{field}_{lang}", "")
    }


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def export_framework(framework: Framework) -> dict:
    """The framework version as canonical file data (see the module docstring)."""
    framework = (
        Framework.objects.filter(pk=framework.pk)
        .prefetch_related(
            "levels",
            "areas",
            Prefetch(
                "dimensions",
                queryset=Dimension.objects.select_related("area").prefetch_related(
                    "levels__recommendations", "questions__choices"
                ),
            ),
        )
        .get()
    )
    langs = list(framework.languages)

    def text(obj, field: str) -> dict[str, str]:
        return _export_text(obj, field, langs)

    def with_optional(base: dict, **optional) -> dict:
        base.update({key: value for key, value in optional.items() if value})
        return base

    data: dict = {"format": FORMAT, "slug": framework.slug, "version": framework.version}
    data["status"] = framework.status
    if langs:
        data["languages"] = langs
    data["title"] = text(framework, "title")
    with_optional(data, description=text(framework, "description"))
    data["scale"] = {"min": framework.scale_min, "max": framework.scale_max}
    data["levels"] = [
        with_optional(
            {"level": level.value, "title": text(level, "title")},
            description=text(level, "description"),
        )
        for level in framework.levels.all()
    ]
    areas = [
        with_optional(
            {"code": area.code, "title": text(area, "title")},
            description=text(area, "description"),
        )
        for area in framework.areas.all()
    ]
    if areas:
        data["areas"] = areas
    data["dimensions"] = [
        _export_dimension(dimension, text) for dimension in framework.dimensions.all()
    ]
    return data


def _export_dimension(dimension: Dimension, text) -> dict:
    out: dict = {"code": dimension.code}
    if dimension.area_id:
        out["area"] = dimension.area.code
    out["title"] = text(dimension, "title")
    if description := text(dimension, "description"):
        out["description"] = description
    out["levels"] = []
    for dim_level in dimension.levels.all():
        entry = {"level": dim_level.level, "description": text(dim_level, "description")}
        recommendations = [text(r, "text") for r in dim_level.recommendations.all()]
        if recommendations:
            entry["recommendations"] = recommendations
        out["levels"].append(entry)
    out["questions"] = []
    for question in dimension.questions.all():
        q: dict = {
            "code": question.code,
            "text": text(question, "text"),
            "acquisition_pole": text(question, "acquisition_pole"),
            "engagement_pole": text(question, "engagement_pole"),
        }
        if help_text := text(question, "help_text"):
            q["help"] = help_text
        if question.weight != 1:
            q["weight"] = _number(question.weight)
        if question.functions:
            q["functions"] = list(question.functions)
        if question.allow_na:
            q["allow_na"] = True
        q["choices"] = [
            {"label": text(choice, "label"), "score": _number(choice.score)}
            for choice in question.choices.all()
        ]
        out["questions"].append(q)
    return out


class _IndentedDumper(yaml.SafeDumper):
    """Indents list items under their key, as people write framework files by hand."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def dump_framework_yaml(data: dict) -> str:
    """Canonical YAML text for framework file data."""
    return yaml.dump(
        data,
        Dumper=_IndentedDumper,
        allow_unicode=True,
        sort_keys=False,
        width=100_000,
        default_flow_style=False,
    )
