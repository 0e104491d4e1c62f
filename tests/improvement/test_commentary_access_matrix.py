"""The role × view matrix for the commentary pages and the commentary and roadmap API.

Every row is one view, every cell one role of the cast: anonymous users go to the login page
(the API answers 403), users of another organisation and consultants without access get a
404, and inside Acme a user without the right a 403 (``tests/matrix.py``). Where a reader
gets through, the assertion is on the value: writers read the draft, managers never its text
(and read the published one); refused writes change nothing.
"""

import datetime

import pytest
from django.urls import reverse

from improvement.commentary.services import publish_commentary, save_commentary
from improvement.models import Action, Commentary
from tests.matrix import api_as, api_matrix, as_role, check, check_api, matrix, succeeded

pytestmark = pytest.mark.django_db

DRAFT = "Draft text a1b2"
PUBLISHED = "Published text c3d4"
WRITERS = ("org_admin", "consultant")


@pytest.fixture
def written(cast):
    """Acme's campaign has a draft campaign-wide commentary and a published one for Sales;
    each department has an open action."""
    save_commentary(campaign=cast.campaign, narrative=DRAFT, findings="", by=cast.users.consultant)
    sales = save_commentary(
        campaign=cast.campaign,
        department=cast.sales,
        narrative=PUBLISHED,
        findings="",
        by=cast.users.consultant,
    )
    publish_commentary(commentary=sales, by=cast.users.consultant)
    due = datetime.date.today() + datetime.timedelta(days=10)
    for department, title in ((cast.sales, "Sales action"), (cast.success, "Success action")):
        Action.objects.create(
            campaign=cast.campaign,
            department=department,
            dimension_code="kpi",
            title=title,
            due_on=due,
        )
    return cast


def texts():
    return set(Commentary.objects.values_list("department_id", "narrative", "status"))


# ------------------------------------------------------------------------------ web pages

CAMPAIGN_PAGE = matrix({r: 200 for r in (*WRITERS, "manager", "other_manager")})
SALES_PAGE = matrix({r: 200 for r in (*WRITERS, "manager")})


@pytest.mark.parametrize(("role", "expected"), CAMPAIGN_PAGE)
def test_the_campaign_commentary_page(client, written, role, expected):
    url = reverse("improvement:commentary", args=[written.campaign.pk])
    reply = as_role(client, written, role).get(url)
    check(reply, expected)
    if expected == 200:
        html = reply.content.decode()
        assert (DRAFT in html) == (role in WRITERS)
        assert ("<textarea" in html) == (role in WRITERS)
        # The roadmap: everyone's actions for writers, a manager's own department's.
        own = {"manager": "Sales action", "other_manager": "Success action"}
        for title in ("Sales action", "Success action"):
            assert (title in html) == (role in WRITERS or own.get(role) == title)


@pytest.mark.parametrize(("role", "expected"), SALES_PAGE)
def test_the_sales_commentary_page(client, written, role, expected):
    url = reverse("improvement:department-commentary", args=[written.campaign.pk, written.sales.pk])
    reply = as_role(client, written, role).get(url)
    check(reply, expected)
    if expected == 200:
        html = reply.content.decode()
        assert PUBLISHED in html and "Sales action" in html
        assert "Success action" not in html and DRAFT not in html


SAVE = matrix({r: 302 for r in WRITERS})


@pytest.mark.parametrize(("role", "expected"), SAVE)
def test_saving_from_the_campaign_page(client, written, role, expected):
    url = reverse("improvement:commentary", args=[written.campaign.pk])
    before = texts()
    reply = as_role(client, written, role).post(
        url, {"intent": "save", "narrative": "changed", "findings": ""}
    )
    check(reply, expected)
    if succeeded(expected):
        assert (None, "changed", "draft") in texts()
    else:
        assert texts() == before


@pytest.mark.parametrize(("role", "expected"), SAVE)
def test_unpublishing_from_the_sales_page(client, written, role, expected):
    url = reverse("improvement:department-commentary", args=[written.campaign.pk, written.sales.pk])
    before = texts()
    reply = as_role(client, written, role).post(url, {"intent": "unpublish"})
    check(reply, expected)
    sales = Commentary.objects.get(department=written.sales)
    assert sales.status == ("draft" if succeeded(expected) else "published")
    if not succeeded(expected):
        assert texts() == before


@pytest.mark.parametrize("role", ["org_admin", "consultant", "manager"])
def test_a_department_of_another_organisation_is_not_found(client, written, role):
    url = reverse(
        "improvement:department-commentary", args=[written.campaign.pk, written.globex_sales.pk]
    )
    check(as_role(client, written, role).get(url), 404)
    url = reverse("improvement:commentary", args=[written.globex_campaign.pk])
    check(as_role(client, written, role).get(url), 404)


# ------------------------------------------------------------------------------ API

API_CAMPAIGN_READ = api_matrix({r: 200 for r in (*WRITERS, "manager", "other_manager")})
API_SALES_READ = api_matrix({r: 200 for r in (*WRITERS, "manager")})
API_WRITE = api_matrix({r: 200 for r in WRITERS})


@pytest.mark.parametrize(("role", "expected"), API_CAMPAIGN_READ)
def test_api_campaign_commentary_get(written, role, expected):
    reply = api_as(written, role).get(reverse("api-commentary", args=[written.campaign.pk]))
    check_api(reply, expected)
    if expected == 200:
        assert reply.json()["status"] == ("draft" if role in WRITERS else "none")
        assert (DRAFT in reply.content.decode()) == (role in WRITERS)


@pytest.mark.parametrize(("role", "expected"), API_SALES_READ)
def test_api_sales_commentary_get(written, role, expected):
    url = reverse("api-department-commentary", args=[written.campaign.pk, written.sales.pk])
    reply = api_as(written, role).get(url)
    check_api(reply, expected)
    if expected == 200:
        assert (reply.json()["status"], reply.json()["narrative"]) == ("published", PUBLISHED)


@pytest.mark.parametrize(("role", "expected"), API_WRITE)
def test_api_campaign_commentary_put(written, role, expected):
    before = texts()
    reply = api_as(written, role).put(
        reverse("api-commentary", args=[written.campaign.pk]),
        {"narrative": "api text", "findings": ""},
        format="json",
    )
    check_api(reply, expected)
    if expected == 200:
        assert (None, "api text", "draft") in texts()
    else:
        assert texts() == before


@pytest.mark.parametrize(("role", "expected"), API_WRITE)
def test_api_sales_commentary_put(written, role, expected):
    before = texts()
    url = reverse("api-department-commentary", args=[written.campaign.pk, written.sales.pk])
    reply = api_as(written, role).put(url, {"narrative": "api", "findings": "f"}, format="json")
    check_api(reply, expected)
    if expected == 200:
        assert (written.sales.pk, "api", "published") in texts()
    else:
        assert texts() == before


@pytest.mark.parametrize(("role", "expected"), API_WRITE)
def test_api_campaign_commentary_publish(written, role, expected):
    reply = api_as(written, role).post(
        reverse("api-commentary-publish", args=[written.campaign.pk])
    )
    check_api(reply, expected)
    status = Commentary.objects.get(department=None).status
    assert status == ("published" if expected == 200 else "draft")


@pytest.mark.parametrize(("role", "expected"), API_WRITE)
def test_api_sales_commentary_unpublish(written, role, expected):
    url = reverse("api-department-commentary-publish", args=[written.campaign.pk, written.sales.pk])
    reply = api_as(written, role).delete(url)
    check_api(reply, expected)
    status = Commentary.objects.get(department=written.sales).status
    assert status == ("draft" if expected == 200 else "published")


@pytest.mark.parametrize(("role", "expected"), API_WRITE)
def test_api_sales_commentary_publish(written, role, expected):
    Commentary.objects.filter(department=written.sales).update(status="draft")
    url = reverse("api-department-commentary-publish", args=[written.campaign.pk, written.sales.pk])
    check_api(api_as(written, role).post(url), expected)
    status = Commentary.objects.get(department=written.sales).status
    assert status == ("published" if expected == 200 else "draft")


@pytest.mark.parametrize(("role", "expected"), API_CAMPAIGN_READ)
def test_api_roadmap(written, role, expected):
    reply = api_as(written, role).get(reverse("api-roadmap", args=[written.campaign.pk]))
    check_api(reply, expected)
    if expected == 200:
        [bucket, *_] = reply.json()["buckets"]
        shown = {item["title"] for item in bucket["items"]}
        expected_titles = {
            "manager": {"Sales action"},
            "other_manager": {"Success action"},
        }.get(role, {"Sales action", "Success action"})
        assert shown == expected_titles


@pytest.mark.parametrize(("role", "expected"), API_SALES_READ)
def test_api_roadmap_of_sales(written, role, expected):
    url = reverse("api-roadmap", args=[written.campaign.pk]) + f"?department={written.sales.pk}"
    reply = api_as(written, role).get(url)
    check_api(reply, expected)
    if expected == 200:
        titles = {i["title"] for b in reply.json()["buckets"] for i in b["items"]}
        assert titles == {"Sales action"}


@pytest.mark.parametrize(
    "name",
    ["api-commentary", "api-commentary-publish", "api-roadmap"],
)
def test_api_another_organisations_campaign_is_not_found(written, name):
    url = reverse(name, args=[written.globex_campaign.pk])
    client = api_as(written, "consultant")
    check_api(client.get(url) if name != "api-commentary-publish" else client.post(url), 404)
