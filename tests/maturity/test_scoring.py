"""The scoring engine (maturity.scoring): the worked example of docs/scoring.md, number by
number, then edge cases. Frames are built by hand; no database."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from maturity import scoring
from maturity.scoring import Scale
from results.loader import CampaignResults

MEAN = 1e-4  # tolerance for means and other values on the level scale
SCORE = 1e-2  # tolerance for scores 0–100

ONE_TO_FIVE = Scale(1, 5)

# --- the worked example -------------------------------------------------------------------

SALES, MARKETING = 1, 2
A, B, C, D = 11, 12, 13, 21  # response ids
NA = "N/A"

WEIGHTS = {"kpi-1": 1.0, "kpi-2": 2.0, "kpi-3": 1.0, "data-1": 1.0, "data-2": 1.5}
EXAMPLE = {
    A: (SALES, "manager", {"kpi-1": 4, "kpi-2": 4, "kpi-3": 1, "data-1": 3, "data-2": 4}),
    B: (SALES, "manager", {"kpi-1": NA, "kpi-2": 3, "kpi-3": 2, "data-1": 3, "data-2": 2}),
    C: (SALES, "consultant", {"kpi-1": 3, "kpi-2": 3, "kpi-3": 2, "data-1": 2, "data-2": 3}),
    D: (MARKETING, "manager", {"kpi-1": 2, "kpi-2": 2, "kpi-3": 3, "data-1": 2, "data-2": 1}),
}


def dimension_of(question: str) -> str:
    return question.rsplit("-", 1)[0]


def answer_frame(responses: dict, weights: dict) -> pd.DataFrame:
    """ANSWER_COLUMNS from {response: (department, role, {question: score | NA | None})}:
    NA is an N/A answer, None an answer row with no choice."""
    rows = [
        (
            response,
            department,
            role,
            question,
            dimension_of(question),
            float(weights[question]),
            np.nan if value is None or value == NA else float(value),
            value == NA,
        )
        for response, (department, role, answers) in responses.items()
        for question, value in answers.items()
    ]
    frame = pd.DataFrame.from_records(rows, columns=scoring.ANSWER_COLUMNS)
    frame["is_na"] = frame["is_na"].astype(bool)
    return frame


def applicable_frame(departments, weights: dict) -> pd.DataFrame:
    rows = [
        (department, dimension_of(question), question, float(weight))
        for department in departments
        for question, weight in weights.items()
    ]
    return pd.DataFrame.from_records(rows, columns=scoring.APPLICABLE_COLUMNS)


def only(frame: pd.DataFrame, **keys) -> pd.Series:
    """The single row of ``frame`` matching ``keys``."""
    mask = pd.Series(True, index=frame.index)
    for column, value in keys.items():
        mask &= frame[column] == value
    match = frame[mask]
    assert len(match) == 1, f"{len(match)} rows for {keys}"
    return match.iloc[0]


def results_for(answers, applicable, scale=ONE_TO_FIVE, targets=None, previous=None):
    """CampaignResults without a database: only the scale is read from the campaign."""
    campaign = SimpleNamespace(framework=SimpleNamespace(scale_min=scale.low, scale_max=scale.high))
    return CampaignResults(
        campaign=campaign,
        departments=[],
        dimensions=[],
        answers=answers,
        applicable=applicable,
        previous_departments=previous,
        targets=targets or {},
    )


@pytest.fixture
def answers():
    return answer_frame(EXAMPLE, WEIGHTS)


@pytest.fixture
def applicable():
    return applicable_frame([SALES, MARKETING], WEIGHTS)


@pytest.fixture
def respondents(answers, applicable):
    return scoring.respondent_scores(answers, applicable, ONE_TO_FIVE)


@pytest.fixture
def departments(respondents):
    return scoring.department_scores(respondents, ONE_TO_FIVE)


@pytest.fixture
def previous():
    """Department means of the previous campaign (framework v1: kpi and tools, no data)."""
    return pd.DataFrame(
        [
            (SALES, "kpi", 2.5),
            (SALES, "tools", 2.0),
            (MARKETING, "kpi", 2.0),
            (MARKETING, "tools", 1.5),
        ],
        columns=["department_id", "dimension", "mean"],
    )


# Step 1: (response, dimension, Σ weight × score, Σ weight, answered, na, coverage, mean,
# score, level)
STEP_1 = [
    (A, "kpi", 13, 4, 3, 0, 1.0, 3.25, 56.25, 3),
    (B, "kpi", 8, 3, 2, 1, 0.6667, 2.6667, 41.67, 2),
    (C, "kpi", 11, 4, 3, 0, 1.0, 2.75, 43.75, 2),
    (D, "kpi", 9, 4, 3, 0, 1.0, 2.25, 31.25, 2),
    (A, "data", 9, 2.5, 2, 0, 1.0, 3.6, 65.00, 3),
    (B, "data", 6, 2.5, 2, 0, 1.0, 2.4, 35.00, 2),
    (C, "data", 6.5, 2.5, 2, 0, 1.0, 2.6, 40.00, 2),
    (D, "data", 3.5, 2.5, 2, 0, 1.0, 1.4, 10.00, 1),
]


@pytest.mark.parametrize(
    "response, dimension, weighted, weight, answered, na, coverage, mean, score, level", STEP_1
)
def test_worked_example_step_1_respondent_means(
    respondents, response, dimension, weighted, weight, answered, na, coverage, mean, score, level
):
    row = only(respondents, response_id=response, dimension=dimension)
    assert row["weight"] == pytest.approx(weight)
    assert row["mean"] * row["weight"] == pytest.approx(weighted)
    assert row["answered"] == answered
    assert row["na"] == na
    assert row["applicable"] == (3 if dimension == "kpi" else 2)
    assert row["coverage"] == pytest.approx(coverage, abs=MEAN)
    assert row["mean"] == pytest.approx(mean, abs=MEAN)
    assert row["score"] == pytest.approx(score, abs=SCORE)
    assert row["level"] == level


def test_worked_example_step_1_has_one_row_per_respondent_and_dimension(respondents):
    assert len(respondents) == 8
    assert respondents.loc[respondents["response_id"] == C, "rater_role"].unique().tolist() == [
        "consultant"
    ]


# Step 2: (department, dimension, mean, std, min, max, n, score, level)
STEP_2 = [
    (SALES, "kpi", 2.9583, 0.2917, 2.6667, 3.25, 2, 48.96, 2),
    (SALES, "data", 3.0, 0.6, 2.4, 3.6, 2, 50.00, 3),
    (MARKETING, "kpi", 2.25, 0.0, 2.25, 2.25, 1, 31.25, 2),
    (MARKETING, "data", 1.4, 0.0, 1.4, 1.4, 1, 10.00, 1),
]


@pytest.mark.parametrize("department, dimension, mean, std, low, high, n, score, level", STEP_2)
def test_worked_example_step_2_department_scores(
    departments, department, dimension, mean, std, low, high, n, score, level
):
    row = only(departments, department_id=department, dimension=dimension)
    assert row["mean"] == pytest.approx(mean, abs=MEAN)
    assert row["std"] == pytest.approx(std, abs=MEAN)
    assert row["min"] == pytest.approx(low, abs=MEAN)
    assert row["max"] == pytest.approx(high, abs=MEAN)
    assert row["n"] == n
    assert row["score"] == pytest.approx(score, abs=SCORE)
    assert row["level"] == level


def test_worked_example_step_2_boundaries(departments):
    kpi = only(departments, department_id=SALES, dimension="kpi")
    data = only(departments, department_id=SALES, dimension="data")
    assert kpi["mean"] == pytest.approx(2.9583, abs=MEAN)  # just below 3: level 2
    assert kpi["level"] == 2
    assert data["mean"] == pytest.approx(3.0, abs=1e-12)  # exactly on 3: level 3
    assert data["level"] == 3
    assert len(departments) == 4  # the consultant adds no row of its own


@pytest.mark.parametrize(
    "dimension, own, other, gap",
    [("kpi", 2.9583, 2.75, 0.2083), ("data", 3.0, 2.6, 0.4)],
)
def test_worked_example_step_3_perception_gap(respondents, dimension, own, other, gap):
    result = scoring.perception_gap(respondents, ONE_TO_FIVE)
    assert set(result["department_id"]) == {SALES}  # marketing has no outside rater
    row = only(result, department_id=SALES, dimension=dimension)
    assert row["mean_self"] == pytest.approx(own, abs=MEAN)
    assert row["mean_other"] == pytest.approx(other, abs=MEAN)
    assert row["gap"] == pytest.approx(gap, abs=MEAN)


def test_worked_example_step_4_disagreement(answers):
    result = scoring.disagreements(answers)
    assert len(result) == 1
    row = result.iloc[0]
    assert row["department_id"] == SALES
    assert row["question_id"] == "data-2"
    assert row["dimension"] == "data"
    assert (row["low"], row["high"], row["n"], row["spread"]) == (2, 4, 3, 2)


@pytest.mark.parametrize(
    "dimension, mean, score, level",
    [("kpi", 2.6042, 40.10, 2), ("data", 2.2, 30.00, 2)],
)
def test_worked_example_step_5_organisation(departments, dimension, mean, score, level):
    row = only(scoring.organisation_scores(departments, ONE_TO_FIVE), dimension=dimension)
    assert row["mean"] == pytest.approx(mean, abs=MEAN)
    assert row["n"] == 2
    assert row["score"] == pytest.approx(score, abs=SCORE)
    assert row["level"] == level


def test_worked_example_step_5_is_not_the_mean_of_managers(respondents, departments):
    managers = respondents[
        (respondents["rater_role"] == "manager") & (respondents["dimension"] == "kpi")
    ]
    assert managers["mean"].mean() == pytest.approx(2.7222, abs=MEAN)
    organisation = scoring.organisation_scores(departments, ONE_TO_FIVE)
    assert only(organisation, dimension="kpi")["mean"] != pytest.approx(2.7222, abs=MEAN)


def test_worked_example_step_6_history(departments, previous):
    result = scoring.history(departments, previous)
    assert len(result) == 4  # tools, dropped in v2, is not shown
    assert set(result["dimension"]) == {"kpi", "data"}
    sales_kpi = only(result, department_id=SALES, dimension="kpi")
    assert sales_kpi["mean_previous"] == pytest.approx(2.5)
    assert sales_kpi["delta"] == pytest.approx(0.4583, abs=MEAN)
    assert only(result, department_id=MARKETING, dimension="kpi")["delta"] == pytest.approx(
        0.25, abs=MEAN
    )
    for department in (SALES, MARKETING):
        data = only(result, department_id=department, dimension="data")
        assert math.isnan(data["mean_previous"])
        assert math.isnan(data["delta"])


def test_worked_example_step_6_organisation_history(answers, applicable, previous):
    results = results_for(answers, applicable, previous=previous)
    history = results.organisation_history
    kpi = only(history, dimension="kpi")
    assert kpi["mean_previous"] == pytest.approx(2.25, abs=MEAN)
    assert kpi["delta"] == pytest.approx(0.3542, abs=MEAN)
    assert math.isnan(only(history, dimension="data")["delta"])
    assert "tools" not in set(history["dimension"])


def test_worked_example_step_7_targets_and_weights(answers, applicable):
    results = results_for(answers, applicable)
    assert results.target_for(SALES, "kpi") == 3
    assert results.target_for(SALES, "data") == 4
    assert results.target_for(MARKETING, "kpi") == 3
    assert results.target_for(MARKETING, "data") == 2
    assert results.dimension_weights["kpi"] == pytest.approx(1.2308, abs=MEAN)
    assert results.dimension_weights["data"] == pytest.approx(0.7692, abs=MEAN)


def test_worked_example_step_7_improvement_plan(answers, applicable):
    plan = results_for(answers, applicable).improvement_plan()
    # No target set: weakest first, by level, then mean.
    expected = [
        (MARKETING, "data", 2, 0.6, 0.7692, 1),
        (MARKETING, "kpi", 3, 0.75, 1.2308, 2),
        (SALES, "kpi", 3, 0.0417, 1.2308, 1),
        (SALES, "data", 4, 1.0, 0.7692, 2),
    ]
    assert list(zip(plan["department_id"], plan["dimension"], strict=True)) == [
        (department, dimension) for department, dimension, *_ in expected
    ]
    for row, (_, _, target, gap, weight, rank) in zip(plan.itertuples(), expected, strict=True):
        assert row.target == target
        assert row.gap == pytest.approx(gap, abs=MEAN)
        assert row.weight == pytest.approx(weight, abs=MEAN)
        assert row.rank == rank
        assert not row.explicit


def test_worked_example_step_7_sales_plan(answers, applicable):
    plan = results_for(answers, applicable).improvement_plan(SALES)
    assert plan["dimension"].tolist() == ["kpi", "data"]


def test_worked_example_step_7_a_set_target_leads_the_plan(answers, applicable):
    results = results_for(answers, applicable, targets={(SALES, "data"): 5})
    plan = results.improvement_plan(SALES)
    assert plan["dimension"].tolist() == ["data", "kpi"]
    assert plan["explicit"].tolist() == [True, False]
    assert plan["gap"].tolist() == pytest.approx([2.0, 1 / 24])


def test_worked_example_step_7_a_met_target_leaves_the_plan(answers, applicable):
    results = results_for(answers, applicable, targets={(SALES, "kpi"): 2})
    plan = results.improvement_plan(SALES)
    assert plan["dimension"].tolist() == ["data"]


# --- edge cases ---------------------------------------------------------------------------


def one_department(answers: dict, weights: dict, role="manager", department=SALES):
    """Respondents 1, 2, … of one department, each {question: value}."""
    responses = {n: (department, role, a) for n, a in enumerate(answers, start=1)}
    return answer_frame(responses, weights), applicable_frame([department], weights)


KPI = {"kpi-1": 1.0, "kpi-2": 2.0, "kpi-3": 1.0}


def test_it_leaves_a_dimension_answered_all_na_without_a_mean():
    answers, applicable = one_department([{"kpi-1": NA, "kpi-2": NA, "kpi-3": NA}], KPI)
    row = only(scoring.respondent_scores(answers, applicable, ONE_TO_FIVE), response_id=1)
    assert math.isnan(row["mean"])
    assert math.isnan(row["score"])
    assert pd.isna(row["level"])
    assert row["weight"] == 0
    assert (row["answered"], row["na"], row["applicable"]) == (0, 3, 3)
    assert row["coverage"] == 0
    scores = scoring.respondent_scores(answers, applicable, ONE_TO_FIVE)
    assert scoring.department_scores(scores, ONE_TO_FIVE).empty
    assert scoring.disagreements(answers).empty


def test_it_gives_one_respondent_zero_spread():
    answers, applicable = one_department([{"kpi-1": 2, "kpi-2": 5, "kpi-3": 3}], KPI)
    scores = scoring.respondent_scores(answers, applicable, ONE_TO_FIVE)
    row = only(scoring.department_scores(scores, ONE_TO_FIVE), dimension="kpi")
    assert row["mean"] == pytest.approx(3.75, abs=MEAN)
    assert row["std"] == 0
    assert row["min"] == row["max"] == pytest.approx(3.75, abs=MEAN)
    assert row["n"] == 1


def test_it_uses_the_population_standard_deviation():
    weights = {"kpi-1": 1.0}
    answers, applicable = one_department([{"kpi-1": 1}, {"kpi-1": 2}, {"kpi-1": 4}], weights)
    scores = scoring.respondent_scores(answers, applicable, ONE_TO_FIVE)
    row = only(scoring.department_scores(scores, ONE_TO_FIVE), dimension="kpi")
    assert row["mean"] == pytest.approx(7 / 3, abs=MEAN)
    assert row["std"] == pytest.approx(math.sqrt(14 / 9), abs=MEAN)
    assert row["std"] == pytest.approx(1.2472, abs=MEAN)  # not 1.5275 (n − 1)


def test_it_gives_no_score_when_every_answered_question_weighs_zero():
    weights = {"kpi-1": 0.0, "kpi-2": 0.0, "data-1": 1.0}
    answers, applicable = one_department([{"kpi-1": 4, "kpi-2": 2, "data-1": 3}], weights)
    scores = scoring.respondent_scores(answers, applicable, ONE_TO_FIVE)
    kpi = only(scores, dimension="kpi")
    assert math.isnan(kpi["mean"])
    assert pd.isna(kpi["level"])
    assert kpi["answered"] == 2  # answered, so covered, but weightless
    assert kpi["coverage"] == 1
    assert only(scores, dimension="data")["mean"] == pytest.approx(3.0)
    departments = scoring.department_scores(scores, ONE_TO_FIVE)
    assert departments["dimension"].tolist() == ["data"]


def test_it_does_not_move_the_mean_for_a_zero_weight_question():
    weights = {"kpi-1": 1.0, "kpi-2": 2.0, "kpi-3": 0.0}
    low, applicable = one_department([{"kpi-1": 2, "kpi-2": 4, "kpi-3": 1}], weights)
    high, _ = one_department([{"kpi-1": 2, "kpi-2": 4, "kpi-3": 5}], weights)
    for answers in (low, high):
        row = only(scoring.respondent_scores(answers, applicable, ONE_TO_FIVE), dimension="kpi")
        assert row["mean"] == pytest.approx(10 / 3, abs=MEAN)
        assert row["weight"] == pytest.approx(3.0)
        assert row["answered"] == 3


def test_it_reaches_the_level_when_float_sums_fall_just_short():
    weights = {"kpi-1": 0.1, "kpi-2": 0.1, "kpi-3": 0.1}
    answers, applicable = one_department([{"kpi-1": 1, "kpi-2": 3, "kpi-3": 5}], weights)
    row = only(scoring.respondent_scores(answers, applicable, ONE_TO_FIVE), dimension="kpi")
    assert row["mean"] < 3  # 2.9999999999999996 in binary floating point
    assert row["mean"] == pytest.approx(3.0, abs=1e-12)
    assert row["level"] == 3
    assert ONE_TO_FIVE.level(2.9999999999) == 3
    assert ONE_TO_FIVE.level(pd.Series([2.9999999999])).tolist() == [3]


def test_it_keeps_a_mean_below_the_boundary_on_the_lower_level():
    assert ONE_TO_FIVE.level(2.99) == 2
    assert ONE_TO_FIVE.level(2.999999) == 2
    assert ONE_TO_FIVE.level(71 / 24) == 2
    assert ONE_TO_FIVE.level(3.0) == 3
    assert ONE_TO_FIVE.level(pd.Series([2.99, 3.0])).tolist() == [2, 3]


def test_it_puts_the_top_of_the_scale_on_the_top_level():
    assert ONE_TO_FIVE.level(5.0) == 5
    assert ONE_TO_FIVE.to_percent(5.0) == pytest.approx(100.0)
    answers, applicable = one_department([{"kpi-1": 5, "kpi-2": 5, "kpi-3": 5}], KPI)
    row = only(scoring.respondent_scores(answers, applicable, ONE_TO_FIVE), dimension="kpi")
    assert (row["mean"], row["score"], row["level"]) == (5.0, 100.0, 5)


def test_it_clips_levels_to_the_scale():
    assert ONE_TO_FIVE.level(7.2) == 5
    assert ONE_TO_FIVE.level(0.3) == 1
    assert ONE_TO_FIVE.level(float("nan")) is None
    assert ONE_TO_FIVE.level(None) is None
    levels = ONE_TO_FIVE.level(pd.Series([7.2, 0.3, np.nan]))
    assert str(levels.dtype) == "Int64"
    assert levels.iloc[:2].tolist() == [5, 1]
    assert pd.isna(levels.iloc[2])


@pytest.mark.parametrize(
    "mean, score, level",
    [
        (0.0, 0.0, 0),
        (0.99, 33.0, 0),
        (1.0, 33.33, 1),
        (1.5, 50.0, 1),
        (2.0, 66.67, 2),
        (3.0, 100.0, 3),
    ],
)
def test_it_maps_a_zero_to_three_scale(mean, score, level):
    scale = Scale(0, 3)
    assert scale.to_percent(mean) == pytest.approx(score, abs=SCORE)
    assert scale.level(mean) == level


def test_it_scores_a_zero_to_three_framework_end_to_end():
    scale = Scale(0, 3)
    weights = {"kpi-1": 1.0, "kpi-2": 3.0}
    answers, applicable = one_department(
        [{"kpi-1": 0, "kpi-2": 3}, {"kpi-1": 1, "kpi-2": 1}], weights
    )
    scores = scoring.respondent_scores(answers, applicable, scale)
    first, second = only(scores, response_id=1), only(scores, response_id=2)
    assert (first["mean"], first["score"], first["level"]) == (2.25, 75.0, 2)
    assert (second["mean"], second["level"]) == (1.0, 1)
    assert second["score"] == pytest.approx(33.33, abs=SCORE)
    row = only(scoring.department_scores(scores, scale), dimension="kpi")
    assert row["mean"] == pytest.approx(1.625, abs=MEAN)
    assert row["score"] == pytest.approx(54.17, abs=SCORE)
    assert row["level"] == 1
    assert scoring.disagreements(answers)["question_id"].tolist() == ["kpi-2"]


def test_it_reports_unanswered_questions_in_coverage():
    # kpi-2 has an answer row with no choice, kpi-3 no row at all, data nothing at all.
    answers, applicable = one_department([{"kpi-1": 4, "kpi-2": None}], WEIGHTS)
    scores = scoring.respondent_scores(answers, applicable, ONE_TO_FIVE)
    assert sorted(scores["dimension"]) == ["data", "kpi"]
    kpi = only(scores, dimension="kpi")
    assert kpi["mean"] == pytest.approx(4.0)
    assert (kpi["answered"], kpi["na"], kpi["applicable"]) == (1, 0, 3)
    assert kpi["coverage"] == pytest.approx(1 / 3)
    data = only(scores, dimension="data")
    assert math.isnan(data["mean"])
    assert math.isnan(data["score"])
    assert pd.isna(data["level"])
    assert (data["answered"], data["na"], data["applicable"], data["coverage"]) == (0, 0, 2, 0)
    assert data["weight"] == 0
    assert scoring.department_scores(scores, ONE_TO_FIVE)["dimension"].tolist() == ["kpi"]


def test_it_ignores_answers_in_a_dimension_that_does_not_apply():
    answers = answer_frame({1: (SALES, "manager", {"kpi-1": 2, "data-1": 5})}, WEIGHTS)
    applicable = applicable_frame([SALES], KPI)  # no data question applies to sales
    scores = scoring.respondent_scores(answers, applicable, ONE_TO_FIVE)
    assert scores["dimension"].tolist() == ["kpi"]
    assert only(scores, dimension="kpi")["mean"] == pytest.approx(2.0)


def test_it_counts_only_questions_that_apply_to_the_department():
    # Writes refuse such answers, but they remain when a department's function changes after
    # answering. The dimension's explanation page (assessments.selectors.dimension_answers)
    # leaves them out; docs/scoring.md section 1 says the same.
    answers = answer_frame({1: (SALES, "manager", {"kpi-1": 2, "kpi-2": 5})}, KPI)
    applicable = applicable_frame([SALES], {"kpi-1": 1.0})  # kpi-2 is for other functions
    row = only(scoring.respondent_scores(answers, applicable, ONE_TO_FIVE), dimension="kpi")
    assert row["mean"] == pytest.approx(2.0)
    assert (row["answered"], row["applicable"], row["coverage"]) == (1, 1, 1)


def test_it_signs_the_perception_gap_self_minus_other():
    weights = {"kpi-1": 1.0}
    answers = answer_frame(
        {
            1: (SALES, "manager", {"kpi-1": 2}),
            2: (SALES, "consultant", {"kpi-1": 4}),
            3: (SALES, "org_admin", {"kpi-1": 5}),
            4: (MARKETING, "manager", {"kpi-1": 4}),
            5: (MARKETING, "consultant", {"kpi-1": 3}),
        },
        weights,
    )
    scores = scoring.respondent_scores(
        answers, applicable_frame([SALES, MARKETING], weights), ONE_TO_FIVE
    )
    gaps = scoring.perception_gap(scores, ONE_TO_FIVE)
    sales = only(gaps, department_id=SALES)
    assert sales["mean_other"] == pytest.approx(4.5)  # consultant and org admin pooled
    assert sales["gap"] == pytest.approx(-2.5)  # stricter with itself than the outside view
    assert only(gaps, department_id=MARKETING)["gap"] == pytest.approx(1.0)


def test_it_has_no_perception_gap_without_both_views():
    weights = {"kpi-1": 1.0}
    answers = answer_frame(
        {1: (SALES, "manager", {"kpi-1": 2}), 2: (MARKETING, "consultant", {"kpi-1": 4})}, weights
    )
    scores = scoring.respondent_scores(
        answers, applicable_frame([SALES, MARKETING], weights), ONE_TO_FIVE
    )
    assert scoring.perception_gap(scores, ONE_TO_FIVE).empty


def test_it_scores_a_department_from_consultants_when_no_manager_answered():
    weights = {"kpi-1": 1.0}
    answers = answer_frame(
        {
            1: (SALES, "manager", {"kpi-1": 2}),
            2: (SALES, "consultant", {"kpi-1": 5}),
            3: (MARKETING, "consultant", {"kpi-1": 4}),
            4: (MARKETING, "org_admin", {"kpi-1": 1}),
        },
        weights,
    )
    scores = scoring.respondent_scores(
        answers, applicable_frame([SALES, MARKETING], weights), ONE_TO_FIVE
    )
    departments = scoring.department_scores(scores, ONE_TO_FIVE)
    sales = only(departments, department_id=SALES)
    assert (sales["mean"], sales["n"]) == (2.0, 1)  # the consultant is left out
    marketing = only(departments, department_id=MARKETING)
    assert (marketing["mean"], marketing["n"], marketing["level"]) == (2.5, 2, 2)
    assert marketing["std"] == pytest.approx(1.5)
    organisation = only(scoring.organisation_scores(departments, ONE_TO_FIVE), dimension="kpi")
    assert organisation["mean"] == pytest.approx(2.25)
    assert organisation["n"] == 2


def test_it_decides_the_consultant_fallback_per_department():
    # A manager responded but answered only N/A in data: data has no department score, even
    # though the consultant rated it (docs/scoring.md, section 4).
    weights = {"kpi-1": 1.0, "data-1": 1.0}
    answers = answer_frame(
        {
            1: (SALES, "manager", {"kpi-1": 3, "data-1": NA}),
            2: (SALES, "consultant", {"kpi-1": 2, "data-1": 4}),
        },
        weights,
    )
    scores = scoring.respondent_scores(answers, applicable_frame([SALES], weights), ONE_TO_FIVE)
    departments = scoring.department_scores(scores, ONE_TO_FIVE)
    assert departments["dimension"].tolist() == ["kpi"]
    assert departments["mean"].tolist() == [3.0]


def disagreement_frame(*scores, role="manager"):
    return answer_frame(
        {n: (SALES, role, {"kpi-1": value}) for n, value in enumerate(scores, start=1)},
        {"kpi-1": 1.0},
    )


def test_it_flags_a_spread_of_exactly_two_levels():
    result = scoring.disagreements(disagreement_frame(3, 1, 2))
    assert len(result) == 1
    assert (result.iloc[0]["low"], result.iloc[0]["high"], result.iloc[0]["spread"]) == (1, 3, 2)


def test_it_does_not_flag_a_spread_of_one_level():
    assert scoring.disagreements(disagreement_frame(3, 2, 2)).empty
    assert scoring.disagreements(disagreement_frame(2.5, 4.0)).empty  # 1.5 < 2


def test_it_ignores_na_in_disagreement():
    assert scoring.disagreements(disagreement_frame(1, NA, 3, NA)).iloc[0]["n"] == 2
    assert scoring.disagreements(disagreement_frame(5, NA, None, 4)).empty
    assert scoring.disagreements(disagreement_frame(5, NA)).empty  # one answer is no spread


def test_it_counts_consultants_in_disagreement():
    answers = pd.concat(
        [disagreement_frame(4), disagreement_frame(2, role="consultant").assign(response_id=2)]
    )
    result = scoring.disagreements(answers)
    assert result["question_id"].tolist() == ["kpi-1"]


def test_it_compares_answers_within_a_department_only():
    answers = answer_frame(
        {1: (SALES, "manager", {"kpi-1": 1}), 2: (MARKETING, "manager", {"kpi-1": 5})},
        {"kpi-1": 1.0},
    )
    assert scoring.disagreements(answers).empty


def test_it_lists_the_widest_disagreement_first():
    weights = {"kpi-1": 1.0, "kpi-2": 1.0}
    answers = answer_frame(
        {
            1: (SALES, "manager", {"kpi-1": 1, "kpi-2": 1}),
            2: (SALES, "manager", {"kpi-1": 3, "kpi-2": 5}),
        },
        weights,
    )
    result = scoring.disagreements(answers)
    assert result["question_id"].tolist() == ["kpi-2", "kpi-1"]
    assert result["spread"].tolist() == [4, 2]


def test_it_matches_history_by_dimension_code():
    current = pd.DataFrame(
        [(SALES, "kpi", 3.0), (SALES, "data", 2.0), (MARKETING, "kpi", 1.5)],
        columns=["department_id", "dimension", "mean"],
    )
    # The previous framework version lists its dimensions in another order and has no data.
    previous = pd.DataFrame(
        [(MARKETING, "kpi", 2.0), (SALES, "tools", 4.0), (SALES, "kpi", 2.25)],
        columns=["department_id", "dimension", "mean"],
    )
    result = scoring.history(current, previous)
    assert len(result) == 3
    assert only(result, department_id=SALES, dimension="kpi")["delta"] == pytest.approx(0.75)
    assert only(result, department_id=MARKETING, dimension="kpi")["delta"] == pytest.approx(-0.5)
    data = only(result, department_id=SALES, dimension="data")
    assert math.isnan(data["mean_previous"])
    assert math.isnan(data["delta"])
    organisation = scoring.history(
        pd.DataFrame([("kpi", 2.25), ("data", 2.0)], columns=["dimension", "mean"]),
        pd.DataFrame([("kpi", 2.125)], columns=["dimension", "mean"]),
        key=None,
    )
    assert only(organisation, dimension="kpi")["delta"] == pytest.approx(0.125)
    assert math.isnan(only(organisation, dimension="data")["delta"])


def plan_departments(*rows):
    """Department scores as ``department_scores`` returns them: mean and level."""
    frame = pd.DataFrame(rows, columns=["department_id", "dimension", "mean"])
    frame["level"] = ONE_TO_FIVE.level(frame["mean"])
    return frame


def plan_targets(*rows, explicit=None):
    frame = pd.DataFrame(rows, columns=["department_id", "dimension", "target"])
    if explicit is not None:
        frame["explicit"] = explicit
    return frame


def test_it_orders_set_targets_by_gap_times_weight():
    departments = plan_departments((SALES, "kpi", 2.0), (SALES, "data", 2.4), (SALES, "tools", 2.7))
    targets = plan_targets((SALES, "kpi", 3), (SALES, "data", 3), (SALES, "tools", 3))
    weights = pd.Series({"kpi": 0.5, "data": 1.5, "tools": 1.0})
    plan = scoring.improvement_plan(departments, targets, weights)
    # priorities: data 0.6 × 1.5 = 0.9, kpi 1.0 × 0.5 = 0.5, tools 0.3 × 1.0 = 0.3
    assert plan["dimension"].tolist() == ["data", "kpi", "tools"]
    assert plan["priority"].tolist() == pytest.approx([0.9, 0.5, 0.3])
    assert plan["gap"].tolist() == pytest.approx([0.6, 1.0, 0.3])
    assert plan["rank"].tolist() == [1, 2, 3]


def test_it_breaks_set_target_ties_by_the_larger_gap():
    departments = plan_departments((SALES, "kpi", 2.5), (SALES, "data", 2.0))
    targets = plan_targets((SALES, "kpi", 3), (SALES, "data", 3))
    plan = scoring.improvement_plan(departments, targets, pd.Series({"kpi": 1.0, "data": 0.5}))
    assert plan["priority"].tolist() == pytest.approx([0.5, 0.5])
    assert plan["dimension"].tolist() == ["data", "kpi"]


def test_it_orders_default_targets_by_level_then_mean_not_by_gap():
    # leadership sits exactly on level 4: the largest gap to its default target (1.0), yet
    # the department's strongest dimension; kpi and tools, one level lower, lead.
    departments = plan_departments(
        (SALES, "leadership", 4.0), (SALES, "tools", 2.27), (SALES, "kpi", 2.2)
    )
    targets = plan_targets(
        (SALES, "leadership", 5), (SALES, "tools", 3), (SALES, "kpi", 3), explicit=False
    )
    weights = pd.Series({"leadership": 2.0, "tools": 1.0, "kpi": 0.5})
    plan = scoring.improvement_plan(departments, targets, weights)
    assert plan["dimension"].tolist() == ["kpi", "tools", "leadership"]
    assert plan["gap"].tolist() == pytest.approx([0.8, 0.73, 1.0])
    assert plan["rank"].tolist() == [1, 2, 3]


def test_it_breaks_default_target_ties_by_the_shown_mean_then_the_heavier_weight():
    # 2.204 and 2.196 both show as 2.20: the heavier dimension goes first.
    departments = plan_departments(
        (SALES, "kpi", 2.204), (SALES, "data", 2.196), (SALES, "tools", 2.3)
    )
    targets = plan_targets((SALES, "kpi", 3), (SALES, "data", 3), (SALES, "tools", 3))
    targets["explicit"] = False
    weights = pd.Series({"kpi": 1.5, "data": 1.0, "tools": 3.0})
    plan = scoring.improvement_plan(departments, targets, weights)
    assert plan["dimension"].tolist() == ["kpi", "data", "tools"]


def test_set_targets_come_before_default_ones():
    departments = plan_departments(
        (SALES, "kpi", 1.5), (SALES, "data", 3.2), (MARKETING, "kpi", 4.5)
    )
    targets = plan_targets(
        (SALES, "kpi", 2), (SALES, "data", 4), (MARKETING, "kpi", 5), explicit=[False, True, True]
    )
    weights = pd.Series({"kpi": 1.0, "data": 1.0})
    plan = scoring.improvement_plan(departments, targets, weights)
    # set: sales data (gap 0.8) before marketing kpi (0.5); then sales kpi, its default.
    assert list(zip(plan["department_id"], plan["dimension"], strict=True)) == [
        (SALES, "data"),
        (MARKETING, "kpi"),
        (SALES, "kpi"),
    ]
    assert plan["rank"].tolist() == [1, 1, 2]
    assert plan["explicit"].tolist() == [True, True, False]


def test_it_weighs_an_unknown_dimension_one_in_the_plan():
    plan = scoring.improvement_plan(
        plan_departments((SALES, "kpi", 2.0)),
        plan_targets((SALES, "kpi", 3)),
        pd.Series(dtype=float),
    )
    assert plan["weight"].tolist() == [1.0]
    assert plan["priority"].tolist() == [1.0]


def test_it_leaves_met_targets_out_of_the_improvement_plan():
    departments = plan_departments((SALES, "kpi", 3.0), (SALES, "data", 3.5), (SALES, "tools", 2.9))
    targets = plan_targets((SALES, "kpi", 3), (SALES, "data", 2), (SALES, "tools", 3))
    plan = scoring.improvement_plan(departments, targets, pd.Series({"kpi": 1.0, "data": 1.0}))
    assert plan["dimension"].tolist() == ["tools"]
    assert plan["gap"].tolist() == pytest.approx([0.1])


def test_it_caps_the_default_target_at_the_top_level():
    answers, applicable = one_department(
        [{"kpi-1": 5, "kpi-2": 5, "kpi-3": 5, "data-1": 4, "data-2": 5}], WEIGHTS
    )
    results = results_for(answers, applicable)
    assert results.department_mean(SALES, "kpi") == 5.0
    assert results.target_for(SALES, "kpi") == 5  # already at the top
    assert results.department_mean(SALES, "data") == pytest.approx(4.6)
    assert results.target_for(SALES, "data") == 5
    assert results.target_for(MARKETING, "kpi") is None  # not assessed
    plan = results.improvement_plan(SALES)
    assert plan["dimension"].tolist() == ["data"]  # kpi met its target
    assert plan["gap"].tolist() == pytest.approx([0.4])


def test_it_prefers_a_set_target_to_the_default():
    answers, applicable = one_department([{"kpi-1": 2, "kpi-2": 2, "kpi-3": 2}], KPI)
    results = results_for(answers, applicable, targets={(SALES, "kpi"): 5})
    assert results.target_for(SALES, "kpi") == 5
    assert results.improvement_plan(SALES)["gap"].tolist() == pytest.approx([3.0])


def test_it_handles_empty_frames():
    answers = pd.DataFrame(columns=scoring.ANSWER_COLUMNS)
    applicable = pd.DataFrame(columns=scoring.APPLICABLE_COLUMNS)
    respondents = scoring.respondent_scores(answers, applicable, ONE_TO_FIVE)
    assert respondents.empty
    assert {"mean", "coverage", "score", "level"} <= set(respondents.columns)
    departments = scoring.department_scores(respondents, ONE_TO_FIVE)
    assert departments.empty
    assert {"mean", "std", "min", "max", "n", "score", "level"} <= set(departments.columns)
    assert scoring.perception_gap(respondents, ONE_TO_FIVE).empty
    assert scoring.organisation_scores(departments, ONE_TO_FIVE).empty
    assert scoring.disagreements(answers).empty
    assert scoring.history(departments, departments).empty
    targets = pd.DataFrame(columns=["department_id", "dimension", "target"])
    assert scoring.improvement_plan(departments, targets, pd.Series(dtype=float)).empty
    results = results_for(answers, applicable)
    assert results.improvement_plan().empty
    assert results.history is None


def test_it_scores_nothing_without_applicable_questions():
    answers, _ = one_department([{"kpi-1": 3}], KPI)
    applicable = pd.DataFrame(columns=scoring.APPLICABLE_COLUMNS)
    assert scoring.respondent_scores(answers, applicable, ONE_TO_FIVE).empty
