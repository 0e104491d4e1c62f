"""The autosave body is required: a PUT that carries nothing to save is refused instead of
erasing the saved answer, removing an answer is its own request (DELETE), and text that
XML cannot hold is refused where it is typed (API and the form without JavaScript)."""

import pytest
from rest_framework.test import APIClient

from assessments import services
from assessments.models import Answer
from assessments.services import AnswerInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(cast):
    client = APIClient()
    client.force_login(cast.users.manager)
    return client


def url(cast, code="kpi-q0") -> str:
    return f"/api/v1/responses/{cast.response.pk}/answers/{cast.questions[code].pk}/"


def first_choice(cast, code="kpi-q0"):
    return cast.questions[code].choices.first()


def saved(cast, code="kpi-q0") -> Answer:
    return Answer.objects.get(response=cast.response, question=cast.questions[code])


def save_choice(cast, code="kpi-q0", comment=""):
    services.save_answers(
        response=cast.response,
        items=[AnswerInput(cast.questions[code].pk, first_choice(cast, code).pk, comment=comment)],
    )


def assert_error(reply, status, code, *, field=None):
    assert reply.status_code == status, reply.content
    body = reply.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    if field:
        assert body["error"]["fields"][field] == [body["error"]["message"]]
    return body["error"]["message"]


# ---------------------------------------------------------------- PUT needs something


@pytest.mark.parametrize("body", ["", "{}", '{"choice": null}', '{"na": false, "comment": "  "}'])
def test_a_put_with_nothing_to_save_is_refused_and_keeps_the_answer(api, cast, body):
    save_choice(cast, comment="keep me")
    reply = api.generic("PUT", url(cast), body, content_type="application/json")
    assert_error(reply, 400, "answer_required", field="choice")
    answer = saved(cast)
    assert (answer.choice, answer.comment) == (first_choice(cast), "keep me")


def test_the_refusal_is_in_japanese_and_english(api, cast):
    ja = assert_error(api.put(url(cast), {}, format="json"), 400, "answer_required")
    en = assert_error(
        api.put(url(cast), {}, format="json", HTTP_ACCEPT_LANGUAGE="en"), 400, "answer_required"
    )
    assert "保存する内容がありません" in ja
    assert en.startswith("Nothing to save: choose an answer, mark N/A or write a comment.")


def test_a_comment_alone_is_still_a_note_to_save(api, cast):
    reply = api.put(url(cast, "data-q0"), {"comment": "draft note"}, format="json")
    assert reply.status_code == 200
    assert saved(cast, "data-q0").comment == "draft note"


# ---------------------------------------------------------------- DELETE clears


def test_delete_removes_the_saved_answer_and_reports_progress(api, cast):
    save_choice(cast)
    reply = api.delete(url(cast))
    assert reply.status_code == 200
    assert reply.json() == {"progress": {"answered": 0, "total": 4}}
    assert not Answer.objects.filter(response=cast.response).exists()


def test_delete_of_an_answer_that_is_not_there_is_no_error(api, cast):
    assert api.delete(url(cast)).status_code == 200


def test_delete_is_refused_once_submitted_and_keeps_the_answer(api, cast):
    save_choice(cast)
    services.submit_response(response=cast.response)
    assert_error(api.delete(url(cast)), 409, "response_submitted")
    assert saved(cast).choice == first_choice(cast)


def test_delete_refuses_a_question_of_no_campaign(api, cast):
    reply = api.delete(f"/api/v1/responses/{cast.response.pk}/answers/999999/")
    assert_error(reply, 400, "unknown_question")


def test_delete_checks_ownership(cast):
    save_choice(cast)
    other = APIClient()
    other.force_login(cast.users.other_manager)  # same organisation: 403
    assert other.delete(url(cast)).status_code == 403
    outsider = APIClient()
    outsider.force_login(cast.users.outsider)  # another organisation: 404
    assert outsider.delete(url(cast)).status_code == 404
    assert saved(cast).choice == first_choice(cast)


# ---------------------------------------------------------------- the form without JavaScript


def page(cast, code="kpi") -> str:
    return f"/responses/{cast.response.pk}/d/{code}/"


def test_the_plain_form_removes_an_emptied_note(client, cast):
    question = cast.questions["kpi-q0"]
    services.save_answers(response=cast.response, items=[AnswerInput(question.pk, comment="x")])
    client.force_login(cast.users.manager)
    reply = client.post(page(cast), {f"q{question.pk}-comment": "", "action": "stay"})
    assert reply.status_code == 302
    assert not Answer.objects.filter(response=cast.response).exists()


def test_the_plain_form_never_removes_a_chosen_answer(client, cast):
    save_choice(cast)
    client.force_login(cast.users.manager)
    # Nothing posted for the question (as from a page rendered before the answer was saved
    # elsewhere): a radio button cannot be unchecked, so this is no request to remove it.
    reply = client.post(page(cast), {"action": "stay"})
    assert reply.status_code == 302
    assert saved(cast).choice == first_choice(cast)


def test_the_plain_form_of_a_submitted_response_still_navigates(client, cast):
    question = cast.questions["kpi-q0"]
    services.save_answers(response=cast.response, items=[AnswerInput(question.pk, comment="x")])
    services.submit_response(response=cast.response)
    client.force_login(cast.users.manager)
    reply = client.post(page(cast), {"action": "next"})  # disabled fields post nothing
    assert reply.status_code == 302
    assert saved(cast).comment == "x"


# ---------------------------------------------------------------- text XML cannot hold


@pytest.mark.parametrize("character", ["\u000b", "\u0000", "\u0008", "\u001f", "\ufffe"])
def test_the_api_refuses_a_comment_with_a_control_character(api, cast, character):
    reply = api.put(
        url(cast),
        {"choice": first_choice(cast).pk, "comment": f"see{character}plan"},
        format="json",
    )
    assert reply.status_code == 400
    assert reply.json()["error"]["fields"].keys() == {"comment"}
    assert not Answer.objects.exists()


def test_the_api_refuses_an_na_reason_with_a_control_character(api, cast):
    reply = api.put(url(cast, "kpi-q1"), {"na": True, "na_reason": "no\u000bquota"}, format="json")
    assert_error(reply, 400, "na_reason_unstorable", field="na_reason")
    assert not Answer.objects.exists()


def test_the_control_character_refusal_is_in_japanese_and_english(api, cast):
    body = {"choice": first_choice(cast).pk, "comment": "a\u000bb"}
    ja = assert_error(api.put(url(cast), body, format="json"), 400, "comment_unstorable")
    en = assert_error(
        api.put(url(cast), body, format="json", HTTP_ACCEPT_LANGUAGE="en"),
        400,
        "comment_unstorable",
    )
    assert "制御文字" in ja
    assert "control character that cannot be saved" in en


def test_tabs_and_line_breaks_are_ordinary_text(api, cast):
    comment = "line one\r\nline\ttwo"
    reply = api.put(url(cast), {"choice": first_choice(cast).pk, "comment": comment}, format="json")
    assert reply.status_code == 200
    assert saved(cast).comment == comment


@pytest.mark.parametrize("language, text", [("ja", "制御文字"), ("en", "control character")])
def test_the_plain_form_refuses_a_control_character_and_keeps_what_was_typed(
    client, cast, language, text
):
    question = cast.questions["kpi-q0"]
    client.force_login(cast.users.manager)
    reply = client.post(
        page(cast),
        {
            f"q{question.pk}": str(first_choice(cast).pk),
            f"q{question.pk}-comment": "a\x0bb",
            "action": "stay",
        },
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert reply.status_code == 400
    assert text in reply.content.decode()
    assert "a\x0bb" in reply.content.decode()  # shown again to correct
    assert not Answer.objects.exists()
