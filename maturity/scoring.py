"""The scoring engine: pure functions over pandas, no database.

Method (docs/scoring.md has the worked example):

* A respondent's **dimension mean** is the weighted mean of the scores of the choices they
  picked in that dimension: Σ(weight × score) ÷ Σ(weight), over answered questions. N/A and
  unanswered questions are left out (and reported as coverage); with no weight left the
  dimension has no score.
* The mean lies on the framework's own scale (e.g. 1–5 or 0–3). The **score** 0–100 maps the
  scale linearly: (mean − min) ÷ (max − min) × 100. The **level** is the highest step fully
  reached: ⌊mean⌋ (2.99 is level 2; 3.00 is level 3).
* A **department** score per dimension is the plain mean of its respondents' dimension means
  (every respondent counts once), with spread (population standard deviation, min, max).
  Managers' self-ratings make the department score; other raters (consultants, org admins)
  are kept apart, and the difference is the **perception gap** (self − consultant). A
  department rated by nobody but other raters is scored from them.
* The **organisation** roll-up per dimension is the mean of its departments' scores.
* **Disagreement**: respondents of a department whose choices for one question lie two or
  more levels apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

SELF_ROLES = ("manager",)
OTHER_ROLES = ("consultant", "org_admin")
LEVEL_EPSILON = 1e-9  # floating sums such as 2.9999999997 still reach level 3

ANSWER_COLUMNS = [
    "response_id",
    "department_id",
    "rater_role",
    "question_id",
    "dimension",
    "weight",
    "score",
    "is_na",
]
APPLICABLE_COLUMNS = ["department_id", "dimension", "question_id", "weight"]


@dataclass(frozen=True)
class Scale:
    low: int
    high: int

    def to_percent(self, mean):
        return (mean - self.low) / (self.high - self.low) * 100

    def level(self, mean):
        """⌊mean⌋ on the scale, for a number or a Series (NaN stays NaN)."""
        if isinstance(mean, pd.Series):
            levels = np.floor(mean.astype(float) + LEVEL_EPSILON).clip(self.low, self.high)
            return levels.astype("Int64")
        if mean is None or (isinstance(mean, float) and math.isnan(mean)):
            return None
        return int(min(self.high, max(self.low, math.floor(mean + LEVEL_EPSILON))))


def _with_score_and_level(frame: pd.DataFrame, scale: Scale) -> pd.DataFrame:
    frame["score"] = scale.to_percent(frame["mean"])
    frame["level"] = scale.level(frame["mean"])
    return frame


def respondent_scores(
    answers: pd.DataFrame, applicable: pd.DataFrame, scale: Scale
) -> pd.DataFrame:
    """One row per (response, dimension): mean, score, level and coverage.

    ``answers`` has ANSWER_COLUMNS (score NaN for N/A or no choice); ``applicable`` lists the
    questions each department answers (APPLICABLE_COLUMNS).
    """
    if answers.empty:
        return pd.DataFrame(
            columns=[
                "response_id",
                "dimension",
                "department_id",
                "rater_role",
                "mean",
                "weight",
                "answered",
                "na",
                "applicable",
                "coverage",
                "score",
                "level",
            ]
        )
    # Only questions that apply to the respondent's department count (an answer can outlive
    # a change of the department's function).
    frame = answers.merge(
        applicable[["department_id", "question_id"]], on=["department_id", "question_id"]
    )
    scored = frame["score"].notna() & ~frame["is_na"]
    frame["weighted"] = np.where(scored, frame["weight"] * frame["score"], 0.0)
    frame["scored_weight"] = np.where(scored, frame["weight"], 0.0)
    frame["answered"] = scored.astype(int)
    frame["na"] = frame["is_na"].astype(int)
    keys = ["response_id", "dimension"]
    # Numeric aggregations only: the respondent's department and role join in afterwards.
    grouped = frame.groupby(keys, sort=False, observed=True)[
        ["weighted", "scored_weight", "answered", "na"]
    ].sum()
    grouped = grouped.rename(columns={"scored_weight": "weight"})
    positive = grouped["weight"].where(grouped["weight"] > 0)
    grouped["mean"] = grouped["weighted"] / positive
    # Every respondent gets a row for every dimension their department answers, even
    # when they answered nothing there.
    counts = (
        applicable.groupby(["department_id", "dimension"]).size().rename("applicable").reset_index()
    )
    # Taken before the filter above: a respondent whose answers all lie outside their
    # department's questions still has a row per dimension (coverage 0), and adding an N/A
    # answer does not make them appear.
    respondents = answers[["response_id", "department_id", "rater_role"]].drop_duplicates(
        "response_id"
    )
    full = respondents.merge(counts, on="department_id")
    result = full.merge(grouped.drop(columns=["weighted"]).reset_index(), on=keys, how="left")
    result[["answered", "na"]] = result[["answered", "na"]].fillna(0).astype(int)
    result["weight"] = result["weight"].fillna(0.0)
    result["coverage"] = result["answered"] / result["applicable"]
    return _with_score_and_level(result, scale)


def department_scores(scores: pd.DataFrame, scale: Scale, *, roles=SELF_ROLES) -> pd.DataFrame:
    """One row per (department, dimension) from the respondents in ``roles``: mean, spread,
    n, score and level. Departments with no respondent in ``roles`` use every rater."""
    if scores.empty:
        return pd.DataFrame(
            columns=[
                "department_id",
                "dimension",
                "mean",
                "std",
                "min",
                "max",
                "n",
                "score",
                "level",
            ]
        )
    in_roles = scores["rater_role"].isin(roles)
    has_role = scores.loc[in_roles, "department_id"].unique()
    chosen = scores[in_roles | ~scores["department_id"].isin(has_role)]
    rated = chosen.dropna(subset=["mean"])
    grouped = rated.groupby(["department_id", "dimension"])["mean"]
    result = grouped.agg(["mean", "min", "max", "count"]).rename(columns={"count": "n"})
    result["std"] = grouped.std(ddof=0)
    result = result.reset_index()[["department_id", "dimension", "mean", "std", "min", "max", "n"]]
    return _with_score_and_level(result, scale)


def rater_scores(scores: pd.DataFrame, scale: Scale, roles) -> pd.DataFrame:
    """Department × dimension means from the raters in ``roles`` only."""
    chosen = scores[scores["rater_role"].isin(roles)].dropna(subset=["mean"])
    result = (
        chosen.groupby(["department_id", "dimension"])["mean"]
        .agg(mean="mean", n="count")
        .reset_index()
    )
    return _with_score_and_level(result, scale)


def perception_gap(scores: pd.DataFrame, scale: Scale) -> pd.DataFrame:
    """Managers' self-rating minus other raters' rating, per department and dimension, where
    both exist. Positive: the department sees itself further along than the consultant does."""
    own = rater_scores(scores, scale, SELF_ROLES)
    other = rater_scores(scores, scale, OTHER_ROLES)
    both = own.merge(other, on=["department_id", "dimension"], suffixes=("_self", "_other"))
    both["gap"] = both["mean_self"] - both["mean_other"]
    return both[["department_id", "dimension", "mean_self", "mean_other", "gap"]]


def organisation_scores(departments: pd.DataFrame, scale: Scale) -> pd.DataFrame:
    """Per dimension, the mean of the department scores (every department counts once)."""
    result = departments.groupby("dimension")["mean"].agg(mean="mean", n="count").reset_index()
    return _with_score_and_level(result, scale)


def disagreements(answers: pd.DataFrame, *, threshold: float = 2) -> pd.DataFrame:
    """Questions on which a department's respondents chose scores ``threshold`` or more apart."""
    scored = answers.dropna(subset=["score"])
    scored = scored[~scored["is_na"]]
    if scored.empty:
        return pd.DataFrame(
            columns=["department_id", "question_id", "dimension", "low", "high", "n", "spread"]
        )
    # Each question belongs to one dimension: group by question, look the dimension up.
    result = (
        scored.groupby(["department_id", "question_id"])["score"]
        .agg(["min", "max", "count"])
        .rename(columns={"min": "low", "max": "high", "count": "n"})
        .reset_index()
    )
    dimension_of = scored.drop_duplicates("question_id").set_index("question_id")["dimension"]
    result["dimension"] = result["question_id"].map(dimension_of)
    result["spread"] = result["high"] - result["low"]
    return result[(result["n"] >= 2) & (result["spread"] >= threshold - LEVEL_EPSILON)].sort_values(
        ["department_id", "spread"], ascending=[True, False]
    )


def history(
    current: pd.DataFrame, previous: pd.DataFrame, *, key: str = "department_id"
) -> pd.DataFrame:
    """Change per (``key``, dimension) against a previous campaign, matched by dimension code
    (so it works across framework versions that keep their codes)."""
    keys = [key, "dimension"] if key else ["dimension"]
    merged = current[[*keys, "mean"]].merge(
        previous[[*keys, "mean"]], on=keys, how="left", suffixes=("", "_previous")
    )
    merged["delta"] = merged["mean"] - merged["mean_previous"]
    return merged


def improvement_plan(
    departments: pd.DataFrame, targets: pd.DataFrame, dimension_weights: pd.Series
) -> pd.DataFrame:
    """The dimensions below their target, weakest first (docs/scoring.md, "The improvement
    plan"); ``departments`` as ``department_scores`` returns them (mean, level).

    ``targets`` has a target per (department, dimension) and may say in ``explicit`` whether
    someone set it (absent: every target was set). Set targets come first, by priority =
    gap × the dimension's weight, then by gap; default targets (one level up) follow,
    by level, then mean to the two decimals shown, then the heavier weight, then code.
    ``rank`` numbers each department's rows from 1."""
    plan = departments.merge(targets, on=["department_id", "dimension"], how="left")
    if "explicit" not in plan:
        plan["explicit"] = plan["target"].notna()
    plan["explicit"] = plan["explicit"].fillna(False).astype(bool)
    plan["gap"] = (plan["target"] - plan["mean"]).clip(lower=0)
    plan["weight"] = plan["dimension"].map(dimension_weights).fillna(1.0).astype(float)
    plan["priority"] = plan["gap"] * plan["weight"]
    plan = plan[plan["gap"] > 0].copy()
    explicit = plan["explicit"]
    # One sort over keys that mean the same for every row: set targets sort among
    # themselves by priority (negated, so ascending sorts highest first) and gap; default
    # ones by level, shown mean and weight.
    plan["_group"] = np.where(explicit, 0, 1)
    plan["_first"] = np.where(explicit, -plan["priority"], plan["level"].astype(float))
    plan["_second"] = np.where(explicit, -plan["gap"], plan["mean"].round(2))
    plan["_third"] = -plan["weight"]
    plan = plan.sort_values(
        ["_group", "_first", "_second", "_third", "department_id", "dimension"], kind="stable"
    ).drop(columns=["_group", "_first", "_second", "_third"])
    plan["rank"] = plan.groupby("department_id").cumcount() + 1
    return plan
