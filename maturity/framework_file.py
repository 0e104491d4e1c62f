"""Reading and checking framework files (YAML, formats ``levelcheck-framework/1`` and ``/2``).

``load_framework_file`` turns bytes into a validated plain dict or raises
``FrameworkFileError`` listing every problem with its path inside the file
(``dimensions[2].questions[0].choices[4].score``) and what was expected. It never
touches the database, so the importer, the admin upload and ``--dry-run`` share it.
"""

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from itertools import islice
from pathlib import Path

import yaml
from django.conf import settings
from jsonschema import Draft202012Validator, ValidationError, validators

from .business_models import BusinessModel
from .framework_yaml import YamlRefused, load_yaml

FORMAT = "levelcheck-framework/1"
FORMAT_V2 = "levelcheck-framework/2"
LANGUAGE_CODES = ("ja", "en")
SCHEMA_PATH = Path(settings.BASE_DIR) / "docs" / "framework.schema.json"
# Problems reported at most (the admin lists them, the command the first 50); one more line
# then says that others follow.
MAX_PROBLEMS = 100
# Scores and weights are stored as decimals with two places.
DECIMAL_PLACES = 2
# Characters a database column or an XML export (XLSX) cannot hold; YAML escapes such as
# "\0", "\v" or "\ud800" can put them in a text.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class FrameworkFileError(Exception):
    """A framework file that cannot be imported; ``problems`` says where and why."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        super().__init__(self.render())

    def render(self, limit: int = 50) -> str:
        lines = [f"{self.source}: {p}" for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"{self.source}: … and {len(self.problems) - limit} more problems")
        return "\n".join(lines)


_MORE_PROBLEMS = Problem(
    "", f"more than {MAX_PROBLEMS} problems; the first {MAX_PROBLEMS} are listed, fix them first"
)


@cache
def framework_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _checking_schema() -> dict:
    """The schema with every local ``$ref`` written out in place: the same rules, checked
    about twice as fast (jsonschema resolves a reference each time it meets one, 25,000
    times in a 1,000-question file). The schema has no recursive references."""
    schema = framework_schema()
    return _inline(schema, schema["$defs"])


def _inline(node, defs: dict):
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/"):
            rest = {key: _inline(value, defs) for key, value in node.items() if key != "$ref"}
            return {**_inline(defs[ref.removeprefix("#/$defs/")], defs), **rest}
        return {key: _inline(value, defs) for key, value in node.items() if key != "$defs"}
    if isinstance(node, list):
        return [_inline(value, defs) for value in node]
    return node


def format_path(parts) -> str:
    """``['dimensions', 2, 'code']`` → ``dimensions[2].code``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def size_problem(size: int) -> Problem | None:
    """The problem with a file of ``size`` bytes, if it is above FRAMEWORK_FILE_MAX_BYTES."""
    limit = settings.FRAMEWORK_FILE_MAX_BYTES
    if size <= limit:
        return None
    return Problem("", f"file is {size:,} bytes; framework files may be at most {limit:,} bytes")


def load_framework_file(content: bytes, *, source: str = "<upload>") -> dict:
    """Parse and validate a framework file; return its data or raise FrameworkFileError."""
    if too_large := size_problem(len(content)):
        raise FrameworkFileError(source, [too_large])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FrameworkFileError(
            source, [Problem("", f"not UTF-8 text (byte {exc.start}): save the file as UTF-8")]
        ) from exc
    try:
        data = load_yaml(text)
    except YamlRefused as exc:
        raise FrameworkFileError(source, [Problem(format_path(exc.path), exc.message)]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(document)"
        problem = getattr(exc, "problem", None) or str(exc)
        raise FrameworkFileError(source, [Problem(where, f"invalid YAML: {problem}")]) from exc
    problems = validate_framework_data(data)
    if problems:
        raise FrameworkFileError(source, problems)
    return data


def strict_yaml_load(text: str):
    """YAML within the bounds of ``framework_yaml`` (no aliases, duplicate keys, deep nesting);
    refusals are YAMLErrors with a line. Training module headers use it too."""
    return load_yaml(text)


def schema_problems(schema: dict, data) -> list[Problem]:
    """The JSON Schema violations in ``data`` as path-precise, readable problems: every one,
    up to MAX_PROBLEMS (a file of 100,000 empty items would otherwise build millions)."""
    validator = _Validator(schema)
    errors = list(islice(validator.iter_errors(data), MAX_PROBLEMS + 1))
    problems = [
        Problem(format_path(error.absolute_path), _schema_message(error))
        for error in sorted(errors[:MAX_PROBLEMS], key=lambda e: list(map(str, e.path)))
    ]
    if len(errors) > MAX_PROBLEMS:
        problems.append(_MORE_PROBLEMS)
    return problems


def _is_integer(checker, instance) -> bool:
    # JSON Schema counts 1.0 as an integer; a version, level or scale bound written so would
    # reach range() and the database as a float.
    return isinstance(instance, int) and not isinstance(instance, bool)


def _unique_items(validator, unique, instance, schema):
    # jsonschema compares every pair of items it cannot sort (quadratic in a list of
    # mappings); a set does it in one pass.
    if not (unique and validator.is_type(instance, "array")):
        return
    seen = set()
    for item in instance:
        try:
            key = (type(item) is bool, item)
            hash(key)
        except TypeError:
            key = repr(item)
        if key in seen:
            yield ValidationError(f"{item!r:.60} appears more than once")
            return
        seen.add(key)


_Validator = validators.extend(
    Draft202012Validator,
    validators={"uniqueItems": _unique_items},
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer),
)


def validate_framework_data(data) -> list[Problem]:
    """Every problem in ``data`` (up to MAX_PROBLEMS): schema first, then the rules a schema
    cannot express."""
    problems = schema_problems(_checking_schema(), data)
    if problems:
        return problems
    problems = _semantic_problems(data)
    if len(problems) > MAX_PROBLEMS:
        problems = [*problems[:MAX_PROBLEMS], _MORE_PROBLEMS]
    return problems


# What each pattern of the schema asks for, in words (the regular expression is no help to
# the person who wrote the file). Another pattern reads as a v1 code.
_V1_CODE = "lowercase letters, digits, '-' and '_'"
_PATTERN_WORDS = {
    "^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$": (
        "code",
        "letters, digits, '.', '-' and '_', starting with a letter or digit, at most 60",
    ),
    "^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$": (
        "code",
        "letters, digits, '.', '-' and '_', starting with a letter or digit, at most 80",
    ),
    "^[A-Za-z0-9][A-Za-z0-9.+_-]*$": (
        "version",
        "an integer, or letters, digits, '.', '+', '-' and '_' such as 2.2.0",
    ),
    "^https?://[^\\s]+$": ("link", "an http:// or https:// address without spaces"),
    "^[A-Za-z0-9][A-Za-z0-9._:-]{0,59}$": (
        "identifier name",
        "letters, digits, '.', ':', '-' and '_', at most 60",
    ),
}


def _schema_message(error) -> str:
    keyword = error.validator
    in_names = "propertyNames" in error.schema_path
    if keyword == "enum" and list(error.validator_value) == list(BusinessModel.values):
        return (
            f"unknown business model {error.instance!r:.60}; expected one of: "
            f"{', '.join(BusinessModel.values)}"
        )
    if in_names and keyword == "enum":
        return f"unknown language {error.instance!r}; expected one of: {', '.join(LANGUAGE_CODES)}"
    if keyword == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"missing required field '{missing}'"
    if keyword == "additionalProperties":
        return f"unknown field: {error.message.split('(')[-1].rstrip(')')}"
    if keyword == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        return f"expected {expected}, got {_type_name(error.instance)} {error.instance!r:.60}"
    if keyword == "minItems":
        return f"needs at least {error.validator_value} item(s), got {len(error.instance)}"
    if keyword == "maxItems":
        return f"allows at most {error.validator_value} item(s), got {len(error.instance)}"
    if keyword == "maxProperties":
        return f"allows at most {error.validator_value} entries, got {len(error.instance)}"
    if keyword == "const":
        return f"expected {error.validator_value!r}, got {error.instance!r:.60}"
    if keyword == "enum":
        options = ", ".join(map(str, error.validator_value))
        return f"{error.instance!r:.60} is not one of: {options}"
    if keyword == "pattern":
        what, words = _PATTERN_WORDS.get(error.validator_value, ("code", _V1_CODE))
        return f"{error.instance!r:.60} is not a valid {what} ({words})"
    if keyword in {"minLength", "minProperties"}:
        return "must not be empty"
    if keyword == "maxLength":
        return (
            f"{len(error.instance):,} characters; at most {error.validator_value} are allowed here"
        )
    if keyword in {"minimum", "maximum"}:
        relation = "at least" if keyword == "minimum" else "at most"
        return f"expected {relation} {error.validator_value}, got {error.instance!r:.60}"
    if keyword == "exclusiveMinimum":
        return f"expected more than {error.validator_value}, got {error.instance!r:.60}"
    return error.message


def _type_name(value) -> str:
    return {
        dict: "mapping",
        list: "list",
        str: "string",
        bool: "boolean",
        int: "integer",
        float: "number",
        type(None): "nothing",
    }.get(type(value), type(value).__name__)


def primary_language(data: dict) -> str:
    return (data.get("languages") or [settings.MODELTRANSLATION_DEFAULT_LANGUAGE])[0]


class _Checks:
    """The checks every text and number of a file goes through, collecting problems."""

    def __init__(self, data: dict):
        self.problems: list[Problem] = []
        self.add = self.problems.append
        self.primary = primary_language(data)
        self.declared = data.get("languages") or list(LANGUAGE_CODES)

    def text(self, path: str, value) -> None:
        if isinstance(value, dict):
            for lang, text in value.items():
                if lang not in self.declared:
                    self.add(
                        Problem(f"{path}.{lang}", f"language {lang!r} is not listed in languages")
                    )
                self.characters(f"{path}.{lang}", text)
            if not str(value.get(self.primary, "")).strip():
                self.add(
                    Problem(
                        path, f"missing text in the framework's first language {self.primary!r}"
                    )
                )
        else:
            self.characters(path, value)
            if not value.strip():
                self.add(Problem(path, "must not be empty"))

    def characters(self, path: str, text: str) -> None:
        if found := _UNSTORABLE.search(text):
            self.add(
                Problem(
                    path,
                    f"contains the character U+{ord(found.group()):04X} at position "
                    f"{found.start() + 1}, which cannot be stored or exported; remove it",
                )
            )

    def decimals(self, path: str, value, what: str) -> bool:
        places = -min(0, Decimal(str(value)).as_tuple().exponent)
        if places > DECIMAL_PLACES:
            self.add(
                Problem(
                    path,
                    f"{value} has {places} decimal places; {what} are stored with at most "
                    f"{DECIMAL_PLACES}",
                )
            )
            return False
        return True

    def weight(self, path: str, weight) -> None:
        if math.isnan(weight):
            # The schema's bounds let NaN through: every comparison with it is false.
            self.add(Problem(path, "expected a number from 0 to 100, got nan"))
        else:
            self.decimals(path, weight, "weights")


def _semantic_problems(data: dict) -> list[Problem]:
    low, high = data["scale"]["min"], data["scale"]["max"]
    if high <= low:
        return [Problem("scale.max", f"must be above scale.min ({low}), got {high}")]
    if data["format"] == FORMAT_V2:
        # Imported here: the v2 rules build on this module's Problem and checks.
        from .framework_v2_rules import v2_problems

        return v2_problems(data, _Checks(data))
    return _v1_problems(data, _Checks(data))


def _v1_problems(data: dict, checks: _Checks) -> list[Problem]:
    problems = checks.problems
    add = checks.add
    low, high = data["scale"]["min"], data["scale"]["max"]
    scale = list(range(low, high + 1))
    check_text, check_decimals = checks.text, checks.decimals

    check_text("title", data["title"])
    if "description" in data:
        check_text("description", data["description"])

    _check_scale_coverage(
        problems, "levels", [lv["level"] for lv in data["levels"]], scale, "level"
    )
    for i, level in enumerate(data["levels"]):
        check_text(f"levels[{i}].title", level["title"])
        if "description" in level:
            check_text(f"levels[{i}].description", level["description"])

    area_codes = [a["code"] for a in data.get("areas", [])]
    known_areas = set(area_codes)
    _check_unique(
        problems, [(f"areas[{i}].code", a["code"]) for i, a in enumerate(data.get("areas", []))]
    )
    for i, area in enumerate(data.get("areas", [])):
        check_text(f"areas[{i}].title", area["title"])
        if "description" in area:
            check_text(f"areas[{i}].description", area["description"])

    _check_unique(
        problems, [(f"dimensions[{i}].code", d["code"]) for i, d in enumerate(data["dimensions"])]
    )
    question_codes: list[tuple[str, str]] = []
    for d, dim in enumerate(data["dimensions"]):
        base = f"dimensions[{d}]"
        check_text(f"{base}.title", dim["title"])
        if "description" in dim:
            check_text(f"{base}.description", dim["description"])
        if "area" in dim and dim["area"] not in known_areas:
            known = ", ".join(area_codes[:10]) or "none are defined"
            if len(area_codes) > 10:
                known += f", … {len(area_codes) - 10} more"
            add(Problem(f"{base}.area", f"unknown area {dim['area']!r} (areas: {known})"))
        _check_scale_coverage(
            problems, f"{base}.levels", [lv["level"] for lv in dim["levels"]], scale, "level"
        )
        for i, dim_level in enumerate(dim["levels"]):
            check_text(f"{base}.levels[{i}].description", dim_level["description"])
            recommendations = dim_level.get("recommendations", [])
            if recommendations and dim_level["level"] == high:
                add(
                    Problem(
                        f"{base}.levels[{i}].recommendations",
                        f"level {high} is the top of the scale; recommendations lead to the "
                        "next level, so there are none here",
                    )
                )
            for r, text in enumerate(recommendations):
                check_text(f"{base}.levels[{i}].recommendations[{r}]", text)
        for q, question in enumerate(dim["questions"]):
            qpath = f"{base}.questions[{q}]"
            question_codes.append((f"{qpath}.code", question["code"]))
            for field in ("text", "acquisition_pole", "engagement_pole", "help"):
                if field in question:
                    check_text(f"{qpath}.{field}", question[field])
            if "weight" in question:
                checks.weight(f"{qpath}.weight", question["weight"])
            for c, choice in enumerate(question["choices"]):
                check_text(f"{qpath}.choices[{c}].label", choice["label"])
                score = choice["score"]
                if not low <= score <= high:
                    add(
                        Problem(
                            f"{qpath}.choices[{c}].score",
                            f"{score} is outside the level scale {low}–{high}",
                        )
                    )
                else:
                    check_decimals(f"{qpath}.choices[{c}].score", score, "scores")
    _check_unique(problems, question_codes)
    return problems


def _check_unique(
    problems: list[Problem], coded_paths: list[tuple[str, str]], *, fold: bool = False
) -> None:
    """Report every repeat of a code at its own path, naming where it first appeared; with
    ``fold``, codes that differ only in case count as the same (format v2)."""
    first_seen: dict[str, tuple[str, str]] = {}
    for path, code in coded_paths:
        key = code.casefold() if fold else code
        if key in first_seen:
            where, first = first_seen[key]
            also = "" if first == code else f" as {first!r}; codes are compared ignoring case"
            problems.append(
                Problem(path, f"duplicate code {code!r} (already used at {where}{also})")
            )
        else:
            first_seen[key] = (path, code)


def _check_scale_coverage(
    problems: list[Problem], path: str, values: list[int], scale: list[int], what: str
) -> None:
    """Levels must list every step of the scale exactly once, with no gaps or extras."""
    counts = Counter(values)
    for value, count in counts.items():
        if count > 1:
            problems.append(Problem(path, f"{what} {value} appears {count} times"))
    outside = sorted(v for v in counts if v not in scale)
    if outside:
        problems.append(
            Problem(
                path,
                f"{what}(s) {', '.join(map(str, outside))} outside the scale "
                f"{scale[0]}–{scale[-1]}",
            )
        )
    missing = [v for v in scale if v not in counts]
    if missing:
        problems.append(
            Problem(
                path,
                f"missing {what}(s) {', '.join(map(str, missing))}: the scale "
                f"{scale[0]}–{scale[-1]} needs one entry per level, without gaps",
            )
        )
