"""Taking a milestone: the snapshot holds the results as shown when it was taken (later
answers leave it alone), withheld departments without scores, the actions done and the
training completed by then; names, dates and rights are checked; a milestone never
changes."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from assessments import services
from assessments.models import Campaign, Membership, Response
from improvement.milestones.services import MilestoneError, take_milestone
from improvement.models import Action, Milestone
from results.loader import shown_results
from tests.assessments.conftest import answer_all, make_user
from training.models import Assignment, LearningPath, LearningPathItem, Module, ModuleProgress

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(cast):
    """Threshold 1: the Sales manager answers 5 everywhere, the Customer Success manager 3."""
    cast.campaign.anonymity_threshold = 1
    cast.campaign.save()
    answer_all(cast.response, cast.questions, 2)
    answer_all(cast.other_response, cast.questions, 1)
    return cast


def add_manager(cast, django_user_model, username, department):
    user = make_user(django_user_model, username)
    Membership.objects.create(
        user=user, organisation=cast.acme, department=department, role="manager"
    )
    return services.add_respondent(
        campaign=cast.campaign,
        department=department,
        user=user,
        rater_role=Response.RaterRole.MANAGER,
        notify=False,
    )


def make_module(slug, order=0):
    return Module.objects.create(slug=slug, order=order, title=slug, summary="s", minutes=10)


def done_action(cast, department, title, completed_at, *, code="kpi", campaign=None):
    return Action.objects.create(
        campaign=campaign or cast.campaign,
        department=department,
        dimension_code=code,
        title=title,
        status=Action.Status.DONE,
        completed_at=completed_at,
    )


def take(cast, name="Mid-term", **extra):
    return take_milestone(
        campaign=cast.campaign,
        name=name,
        taken_on=extra.pop("taken_on", timezone.localdate()),
        by=extra.pop("by", cast.users.consultant),
    )


def training(cast, *, passed_at):
    """The Sales manager passes two modules of a two-module path assigned to them, the
    second at ``passed_at``; the staff member passes one module at ``passed_at`` too."""
    first, second = make_module("m-one", 1), make_module("m-two", 2)
    path = LearningPath.objects.create(organisation=cast.acme, department=cast.sales, name="P")
    LearningPathItem.objects.create(path=path, module=first, order=0)
    LearningPathItem.objects.create(path=path, module=second, order=1)
    Assignment.objects.create(
        path=path, user=cast.users.manager, due_on=timezone.localdate(), assigned_by=None
    )
    early = passed_at - datetime.timedelta(days=2)
    for module, at in ((first, early), (second, passed_at)):
        ModuleProgress.objects.create(
            user=cast.users.manager, organisation=cast.acme, module=module, passed_at=at
        )
    ModuleProgress.objects.create(
        user=cast.users.staff, organisation=cast.acme, module=first, passed_at=passed_at
    )
    return SimpleNamespace(first=first, second=second, path=path)


# ----------------------------------------------------------------------- the snapshot


def test_it_freezes_the_shown_means_levels_respondents_and_targets(scored):
    milestone = take(scored)
    snapshot = Milestone.objects.get(pk=milestone.pk).snapshot
    sales = snapshot["departments"][str(scored.sales.pk)]
    success = snapshot["departments"][str(scored.success.pk)]
    assert sales["name"] == "Sales" and sales["withheld"] is False
    assert sales["dimensions"]["kpi"] == {"mean": 5.0, "level": 5, "n": 1, "target": 5}
    assert success["dimensions"]["data"] == {"mean": 3.0, "level": 3, "n": 1, "target": 4}
    assert snapshot["organisation"]["kpi"] == {"mean": 4.0, "level": 4, "n": 2}
    assert snapshot["scale"] == [1, 5]
    assert snapshot["framework"]["id"] == scored.framework.pk
    assert snapshot["framework"]["version"] == scored.framework.version
    assert [d["code"] for d in snapshot["dimensions"]] == ["kpi", "data"]
    assert snapshot["dimensions"][0]["title"] == {"ja": "kpiの軸", "en": "kpi axis"}


def test_its_means_are_the_results_shown_at_that_time(scored):
    results = shown_results(scored.campaign)
    snapshot = take(scored).snapshot
    for department in (scored.sales, scored.success):
        for code in ("kpi", "data"):
            cell = snapshot["departments"][str(department.pk)]["dimensions"][code]
            assert cell["mean"] == pytest.approx(results.department_mean(department.pk, code))


def test_later_answers_do_not_change_a_taken_milestone(scored, django_user_model):
    milestone = take(scored)
    late = add_manager(scored, django_user_model, "mika", scored.sales)
    answer_all(late, scored.questions, 0)  # a 1 everywhere: Sales is now (5 + 1) / 2
    assert shown_results(scored.campaign).department_mean(scored.sales.pk, "kpi") == 3.0
    kept = Milestone.objects.get(pk=milestone.pk).snapshot
    assert kept["departments"][str(scored.sales.pk)]["dimensions"]["kpi"]["mean"] == 5.0
    assert kept["departments"][str(scored.sales.pk)]["dimensions"]["kpi"]["n"] == 1
    assert kept["organisation"]["kpi"]["mean"] == 4.0


def test_a_set_target_is_frozen_with_it(scored):
    services.set_targets(
        department=scored.sales,
        campaign=scored.campaign,
        levels={"kpi": 3},
        set_by=scored.users.consultant,
    )
    cell = take(scored).snapshot["departments"][str(scored.sales.pk)]["dimensions"]["kpi"]
    assert cell["target"] == 3


def test_a_withheld_department_is_stored_without_scores(cast):
    # Default threshold 3: Sales has one self-rating, Customer Success none.
    answer_all(cast.response, cast.questions, 2)
    snapshot = take(cast).snapshot
    sales = snapshot["departments"][str(cast.sales.pk)]
    assert sales["withheld"] is True
    assert sales["dimensions"] == {}
    assert sales["self_ratings"] == 1
    assert snapshot["threshold"] == 3
    assert snapshot["organisation"]["kpi"]["mean"] is None
    assert "5.0" not in str(snapshot)


def test_it_records_the_actions_done_by_then(scored):
    now = timezone.now()
    done = done_action(scored, scored.sales, "Done", now - datetime.timedelta(days=1))
    done_action(scored, scored.sales, "Later", now + datetime.timedelta(days=1))
    Action.objects.create(
        campaign=scored.campaign, department=scored.sales, dimension_code="kpi", title="Open"
    )
    other = done_action(scored, scored.success, "Success", now - datetime.timedelta(hours=1))
    snapshot = take(scored).snapshot
    assert snapshot["departments"][str(scored.sales.pk)]["actions_done"] == [done.pk]
    assert snapshot["departments"][str(scored.success.pk)]["actions_done"] == [other.pk]


def test_it_records_the_training_completed_by_then(scored):
    training(scored, passed_at=timezone.now() - datetime.timedelta(hours=1))
    snapshot = take(scored).snapshot
    sales = snapshot["departments"][str(scored.sales.pk)]
    assert sales["modules_passed"] == 3  # the manager's two and the staff member's one
    assert sales["assignments_completed"] == 1
    assert snapshot["departments"][str(scored.success.pk)]["modules_passed"] == 0


def test_training_passed_after_it_is_not_in_it(scored):
    training(scored, passed_at=timezone.now() + datetime.timedelta(hours=1))
    sales = take(scored).snapshot["departments"][str(scored.sales.pk)]
    assert sales["modules_passed"] == 1  # only the manager's early pass
    assert sales["assignments_completed"] == 0


# ----------------------------------------------------------------------- the rules


def test_a_milestone_refuses_to_be_saved_again(scored):
    milestone = take(scored)
    milestone.name = "Renamed"
    with pytest.raises(ValueError):
        milestone.save()
    assert Milestone.objects.get(pk=milestone.pk).name == "Mid-term"


def test_the_name_is_unique_within_the_campaign(scored):
    take(scored, name="Q3")
    with pytest.raises(MilestoneError) as error:
        take(scored, name="  Q3 ")
    assert error.value.code == "name_taken" and error.value.field == "name"
    assert "Q3" in error.value.message
    take_milestone(
        campaign=scored.globex_campaign,
        name="Q3",
        taken_on=timezone.localdate(),
        by=scored.users.outsider,
    )
    assert Milestone.objects.filter(name="Q3").count() == 2


def test_the_date_is_not_in_the_future_nor_before_the_campaign(scored):
    with pytest.raises(MilestoneError) as error:
        take(scored, taken_on=timezone.localdate() + datetime.timedelta(days=1))
    assert error.value.code == "date_in_future"
    with pytest.raises(MilestoneError) as error:
        take(scored, taken_on=scored.campaign.opens_on - datetime.timedelta(days=1))
    assert error.value.code == "date_before_campaign"
    assert not Milestone.objects.exists()


def test_a_blank_name_is_refused(scored):
    with pytest.raises(MilestoneError) as error:
        take(scored, name="   ")
    assert error.value.code == "name_required"


@pytest.mark.parametrize("role", ["manager", "staff", "outsider", "nobody"])
def test_only_org_admins_and_consultants_take_milestones(scored, role):
    with pytest.raises(MilestoneError) as error:
        take(scored, by=getattr(scored.users, role))
    assert error.value.code == "forbidden" and error.value.status == 403
    assert not Milestone.objects.exists()


def test_the_org_admin_takes_one(scored):
    milestone = take(scored, by=scored.users.org_admin)
    assert milestone.created_by == scored.users.org_admin


def test_a_draft_campaign_has_nothing_to_freeze(scored):
    Campaign.objects.filter(pk=scored.campaign.pk).update(status=Campaign.Status.DRAFT)
    with pytest.raises(MilestoneError) as error:
        take(scored)
    assert error.value.code == "campaign_draft" and error.value.status == 409


def test_the_japanese_message_of_a_taken_name(scored):
    from django.utils import translation

    take(scored, name="Q3")
    with translation.override("ja"), pytest.raises(MilestoneError) as error:
        take(scored, name="Q3")
    assert "Q3" in error.value.message
    assert "already" not in error.value.message
