"""Format v2 files: a SAMM-like file validates; each rule beyond the schema refuses a small
bad file at the exact path with a plain message; the schema's messages speak v2."""

import copy

import pytest

from maturity import scoring_rules
from maturity.framework_file import (
    FrameworkFileError,
    framework_schema,
    load_framework_file,
    validate_framework_data,
)
from tests.conftest import to_yaml


def _degree():
    return [
        {"label": {"en": "No", "ja": "いいえ"}, "value": 0},
        {"label": {"en": "A little", "ja": "少し"}, "value": 0.25},
        {"label": {"en": "Partly", "ja": "部分的に"}, "value": 0.5},
        {"label": {"en": "Fully", "ja": "完全に"}, "value": 1},
    ]


def _questions(practice: str) -> list[dict]:
    return [
        {
            "code": f"{practice}-{level}-{stream}",
            "stream": stream,
            "level": level,
            "text": {"en": f"{practice} level {level} stream {stream}?"},
            "answer_set": "degree",
        }
        for level in (1, 2, 3)
        for stream in ("A", "B")
    ]


V2 = {
    "format": "levelcheck-framework/2",
    "slug": "samm-lite",
    "version": "2.2.0",
    "status": "published",
    "languages": ["en", "ja"],
    "title": {"en": "SAMM lite", "ja": "SAMM ライト"},
    "licence": "CC-BY-SA-4.0",
    "attribution": {"en": "After OWASP SAMM"},
    "source_url": "https://owaspsamm.org/model/",
    "external_ids": {"doi": "10.0000/example"},
    "scale": {"min": 0, "max": 3},
    "levels": [
        {"level": 0},
        {"level": 1, "title": {"en": "Initial"}},
        {"level": 2, "title": {"en": "Managed"}},
        {"level": 3, "title": {"en": "Optimised"}},
    ],
    "scoring": {
        "unanswered": 0,
        "dimension": "sum_divided",
        "divisor": 2,
        "area": "mean",
        "level": {"rule": "floor"},
    },
    "answer_sets": [{"code": "degree", "values": {"min": 0, "max": 1}, "choices": _degree()}],
    "areas": [{"code": "G", "title": {"en": "Governance"}}],
    "dimensions": [
        {
            "code": "G-SM",
            "area": "G",
            "title": {"en": "Strategy and Metrics"},
            "streams": [
                {"code": "A", "title": {"en": "Create and promote"}},
                {"code": "B", "title": {"en": "Measure and improve"}},
            ],
            "levels": [{"level": 1, "description": {"en": "A plan exists."}}],
            "questions": _questions("G-SM"),
        },
        {
            "code": "G-PC",
            "area": "G",
            "title": {"en": "Policy and Compliance"},
            "streams": [{"code": "A"}, {"code": "B"}],
            "questions": _questions("G-PC"),
        },
    ],
}


def v2_data() -> dict:
    """A fresh valid v2 file as data (tests mutate their own copy)."""
    return copy.deepcopy(V2)


def problems(data) -> list[str]:
    return [str(p) for p in validate_framework_data(data)]


def test_a_samm_like_file_validates():
    assert problems(v2_data()) == []
    loaded = load_framework_file(to_yaml(v2_data()), source="samm.yaml")
    assert loaded["dimensions"][0]["questions"][0]["code"] == "G-SM-1-A"


def test_v1_files_still_say_what_a_v1_code_is(framework_data):
    framework_data["dimensions"][0]["code"] = "Bad Code"
    assert problems(framework_data) == [
        "dimensions[0].code: 'Bad Code' is not a valid code (lowercase letters, digits, '-' "
        "and '_')"
    ]


def test_the_v2_pattern_message_describes_the_v2_code():
    data = v2_data()
    data["dimensions"][0]["questions"][1]["code"] = "-G SM"
    assert problems(data) == [
        "dimensions[0].questions[1].code: '-G SM' is not a valid code (letters, digits, '.', "
        "'-' and '_', starting with a letter or digit, at most 80)"
    ]


def test_a_version_string_must_look_like_one():
    data = v2_data()
    data["version"] = "2.2 beta"
    assert problems(data) == [
        "version: '2.2 beta' is not a valid version (an integer, or letters, digits, '.', '+', "
        "'-' and '_' such as 2.2.0)"
    ]


def test_a_v1_version_must_still_be_an_integer(framework_data):
    framework_data["version"] = "2.2.0"
    assert problems(framework_data) == ["version: expected integer, got string '2.2.0'"]


def test_a_source_url_must_be_http():
    data = v2_data()
    data["source_url"] = "ftp://example.org"
    assert problems(data) == [
        "source_url: 'ftp://example.org' is not a valid link (an http:// or https:// address "
        "without spaces)"
    ]


def test_an_external_id_name_is_checked_as_a_name_not_a_language():
    data = v2_data()
    data["external_ids"] = {"bad key": "x"}
    assert problems(data) == [
        "external_ids: 'bad key' is not a valid identifier name (letters, digits, '.', ':', "
        "'-' and '_', at most 60)"
    ]


def test_a_text_in_an_unknown_language_is_still_named_so():
    data = v2_data()
    data["title"] = {"en": "x", "fr": "y"}
    assert problems(data) == ["title: unknown language 'fr'; expected one of: ja, en"]


def test_v2_fields_are_unknown_in_v1(framework_data):
    framework_data["licence"] = "MIT"
    assert problems(framework_data) == ["unknown field: 'licence' was unexpected"]


def test_the_divisor_must_be_above_zero():
    data = v2_data()
    data["scoring"]["divisor"] = 0
    assert problems(data) == ["scoring.divisor: expected more than 0, got 0"]


def test_the_precision_lies_from_0_to_4():
    data = v2_data()
    data["scoring"]["precision"] = 5
    assert problems(data) == ["scoring.precision: expected at most 4, got 5"]


def test_the_schema_lists_the_names_scoring_rules_knows():
    scoring = framework_schema()["$defs"]["scoring"]["properties"]
    assert tuple(scoring["stream"]["enum"]) == scoring_rules.STREAM_AGGREGATES
    assert tuple(scoring["dimension"]["enum"]) == scoring_rules.DIMENSION_AGGREGATES
    assert tuple(scoring["area"]["enum"]) == scoring_rules.AREA_AGGREGATES
    assert tuple(scoring["overall"]["enum"]) == scoring_rules.OVERALL_AGGREGATES
    assert tuple(scoring["level"]["properties"]["rule"]["enum"]) == scoring_rules.LEVEL_RULES


# --- rules beyond the schema ------------------------------------------------------------


def test_codes_are_unique_ignoring_case():
    data = v2_data()
    data["dimensions"][1]["code"] = "g-sm"
    data["dimensions"][1]["questions"][0]["code"] = "g-sm-1-a"
    assert problems(data) == [
        "dimensions[1].code: duplicate code 'g-sm' (already used at dimensions[0].code as "
        "'G-SM'; codes are compared ignoring case)",
        "dimensions[1].questions[0].code: duplicate code 'g-sm-1-a' (already used at "
        "dimensions[0].questions[0].code as 'G-SM-1-A'; codes are compared ignoring case)",
    ]


def test_stream_and_answer_set_codes_are_unique():
    data = v2_data()
    data["dimensions"][1]["streams"][1]["code"] = "a"
    data["answer_sets"].append(copy.deepcopy(data["answer_sets"][0]))
    assert problems(data) == [
        "answer_sets[1].code: duplicate code 'degree' (already used at answer_sets[0].code)",
        "dimensions[1].streams[1].code: duplicate code 'a' (already used at "
        "dimensions[1].streams[0].code as 'A'; codes are compared ignoring case)",
        "dimensions[1].questions[1].stream: unknown stream 'B' (streams of this dimension: A, a)",
        "dimensions[1].questions[3].stream: unknown stream 'B' (streams of this dimension: A, a)",
        "dimensions[1].questions[5].stream: unknown stream 'B' (streams of this dimension: A, a)",
    ]


def test_a_value_must_lie_within_its_range():
    data = v2_data()
    data["answer_sets"][0]["choices"][3]["value"] = 3
    assert problems(data) == ["answer_sets[0].choices[3].value: 3 is outside the value range 0–1"]


def test_own_choices_default_to_the_scale():
    data = v2_data()
    question = data["dimensions"][0]["questions"][0]
    del question["answer_set"]
    question["choices"] = [{"label": "no", "value": 0}, {"label": "yes", "value": 4}]
    assert problems(data) == [
        "dimensions[0].questions[0].choices[1].value: 4 is outside the level scale 0–3"
    ]


def test_own_values_declare_the_range():
    data = v2_data()
    question = data["dimensions"][0]["questions"][0]
    del question["answer_set"]
    question["values"] = {"min": 1, "max": 1}
    question["choices"] = [{"label": "no", "value": 1}, {"label": "yes", "value": 1}]
    assert problems(data) == [
        "dimensions[0].questions[0].values.max: must be above values.min (1), got 1"
    ]


def test_a_value_has_at_most_two_decimals():
    data = v2_data()
    data["answer_sets"][0]["choices"][1]["value"] = 0.125
    assert problems(data) == [
        "answer_sets[0].choices[1].value: 0.125 has 3 decimal places; values are stored with "
        "at most 2"
    ]


def test_an_answer_set_must_exist():
    data = v2_data()
    data["dimensions"][0]["questions"][2]["answer_set"] = "Degree"
    assert problems(data) == [
        "dimensions[0].questions[2].answer_set: unknown answer set 'Degree' (answer sets: degree)"
    ]


def test_an_answer_set_excludes_own_choices_and_values():
    data = v2_data()
    question = data["dimensions"][0]["questions"][0]
    question["choices"] = _degree()
    question["values"] = {"min": 0, "max": 1}
    message = (
        "the question uses answer_set 'degree'; give either an answer set or its own choices "
        "and values, not both"
    )
    assert problems(data) == [
        f"dimensions[0].questions[0].choices: {message}",
        f"dimensions[0].questions[0].values: {message}",
    ]


def test_a_question_needs_an_answer_set_or_choices():
    data = v2_data()
    del data["dimensions"][0]["questions"][0]["answer_set"]
    assert problems(data) == [
        "dimensions[0].questions[0]: needs either 'answer_set' or its own 'choices'"
    ]


def test_a_question_level_lies_within_the_scale():
    data = v2_data()
    data["dimensions"][0]["questions"][0]["level"] = 4
    assert problems(data) == ["dimensions[0].questions[0].level: level 4 is outside the scale 0–3"]


def test_framework_levels_may_be_left_out_but_if_given_cover_the_scale():
    data = v2_data()
    del data["levels"]
    assert problems(data) == []
    data = v2_data()
    del data["levels"][2]
    assert problems(data) == [
        "levels: missing level(s) 2: the scale 0–3 needs one entry per level, without gaps"
    ]


def test_dimension_levels_may_be_partial_but_within_the_scale_and_unrepeated():
    data = v2_data()
    data["dimensions"][0]["levels"] = [{"level": 1}, {"level": 1}, {"level": 5}]
    assert problems(data) == [
        "dimensions[0].levels: level 1 appears 2 times",
        "dimensions[0].levels[2].level: level 5 is outside the scale 0–3",
    ]


def test_no_recommendations_on_the_top_level():
    data = v2_data()
    data["dimensions"][0]["levels"] = [{"level": 3, "recommendations": ["more"]}]
    assert problems(data) == [
        "dimensions[0].levels[0].recommendations: level 3 is the top of the scale; "
        "recommendations lead to the next level, so there are none here"
    ]


def test_the_scale_may_start_below_zero_but_max_is_above_min():
    data = v2_data()
    data["scale"] = {"min": 3, "max": 3}
    assert problems(data) == ["scale.max: must be above scale.min (3), got 3"]


def test_sum_divided_needs_a_divisor():
    data = v2_data()
    del data["scoring"]["divisor"]
    assert problems(data) == ["scoring: dimension: sum_divided needs a 'divisor' (greater than 0)"]


def test_a_divisor_needs_sum_divided():
    data = v2_data()
    data["scoring"]["dimension"] = "mean"
    assert problems(data) == [
        "scoring.divisor: a divisor is only used with dimension: sum_divided (the rule is mean)"
    ]


def test_a_sum_rule_must_reach_only_the_scale():
    # Six answers of 0–1 summed give 0–6: without the ÷ 2 the scale 0–3 is overrun; the
    # second dimension is the same, so both are named.
    data = v2_data()
    data["scoring"]["dimension"] = "sum"
    del data["scoring"]["divisor"]
    assert problems(data) == [
        "dimensions[0]: the declared rule gives scores 0–6 but the scale is 0–3",
        "dimensions[1]: the declared rule gives scores 0–6 but the scale is 0–3",
    ]


def test_values_written_on_the_wrong_range_are_caught_by_the_reach():
    # The answer set written on 0–3 (values ×3): 6 × 3 ÷ 2 = 9.
    data = v2_data()
    answer_set = data["answer_sets"][0]
    answer_set["values"] = {"min": 0, "max": 3}
    for choice, value in zip(answer_set["choices"], (0, 0.75, 1.5, 3), strict=True):
        choice["value"] = value
    assert problems(data)[0] == (
        "dimensions[0]: the declared rule gives scores 0–9 but the scale is 0–3"
    )


def test_a_stream_sum_under_mean_of_streams_must_reach_only_the_scale():
    # Stream A of G-SM has three 0–1 questions: 0–3 fits; with weight 2 on one it is 0–4.
    data = v2_data()
    data["scoring"] = {"dimension": "mean_of_streams", "stream": "sum"}
    assert problems(data) == []
    data["dimensions"][0]["questions"][0]["weight"] = 2
    assert problems(data) == [
        "dimensions[0].streams[0]: the declared rule gives scores 0–4 but the scale is 0–3"
    ]


def test_mean_of_streams_needs_every_question_in_a_stream():
    data = v2_data()
    data["scoring"] = {"dimension": "mean_of_streams"}
    del data["dimensions"][1]["questions"][4]["stream"]
    assert problems(data) == [
        "dimensions[1].questions[4]: missing 'stream': the dimension rule mean_of_streams "
        "needs every question in a stream"
    ]


def test_unanswered_is_left_out_or_a_number():
    data = v2_data()
    data["scoring"]["unanswered"] = "zero"
    data["scoring"]["not_applicable"] = 0.333
    assert problems(data) == [
        "scoring.unanswered: expected 'left_out' or a number, got 'zero'",
        "scoring.not_applicable: 0.333 has 3 decimal places; values are stored with at most 2",
    ]


def test_thresholds_are_ordered_within_the_scale_and_need_none_at_the_bottom():
    data = v2_data()
    data["scoring"]["level"] = {
        "rule": "thresholds",
        "thresholds": [
            {"level": 0, "from": 0},
            {"level": 2, "from": 1.0},
            {"level": 1, "from": 1.5},
            {"level": 3, "from": 3.5},
            {"level": 2, "from": 2},
        ],
    }
    assert problems(data) == [
        "scoring.level.thresholds[0].level: level 0 is the bottom of the scale and needs no "
        "threshold (a score below every threshold is that level)",
        "scoring.level.thresholds[1].from: 1 must be above the threshold of level 1 (1.5): "
        "thresholds rise with the level",
        "scoring.level.thresholds[4].level: level 2 already has a threshold (thresholds[1])",
        "scoring.level.thresholds[3].from: 3.5 is outside the scale 0–3",
    ]


def test_a_threshold_level_lies_within_the_scale():
    data = v2_data()
    data["scoring"]["level"] = {"rule": "thresholds", "thresholds": [{"level": 4, "from": 2}]}
    assert problems(data) == ["scoring.level.thresholds[0].level: level 4 is outside the scale 0–3"]


def test_thresholds_need_the_thresholds_rule_and_the_rule_needs_them():
    data = v2_data()
    data["scoring"]["level"] = {"rule": "thresholds"}
    assert problems(data) == ["scoring.level: rule: thresholds needs 'thresholds'"]
    data["scoring"]["level"] = {"thresholds": [{"level": 1, "from": 1}]}
    assert problems(data) == [
        "scoring.level.thresholds: thresholds are only used with rule: thresholds (the rule "
        "is floor)"
    ]


def test_gated_needs_a_gate_and_leveled_questions():
    data = v2_data()
    for dim in data["dimensions"]:
        for question in dim["questions"]:
            del question["level"]
    data["scoring"]["level"] = {"rule": "gated"}
    assert problems(data) == [
        "scoring.level: rule: gated needs a 'gate' (the value a question must reach)",
        "scoring.level: rule: gated needs at least one question with a 'level' (nothing would "
        "gate)",
    ]


def test_a_gate_needs_the_gated_rule():
    data = v2_data()
    data["scoring"]["level"] = {"rule": "floor", "gate": 1}
    assert problems(data) == [
        "scoring.level.gate: a gate is only used with rule: gated (the rule is floor)"
    ]


def test_a_dimension_needs_a_known_area():
    data = v2_data()
    data["dimensions"][1]["area"] = "g"
    assert problems(data) == ["dimensions[1].area: unknown area 'g' (areas: G)"]


def test_guidance_criteria_and_reference_titles_are_texts_in_the_first_language():
    data = v2_data()
    question = data["dimensions"][0]["questions"][0]
    question["guidance"] = {"ja": "日本語だけ"}
    question["criteria"] = [{"en": "ok"}, {"ja": "x"}]
    question["references"] = [{"title": {"ja": "x"}, "url": "https://example.org"}]
    assert problems(data) == [
        "dimensions[0].questions[0].guidance: missing text in the framework's first language 'en'",
        "dimensions[0].questions[0].criteria[1]: missing text in the framework's first "
        "language 'en'",
        "dimensions[0].questions[0].references[0].title: missing text in the framework's "
        "first language 'en'",
    ]


def test_a_bad_v2_file_is_refused_with_its_source():
    data = v2_data()
    data["dimensions"][0]["questions"][0]["level"] = 9
    with pytest.raises(FrameworkFileError) as excinfo:
        load_framework_file(to_yaml(data), source="samm.yaml")
    assert excinfo.value.render() == (
        "samm.yaml: dimensions[0].questions[0].level: level 9 is outside the scale 0–3"
    )
