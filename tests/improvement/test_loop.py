"""The loop in one place (improvement.loop.selectors.department_loop): per dimension of the
plan, the gap → actions with their status → training and quiz results → the change; on the
department results page, its own page and the API, scoped like the department's results."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.access import standing_in
from assessments.models import Campaign, Response
from improvement.loop.selectors import department_loop
from improvement.models import Action
from results.loader import shown_results
from results.plan import plan_rows
from tests.assessments.conftest import answer_all, open_campaign
from tests.matrix import api_as, api_matrix, as_role, check, check_api, matrix
from tests.training.conftest import write_module
from training import services as training
from training.models import Module
from training.services import import_modules

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)


def action(cast, department, code, title, status, *, owner=None, due=None, modules=()):
    created = Action.objects.create(
        campaign=cast.campaign,
        department=department,
        dimension_code=code,
        title=title,
        status=status,
        owner=owner,
        due_on=due,
    )
    created.modules.set(modules)
    return created


@pytest.fixture
def looped(cast, tmp_path):
    """Sales answers the lowest choice everywhere (both dimensions in its plan), Customer
    Success the highest (at its target); threshold 1, so both are shown. A module serving
    kpi and data is assigned to Sales' staff member, who passes its quiz."""
    cast.campaign.anonymity_threshold = 1
    cast.campaign.save()
    answer_all(cast.response, cast.questions, 0)
    answer_all(cast.other_response, cast.questions, 2)
    write_module(tmp_path)
    import_modules(directory=tmp_path)
    module = Module.objects.get(slug="ltv-basics")
    path = training.create_learning_path(
        organisation=cast.acme,
        department=cast.sales,
        name="path",
        modules=[module],
        created_by=cast.users.manager,
    )
    training.assign_path(
        path=path, users=[cast.users.staff], due_on=TODAY, assigned_by=cast.users.manager
    )
    answers = {q.pk: q.correct_choice.pk for q in module.quiz_questions.all()}
    training.record_attempt(
        user=cast.users.staff, organisation=cast.acme, module=module, answers=answers
    )
    users = cast.users
    cast.module = module
    cast.actions = [
        action(cast, cast.sales, "kpi", "KPI定義を揃える", "in_progress", owner=users.manager,
               due=TODAY + datetime.timedelta(days=10), modules=[module]),
        action(cast, cast.sales, "kpi", "週次レビュー", "planned", owner=users.staff,
               due=TODAY - datetime.timedelta(days=3)),
        action(cast, cast.sales, "data", "データ辞書", "done", owner=users.manager),
        action(cast, cast.sales, "data", "古い案", "dropped"),
        action(cast, cast.success, "kpi", "成功事例の共有", "planned"),
    ]  # fmt: skip
    return cast


def loop_of(cast, department, user=None):
    standing = standing_in(user or cast.users.org_admin, cast.acme.pk)
    return department_loop(shown_results(cast.campaign), department, standing=standing, today=TODAY)


def test_it_follows_the_plan_order_with_each_gap(looped):
    loop = loop_of(looped, looped.sales)
    plan = plan_rows(shown_results(looped.campaign), looped.sales.pk)
    assert [s.dimension.code for s in loop.steps] == [p.dimension.code for p in plan]
    assert len(plan) == 2
    for step, row in zip(loop.steps, plan, strict=True):
        assert (step.plan.mean, step.plan.target, step.plan.gap) == (1.0, 2, 1.0)
        assert step.plan.rank == row.rank
    assert not loop.withheld and loop.reason == ""


def test_it_lists_each_dimensions_actions_with_their_status_and_flags_the_overdue(looped):
    loop = loop_of(looped, looped.sales)
    steps = {s.dimension.code: s for s in loop.steps}
    assert [(a.title, a.status) for a in steps["kpi"].actions] == [
        ("週次レビュー", "planned"),  # due first
        ("KPI定義を揃える", "in_progress"),
    ]
    assert {(a.title, a.status) for a in steps["data"].actions} == {
        ("データ辞書", "done"),
        ("古い案", "dropped"),
    }
    assert (steps["kpi"].open_actions, steps["data"].done_actions) == (2, 1)
    assert loop.overdue == {looped.actions[1].pk}
    # Another department's action is never in this loop.
    assert "成功事例の共有" not in [a.title for s in loop.steps for a in s.actions]


def test_it_counts_the_departments_training_and_quiz_results(looped):
    loop = loop_of(looped, looped.sales)
    steps = {s.dimension.code: s for s in loop.steps}
    kpi = steps["kpi"].training
    assert [line.module.slug for line in kpi] == ["ltv-basics"]
    line = kpi[0]
    # Two members (manager and staff): the staff member is assigned it and passed at 100%.
    assert (line.members, line.assigned, line.passed, line.best_score) == (2, 1, 1, 100.0)
    assert line.linked is True  # the kpi action links it
    assert steps["data"].training[0].linked is False  # proposed by the plan only


def test_a_dimension_at_its_target_with_actions_still_shows(looped):
    loop = loop_of(looped, looped.success)
    assert [(s.dimension.code, s.plan) for s in loop.steps] == [("kpi", None)]
    assert [a.title for a in loop.steps[0].actions] == ["成功事例の共有"]


def test_a_withheld_department_shows_its_reason_and_no_number(looped):
    looped.campaign.anonymity_threshold = 3
    looped.campaign.save()
    loop = loop_of(looped, looped.sales)
    assert loop.withheld and loop.reason
    assert all(s.plan is None and s.delta is None for s in loop.steps)
    assert {s.dimension.code for s in loop.steps} == {"kpi", "data"}  # its actions remain


def test_the_change_comes_from_the_next_campaign(looped):
    later = open_campaign(
        organisation=looped.acme,
        framework=looped.framework,
        departments=[looped.sales],
        name="Next",
    )
    answer_all(
        Response.objects.get(campaign=later, respondent=looped.users.manager), looped.questions, 1
    )
    Campaign.objects.filter(pk=later.pk).update(
        opens_on=timezone.localdate() + datetime.timedelta(days=5), anonymity_threshold=1
    )
    loop = loop_of(looped, looped.sales)
    assert (loop.delta_kind, loop.delta_name) == ("next", "Next")
    for step in loop.steps:
        assert (step.delta.before, step.delta.after, step.delta.change) == (1.0, 3.0, 2.0)


def test_without_a_later_result_the_change_is_against_the_previous_campaign(looped):
    earlier = open_campaign(
        organisation=looped.acme,
        framework=looped.framework,
        departments=[looped.sales],
        name="Before",
    )
    Campaign.objects.filter(pk=earlier.pk).update(
        opens_on=timezone.localdate() - datetime.timedelta(days=100), anonymity_threshold=1
    )
    answer_all(
        Response.objects.get(campaign=earlier, respondent=looped.users.manager), looped.questions, 2
    )
    loop = loop_of(looped, looped.sales)
    assert (loop.delta_kind, loop.delta_name) == ("previous", "Before")
    assert {s.delta.change for s in loop.steps} == {-4.0}


def test_the_department_page_places_the_loop_after_the_plan(client, looped):
    client.force_login(looped.users.manager)
    url = reverse("results:department", args=[looped.campaign.pk, looped.sales.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    plan, loop, dims = (
        html.index(x) for x in ('id="plan-heading"', 'id="loop"', 'id="dims-heading"')
    )
    assert plan < loop < dims
    section = html[loop:dims]
    assert section.index("週次レビュー") < section.index("KPI定義を揃える")
    first, second = (
        p.dimension.code for p in plan_rows(shown_results(looped.campaign), looped.sales.pk)
    )
    assert section.index(f'data-dimension="{first}"') < section.index(f'data-dimension="{second}"')
    assert "Planned" in section and "In progress" in section and "Done" in section
    assert "Overdue" in section
    assert "assigned 1, passed 1 of 2" in section
    assert "成功事例の共有" not in section


# ------------------------------------------------------------------ role × view matrices

SALES_LOOP = matrix({"org_admin": 200, "consultant": 200, "manager": 200})
GLOBEX_LOOP = matrix({"outsider": 200, "consultant_without_access": 200}, inside=())


@pytest.mark.parametrize(("role", "expected"), SALES_LOOP)
def test_it_shows_the_sales_loop_page_only_to_its_manager_org_admins_and_consultants(
    client, looped, role, expected
):
    url = reverse("improvement:loop", args=[looped.campaign.pk, looped.sales.pk])
    assert url == f"/campaigns/{looped.campaign.pk}/departments/{looped.sales.pk}/loop/"
    reply = as_role(client, looped, role).get(url)
    check(reply, expected)
    if expected == 200:
        html = reply.content.decode()
        assert "データ辞書" in html and "成功事例の共有" not in html


@pytest.mark.parametrize(("role", "expected"), GLOBEX_LOOP)
def test_it_shows_a_globex_loop_only_inside_globex(client, looped, role, expected):
    url = reverse("improvement:loop", args=[looped.globex_campaign.pk, looped.globex_sales.pk])
    check(as_role(client, looped, role).get(url), expected)


def test_a_department_outside_the_campaign_is_not_found(client, looped):
    client.force_login(looped.users.org_admin)
    url = reverse("improvement:loop", args=[looped.campaign.pk, looped.globex_sales.pk])
    assert client.get(url).status_code == 404


API_LOOP = api_matrix({"org_admin": 200, "consultant": 200, "manager": 200})


@pytest.mark.parametrize(("role", "expected"), API_LOOP)
def test_it_serves_the_sales_loop_by_api_only_within_scope(looped, role, expected):
    url = reverse("api-loop", args=[looped.campaign.pk, looped.sales.pk])
    reply = api_as(looped, role).get(url)
    check_api(reply, expected)
    if expected == 200:
        body = reply.json()
        assert body["department_name"] == "Sales" and body["withheld"] is False
        steps = {s["dimension"]: s for s in body["steps"]}
        assert [s["dimension"] for s in body["steps"]] == [
            p.dimension.code for p in plan_rows(shown_results(looped.campaign), looped.sales.pk)
        ]
        assert steps["kpi"]["gap"] == {"rank": steps["kpi"]["gap"]["rank"], "mean": 1.0,
                                       "level": 1, "target": 2, "gap": 1.0}  # fmt: skip
        assert [(a["title"], a["status"], a["overdue"]) for a in steps["kpi"]["actions"]] == [
            ("週次レビュー", "planned", True),
            ("KPI定義を揃える", "in_progress", False),
        ]
        training_line = steps["kpi"]["training"][0]
        assert (training_line["module"], training_line["assigned"], training_line["passed"]) == (
            "ltv-basics",
            1,
            1,
        )


def test_the_page_of_a_withheld_department_says_so_instead_of_numbers(client, looped):
    looped.campaign.anonymity_threshold = 3
    looped.campaign.save()
    client.force_login(looped.users.manager)
    url = reverse("improvement:loop", args=[looped.campaign.pk, looped.sales.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    section = html[
        html.index('class="loop-step"') : html.index("</section>", html.index('id="loop"'))
    ]
    assert section.count(">Withheld<") == 4  # gap and change of both dimensions
    assert "→ target level" not in section and "Not re-assessed" not in section
    assert "データ辞書" in section  # the actions remain


def test_the_api_of_a_withheld_department_has_no_number(looped):
    looped.campaign.anonymity_threshold = 3
    looped.campaign.save()
    reply = api_as(looped, "org_admin").get(
        reverse("api-loop", args=[looped.campaign.pk, looped.sales.pk])
    )
    body = reply.json()
    assert body["withheld"] is True and body["reason"]
    assert all(s["gap"] is None and s["delta"] is None for s in body["steps"])


def test_the_api_reads_a_fixed_number_of_queries_whatever_the_actions(looped):
    url = reverse("api-loop", args=[looped.campaign.pk, looped.sales.pk])
    client = api_as(looped, "org_admin")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(12):
        action(looped, looped.sales, "kpi", f"追加{i}", "planned", owner=looped.users.staff,
               modules=[looped.module])  # fmt: skip
    client = api_as(looped, "org_admin")
    with CaptureQueriesContext(connection) as many:
        reply = client.get(url)
    assert len({s["dimension"]: s for s in reply.json()["steps"]}["kpi"]["actions"]) == 14
    assert len(many) == len(few)


def test_the_loop_page_reads_a_bounded_number_of_queries(
    client, looped, django_assert_max_num_queries
):
    for i in range(12):
        action(looped, looped.sales, "data", f"追加{i}", "in_progress", owner=looped.users.manager,
               modules=[looped.module])  # fmt: skip
    client.force_login(looped.users.org_admin)
    with django_assert_max_num_queries(40):
        assert (
            client.get(
                reverse("improvement:loop", args=[looped.campaign.pk, looped.sales.pk])
            ).status_code
            == 200
        )
