"""Framework files ↔ database: import a validated file's data, export a version back.

Export is canonical (fixed key order, texts always as language mappings, defaults left
out), so export → import into an empty database → export gives an identical file.
"""

import sqlite3
from contextlib import contextmanager
from decimal import Decimal

import yaml
from django.db import connection, transaction
from django.db.models import Max, Prefetch

from .business_models import VARIANT_TEXTS, BusinessModel
from .framework_file import (
    FORMAT,
    FORMAT_V2,
    LANGUAGE_CODES,
    FrameworkFileError,
    Problem,
    primary_language,
)
from .models import (
    AnswerSet,
    Area,
    Choice,
    Dimension,
    DimensionLevel,
    Framework,
    Level,
    Question,
    Recommendation,
    Stream,
)
from .scopes import QuestionScope


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
    """Raise FrameworkFileError when the file's slug and version are already imported: a
    version string (v2) is compared with the version labels, an integer with the numbers."""
    slug, version = data["slug"], data["version"]
    if isinstance(version, str):
        exists = Framework.objects.filter(slug=slug, version_label=version).exists()
    else:
        exists = Framework.objects.filter(slug=slug, version=version).exists()
    if exists:
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


def _version_number(data: dict) -> tuple[int, str]:
    """(sequence number, label): the file's integer, or the next free number of the slug for
    a version string such as "2.2.0" (kept as the label)."""
    version = data["version"]
    if not isinstance(version, str):
        return version, ""
    latest = Framework.objects.filter(slug=data["slug"]).aggregate(v=Max("version"))["v"]
    return (latest or 0) + 1, version


def _criteria(items: list, primary: str) -> list[dict[str, str]]:
    return [{k: v for k, v in _texts(item, primary).items() if v} for item in items]


def _references(items: list, primary: str) -> list[dict]:
    out = []
    for item in items:
        reference = {}
        if "title" in item:
            reference["title"] = {k: v for k, v in _texts(item["title"], primary).items() if v}
        reference["url"] = item["url"]
        out.append(reference)
    return out


@contextmanager
def _whole_batches():
    """Let SQLite take each bulk insert in one statement, as its connection allows.

    Django's SQLite backend assumes SQLite's historical limit of 999 variables a statement
    and splits a 5,000-choice insert into some 40; SQLite since 3.32 allows 32,766 (Debian's
    build 250,000), which the connection reports. Other databases are left as they are.
    """
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    features = connection.features
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    features.max_query_params = max(limit, type(features).max_query_params)
    try:
        yield
    finally:
        del features.max_query_params  # back to the class's value


def import_framework(data: dict, *, source: str = "<data>") -> Framework:
    """Write a validated framework file's data (format v1 or v2) as a new framework
    version, all or nothing, in a number of queries that does not grow with the file
    (within the database's limit on values per statement).

    Refuses (FrameworkFileError) a slug and version that already exist: a version is
    never overwritten or duplicated.
    """
    with _whole_batches(), transaction.atomic():
        return _import(data, source=source)


def _import(data: dict, *, source: str) -> Framework:
    refuse_existing_version(data, source=source)
    v2 = data["format"] == FORMAT_V2
    version, label = _version_number(data)
    primary = primary_language(data)
    framework = Framework.objects.create(
        slug=data["slug"],
        version=version,
        version_label=label,
        file_format=2 if v2 else 1,
        status=Framework.Status.DRAFT,
        languages=list(data.get("languages", [])),
        scale_min=data["scale"]["min"],
        scale_max=data["scale"]["max"],
        licence=data.get("licence", ""),
        source_url=data.get("source_url", ""),
        external_ids=dict(data.get("external_ids", {})),
        scoring=dict(data.get("scoring", {})),
        # v1 versions always show the step numbers; v2 hides them unless the file says so.
        show_step_numbers=data.get("presentation", {}).get("show_step_numbers", False)
        if v2
        else True,
        **_translated("instruction", data.get("presentation", {}).get("instruction"), primary),
        **_translated("title", data["title"], primary),
        **_translated("description", data.get("description"), primary),
        **_translated("attribution", data.get("attribution"), primary),
    )
    Level.objects.bulk_create(
        Level(
            framework=framework,
            value=level["level"],
            **_translated("title", level.get("title"), primary),
            **_translated("description", level.get("description"), primary),
        )
        for level in data.get("levels", [])
    )
    answer_sets = {
        answer_set.code: answer_set
        for answer_set in AnswerSet.objects.bulk_create(
            AnswerSet(
                framework=framework,
                code=item["code"],
                order=order,
                value_min=Decimal(str(item["values"]["min"])),
                value_max=Decimal(str(item["values"]["max"])),
                choices=[
                    {"label": _criteria([c["label"]], primary)[0], "value": c["value"]}
                    for c in item["choices"]
                ],
                **_translated("title", item.get("title"), primary),
            )
            for order, item in enumerate(data.get("answer_sets", []))
        )
    }
    set_choices = {item["code"]: item["choices"] for item in data.get("answer_sets", [])}
    areas = {
        area.code: area
        for area in Area.objects.bulk_create(
            Area(
                framework=framework,
                code=item["code"],
                order=order,
                weight=Decimal(str(item.get("weight", 1))),
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
            weight=Decimal(str(item.get("weight", 1))),
            **_translated("title", item["title"], primary),
            **_translated("description", item.get("description"), primary),
        )
        for order, item in enumerate(data["dimensions"])
    )
    streams = Stream.objects.bulk_create(
        Stream(
            dimension=dimension,
            code=stream["code"],
            order=order,
            **_translated("title", stream.get("title"), primary),
            **_translated("description", stream.get("description"), primary),
        )
        for dimension, item in zip(dimensions, data["dimensions"], strict=True)
        for order, stream in enumerate(item.get("streams", []))
    )
    stream_of = {(s.dimension_id, s.code): s for s in streams}
    level_rows, recommendation_texts, questions, choice_lists = [], [], [], []
    for dimension, item in zip(dimensions, data["dimensions"], strict=True):
        for dim_level in item.get("levels", []):
            level_rows.append(
                DimensionLevel(
                    dimension=dimension,
                    level=dim_level["level"],
                    **_translated("description", dim_level.get("description"), primary),
                )
            )
            recommendation_texts.append(dim_level.get("recommendations", []))
        for order, q in enumerate(item["questions"]):
            question = Question(
                framework=framework,
                dimension=dimension,
                code=q["code"],
                order=order,
                weight=Decimal(str(q.get("weight", 1))),
                functions=list(q.get("functions", [])),
                allow_na=q.get("allow_na", False),
                **_translated("text", q["text"], primary),
                **_translated("acquisition_pole", q.get("acquisition_pole"), primary),
                **_translated("engagement_pole", q.get("engagement_pole"), primary),
                **_translated("help_text", q.get("help"), primary),
            )
            if v2:
                _fill_v2_question(question, q, primary, stream_of, answer_sets)
            questions.append(question)
            if "answer_set" in q:
                choice_lists.append([_v1_choice(c) for c in set_choices[q["answer_set"]]])
            else:
                choice_lists.append([_v1_choice(c) for c in q["choices"]])
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
            score=Decimal(str(score)),
            **_translated("label", label, primary),
        )
        for question, choices in zip(questions, choice_lists, strict=True)
        for order, (label, score) in enumerate(choices)
    )
    if data.get("status", "draft") == Framework.Status.PUBLISHED:
        framework.status = Framework.Status.PUBLISHED
        framework.save()
    return framework


def _v1_choice(choice: dict) -> tuple:
    """(label, score) of a choice: v1 writes ``score``, v2 ``value``; both land in
    Choice.score as written."""
    return choice["label"], choice["score"] if "score" in choice else choice["value"]


def _fill_v2_question(
    question: Question, q: dict, primary: str, stream_of: dict, answer_sets: dict
) -> None:
    question.level = q.get("level")
    question.stream = stream_of.get((question.dimension.pk, q.get("stream")))
    question.criteria = _criteria(q.get("criteria", []), primary)
    question.business_models = list(q.get("business_models", []))
    question.scope = q.get("scope", QuestionScope.DEPARTMENT)
    question.variants = _variants(q.get("variants", {}), primary)
    question.references = _references(q.get("references", []), primary)
    for field, text in _translated("guidance", q.get("guidance"), primary).items():
        setattr(question, field, text)
    if "answer_set" in q:
        answer_set = answer_sets[q["answer_set"]]
        question.answer_set = answer_set
        question.value_min, question.value_max = answer_set.value_min, answer_set.value_max
    elif "values" in q:
        question.value_min = Decimal(str(q["values"]["min"]))
        question.value_max = Decimal(str(q["values"]["max"]))


def _variant_texts(value, primary: str) -> dict[str, str]:
    return {lang: text for lang, text in _texts(value, primary).items() if text}


def _variants(variants: dict, primary: str) -> dict:
    """A file's ``variants`` as stored: every text a {language: text} mapping."""
    out = {}
    for code, variant in variants.items():
        stored = {
            field: _variant_texts(variant[field], primary)
            for field in VARIANT_TEXTS
            if field in variant
        }
        if "choices" in variant:
            stored["choices"] = [
                {"label": _variant_texts(choice["label"], primary)} for choice in variant["choices"]
            ]
        out[code] = stored
    return out


def _export_variants(variants: dict, langs: list[str]) -> dict:
    """Stored variants in canonical order: business models as BusinessModel lists them,
    then texts as the docs list them (a jsonb column keeps neither order)."""
    out = {}
    for code in [*BusinessModel.values, *sorted(set(variants) - set(BusinessModel.values))]:
        if code not in variants:
            continue
        variant = variants[code]
        entry = {
            field: _ordered(variant[field], langs) for field in VARIANT_TEXTS if field in variant
        }
        if "choices" in variant:
            entry["choices"] = [
                {"label": _ordered(choice.get("label", {}), langs)} for choice in variant["choices"]
            ]
        out[code] = entry
    return out


def _export_text(obj, field: str, languages: list[str]) -> dict[str, str]:
    order = [*languages, *(lang for lang in LANGUAGE_CODES if lang not in languages)]
    return {
        lang: getattr(obj, f"{field}_{lang}")
        for lang in order
        if getattr(obj, f"{field}_{lang}", "")
    }


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# The scoring block's keys in the order the docs list them (docs/framework-format.md): the
# export writes them so whatever order the database keeps a JSON object in (PostgreSQL's
# jsonb orders keys by length, SQLite keeps them as written).
SCORING_KEYS = (
    "unanswered",
    "not_applicable",
    "stream",
    "dimension",
    "divisor",
    "area",
    "overall",
    "level",
    "precision",
    "rounding",
)
LEVEL_KEYS = ("rule", "thresholds", "gate")
THRESHOLD_KEYS = ("level", "from")


def _in_order(mapping: dict, keys: tuple[str, ...]) -> dict:
    return {key: mapping[key] for key in keys if key in mapping}


def canonical_scoring(scoring: dict) -> dict:
    """A stored scoring block with its keys in the documented order, at every depth."""
    block = _in_order(scoring, SCORING_KEYS)
    if isinstance(block.get("level"), dict):
        level = _in_order(block["level"], LEVEL_KEYS)
        if "thresholds" in level:
            level["thresholds"] = [_in_order(t, THRESHOLD_KEYS) for t in level["thresholds"]]
        block["level"] = level
    return block


def export_framework(framework: Framework) -> dict:
    """The framework version as canonical file data (see the module docstring)."""
    framework = (
        Framework.objects.filter(pk=framework.pk)
        .prefetch_related(
            "levels",
            "areas",
            "answer_sets",
            Prefetch(
                "dimensions",
                queryset=Dimension.objects.select_related("area").prefetch_related(
                    "levels__recommendations", "streams", "questions__choices"
                ),
            ),
        )
        .get()
    )
    if framework.file_format == 2:
        return _export_v2(framework)
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


def _ordered(texts: dict, languages: list[str]) -> dict[str, str]:
    """A stored {language: text} mapping in the export's language order."""
    order = [*languages, *(lang for lang in LANGUAGE_CODES if lang not in languages)]
    return {lang: texts[lang] for lang in order if texts.get(lang)}


def _compact(mapping: dict) -> dict:
    """The mapping without its empty values (optional fields left out)."""
    return {key: value for key, value in mapping.items() if value not in (None, "", [], {})}


def _export_v2(framework: Framework) -> dict:
    """A v2 framework as canonical v2 file data: fixed key order, optional fields only when
    set, answer sets by reference."""
    langs = list(framework.languages)

    def text(obj, field: str) -> dict[str, str]:
        return _export_text(obj, field, langs)

    answer_sets = {answer_set.pk: answer_set for answer_set in framework.answer_sets.all()}
    data: dict = {
        "format": FORMAT_V2,
        "slug": framework.slug,
        "version": framework.version_label or framework.version,
        "status": framework.status,
        "languages": langs,
        "title": text(framework, "title"),
        "description": text(framework, "description"),
        "licence": framework.licence,
        "attribution": text(framework, "attribution"),
        "source_url": framework.source_url,
        "external_ids": dict(sorted(framework.external_ids.items())),
        "scale": {"min": framework.scale_min, "max": framework.scale_max},
        "levels": [
            _compact(
                {
                    "level": level.value,
                    "title": text(level, "title"),
                    "description": text(level, "description"),
                }
            )
            for level in framework.levels.all()
        ],
        "scoring": canonical_scoring(framework.scoring),
        "presentation": _compact(
            {
                "show_step_numbers": framework.show_step_numbers or None,
                "instruction": text(framework, "instruction"),
            }
        ),
        "answer_sets": [
            _compact(
                {
                    "code": answer_set.code,
                    "title": text(answer_set, "title"),
                    "values": {
                        "min": _number(answer_set.value_min),
                        "max": _number(answer_set.value_max),
                    },
                    "choices": [
                        {"label": _ordered(choice["label"], langs), "value": choice["value"]}
                        for choice in answer_set.choices
                    ],
                }
            )
            for answer_set in answer_sets.values()
        ],
        "areas": [
            _compact(
                {
                    "code": area.code,
                    "title": text(area, "title"),
                    "description": text(area, "description"),
                    "weight": None if area.weight == 1 else _number(area.weight),
                }
            )
            for area in framework.areas.all()
        ],
        "dimensions": [
            _export_v2_dimension(dimension, text, answer_sets, langs)
            for dimension in framework.dimensions.all()
        ],
    }
    return _compact(data)


def _export_v2_dimension(dimension: Dimension, text, answer_sets: dict, langs: list[str]) -> dict:
    streams = {stream.pk: stream for stream in dimension.streams.all()}
    questions = []
    for question in dimension.questions.all():
        q = {
            "code": question.code,
            "stream": streams[question.stream_id].code if question.stream_id else None,
            "level": question.level,
            "text": text(question, "text"),
            "acquisition_pole": text(question, "acquisition_pole"),
            "engagement_pole": text(question, "engagement_pole"),
            "help": text(question, "help_text"),
            "guidance": text(question, "guidance"),
            "criteria": [_ordered(item, langs) for item in question.criteria],
            "references": [
                _compact({"title": _ordered(r.get("title", {}), langs), "url": r["url"]})
                for r in question.references
            ],
            "weight": None if question.weight == 1 else _number(question.weight),
            "functions": list(question.functions),
            "business_models": list(question.business_models),
            "variants": _export_variants(question.variants, langs),
            "allow_na": question.allow_na or None,
            "scope": None if question.scope == QuestionScope.DEPARTMENT else question.scope,
        }
        if question.answer_set_id:
            q["answer_set"] = answer_sets[question.answer_set_id].code
        else:
            if question.value_min is not None:
                q["values"] = {
                    "min": _number(question.value_min),
                    "max": _number(question.value_max),
                }
            q["choices"] = [
                {"label": text(choice, "label"), "value": _number(choice.score)}
                for choice in question.choices.all()
            ]
        questions.append(_compact(q))
    return _compact(
        {
            "code": dimension.code,
            "area": dimension.area.code if dimension.area_id else None,
            "title": text(dimension, "title"),
            "description": text(dimension, "description"),
            "weight": None if dimension.weight == 1 else _number(dimension.weight),
            "streams": [
                _compact(
                    {
                        "code": stream.code,
                        "title": text(stream, "title"),
                        "description": text(stream, "description"),
                    }
                )
                for stream in streams.values()
            ],
            "levels": [
                _compact(
                    {
                        "level": dim_level.level,
                        "description": text(dim_level, "description"),
                        "recommendations": [
                            text(r, "text") for r in dim_level.recommendations.all()
                        ],
                    }
                )
                for dim_level in dimension.levels.all()
            ],
            "questions": questions,
        }
    )


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
