"""Declared scoring rules (docs/scoring.md, "Declared rules") in the engine, pure DataFrames:
each worked example of the docs computed by hand in the comments, then asserted.

The common example: a 0–3 scale, one department (1), dimension ``d`` with three questions
whose values lie on 0–1:

    question  weight  stream  level  manager 11
    q1        1       A       1      1     (on the scale: 3)
    q2        2       A       2      0.5   (on the scale: 1.5)
    q3        1       B       3      unanswered (an answer row without a choice)
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from maturity import scoring
from maturity.scoring import Scale
from maturity.scoring_rules import ScoringRules

ZERO_TO_THREE = Scale(0, 3)
DEPT = 1
BLANK, NA, NO_ROW = "blank", "N/A", "no row"
QUESTIONS = {  # code: (weight, stream, level)
    "q1": (1.0, "A", 1),
    "q2": (2.0, "A", 2),
    "q3": (1.0, "B", 3),
}
EXAMPLE = {11: ("manager", {"q1": 1, "q2": 0.5, "q3": BLANK})}


def frames(responses, questions=QUESTIONS, *, value_range=(0.0, 1.0), dimension="d"):
    """(answers, applicable) with the v2 columns: {response: (role, {question: value})}."""
    ids = {code: n for n, code in enumerate(questions, start=1)}
    low, high = value_range
    rows = []
    for response, (role, answers) in responses.items():
        for code, value in answers.items():
            if value == NO_ROW:
                continue
            weight, stream, level = questions[code]
            raw = np.nan if value in (BLANK, NA) else float(value)
            rows.append(
                (
                    response,
                    DEPT,
                    role,
                    ids[code],
                    dimension,
                    weight,
                    raw,  # ``score``: the engine maps ``value`` itself
                    value == NA,
                    stream,
                    raw,
                    float(level),
                )
            )
    answers = pd.DataFrame.from_records(rows, columns=scoring.ANSWER_V2_COLUMNS)
    answers["is_na"] = answers["is_na"].astype(bool)
    applicable = pd.DataFrame.from_records(
        [
            (DEPT, dimension, ids[code], weight, stream, float(level), low, high)
            for code, (weight, stream, level) in questions.items()
        ],
        columns=scoring.APPLICABLE_V2_COLUMNS,
    )
    return answers, applicable


def mean_of(rules: dict, responses=EXAMPLE, response=11, **options) -> float:
    answers, applicable = frames(responses, **options)
    scores = scoring.respondent_scores(
        answers, applicable, ZERO_TO_THREE, ScoringRules.from_data(rules)
    )
    row = scores[scores["response_id"] == response].iloc[0]
    return row["mean"]


# --- aggregation ------------------------------------------------------------------------


def test_the_default_rule_is_the_weighted_mean_of_values_mapped_onto_the_scale():
    # q1 1 → 0 + (1 − 0) ÷ (1 − 0) × 3 = 3; q2 0.5 → 1.5; q3 left out.
    # (1 × 3 + 2 × 1.5) ÷ (1 + 2) = 6 ÷ 3 = 2.00
    assert mean_of({}) == pytest.approx(2.0)


def test_mean_is_unweighted():
    # (3 + 1.5) ÷ 2 = 2.25
    assert mean_of({"dimension": "mean"}) == pytest.approx(2.25)


def test_sum_adds_raw_values_times_weight():
    # 1 × 1 + 2 × 0.5 = 2.00 (raw values, not mapped)
    assert mean_of({"dimension": "sum"}) == pytest.approx(2.0)


def test_sum_divided_divides_the_sum():
    # (1 × 1 + 2 × 0.5) ÷ 2 = 1.00
    assert mean_of({"dimension": "sum_divided", "divisor": 2}) == pytest.approx(1.0)


def test_unanswered_counted_as_zero_against_left_out():
    # weighted_mean, q3 counted as 0: (1 × 3 + 2 × 1.5 + 1 × 0) ÷ (1 + 2 + 1) = 6 ÷ 4 = 1.50
    assert mean_of({"unanswered": 0}) == pytest.approx(1.5)
    # mean: (3 + 1.5 + 0) ÷ 3 = 1.50; left out: 2.25
    assert mean_of({"dimension": "mean", "unanswered": 0}) == pytest.approx(1.5)
    # An applicable question with no answer row at all counts the same: 1.50
    no_row = {11: ("manager", {"q1": 1, "q2": 0.5, "q3": NO_ROW})}
    assert mean_of({"unanswered": 0}, no_row) == pytest.approx(1.5)
    assert mean_of({}, no_row) == pytest.approx(2.0)


def test_unanswered_as_a_value_is_a_value_on_the_questions_range():
    # unanswered: 0.5 on 0–1 is 1.5 on the scale: (3 + 2 × 1.5 + 1.5) ÷ 4 = 7.5 ÷ 4 = 1.875
    assert mean_of({"unanswered": 0.5}) == pytest.approx(1.875)


def test_na_counted_as_a_value():
    with_na = {11: ("manager", {"q1": 1, "q2": 0.5, "q3": NA})}
    # left out: 2.00 as above
    assert mean_of({}, with_na) == pytest.approx(2.0)
    # N/A = 0.5 → 1.5 on the scale: (3 + 3 + 1.5) ÷ 4 = 1.875
    assert mean_of({"not_applicable": 0.5}, with_na) == pytest.approx(1.875)
    # N/A = 0 under sum ÷ 2: (1 + 1 + 0) ÷ 2 = 1.00; the unanswered rule does not touch N/A
    assert mean_of(
        {"dimension": "sum_divided", "divisor": 2, "not_applicable": 0, "unanswered": 1},
        with_na,
    ) == pytest.approx(1.0)


def test_everything_left_out_has_no_mean_even_for_a_sum():
    nothing = {11: ("manager", {"q1": BLANK, "q2": NA, "q3": BLANK})}
    assert math.isnan(mean_of({"dimension": "sum"}, nothing))
    # …but counted as 0 the sum is 0, a real score
    assert mean_of(
        {"dimension": "sum", "unanswered": 0, "not_applicable": 0}, nothing
    ) == pytest.approx(0.0)


def test_mean_of_streams():
    rules = {"dimension": "mean_of_streams", "stream": "mean", "unanswered": 0}
    # stream A: (3 + 1.5) ÷ 2 = 2.25; stream B: q3 unanswered = 0 → 0; (2.25 + 0) ÷ 2 = 1.125
    assert mean_of(rules) == pytest.approx(1.125)
    # stream: sum → A: 1 + 2 × 0.5 = 2.0, B: 0 → (2.0 + 0) ÷ 2 = 1.00
    assert mean_of({**rules, "stream": "sum"}) == pytest.approx(1.0)
    # unanswered left out: stream B has no score and is left out → 2.25
    assert mean_of({"dimension": "mean_of_streams", "stream": "mean"}) == pytest.approx(2.25)


def test_stream_frames_roll_up_like_dimensions():
    answers, applicable = frames(
        {
            11: ("manager", {"q1": 1, "q2": 0.5, "q3": 1}),
            12: ("manager", {"q1": 0, "q2": 0.5, "q3": 0}),
        }
    )
    rules = ScoringRules.from_data({"stream": "sum"})
    streams = scoring.stream_values(answers, applicable, ZERO_TO_THREE, rules)
    department = scoring.department_roll_up(streams, ["dimension", "stream"], ZERO_TO_THREE)
    a = department[department["stream"] == "A"].iloc[0]
    # stream A: 11 → 1 + 2 × 0.5 = 2.0; 12 → 0 + 2 × 0.5 = 1.0; department (2 + 1) ÷ 2 = 1.5
    assert (a["mean"], a["n"]) == (pytest.approx(1.5), 2)
    assert a["score"] == pytest.approx(50.0)  # 1.5 ÷ 3 × 100


def test_identity_on_the_scale_keeps_todays_numbers_bit_for_bit():
    # Values written on the scale itself (v1): the mapping is skipped, not recomputed.
    answers, applicable = frames(
        {11: ("manager", {"q1": 0.1, "q2": 2.9, "q3": 1.7})}, value_range=(np.nan, np.nan)
    )
    mean = scoring.respondent_scores(answers, applicable, ZERO_TO_THREE)["mean"].iloc[0]
    assert mean == (1 * 0.1 + 2 * 2.9 + 1 * 1.7) / 4


# --- levels -----------------------------------------------------------------------------

THRESHOLDS = ScoringRules.from_data(
    {
        "level": {
            "rule": "thresholds",
            "thresholds": [
                {"level": 1, "from": 0.5},
                {"level": 2, "from": 1.5},
                {"level": 3, "from": 2.75},
            ],
        }
    }
)


@pytest.mark.parametrize(
    "mean, level",
    [(0.0, 0), (0.49, 0), (0.5, 1), (1.49, 1), (1.5, 2), (2.74, 2), (2.75, 3), (3.0, 3)],
)
def test_thresholds_give_the_highest_level_reached(mean, level):
    # 0.49 is below the first ``from`` (0.5): the scale's lowest, 0. 2.74 < 2.75 → 2.
    assert scoring.level_of(mean, ZERO_TO_THREE, THRESHOLDS) == level
    series = scoring.level_of(pd.Series([mean, np.nan]), ZERO_TO_THREE, THRESHOLDS)
    assert series.iloc[0] == level and pd.isna(series.iloc[1])


GATED = {"dimension": "sum_divided", "divisor": 2, "level": {"rule": "gated", "gate": 1}}
LEVELS = {  # one question per stream per level, as in published models
    f"{level}-{stream}": (1.0, stream, level) for level in (1, 2, 3) for stream in "AB"
}


def gated(responses, rules=GATED):
    answers, applicable = frames(responses, LEVELS)
    rules = ScoringRules.from_data(rules)
    scores = scoring.respondent_scores(answers, applicable, ZERO_TO_THREE, rules)
    questions = scoring.question_values(answers, applicable, ZERO_TO_THREE, rules)
    departments = scoring.department_scores(scores, ZERO_TO_THREE, rules=rules, questions=questions)
    return scores.set_index("response_id"), departments.iloc[0]


def test_gated_levels_need_every_question_of_a_level_at_the_gate():
    full = {"1-A": 1, "1-B": 1, "2-A": 1, "2-B": 1, "3-A": 1, "3-B": 1}
    scores, _ = gated(
        {
            # all met → 3 (Σ 6 ÷ 2 = 3.00)
            11: ("manager", full),
            # level 2's 2-B at 0.5 < 1: level 1, though 3-A and 3-B are met (Σ 5.5 ÷ 2 = 2.75,
            # whose floor would be 2)
            12: ("manager", {**full, "2-B": 0.5}),
            # 1-A unanswered (left out) blocks level 1: level 0 (Σ 5 ÷ 2 = 2.50)
            13: ("manager", {**full, "1-A": BLANK}),
        }
    )
    assert scores.loc[11, "level"] == 3
    assert (scores.loc[12, "mean"], scores.loc[12, "level"]) == (pytest.approx(2.75), 1)
    assert (scores.loc[13, "mean"], scores.loc[13, "level"]) == (pytest.approx(2.5), 0)


def test_a_department_is_gated_on_its_mean_value_per_question():
    full = {"1-A": 1, "1-B": 1, "2-A": 1, "2-B": 1, "3-A": 1, "3-B": 0}
    _, department = gated(
        {
            11: ("manager", full),  # level 2 (3-B unmet)
            12: ("manager", {**full, "2-A": 0.5}),  # level 1
        }
    )
    # Per question: 2-A (1 + 0.5) ÷ 2 = 0.75 < 1 → level 2 unmet; level 1 met → 1.
    # The mean: 11 Σ 5 ÷ 2 = 2.5, 12 Σ 4.5 ÷ 2 = 2.25 → 2.375 (floor would be 2).
    assert department["mean"] == pytest.approx(2.375)
    assert department["level"] == 1


# --- areas and the overall figure -------------------------------------------------------


def respondents_of(means: dict[tuple[int, str], float]) -> pd.DataFrame:
    """A respondent_scores frame from {(response, dimension): mean} (department 1, managers)."""
    return pd.DataFrame(
        [
            {"response_id": r, "department_id": DEPT, "rater_role": "manager", "dimension": d}
            | {"mean": m}
            for (r, d), m in means.items()
        ]
    )


DIMENSIONS = pd.DataFrame.from_records(
    [("a1", "X", 1.0, 1.0), ("a2", "X", 3.0, 1.0), ("b1", "Y", 1.0, 2.0)],
    columns=scoring.DIMENSION_COLUMNS,
)


def test_areas_mean_and_weighted_mean_by_dimension_weight():
    scores = respondents_of({(11, "a1"): 1.0, (11, "a2"): 3.0, (11, "b1"): 2.0})
    plain = scoring.respondent_area_scores(scores, DIMENSIONS, ZERO_TO_THREE)
    # mean: X = (1 + 3) ÷ 2 = 2.0
    assert plain.set_index("area").loc["X", "mean"] == pytest.approx(2.0)
    weighted = scoring.respondent_area_scores(
        scores, DIMENSIONS, ZERO_TO_THREE, ScoringRules.from_data({"area": "weighted_mean"})
    )
    # weighted_mean: X = (1 × 1 + 3 × 3) ÷ (1 + 3) = 10 ÷ 4 = 2.5
    assert weighted.set_index("area").loc["X", "mean"] == pytest.approx(2.5)


def test_overall_mean_of_areas_weighs_areas_and_falls_back_without_areas():
    scores = respondents_of({(11, "a1"): 1.0, (11, "a2"): 3.0, (11, "b1"): 0.5})
    rules = ScoringRules.from_data({"overall": "mean_of_areas"})
    areas = scoring.respondent_area_scores(scores, DIMENSIONS, ZERO_TO_THREE, rules)
    overall = scoring.respondent_overall_scores(scores, areas, DIMENSIONS, ZERO_TO_THREE, rules)
    # X = 2.0 (weight 1), Y = 0.5 (weight 2): (1 × 2.0 + 2 × 0.5) ÷ 3 = 1.00
    assert overall["mean"].iloc[0] == pytest.approx(1.0)
    # mean_of_dimensions: (1 + 3 + 0.5) ÷ 3 = 1.50
    dims = ScoringRules.from_data({"overall": "mean_of_dimensions"})
    overall = scoring.respondent_overall_scores(scores, areas, DIMENSIONS, ZERO_TO_THREE, dims)
    assert overall["mean"].iloc[0] == pytest.approx(1.5)
    # No areas at all: mean_of_areas falls back to the mean of dimensions, 1.50
    bare = DIMENSIONS.assign(area=None)
    assert not scoring.uses_areas(bare, rules)
    overall = scoring.respondent_overall_scores(scores, areas.iloc[0:0], bare, ZERO_TO_THREE, rules)
    assert overall["mean"].iloc[0] == pytest.approx(1.5)


def test_departments_are_the_mean_of_respondents_and_the_organisation_of_departments():
    scores = pd.DataFrame(
        [
            (11, 1, "manager", "X", 1.0),
            (12, 1, "manager", "X", 2.0),
            (13, 1, "consultant", "X", 3.0),  # not a self-rating: left out of department 1
            (21, 2, "manager", "X", 2.5),
        ],
        columns=["response_id", "department_id", "rater_role", "area", "mean"],
    )
    departments = scoring.department_roll_up(scores, ["area"], ZERO_TO_THREE)
    # department 1: (1 + 2) ÷ 2 = 1.5 (n 2); department 2: 2.5
    assert departments.set_index("department_id")["mean"].to_dict() == {1: 1.5, 2: 2.5}
    organisation = scoring.organisation_roll_up(departments, ["area"], ZERO_TO_THREE)
    # (1.5 + 2.5) ÷ 2 = 2.0, not the mean of the three managers (1 + 2 + 2.5) ÷ 3 = 1.8333
    assert organisation.iloc[0]["mean"] == pytest.approx(2.0)
    assert organisation.iloc[0]["n"] == 2


# --- precision and half-up rounding -----------------------------------------------------


@pytest.mark.parametrize(
    "value, places, rounded",
    [
        (2.345, None, 2.35),  # half-up at the default 2 decimals
        (0.125, None, 0.13),  # banker's rounding would give 0.12
        (2.675, None, 2.68),  # Python's round(2.675, 2) gives 2.67 (binary 2.67499…)
        (2.5, 0, 3.0),  # banker's: 2
        (3.5, 0, 4.0),
        (-1.25, 1, -1.3),  # half away from zero
        (1.0 / 3, None, 0.33),
    ],
)
def test_round_is_half_up(value, places, rounded):
    assert ScoringRules().round(value, places) == rounded


def test_precision_is_the_declared_number_of_decimals():
    rules = ScoringRules.from_data({"precision": 1})
    # 1.25 → 1.3 at one decimal; 49.7222 → 49.7
    assert rules.round(1.25) == 1.3
    assert rules.round(149.16667 / 3) == 49.7
    assert rules.round(None) is None and rules.round(float("nan")) is None
