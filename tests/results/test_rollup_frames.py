"""The roll-up frames of ``results.loader.CampaignResults`` (streams, areas, overall) on the
sample framework (v1, no ``scoring:`` block, one area ``strategy`` holding ``kpi`` and
``data``), their columns, ``value()`` on each, and the previous campaign scored by its own
framework's declared rule."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Answer, Campaign, Response
from maturity import scoring
from maturity.models import Choice, Dimension, Framework, Question
from maturity.scoring_rules import ScoringRules
from results.loader import campaign_results, shown_results
from tests.assessments.conftest import answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(cast):
    cast.campaign.anonymity_threshold = 1
    cast.campaign.save()
    # Sales (manager mori): every sales question at the top choice, 5 (kpi-q1 and data-q1
    # are sales only); Customer Success (okada): the middle choice, 3.
    answer_all(cast.response, cast.questions, 2)
    answer_all(cast.other_response, cast.questions, 1)
    return cast


def test_the_default_rule_and_the_hierarchy(scored):
    results = shown_results(scored.campaign)
    assert results.rules == ScoringRules() and not results.rules.declared
    assert [a.code for a in results.areas] == ["strategy"]
    assert results.areas[0].dimension_codes == ["kpi", "data"]
    assert results.streams == {}


def test_the_frames_have_the_agreed_columns(scored):
    results = shown_results(scored.campaign)
    expected = {
        "by_department_stream": ["department_id", "dimension", "stream", "mean", "n", "score"],
        "organisation_stream": ["dimension", "stream", "mean", "n", "score"],
        "by_department_area": ["department_id", "area", "mean", "n", "score", "level"],
        "organisation_area": ["area", "mean", "n", "score", "level"],
        "by_department_overall": ["department_id", "mean", "score", "level"],
        "organisation_overall": ["mean", "score", "level"],
    }
    for name, columns in expected.items():
        assert list(getattr(results, name).columns) == columns, name
    # No streams in this framework: empty frames, with the columns
    assert results.by_department_stream.empty and results.organisation_stream.empty
    assert len(results.organisation_overall) == 1


def test_areas_and_overall_roll_up_by_hand(scored):
    results = shown_results(scored.campaign)
    sales, success = scored.sales.pk, scored.success.pk
    # Sales: kpi 5, data 5 → strategy (5 + 5) ÷ 2 = 5.00, level 5, score 100
    assert results.value("by_department_area", "mean", department_id=sales, area="strategy") == 5
    assert results.value("by_department_area", "level", department_id=sales, area="strategy") == 5
    assert results.value("by_department_area", "score", department_id=sales, area="strategy") == 100
    # Success: kpi 3, data 3 → 3.00; organisation strategy (5 + 3) ÷ 2 = 4.00, score 75
    assert results.value("by_department_area", "mean", department_id=success, area="strategy") == 3
    assert results.value("organisation_area", "mean", area="strategy") == 4
    assert results.value("organisation_area", "n", area="strategy") == 2
    assert results.value("organisation_area", "score", area="strategy") == 75
    # Overall, without a scoring block: today's, the mean of the dimension means
    assert results.value("by_department_overall", "mean", department_id=sales) == 5
    assert results.value("by_department_overall", "level", department_id=success) == 3
    assert results.value("organisation_overall", "mean") == 4
    assert results.value("organisation_overall", "level") == 4


def test_without_a_scoring_block_the_overall_is_todays_mean_of_dimension_means(cast):
    """Today's overall figure: the plain mean of the department's dimension means (not of
    its respondents' overall figures, which differ when a respondent skips a dimension)."""
    cast.campaign.anonymity_threshold = 1
    cast.campaign.save()
    second = Response.objects.create(
        campaign=cast.campaign,
        department=cast.sales,
        respondent=cast.users.org_admin,
        rater_role="manager",
        status=Response.Status.SUBMITTED,
    )
    top = {code: list(q.choices.all()) for code, q in cast.questions.items()}
    # mori: kpi-q0 5, kpi-q1 5, data-q0 3, data-q1 3 → kpi 5, data 3 (own overall 4)
    # second: kpi-q0 1, kpi-q1 1, data blank → kpi 1, data none (own overall 1)
    picks = {"kpi-q0": 2, "kpi-q1": 2, "data-q0": 1, "data-q1": 1}
    for code, index in picks.items():
        Answer.objects.create(
            response=cast.response, question=cast.questions[code], choice=top[code][index]
        )
    for code in ("kpi-q0", "kpi-q1"):
        Answer.objects.create(response=second, question=cast.questions[code], choice=top[code][0])
    Response.objects.filter(pk=cast.response.pk).update(status=Response.Status.SUBMITTED)
    results = shown_results(cast.campaign)
    sales = cast.sales.pk
    # department: kpi (5 + 1) ÷ 2 = 3, data 3 (mori only) → overall (3 + 3) ÷ 2 = 3.00;
    # respondent first would be (4 + 1) ÷ 2 = 2.50
    assert results.value("by_department", "mean", department_id=sales, dimension="kpi") == 3
    assert results.value("by_department", "mean", department_id=sales, dimension="data") == 3
    assert results.value("by_department_overall", "mean", department_id=sales) == 3
    # The strategy area (new, a roll-up) goes per respondent first: mori (5 + 3) ÷ 2 = 4,
    # second 1 → (4 + 1) ÷ 2 = 2.50
    assert results.value("by_department_area", "mean", department_id=sales, area="strategy") == 2.5
    # The organisation: the mean of the organisation's dimension means (success answered
    # nothing): kpi 3, data 3 → 3.00
    assert results.value("organisation_overall", "mean") == 3


def test_level_of_and_round_follow_the_rule(scored):
    results = shown_results(scored.campaign)
    # floor with the tolerance: 2.9999999999 is 3, 2.99 is 2
    assert results.level_of(2.9999999999) == 3
    assert results.level_of(2.99) == 2
    assert results.level_of(None) is None
    assert results.round(2.345) == 2.35 and results.round(0.125) == 0.13


def test_the_answer_frame_carries_value_stream_and_level(scored):
    results = campaign_results(scored.campaign)
    assert set(scoring.ANSWER_V2_COLUMNS) <= set(results.answers.columns)
    # v1: the value is the choice's score on the scale, no stream, no question level
    assert (results.answers["value"] == results.answers["score"]).all()
    assert results.answers["stream"].isna().all()
    assert results.answers["question_level"].isna().all()
    assert set(scoring.APPLICABLE_V2_COLUMNS) <= set(results.applicable.columns)


def test_the_previous_campaign_is_scored_by_its_own_frameworks_rule(scored):
    """The previous campaign ran on another framework (0–3, values 0–1, ``kpi`` = the sum
    of its two answers): its department mean is that sum, and history matches ``kpi``."""
    framework = Framework.objects.create(
        slug="kpi-sum",
        version=1,
        title="KPI sum",
        file_format=2,
        scale_min=0,
        scale_max=3,
        languages=["en"],
        scoring={"dimension": "sum", "unanswered": 0},
    )
    dimension = Dimension.objects.create(framework=framework, code="kpi", title="KPI")
    questions = []
    for n in range(2):
        question = Question.objects.create(
            framework=framework,
            dimension=dimension,
            code=f"k{n}",
            order=n,
            text=f"k{n}",
            value_min=Decimal("0"),
            value_max=Decimal("1"),
        )
        for order, value in enumerate(("0", "0.5", "1")):
            Choice.objects.create(question=question, order=order, label=value, score=value)
        questions.append(question)
    today = timezone.localdate()
    previous = Campaign.objects.create(
        organisation=scored.acme,
        framework=framework,
        name="Earlier",
        opens_on=today - datetime.timedelta(days=90),
        closes_on=today - datetime.timedelta(days=60),
        anonymity_threshold=1,
    )
    previous.departments.set([scored.sales])
    response = Response.objects.create(
        campaign=previous,
        department=scored.sales,
        respondent=scored.users.manager,
        rater_role="manager",
        status=Response.Status.SUBMITTED,
    )
    # k0 = 1, k1 = 0.5: sum 1.5 (the weighted mean mapped onto 0–3 would be 2.25)
    for question, value in zip(questions, ("1", "0.5"), strict=True):
        Answer.objects.create(
            response=response, question=question, choice=question.choices.get(score=value)
        )
    results = shown_results(scored.campaign)
    assert results.previous == previous
    row = results.history[
        (results.history["department_id"] == scored.sales.pk)
        & (results.history["dimension"] == "kpi")
    ].iloc[0]
    # current sales kpi 5.00 − previous 1.50 = +3.50 (raw means; the scales differ)
    assert row["mean_previous"] == pytest.approx(1.5)
    assert row["delta"] == pytest.approx(3.5)


def test_the_explanation_says_the_overall_rule_the_engine_applies(client, scored):
    # Without a scoring block the overall figure is the mean of dimensions (today's), and
    # the page says so; a block that only sets the precision declares mean_of_areas.
    assert ScoringRules().effective_overall == "mean_of_dimensions"
    assert ScoringRules.from_data({"precision": 2}).effective_overall == "mean_of_areas"
    client.force_login(scored.users.org_admin)
    url = reverse("results:explain", args=[scored.campaign.pk, scored.sales.pk, "kpi"])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The overall score is the mean of the dimensions&#x27; scores." in html
    assert "mean of the areas" not in html
