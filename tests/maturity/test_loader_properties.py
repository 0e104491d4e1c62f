"""Properties of the framework loader over generated files: valid files import, export in
the canonical form docs/framework-format.md describes and round-trip byte for byte; a file
with one thing broken (a wrong type, a score off the scale, a missing field, a repeated code,
deep nesting, an alias, an unknown field) is refused with a FrameworkFileError naming that
place; and no input at all makes the loader raise anything else.

The loader properties need no database. The round trips write inside ``transaction.atomic()``
and roll back after every example, so examples never see each other's rows. Every property
is derandomised and bounded (PROPERTY).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import yaml
from django.db import transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from maturity.framework_file import (
    FORMAT,
    LANGUAGE_CODES,
    FrameworkFileError,
    format_path,
    load_framework_file,
    validate_framework_data,
)
from maturity.framework_io import dump_framework_yaml, export_framework, import_framework
from tests.conftest import to_yaml

PROPERTY = settings(
    max_examples=25,
    deadline=timedelta(seconds=5),
    derandomize=True,
    database=None,
    # The round trips share the test's database transaction and roll back each example.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FUNCTIONS = [
    "marketing",
    "sales",
    "inside_sales",
    "customer_success",
    "product",
    "support",
    "management",
    "other",
]

# --- valid framework files --------------------------------------------------------------

# Texts as people write them, in any script, with inner line breaks and tabs; without the
# characters a framework file refuses (controls, lone surrogates, non-characters) and without
# surrounding space (the importer strips it, so the export would differ).
CHARACTERS = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn")) | st.sampled_from(
    "\t\nあア漢"
)
PLAIN = st.text(CHARACTERS, min_size=1, max_size=12).map(str.strip).filter(bool)
CODE = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("abcxyz019"),
    st.text("abz09_-", max_size=6),
)
TWO_DECIMALS = st.integers(0, 10_000).map(lambda cents: cents / 100)


def texts(languages: list[str], primary: str):
    """A plain string (the primary language) or a mapping with the primary language."""
    others = [lang for lang in languages if lang != primary]
    mapping = st.fixed_dictionaries({primary: PLAIN}, optional=dict.fromkeys(others, PLAIN))
    return PLAIN | mapping


@st.composite
def frameworks(draw) -> dict:
    """Valid framework data like tests/conftest.py's, with every optional field sometimes
    present: scales of any range, levels in any order, areas, recommendations, weights,
    functions, N/A, one or two languages."""
    # A fresh list each time: the corruption tests change data in place.
    languages = draw(st.sampled_from([None, ("ja",), ("en",), ("ja", "en"), ("en", "ja")]))
    languages = list(languages) if languages else None
    declared = languages or list(LANGUAGE_CODES)
    primary = (languages or ["ja"])[0]
    text = texts(declared, primary)
    low = draw(st.integers(0, 9))
    high = draw(st.integers(low + 1, min(10, low + 4)))
    steps = list(range(low, high + 1))

    def maybe(into: dict, key: str, strategy) -> None:
        if draw(st.booleans()):
            into[key] = draw(strategy)

    data: dict = {
        "format": FORMAT,
        "slug": draw(CODE),
        "version": draw(st.integers(1, 2**31 - 1)),
    }
    maybe(data, "status", st.sampled_from(["draft", "published"]))
    if languages:
        data["languages"] = languages
    data["title"] = draw(text)
    maybe(data, "description", text)
    data["scale"] = {"min": low, "max": high}
    data["levels"] = []
    for step in draw(st.permutations(steps)):
        level = {"level": step, "title": draw(text)}
        maybe(level, "description", text)
        data["levels"].append(level)
    area_codes = draw(st.lists(CODE, max_size=2, unique=True))
    if area_codes:
        data["areas"] = []
        for code in area_codes:
            area = {"code": code, "title": draw(text)}
            maybe(area, "description", text)
            data["areas"].append(area)
    dimension_codes = draw(st.lists(CODE, min_size=1, max_size=2, unique=True))
    question_count = draw(st.integers(len(dimension_codes), 2 * len(dimension_codes)))
    question_codes = iter(draw(st.lists(CODE, min_size=question_count, unique=True)))
    data["dimensions"] = []
    for d, code in enumerate(dimension_codes):
        dimension: dict = {"code": code}
        if area_codes and draw(st.booleans()):
            dimension["area"] = draw(st.sampled_from(area_codes))
        dimension["title"] = draw(text)
        maybe(dimension, "description", text)
        dimension["levels"] = []
        for step in draw(st.permutations(steps)):
            level = {"level": step, "description": draw(text)}
            if step < high:
                maybe(level, "recommendations", st.lists(text, min_size=1, max_size=2))
            dimension["levels"].append(level)
        share = question_count // len(dimension_codes)
        count = share if d < len(dimension_codes) - 1 else question_count - share * d
        dimension["questions"] = [
            draw(questions(next(question_codes), text, low, high)) for _ in range(count)
        ]
        data["dimensions"].append(dimension)
    return data


@st.composite
def questions(draw, code: str, text, low: int, high: int) -> dict:
    question = {"code": code}
    for field in ("text", "acquisition_pole", "engagement_pole"):
        question[field] = draw(text)
    if draw(st.booleans()):
        question["help"] = draw(text)
    if draw(st.booleans()):
        question["weight"] = draw(TWO_DECIMALS)
    if draw(st.booleans()):
        question["functions"] = draw(st.lists(st.sampled_from(FUNCTIONS), unique=True))
    if draw(st.booleans()):
        question["allow_na"] = draw(st.booleans())
    score = st.integers(low, high) | st.integers(low * 100, high * 100).map(lambda c: c / 100)
    question["choices"] = [
        {"label": draw(text), "score": draw(score)} for _ in range(draw(st.integers(2, 4)))
    ]
    return question


def canonical(data: dict) -> dict:
    """The export docs/framework-format.md promises for ``data``: every text a language
    mapping, levels in scale order, optional fields left out when they hold their default."""
    primary = (data.get("languages") or ["ja"])[0]

    def text(value):
        return {primary: value} if isinstance(value, str) else dict(value)

    def described(item: dict, out: dict) -> dict:
        if "description" in item:
            out["description"] = text(item["description"])
        return out

    out = {"format": FORMAT, "slug": data["slug"], "version": data["version"]}
    out["status"] = data.get("status", "draft")
    if data.get("languages"):
        out["languages"] = data["languages"]
    out["title"] = text(data["title"])
    described(data, out)
    out["scale"] = dict(data["scale"])
    out["levels"] = [
        described(level, {"level": level["level"], "title": text(level["title"])})
        for level in sorted(data["levels"], key=lambda level: level["level"])
    ]
    if data.get("areas"):
        out["areas"] = [
            described(area, {"code": area["code"], "title": text(area["title"])})
            for area in data["areas"]
        ]
    out["dimensions"] = []
    for dimension in data["dimensions"]:
        dim = {"code": dimension["code"]}
        if "area" in dimension:
            dim["area"] = dimension["area"]
        dim["title"] = text(dimension["title"])
        described(dimension, dim)
        dim["levels"] = []
        for level in sorted(dimension["levels"], key=lambda level: level["level"]):
            entry = {"level": level["level"], "description": text(level["description"])}
            if level.get("recommendations"):
                entry["recommendations"] = [text(r) for r in level["recommendations"]]
            dim["levels"].append(entry)
        dim["questions"] = []
        for question in dimension["questions"]:
            q = {"code": question["code"]}
            for field in ("text", "acquisition_pole", "engagement_pole"):
                q[field] = text(question[field])
            if "help" in question:
                q["help"] = text(question["help"])
            if question.get("weight", 1) != 1:
                q["weight"] = question["weight"]
            if question.get("functions"):
                q["functions"] = question["functions"]
            if question.get("allow_na"):
                q["allow_na"] = True
            q["choices"] = [
                {"label": text(c["label"]), "score": c["score"]} for c in question["choices"]
            ]
            dim["questions"].append(q)
        out["dimensions"].append(dim)
    return out


def imported_and_exported(content: bytes) -> tuple[dict, str]:
    """Import a file in a transaction that is rolled back; its export as data and as text."""
    with transaction.atomic():
        framework = import_framework(load_framework_file(content, source="x"), source="x")
        exported = export_framework(framework)
        transaction.set_rollback(True)
    return exported, dump_framework_yaml(exported)


@PROPERTY
@given(frameworks())
def test_generated_valid_files_load_as_written(data):
    assert load_framework_file(to_yaml(data), source="x") == data
    assert validate_framework_data(data) == []


@pytest.mark.django_db
@settings(PROPERTY, max_examples=20)
@given(data=frameworks())
def test_valid_files_export_canonically_and_round_trip_byte_for_byte(db, data):
    exported, first = imported_and_exported(to_yaml(data))
    assert exported == canonical(data)
    again, second = imported_and_exported(first.encode())
    assert second == first
    assert again == exported


# --- one thing broken -------------------------------------------------------------------

# The fields each kind of mapping must have (docs/framework.schema.json), by path shape.
REQUIRED = {
    (): ["format", "slug", "version", "title", "scale", "levels", "dimensions"],
    ("scale",): ["min", "max"],
    ("levels", "*"): ["level", "title"],
    ("areas", "*"): ["code", "title"],
    ("dimensions", "*"): ["code", "title", "levels", "questions"],
    ("dimensions", "*", "levels", "*"): ["level", "description"],
    ("dimensions", "*", "questions", "*"): [
        "code",
        "text",
        "acquisition_pole",
        "engagement_pole",
        "choices",
    ],
    ("dimensions", "*", "questions", "*", "choices", "*"): ["label", "score"],
}


def nodes(value, path=()):
    """Every (path, value) in document order, the document itself first."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from nodes(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from nodes(item, (*path, index))


def shape(path) -> tuple:
    return tuple("*" if isinstance(part, int) else part for part in path)


def get(data, path):
    for part in path:
        data = data[part]
    return data


def put(data, path, value) -> None:
    get(data, path[:-1])[path[-1]] = value


def refused(data) -> list:
    """The problems of the file written from ``data``; fails on acceptance or any other
    exception."""
    with pytest.raises(FrameworkFileError) as excinfo:
        load_framework_file(to_yaml(data), source="broken.yaml")
    error = excinfo.value
    assert error.problems
    for line in error.render().splitlines():
        assert line.startswith("broken.yaml: ")
    return error.problems


def problem_at(problems, path, *fragments) -> None:
    where = format_path(path)
    assert any(
        p.path == where and all(fragment in p.message for fragment in fragments) for p in problems
    ), (where, fragments, [str(p) for p in problems])


WRONG_TYPE = {str: 7, bool: "yes", int: "x", float: "x", list: {"zz": 1}, dict: [1]}


@PROPERTY
@given(frameworks(), st.data())
def test_a_value_of_the_wrong_type_is_refused_at_its_path(data, draw):
    path, value = draw.draw(st.sampled_from(list(nodes(data))[1:]))
    put(data, path, WRONG_TYPE[type(value)])
    problem_at(refused(data), path)


@PROPERTY
@given(frameworks(), st.data())
def test_a_score_outside_the_scale_is_refused_at_its_path(data, draw):
    choices = [p for p, _v in nodes(data) if shape(p)[-2:] == ("choices", "*")]
    path = (*draw.draw(st.sampled_from(choices)), "score")
    low, high = data["scale"]["min"], data["scale"]["max"]
    beyond = draw.draw(st.integers(1, 500)) / 100
    put(data, path, draw.draw(st.sampled_from([low - beyond, high + beyond])))
    problem_at(refused(data), path, "is outside the level scale", f"{low}–{high}")


@PROPERTY
@given(frameworks(), st.data())
def test_a_missing_required_field_is_refused_at_its_mapping(data, draw):
    mappings = [(p, v) for p, v in nodes(data) if shape(p) in REQUIRED]
    path, mapping = draw.draw(st.sampled_from(mappings))
    field = draw.draw(st.sampled_from(REQUIRED[shape(path)]))
    del mapping[field]
    problem_at(refused(data), path, f"missing required field '{field}'")


@PROPERTY
@given(frameworks(), st.data())
def test_a_repeated_code_is_refused_where_it_repeats(data, draw):
    groups = [
        [p for p, _v in nodes(data) if shape(p) == kind]
        for kind in (("areas", "*"), ("dimensions", "*"), ("dimensions", "*", "questions", "*"))
    ]
    groups = [g for g in groups if len(g) >= 2]
    assume(groups)
    group = draw.draw(st.sampled_from(groups))
    first, later = sorted(draw.draw(st.lists(st.sampled_from(group), min_size=2, unique=True))[:2])
    get(data, later)["code"] = get(data, first)["code"]
    problem_at(
        refused(data),
        (*later, "code"),
        "duplicate code",
        f"(already used at {format_path((*first, 'code'))})",
    )


@PROPERTY
@given(frameworks(), st.data())
def test_deep_nesting_is_refused_inside_the_nested_value(data, draw):
    path, _value = draw.draw(st.sampled_from(list(nodes(data))[1:]))
    nested: list = []
    # Deeper than 20, within what PyYAML's writer can still represent (it recurses too).
    for _ in range(draw.draw(st.integers(21, 150))):
        nested = [nested]
    put(data, path, nested)
    problems = refused(data)
    assert len(problems) == 1
    assert problems[0].path.startswith(format_path(path))
    assert "nested more than 20 levels deep" in problems[0].message


@PROPERTY
@given(frameworks(), st.data())
def test_an_alias_is_refused_at_the_anchor(data, draw):
    """PyYAML writes one object used at two places as an anchor and an alias."""
    primary = (data.get("languages") or ["ja"])[0]
    texts_ = [p for p, v in nodes(data) if shape(p)[-1:] in {("title",), ("text",)}]
    first, second = draw.draw(st.lists(st.sampled_from(texts_), min_size=2, unique=True))[:2]
    shared = get(data, first)
    if isinstance(shared, str):
        shared = {primary: shared}
        put(data, first, shared)
    put(data, second, shared)
    problems = refused(data)
    assert len(problems) == 1
    assert problems[0].path in {format_path(first), format_path(second)}
    assert "YAML anchor '&id001'" in problems[0].message
    assert "anchors (&name) and aliases (*name) are not allowed" in problems[0].message


@PROPERTY
@given(frameworks(), st.data())
def test_an_unknown_field_is_refused_at_its_mapping(data, draw):
    path, mapping = draw.draw(
        st.sampled_from([(p, v) for p, v in nodes(data) if shape(p) in REQUIRED])
    )
    mapping["zz_unknown"] = 1
    problem_at(refused(data), path, "unknown field: 'zz_unknown' was unexpected")


# --- nothing makes the loader raise anything else ----------------------------------------

# Values anything could put anywhere, with the ones that used to get past the checks: too
# long for a column, beyond an integer column, more decimals than stored, NaN, controls.
ANYTHING = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=8)
    | st.sampled_from(["x" * 201, "x" * 301, 2**31, 1.005, float("nan"), "a\x00b", "\ud800"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=4) | st.integers(), children, max_size=3)
    ),
    max_leaves=6,
)


@pytest.mark.django_db
@settings(PROPERTY, max_examples=40)
@given(data=frameworks(), draw=st.data())
def test_any_value_anywhere_is_refused_with_a_path_or_imported(db, data, draw):
    """Whatever the loader accepts, the database stores and the export reads back valid."""
    path, _value = draw.draw(st.sampled_from(list(nodes(data))[1:]))
    put(data, path, draw.draw(ANYTHING))
    try:
        content = yaml.safe_dump(data, allow_unicode=False, sort_keys=False).encode()
    except yaml.YAMLError:
        assume(False)
    try:
        exported, _text = imported_and_exported(content)
    except FrameworkFileError as error:
        assert all(isinstance(p.path, str) and p.message for p in error.problems)
    else:
        assert validate_framework_data(exported) == []


INTEGER_FIELDS = {
    ("version",),
    ("scale", "min"),
    ("scale", "max"),
    ("levels", "*", "level"),
    ("dimensions", "*", "levels", "*", "level"),
}
NUMBER_FIELDS = {
    ("dimensions", "*", "questions", "*", "weight"),
    ("dimensions", "*", "questions", "*", "choices", "*", "score"),
}
NOT_TEXT = {"format", "slug", "code", "status", "area", "languages", "functions"}
EDGES = {
    "integer": [0, 1, 10, 11, 2**31 - 1, 2**31, 10**40, 1.0, -1, True],
    "number": [0, 0.01, 0.001, 1.005, 2.5, 100, 100.01, float("nan"), float("inf"), 1e-7],
    "text": [
        *("x" * n for n in (120, 121, 200, 201, 300, 301, 5000)),
        *("a\x00b", "a\x0bb", "a\ud800b", "a\uffffb", "a\u2028b", "a\tb\nc", " padded "),
    ],
}


def kind_of(path) -> str | None:
    if shape(path) in INTEGER_FIELDS:
        return "integer"
    if shape(path) in NUMBER_FIELDS:
        return "number"
    if not NOT_TEXT & {part for part in path if isinstance(part, str)}:
        return "text"
    return None


@pytest.mark.django_db
@settings(PROPERTY, max_examples=40)
@given(data=frameworks(), draw=st.data())
def test_values_at_the_edges_of_storage_are_refused_with_a_path_or_stored(db, data, draw):
    """Lengths, integers, decimals and characters at and beyond what the columns hold: each
    is refused at its path, or stored and exported as written."""
    leaves = [
        (path, kind)
        for path, value in nodes(data)
        if path and not isinstance(value, dict | list) and (kind := kind_of(path))
    ]
    path, kind = draw.draw(st.sampled_from(leaves))
    value = draw.draw(st.sampled_from(EDGES[kind]))
    put(data, path, value)
    content = yaml.safe_dump(data, allow_unicode=False, sort_keys=False).encode()
    try:
        exported, _text = imported_and_exported(content)
    except FrameworkFileError as error:
        if kind != "integer":  # a changed scale or level also leaves gaps elsewhere
            problem_at(error.problems, path)
    else:
        assert validate_framework_data(exported) == []
        if kind == "text":  # levels come back in scale order: look for the text anywhere
            assert value.strip() in {v for _p, v in nodes(exported) if isinstance(v, str)}


YAML_PIECES = [
    "[", "]", "{", "}", ", ", ": ", " ", "\n", "  ", "- ", "? ", "&a ", "*a", "!!int ", "!x ",
    "<<: ", "'", '"', "# c", "|\n", ">\n", "---\n", "...\n", "%YAML 1.1\n", "%TAG ! !x\n",
    "\\", "\\0", "\\ud800", "\x85", "\u2028", "\ufeff", "\t", "0x_", "0b_", "._", "1:2:3",
    "2026-13-45", "2026-01-01 00:00:00 +99:00", ".nan", ".inf", "1.0", "1e400", "~", "yes",
    "=", "slug", "format", "levelcheck-framework/1", "version", "title", "scale", "levels",
    "dimensions", "9" * 60,
]  # fmt: skip


@settings(PROPERTY, max_examples=200)
@given(st.lists(st.sampled_from(YAML_PIECES), max_size=40).map("".join) | st.text(max_size=60))
def test_any_text_is_a_framework_or_a_framework_file_error(text):
    try:
        load_framework_file(text.encode(), source="x")
    except FrameworkFileError as error:
        assert error.problems


@settings(PROPERTY, max_examples=50)
@given(st.binary(max_size=200))
def test_any_bytes_are_a_framework_or_a_framework_file_error(content):
    try:
        load_framework_file(content, source="x")
    except FrameworkFileError as error:
        assert error.problems


def test_the_strategy_generates_every_optional_field():
    """Guards the generator itself: each optional part occurs in some example."""
    seen: set = set()

    @settings(max_examples=30, derandomize=True, database=None)
    @given(frameworks())
    def collect(data):
        seen.update(str(path[-1]) for path, _value in nodes(data) if path)
        seen.add(f"lang:{data.get('languages')}")

    collect()
    for field in ("description", "areas", "area", "recommendations", "help", "weight"):
        assert field in seen
    assert {"functions", "allow_na", "status", "languages", "lang:None"} <= seen
