"""Properties of the scoring engine (maturity.scoring) over generated campaigns: the
invariants docs/scoring.md states, checked on random scales, weights, N/A and blank answers,
roles and applicable questions, against a direct computation with exact fractions.

Pure pandas, no database. Every property is derandomised and bounded (PROPERTY: 20
examples unless a test says otherwise; one engine call costs some 10 ms), so the suite runs
the same examples everywhere, all of them in about 10 seconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import timedelta
from fractions import Fraction
from statistics import pstdev

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maturity import scoring
from maturity.scoring import LEVEL_EPSILON, Scale

PROPERTY = settings(
    max_examples=20,
    deadline=timedelta(seconds=2),
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
CLOSE = 1e-9  # means computed in floating point against exact fractions

NA, BLANK = "N/A", "blank"  # an N/A answer; an answer row without a choice
ROLES = ("manager", "consultant", "org_admin")


@dataclass(frozen=True)
class Campaign:
    """Generated input: questions (id, dimension, weight), the questions that apply to each
    department, respondents (response id, department, role) and their answers."""

    scale: Scale
    questions: tuple[tuple[int, str, float], ...]
    applicable: dict[int, frozenset[int]]
    respondents: tuple[tuple[int, int, str], ...]
    answers: dict[tuple[int, int], float | str]  # (response, question) → score | NA | BLANK

    def answer_frame(self, order=None) -> pd.DataFrame:
        dimension = {qid: dim for qid, dim, _w in self.questions}
        weight = {qid: w for qid, _d, w in self.questions}
        who = {rid: (dep, role) for rid, dep, role in self.respondents}
        keys = list(self.answers) if order is None else order
        rows = [
            (
                rid,
                who[rid][0],
                who[rid][1],
                qid,
                dimension[qid],
                float(weight[qid]),
                float(value) if value not in (NA, BLANK) else np.nan,
                value == NA,
            )
            for rid, qid in keys
            for value in [self.answers[(rid, qid)]]
        ]
        frame = pd.DataFrame.from_records(rows, columns=scoring.ANSWER_COLUMNS)
        frame["is_na"] = frame["is_na"].astype(bool)
        return frame

    def applicable_frame(self) -> pd.DataFrame:
        rows = [
            (dep, dim, qid, float(w))
            for dep, qids in sorted(self.applicable.items())
            for qid, dim, w in self.questions
            if qid in qids
        ]
        return pd.DataFrame.from_records(rows, columns=scoring.APPLICABLE_COLUMNS)

    def respondent_scores(self, order=None) -> pd.DataFrame:
        return scoring.respondent_scores(
            self.answer_frame(order), self.applicable_frame(), self.scale
        )


WEIGHTS = st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.0, 3.0]) | st.integers(0, 10_000).map(
    lambda cents: cents / 100
)


@st.composite
def campaigns(draw) -> Campaign:
    low = draw(st.integers(0, 5))
    high = draw(st.integers(low + 1, min(10, low + 5)))
    questions = []
    for d in range(draw(st.integers(1, 3))):
        for _ in range(draw(st.integers(1, 3))):
            questions.append((len(questions) + 1, f"d{d}", draw(WEIGHTS)))
    qids = [qid for qid, _d, _w in questions]
    departments = list(range(1, draw(st.integers(1, 3)) + 1))
    applicable = {
        dep: frozenset(draw(st.sets(st.sampled_from(qids), min_size=1))) for dep in departments
    }
    respondents = tuple(
        (100 + i, draw(st.sampled_from(departments)), draw(st.sampled_from(ROLES)))
        for i in range(draw(st.integers(1, 6)))
    )
    # Scores on the scale with two decimals, as framework files allow, often on a step.
    score = st.integers(low, high).map(float) | st.integers(low * 100, high * 100).map(
        lambda cents: cents / 100
    )
    answer = st.none() | st.just(NA) | st.just(BLANK) | score  # None: no answer row
    answers = {}
    for rid, _dep, _role in respondents:
        for qid in qids:
            value = draw(answer)
            if value is not None:
                answers[(rid, qid)] = value
    return Campaign(Scale(low, high), tuple(questions), applicable, respondents, answers)


def by(frame: pd.DataFrame, *keys: str) -> pd.DataFrame:
    return frame.sort_values(list(keys)).reset_index(drop=True)


def assert_same(left: pd.DataFrame, right: pd.DataFrame, *keys: str) -> None:
    pd.testing.assert_frame_equal(
        by(left, *keys)[sorted(left.columns)],
        by(right, *keys)[sorted(right.columns)],
        check_dtype=False,
        check_exact=False,
        rtol=1e-12,
        atol=1e-12,
    )


def exact_level(mean: Fraction, scale: Scale) -> int:
    return min(scale.high, max(scale.low, math.floor(mean)))


def expected_respondents(c: Campaign) -> dict[tuple[int, str], dict]:
    """docs/scoring.md sections 1–3 by hand: Σ(weight × score) ÷ Σ weight over the answered
    questions that apply, N/A and blanks left out, coverage = answered ÷ applicable."""
    out = {}
    answering = {rid for rid, _qid in c.answers}
    for rid, dep, _role in c.respondents:
        if rid not in answering:
            continue
        for dim in sorted({d for qid, d, _w in c.questions if qid in c.applicable[dep]}):
            qs = [(q, w) for q, d, w in c.questions if d == dim and q in c.applicable[dep]]
            given_ = [(w, c.answers.get((rid, q))) for q, w in qs]
            scored = [(Fraction(w), Fraction(v)) for w, v in given_ if isinstance(v, float)]
            total = sum(w for w, _s in scored)
            mean = sum(w * s for w, s in scored) / total if total else None
            out[(rid, dim)] = {
                "mean": mean,
                "answered": len(scored),
                "na": sum(v == NA for _w, v in given_),
                "applicable": len(qs),
            }
    return out


@settings(PROPERTY, max_examples=40)
@given(campaigns())
def test_every_respondent_mean_is_the_weighted_mean_of_the_answers_that_count(c):
    scores = c.respondent_scores()
    expected = expected_respondents(c)
    assert set(zip(scores["response_id"], scores["dimension"], strict=True)) == set(expected)
    for row in scores.itertuples():
        want = expected[(row.response_id, row.dimension)]
        assert (row.answered, row.na, row.applicable) == (
            want["answered"],
            want["na"],
            want["applicable"],
        )
        assert row.coverage == pytest.approx(want["answered"] / want["applicable"])
        if want["mean"] is None:
            assert math.isnan(row.mean) and pd.isna(row.level)
        else:
            assert row.mean == pytest.approx(float(want["mean"]), abs=CLOSE)
            assert row.level == exact_level(want["mean"], c.scale)


@PROPERTY
@given(campaigns())
def test_every_mean_score_level_and_coverage_lies_inside_its_bounds(c):
    scale = c.scale
    respondents = c.respondent_scores()
    departments = scoring.department_scores(respondents, scale)
    organisation = scoring.organisation_scores(departments, scale)
    for frame in (respondents, departments, organisation):
        rated = frame.dropna(subset=["mean"])
        assert rated["mean"].between(scale.low - CLOSE, scale.high + CLOSE).all()
        assert rated["score"].between(-CLOSE, 100 + CLOSE).all()
        levels = rated["level"].astype(int)
        assert levels.between(scale.low, scale.high).all()
        assert (levels <= rated["mean"] + LEVEL_EPSILON).all()
        below_top = levels < scale.high
        assert (rated["mean"][below_top] < levels[below_top] + 1).all()
    assert respondents["coverage"].between(0, 1).all()
    assert (respondents["answered"] + respondents["na"] <= respondents["applicable"]).all()
    assert (departments["min"] - CLOSE <= departments["mean"]).all()
    assert (departments["mean"] <= departments["max"] + CLOSE).all()
    assert (departments["std"] >= 0).all() and (departments["n"] >= 1).all()
    spread = departments.groupby("dimension")["mean"].agg(["min", "max"])
    for row in organisation.itertuples():
        assert spread.loc[row.dimension, "min"] - CLOSE <= row.mean
        assert row.mean <= spread.loc[row.dimension, "max"] + CLOSE


@PROPERTY
@given(campaigns())
def test_department_and_organisation_scores_follow_the_documented_method(c):
    """Managers' self-ratings, or every rater where a department has no manager; every
    respondent counts once; population spread; each department once in the roll-up."""
    respondents = c.respondent_scores()
    departments = scoring.department_scores(respondents, c.scale)
    expected = expected_respondents(c)
    role = {rid: r for rid, _dep, r in c.respondents}
    dep_of = {rid: d for rid, d, _r in c.respondents}
    managed = {dep_of[rid] for rid, _dim in expected if role[rid] == "manager"}
    want = {}
    for (rid, dim), row in expected.items():
        dep = dep_of[rid]
        if row["mean"] is not None and (dep not in managed or role[rid] == "manager"):
            want.setdefault((dep, dim), []).append(row["mean"])
    assert set(zip(departments["department_id"], departments["dimension"], strict=True)) == set(
        want
    )
    for row in departments.itertuples():
        means = want[(row.department_id, row.dimension)]
        exact = sum(means) / len(means)
        assert row.mean == pytest.approx(float(exact), abs=CLOSE)
        assert row.n == len(means)
        assert row.std == pytest.approx(pstdev(float(m) for m in means), abs=CLOSE)
        assert (row.min, row.max) == pytest.approx((float(min(means)), float(max(means))))
        assert row.level == exact_level(exact, c.scale)
    organisation = scoring.organisation_scores(departments, c.scale)
    for row in organisation.itertuples():
        own = departments[departments["dimension"] == row.dimension]["mean"]
        assert row.n == len(own)
        assert row.mean == pytest.approx(own.mean(), abs=CLOSE)


@settings(PROPERTY, max_examples=20)
@given(campaigns(), st.randoms(use_true_random=False))
def test_na_never_moves_a_mean(c, rnd):
    """Marking unanswered questions N/A, or turning an N/A into a blank, changes the N/A count
    and nothing else (for the same respondents: one with no answer row at all is unknown to
    the engine)."""
    before = c.respondent_scores()
    answers = dict(c.answers)
    answering = {rid for rid, _qid in c.answers}
    for rid, dep, _role in c.respondents:
        for qid in c.applicable[dep] if rid in answering else ():
            if (rid, qid) not in answers and rnd.random() < 0.5:
                answers[(rid, qid)] = NA
            elif answers.get((rid, qid)) == NA and rnd.random() < 0.5:
                answers[(rid, qid)] = BLANK
    after = replace(c, answers=answers).respondent_scores()
    keys = ["response_id", "dimension"]
    assert_same(before.drop(columns="na"), after.drop(columns="na"), *keys)
    departments = [scoring.department_scores(f, c.scale) for f in (before, after)]
    assert_same(*departments, "department_id", "dimension")


@settings(PROPERTY, max_examples=15)
@given(campaigns(), st.randoms(use_true_random=False))
def test_answer_order_never_matters(c, rnd):
    order = list(c.answers)
    rnd.shuffle(order)
    frames = []
    for keys in (None, order):
        answers = c.answer_frame(keys)
        respondents = scoring.respondent_scores(answers, c.applicable_frame(), c.scale)
        departments = scoring.department_scores(respondents, c.scale)
        frames.append(
            (
                (respondents, ["response_id", "dimension"]),
                (departments, ["department_id", "dimension"]),
                (scoring.organisation_scores(departments, c.scale), ["dimension"]),
                (scoring.perception_gap(respondents, c.scale), ["department_id", "dimension"]),
                (scoring.disagreements(answers), ["department_id", "question_id"]),
            )
        )
    for (first, keys), (second, _keys) in zip(*frames, strict=True):
        assert_same(first, second, *keys)


@PROPERTY
@given(campaigns(), st.sampled_from([0.25, 0.5, 2.0, 3.0, 7.5, 10.0]))
def test_scaling_every_weight_by_the_same_factor_changes_no_mean(c, factor):
    scaled = replace(c, questions=tuple((q, d, w * factor) for q, d, w in c.questions))
    before, after = c.respondent_scores(), scaled.respondent_scores()
    keys = ["response_id", "dimension"]
    pd.testing.assert_series_equal(
        by(before, *keys)["mean"], by(after, *keys)["mean"], rtol=1e-12, atol=1e-12
    )
    assert by(before, *keys)["level"].equals(by(after, *keys)["level"])
    assert by(before, *keys)["coverage"].equals(by(after, *keys)["coverage"])


@PROPERTY
@given(campaigns(), st.data())
def test_a_question_of_weight_zero_never_moves_a_mean(c, data):
    qid = len(c.questions) + 1
    dimension = data.draw(st.sampled_from(sorted({d for _q, d, _w in c.questions})))
    score = float(data.draw(st.integers(c.scale.low, c.scale.high)))
    heavier = replace(
        c,
        questions=(*c.questions, (qid, dimension, 0.0)),
        applicable={dep: qids | {qid} for dep, qids in c.applicable.items()},
        answers={**c.answers, **{(rid, qid): score for rid, _d, _r in c.respondents}},
    )

    def means(frame):
        return {(r.response_id, r.dimension): r.mean for r in frame.itertuples()}

    before, after = means(c.respondent_scores()), means(heavier.respondent_scores())
    for key, mean in after.items():
        if key in before:
            assert mean == pytest.approx(before[key], abs=1e-12, nan_ok=True)
        else:  # a dimension that had no question applying before: weight 0 gives no mean
            assert math.isnan(mean)


@PROPERTY
@given(campaigns(), st.data())
def test_moving_the_scale_and_every_score_together_keeps_scores_and_shifts_levels(c, data):
    shift = data.draw(st.integers(-c.scale.low, 10 - c.scale.high))
    moved = replace(
        c,
        scale=Scale(c.scale.low + shift, c.scale.high + shift),
        answers={k: v + shift if isinstance(v, float) else v for k, v in c.answers.items()},
    )
    keys = ["response_id", "dimension"]
    before, after = by(c.respondent_scores(), *keys), by(moved.respondent_scores(), *keys)
    pd.testing.assert_series_equal(before["mean"] + shift, after["mean"], atol=1e-9)
    pd.testing.assert_series_equal(before["score"], after["score"], atol=1e-7)
    assert ((before["level"] + shift).fillna(-1) == after["level"].fillna(-1)).all()


@settings(PROPERTY, max_examples=40)
@given(campaigns())
def test_disagreement_flags_exactly_the_questions_answered_two_levels_apart(c):
    answers = c.answer_frame()
    flagged = scoring.disagreements(answers)
    dep_of = {rid: d for rid, d, _r in c.respondents}
    scores: dict[tuple[int, int], list[float]] = {}
    for (rid, qid), value in c.answers.items():
        if isinstance(value, float):
            scores.setdefault((dep_of[rid], qid), []).append(value)
    want = {k for k, v in scores.items() if len(v) >= 2 and max(v) - min(v) >= 2 - 1e-9}
    assert set(zip(flagged["department_id"], flagged["question_id"], strict=True)) == want
    for row in flagged.itertuples():
        values = scores[(row.department_id, row.question_id)]
        assert (row.low, row.high, row.n) == (min(values), max(values), len(values))
    # Widest spread first within each department.
    for _dep, rows in flagged.groupby("department_id", sort=False):
        assert rows["spread"].is_monotonic_decreasing


@PROPERTY
@given(campaigns())
def test_the_perception_gap_is_self_rating_minus_outside_rating(c):
    respondents = c.respondent_scores()
    gaps = scoring.perception_gap(respondents, c.scale)
    rated = respondents.dropna(subset=["mean"])
    for row in gaps.itertuples():
        own = rated[
            (rated["department_id"] == row.department_id) & (rated["dimension"] == row.dimension)
        ]
        self_ = own[own["rater_role"].isin(scoring.SELF_ROLES)]["mean"].mean()
        other = own[own["rater_role"].isin(scoring.OTHER_ROLES)]["mean"].mean()
        assert (row.mean_self, row.mean_other) == pytest.approx((self_, other), abs=CLOSE)
        assert row.gap == pytest.approx(self_ - other, abs=CLOSE)
    both = {
        (dep, dim)
        for (dep, dim), roles in rated.groupby(["department_id", "dimension"])["rater_role"]
        if roles.isin(scoring.SELF_ROLES).any() and roles.isin(scoring.OTHER_ROLES).any()
    }
    assert set(zip(gaps["department_id"], gaps["dimension"], strict=True)) == both


@PROPERTY
@given(campaigns(), st.randoms(use_true_random=False))
def test_the_improvement_plan_lists_positive_gaps_by_priority(c, rnd):
    departments = scoring.department_scores(c.respondent_scores(), c.scale)
    targets = pd.DataFrame(
        [
            (row.department_id, row.dimension, rnd.randint(c.scale.low, c.scale.high))
            for row in departments.itertuples()
        ],
        columns=["department_id", "dimension", "target"],
    )
    dims = sorted({d for _q, d, _w in c.questions})
    weights = pd.Series([rnd.uniform(0.1, 3) for _ in dims], index=dims)
    plan = scoring.improvement_plan(departments, targets, weights)
    merged = departments.merge(targets, on=["department_id", "dimension"])
    expected = merged[merged["target"] > merged["mean"]]
    assert len(plan) == len(expected)
    assert (plan["gap"] > 0).all()
    assert (plan["gap"] <= c.scale.high - c.scale.low + CLOSE).all()
    assert plan["gap"].tolist() == pytest.approx((plan["target"] - plan["mean"]).tolist())
    priorities = plan["priority"].tolist()
    assert priorities == sorted(priorities, reverse=True)


@settings(PROPERTY, max_examples=15)
@given(campaigns(), campaigns())
def test_history_is_the_change_per_matching_dimension_code(c, earlier):
    current = scoring.department_scores(c.respondent_scores(), c.scale)
    previous = scoring.department_scores(earlier.respondent_scores(), earlier.scale)
    changes = scoring.history(current, previous)
    assert len(changes) == len(current)
    old = previous.set_index(["department_id", "dimension"])["mean"]
    for row in changes.itertuples():
        key = (row.department_id, row.dimension)
        if key in old.index:
            assert row.delta == pytest.approx(row.mean - old[key], abs=CLOSE)
        else:
            assert math.isnan(row.delta)


def test_the_strategy_generates_every_kind_of_answer():
    """Guards the generator itself: N/A, blanks, decimals and several roles all occur."""
    seen = set()

    @settings(max_examples=40, derandomize=True, database=None)
    @given(campaigns())
    def collect(c):
        for value in c.answers.values():
            seen.add(value if value in (NA, BLANK) else "decimal" if value % 1 else "step")
        seen.update(role for _rid, _dep, role in c.respondents)

    collect()
    assert {NA, BLANK, "decimal", "step", *ROLES} <= seen
