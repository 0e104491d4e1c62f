"""The role × view isolation matrix for the web pages.

Every row is one view, every cell one role. Anonymous users are sent to the login page;
an object of another organisation is a 404 (its existence is not revealed); inside the
organisation, a user without the right gets a 403. Refused writes change nothing.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Answer, Campaign, Response
from tests.matrix import GLOBEX, LOGIN, ROLES, as_role, check, matrix, succeeded, user_of

pytestmark = pytest.mark.django_db

ACME_NAME = "Acme Matrix Campaign"
GLOBEX_NAME = "Globex Matrix Campaign"


@pytest.fixture
def named(cast):
    """The cast with campaign names that appear nowhere else on a page."""
    Campaign.objects.filter(pk=cast.campaign.pk).update(name=ACME_NAME)
    Campaign.objects.filter(pk=cast.globex_campaign.pk).update(name=GLOBEX_NAME)
    return cast


def campaign_form(cast) -> dict:
    today = timezone.localdate()
    return {
        "name": "Matrix autumn check",
        "framework": cast.framework.pk,
        "departments": [cast.sales.pk],
        "opens_on": today.isoformat(),
        "closes_on": (today + datetime.timedelta(days=7)).isoformat(),
    }


def first_choice(question):
    return list(question.choices.all())[0]


# ------------------------------------------------------------ 1. campaign list


def test_it_sends_anonymous_users_from_the_campaign_list_to_login(client, cast):
    check(client.get(reverse("assessments:campaign-list")), LOGIN)


@pytest.mark.parametrize(
    ("role", "sees_acme", "sees_globex"),
    [
        ("org_admin", True, False),
        ("consultant", True, False),
        ("manager", True, False),
        ("other_manager", True, False),
        ("staff", False, False),
        ("consultant_without_access", False, True),
        ("outsider", False, True),
        ("nobody", False, False),
    ],
)
def test_it_lists_only_the_campaigns_a_user_may_open(client, named, role, sees_acme, sees_globex):
    reply = as_role(client, named, role).get(reverse("assessments:campaign-list"))
    assert reply.status_code == 200
    page = reply.content.decode()
    assert (ACME_NAME in page) is sees_acme
    assert (GLOBEX_NAME in page) is sees_globex


# ------------------------------------------------------------ 2. campaign creation

CREATE = matrix({"org_admin": 200, "consultant": 200})
CREATE_POST = matrix({"org_admin": 302, "consultant": 302})


@pytest.mark.parametrize(("role", "expected"), CREATE)
def test_it_shows_the_campaign_form_only_to_org_admins_and_consultants(
    client, cast, role, expected
):
    url = reverse("assessments:campaign-create", args=[cast.acme.pk])
    check(as_role(client, cast, role).get(url), expected)


@pytest.mark.parametrize(("role", "expected"), CREATE_POST)
def test_it_creates_campaigns_only_for_org_admins_and_consultants(client, cast, role, expected):
    before = Campaign.objects.count()
    url = reverse("assessments:campaign-create", args=[cast.acme.pk])
    check(as_role(client, cast, role).post(url, campaign_form(cast)), expected)
    assert Campaign.objects.count() == before + (1 if succeeded(expected) else 0)


# ------------------------------------------------------------ 3. campaign detail

DETAIL = matrix({"org_admin": 200, "consultant": 200, "manager": 200, "other_manager": 200})
GLOBEX_DETAIL = matrix({"outsider": 200, "consultant_without_access": 200}, inside=())


@pytest.mark.parametrize(("role", "expected"), DETAIL)
def test_it_shows_a_campaign_only_to_those_who_may_open_it(client, named, role, expected):
    url = reverse("assessments:campaign-detail", args=[named.campaign.pk])
    reply = as_role(client, named, role).get(url)
    check(reply, expected)
    if expected == 200:
        assert ACME_NAME in reply.content.decode()


@pytest.mark.parametrize(("role", "expected"), GLOBEX_DETAIL)
def test_it_shows_globex_campaign_only_inside_globex(client, named, role, expected):
    url = reverse("assessments:campaign-detail", args=[named.globex_campaign.pk])
    reply = as_role(client, named, role).get(url)
    check(reply, expected)
    assert (GLOBEX_NAME in reply.content.decode()) is (expected == 200)


def test_it_shows_a_manager_only_their_own_department(client, cast):
    client.force_login(cast.users.manager)
    page = client.get(reverse("assessments:campaign-detail", args=[cast.campaign.pk]))
    text = page.content.decode()
    assert "Sales" in text
    assert "Customer Success" not in text
    assert cast.users.other_manager.username not in text


def test_it_shows_the_other_manager_only_their_own_department(client, cast):
    client.force_login(cast.users.other_manager)
    page = client.get(reverse("assessments:campaign-detail", args=[cast.campaign.pk]))
    text = page.content.decode()
    assert "Customer Success" in text
    assert f"dept-{cast.sales.pk}" not in text
    assert cast.users.manager.username not in text


@pytest.mark.parametrize("role", ["org_admin", "consultant"])
def test_it_shows_org_admins_and_consultants_every_department(client, cast, role):
    as_role(client, cast, role)
    text = client.get(reverse("assessments:campaign-detail", args=[cast.campaign.pk]))
    assert "Sales" in text.content.decode()
    assert "Customer Success" in text.content.decode()


# ------------------------------------------------------------ 4. campaign status

STATUS = matrix({"org_admin": 302, "consultant": 302})


@pytest.mark.parametrize(("role", "expected"), STATUS)
def test_it_changes_campaign_status_only_for_org_admins_and_consultants(
    client, cast, role, expected
):
    url = reverse("assessments:campaign-status", args=[cast.campaign.pk])
    check(as_role(client, cast, role).post(url, {"status": "closed"}), expected)
    cast.campaign.refresh_from_db()
    assert cast.campaign.status == ("closed" if succeeded(expected) else "open")


# ------------------------------------------------------------ 5. rating a department

RATE = matrix({"org_admin": 302, "consultant": 302})


@pytest.mark.parametrize(("role", "expected"), RATE)
def test_it_lets_only_org_admins_and_consultants_rate_a_department(client, cast, role, expected):
    before = Response.objects.count()
    url = reverse("assessments:campaign-rate", args=[cast.campaign.pk, cast.sales.pk])
    check(as_role(client, cast, role).post(url), expected)
    if succeeded(expected):
        assert Response.objects.filter(
            campaign=cast.campaign,
            department=cast.sales,
            respondent=user_of(cast, role),
            rater_role=role,
        ).exists()
        assert Response.objects.count() == before + 1
    else:
        assert Response.objects.count() == before


# ------------------------------------------------------------ 6. invitation link

INVITATION = matrix({"manager": 302}, inside=())


@pytest.mark.parametrize(("role", "expected"), INVITATION)
def test_it_opens_an_invitation_only_for_its_respondent(client, cast, role, expected):
    url = reverse("assessments:invitation", args=[cast.response.invitation.token])
    reply = as_role(client, cast, role).get(url)
    check(reply, expected)
    cast.response.invitation.refresh_from_db()
    if expected == 302:
        assert reply["Location"] == reverse("assessments:response-resume", args=[cast.response.pk])
        assert cast.response.invitation.opened_at is not None
    else:
        assert cast.response.invitation.opened_at is None


# ------------------------------------------------------------ 7. the respondent's pages

RESUME = matrix({"manager": 302})
PAGE = matrix({"manager": 200})
PAGE_POST = matrix({"manager": 302})
REVIEW = matrix({"manager": 200})
REVIEW_POST = matrix({"manager": 302})
GLOBEX_RESUME = matrix({"globex_manager": 302}, inside=GLOBEX)


@pytest.mark.parametrize(("role", "expected"), RESUME)
def test_it_resumes_a_response_only_for_its_respondent(client, cast, role, expected):
    url = reverse("assessments:response-resume", args=[cast.response.pk])
    reply = as_role(client, cast, role).get(url)
    check(reply, expected)
    if expected == 302:
        page = reverse("assessments:questionnaire", args=[cast.response.pk, "kpi"])
        assert reply["Location"].startswith(page)


@pytest.mark.parametrize(("role", "expected"), GLOBEX_RESUME)
def test_it_resumes_globex_response_only_for_its_respondent(client, cast, role, expected):
    url = reverse("assessments:response-resume", args=[cast.globex_response.pk])
    check(as_role(client, cast, role).get(url), expected)


@pytest.mark.parametrize(("role", "expected"), PAGE)
def test_it_shows_a_questionnaire_page_only_to_the_respondent(client, cast, role, expected):
    url = reverse("assessments:questionnaire", args=[cast.response.pk, "kpi"])
    check(as_role(client, cast, role).get(url), expected)


@pytest.mark.parametrize(("role", "expected"), PAGE_POST)
def test_it_saves_questionnaire_posts_only_from_the_respondent(client, cast, role, expected):
    question = cast.questions["kpi-q0"]
    url = reverse("assessments:questionnaire", args=[cast.response.pk, "kpi"])
    data = {f"q{question.pk}": first_choice(question).pk, "action": "next"}
    check(as_role(client, cast, role).post(url, data), expected)
    answers = Answer.objects.filter(response=cast.response)
    if succeeded(expected):
        assert answers.get().choice == first_choice(question)
    else:
        assert not answers.exists()


@pytest.mark.parametrize(("role", "expected"), REVIEW)
def test_it_shows_the_review_only_to_the_respondent(client, cast, role, expected):
    url = reverse("assessments:response-review", args=[cast.response.pk])
    check(as_role(client, cast, role).get(url), expected)


@pytest.mark.parametrize(("role", "expected"), REVIEW_POST)
def test_it_submits_a_response_only_for_its_respondent(client, cast, role, expected):
    url = reverse("assessments:response-review", args=[cast.response.pk])
    check(as_role(client, cast, role).post(url), expected)
    cast.response.refresh_from_db()
    assert cast.response.status == ("submitted" if succeeded(expected) else "in_progress")


# ------------------------------------------------------------ 8. reopening a response

REOPEN = matrix({"org_admin": 302, "consultant": 302})


@pytest.mark.parametrize(("role", "expected"), REOPEN)
def test_it_reopens_a_response_only_for_org_admins_and_consultants(client, cast, role, expected):
    services.submit_response(response=cast.response)
    url = reverse("assessments:response-reopen", args=[cast.response.pk])
    check(as_role(client, cast, role).post(url), expected)
    cast.response.refresh_from_db()
    assert cast.response.status == ("in_progress" if succeeded(expected) else "submitted")


# ------------------------------------------------------------ 15. public pages


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_the_public_framework_page_to_everyone(client, cast, role):
    url = reverse("maturity:framework-detail", args=["sample"])
    assert as_role(client, cast, role).get(url).status_code == 200
