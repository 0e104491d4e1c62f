"""The role × view matrix of every evidence page and endpoint.

The evidence: text on the Sales manager's (mori's) answer, and text on a Sales action owned by
the Sales staff member (sasaki). Threshold 1: every department shown (the anonymity rule's
effect on evidence is in test_evidence.py). Outside the organisation everything is a 404;
inside it, an evidence the viewer may not see is a 404 too (an answer's evidence may itself
be withheld), and an action the viewer may not act on a 403. Refused writes change nothing.
"""

import pytest
from django.urls import reverse

from improvement.evidence import services
from improvement.models import Evidence
from tests.improvement.evidence_support import add_text, answered_fixture, pdf  # noqa: F401
from tests.matrix import api_as, api_matrix, as_role, check, check_api, matrix, succeeded

pytestmark = pytest.mark.django_db

MANAGE = {"org_admin": 200, "consultant": 200}
ANSWER_SEEN = {**MANAGE, "manager": 200}
ACTION_SEEN = {**ANSWER_SEEN, "staff": 200}
HIDDEN = ()  # inside the organisation, unseen evidence is a 404 like outside it


@pytest.fixture
def evidence(answered):
    answered.answer_evidence = add_text(answered, title="Answer proof")
    answered.action_evidence = add_text(
        answered, action=answered.action, title="Action proof", by=answered.users.staff
    )
    return answered


def snapshot():
    return sorted(
        Evidence.objects.values_list("pk", "title", "text", "status", "version", "is_current")
    )


# ------------------------------------------------------------------ web


@pytest.mark.parametrize(("role", "expected"), matrix(ANSWER_SEEN))
def test_adding_evidence_to_an_answer(client, answered, role, expected):
    url = reverse(
        "improvement:answer-evidence-create",
        args=[answered.response.pk, answered.answer.question_id],
    )
    check(as_role(client, answered, role).get(url), expected)
    reply = client.post(url, {"kind": "text", "title": "New", "text": "Body"})
    check(reply, 302 if succeeded(expected) else expected)
    assert Evidence.objects.filter(title="New").exists() == succeeded(expected)


@pytest.mark.parametrize(("role", "expected"), matrix(ACTION_SEEN))
def test_adding_evidence_to_an_action(client, answered, role, expected):
    url = reverse("improvement:action-evidence-create", args=[answered.action.pk])
    check(as_role(client, answered, role).get(url), expected)
    reply = client.post(url, {"kind": "text", "title": "New", "text": "Body"})
    check(reply, 302 if succeeded(expected) else expected)
    assert Evidence.objects.filter(title="New").exists() == succeeded(expected)


@pytest.mark.parametrize(("role", "expected"), matrix(MANAGE))
def test_the_review_queue(client, evidence, role, expected):
    reply = as_role(client, evidence, role).get(
        reverse("improvement:evidence", args=[evidence.campaign.pk])
    )
    check(reply, expected)
    if expected == 200:
        assert {e.title for e in reply.context["rows"]} == {"Answer proof", "Action proof"}


@pytest.mark.parametrize(("role", "expected"), matrix(ANSWER_SEEN, inside=HIDDEN))
def test_answer_evidence_detail(client, evidence, role, expected):
    url = reverse("improvement:evidence-detail", args=[evidence.answer_evidence.pk])
    reply = as_role(client, evidence, role).get(url)
    check(reply, expected)
    if expected == 200:
        assert reply.context["evidence"].title == "Answer proof"
        assert (reply.context["review_form"] is not None) == (role in MANAGE)


@pytest.mark.parametrize(("role", "expected"), matrix(ACTION_SEEN, inside=HIDDEN))
def test_action_evidence_detail(client, evidence, role, expected):
    url = reverse("improvement:evidence-detail", args=[evidence.action_evidence.pk])
    reply = as_role(client, evidence, role).get(url)
    check(reply, expected)
    if expected == 200:
        assert reply.context["evidence"].title == "Action proof"
        assert reply.context["revise_form"] is not None


@pytest.mark.parametrize(("role", "expected"), matrix({**MANAGE, "manager": 302}, inside=HIDDEN))
def test_changing_answer_evidence(client, evidence, role, expected):
    before = snapshot()
    url = reverse("improvement:evidence-detail", args=[evidence.answer_evidence.pk])
    reply = as_role(client, evidence, role).post(
        url, {"kind": "text", "title": "Answer proof", "text": "Changed"}
    )
    check(reply, 302 if expected in (200, 302) else expected)
    changed = Evidence.objects.get(pk=evidence.answer_evidence.pk).text == "Changed"
    assert changed == (expected in (200, 302))
    if not changed:
        assert snapshot() == before


@pytest.mark.parametrize(
    ("role", "expected"),
    matrix({"org_admin": 302, "consultant": 302, "manager": 403}, inside=HIDDEN),
)
def test_reviewing_evidence(client, evidence, role, expected):
    before = snapshot()
    url = reverse("improvement:evidence-review", args=[evidence.answer_evidence.pk])
    as_role(client, evidence, role)
    reply = client.post(url, {"decision": "approved", "comment": ""})
    check(reply, expected)
    status = Evidence.objects.get(pk=evidence.answer_evidence.pk).status
    assert status == ("approved" if expected == 302 else "pending")
    if expected != 302:
        assert snapshot() == before
    if role != "anonymous":
        check(client.get(url), 405)  # no GET writes


@pytest.mark.parametrize(("role", "expected"), matrix(ANSWER_SEEN, inside=HIDDEN))
def test_downloading_a_file(client, evidence, settings, tmp_path, role, expected):
    settings.MEDIA_ROOT = str(tmp_path)
    with_file = services.add_evidence(
        campaign=evidence.campaign,
        department=evidence.sales,
        answer=evidence.answer,
        kind="file",
        title="Minutes",
        file=pdf(),
        by=evidence.users.manager,
    )
    reply = as_role(client, evidence, role).get(
        reverse("improvement:evidence-file", args=[with_file.pk])
    )
    check(reply, expected)


# ------------------------------------------------------------------ API


@pytest.mark.parametrize(
    ("role", "expected"),
    api_matrix({**ACTION_SEEN, "other_manager": 200}),
)
def test_api_list(evidence, role, expected):
    reply = api_as(evidence, role).get(reverse("api-evidence-list", args=[evidence.campaign.pk]))
    check_api(reply, expected)
    if expected == 200:
        seen = {
            "org_admin": {"Answer proof", "Action proof"},
            "consultant": {"Answer proof", "Action proof"},
            "manager": {"Answer proof", "Action proof"},
            "staff": {"Action proof"},
            "other_manager": set(),
        }[role]
        assert {row["title"] for row in reply.json()} == seen


@pytest.mark.parametrize(
    ("role", "expected"), api_matrix({"org_admin": 201, "consultant": 201, "manager": 201})
)
def test_api_create(answered, role, expected):
    reply = api_as(answered, role).post(
        reverse("api-evidence-list", args=[answered.campaign.pk]),
        {"answer": answered.answer.pk, "kind": "text", "title": "New", "text": "Body"},
        format="json",
    )
    check_api(reply, expected)
    assert Evidence.objects.filter(title="New").exists() == (expected == 201)


@pytest.mark.parametrize(("role", "expected"), api_matrix(ANSWER_SEEN, inside=HIDDEN))
def test_api_detail(evidence, role, expected):
    reply = api_as(evidence, role).get(reverse("api-evidence", args=[evidence.answer_evidence.pk]))
    check_api(reply, expected)
    if expected == 200:
        assert reply.json()["title"] == "Answer proof"


@pytest.mark.parametrize(("role", "expected"), api_matrix(ANSWER_SEEN, inside=HIDDEN))
def test_api_change(evidence, role, expected):
    before = snapshot()
    reply = api_as(evidence, role).patch(
        reverse("api-evidence", args=[evidence.answer_evidence.pk]),
        {"text": "Changed"},
        format="json",
    )
    check_api(reply, expected)
    if expected == 200:
        assert reply.json()["text"] == "Changed"
    else:
        assert snapshot() == before


@pytest.mark.parametrize(
    ("role", "expected"), api_matrix({**MANAGE, "manager": 403}, inside=HIDDEN)
)
def test_api_review(evidence, role, expected):
    before = snapshot()
    reply = api_as(evidence, role).post(
        reverse("api-evidence-review", args=[evidence.action_evidence.pk]),
        {"decision": "approved"},
        format="json",
    )
    if role == "staff":
        expected = 403  # staff see their action's evidence, but do not review it
    check_api(reply, expected)
    if expected == 200:
        assert reply.json()["status"] == "approved"
    else:
        assert snapshot() == before


@pytest.mark.parametrize(("role", "expected"), api_matrix(ANSWER_SEEN, inside=HIDDEN))
def test_api_file(evidence, settings, tmp_path, role, expected):
    settings.MEDIA_ROOT = str(tmp_path)
    with_file = services.add_evidence(
        campaign=evidence.campaign,
        department=evidence.sales,
        answer=evidence.answer,
        kind="file",
        title="Minutes",
        file=pdf(),
        by=evidence.users.manager,
    )
    reply = api_as(evidence, role).get(reverse("api-evidence-file", args=[with_file.pk]))
    if expected == 200:
        assert reply.status_code == 200 and reply["Content-Type"] == "application/pdf"
    else:
        check_api(reply, expected)
