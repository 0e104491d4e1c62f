"""The role × view matrix of improvement actions: every page, POST and endpoint for every role
of the cast. Anonymous users go to the login page (the API answers 403); another
organisation's users and a consultant without access get a 404; inside Acme, who may see
and do what is ``improvement.access``'s: org admins and consultants everything, the Sales
manager Sales, the owner (staff, Sales) their own action's page and status. Refused writes
change nothing.

``acted``: the Sales action "KPIを定義する" is owned by staff; Customer Success has two
actions of its own."""

import pytest
from django.urls import reverse

from improvement.models import Action, ActionEvent
from tests.improvement import test_actions as base
from tests.matrix import api_as, api_matrix, as_role, check, check_api, matrix, succeeded

pytestmark = pytest.mark.django_db

acted = base.acted  # the fixture

SALES_EDITORS = {"org_admin": 200, "consultant": 200, "manager": 200}
# What each role's list shows (staff: the one they own).
LISTED = {
    "org_admin": 5,
    "consultant": 5,
    "staff": 1,
    "manager": 3,  # Sales, on the department page it is sent to
    "other_manager": 2,
}


def owned(cast) -> Action:
    return cast.actions["overdue"]


def unchanged(cast, before: int) -> None:
    assert ActionEvent.objects.count() == before
    assert Action.objects.get(pk=owned(cast).pk).title == "KPIを定義する"


# ------------------------------------------------------------------ campaign list

LIST = matrix(
    {"org_admin": 200, "consultant": 200, "staff": 200, "manager": 302, "other_manager": 302}
)


@pytest.mark.parametrize(("role", "expected"), LIST)
def test_the_campaign_list(client, acted, role, expected):
    reply = as_role(client, acted, role).get(
        reverse("improvement:actions", args=[acted.campaign.pk])
    )
    check(reply, expected)
    if expected == 302:
        department = acted.sales if role == "manager" else acted.success
        assert reply["Location"] == reverse(
            "improvement:department-actions", args=[acted.campaign.pk, department.pk]
        )
        reply = client.get(reply["Location"])
    if succeeded(expected):
        assert len(reply.context["actions"]) == LISTED[role]


# ------------------------------------------------------------------ department list

DEPARTMENT = matrix(SALES_EDITORS)


@pytest.mark.parametrize(("role", "expected"), DEPARTMENT)
def test_the_department_list(client, acted, role, expected):
    url = reverse("improvement:department-actions", args=[acted.campaign.pk, acted.sales.pk])
    reply = as_role(client, acted, role).get(url)
    check(reply, expected)
    if expected == 200:
        assert {a.department for a in reply.context["actions"]} == {acted.sales}
        assert [p.dimension.code for p in reply.context["progress"]] == ["kpi", "data"]


# ------------------------------------------------------------------ create

CREATE_PAGE = matrix(SALES_EDITORS)
CREATE = matrix({"org_admin": 302, "consultant": 302, "manager": 302})


@pytest.mark.parametrize(("role", "expected"), CREATE_PAGE)
def test_the_create_page(client, acted, role, expected):
    url = reverse("improvement:action-create", args=[acted.campaign.pk, acted.sales.pk])
    check(as_role(client, acted, role).get(url), expected)


@pytest.mark.parametrize(("role", "expected"), CREATE)
def test_creating(client, acted, role, expected):
    url = reverse("improvement:action-create", args=[acted.campaign.pk, acted.sales.pk])
    before = Action.objects.count()
    reply = as_role(client, acted, role).post(url, {"title": "New one", "dimension_code": "kpi"})
    check(reply, expected)
    assert Action.objects.count() == before + (1 if succeeded(expected) else 0)


# ------------------------------------------------------------------ detail, edit, status

DETAIL = matrix({**SALES_EDITORS, "staff": 200})
EDIT = matrix({"org_admin": 302, "consultant": 302, "manager": 302})
STATUS = matrix({"org_admin": 302, "consultant": 302, "manager": 302, "staff": 302})


@pytest.mark.parametrize(("role", "expected"), DETAIL)
def test_the_action_page(client, acted, role, expected):
    reply = as_role(client, acted, role).get(reverse("improvement:action", args=[owned(acted).pk]))
    check(reply, expected)
    if expected == 200:
        assert reply.context["action"] == owned(acted)
        assert (reply.context["form"] is None) == (role == "staff")


@pytest.mark.parametrize(("role", "expected"), EDIT)
def test_editing(client, acted, role, expected):
    before = ActionEvent.objects.count()
    reply = as_role(client, acted, role).post(
        reverse("improvement:action", args=[owned(acted).pk]),
        {"title": "Edited", "dimension_code": "kpi", "status": "planned"},
    )
    check(reply, expected)
    if succeeded(expected):
        assert Action.objects.get(pk=owned(acted).pk).title == "Edited"
    else:
        unchanged(acted, before)


@pytest.mark.parametrize(("role", "expected"), STATUS)
def test_moving_the_status(client, acted, role, expected):
    before = ActionEvent.objects.count()
    reply = as_role(client, acted, role).post(
        reverse("improvement:action-status", args=[owned(acted).pk]), {"status": "done"}
    )
    check(reply, expected)
    status = Action.objects.get(pk=owned(acted).pk).status
    assert status == ("done" if succeeded(expected) else "planned")
    if not succeeded(expected):
        unchanged(acted, before)


def test_the_status_view_refuses_get(client, acted):
    client.force_login(acted.users.org_admin)
    assert (
        client.get(reverse("improvement:action-status", args=[owned(acted).pk])).status_code == 405
    )


# ------------------------------------------------------------------ export

EXPORT = matrix(
    {"org_admin": 200, "consultant": 200, "manager": 200, "other_manager": 200, "staff": 200}
)


@pytest.mark.parametrize(("role", "expected"), EXPORT)
def test_the_export(client, acted, role, expected):
    url = reverse("improvement:actions-export", args=[acted.campaign.pk, "csv"])
    reply = as_role(client, acted, role).get(url)
    check(reply, expected)
    if expected == 200:
        lines = reply.content.decode("utf-8-sig").strip().splitlines()
        assert len(lines) - 1 == LISTED[role]


# ------------------------------------------------------------------ API

API_LIST = api_matrix(
    {"org_admin": 200, "consultant": 200, "manager": 200, "other_manager": 200, "staff": 200}
)
API_CREATE = api_matrix({"org_admin": 201, "consultant": 201, "manager": 201})
API_DETAIL = api_matrix({**SALES_EDITORS, "staff": 200})
API_EDIT = api_matrix(SALES_EDITORS)
API_STATUS = api_matrix({**SALES_EDITORS, "staff": 200})


@pytest.mark.parametrize(("role", "expected"), API_LIST)
def test_the_api_list(acted, role, expected):
    reply = api_as(acted, role).get(reverse("api-actions", args=[acted.campaign.pk]))
    check_api(reply, expected)
    if expected == 200:
        assert len(reply.json()) == LISTED[role]


@pytest.mark.parametrize(("role", "expected"), API_CREATE)
def test_the_api_create(acted, role, expected):
    before = Action.objects.count()
    reply = api_as(acted, role).post(
        reverse("api-actions", args=[acted.campaign.pk]),
        {"department": acted.sales.pk, "dimension": "kpi", "title": "By API"},
        format="json",
    )
    check_api(reply, expected)
    assert Action.objects.count() == before + (1 if expected == 201 else 0)


@pytest.mark.parametrize(("role", "expected"), API_DETAIL)
def test_the_api_detail(acted, role, expected):
    reply = api_as(acted, role).get(reverse("api-action", args=[owned(acted).pk]))
    check_api(reply, expected)
    if expected == 200:
        assert reply.json()["id"] == owned(acted).pk


@pytest.mark.parametrize(("role", "expected"), API_DETAIL)
def test_the_api_history(acted, role, expected):
    reply = api_as(acted, role).get(reverse("api-action-history", args=[owned(acted).pk]))
    check_api(reply, expected)
    if expected == 200:
        assert [e["kind"] for e in reply.json()] == ["created"]


@pytest.mark.parametrize(("role", "expected"), API_EDIT)
def test_the_api_edit(acted, role, expected):
    before = ActionEvent.objects.count()
    reply = api_as(acted, role).patch(
        reverse("api-action", args=[owned(acted).pk]), {"title": "Edited"}, format="json"
    )
    check_api(reply, expected)
    if expected == 200:
        assert reply.json()["title"] == "Edited"
    else:
        unchanged(acted, before)


@pytest.mark.parametrize(("role", "expected"), API_STATUS)
def test_the_api_status(acted, role, expected):
    before = ActionEvent.objects.count()
    reply = api_as(acted, role).patch(
        reverse("api-action", args=[owned(acted).pk]), {"status": "in_progress"}, format="json"
    )
    check_api(reply, expected)
    if expected == 200:
        assert reply.json()["status"] == "in_progress"
    else:
        unchanged(acted, before)
