"""The evidence API: list with filters, create (multipart file, JSON text and link), read,
change (a new version for approved evidence), review, the file; values, errors and scoping."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from improvement.evidence import services
from improvement.models import Evidence
from tests.improvement.evidence_support import (  # noqa: F401
    PDF_BYTES,
    add_text,
    answered_fixture,
    media_fixture,
    pdf,
    stored_files,
    upload,
)
from tests.matrix import api_as, check_api

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def list_url(cast):
    return reverse("api-evidence-list", args=[cast.campaign.pk])


def test_it_lists_the_visible_evidence_with_its_values(answered):
    evidence = add_text(answered, title="Churn review", recertify_on=TODAY)
    services.review_evidence(evidence=evidence, decision="approved", by=answered.users.org_admin)
    reply = api_as(answered, "consultant").get(list_url(answered))
    check_api(reply, 200)
    [row] = reply.json()
    assert row == {
        "id": evidence.pk,
        "campaign": answered.campaign.pk,
        "department": answered.sales.pk,
        "department_name": "Sales",
        "answer": answered.answer.pk,
        "question": answered.answer.question_id,
        "action": None,
        "kind": "text",
        "title": "Churn review",
        "text": "We run a monthly churn review.",
        "url": "",
        "file_name": "",
        "content_type": "",
        "size": 0,
        "download": None,
        "owner": answered.users.manager.pk,
        "owner_name": "mori",
        "created_at": row["created_at"],
        "status": "approved",
        "reviewed_by": answered.users.org_admin.pk,
        "reviewed_by_name": "alice",
        "reviewed_at": row["reviewed_at"],
        "review_comment": "",
        "recertify_on": TODAY.isoformat(),
        "recertification_due": True,
        "version": 1,
        "previous": None,
        "is_current": True,
    }
    assert row["created_at"] and row["reviewed_at"]


def test_it_filters(answered):
    first = add_text(answered, title="Sales answer")
    add_text(answered, answer=answered.other_answer, title="Success answer")
    action = add_text(
        answered, action=answered.action, title="Action proof", by=answered.users.staff
    )
    services.review_evidence(evidence=first, decision="approved", by=answered.users.org_admin)
    client = api_as(answered, "org_admin")

    def titles(**query):
        reply = client.get(list_url(answered), query)
        check_api(reply, 200)
        return sorted(row["title"] for row in reply.json())

    assert titles() == ["Action proof", "Sales answer", "Success answer"]
    assert titles(status="approved") == ["Sales answer"]
    assert titles(status="pending") == ["Action proof", "Success answer"]
    assert titles(department=answered.success.pk) == ["Success answer"]
    assert titles(answer=answered.answer.pk) == ["Sales answer"]
    assert titles(action=answered.action.pk) == ["Action proof"]
    assert titles(recertification_due="true") == []
    assert action.pk


def test_a_bad_filter_is_a_400_in_the_error_shape(answered):
    client = api_as(answered, "org_admin")
    check_api(client.get(list_url(answered), {"status": "bogus"}), 400, "invalid")
    check_api(client.get(list_url(answered), {"answer": "9" * 30}), 400, "invalid")
    check_api(client.get(list_url(answered), {"department": answered.globex_sales.pk}), 400)


def test_the_list_shows_a_manager_only_their_department(answered):
    add_text(answered, title="Sales answer")
    add_text(answered, answer=answered.other_answer, title="Success answer")
    reply = api_as(answered, "other_manager").get(list_url(answered))
    assert [row["title"] for row in reply.json()] == ["Success answer"]


def test_the_list_leaves_out_withheld_answers(answered):
    answered.campaign.anonymity_threshold = 3
    answered.campaign.save()
    add_text(answered, title="Sales answer")
    add_text(answered, action=answered.action, title="Action proof", by=answered.users.staff)
    reply = api_as(answered, "org_admin").get(list_url(answered))
    assert [row["title"] for row in reply.json()] == ["Action proof"]


def test_the_list_s_queries_do_not_grow_with_rows(answered, django_assert_max_num_queries):
    for n in range(3):
        add_text(answered, title=f"a{n}")
        add_text(answered, action=answered.action, title=f"b{n}", by=answered.users.staff)
    client = api_as(answered, "org_admin")
    with django_assert_max_num_queries(12) as few:
        client.get(list_url(answered))
    for n in range(10):
        add_text(answered, answer=answered.other_answer, title=f"c{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        reply = client.get(list_url(answered))
    assert len(reply.json()) == 16


# ------------------------------------------------------------------ create


def test_it_creates_text_evidence_from_json(answered):
    reply = api_as(answered, "manager").post(
        list_url(answered),
        {"answer": answered.answer.pk, "kind": "text", "title": "Notes", "text": "Monthly"},
        format="json",
    )
    check_api(reply, 201)
    body = reply.json()
    evidence = Evidence.objects.get()
    assert (body["id"], body["status"], body["department"], body["answer"]) == (
        evidence.pk,
        "pending",
        answered.sales.pk,
        answered.answer.pk,
    )


def test_it_creates_file_evidence_from_multipart(answered, media):
    reply = api_as(answered, "staff").post(
        list_url(answered),
        {"action": answered.action.pk, "kind": "file", "title": "Deck", "file": pdf("資料.pdf")},
        format="multipart",
    )
    check_api(reply, 201)
    body = reply.json()
    assert (body["kind"], body["file_name"], body["content_type"], body["size"]) == (
        "file",
        "資料.pdf",
        "application/pdf",
        len(PDF_BYTES),
    )
    assert body["download"] == reverse("api-evidence-file", args=[body["id"]])
    download = api_as(answered, "staff").get(body["download"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment")


def test_it_refuses_a_javascript_link(answered):
    reply = api_as(answered, "manager").post(
        list_url(answered),
        {"answer": answered.answer.pk, "kind": "link", "title": "x", "url": "javascript:alert(1)"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    check_api(reply, 400, "bad_link")
    assert reply.json()["error"]["fields"] == {
        "url": ["Enter a web address that starts with http:// or https://."]
    }


def test_it_refuses_html_named_pdf(answered, media):
    reply = api_as(answered, "manager").post(
        list_url(answered),
        {
            "answer": answered.answer.pk,
            "kind": "file",
            "title": "x",
            "file": upload("x.pdf", b"<html><script></script></html>", "application/pdf"),
        },
        format="multipart",
    )
    check_api(reply, 400, "file_content")
    assert list(reply.json()["error"]["fields"]) == ["file"]
    assert stored_files(media) == []


def test_it_refuses_a_file_over_the_limit(answered, media, settings):
    settings.EVIDENCE_MAX_BYTES = 5
    reply = api_as(answered, "manager").post(
        list_url(answered),
        {"answer": answered.answer.pk, "kind": "file", "title": "x", "file": pdf()},
        format="multipart",
    )
    check_api(reply, 400, "file_too_large")
    assert stored_files(media) == []


@pytest.mark.parametrize("target", ["both", "neither"])
def test_it_refuses_both_or_neither_target(answered, target):
    body = {"kind": "text", "title": "x", "text": "y"}
    if target == "both":
        body.update(answer=answered.answer.pk, action=answered.action.pk)
    reply = api_as(answered, "org_admin").post(list_url(answered), body, format="json")
    check_api(reply, 400, "target_required")
    assert not Evidence.objects.exists()


def test_an_answer_of_another_campaign_is_refused_as_elsewhere(answered):
    from assessments.models import Answer
    from tests.assessments.conftest import answer_all

    answer_all(answered.globex_response, answered.questions, 0)
    foreign = Answer.objects.filter(response=answered.globex_response).first()
    reply = api_as(answered, "org_admin").post(
        list_url(answered),
        {"answer": foreign.pk, "kind": "text", "title": "x", "text": "y"},
        format="json",
    )
    check_api(reply, 400, "answer_elsewhere")


def test_a_withheld_answer_is_refused_as_elsewhere(answered):
    answered.campaign.anonymity_threshold = 3
    answered.campaign.save()
    reply = api_as(answered, "consultant").post(
        list_url(answered),
        {"answer": answered.answer.pk, "kind": "text", "title": "x", "text": "y"},
        format="json",
    )
    check_api(reply, 400, "answer_elsewhere")


def test_someone_who_may_not_add_gets_a_403(answered):
    reply = api_as(answered, "other_manager").post(
        list_url(answered),
        {"action": answered.action.pk, "kind": "text", "title": "x", "text": "y"},
        format="json",
    )
    check_api(reply, 403, "forbidden")
    assert not Evidence.objects.exists()


def test_another_organisation_s_campaign_is_a_404(answered):
    reply = api_as(answered, "outsider").post(
        list_url(answered),
        {"answer": answered.answer.pk, "kind": "text", "title": "x", "text": "y"},
        format="json",
    )
    check_api(reply, 404)


# ------------------------------------------------------------------ read, change, review


def test_patching_approved_evidence_answers_with_the_new_version(answered):
    evidence = add_text(answered)
    services.review_evidence(evidence=evidence, decision="approved", by=answered.users.org_admin)
    client = api_as(answered, "manager")
    reply = client.patch(
        reverse("api-evidence", args=[evidence.pk]), {"text": "Weekly now"}, format="json"
    )
    check_api(reply, 200)
    body = reply.json()
    assert body["id"] != evidence.pk
    assert (body["version"], body["previous"], body["status"], body["text"]) == (
        2,
        evidence.pk,
        "pending",
        "Weekly now",
    )
    old = client.get(reverse("api-evidence", args=[evidence.pk])).json()
    assert (old["status"], old["is_current"], old["text"]) == (
        "approved",
        False,
        "We run a monthly churn review.",
    )
    again = client.patch(reverse("api-evidence", args=[evidence.pk]), {"text": "x"}, format="json")
    check_api(again, 409, "not_current")


def test_patching_pending_evidence_keeps_its_id(answered):
    evidence = add_text(answered)
    reply = api_as(answered, "manager").patch(
        reverse("api-evidence", args=[evidence.pk]), {"title": "Better"}, format="json"
    )
    check_api(reply, 200)
    assert (reply.json()["id"], reply.json()["title"]) == (evidence.pk, "Better")


def test_patching_a_date_in_the_past_is_refused(answered):
    evidence = add_text(answered)
    reply = api_as(answered, "manager").patch(
        reverse("api-evidence", args=[evidence.pk]),
        {"recertify_on": (TODAY - datetime.timedelta(days=2)).isoformat()},
        format="json",
    )
    check_api(reply, 400, "date_in_past")


def test_the_review_endpoint_approves_and_rejects(answered):
    first = add_text(answered, title="one")
    second = add_text(answered, title="two")
    client = api_as(answered, "consultant")
    reply = client.post(
        reverse("api-evidence-review", args=[first.pk]), {"decision": "approved"}, format="json"
    )
    check_api(reply, 200)
    assert (reply.json()["status"], reply.json()["reviewed_by"]) == (
        "approved",
        answered.users.consultant.pk,
    )
    check_api(
        client.post(
            reverse("api-evidence-review", args=[first.pk]), {"decision": "approved"}, format="json"
        ),
        409,
        "not_pending",
    )
    check_api(
        client.post(
            reverse("api-evidence-review", args=[second.pk]),
            {"decision": "rejected"},
            format="json",
        ),
        400,
        "comment_required",
    )
    reply = client.post(
        reverse("api-evidence-review", args=[second.pk]),
        {"decision": "rejected", "comment": "Add numbers"},
        format="json",
    )
    assert (reply.json()["status"], reply.json()["review_comment"]) == ("rejected", "Add numbers")
    check_api(
        client.post(
            reverse("api-evidence-review", args=[second.pk]), {"decision": "maybe"}, format="json"
        ),
        400,
        "invalid",
    )


def test_a_manager_may_not_review(answered):
    evidence = add_text(answered)
    reply = api_as(answered, "manager").post(
        reverse("api-evidence-review", args=[evidence.pk]), {"decision": "approved"}, format="json"
    )
    check_api(reply, 403)
    evidence.refresh_from_db()
    assert evidence.status == "pending"


def test_the_file_of_text_evidence_is_a_404(answered):
    evidence = add_text(answered)
    check_api(
        api_as(answered, "org_admin").get(reverse("api-evidence-file", args=[evidence.pk])), 404
    )


def test_an_empty_multipart_id_is_no_id(answered):
    reply = api_as(answered, "manager").post(
        list_url(answered),
        {"answer": answered.answer.pk, "action": "", "kind": "text", "title": "x", "text": "y"},
        format="multipart",
    )
    check_api(reply, 201)
    assert reply.json()["action"] is None


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "link", "title": "x", "url": "https://example.com/\x00"},
        {"kind": "text", "title": "x\x00", "text": "y"},
        {"kind": "text", "title": "x", "text": "y", "recertify_on": "9999-12-31"},
        {"kind": "file", "title": "x", "file": "not a file"},
        {"kind": "movie", "title": "x"},
    ],
)
def test_odd_input_is_a_clear_error_or_accepted_never_a_500(answered, body):
    reply = api_as(answered, "manager").post(
        list_url(answered), {"answer": answered.answer.pk, **body}, format="json"
    )
    assert reply.status_code in (201, 400), reply.content[:300]
    if reply.status_code == 400:
        check_api(reply, 400)
