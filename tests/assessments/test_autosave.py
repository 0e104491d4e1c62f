"""The autosave endpoint: one answer per (response, question), last write wins, and every
malformed request gets a 4xx with a clear message and changes nothing."""

import pytest
from rest_framework.test import APIClient

from assessments import services
from assessments.models import Answer, Campaign
from maturity.services import create_draft_version, publish_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(cast):
    client = APIClient()
    client.force_login(cast.users.manager)
    return client


def url(response, question) -> str:
    return f"/api/v1/responses/{response.pk}/answers/{question.pk}/"


def choice(question, index=0):
    return list(question.choices.all())[index]


def test_it_saves_an_answer_and_reports_progress(api, cast):
    question = cast.questions["kpi-q0"]
    reply = api.put(url(cast.response, question), {"choice": choice(question).pk}, format="json")
    assert reply.status_code == 200
    body = reply.json()
    assert body["answer"]["choice"] == choice(question).pk
    assert body["progress"] == {"answered": 1, "total": 4}
    assert Answer.objects.get(response=cast.response, question=question).choice == choice(question)


def test_the_last_write_wins_and_there_is_one_row(api, cast):
    question = cast.questions["kpi-q0"]
    for index in (0, 2, 1):
        api.put(url(cast.response, question), {"choice": choice(question, index).pk}, format="json")
    rows = Answer.objects.filter(response=cast.response, question=question)
    assert rows.count() == 1
    assert rows.get().choice == choice(question, 1)


def test_it_saves_comments_and_na_with_a_reason(api, cast):
    question = cast.questions["kpi-q1"]  # allows N/A, applies to sales
    reply = api.put(
        url(cast.response, question),
        {"na": True, "na_reason": "No quota here", "comment": "See the plan"},
        format="json",
    )
    assert reply.status_code == 200
    answer = Answer.objects.get(response=cast.response, question=question)
    assert (answer.is_na, answer.na_reason, answer.comment) == (
        True,
        "No quota here",
        "See the plan",
    )
    assert reply.json()["progress"]["answered"] == 1


def test_a_comment_alone_is_saved_but_not_counted_as_answered(api, cast):
    question = cast.questions["data-q0"]
    reply = api.put(url(cast.response, question), {"comment": "draft note"}, format="json")
    assert reply.status_code == 200
    assert reply.json()["progress"]["answered"] == 0


def test_the_save_is_one_upsert_statement(api, cast, django_assert_max_num_queries):
    question = cast.questions["kpi-q0"]
    # session, user, the response with its access check, the response row locked (and its
    # status read again) under the transaction, the upsert, the answered count; plus the
    # transaction's savepoint and release (a BEGIN and COMMIT outside a test). Answer rules
    # of a published framework are cached per process, so a warm process reads none.
    api.put(url(cast.response, question), {"choice": choice(question).pk}, format="json")
    with django_assert_max_num_queries(8) as captured:
        api.put(url(cast.response, question), {"choice": choice(question).pk}, format="json")
    statements = [q["sql"] for q in captured.captured_queries]
    assert len([s for s in statements if "SAVEPOINT" not in s]) <= 6
    writes = [s for s in statements if s.startswith(("INSERT", "UPDATE", "DELETE"))]
    assert len(writes) == 1
    assert "ON CONFLICT" in writes[0]


def assert_refused(reply, status, code_or_text, cast):
    assert reply.status_code == status, reply.content
    body = reply.json()
    assert set(body) == {"error"}
    assert code_or_text in (body["error"]["code"] + " " + body["error"]["message"])
    assert Answer.objects.filter(response=cast.response).count() == 0


def test_it_refuses_an_unknown_question(api, cast):
    reply = api.put(
        f"/api/v1/responses/{cast.response.pk}/answers/999999/", {"choice": 1}, format="json"
    )
    assert_refused(reply, 400, "unknown_question", cast)


def test_it_refuses_a_choice_of_another_question(api, cast):
    other = choice(cast.questions["data-q0"])
    reply = api.put(
        url(cast.response, cast.questions["kpi-q0"]), {"choice": other.pk}, format="json"
    )
    assert_refused(reply, 400, "unknown_choice", cast)


def test_it_refuses_a_question_of_another_framework(api, cast):
    draft = create_draft_version(framework=cast.framework)
    publish_framework(framework=draft)
    foreign = draft.questions.get(code="kpi-q0")
    reply = api.put(url(cast.response, foreign), {"choice": choice(foreign).pk}, format="json")
    assert_refused(reply, 400, "unknown_question", cast)


def test_it_refuses_a_question_that_does_not_apply_to_the_department(cast):
    client = APIClient()
    client.force_login(cast.users.other_manager)  # Customer Success; kpi-q1 is for sales only
    question = cast.questions["kpi-q1"]
    reply = client.put(
        url(cast.other_response, question), {"choice": choice(question).pk}, format="json"
    )
    assert reply.status_code == 400
    assert reply.json()["error"]["code"] == "question_not_applicable"
    assert not Answer.objects.exists()


def test_it_refuses_writes_to_a_submitted_response(api, cast):
    services.submit_response(response=cast.response)
    question = cast.questions["kpi-q0"]
    reply = api.put(url(cast.response, question), {"choice": choice(question).pk}, format="json")
    assert_refused(reply, 409, "response_submitted", cast)


def test_it_refuses_writes_in_a_closed_campaign(api, cast):
    services.set_campaign_status(campaign=cast.campaign, status=Campaign.Status.CLOSED)
    question = cast.questions["kpi-q0"]
    reply = api.put(url(cast.response, question), {"choice": choice(question).pk}, format="json")
    assert_refused(reply, 409, "campaign_closed", cast)


def test_it_refuses_writes_after_the_closing_date(api, cast):
    import datetime

    from django.utils import timezone

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Campaign.objects.filter(pk=cast.campaign.pk).update(
        opens_on=yesterday - datetime.timedelta(days=5), closes_on=yesterday
    )
    question = cast.questions["kpi-q0"]
    reply = api.put(url(cast.response, question), {"choice": choice(question).pk}, format="json")
    assert_refused(reply, 409, "campaign_closed", cast)


def test_it_refuses_another_users_response(api, cast):
    question = cast.questions["data-q0"]
    reply = api.put(
        url(cast.other_response, question), {"choice": choice(question).pk}, format="json"
    )
    assert reply.status_code == 403
    assert not Answer.objects.exists()


def test_it_refuses_a_response_of_another_organisation(api, cast):
    question = cast.questions["data-q0"]
    reply = api.put(
        url(cast.globex_response, question), {"choice": choice(question).pk}, format="json"
    )
    assert reply.status_code == 404
    assert not Answer.objects.exists()


def test_it_refuses_non_json(api, cast):
    reply = api.generic(
        "PUT",
        url(cast.response, cast.questions["kpi-q0"]),
        "{not json",
        content_type="application/json",
    )
    assert_refused(reply, 400, "parse_error", cast)


def test_it_refuses_form_encoded_bodies(api, cast):
    reply = api.put(
        url(cast.response, cast.questions["kpi-q0"]),
        "choice=1",
        content_type="application/x-www-form-urlencoded",
    )
    assert_refused(reply, 415, "unsupported_media_type", cast)


def test_it_refuses_an_oversized_comment(api, cast):
    question = cast.questions["kpi-q0"]
    reply = api.put(
        url(cast.response, question),
        {"choice": choice(question).pk, "comment": "x" * 2001},
        format="json",
    )
    assert_refused(reply, 400, "comment", cast)
    assert "fields" in reply.json()["error"]


def test_it_refuses_wrong_types(api, cast):
    reply = api.put(
        url(cast.response, cast.questions["kpi-q0"]), {"choice": "first"}, format="json"
    )
    assert_refused(reply, 400, "choice", cast)


def test_it_refuses_na_where_not_allowed(api, cast):
    reply = api.put(
        url(cast.response, cast.questions["kpi-q0"]), {"na": True, "na_reason": "x"}, format="json"
    )
    assert_refused(reply, 400, "na_not_allowed", cast)


def test_it_refuses_na_without_a_reason(api, cast):
    reply = api.put(url(cast.response, cast.questions["kpi-q1"]), {"na": True}, format="json")
    assert_refused(reply, 400, "na_reason_required", cast)


def test_it_refuses_a_choice_and_na_together(api, cast):
    question = cast.questions["kpi-q1"]
    reply = api.put(
        url(cast.response, question),
        {"choice": choice(question).pk, "na": True, "na_reason": "x"},
        format="json",
    )
    assert_refused(reply, 400, "choice_and_na", cast)


def test_a_refused_update_keeps_the_previous_answer(api, cast):
    question = cast.questions["kpi-q0"]
    api.put(url(cast.response, question), {"choice": choice(question, 2).pk}, format="json")
    api.put(
        url(cast.response, question),
        {"choice": choice(question, 0).pk, "comment": "y" * 5000},
        format="json",
    )
    assert Answer.objects.get(response=cast.response, question=question).choice == choice(
        question, 2
    )


def test_the_response_endpoint_returns_saved_answers(api, cast):
    question = cast.questions["kpi-q0"]
    api.put(url(cast.response, question), {"choice": choice(question).pk}, format="json")
    body = api.get(f"/api/v1/responses/{cast.response.pk}/").json()
    assert body["status"] == "in_progress"
    assert [a["question"] for a in body["answers"]] == [question.pk]


def test_submit_and_reopen_through_the_api(api, cast):
    assert api.post(f"/api/v1/responses/{cast.response.pk}/submit/").json()["status"] == "submitted"
    admin = APIClient()
    admin.force_login(cast.users.org_admin)
    assert (
        admin.post(f"/api/v1/responses/{cast.response.pk}/reopen/").json()["status"]
        == "in_progress"
    )
