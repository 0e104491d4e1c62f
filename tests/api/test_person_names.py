"""People by name in the REST API, as the pages write them (``person()``: family name first).

Every reply that names a person carries the name next to the id (``respondent_name``,
``taken_by_name``, ``reviewed_by_name``, ``owner_name``, ``by_name``); the login name is left
only where an org admin may need it to find the account (``respondent`` of the campaign's
progress, ``taken_by`` of a milestone) and is null for consultants and managers."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from drf_spectacular.generators import SchemaGenerator

from improvement.milestones.services import take_milestone
from improvement.models import Action, Milestone
from tests.assessments.conftest import answer_all
from tests.improvement.evidence_support import add_text, answered_fixture  # noqa: F401
from tests.matrix import api_as, check_api

pytestmark = pytest.mark.django_db

NAMES = {  # role: (login, family name, given name)
    "org_admin": ("alice", "青木", "愛"),
    "manager": ("mori", "森", "健"),
    "other_manager": ("okada", "岡田", "誠"),
    "staff": ("sasaki", "佐々木", "葵"),
    "consultant": ("conny", "近藤", "花子"),
}
LOGINS = {login for login, _family, _given in NAMES.values()}


@pytest.fixture
def named(answered):
    """The answered cast (both managers submitted, threshold 1), everyone with a name."""
    for role, (login, family, given) in NAMES.items():
        user = getattr(answered.users, role)
        assert user.username == login
        user.last_name, user.first_name = family, given
        user.save()
    return answered


def strings(value) -> set[str]:
    """Every string value anywhere in a JSON document."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*map(strings, value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*map(strings, value)) if value else set()
    return set()


def progress(cast, role) -> dict:
    reply = api_as(cast, role).get(reverse("api-campaign", args=[cast.campaign.pk]))
    check_api(reply, 200)
    return {
        row["department"]: [(r["respondent"], r["respondent_name"]) for r in row["respondents"]]
        for row in reply.json()["progress"]
    }


# ------------------------------------------------------------------ campaign progress


def test_an_org_admin_sees_respondents_by_name_and_login(named):
    assert progress(named, "org_admin") == {
        "Customer Success": [("okada", "岡田 誠")],
        "Sales": [("mori", "森 健")],
    }


@pytest.mark.parametrize("role", ["consultant", "manager"])
def test_others_see_respondents_by_name_only(named, role):
    reply = api_as(named, role).get(reverse("api-campaign", args=[named.campaign.pk]))
    check_api(reply, 200)
    rows = [r for row in reply.json()["progress"] for r in row["respondents"]]
    assert {r["respondent_name"] for r in rows} == (
        {"森 健", "岡田 誠"} if role == "consultant" else {"森 健"}
    )
    assert {r["respondent"] for r in rows} == {None}
    assert not strings(reply.json()) & LOGINS


def test_a_respondent_without_a_name_is_named_by_login(answered):
    assert progress(answered, "consultant")["Sales"] == [(None, "mori")]


# ------------------------------------------------------------------ responses


def test_the_respondent_s_own_response_names_them(named):
    reply = api_as(named, "manager").get(reverse("api-response", args=[named.response.pk]))
    check_api(reply, 200)
    assert reply.json()["respondent_name"] == "森 健"
    assert not strings(reply.json()) & LOGINS


def test_submit_and_reopen_answer_with_the_respondent_s_name(named):
    named.response.status = "in_progress"
    named.response.submitted_at = None
    named.response.save()
    answer_all(named.response, named.questions, 1, submit=False)
    submitted = api_as(named, "manager").post(
        reverse("api-response-submit", args=[named.response.pk])
    )
    check_api(submitted, 200)
    assert (submitted.json()["status"], submitted.json()["respondent_name"]) == (
        "submitted",
        "森 健",
    )
    reopened = api_as(named, "org_admin").post(
        reverse("api-response-reopen", args=[named.response.pk])
    )
    check_api(reopened, 200)
    assert (reopened.json()["status"], reopened.json()["respondent_name"]) == (
        "in_progress",
        "森 健",
    )


# ------------------------------------------------------------------ milestones


def test_a_milestone_names_its_author(named):
    client = api_as(named, "consultant")
    url = reverse("api-milestones", args=[named.campaign.pk])
    taken = client.post(url, {"name": "Q3", "taken_on": str(timezone.localdate())}, format="json")
    check_api(taken, 201)
    assert (taken.json()["taken_by"], taken.json()["taken_by_name"]) == (None, "近藤 花子")
    [listed] = client.get(url).json()
    assert (listed["taken_by"], listed["taken_by_name"]) == (None, "近藤 花子")
    detail = api_as(named, "manager").get(reverse("api-milestone", args=[listed["id"]]))
    assert (detail.json()["taken_by"], detail.json()["taken_by_name"]) == (None, "近藤 花子")
    assert not strings(detail.json()) & LOGINS


def test_an_org_admin_also_gets_the_author_s_login(named):
    milestone = take_milestone(
        campaign=named.campaign, name="Q3", taken_on=timezone.localdate(), by=named.users.consultant
    )
    admin = api_as(named, "org_admin")
    [listed] = admin.get(reverse("api-milestones", args=[named.campaign.pk])).json()
    detail = admin.get(reverse("api-milestone", args=[milestone.pk])).json()
    assert (listed["taken_by"], listed["taken_by_name"]) == ("conny", "近藤 花子")
    assert (detail["taken_by"], detail["taken_by_name"]) == ("conny", "近藤 花子")


def test_a_milestone_whose_author_is_gone_names_nobody(named):
    milestone = take_milestone(
        campaign=named.campaign, name="Q3", taken_on=timezone.localdate(), by=named.users.consultant
    )
    Milestone.objects.filter(pk=milestone.pk).update(created_by=None)
    detail = api_as(named, "org_admin").get(reverse("api-milestone", args=[milestone.pk])).json()
    assert (detail["taken_by"], detail["taken_by_name"]) == (None, "")


# ------------------------------------------------------------------ evidence


def test_evidence_names_its_owner_and_reviewer(named):
    evidence = add_text(named, title="Churn review")
    url = reverse("api-evidence", args=[evidence.pk])
    before = api_as(named, "manager").get(url).json()
    assert (before["owner_name"], before["reviewed_by"], before["reviewed_by_name"]) == (
        "森 健",
        None,
        "",
    )
    reviewed = api_as(named, "org_admin").post(
        reverse("api-evidence-review", args=[evidence.pk]), {"decision": "approved"}, format="json"
    )
    check_api(reviewed, 200)
    assert reviewed.json()["reviewed_by_name"] == "青木 愛"
    after = api_as(named, "manager").get(url).json()
    admin = named.users.org_admin.pk
    assert (after["reviewed_by"], after["reviewed_by_name"]) == (admin, "青木 愛")
    [row] = (
        api_as(named, "consultant")
        .get(reverse("api-evidence-list", args=[named.campaign.pk]))
        .json()
    )
    assert (row["owner_name"], row["reviewed_by_name"]) == ("森 健", "青木 愛")
    assert not strings(row) & LOGINS


# ------------------------------------------------------------------ actions and roadmap


def test_actions_their_history_and_the_roadmap_name_people(named):
    client = api_as(named, "consultant")
    changed = client.patch(
        reverse("api-action", args=[named.action.pk]), {"status": "in_progress"}, format="json"
    )
    check_api(changed, 200)
    actions = client.get(reverse("api-actions", args=[named.campaign.pk])).json()
    history = client.get(reverse("api-action-history", args=[named.action.pk])).json()
    roadmap = client.get(reverse("api-roadmap", args=[named.campaign.pk])).json()
    owners = {a["title"]: a["owner_name"] for a in actions}
    assert owners["Churn dashboard"] == "佐々木 葵"
    assert [e["by_name"] for e in history][-1] == "近藤 花子"
    assert Action.objects.get(pk=named.action.pk).status == "in_progress"
    assert "佐々木 葵" in strings(roadmap)
    assert not (strings(actions) | strings(history) | strings(roadmap)) & LOGINS


# ------------------------------------------------------------------ schema


@pytest.fixture(scope="module")
def components() -> dict:
    with translation.override("en"):
        return SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]


@pytest.mark.parametrize(
    "component, field",
    [
        ("ResponseOutput", "respondent_name"),
        ("RespondentProgressOutput", "respondent_name"),
        ("MilestoneOutput", "taken_by_name"),
        ("MilestoneDetailOutput", "taken_by_name"),
        ("EvidenceOutput", "reviewed_by_name"),
        ("EvidenceOutput", "owner_name"),
    ],
)
def test_the_schema_documents_the_name_fields(components, component, field):
    described = components[component]["properties"][field]
    assert described["type"] == "string" and "nullable" not in described
    assert field in components[component]["required"]


@pytest.mark.parametrize(
    "component, field",
    [("RespondentProgressOutput", "respondent"), ("MilestoneOutput", "taken_by")],
)
def test_the_schema_says_the_login_may_be_null(components, component, field):
    assert components[component]["properties"][field]["nullable"] is True
