"""The actions API: JSON values, filters, create and change with their errors in the
project's shape, the owner's status-only PATCH, the history, and a fixed query count."""

import datetime

import pytest
from django.urls import reverse

from improvement.actions import services
from improvement.models import Action
from tests.improvement import test_actions as base
from tests.matrix import api_as, check_api

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
TODAY = base.TODAY
kpi_recommendation = base.kpi_recommendation
acted = base.acted  # the fixture: Sales answered, five actions in every status


def list_url(cast):
    return reverse("api-actions", args=[cast.campaign.pk])


def titles(reply) -> list[str]:
    return [row["title"] for row in reply.json()]


def test_it_lists_the_actions_with_their_values(acted):
    reply = api_as(acted, "org_admin").get(list_url(acted))
    check_api(reply, 200)
    rows = {row["title"]: row for row in reply.json()}
    assert len(rows) == 5
    overdue = rows["KPIを定義する"]
    assert overdue == {
        "id": acted.actions["overdue"].pk,
        "campaign": acted.campaign.pk,
        "department": acted.sales.pk,
        "department_name": "Sales",
        "dimension": "kpi",
        "title": "KPIを定義する",
        "description": "",
        "owner": acted.users.staff.pk,
        "owner_name": "sasaki",
        "due_on": (TODAY - DAY).isoformat(),
        "status": "planned",
        "overdue": True,
        "planned_level": 4,
        "recommendation": None,
        "modules": [],
        "completed_at": None,
        "created_at": overdue["created_at"],
        "updated_at": overdue["updated_at"],
    }
    assert rows["Churn dashboard"]["status"] == "done"
    assert rows["Churn dashboard"]["completed_at"] is not None
    assert rows["Unify customer data"]["overdue"] is False


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "dropped"}, ["NPS survey"]),
        ({"overdue": "true"}, ["KPIを定義する"]),
        ({"overdue": "false", "department": "sales"}, ["Unify customer data", "Churn dashboard"]),
        ({"dimension": "data"}, ["Onboarding flow", "Unify customer data"]),
        ({"owner": "manager"}, ["Unify customer data", "Churn dashboard"]),
    ],
)
def test_it_filters(acted, query, expected):
    query = dict(query)
    if query.get("department") == "sales":
        query["department"] = acted.sales.pk
    if query.get("owner") == "manager":
        query["owner"] = acted.users.manager.pk
    assert titles(api_as(acted, "consultant").get(list_url(acted), query)) == expected


def test_a_bad_filter_is_a_400_in_the_error_shape(acted):
    reply = api_as(acted, "org_admin").get(list_url(acted), {"status": "finished"})
    check_api(reply, 400, "invalid")
    assert "status" in reply.json()["error"]["fields"]


def test_each_role_lists_what_it_may_see(acted):
    assert titles(api_as(acted, "staff").get(list_url(acted))) == ["KPIを定義する"]
    assert titles(api_as(acted, "manager").get(list_url(acted))) == [
        "KPIを定義する",
        "Unify customer data",
        "Churn dashboard",
    ]
    assert titles(api_as(acted, "other_manager").get(list_url(acted))) == [
        "NPS survey",
        "Onboarding flow",
    ]
    check_api(api_as(acted, "outsider").get(list_url(acted)), 404)


def test_it_creates_an_action(acted):
    module_ids = []
    recommendation = kpi_recommendation(acted)
    reply = api_as(acted, "manager").post(
        list_url(acted),
        {
            "department": acted.sales.pk,
            "dimension": "kpi",
            "title": "Weekly KPI review",
            "owner": acted.users.staff.pk,
            "due_on": (TODAY + 7 * DAY).isoformat(),
            "planned_level": 4,
            "recommendation": recommendation.pk,
            "modules": module_ids,
        },
        format="json",
    )
    check_api(reply, 201)
    body = reply.json()
    action = Action.objects.get(pk=body["id"])
    assert (body["title"], body["owner"], body["planned_level"]) == (
        "Weekly KPI review",
        acted.users.staff.pk,
        4,
    )
    assert body["recommendation"] == recommendation.pk and body["status"] == "planned"
    assert action.created_by == acted.users.manager
    assert action.events.get().changes["title"] == [None, "Weekly KPI review"]


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"dimension": "nope"}, "unknown_dimension", "dimension_code"),
        ({"planned_level": 9}, "bad_level", "planned_level"),
        ({"owner": "outsider"}, "owner_not_member", "owner"),
        ({"owner": 987654}, "owner_not_member", "owner"),
        ({"department": "globex"}, "department_not_assessed", "department"),
        ({"due_on": "1999-01-01"}, "bad_due_date", "due_on"),
        ({"recommendation": 987654}, "recommendation_elsewhere", "recommendation"),
        ({"modules": [987654]}, "unknown_module", "modules"),
        ({"title": ""}, "invalid", "title"),
        ({"due_on": "tomorrow"}, "invalid", "due_on"),
        ({"owner": 2**70}, "invalid", "owner"),
    ],
)
def test_a_refused_create_is_a_400_with_its_field(acted, body, code, field):
    data = {"department": acted.sales.pk, "dimension": "kpi", "title": "X", **body}
    if data.get("owner") == "outsider":
        data["owner"] = acted.users.outsider.pk
    if data["department"] == "globex":
        data["department"] = acted.globex_sales.pk
    reply = api_as(acted, "org_admin").post(list_url(acted), data, format="json")
    check_api(reply, 400, code)
    assert field in reply.json()["error"]["fields"]
    assert not Action.objects.filter(title="X").exists()


def test_staff_and_another_departments_manager_may_not_create(acted):
    data = {"department": acted.sales.pk, "dimension": "kpi", "title": "X"}
    for role in ("staff", "other_manager"):
        check_api(api_as(acted, role).post(list_url(acted), data, format="json"), 403)
    assert not Action.objects.filter(title="X").exists()


def test_patch_changes_the_fields_given_and_records_them(acted):
    action = acted.actions["soon"]
    url = reverse("api-action", args=[action.pk])
    reply = api_as(acted, "manager").patch(
        url, {"title": "Unify data", "status": "done", "owner": None}, format="json"
    )
    check_api(reply, 200)
    body = reply.json()
    assert (body["title"], body["status"], body["owner"]) == ("Unify data", "done", None)
    assert body["completed_at"] is not None
    history = api_as(acted, "manager").get(reverse("api-action-history", args=[action.pk]))
    check_api(history, 200)
    events = history.json()
    assert [e["kind"] for e in events] == ["created", "changed", "changed"]
    assert events[-1]["changes"] == {
        "title": ["Unify customer data", "Unify data"],
        "owner": [acted.users.manager.pk, None],
        "status": ["in_progress", "done"],
    }
    assert events[-1]["by"] == acted.users.manager.pk and events[-1]["by_name"] == "mori"


def test_the_owner_may_patch_the_status_only(acted):
    action = acted.actions["overdue"]  # owned by staff
    url = reverse("api-action", args=[action.pk])
    staff = api_as(acted, "staff")
    check_api(staff.patch(url, {"title": "Mine"}, format="json"), 403)
    check_api(staff.patch(url, {"status": "in_progress", "title": "Mine"}, format="json"), 403)
    reply = staff.patch(url, {"status": "in_progress"}, format="json")
    check_api(reply, 200)
    assert reply.json()["status"] == "in_progress" and reply.json()["title"] == "KPIを定義する"


def test_a_bad_patch_is_a_400(acted):
    url = reverse("api-action", args=[acted.actions["soon"].pk])
    client = api_as(acted, "org_admin")
    check_api(client.patch(url, {"status": "finished"}, format="json"), 400, "invalid")
    check_api(client.patch(url, {"planned_level": 0}, format="json"), 400, "bad_level")
    reply = client.patch(
        url, {"dimension": "kpi", "recommendation": kpi_recommendation(acted).pk}, format="json"
    )
    check_api(reply, 200)  # a kpi recommendation on a kpi action
    reply = client.patch(url, {"dimension": "data"}, format="json")
    check_api(reply, 400, "recommendation_elsewhere")


def test_another_organisation_is_a_404(acted):
    services.create_action(
        campaign=acted.globex_campaign,
        department=acted.globex_sales,
        dimension_code="kpi",
        title="Globex",
        by=acted.users.outsider,
    )
    globex_action = Action.objects.get(title="Globex")
    client = api_as(acted, "org_admin")
    check_api(client.get(reverse("api-actions", args=[acted.globex_campaign.pk])), 404)
    check_api(client.get(reverse("api-action", args=[globex_action.pk])), 404)
    check_api(client.get(reverse("api-action-history", args=[globex_action.pk])), 404)
    patch = client.patch(
        reverse("api-action", args=[globex_action.pk]), {"title": "x"}, format="json"
    )
    check_api(patch, 404)
    check_api(client.get(reverse("api-action", args=[987654])), 404)


def test_the_list_takes_a_fixed_number_of_queries(acted, django_assert_max_num_queries):
    client = api_as(acted, "org_admin")
    client.get(list_url(acted))
    with django_assert_max_num_queries(20) as few:
        client.get(list_url(acted))
    for i in range(20):
        services.create_action(
            campaign=acted.campaign,
            department=acted.sales,
            dimension_code="data",
            title=f"More {i}",
            owner=acted.users.consultant,
            by=acted.users.org_admin,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        reply = client.get(list_url(acted))
    assert len(reply.json()) == 25


@pytest.mark.parametrize("name", ["owner", "department"])
def test_an_id_too_big_for_the_database_is_a_400(acted, name):
    reply = api_as(acted, "org_admin").get(list_url(acted), {name: "9" * 25})
    check_api(reply, 400, "invalid")
    assert name in reply.json()["error"]["fields"]
