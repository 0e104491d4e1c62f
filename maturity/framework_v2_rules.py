"""The rules of a ``levelcheck-framework/2`` file that its JSON Schema cannot express
(docs/framework-format.md, "Rules beyond the schema (v2)"): references between parts, codes
unique ignoring case, values inside their range, and scoring rules that fit the scale.

Called by ``framework_file.validate_framework_data`` once the schema check has passed, so
every field has its declared type here.
"""

from decimal import Decimal

from . import scoring_rules as rules
from .business_models import VARIANT_TEXTS
from .framework_file import Problem, _check_scale_coverage, _check_unique, _Checks


def _listing(codes: list[str]) -> str:
    shown = ", ".join(codes[:10]) or "none are defined"
    return f"{shown}, … {len(codes) - 10} more" if len(codes) > 10 else shown


def _number(value) -> str:
    """2.0 → "2", 0.25 → "0.25" (ranges in messages read as the file writes them)."""
    return format(Decimal(str(value)).normalize(), "f")


def v2_problems(data: dict, checks: _Checks) -> list[Problem]:
    """Every problem of a schema-valid v2 file beyond its schema."""
    problems, add = checks.problems, checks.add
    low, high = data["scale"]["min"], data["scale"]["max"]
    scale = list(range(low, high + 1))
    scoring = data.get("scoring", {})

    checks.text("title", data["title"])
    if "instruction" in data.get("presentation", {}):
        checks.text("presentation.instruction", data["presentation"]["instruction"])
    for field in ("description", "attribution"):
        if field in data:
            checks.text(field, data[field])
    if "licence" in data:
        checks.characters("licence", data["licence"])
    for key, value in data.get("external_ids", {}).items():
        checks.characters(f"external_ids.{key}", value)

    if "levels" in data:
        _check_scale_coverage(
            problems, "levels", [lv["level"] for lv in data["levels"]], scale, "level"
        )
        for i, level in enumerate(data["levels"]):
            for field in ("title", "description"):
                if field in level:
                    checks.text(f"levels[{i}].{field}", level[field])

    answer_sets: dict[str, dict] = {}
    for i, answer_set in enumerate(data.get("answer_sets", [])):
        base = f"answer_sets[{i}]"
        answer_sets.setdefault(answer_set["code"], answer_set)
        if "title" in answer_set:
            checks.text(f"{base}.title", answer_set["title"])
        _check_choices(checks, base, answer_set["choices"], answer_set["values"], None)
    _check_unique(
        problems,
        [(f"answer_sets[{i}].code", s["code"]) for i, s in enumerate(data.get("answer_sets", []))],
        fold=True,
    )

    area_codes = [a["code"] for a in data.get("areas", [])]
    _check_unique(
        problems, [(f"areas[{i}].code", code) for i, code in enumerate(area_codes)], fold=True
    )
    for i, area in enumerate(data.get("areas", [])):
        checks.text(f"areas[{i}].title", area["title"])
        if "description" in area:
            checks.text(f"areas[{i}].description", area["description"])
        if "weight" in area:
            checks.weight(f"areas[{i}].weight", area["weight"])

    _check_unique(
        problems,
        [(f"dimensions[{i}].code", d["code"]) for i, d in enumerate(data["dimensions"])],
        fold=True,
    )
    question_codes: list[tuple[str, str]] = []
    for d, dim in enumerate(data["dimensions"]):
        base = f"dimensions[{d}]"
        checks.text(f"{base}.title", dim["title"])
        if "description" in dim:
            checks.text(f"{base}.description", dim["description"])
        if "weight" in dim:
            checks.weight(f"{base}.weight", dim["weight"])
        if "area" in dim and dim["area"] not in area_codes:
            add(
                Problem(
                    f"{base}.area", f"unknown area {dim['area']!r} (areas: {_listing(area_codes)})"
                )
            )
        streams = dim.get("streams", [])
        stream_codes = [s["code"] for s in streams]
        _check_unique(
            problems,
            [(f"{base}.streams[{i}].code", code) for i, code in enumerate(stream_codes)],
            fold=True,
        )
        for i, stream in enumerate(streams):
            for field in ("title", "description"):
                if field in stream:
                    checks.text(f"{base}.streams[{i}].{field}", stream[field])
        _check_dimension_levels(checks, base, dim.get("levels", []), scale)
        for q, question in enumerate(dim["questions"]):
            qpath = f"{base}.questions[{q}]"
            question_codes.append((f"{qpath}.code", question["code"]))
            _check_question(checks, qpath, question, stream_codes, answer_sets, data)
    _check_unique(problems, question_codes, fold=True)
    if not problems:
        # The scoring checks read every question's choices and range, so they run on a file
        # whose parts are otherwise sound.
        _check_scoring(checks, data, scoring, answer_sets)
    return problems


def _check_dimension_levels(checks: _Checks, base: str, levels: list, scale: list[int]) -> None:
    values = [lv["level"] for lv in levels]
    for value in sorted({v for v in values if values.count(v) > 1}):
        checks.add(Problem(f"{base}.levels", f"level {value} appears {values.count(value)} times"))
    for i, dim_level in enumerate(levels):
        path = f"{base}.levels[{i}]"
        if dim_level["level"] not in scale:
            checks.add(
                Problem(
                    f"{path}.level",
                    f"level {dim_level['level']} is outside the scale {scale[0]}–{scale[-1]}",
                )
            )
        if "description" in dim_level:
            checks.text(f"{path}.description", dim_level["description"])
        recommendations = dim_level.get("recommendations", [])
        if recommendations and dim_level["level"] == scale[-1]:
            checks.add(
                Problem(
                    f"{path}.recommendations",
                    f"level {scale[-1]} is the top of the scale; recommendations lead to the "
                    "next level, so there are none here",
                )
            )
        for r, text in enumerate(recommendations):
            checks.text(f"{path}.recommendations[{r}]", text)


def _check_question(
    checks: _Checks,
    qpath: str,
    question: dict,
    stream_codes: list[str],
    answer_sets: dict[str, dict],
    data: dict,
) -> None:
    add = checks.add
    low, high = data["scale"]["min"], data["scale"]["max"]
    for field in ("text", "acquisition_pole", "engagement_pole", "help", "guidance"):
        if field in question:
            checks.text(f"{qpath}.{field}", question[field])
    for i, criterion in enumerate(question.get("criteria", [])):
        checks.text(f"{qpath}.criteria[{i}]", criterion)
    for i, reference in enumerate(question.get("references", [])):
        if "title" in reference:
            checks.text(f"{qpath}.references[{i}].title", reference["title"])
    if "weight" in question:
        checks.weight(f"{qpath}.weight", question["weight"])
    if "stream" in question and question["stream"] not in stream_codes:
        add(
            Problem(
                f"{qpath}.stream",
                f"unknown stream {question['stream']!r} (streams of this dimension: "
                f"{_listing(stream_codes)})",
            )
        )
    if "level" in question and not low <= question["level"] <= high:
        add(
            Problem(
                f"{qpath}.level",
                f"level {question['level']} is outside the scale {low}–{high}",
            )
        )
    if "answer_set" in question:
        for field in ("choices", "values"):
            if field in question:
                add(
                    Problem(
                        f"{qpath}.{field}",
                        f"the question uses answer_set {question['answer_set']!r}; give either "
                        "an answer set or its own choices and values, not both",
                    )
                )
        if question["answer_set"] not in answer_sets:
            add(
                Problem(
                    f"{qpath}.answer_set",
                    f"unknown answer set {question['answer_set']!r} (answer sets: "
                    f"{_listing(list(answer_sets))})",
                )
            )
    elif "choices" not in question:
        add(Problem(qpath, "needs either 'answer_set' or its own 'choices'"))
    else:
        own_range = question.get("values")
        _check_choices(checks, qpath, question["choices"], own_range, (low, high))
    _check_variants(checks, qpath, question, answer_sets)


def _check_variants(checks: _Checks, qpath: str, question: dict, answer_sets: dict) -> None:
    """A variant words the question for a business model it applies to, with one label per
    choice of the question (its own or its answer set's)."""
    models = question.get("business_models") or []
    source = answer_sets.get(question.get("answer_set")) or question
    choice_count = len(source.get("choices", []))
    for code, variant in question.get("variants", {}).items():
        path = f"{qpath}.variants.{code}"
        if models and code not in models:
            checks.add(
                Problem(
                    path,
                    f"the question does not apply to business model {code!r} (business_models: "
                    f"{', '.join(models)}); a variant is only for a model it applies to",
                )
            )
        for field in VARIANT_TEXTS:
            if field in variant:
                checks.text(f"{path}.{field}", variant[field])
        labels = variant.get("choices")
        if labels is None:
            continue
        if choice_count and len(labels) != choice_count:
            checks.add(
                Problem(
                    f"{path}.choices",
                    f"gives {len(labels)} labels but the question has {choice_count} choices; "
                    "a variant relabels every choice, in order",
                )
            )
        for c, choice in enumerate(labels):
            checks.text(f"{path}.choices[{c}].label", choice["label"])


def _check_choices(checks: _Checks, base: str, choices: list, values, scale) -> None:
    """Choice labels, and values inside ``values`` (a {min, max} range) or else the scale."""
    if values is not None:
        ok = checks.decimals(f"{base}.values.min", values["min"], "values")
        ok = checks.decimals(f"{base}.values.max", values["max"], "values") and ok
        if values["max"] <= values["min"]:
            checks.add(
                Problem(
                    f"{base}.values.max",
                    f"must be above values.min ({_number(values['min'])}), got "
                    f"{_number(values['max'])}",
                )
            )
            return
        low, high, what = values["min"], values["max"], "the value range"
    else:
        low, high = scale
        what = "the level scale"
    for c, choice in enumerate(choices):
        path = f"{base}.choices[{c}]"
        checks.text(f"{path}.label", choice["label"])
        value = choice["value"]
        if not low <= value <= high:
            checks.add(
                Problem(
                    f"{path}.value",
                    f"{_number(value)} is outside {what} {_number(low)}–{_number(high)}",
                )
            )
        else:
            checks.decimals(f"{path}.value", value, "values")


def _question_values(question: dict, answer_sets: dict[str, dict]) -> list[float]:
    source = answer_sets[question["answer_set"]] if "answer_set" in question else question
    return [choice["value"] for choice in source["choices"]]


def _check_scoring(checks: _Checks, data: dict, scoring: dict, answer_sets: dict) -> None:
    add = checks.add
    for field in ("unanswered", "not_applicable"):
        value = scoring.get(field)
        if isinstance(value, str) and value != rules.LEFT_OUT:
            add(
                Problem(
                    f"scoring.{field}",
                    f"expected {rules.LEFT_OUT!r} or a number, got {value!r:.60}",
                )
            )
        elif isinstance(value, float | int):
            checks.decimals(f"scoring.{field}", value, "values")
    for field, names in (
        ("stream", rules.STREAM_AGGREGATES),
        ("dimension", rules.DIMENSION_AGGREGATES),
        ("area", rules.AREA_AGGREGATES),
        ("overall", rules.OVERALL_AGGREGATES),
    ):
        # The schema lists the same names; this keeps scoring_rules the one place they live.
        if field in scoring and scoring[field] not in names:
            add(
                Problem(f"scoring.{field}", f"{scoring[field]!r} is not one of: {', '.join(names)}")
            )
    dimension_rule = scoring.get("dimension", "weighted_mean")
    if dimension_rule == "sum_divided" and "divisor" not in scoring:
        add(Problem("scoring", "dimension: sum_divided needs a 'divisor' (greater than 0)"))
    if "divisor" in scoring and dimension_rule != "sum_divided":
        add(
            Problem(
                "scoring.divisor",
                f"a divisor is only used with dimension: sum_divided (the rule is "
                f"{dimension_rule})",
            )
        )
    elif "divisor" in scoring:
        checks.decimals("scoring.divisor", scoring["divisor"], "divisors")
    _check_level_rule(checks, data, scoring.get("level", {}))

    stream_rule = scoring.get("stream", "weighted_mean")
    for d, dim in enumerate(data["dimensions"]):
        base = f"dimensions[{d}]"
        if dimension_rule == "mean_of_streams":
            for q, question in enumerate(dim["questions"]):
                if "stream" not in question:
                    add(
                        Problem(
                            f"{base}.questions[{q}]",
                            "missing 'stream': the dimension rule mean_of_streams needs every "
                            "question in a stream",
                        )
                    )
            if stream_rule == "sum":
                for i, stream in enumerate(dim.get("streams", [])):
                    members = [q for q in dim["questions"] if q.get("stream") == stream["code"]]
                    _check_reach(checks, f"{base}.streams[{i}]", members, answer_sets, data, 1)
        elif dimension_rule in rules.RAW_AGGREGATES:
            divisor = scoring.get("divisor") if dimension_rule == "sum_divided" else 1
            if divisor is None:
                continue  # reported above: sum_divided without a divisor
            _check_reach(checks, base, dim["questions"], answer_sets, data, divisor)


def _check_reach(
    checks: _Checks, path: str, questions: list, answer_sets: dict, data: dict, divisor
) -> None:
    """A sum rule's lowest and highest reachable score must lie within the scale: what
    catches values written on the wrong range (0–3 answers summed where 0–1 were meant)."""
    if not questions or divisor <= 0:
        return
    low, high = data["scale"]["min"], data["scale"]["max"]
    lowest = highest = Decimal(0)
    for question in questions:
        weight = Decimal(str(question.get("weight", 1)))
        values = [Decimal(str(v)) for v in _question_values(question, answer_sets)]
        lowest += weight * min(values)
        highest += weight * max(values)
    divisor = Decimal(str(divisor))
    lowest, highest = lowest / divisor, highest / divisor
    if lowest < low or highest > high:
        checks.add(
            Problem(
                path,
                f"the declared rule gives scores {_number(lowest)}–{_number(highest)} but the "
                f"scale is {low}–{high}",
            )
        )


def _check_level_rule(checks: _Checks, data: dict, level: dict) -> None:
    add = checks.add
    low, high = data["scale"]["min"], data["scale"]["max"]
    rule = level.get("rule", "floor")
    if rule not in rules.LEVEL_RULES:
        add(
            Problem("scoring.level.rule", f"{rule!r} is not one of: {', '.join(rules.LEVEL_RULES)}")
        )
    if rule == "thresholds" and "thresholds" not in level:
        add(Problem("scoring.level", "rule: thresholds needs 'thresholds'"))
    if "thresholds" in level and rule != "thresholds":
        add(
            Problem(
                "scoring.level.thresholds",
                f"thresholds are only used with rule: thresholds (the rule is {rule})",
            )
        )
    if rule == "gated":
        if "gate" not in level:
            add(
                Problem(
                    "scoring.level", "rule: gated needs a 'gate' (the value a question must reach)"
                )
            )
        if not any("level" in q for dim in data["dimensions"] for q in dim["questions"]):
            add(
                Problem(
                    "scoring.level",
                    "rule: gated needs at least one question with a 'level' (nothing would gate)",
                )
            )
    elif "gate" in level:
        add(
            Problem(
                "scoring.level.gate", f"a gate is only used with rule: gated (the rule is {rule})"
            )
        )
    if "gate" in level:
        checks.decimals("scoring.level.gate", level["gate"], "values")
    seen: dict[int, int] = {}
    previous = None
    for i, threshold in sorted(
        enumerate(level.get("thresholds", [])), key=lambda item: item[1]["level"]
    ):
        path = f"scoring.level.thresholds[{i}]"
        value, start = threshold["level"], threshold["from"]
        if value in seen:
            add(
                Problem(
                    f"{path}.level",
                    f"level {value} already has a threshold (thresholds[{seen[value]}])",
                )
            )
            continue
        seen[value] = i
        if value == low:
            add(
                Problem(
                    f"{path}.level",
                    f"level {low} is the bottom of the scale and needs no threshold (a score "
                    "below every threshold is that level)",
                )
            )
            continue
        if not low < value <= high:
            add(Problem(f"{path}.level", f"level {value} is outside the scale {low}–{high}"))
            continue
        if not low <= start <= high:
            add(
                Problem(
                    f"{path}.from",
                    f"{_number(start)} is outside the scale {low}–{high}",
                )
            )
        elif previous is not None and start <= previous[1]:
            add(
                Problem(
                    f"{path}.from",
                    f"{_number(start)} must be above the threshold of level {previous[0]} "
                    f"({_number(previous[1])}): thresholds rise with the level",
                )
            )
        else:
            checks.decimals(f"{path}.from", start, "thresholds")
        previous = (value, start)
