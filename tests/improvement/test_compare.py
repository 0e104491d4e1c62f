"""Comparing two moments (``improvement.milestones.compare``): exact deltas per department ×
dimension, the actions and training completed in between (and not outside), withheld
departments, frameworks with different dimensions, one organisation only."""

# The ``scored`` fixture is imported from test_milestones, so tests name it again (F811).
# ruff: noqa: F811
import datetime

import pytest
from django.utils import timezone

from assessments import services
from assessments.models import Campaign
from improvement.milestones import compare as comparing
from improvement.milestones.compare import compare, default_keys, latest_delta
from improvement.milestones.services import MilestoneError, take_milestone
from maturity.framework_io import import_framework
from tests.assessments.conftest import answer_all
from tests.improvement.test_milestones import (  # noqa: F401 - scored is a fixture
    add_manager,
    done_action,
    scored,
    take,
    training,
)
from training.models import ModuleProgress

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def rows_of(comparison, department):
    [entry] = [d for d in comparison.departments if d.department_id == department.pk]
    return entry, {row.dimension.code: row for row in entry.rows}


@pytest.fixture
def later(scored, django_user_model):
    """A milestone of the scored campaign, then a second Sales manager answering 1
    everywhere: Sales goes from 5.00 to 3.00, Customer Success stays at 3.00."""
    milestone = take(scored)
    response = add_manager(scored, django_user_model, "mika", scored.sales)
    answer_all(response, scored.questions, 0)
    scored.milestone = milestone
    scored.taken = datetime.datetime.fromisoformat(milestone.snapshot["taken_at"])
    return scored


def test_it_gives_each_department_and_dimension_its_delta(later):
    comparison = compare(later.milestone, later.campaign)
    sales, rows = rows_of(comparison, later.sales)
    assert (rows["kpi"].before_mean, rows["kpi"].after_mean) == (5.0, 3.0)
    assert rows["kpi"].delta == pytest.approx(-2.0)
    assert (rows["kpi"].before_level, rows["kpi"].after_level) == (5, 3)
    assert rows["data"].delta == pytest.approx(-2.0)
    assert rows["kpi"].status == comparing.COMPARED and rows["kpi"].note == ""
    _success, rows = rows_of(comparison, later.success)
    assert rows["kpi"].delta == 0.0
    assert (rows["kpi"].before_level, rows["kpi"].after_level) == (3, 3)
    organisation = {row.dimension.code: row for row in comparison.organisation}
    assert (organisation["kpi"].before_mean, organisation["kpi"].after_mean) == (4.0, 3.0)
    assert organisation["kpi"].delta == pytest.approx(-1.0)
    assert [d.name for d in comparison.departments] == ["Customer Success", "Sales"]
    assert [d.code for d in comparison.dimensions] == ["kpi", "data"]


def test_a_milestone_against_a_later_milestone(later):
    second = take(later, name="Later")
    comparison = compare(later.milestone, second)
    _sales, rows = rows_of(comparison, later.sales)
    assert rows["kpi"].delta == pytest.approx(-2.0)
    assert comparison.before.key == f"m:{later.milestone.pk}"
    assert comparison.after.key == f"m:{second.pk}"


def test_it_counts_the_actions_completed_in_between_and_not_outside(later):
    now = later.taken + 2 * HOUR
    done_action(later, later.sales, "Before", later.taken - HOUR)
    inside = done_action(later, later.sales, "Inside", later.taken + HOUR)
    done_action(later, later.sales, "After", later.taken + 3 * HOUR)
    success = done_action(later, later.success, "Success inside", later.taken + HOUR)
    comparison = compare(later.milestone, later.campaign, now=now)
    assert comparison.start == later.taken and comparison.end == now
    sales, _rows = rows_of(comparison, later.sales)
    assert [a.id for a in sales.actions] == [inside.pk]
    assert sales.actions[0].title == "Inside"
    other, _rows = rows_of(comparison, later.success)
    assert [a.id for a in other.actions] == [success.pk]


def test_an_action_reopened_since_is_not_counted(later):
    action = done_action(later, later.sales, "Reopened", later.taken + HOUR)
    action.status, action.completed_at = "in_progress", None
    action.save()
    comparison = compare(later.milestone, later.campaign, now=later.taken + 2 * HOUR)
    assert rows_of(comparison, later.sales)[0].actions == []


def test_it_counts_the_training_completed_in_between_and_not_outside(later):
    training(later, passed_at=later.taken + HOUR)  # the first module two days earlier
    comparison = compare(later.milestone, later.campaign, now=later.taken + 2 * HOUR)
    sales, _rows = rows_of(comparison, later.sales)
    assert sales.modules_passed == 2  # the manager's second module and the staff member's
    assert sales.assignments_completed == 1
    assert rows_of(comparison, later.success)[0].modules_passed == 0
    early = compare(later.milestone, later.campaign, now=later.taken + HOUR / 2)
    assert rows_of(early, later.sales)[0].modules_passed == 0
    assert rows_of(early, later.sales)[0].assignments_completed == 0


def test_a_pass_in_another_organisation_is_not_counted(later):
    path = training(later, passed_at=later.taken + HOUR)
    ModuleProgress.objects.filter(user=later.users.staff).update(organisation=later.globex)
    comparison = compare(later.milestone, later.campaign, now=later.taken + 2 * HOUR)
    assert rows_of(comparison, later.sales)[0].modules_passed == 1
    assert path.path.department == later.sales


def test_a_withheld_side_has_no_delta_and_says_why(cast):
    answer_all(cast.response, cast.questions, 2)
    answer_all(cast.other_response, cast.questions, 1)
    milestone = take(cast)  # threshold 3: both withheld
    cast.campaign.anonymity_threshold = 1
    cast.campaign.save()
    comparison = compare(milestone, cast.campaign)
    sales, rows = rows_of(comparison, cast.sales)
    assert rows["kpi"].delta is None
    assert rows["kpi"].status == comparing.WITHHELD
    assert rows["kpi"].before_mean is None and rows["kpi"].after_mean == 5.0
    assert "3" in rows["kpi"].note and "1" in rows["kpi"].note
    assert sales.before_note == rows["kpi"].note and sales.after_note == ""


@pytest.fixture
def other_framework(framework_data):
    """The sample framework's kpi dimension and a churn dimension instead of data."""
    framework_data["slug"] = "other"
    framework_data["dimensions"][1]["code"] = "churn"
    for i, question in enumerate(framework_data["dimensions"][1]["questions"]):
        question["code"] = f"churn-q{i}"
    return import_framework(framework_data, source="other.yaml")


@pytest.fixture
def second_campaign(scored, other_framework):
    """A second Acme campaign on the other framework, Sales only, opening today: Sales
    answers 1 everywhere."""
    today = timezone.localdate()
    campaign = services.create_campaign(
        organisation=scored.acme,
        framework=other_framework,
        name="Second",
        departments=[scored.sales],
        opens_on=today,
        closes_on=today + datetime.timedelta(days=30),
        created_by=None,
        anonymity_threshold=1,
    )
    campaign = services.set_campaign_status(campaign=campaign, status=Campaign.Status.OPEN)
    response = campaign.responses.get(respondent=scored.users.manager)
    questions = {q.code: q for q in other_framework.questions.prefetch_related("choices")}
    answer_all(response, questions, 0)
    return campaign


def test_frameworks_are_compared_by_dimension_code(scored, second_campaign):
    comparison = compare(scored.campaign, second_campaign)
    assert [(d.code, d.on) for d in comparison.dimensions] == [
        ("kpi", "both"),
        ("churn", "after"),
        ("data", "before"),
    ]
    _sales, rows = rows_of(comparison, scored.sales)
    assert rows["kpi"].delta == pytest.approx(-4.0)
    assert rows["churn"].status == comparing.ONLY_AFTER and rows["churn"].delta is None
    assert rows["churn"].after_mean == 1.0
    assert rows["data"].status == comparing.ONLY_BEFORE and rows["data"].before_mean == 5.0
    success, rows = rows_of(comparison, scored.success)
    assert rows["kpi"].status == comparing.NOT_ASSESSED and rows["kpi"].delta is None
    assert "Second" in success.after_note


def test_the_default_is_the_latest_milestone_else_the_previous_campaign(scored, second_campaign):
    assert default_keys(second_campaign) == (f"c:{scored.campaign.pk}", f"c:{second_campaign.pk}")
    assert default_keys(scored.campaign) is None
    first = take(scored, name="First")
    second = take(scored, name="Second")
    assert default_keys(scored.campaign) == (f"m:{second.pk}", f"c:{scored.campaign.pk}")
    assert first.pk < second.pk


def test_the_latest_delta_of_a_department(later):
    rows = latest_delta(later.campaign, later.sales)
    assert [(r.dimension.code, r.delta) for r in rows] == [("kpi", -2.0), ("data", -2.0)]


def test_no_latest_delta_without_anything_before(scored):
    assert latest_delta(scored.campaign, scored.sales) == []


def test_one_department_only_when_asked(later):
    comparison = compare(later.milestone, later.campaign, department_id=later.sales.pk)
    assert [d.name for d in comparison.departments] == ["Sales"]


def test_another_organisations_side_is_refused(scored):
    with pytest.raises(MilestoneError) as error:
        compare(scored.campaign, scored.globex_campaign)
    assert error.value.code == "other_organisation"
    globex = take_milestone(
        campaign=scored.globex_campaign,
        name="G",
        taken_on=timezone.localdate(),
        by=scored.users.outsider,
    )
    with pytest.raises(MilestoneError):
        compare(globex, scored.campaign)
    assert comparing.resolve(f"m:{globex.pk}", scored.acme.pk) is None
    assert comparing.resolve(f"c:{scored.globex_campaign.pk}", scored.acme.pk) is None
    assert comparing.resolve(f"c:{scored.campaign.pk}", scored.acme.pk) == scored.campaign


@pytest.mark.parametrize("key", ["", "x:1", "m:", "c:abc", "m:1;drop", "c:" + "9" * 30])
def test_a_malformed_side_resolves_to_nothing(scored, key):
    assert comparing.resolve(key, scored.acme.pk) is None


def test_two_scales_are_refused(scored, framework_data):
    framework_data["slug"] = "four"
    framework_data["scale"] = {"min": 1, "max": 4}
    framework_data["levels"] = framework_data["levels"][:4]
    for dimension in framework_data["dimensions"]:
        dimension["levels"] = dimension["levels"][:4]
        dimension["levels"][-1].pop("recommendations", None)
        for question in dimension["questions"]:
            for choice, score in zip(question["choices"], (1, 2, 4), strict=True):
                choice["score"] = score
    four = import_framework(framework_data, source="four.yaml")
    today = timezone.localdate()
    campaign = services.create_campaign(
        organisation=scored.acme,
        framework=four,
        name="Four",
        departments=[scored.sales],
        opens_on=today,
        closes_on=today,
        created_by=None,
    )
    with pytest.raises(MilestoneError) as error:
        compare(scored.campaign, campaign)
    assert error.value.code == "scale_mismatch"


def test_a_closed_campaign_stands_for_the_end_of_its_closing_day(scored):
    now = timezone.now()
    scored.campaign.closes_on = timezone.localdate() - datetime.timedelta(days=2)
    moment = comparing.selectors.campaign_moment(scored.campaign, now=now)
    assert timezone.localtime(moment).date() == timezone.localdate() - datetime.timedelta(days=1)
    assert timezone.localtime(moment).time() == datetime.time(0, 0)
    scored.campaign.closes_on = timezone.localdate()
    assert comparing.selectors.campaign_moment(scored.campaign, now=now) == now


def test_one_report_scores_each_campaign_once_for_every_department(later, monkeypatch):
    # A report compares each department in turn; with the build's cache the campaign side
    # is scored once, not once per department (it was a full load and scoring each time).
    from improvement.milestones import selectors

    calls = []
    snapshot_of = selectors.snapshot_of
    monkeypatch.setattr(
        selectors, "snapshot_of", lambda *a, **k: calls.append(a[0].pk) or snapshot_of(*a, **k)
    )
    cache = {}
    departments = [d for d in later.campaign.departments.all()]
    found = [
        compare(later.milestone, later.campaign, department_id=d.pk, cache=cache)
        for d in departments
    ]
    assert len(departments) >= 2 and calls == [later.campaign.pk]
    uncached = compare(later.milestone, later.campaign, department_id=departments[0].pk)
    assert len(calls) == 2  # without a cache it scores again
    assert found[0].departments[0].rows == uncached.departments[0].rows
