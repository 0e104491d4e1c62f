"""The role × endpoint isolation matrix for the API under ``/api/v1/``.

Anonymous callers get a 403; an object of another organisation is a 404 (its existence is
not revealed); inside the organisation, a caller without the right gets a 403. Refused
writes change nothing, and every error has the shape {"error": {"code", "message"}}.
"""

import pytest

from assessments import services
from assessments.models import Answer
from tests.matrix import GLOBEX, ROLES, api_as, api_matrix, check_api

pytestmark = pytest.mark.django_db

CSRF_TOKEN = "abcdefghijklmnopqrstuvwxyzABCDEF"  # any 32 allowed characters is a valid secret


def answer_url(cast) -> str:
    return f"/api/v1/responses/{cast.response.pk}/answers/{cast.questions['kpi-q0'].pk}/"


def a_choice(cast):
    return list(cast.questions["kpi-q0"].choices.all())[0]


# ------------------------------------------------------------ 9. campaign list


def test_it_refuses_the_campaign_list_to_anonymous_callers(cast):
    check_api(api_as(cast, "anonymous").get("/api/v1/campaigns/"), 403, "not_authenticated")


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("org_admin", "acme"),
        ("consultant", "acme"),
        ("manager", "acme"),
        ("other_manager", "acme"),
        ("staff", None),
        ("consultant_without_access", "globex"),
        ("outsider", "globex"),
        ("nobody", None),
    ],
)
def test_it_lists_only_the_campaigns_a_caller_may_open(cast, role, sees):
    reply = api_as(cast, role).get("/api/v1/campaigns/")
    assert reply.status_code == 200
    expected = {
        "acme": {cast.campaign.pk},
        "globex": {cast.globex_campaign.pk},
        None: set(),
    }[sees]
    assert {item["id"] for item in reply.json()} == expected


# ------------------------------------------------------------ 10. campaign detail

DETAIL = api_matrix({"org_admin": 200, "consultant": 200, "manager": 200, "other_manager": 200})
GLOBEX_DETAIL = api_matrix({"outsider": 200, "consultant_without_access": 200}, inside=())


@pytest.mark.parametrize(("role", "expected"), DETAIL)
def test_it_shows_a_campaign_only_to_those_who_may_open_it(cast, role, expected):
    reply = api_as(cast, role).get(f"/api/v1/campaigns/{cast.campaign.pk}/")
    assert reply.status_code == expected
    if expected == 200:
        assert reply.json()["id"] == cast.campaign.pk
    else:
        assert set(reply.json()) == {"error"}


@pytest.mark.parametrize(("role", "expected"), GLOBEX_DETAIL)
def test_it_shows_globex_campaign_only_inside_globex(cast, role, expected):
    reply = api_as(cast, role).get(f"/api/v1/campaigns/{cast.globex_campaign.pk}/")
    assert reply.status_code == expected


@pytest.mark.parametrize(
    ("role", "departments"),
    [
        ("org_admin", ["Customer Success", "Sales"]),
        ("consultant", ["Customer Success", "Sales"]),
        ("manager", ["Sales"]),
        ("other_manager", ["Customer Success"]),
    ],
)
def test_it_shows_a_manager_only_their_own_department(cast, role, departments):
    reply = api_as(cast, role).get(f"/api/v1/campaigns/{cast.campaign.pk}/")
    assert [row["department"] for row in reply.json()["progress"]] == departments


# ------------------------------------------------------------ 11. response detail

RESPONSE = api_matrix({"manager": 200})
GLOBEX_RESPONSE = api_matrix({"globex_manager": 200}, inside=GLOBEX)


@pytest.mark.parametrize(("role", "expected"), RESPONSE)
def test_it_shows_a_response_only_to_its_respondent(cast, role, expected):
    reply = api_as(cast, role).get(f"/api/v1/responses/{cast.response.pk}/")
    assert reply.status_code == expected
    if expected == 200:
        assert reply.json()["id"] == cast.response.pk


@pytest.mark.parametrize(("role", "expected"), GLOBEX_RESPONSE)
def test_it_shows_globex_response_only_to_its_respondent(cast, role, expected):
    reply = api_as(cast, role).get(f"/api/v1/responses/{cast.globex_response.pk}/")
    assert reply.status_code == expected


def test_it_answers_a_forbidden_response_with_the_error_shape(cast):
    reply = api_as(cast, "staff").get(f"/api/v1/responses/{cast.response.pk}/")
    check_api(reply, 403, "permission_denied")


def test_it_answers_another_organisations_response_with_the_error_shape(cast):
    reply = api_as(cast, "outsider").get(f"/api/v1/responses/{cast.response.pk}/")
    check_api(reply, 404, "not_found")


def test_it_hides_globex_objects_from_acme_managers_behind_the_same_404(cast):
    # A Globex object answers exactly like an id that does not exist at all.
    client = api_as(cast, "org_admin")
    missing = client.get("/api/v1/responses/999999/")
    foreign = client.get(f"/api/v1/responses/{cast.globex_response.pk}/")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()


# ------------------------------------------------------------ 12. autosave of an answer

ANSWER = api_matrix({"manager": 200})


@pytest.mark.parametrize(("role", "expected"), ANSWER)
def test_it_saves_an_answer_only_for_the_respondent(cast, role, expected):
    reply = api_as(cast, role).put(answer_url(cast), {"choice": a_choice(cast).pk}, format="json")
    assert reply.status_code == expected
    answers = Answer.objects.filter(response=cast.response)
    if expected == 200:
        assert answers.get().choice == a_choice(cast)
    else:
        assert not answers.exists()


def test_it_refuses_a_session_put_without_csrf_token(cast):
    client = api_as(cast, "manager", enforce_csrf_checks=True)
    reply = client.put(answer_url(cast), {"choice": a_choice(cast).pk}, format="json")
    check_api(reply, 403, "permission_denied")
    assert "CSRF" in reply.json()["error"]["message"]
    assert not Answer.objects.filter(response=cast.response).exists()


def test_it_accepts_a_session_put_with_csrf_token(cast):
    client = api_as(cast, "manager", enforce_csrf_checks=True)
    client.cookies["csrftoken"] = CSRF_TOKEN
    reply = client.put(
        answer_url(cast),
        {"choice": a_choice(cast).pk},
        format="json",
        HTTP_X_CSRFTOKEN=CSRF_TOKEN,
    )
    assert reply.status_code == 200
    assert Answer.objects.filter(response=cast.response).exists()


# ------------------------------------------------------------ 13. submitting

SUBMIT = api_matrix({"manager": 200})


@pytest.mark.parametrize(("role", "expected"), SUBMIT)
def test_it_submits_a_response_only_for_its_respondent(cast, role, expected):
    reply = api_as(cast, role).post(f"/api/v1/responses/{cast.response.pk}/submit/")
    assert reply.status_code == expected
    cast.response.refresh_from_db()
    assert cast.response.status == ("submitted" if expected == 200 else "in_progress")


# ------------------------------------------------------------ 14. reopening

REOPEN = api_matrix({"org_admin": 200, "consultant": 200})


@pytest.mark.parametrize(("role", "expected"), REOPEN)
def test_it_reopens_a_response_only_for_org_admins_and_consultants(cast, role, expected):
    services.submit_response(response=cast.response)
    reply = api_as(cast, role).post(f"/api/v1/responses/{cast.response.pk}/reopen/")
    assert reply.status_code == expected
    cast.response.refresh_from_db()
    assert cast.response.status == ("in_progress" if expected == 200 else "submitted")


# ------------------------------------------------------------ 15. public frameworks


@pytest.mark.parametrize("role", ROLES)
def test_it_lists_the_public_frameworks_for_everyone(cast, role):
    reply = api_as(cast, role).get("/api/v1/frameworks/")
    assert reply.status_code == 200
