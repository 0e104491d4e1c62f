"""The role × view matrix of milestones and comparisons: every page and endpoint, every
role of the cast. Anonymous users go to the login page (the API answers 403), another
organisation's campaign or milestone is a 404, staff get a 403; managers of an assessed
department read the list and their own department's rows; only org admins and consultants
take milestones, and a refused write takes none."""

# The ``scored`` fixture is imported from test_milestones, so tests name it again (F811).
# ruff: noqa: F811
import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from improvement.models import Milestone
from tests.assessments.conftest import answer_all
from tests.improvement.test_milestones import add_manager, scored, take  # noqa: F401
from tests.matrix import api_as, api_matrix, as_role, check, check_api, matrix, user_of

pytestmark = pytest.mark.django_db

OWN = {"manager": {"Sales"}, "other_manager": {"Customer Success"}}
BOTH = {"Sales", "Customer Success"}
READERS = {"org_admin": 200, "consultant": 200, "manager": 200, "other_manager": 200}


@pytest.fixture
def later(scored, django_user_model):
    milestone = take(scored)
    answer_all(add_manager(scored, django_user_model, "mika", scored.sales), scored.questions, 0)
    scored.milestone = milestone
    return scored


def seen(role) -> set[str]:
    return OWN.get(role, BOTH)


# ------------------------------------------------------------------ web: the list


@pytest.mark.parametrize(("role", "expected"), matrix(READERS))
def test_the_milestone_list_is_for_org_admins_consultants_and_managers(
    client, later, role, expected
):
    reply = as_role(client, later, role).get(
        reverse("improvement:milestones", args=[later.campaign.pk])
    )
    check(reply, expected)
    if expected == 200:
        assert [m.name for m in reply.context["milestones"]] == ["Mid-term"]
        can_take = role in ("org_admin", "consultant")
        assert (reply.context["form"] is not None) is can_take
        assert ('name="taken_on"' in reply.content.decode()) is can_take


@pytest.mark.parametrize(("role", "expected"), matrix({"org_admin": 302, "consultant": 302}))
def test_only_org_admins_and_consultants_take_a_milestone_on_the_web(
    client, scored, role, expected
):
    url = reverse("improvement:milestones", args=[scored.campaign.pk])
    data = {"name": "Web", "taken_on": str(timezone.localdate())}
    reply = as_role(client, scored, role).post(url, data)
    check(reply, expected)
    assert Milestone.objects.filter(name="Web").exists() is (expected == 302)
    if expected == 302:
        assert reply["Location"] == url
        assert Milestone.objects.get(name="Web").created_by == user_of(scored, role)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        *[(role, 404) for role in ("org_admin", "consultant", "manager", "staff", "nobody")],
        ("outsider", 200),  # Globex's own org admin
    ],
)
@pytest.mark.parametrize("name", ["improvement:milestones", "improvement:compare"])
def test_another_organisations_pages_are_a_404(client, scored, name, role, expected):
    reply = as_role(client, scored, role).get(reverse(name, args=[scored.globex_campaign.pk]))
    check(reply, expected)


# ------------------------------------------------------------------ web: compare


@pytest.mark.parametrize(("role", "expected"), matrix(READERS))
def test_the_compare_page_shows_each_reader_their_departments(client, later, role, expected):
    url = reverse("improvement:compare", args=[later.campaign.pk])
    reply = as_role(client, later, role).get(url)
    check(reply, expected)
    if expected == 200:
        comparison = reply.context["comparison"]
        assert {d.name for d in comparison.departments} == seen(role)
        text = reply.content.decode()
        for name in BOTH - seen(role):
            assert f">{name}<" not in text


# ------------------------------------------------------------------ the department tag


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("org_admin", True),
        ("consultant", True),
        ("manager", True),
        ("other_manager", False),
        ("staff", False),
        ("outsider", False),
        ("consultant_without_access", False),
        ("nobody", False),
    ],
)
def test_the_department_tag_shows_sales_only_to_those_who_see_sales(later, role, shown):
    request = RequestFactory().get("/")
    request.user = user_of(later, role)
    html = Template(
        "{% load improvement_milestones %}{% department_delta campaign department %}"
    ).render(Context({"request": request, "campaign": later.campaign, "department": later.sales}))
    assert ('data-dimension="kpi"' in html) is shown
    if shown:
        assert "−2.00" in html
        assert f"before=m:{later.milestone.pk}" in html


# ------------------------------------------------------------------ API


@pytest.mark.parametrize(("role", "expected"), api_matrix(READERS))
def test_the_api_milestone_list(later, role, expected):
    reply = api_as(later, role).get(reverse("api-milestones", args=[later.campaign.pk]))
    check_api(reply, expected)
    if expected == 200:
        assert [m["name"] for m in reply.json()] == ["Mid-term"]


@pytest.mark.parametrize(("role", "expected"), api_matrix({"org_admin": 201, "consultant": 201}))
def test_the_api_takes_milestones_for_org_admins_and_consultants(scored, role, expected):
    reply = api_as(scored, role).post(
        reverse("api-milestones", args=[scored.campaign.pk]),
        {"name": "API", "taken_on": str(timezone.localdate())},
        format="json",
    )
    check_api(reply, expected)
    assert Milestone.objects.filter(name="API").exists() is (expected == 201)


@pytest.mark.parametrize(("role", "expected"), api_matrix(READERS))
def test_the_api_milestone_detail(later, role, expected):
    reply = api_as(later, role).get(reverse("api-milestone", args=[later.milestone.pk]))
    check_api(reply, expected)
    if expected == 200:
        assert {d["department_name"] for d in reply.json()["departments"]} == seen(role)


@pytest.mark.parametrize(("role", "expected"), api_matrix(READERS))
def test_the_api_comparison(later, role, expected):
    reply = api_as(later, role).get(reverse("api-compare", args=[later.campaign.pk]))
    check_api(reply, expected)
    if expected == 200:
        assert {r["department_name"] for r in reply.json()["rows"]} == seen(role)


@pytest.mark.parametrize(
    "role", ["org_admin", "consultant", "manager", "other_manager", "staff", "nobody"]
)
def test_another_organisations_milestone_is_a_404(scored, role):
    globex = take_globex(scored)
    reply = api_as(scored, role).get(reverse("api-milestone", args=[globex.pk]))
    check_api(reply, 404)


def take_globex(cast):
    from improvement.milestones.services import take_milestone

    return take_milestone(
        campaign=cast.globex_campaign,
        name="Globex",
        taken_on=timezone.localdate(),
        by=cast.users.outsider,
    )
