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

That is the default rule. A framework may declare another (``maturity.scoring_rules``,
docs/scoring.md "Declared rules"): every function takes the ``ScoringRules`` beside the
``Scale`` (the Scale keeps the 0–100 mapping; the rules decide values, aggregation and
levels). Streams, areas and the overall figure roll up like dimensions: per respondent
first, then department = mean of respondents, organisation = mean of departments.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from maturity.scoring_rules import ScoringRules

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
# Format v2 adds these (optional in the frames the engine is given: a frame without them
# is read as v1, no streams, no question levels, values on the scale).
ANSWER_V2_COLUMNS = [*ANSWER_COLUMNS, "stream", "value", "question_level"]
APPLICABLE_V2_COLUMNS = [
    *APPLICABLE_COLUMNS,
    "stream",
    "question_level",
    "value_min",
    "value_max",
]
# Columns of the dimension table the area and overall roll-ups read.
DIMENSION_COLUMNS = ["dimension", "area", "weight", "area_weight"]
DEFAULT_RULES = ScoringRules()


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


def level_of(mean, scale: Scale, rules: ScoringRules | None = None):
    """The level a mean reaches under ``rules`` (a number or a Series; NaN stays NaN):
    ``floor`` (⌊mean⌋, the default) or ``thresholds`` (the highest level whose ``from`` the
    mean reaches, else the scale's lowest). ``gated`` levels depend on the answers, not on
    the mean (``gated_levels``); here they fall back to the floor."""
    rules = rules or DEFAULT_RULES
    if rules.level_rule != "thresholds":
        return scale.level(mean)
    if isinstance(mean, pd.Series):
        values = mean.astype(float)
        levels = pd.Series(float(scale.low), index=values.index)
        for threshold in rules.thresholds:  # sorted by level, ``from`` increasing
            levels[values + LEVEL_EPSILON >= threshold.start] = float(threshold.level)
        levels[values.isna()] = np.nan
        return levels.clip(scale.low, scale.high).astype("Int64")
    if mean is None or (isinstance(mean, float) and math.isnan(mean)):
        return None
    level = scale.low
    for threshold in rules.thresholds:
        if mean + LEVEL_EPSILON >= threshold.start:
            level = threshold.level
    return int(min(scale.high, max(scale.low, level)))


def _with_score_and_level(
    frame: pd.DataFrame, scale: Scale, rules: ScoringRules | None = None
) -> pd.DataFrame:
    frame["score"] = scale.to_percent(frame["mean"])
    frame["level"] = level_of(frame["mean"], scale, rules)
    return frame


def _v2_applicable(applicable: pd.DataFrame) -> pd.DataFrame:
    """``applicable`` with the v2 columns (absent ones: no stream, no level, the scale)."""
    frame = applicable
    missing = [c for c in APPLICABLE_V2_COLUMNS if c not in frame.columns]
    if missing:
        frame = frame.copy()
        for column in missing:
            frame[column] = None if column == "stream" else np.nan
    return frame


def question_values(
    answers: pd.DataFrame,
    applicable: pd.DataFrame,
    scale: Scale,
    rules: ScoringRules | None = None,
) -> pd.DataFrame:
    """One row per (response, applicable question) that the rules look at: the answer rows
    of questions that apply to the respondent's department, plus (when the rules count
    unanswered questions or gate levels) a row for every applicable question the respondent
    has no answer row for.

    Columns: response_id, department_id, rater_role, question_id, dimension, stream,
    question_level, weight, is_na, ``answered`` (a choice, not N/A), ``counted`` (the row
    enters the aggregation), ``value`` (the raw value that counts: the choice's, or the
    rule's value for an unanswered or N/A question; NaN when left out) and ``score`` (that
    value mapped linearly from the question's value range onto the scale; identity when
    the range is the scale, so v1 numbers are unchanged to the last bit).
    """
    rules = rules or DEFAULT_RULES
    applicable = _v2_applicable(applicable)
    frame = answers
    if "value" not in frame.columns:
        frame = frame.assign(value=frame["score"])
    # Answers only count for questions that apply to the respondent's department (an answer
    # can outlive a change of the department's function); the question's stream, level and
    # value range come from the applicable table.
    extra = ["stream", "question_level", "value_min", "value_max"]
    frame = frame.drop(columns=[c for c in extra if c in frame.columns]).merge(
        applicable[["department_id", "question_id", *extra]], on=["department_id", "question_id"]
    )
    if rules.counts_unanswered or rules.level_rule == "gated":
        respondents = answers[["response_id", "department_id", "rater_role"]].drop_duplicates(
            "response_id"
        )
        grid = respondents.merge(
            applicable[["department_id", "question_id", "dimension", "weight", *extra]],
            on="department_id",
        )
        seen = pd.MultiIndex.from_frame(frame[["response_id", "question_id"]])
        absent = ~pd.MultiIndex.from_frame(grid[["response_id", "question_id"]]).isin(seen)
        blank = grid[absent].assign(value=np.nan, score=np.nan, is_na=False)
        if len(blank):
            frame = pd.concat([frame, blank.reindex(columns=frame.columns)], ignore_index=True)
    frame = frame.reset_index(drop=True)
    is_na = frame["is_na"].astype(bool)
    raw = frame["value"].astype(float)
    answered = raw.notna() & ~is_na
    value = raw.where(answered)
    if rules.not_applicable is not None:
        value = value.mask(is_na, rules.not_applicable)
    if rules.unanswered is not None:
        value = value.mask(~is_na & raw.isna(), rules.unanswered)
    low = frame["value_min"].astype(float).fillna(float(scale.low))
    high = frame["value_max"].astype(float).fillna(float(scale.high))
    identity = (low == scale.low) & (high == scale.high)
    span = (high - low).where(high > low)
    mapped = scale.low + (value - low) / span * (scale.high - scale.low)
    frame["is_na"] = is_na
    frame["answered"] = answered
    frame["value"] = value
    frame["score"] = value.where(identity, mapped)
    frame["counted"] = value.notna()
    frame["weight"] = frame["weight"].astype(float)
    return frame


def _aggregate(frame: pd.DataFrame, keys: list[str], how: str, rules: ScoringRules):
    """Aggregate counted question rows per ``keys`` by ``how`` (weighted_mean, mean, sum,
    sum_divided): a frame with ``total`` (the numerator), ``weight`` (Σ weight of counted
    rows), ``counted`` and ``mean`` (NaN where nothing counts)."""
    counted = frame["counted"]
    weight = np.where(counted, frame["weight"], 0.0)
    if how == "weighted_mean":
        total = np.where(counted, frame["weight"] * frame["score"], 0.0)
    elif how == "mean":
        total = np.where(counted, frame["score"], 0.0)
    else:  # sum, sum_divided: the raw values as the file writes them
        total = np.where(counted, frame["weight"] * frame["value"], 0.0)
    parts = frame[keys].assign(total=total, weight=weight, counted=counted.astype(int))
    grouped = parts.groupby(keys, sort=False, observed=True, dropna=False)[
        ["total", "weight", "counted"]
    ].sum()
    if how == "weighted_mean":
        grouped["mean"] = grouped["total"] / grouped["weight"].where(grouped["weight"] > 0)
    elif how == "mean":
        grouped["mean"] = grouped["total"] / grouped["counted"].where(grouped["counted"] > 0)
    elif how == "sum_divided":
        grouped["mean"] = (grouped["total"] / rules.divisor).where(grouped["counted"] > 0)
    else:
        grouped["mean"] = grouped["total"].where(grouped["counted"] > 0)
    return grouped


def stream_values(
    answers: pd.DataFrame,
    applicable: pd.DataFrame,
    scale: Scale,
    rules: ScoringRules | None = None,
    *,
    questions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per (response, dimension, stream) of the questions that have a stream: the
    stream's score by the ``stream`` rule (response_id, department_id, rater_role,
    dimension, stream, mean, total, weight, counted, score)."""
    rules = rules or DEFAULT_RULES
    columns = [
        "response_id",
        "department_id",
        "rater_role",
        "dimension",
        "stream",
        "mean",
        "total",
        "weight",
        "counted",
        "score",
    ]
    if questions is None:
        questions = question_values(answers, applicable, scale, rules)
    with_stream = questions[questions["stream"].notna() & (questions["stream"] != "")]
    if with_stream.empty:
        return pd.DataFrame(columns=columns)
    grouped = _aggregate(
        with_stream, ["response_id", "dimension", "stream"], rules.stream, rules
    ).reset_index()
    who = with_stream[["response_id", "department_id", "rater_role"]].drop_duplicates("response_id")
    result = grouped.merge(who, on="response_id")
    result["score"] = scale.to_percent(result["mean"])
    return result[columns]


def respondent_scores(
    answers: pd.DataFrame,
    applicable: pd.DataFrame,
    scale: Scale,
    rules: ScoringRules | None = None,
) -> pd.DataFrame:
    """One row per (response, dimension): mean, score, level and coverage.

    ``answers`` has ANSWER_COLUMNS (score NaN for N/A or no choice; v2 adds ``stream``,
    ``value``, ``question_level``); ``applicable`` lists the questions each department
    answers (APPLICABLE_COLUMNS, v2 adds stream, question_level, value_min, value_max).
    ``rules`` (default: today's rule) decides how values count and aggregate.
    """
    rules = rules or DEFAULT_RULES
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
    frame = question_values(answers, applicable, scale, rules)
    keys = ["response_id", "dimension"]
    if rules.dimension == "mean_of_streams":
        streams = stream_values(answers, applicable, scale, rules, questions=frame)
        grouped = (
            streams.groupby(keys, sort=False)
            .agg(mean=("mean", "mean"), weight=("weight", "sum"))
            .astype(float)
        )
    else:
        grouped = _aggregate(frame, keys, rules.dimension, rules)[["mean", "weight"]]
    counts_of = (
        frame.assign(answered=frame["answered"].astype(int), na=frame["is_na"].astype(int))
        .groupby(keys, sort=False, observed=True)[["answered", "na"]]
        .sum()
    )
    grouped = grouped.join(counts_of, how="outer")
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
    result = full.merge(grouped.reset_index(), on=keys, how="left")
    result[["answered", "na"]] = result[["answered", "na"]].fillna(0).astype(int)
    result["weight"] = result["weight"].fillna(0.0)
    result["mean"] = result["mean"].astype(float)
    result["coverage"] = result["answered"] / result["applicable"]
    result = _with_score_and_level(result, scale, rules)
    if rules.level_rule == "gated":
        levels = gated_levels(frame, ["response_id", "dimension"], scale, rules)
        result["level"] = _gated_or_floor(result, levels, ["response_id", "dimension"], scale)
    return result


def gated_levels(
    values: pd.DataFrame, keys: list[str], scale: Scale, rules: ScoringRules
) -> pd.Series:
    """The gated level per ``keys`` from question rows (``value``, ``question_level``): level
    n (above the scale's lowest) is reached when every question of the group with a level
    ≤ n has a value ≥ the gate (a left-out question, NaN, does not meet it) and every level
    below is reached; the level stays at the highest reached. A level no question of the
    group asks about above the highest asked is not reached. Groups without a levelled
    question are absent (their level is the floor of their mean)."""
    levelled = values[values["question_level"].notna()]
    if levelled.empty:
        return pd.Series(dtype=float)
    level = levelled["question_level"].astype(float)
    unmet = ~(levelled["value"].astype(float) >= rules.gate - LEVEL_EPSILON)
    frame = levelled[keys].assign(top=level, first_unmet=level.where(unmet, np.inf))
    grouped = frame.groupby(keys, sort=False, dropna=False).agg(
        top=("top", "max"), first_unmet=("first_unmet", "min")
    )
    reached = np.minimum(grouped["top"], grouped["first_unmet"] - 1)
    return reached.clip(scale.low, scale.high)


def _gated_or_floor(frame: pd.DataFrame, levels: pd.Series, keys: list[str], scale: Scale):
    """``frame``'s level column with the gated levels where a group has one (and a mean)."""
    if levels.empty:
        return frame["level"]
    index = pd.MultiIndex.from_frame(frame[keys]) if len(keys) > 1 else pd.Index(frame[keys[0]])
    gated = pd.Series(levels.reindex(index).to_numpy(), index=frame.index)
    chosen = gated.where(frame["mean"].notna())
    return chosen.fillna(frame["level"].astype(float)).astype("Int64")


def chosen_raters(scores: pd.DataFrame, *, roles=SELF_ROLES) -> pd.DataFrame:
    """The rows of the raters in ``roles``, or of every rater for departments with no
    respondent in ``roles`` (the department score's fallback)."""
    in_roles = scores["rater_role"].isin(roles)
    has_role = scores.loc[in_roles, "department_id"].unique()
    return scores[in_roles | ~scores["department_id"].isin(has_role)]


def department_scores(
    scores: pd.DataFrame,
    scale: Scale,
    *,
    roles=SELF_ROLES,
    rules: ScoringRules | None = None,
    questions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per (department, dimension) from the respondents in ``roles``: mean, spread,
    n, score and level. Departments with no respondent in ``roles`` use every rater.
    Gated levels (``rules``) are read from ``questions`` (``question_values``): on the
    department's mean value of each question."""
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
    chosen = chosen_raters(scores, roles=roles)
    rated = chosen.dropna(subset=["mean"])
    grouped = rated.groupby(["department_id", "dimension"])["mean"]
    result = grouped.agg(["mean", "min", "max", "count"]).rename(columns={"count": "n"})
    result["std"] = grouped.std(ddof=0)
    result = result.reset_index()[["department_id", "dimension", "mean", "std", "min", "max", "n"]]
    result = _with_score_and_level(result, scale, rules)
    if rules is not None and rules.level_rule == "gated" and questions is not None:
        values = department_question_values(questions, scores, roles=roles)
        levels = gated_levels(values, ["department_id", "dimension"], scale, rules)
        result["level"] = _gated_or_floor(result, levels, ["department_id", "dimension"], scale)
    return result


def department_question_values(
    questions: pd.DataFrame, scores: pd.DataFrame, *, roles=SELF_ROLES
) -> pd.DataFrame:
    """Per (department, question): the mean value of the department's chosen raters (the
    ones its score is made of), NaN where none counts; with dimension, stream and level."""
    chosen = chosen_raters(scores, roles=roles)["response_id"].unique()
    rows = questions[questions["response_id"].isin(chosen)]
    return (
        rows.groupby(["department_id", "question_id"], sort=False)
        .agg(
            dimension=("dimension", "first"),
            stream=("stream", "first"),
            question_level=("question_level", "first"),
            value=("value", "mean"),
        )
        .reset_index()
    )


def rater_scores(
    scores: pd.DataFrame, scale: Scale, roles, rules: ScoringRules | None = None
) -> pd.DataFrame:
    """Department × dimension means from the raters in ``roles`` only."""
    chosen = scores[scores["rater_role"].isin(roles)].dropna(subset=["mean"])
    result = (
        chosen.groupby(["department_id", "dimension"])["mean"]
        .agg(mean="mean", n="count")
        .reset_index()
    )
    return _with_score_and_level(result, scale, rules)


def perception_gap(
    scores: pd.DataFrame, scale: Scale, rules: ScoringRules | None = None
) -> pd.DataFrame:
    """Managers' self-rating minus other raters' rating, per department and dimension, where
    both exist. Positive: the department sees itself further along than the consultant does."""
    own = rater_scores(scores, scale, SELF_ROLES, rules)
    other = rater_scores(scores, scale, OTHER_ROLES, rules)
    both = own.merge(other, on=["department_id", "dimension"], suffixes=("_self", "_other"))
    both["gap"] = both["mean_self"] - both["mean_other"]
    return both[["department_id", "dimension", "mean_self", "mean_other", "gap"]]


def organisation_scores(
    departments: pd.DataFrame,
    scale: Scale,
    rules: ScoringRules | None = None,
    *,
    department_values: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per dimension, the mean of the department scores (every department counts once).
    Gated levels are read from ``department_values`` (``department_question_values``): on
    the mean over departments of each question's department value."""
    result = departments.groupby("dimension")["mean"].agg(mean="mean", n="count").reset_index()
    result = _with_score_and_level(result, scale, rules)
    if rules is not None and rules.level_rule == "gated" and department_values is not None:
        values = organisation_question_values(department_values)
        levels = gated_levels(values, ["dimension"], scale, rules)
        result["level"] = _gated_or_floor(result, levels, ["dimension"], scale)
    return result


def organisation_question_values(department_values: pd.DataFrame) -> pd.DataFrame:
    """Per question: the mean of its departments' values (NaN where none has one)."""
    return (
        department_values.groupby("question_id", sort=False)
        .agg(
            dimension=("dimension", "first"),
            stream=("stream", "first"),
            question_level=("question_level", "first"),
            value=("value", "mean"),
        )
        .reset_index()
    )


# --- streams, areas, overall: the same roll-up, per respondent first -----------------------

STREAM_DEPARTMENT_COLUMNS = ["department_id", "dimension", "stream", "mean", "n", "score"]
STREAM_ORGANISATION_COLUMNS = ["dimension", "stream", "mean", "n", "score"]
AREA_DEPARTMENT_COLUMNS = ["department_id", "area", "mean", "n", "score", "level"]
AREA_ORGANISATION_COLUMNS = ["area", "mean", "n", "score", "level"]
OVERALL_DEPARTMENT_COLUMNS = ["department_id", "mean", "score", "level"]
OVERALL_ORGANISATION_COLUMNS = ["mean", "score", "level"]


def department_roll_up(
    scores: pd.DataFrame, keys: list[str], scale: Scale, *, roles=SELF_ROLES
) -> pd.DataFrame:
    """Per (department, *keys): the plain mean of the chosen raters' means and their number
    (the department score's rule, for streams, areas and the overall figure), with score."""
    columns = ["department_id", *keys, "mean", "n", "score"]
    if scores.empty:
        return pd.DataFrame(columns=columns)
    rated = chosen_raters(scores, roles=roles).dropna(subset=["mean"])
    result = (
        rated.groupby(["department_id", *keys])["mean"].agg(mean="mean", n="count").reset_index()
    )
    result["mean"] = result["mean"].astype(float)
    result["score"] = scale.to_percent(result["mean"])
    return result[columns]


def organisation_roll_up(departments: pd.DataFrame, keys: list[str], scale: Scale):
    """Per ``keys``: the plain mean of the department means (every department once)."""
    columns = [*keys, "mean", "n", "score"]
    if departments.empty:
        return pd.DataFrame(columns=columns)
    if keys:
        result = departments.groupby(keys)["mean"].agg(mean="mean", n="count").reset_index()
    else:
        rated = departments["mean"].dropna()
        result = pd.DataFrame({"mean": [rated.mean()], "n": [len(rated)]})
    result["mean"] = result["mean"].astype(float)
    result["score"] = scale.to_percent(result["mean"])
    return result[columns]


def _dimension_table(dimensions: pd.DataFrame | None) -> pd.DataFrame:
    if dimensions is None:
        return pd.DataFrame(columns=DIMENSION_COLUMNS)
    return dimensions


def _weighted(frame: pd.DataFrame, keys: list[str], weight: str, weighted: bool) -> pd.DataFrame:
    """Per ``keys``: the (weighted, or plain) mean of ``frame.mean`` where it has one."""
    rated = frame.dropna(subset=["mean"])
    w = rated[weight].astype(float) if weighted else pd.Series(1.0, index=rated.index)
    parts = rated[keys].assign(total=w * rated["mean"], weight=w)
    grouped = parts.groupby(keys, sort=False)[["total", "weight"]].sum()
    grouped["mean"] = grouped["total"] / grouped["weight"].where(grouped["weight"] > 0)
    return grouped[["mean"]].reset_index()


def respondent_area_scores(
    scores: pd.DataFrame,
    dimensions: pd.DataFrame | None,
    scale: Scale,
    rules: ScoringRules | None = None,
) -> pd.DataFrame:
    """Per (response, area): the respondent's dimension means of the area, by the ``area``
    rule (mean, or weighted_mean by the dimensions' weights); dimensions with no mean are
    left out. (response_id, department_id, rater_role, area, mean, score)"""
    rules = rules or DEFAULT_RULES
    columns = ["response_id", "department_id", "rater_role", "area", "mean", "score"]
    table = _dimension_table(dimensions)
    with_area = table[table["area"].notna() & (table["area"] != "")]
    if scores.empty or with_area.empty:
        return pd.DataFrame(columns=columns)
    frame = scores.merge(with_area[["dimension", "area", "weight"]], on="dimension")
    result = _weighted(frame, ["response_id", "area"], "weight", rules.area == "weighted_mean")
    who = scores[["response_id", "department_id", "rater_role"]].drop_duplicates("response_id")
    result = result.merge(who, on="response_id")
    result["score"] = scale.to_percent(result["mean"])
    return result[columns]


def uses_areas(dimensions: pd.DataFrame | None, rules: ScoringRules | None = None) -> bool:
    """Whether the overall figure is the mean of areas: the rule says so and every
    dimension has an area (otherwise: mean of dimensions)."""
    rules = rules or DEFAULT_RULES
    table = _dimension_table(dimensions)
    return (
        rules.overall == "mean_of_areas"
        and not table.empty
        and bool((table["area"].notna() & (table["area"] != "")).all())
    )


def respondent_overall_scores(
    scores: pd.DataFrame,
    areas: pd.DataFrame,
    dimensions: pd.DataFrame | None,
    scale: Scale,
    rules: ScoringRules | None = None,
) -> pd.DataFrame:
    """Per response: the overall figure, mean_of_areas (weighted by the areas' weights) or
    mean_of_dimensions (plain). (response_id, department_id, rater_role, mean, score)"""
    rules = rules or DEFAULT_RULES
    columns = ["response_id", "department_id", "rater_role", "mean", "score"]
    if scores.empty:
        return pd.DataFrame(columns=columns)
    table = _dimension_table(dimensions)
    if uses_areas(table, rules) and not areas.empty:
        weights = table.drop_duplicates("area").set_index("area")["area_weight"]
        frame = areas.assign(area_weight=areas["area"].map(weights).astype(float))
        result = _weighted(frame, ["response_id"], "area_weight", True)
    else:
        result = _weighted(scores, ["response_id"], "weight", False)
    who = scores[["response_id", "department_id", "rater_role"]].drop_duplicates("response_id")
    result = who.merge(result, on="response_id")
    result["mean"] = result["mean"].astype(float)
    result["score"] = scale.to_percent(result["mean"])
    return result[columns]


def group_levels(
    frame: pd.DataFrame,
    keys: list[str],
    scale: Scale,
    rules: ScoringRules | None = None,
    *,
    values: pd.DataFrame | None = None,
    group_of: pd.Series | None = None,
) -> pd.Series:
    """The level column for a rolled-up ``frame`` (area, overall): by the rules from the
    mean; gated: from ``values`` (question rows with department/organisation values),
    grouped by ``keys`` after mapping each question's dimension through ``group_of``
    (dimension → area; None: the whole framework is one group)."""
    levels = level_of(frame["mean"].astype(float), scale, rules)
    frame = frame.assign(level=levels)
    if rules is None or rules.level_rule != "gated" or values is None or values.empty:
        return frame["level"]
    values = values.copy()
    group_keys = [k for k in keys if k in values.columns]
    if group_of is not None:
        values["area"] = values["dimension"].map(group_of)
        values = values[values["area"].notna()]
        group_keys.append("area")
    if not group_keys:
        values["_all"] = 0
        frame = frame.assign(_all=0)
        group_keys = ["_all"]
    gated = gated_levels(values, group_keys, scale, rules)
    return _gated_or_floor(frame, gated, group_keys, scale)


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
