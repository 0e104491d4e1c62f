"""A campaign's results: load its submitted answers in a fixed number of queries and score
them with the engine in ``maturity.scoring``. Read-only.

``campaign_results`` scores every submitted answer (the scorer's truth, for benchmarks and
checks); every output reads ``shown_results``, which scores only what the anonymity rule of
``assessments.privacy`` lets a reader see."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import Prefetch, Value
from django.db.models.functions import Coalesce

from assessments import privacy
from assessments.models import Answer, Campaign, Department, Response, Target
from maturity import scoring
from maturity.functions import applies
from maturity.models import Choice, Dimension, DimensionLevel, Question


def _number(value) -> float | None:
    if value is None or pd.isna(value):
        return None
    return float(value)


def _answer_frame(campaign_id: int) -> pd.DataFrame:
    """Submitted answers of a campaign, one row per answer (scoring.ANSWER_COLUMNS).

    The big query reads four integer columns only (the ORM writes it, the cursor reads it
    straight into numpy); dimension, weight, score, department and rater role come from
    small lookups by id. That keeps 50,000 answers well under a tenth of a second.
    """
    queryset = (
        Answer.objects.filter(
            response__campaign_id=campaign_id, response__status=Response.Status.SUBMITTED
        )
        .annotate(choice_or_zero=Coalesce("choice_id", Value(0)))
        .values_list("response_id", "question_id", "choice_or_zero", "is_na")
        .order_by()
    )
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    ids = np.array(rows, dtype=np.int64).reshape(-1, 4)
    responses = Response.objects.filter(
        campaign_id=campaign_id, status=Response.Status.SUBMITTED
    ).values_list("id", "department_id", "rater_role")
    department = {rid: dep for rid, dep, _role in responses}
    role = {rid: r for rid, _dep, r in responses}
    questions = (
        Question.objects.filter(framework__campaigns=campaign_id)
        .order_by()
        .values_list("id", "dimension__code", "weight")
    )
    scores = Choice.objects.filter(question__framework__campaigns=campaign_id).values_list(
        "id", "score"
    )
    response_ids = pd.Series(ids[:, 0])
    question_ids = pd.Series(ids[:, 1])
    frame = pd.DataFrame(
        {
            "response_id": response_ids,
            "department_id": response_ids.map(department),
            "rater_role": response_ids.map(role),
            "question_id": question_ids,
            "dimension": question_ids.map({qid: code for qid, code, _w in questions}),
            "weight": question_ids.map({qid: float(w) for qid, _c, w in questions}),
            "score": pd.Series(ids[:, 2]).map({cid: float(score) for cid, score in scores}),
            "is_na": ids[:, 3].astype(bool),
        },
        columns=scoring.ANSWER_COLUMNS,
    )
    frame["weight"] = frame["weight"].astype(float)
    frame["score"] = frame["score"].astype(float)
    return frame


def _applicable_frame(framework_id: int, departments: list[Department]) -> pd.DataFrame:
    questions = (
        Question.objects.filter(framework_id=framework_id)
        .order_by()
        .values_list("id", "dimension__code", "weight", "functions")
    )
    rows = [
        (department.pk, code, qid, float(weight))
        for qid, code, weight, functions in questions
        for department in departments
        if applies(functions, department.function)
    ]
    return pd.DataFrame.from_records(rows, columns=scoring.APPLICABLE_COLUMNS)


def previous_campaign(campaign: Campaign) -> Campaign | None:
    """The organisation's latest campaign that opened before this one."""
    return (
        Campaign.objects.filter(
            organisation_id=campaign.organisation_id, opens_on__lt=campaign.opens_on
        )
        .exclude(pk=campaign.pk)
        .select_related("framework")
        .order_by("-opens_on", "-id")
        .first()
    )


@dataclass
class CampaignResults:
    """Everything the results pages, exports and reports show for one campaign."""

    campaign: Campaign
    departments: list[Department]
    dimensions: list[Dimension]
    answers: pd.DataFrame
    applicable: pd.DataFrame
    previous: Campaign | None = None
    previous_departments: pd.DataFrame | None = None
    targets: dict[tuple[int, str], int] = field(default_factory=dict)
    # Which departments a reader may see (None: every one, unfiltered).
    disclosure: privacy.Disclosure | None = None
    # Rows already presented (see results.rows), so a report builds each once.
    presented: dict = field(default_factory=dict)
    # The scored frames indexed by their keys on first use (``value``): this instance's own,
    # gone with it, so no request's numbers outlive its results.
    _indexes: dict = field(default_factory=dict, init=False, repr=False)

    @cached_property
    def level_titles(self) -> dict[int, str]:
        return {level.value: level.title for level in self.campaign.framework.levels.all()}

    @property
    def scale(self) -> scoring.Scale:
        framework = self.campaign.framework
        return scoring.Scale(framework.scale_min, framework.scale_max)

    @cached_property
    def respondents(self) -> pd.DataFrame:
        return scoring.respondent_scores(self.answers, self.applicable, self.scale)

    @cached_property
    def by_department(self) -> pd.DataFrame:
        return scoring.department_scores(self.respondents, self.scale)

    @cached_property
    def organisation(self) -> pd.DataFrame:
        return scoring.organisation_scores(self.by_department, self.scale)

    @cached_property
    def perception_gap(self) -> pd.DataFrame:
        return scoring.perception_gap(self.respondents, self.scale)

    @cached_property
    def disagreements(self) -> pd.DataFrame:
        return scoring.disagreements(self.answers)

    @cached_property
    def history(self) -> pd.DataFrame | None:
        if self.previous_departments is None or self.previous_departments.empty:
            return None
        return scoring.history(self.by_department, self.previous_departments)

    @cached_property
    def organisation_history(self) -> pd.DataFrame | None:
        if self.previous_departments is None or self.previous_departments.empty:
            return None
        previous_org = scoring.organisation_scores(self.previous_departments, self.scale)
        return scoring.history(self.organisation, previous_org, key=None)

    def value(self, frame: str, column: str, **keys) -> float | None:
        """One number of a scored frame (``by_department``, ``organisation``, ``history``,
        ``organisation_history``, ``perception_gap``) by its keys, or None where there is
        none; the frame is indexed once, so a report's thousands of look-ups are each a
        dictionary access rather than a pandas filter."""
        names = tuple(keys)
        index = self._indexes.get((frame, names))
        if index is None:
            table = getattr(self, frame)
            records = [] if table is None or table.empty else table.to_dict("records")
            index = {tuple(row[name] for name in names): row for row in records}
            self._indexes[(frame, names)] = index
        row = index.get(tuple(keys.values()))
        return None if row is None else _number(row.get(column))

    def department_mean(self, department_id: int, dimension: str) -> float | None:
        return self.value("by_department", "mean", department_id=department_id, dimension=dimension)

    def target_for(self, department_id: int, dimension: str) -> int | None:
        """The set target, or by default one level above the current level."""
        if (department_id, dimension) in self.targets:
            return self.targets[(department_id, dimension)]
        mean = self.department_mean(department_id, dimension)
        if mean is None:
            return None
        return min(self.scale.high, self.scale.level(mean) + 1)

    @cached_property
    def dimension_weights(self) -> pd.Series:
        """Each dimension's share of the framework's question weight, averaged to 1."""
        weights = (
            self.applicable.drop_duplicates("question_id").groupby("dimension")["weight"].sum()
        )
        return weights / weights.mean() if len(weights) else weights

    def improvement_plan(self, department_id: int | None = None) -> pd.DataFrame:
        """The plan (``scoring.improvement_plan``): set targets first, then the default
        targets weakest first; one department's rows, or every department's in one order."""
        rows = self.by_department
        if department_id is not None:
            rows = rows[rows["department_id"] == department_id]
        targets = pd.DataFrame(
            [
                (
                    row.department_id,
                    row.dimension,
                    self.target_for(row.department_id, row.dimension),
                    (row.department_id, row.dimension) in self.targets,
                )
                for row in rows.itertuples()
            ],
            columns=["department_id", "dimension", "target", "explicit"],
        )
        return scoring.improvement_plan(rows, targets, self.dimension_weights)


def _load(
    campaign: Campaign, *, withhold: bool
) -> tuple[list[Department], pd.DataFrame, pd.DataFrame, privacy.Disclosure | None]:
    """A campaign's answers, applicable questions and departments, with only the shown
    departments' answers when ``withhold``."""
    departments = list(campaign.departments.order_by("name"))
    answers = _answer_frame(campaign.pk)
    rule = privacy.disclosure(campaign) if withhold else None
    if rule is not None:
        answers = privacy.shown_answers(answers, rule)
    return departments, answers, _applicable_frame(campaign.framework_id, departments), rule


def campaign_results(campaign: Campaign, *, withhold: bool = False) -> CampaignResults:
    """Load and score a campaign (and the previous one, for history) in a fixed number of
    queries, whatever the number of respondents and questions. With ``withhold``, the
    departments below each campaign's anonymity threshold are left out (``shown_results``)."""
    departments, answers, applicable, rule = _load(campaign, withhold=withhold)
    dimensions = list(
        Dimension.objects.filter(framework_id=campaign.framework_id)
        .order_by("order")
        .prefetch_related(
            Prefetch(
                "levels",
                queryset=DimensionLevel.objects.order_by("level").prefetch_related(
                    "recommendations"
                ),
            )
        )
    )
    results = CampaignResults(
        campaign=campaign,
        departments=departments,
        dimensions=dimensions,
        answers=answers,
        applicable=applicable,
        targets={
            (t.department_id, t.dimension_code): t.level
            for t in Target.objects.filter(department__in=departments)
        },
        disclosure=rule,
    )
    previous = previous_campaign(campaign)
    if previous is not None:
        _departments, previous_answers, previous_applicable, _rule = _load(
            previous, withhold=withhold
        )
        previous_scale = scoring.Scale(previous.framework.scale_min, previous.framework.scale_max)
        previous_scores = scoring.respondent_scores(
            previous_answers, previous_applicable, previous_scale
        )
        results.previous = previous
        results.previous_departments = scoring.department_scores(previous_scores, previous_scale)
    return results


def shown_results(campaign: Campaign) -> CampaignResults:
    """What every output (pages, API, exports, PDF) shows: the campaign scored from the
    departments at or above its anonymity threshold only (``assessments.privacy``)."""
    return campaign_results(campaign, withhold=True)
