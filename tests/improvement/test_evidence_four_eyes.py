"""Four eyes on evidence: nobody approves evidence they added themselves (an org admin's or a
consultant's own evidence waits for the other reviewer); they may still reject, that is
withdraw, it. The service, the page and the API say so, in Japanese and English."""

import pytest
from django.urls import reverse

from improvement.evidence import services
from improvement.evidence.validation import EvidenceError
from tests.improvement.evidence_support import (  # noqa: F401
    add_text,
    answered_fixture,
    media_fixture,
)
from tests.matrix import api_as, check_api

pytestmark = pytest.mark.django_db

OWN_JA = (
    "このエビデンスはあなたが追加したものなので、承認は別の人"
    "（ほかの組織管理者かコンサルタント）が行います。"
)


@pytest.fixture
def own(answered):
    """Evidence the org admin added to an action of Sales."""
    return add_text(answered, action=answered.action, by=answered.users.org_admin)


def test_the_reviewer_who_added_it_may_not_approve_it(answered, own):
    with pytest.raises(EvidenceError) as caught:
        services.review_evidence(evidence=own, decision="approved", by=answered.users.org_admin)
    assert (caught.value.code, caught.value.status, caught.value.field) == (
        "own_evidence",
        403,
        "decision",
    )
    assert caught.value.message == OWN_JA
    own.refresh_from_db()
    assert (own.status, own.reviewed_by) == ("pending", None)


def test_another_reviewer_approves_it(answered, own):
    reviewed = services.review_evidence(
        evidence=own, decision="approved", by=answered.users.consultant
    )
    reviewed.refresh_from_db()
    assert (reviewed.status, reviewed.reviewed_by) == ("approved", answered.users.consultant)


def test_the_one_who_added_it_may_withdraw_it(answered, own):
    services.review_evidence(
        evidence=own, decision="rejected", comment="Wrong file", by=answered.users.org_admin
    )
    own.refresh_from_db()
    assert (own.status, own.review_comment) == ("rejected", "Wrong file")


def test_a_new_version_is_approved_by_someone_other_than_its_author(answered, own):
    """The consultant approves the admin's evidence, then changes it: the new version is the
    consultant's, so the admin approves it and the consultant may not."""
    services.review_evidence(evidence=own, decision="approved", by=answered.users.consultant)
    own.refresh_from_db()
    version_2 = services.revise_evidence(
        evidence=own, by=answered.users.consultant, text="With the March figures."
    )
    assert version_2.version == 2 and version_2.owner == answered.users.consultant
    with pytest.raises(EvidenceError) as caught:
        services.review_evidence(
            evidence=version_2, decision="approved", by=answered.users.consultant
        )
    assert caught.value.code == "own_evidence"
    services.review_evidence(evidence=version_2, decision="approved", by=answered.users.org_admin)
    version_2.refresh_from_db()
    assert version_2.status == "approved"


def test_the_page_leaves_the_review_to_another_reviewer(client, answered, own):
    client.force_login(answered.users.org_admin)
    url = reverse("improvement:evidence-detail", args=[own.pk])
    html = client.get(url).content.decode()
    assert f'<p class="notice">{OWN_JA}</p>' in html
    assert reverse("improvement:evidence-review", args=[own.pk]) not in html  # no review form
    # the consultant, who did not add it, gets the form and no such note
    client.force_login(answered.users.consultant)
    html = client.get(url).content.decode()
    assert reverse("improvement:evidence-review", args=[own.pk]) in html
    assert OWN_JA not in html


def test_a_forced_approval_from_the_page_is_refused_with_the_reason(client, answered, own):
    client.force_login(answered.users.org_admin)
    reply = client.post(
        reverse("improvement:evidence-review", args=[own.pk]),
        {"decision": "approved", "comment": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert reply.status_code == 200
    assert (
        "You added this evidence, so someone else approves it: another organisation admin "
        "or the consultant."
    ) in reply.content.decode()
    own.refresh_from_db()
    assert own.status == "pending"


def test_the_api_refuses_approving_ones_own_evidence(answered, own):
    client = api_as(answered, "org_admin")
    url = reverse("api-evidence-review", args=[own.pk])
    reply = client.post(url, {"decision": "approved"}, format="json")
    check_api(reply, 403, "own_evidence")
    assert reply.json()["error"]["message"] == OWN_JA
    own.refresh_from_db()
    assert own.status == "pending"
    reply = api_as(answered, "consultant").post(url, {"decision": "approved"}, format="json")
    check_api(reply, 200)
    assert reply.json()["status"] == "approved"
