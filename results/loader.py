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
from django.db.models import Prefetch, Q, Value
from django.db.models.functions import Coalesce

from assessments import privacy
from assessments.models import (
    Answer,
    Campaign,
    Department,
    OrganisationAnswer,
    Response,
    Target,
)
from maturity import scoring
from maturity.business_models import applies as applies_to_model
from maturity.business_models import word_question
from maturity.functions import applies
from maturity.models import Choice, Dimension, DimensionLevel, Question, Stream
from maturity.scopes import asked_of_departments
from maturity.scoring_rules import ScoringRules


def _number(value) -> float | None:
    if value is None or pd.isna(value):
        return None
    return float(value)


def _question_table(framework_id: int) -> dict[int, tuple]:
    """{question id: (dimension code, weight, stream code | None, level | None, value_min,
    value_max, functions, business models, scope)} in one query (v2's stream, level and value
    range beside v1's columns). Every question of the framework: an answer to one that no
    longer applies (the organisation changed its business model) keeps its dimension here
    and is left out where ``_applicable_frame`` says so, as for a changed function."""
    rows = (
        Question.objects.filter(framework_id=framework_id)
        .order_by()
        .values_list(
            "id",
            "dimension__code",
            "weight",
            "stream__code",
            "level",
            "value_min",
            "value_max",
            "functions",
            "business_models",
            "scope",
        )
    )
    return {
        qid: (
            code,
            float(weight),
            stream,
            np.nan if level is None else float(level),
            np.nan if low is None else float(low),
            np.nan if high is None else float(high),
            functions,
            models,
            scope,
        )
        for qid, code, weight, stream, level, low, high, functions, models, scope in rows
    }


def _with_organisation_answers(
    campaign_id: int, ids: np.ndarray, response_ids: list[int], questions: dict[int, tuple]
) -> np.ndarray:
    """``ids`` (response, question, choice or 0, is N/A) with the organisation's answers to
    the questions of organisation scope (``maturity.scopes``) given to every submitted
    response, as if each respondent had chosen them, in place of any answer of a
    respondent's own to such a question (none is taken; one from before the question
    changed scope is not counted)."""
    organisation_ids = [qid for qid, row in questions.items() if not asked_of_departments(row[8])]
    if not organisation_ids:
        return ids
    ids = ids[~np.isin(ids[:, 1], organisation_ids)]
    given = list(
        OrganisationAnswer.objects.filter(campaign_id=campaign_id)
        .filter(Q(choice__isnull=False) | Q(is_na=True))
        .annotate(choice_or_zero=Coalesce("choice_id", Value(0)))
        .values_list("question_id", "choice_or_zero", "is_na")
        .order_by()
    )
    if not given or not response_ids:
        return ids
    broadcast = np.array(
        [(rid, qid, choice, int(is_na)) for rid in response_ids for qid, choice, is_na in given],
        dtype=np.int64,
    )
    return np.concatenate([ids, broadcast])


def _answer_frame(campaign_id: int, questions: dict[int, tuple], scale) -> pd.DataFrame:
    """Submitted answers of a campaign, one row per answer (scoring.ANSWER_V2_COLUMNS):
    ``value`` is the chosen choice's value as the file writes it, ``score`` that value on
    the level scale (the same for a v1 framework, whose values lie on the scale).

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
    responses = list(
        Response.objects.filter(
            campaign_id=campaign_id, status=Response.Status.SUBMITTED
        ).values_list("id", "department_id", "rater_role")
    )
    ids = _with_organisation_answers(
        campaign_id,
        np.array(rows, dtype=np.int64).reshape(-1, 4),
        [rid for rid, _dep, _role in responses],
        questions,
    )
    department = {rid: dep for rid, dep, _role in responses}
    role = {rid: r for rid, _dep, r in responses}
    scores = Choice.objects.filter(question__framework__campaigns=campaign_id).values_list(
        "id", "score"
    )
    response_ids = pd.Series(ids[:, 0])
    question_ids = pd.Series(ids[:, 1])

    def column(index):
        return question_ids.map({qid: row[index] for qid, row in questions.items()})

    values = pd.Series(ids[:, 2]).map({cid: float(score) for cid, score in scores}).astype(float)
    low = column(4).astype(float).fillna(float(scale.low))
    high = column(5).astype(float).fillna(float(scale.high))
    identity = (low == scale.low) & (high == scale.high)
    mapped = scale.low + (values - low) / (high - low).where(high > low) * (scale.high - scale.low)
    frame = pd.DataFrame(
        {
            "response_id": response_ids,
            "department_id": response_ids.map(department),
            "rater_role": response_ids.map(role),
            "question_id": question_ids,
            "dimension": column(0),
            "weight": column(1),
            "score": values.where(identity, mapped),
            "is_na": ids[:, 3].astype(bool),
            "stream": column(2),
            "value": values,
            "question_level": column(3),
        },
        columns=scoring.ANSWER_V2_COLUMNS,
    )
    frame["weight"] = frame["weight"].astype(float)
    frame["score"] = frame["score"].astype(float)
    frame["question_level"] = frame["question_level"].astype(float)
    return frame


def _applicable_frame(
    questions: dict[int, tuple], departments: list[Department], business_model: str
) -> pd.DataFrame:
    """One row per (department, question) that applies: the question's functions include
    the department's and its business models the organisation's ``business_model``
    (``maturity.business_models.applies``); only these rows are scored."""
    rows = [
        (department.pk, code, qid, weight, stream, level, low, high)
        for qid, (code, weight, stream, level, low, high, functions, models, _scope) in (
            questions.items()
        )
        if applies_to_model(models, business_model)
        for department in departments
        if applies(functions, department.function)
    ]
    return pd.DataFrame.from_records(rows, columns=scoring.APPLICABLE_V2_COLUMNS)


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
        return _scale(self.campaign.framework)

    @cached_property
    def rules(self) -> ScoringRules:
        """The scoring rules the campaign's framework declares (default: today's rule)."""
        return ScoringRules.from_data(getattr(self.campaign.framework, "scoring", None))

    def level_of(self, mean: float | None) -> int | None:
        """The level of a mean by the framework's rule (floor or thresholds). A gated level
        depends on the answers, not on a mean: read it from the frames (``level``)."""
        if mean is None:
            return None
        return scoring.level_of(mean, self.scale, self.rules)

    def round(self, value: float | None, places: int | None = None) -> float | None:
        """Half-up rounding to the framework's declared precision (``ScoringRules.round``)."""
        return self.rules.round(value, places)

    # --- the hierarchy ----------------------------------------------------------------

    @cached_property
    def areas(self) -> list:
        """The framework's areas that have dimensions, in order, each with
        ``dimension_codes`` (its dimensions' codes in order)."""
        found: dict[int, object] = {}
        for dimension in self.dimensions:
            area = getattr(dimension, "area", None)
            if area is None:
                continue
            if area.pk not in found:
                area.dimension_codes = []
                found[area.pk] = area
            found[area.pk].dimension_codes.append(dimension.code)
        return sorted(found.values(), key=lambda area: (area.order, area.pk))

    @cached_property
    def streams(self) -> dict[str, list]:
        """{dimension code: [Stream, …]} for the dimensions that have streams."""
        return {
            dimension.code: list(dimension.streams.all())
            for dimension in self.dimensions
            if dimension.streams.all()
        }

    @cached_property
    def dimension_table(self) -> pd.DataFrame:
        """scoring.DIMENSION_COLUMNS: each dimension's area code, weight and area weight."""
        rows = []
        for dimension in self.dimensions:
            area = getattr(dimension, "area", None)
            rows.append(
                (
                    dimension.code,
                    None if area is None else area.code,
                    float(dimension.weight),
                    1.0 if area is None else float(area.weight),
                )
            )
        return pd.DataFrame.from_records(rows, columns=scoring.DIMENSION_COLUMNS)

    # --- the scored frames ------------------------------------------------------------

    @cached_property
    def question_values(self) -> pd.DataFrame:
        """Each respondent's counted value per applicable question (``scoring.question_values``)."""
        return scoring.question_values(self.answers, self.applicable, self.scale, self.rules)

    @cached_property
    def respondents(self) -> pd.DataFrame:
        return scoring.respondent_scores(self.answers, self.applicable, self.scale, self.rules)

    @cached_property
    def department_values(self) -> pd.DataFrame | None:
        """Per (department, question) the department's mean value: what gated levels read."""
        if self.rules.level_rule != "gated" or self.answers.empty:
            return None
        return scoring.department_question_values(self.question_values, self.respondents)

    def _gated_questions(self) -> pd.DataFrame | None:
        if self.rules.level_rule != "gated" or self.answers.empty:
            return None
        return self.question_values

    @cached_property
    def by_department(self) -> pd.DataFrame:
        return scoring.department_scores(
            self.respondents, self.scale, rules=self.rules, questions=self._gated_questions()
        )

    @cached_property
    def organisation(self) -> pd.DataFrame:
        return scoring.organisation_scores(
            self.by_department, self.scale, self.rules, department_values=self.department_values
        )

    @cached_property
    def respondent_streams(self) -> pd.DataFrame:
        if self.answers.empty:
            return pd.DataFrame(columns=["response_id", "department_id", "rater_role"])
        return scoring.stream_values(
            self.answers, self.applicable, self.scale, self.rules, questions=self.question_values
        )

    @cached_property
    def by_department_stream(self) -> pd.DataFrame:
        return scoring.department_roll_up(
            self.respondent_streams, ["dimension", "stream"], self.scale
        )

    @cached_property
    def organisation_stream(self) -> pd.DataFrame:
        return scoring.organisation_roll_up(
            self.by_department_stream, ["dimension", "stream"], self.scale
        )

    @cached_property
    def respondent_areas(self) -> pd.DataFrame:
        return scoring.respondent_area_scores(
            self.respondents, self.dimension_table, self.scale, self.rules
        )

    def _area_of(self) -> pd.Series:
        table = self.dimension_table
        return table.set_index("dimension")["area"]

    @cached_property
    def by_department_area(self) -> pd.DataFrame:
        frame = scoring.department_roll_up(self.respondent_areas, ["area"], self.scale)
        frame["level"] = scoring.group_levels(
            frame,
            ["department_id", "area"],
            self.scale,
            self.rules,
            values=self.department_values,
            group_of=self._area_of(),
        )
        return frame[scoring.AREA_DEPARTMENT_COLUMNS]

    @cached_property
    def organisation_area(self) -> pd.DataFrame:
        frame = scoring.organisation_roll_up(self.by_department_area, ["area"], self.scale)
        values = self.department_values
        frame["level"] = scoring.group_levels(
            frame,
            ["area"],
            self.scale,
            self.rules,
            values=None if values is None else scoring.organisation_question_values(values),
            group_of=self._area_of(),
        )
        return frame[scoring.AREA_ORGANISATION_COLUMNS]

    @cached_property
    def respondent_overall(self) -> pd.DataFrame:
        return scoring.respondent_overall_scores(
            self.respondents, self.respondent_areas, self.dimension_table, self.scale, self.rules
        )

    @cached_property
    def by_department_overall(self) -> pd.DataFrame:
        """Per department: the overall figure. Without a ``scoring:`` block it stays today's:
        the plain mean of the department's dimension means; a declared rule rolls up per
        respondent first (mean of areas or of dimensions), then the mean of the department's
        respondents."""
        if not self.rules.declared:
            frame = scoring.organisation_roll_up(
                self.by_department, ["department_id"], self.scale
            ).drop(columns=["n"])
        else:
            frame = scoring.department_roll_up(self.respondent_overall, [], self.scale)
        frame["level"] = scoring.group_levels(
            frame, ["department_id"], self.scale, self.rules, values=self.department_values
        )
        return frame[scoring.OVERALL_DEPARTMENT_COLUMNS]

    @cached_property
    def organisation_overall(self) -> pd.DataFrame:
        """One row: the organisation's overall figure (default rule: the plain mean of the
        organisation's dimension means, as today; declared: the mean of the departments)."""
        source = self.organisation if not self.rules.declared else self.by_department_overall
        frame = scoring.organisation_roll_up(source, [], self.scale).drop(columns=["n"])
        if frame["mean"].isna().all():
            frame = frame.iloc[0:0]
        values = self.department_values
        frame["level"] = scoring.group_levels(
            frame,
            [],
            self.scale,
            self.rules,
            values=None if values is None else scoring.organisation_question_values(values),
        )
        return frame[scoring.OVERALL_ORGANISATION_COLUMNS]

    @cached_property
    def questions(self) -> dict[int, Question]:
        """The framework's questions that apply to the organisation's business model by id,
        with their dimension, worded for that model (``maturity.business_models``), in one
        query."""
        business_model = self.campaign.organisation.business_model
        return {
            q.pk: word_question(q, business_model, choices=False)
            for q in Question.objects.filter(framework_id=self.campaign.framework_id)
            .select_related("dimension")
            .order_by("dimension__order", "order")
            if applies_to_model(q.business_models, business_model)
        }

    @cached_property
    def perception_gap(self) -> pd.DataFrame:
        return scoring.perception_gap(self.respondents, self.scale, self.rules)

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
        ``organisation_history``, ``perception_gap``, ``by_department_stream``,
        ``organisation_stream``, ``by_department_area``, ``organisation_area``,
        ``by_department_overall``, ``organisation_overall``) by its keys, or None where
        there is none; the frame is indexed once, so a report's thousands of look-ups are
        each a dictionary access rather than a pandas filter. ``organisation_overall`` has
        one row: ask without keys."""
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
        """The set target, or by default one level above the current level (the level the
        framework's rule gives, gated ones included)."""
        if (department_id, dimension) in self.targets:
            return self.targets[(department_id, dimension)]
        level = self.value(
            "by_department", "level", department_id=department_id, dimension=dimension
        )
        if level is None:
            return None
        return min(self.scale.high, int(level) + 1)

    @cached_property
    def dimension_weights(self) -> pd.Series:
        """Each dimension's share of the framework's question weight, averaged to 1."""
        weights = (
            self.applicable.drop_duplicates("question_id").groupby("dimension")["weight"].sum()
        )
        return weights / weights.mean() if len(weights) else weights

    def improvement_plan(self, department_id: int | None = None) -> pd.DataFrame:
        """The plan (``scoring.improvement_plan``): set targets first, then the default
        targets weakest first; one department's rows, or every department's in one order.

        Worked out once for every department: one department's plan is its rows of that
        (each department's rows sort and rank among themselves alone)."""
        plan = self._indexes.get(("plan",))
        if plan is None:
            plan = self._indexes[("plan",)] = self._improvement_plan()
        if department_id is None:
            return plan
        return plan[plan["department_id"] == department_id]

    def _improvement_plan(self) -> pd.DataFrame:
        rows = self.by_department
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


def _scale(framework) -> scoring.Scale:
    return scoring.Scale(framework.scale_min, framework.scale_max)


def _load(
    campaign: Campaign, *, withhold: bool, business_model: str
) -> tuple[list[Department], pd.DataFrame, pd.DataFrame, privacy.Disclosure | None]:
    """A campaign's answers, applicable questions and departments, with only the shown
    departments' answers when ``withhold``; the organisation's ``business_model`` decides
    which questions apply."""
    departments = list(campaign.departments.order_by("name"))
    questions = _question_table(campaign.framework_id)
    answers = _answer_frame(campaign.pk, questions, _scale(campaign.framework))
    rule = privacy.disclosure(campaign) if withhold else None
    if rule is not None:
        answers = privacy.shown_answers(answers, rule)
    return departments, answers, _applicable_frame(questions, departments, business_model), rule


def campaign_results(campaign: Campaign, *, withhold: bool = False) -> CampaignResults:
    """Load and score a campaign (and the previous one, for history) in a fixed number of
    queries, whatever the number of respondents and questions. With ``withhold``, the
    departments below each campaign's anonymity threshold are left out (``shown_results``).
    Areas come with the dimensions (one join), streams in one prefetch."""
    # The organisation's business model now: a campaign's history is read the same way.
    business_model = campaign.organisation.business_model
    departments, answers, applicable, rule = _load(
        campaign, withhold=withhold, business_model=business_model
    )
    dimensions = list(
        Dimension.objects.filter(framework_id=campaign.framework_id)
        .select_related("area")
        .order_by("order")
        .prefetch_related(
            Prefetch(
                "levels",
                queryset=DimensionLevel.objects.order_by("level").prefetch_related(
                    "recommendations"
                ),
            ),
            Prefetch("streams", queryset=Stream.objects.order_by("order")),
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
            previous, withhold=withhold, business_model=business_model
        )
        # The previous campaign is scored by its own framework's scale and rules (its
        # version may declare others); history matches dimensions by code.
        previous_scale = _scale(previous.framework)
        previous_rules = ScoringRules.from_data(previous.framework.scoring)
        previous_questions = (
            scoring.question_values(
                previous_answers, previous_applicable, previous_scale, previous_rules
            )
            if previous_rules.level_rule == "gated" and not previous_answers.empty
            else None
        )
        previous_scores = scoring.respondent_scores(
            previous_answers, previous_applicable, previous_scale, previous_rules
        )
        results.previous = previous
        results.previous_departments = scoring.department_scores(
            previous_scores,
            previous_scale,
            rules=previous_rules,
            questions=previous_questions,
        )
    return results


def shown_results(campaign: Campaign) -> CampaignResults:
    """What every output (pages, API, exports, PDF) shows: the campaign scored from the
    departments at or above its anonymity threshold only (``assessments.privacy``)."""
    return campaign_results(campaign, withhold=True)
