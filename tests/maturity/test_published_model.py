"""A published maturity model carried faithfully (issue #14): a synthetic SAMM-shaped
framework, five business functions (areas) of three practices (dimensions) each, streams A
and B, one question per stream per level 1–3, answers worth 0 / 0.25 / 0.5 / 1 on their own
0–1 range, a practice = Σ of its six answers ÷ 2 on the 0–3 scale, a function = the mean of
its practices, unanswered = 0 and N/A = 0. Built with the models, scored through
``results.loader.campaign_results`` (database to frames)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from assessments.models import Answer, Campaign, Department, Organisation, Response
from maturity import scoring
from maturity.functions import DepartmentFunction
from maturity.models import Area, Choice, Dimension, Framework, Level, Question, Stream
from maturity.scoring_rules import ScoringRules
from results.loader import campaign_results

pytestmark = pytest.mark.django_db

CLOSE = 1e-9
RULES = {
    "unanswered": 0,
    "not_applicable": 0,
    "stream": "sum",
    "dimension": "sum_divided",
    "divisor": 2,
    "area": "mean",
    "overall": "mean_of_areas",
    "precision": 2,
}
FUNCTIONS = {
    "G": ("SM", "PC", "EG"),
    "D": ("TA", "SR", "SA"),
    "I": ("SB", "SD", "DM"),
    "V": ("AA", "RT", "ST"),
    "O": ("IM", "EM", "OM"),
}
VALUES = (0, 0.25, 0.5, 1)
BLANK, NO_ROW, NA = "blank", "no row", "N/A"
# A practice answered "level 1 fully, level 2 half, level 3 not at all": Σ = 1 + 1 + 0.5 +
# 0.5 + 0 + 0 = 3, ÷ 2 = 1.50.
PLAIN = {"1-A": 1, "1-B": 1, "2-A": 0.5, "2-B": 0.5, "3-A": 0, "3-B": 0}


def build_framework() -> tuple[Framework, dict[str, Question]]:
    framework = Framework.objects.create(
        slug="samm-like",
        version=1,
        version_label="2.2.0",
        title="SAMM-like",
        file_format=2,
        scale_min=0,
        scale_max=3,
        languages=["en"],
        scoring=RULES,
    )
    for value in range(4):
        Level.objects.create(framework=framework, value=value)
    questions = {}
    for a_order, (area_code, practices) in enumerate(FUNCTIONS.items()):
        area = Area.objects.create(
            framework=framework, code=area_code, order=a_order, title=area_code
        )
        for p_order, practice in enumerate(practices):
            code = f"{area_code}-{practice}"
            dimension = Dimension.objects.create(
                framework=framework,
                area=area,
                code=code,
                order=a_order * 3 + p_order,
                title=code,
            )
            streams = {
                s: Stream.objects.create(dimension=dimension, code=s, order=i, title=s)
                for i, s in enumerate("AB")
            }
            for level in (1, 2, 3):
                for stream in "AB":
                    question = Question.objects.create(
                        framework=framework,
                        dimension=dimension,
                        stream=streams[stream],
                        code=f"{code}-{level}-{stream}",
                        order=level * 2 + (stream == "B"),
                        level=level,
                        text=f"{code} {level}{stream}",
                        value_min=Decimal("0"),
                        value_max=Decimal("1"),
                        allow_na=True,
                    )
                    for order, value in enumerate(VALUES):
                        Choice.objects.create(
                            question=question,
                            order=order,
                            label=str(value),
                            score=Decimal(str(value)),
                        )
                    questions[question.code] = question
    Framework.objects.filter(pk=framework.pk).update(status=Framework.Status.PUBLISHED)
    framework.refresh_from_db()
    return framework, questions


def respond(campaign, department, user, questions, answers: dict[str, dict]):
    """A submitted manager response: {practice: {"1-A": value | BLANK | NO_ROW | NA}}."""
    response = Response.objects.create(
        campaign=campaign,
        department=department,
        respondent=user,
        rater_role="manager",
        status=Response.Status.SUBMITTED,
    )
    for practice, items in answers.items():
        for suffix, value in items.items():
            if value == NO_ROW:
                continue
            question = questions[f"{practice}-{suffix}"]
            choice = None
            if value not in (BLANK, NA):
                choice = next(c for c in question.choices.all() if float(c.score) == value)
            Answer.objects.create(
                response=response,
                question=question,
                choice=choice,
                is_na=value == NA,
                na_reason="not used" if value == NA else "",
            )
    return response


@pytest.fixture
def model(django_user_model):
    framework, questions = build_framework()
    org = Organisation.objects.create(name="Org", slug="org")
    appsec = Department.objects.create(
        organisation=org, name="AppSec", function=DepartmentFunction.SALES
    )
    platform = Department.objects.create(
        organisation=org, name="Platform", function=DepartmentFunction.SALES
    )
    today = datetime.date.today()
    campaign = Campaign.objects.create(
        organisation=org,
        framework=framework,
        name="SAMM",
        opens_on=today,
        closes_on=today + datetime.timedelta(days=30),
    )
    campaign.departments.set([appsec, platform])
    every = [f"{a}-{p}" for a, ps in FUNCTIONS.items() for p in ps]
    first = {practice: dict(PLAIN) for practice in every}
    # G-SM: two of six blank (one answer row without a choice, one with no row at all):
    # Σ = 1 + 0.25 + 0.25 + 0 + 0 + 0 = 1.5, ÷ 2 = 0.75. Left out and mapped to 0–3 (today's
    # rule) it would be (3 + 0.75 + 0.75 + 0) ÷ 4 = 1.125.
    first["G-SM"] = {"1-A": 1, "1-B": 0.25, "2-A": 0.25, "2-B": 0, "3-A": BLANK, "3-B": NO_ROW}
    # G-PC: three N/A counted as 0: Σ = 0.5 + 0.25 + 0.25 = 1, ÷ 2 = 0.50. Left out it would
    # be (1.5 + 0.75 + 0.75) ÷ 3 = 1.00.
    first["G-PC"] = {"1-A": 0.5, "1-B": 0.25, "2-A": 0.25, "2-B": NA, "3-A": NA, "3-B": NA}
    # Platform: G-SM all six at 1: Σ 6 ÷ 2 = 3.00; everything else PLAIN (1.50).
    second = {practice: dict(PLAIN) for practice in every}
    second["G-SM"] = {key: 1 for key in PLAIN}
    one = django_user_model.objects.create_user("one", password="pw")
    two = django_user_model.objects.create_user("two", password="pw")
    respond(campaign, appsec, one, questions, first)
    respond(campaign, platform, two, questions, second)
    return campaign, appsec, platform


def test_the_declared_rule_is_read_from_the_framework(model):
    campaign, _appsec, _platform = model
    results = campaign_results(campaign)
    assert results.rules == ScoringRules.from_data(RULES)
    assert results.rules.dimension == "sum_divided" and results.rules.divisor == 2.0
    assert [a.code for a in results.areas] == list(FUNCTIONS)
    assert results.areas[0].dimension_codes == ["G-SM", "G-PC", "G-EG"]
    assert [s.code for s in results.streams["G-SM"]] == ["A", "B"]


def test_a_practice_with_two_blank_answers_scores_0_75_not_1_125(model):
    campaign, appsec, _platform = model
    results = campaign_results(campaign)
    # 1.5 ÷ 2 (see the fixture)
    assert results.value("by_department", "mean", department_id=appsec.pk, dimension="G-SM") == (
        pytest.approx(0.75, abs=CLOSE)
    )
    assert results.value("by_department", "level", department_id=appsec.pk, dimension="G-SM") == 0
    # score 0–100 on 0–3: 0.75 ÷ 3 × 100 = 25
    assert results.value(
        "by_department", "score", department_id=appsec.pk, dimension="G-SM"
    ) == pytest.approx(25.0)
    # Coverage still counts real answers only: 4 of 6.
    row = results.respondents[
        (results.respondents["department_id"] == appsec.pk)
        & (results.respondents["dimension"] == "G-SM")
    ].iloc[0]
    assert (row["answered"], row["applicable"]) == (4, 6)
    # Today's rule on the same answers: (3 + 0.75 + 0.75 + 0) ÷ 4 = 1.125.
    default = scoring.respondent_scores(results.answers, results.applicable, results.scale)
    old = default[(default["department_id"] == appsec.pk) & (default["dimension"] == "G-SM")]
    assert old["mean"].iloc[0] == pytest.approx(1.125)


def test_a_practice_with_three_na_scores_0_50_not_1_00(model):
    campaign, appsec, _platform = model
    results = campaign_results(campaign)
    # (0.5 + 0.25 + 0.25 + 0 + 0 + 0) ÷ 2 = 0.50
    assert results.value(
        "by_department", "mean", department_id=appsec.pk, dimension="G-PC"
    ) == pytest.approx(0.5)
    default = scoring.respondent_scores(results.answers, results.applicable, results.scale)
    old = default[(default["department_id"] == appsec.pk) & (default["dimension"] == "G-PC")]
    # Left out, mapped to 0–3: (1.5 + 0.75 + 0.75) ÷ 3 = 1.00
    assert old["mean"].iloc[0] == pytest.approx(1.0)


def test_streams_are_sums_of_their_three_answers(model):
    campaign, appsec, platform = model
    results = campaign_results(campaign)
    # AppSec G-SM stream A: 1 + 0.25 + 0 (blank) = 1.25; stream B: 0.25 + 0 + 0 = 0.25
    assert results.value(
        "by_department_stream", "mean", department_id=appsec.pk, dimension="G-SM", stream="A"
    ) == pytest.approx(1.25)
    assert results.value(
        "by_department_stream", "mean", department_id=appsec.pk, dimension="G-SM", stream="B"
    ) == pytest.approx(0.25)
    # Organisation G-SM stream A: AppSec 1.25, Platform 1 + 1 + 1 = 3 → (1.25 + 3) ÷ 2 = 2.125
    assert results.value(
        "organisation_stream", "mean", dimension="G-SM", stream="A"
    ) == pytest.approx(2.125)
    assert results.value("organisation_stream", "n", dimension="G-SM", stream="A") == 2


def test_functions_and_the_overall_figure_roll_up_by_hand(model):
    campaign, appsec, platform = model
    results = campaign_results(campaign)
    # AppSec function G = mean of G-SM 0.75, G-PC 0.50, G-EG 1.50 = 2.75 ÷ 3 = 0.916667
    g_appsec = 2.75 / 3
    assert results.value(
        "by_department_area", "mean", department_id=appsec.pk, area="G"
    ) == pytest.approx(g_appsec)
    assert results.value("by_department_area", "level", department_id=appsec.pk, area="G") == 0
    # Every other function of AppSec: three practices at 1.50 → 1.50, level 1
    assert results.value(
        "by_department_area", "mean", department_id=appsec.pk, area="D"
    ) == pytest.approx(1.5)
    assert results.value("by_department_area", "level", department_id=appsec.pk, area="D") == 1
    # Platform G = (3.00 + 1.50 + 1.50) ÷ 3 = 2.00
    assert results.value(
        "by_department_area", "mean", department_id=platform.pk, area="G"
    ) == pytest.approx(2.0)
    # Organisation G = (0.916667 + 2.00) ÷ 2 = 1.458333
    assert results.value("organisation_area", "mean", area="G") == pytest.approx(
        (g_appsec + 2.0) / 2
    )
    # Overall = mean of the five functions: AppSec (0.916667 + 4 × 1.5) ÷ 5 = 1.383333;
    # Platform (2.0 + 4 × 1.5) ÷ 5 = 1.60; organisation (1.383333 + 1.60) ÷ 2 = 1.491667
    appsec_overall = (g_appsec + 6) / 5
    assert results.value("by_department_overall", "mean", department_id=appsec.pk) == pytest.approx(
        appsec_overall
    )
    assert results.value(
        "by_department_overall", "mean", department_id=platform.pk
    ) == pytest.approx(1.6)
    assert results.value("organisation_overall", "mean") == pytest.approx(
        (appsec_overall + 1.6) / 2
    )
    assert results.value("organisation_overall", "level") == 1
    # score 0–100: 1.491667 ÷ 3 × 100 = 49.72
    assert results.round(results.value("organisation_overall", "score")) == 49.72


def test_the_default_target_is_one_level_above_the_rules_level(model):
    campaign, appsec, _platform = model
    results = campaign_results(campaign)
    # G-SM 0.75 is level 0 → target 1; G-EG 1.50 is level 1 → target 2
    assert results.target_for(appsec.pk, "G-SM") == 1
    assert results.target_for(appsec.pk, "G-EG") == 2


def test_gated_levels_read_the_answers_at_every_level_of_the_roll_up(model):
    campaign, appsec, platform = model
    gated = {**RULES, "level": {"rule": "gated", "gate": 1}}
    Framework.objects.filter(pk=campaign.framework_id).update(scoring=gated)
    campaign.refresh_from_db()
    results = campaign_results(campaign)

    def level(frame, **keys):
        return results.value(frame, "level", **keys)

    # AppSec G-SM: 1-B at 0.25 < 1 → level 1 unmet → 0 (the score 0.75 floors to 0 too)
    assert level("by_department", department_id=appsec.pk, dimension="G-SM") == 0
    # Platform G-SM: all six at 1 → 3
    assert level("by_department", department_id=platform.pk, dimension="G-SM") == 3
    # PLAIN practices: level 1 met (1, 1), level 2 at 0.5 unmet → 1 (score 1.50 → floor 1)
    assert level("by_department", department_id=platform.pk, dimension="G-EG") == 1
    # Platform's function G, on all its questions: G-EG's level 2 is unmet → 1, though the
    # mean (3 + 1.5 + 1.5) ÷ 3 = 2.00 would floor to 2
    assert results.value("by_department_area", "mean", department_id=platform.pk, area="G") == (
        pytest.approx(2.0)
    )
    assert level("by_department_area", department_id=platform.pk, area="G") == 1
    assert level("by_department_overall", department_id=platform.pk) == 1
    # Organisation G-SM, on the mean of the departments' values: 1-B (0.25 + 1) ÷ 2 = 0.625
    # < 1 → 0, though the mean (0.75 + 3) ÷ 2 = 1.875 floors to 1
    assert results.value("organisation", "mean", dimension="G-SM") == pytest.approx(1.875)
    assert level("organisation", dimension="G-SM") == 0
    assert level("organisation_area", area="G") == 0
    assert level("organisation_overall") == 0
    # The default target follows the gated level: Platform G-EG at 1 → 2
    assert results.target_for(platform.pk, "G-EG") == 2
