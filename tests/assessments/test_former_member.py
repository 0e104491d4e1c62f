"""A respondent who has left the organisation (their membership deleted) can no longer read
or change their response anywhere: not by autosave, not on the questionnaire pages; what
they had saved stays exactly as it was."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from assessments import services
from assessments.models import Answer, ConsultantAccess, Membership, Response
from assessments.services import AnswerInput

pytestmark = pytest.mark.django_db


def choice(question, index):
    return list(question.choices.all())[index]


def saved_state(response) -> list[tuple]:
    return list(
        Answer.objects.filter(response=response)
        .order_by("question_id")
        .values_list("question_id", "choice_id", "is_na", "comment", "updated_at")
    )


@pytest.fixture
def former(cast):
    """The sales manager answered one question, then left Acme."""
    question = cast.questions["kpi-q0"]
    services.save_answers(
        response=cast.response,
        items=[AnswerInput(question_id=question.pk, choice_id=choice(question, 0).pk, comment="a")],
    )
    Membership.objects.filter(user=cast.users.manager, organisation=cast.acme).delete()
    before = saved_state(cast.response)
    assert [(q, c) for q, c, *_ in before] == [(question.pk, choice(question, 0).pk)]
    return before


@pytest.fixture
def api(cast):
    client = APIClient()
    client.force_login(cast.users.manager)
    return client


def answer_url(cast, code):
    return f"/api/v1/responses/{cast.response.pk}/answers/{cast.questions[code].pk}/"


def test_autosave_refuses_a_former_member_and_keeps_the_answer(api, cast, former):
    question = cast.questions["kpi-q0"]
    reply = api.put(
        answer_url(cast, "kpi-q0"),
        {"choice": choice(question, 2).pk, "comment": "changed"},
        format="json",
    )
    assert reply.status_code == 404
    assert saved_state(cast.response) == former


def test_autosave_refuses_a_former_members_new_answer(api, cast, former):
    question = cast.questions["data-q0"]
    reply = api.put(answer_url(cast, "data-q0"), {"choice": choice(question, 1).pk}, format="json")
    assert reply.status_code == 404
    assert saved_state(cast.response) == former


def test_a_former_member_cannot_clear_an_answer_or_submit(api, cast, former):
    assert api.delete(answer_url(cast, "kpi-q0")).status_code == 404
    assert api.post(f"/api/v1/responses/{cast.response.pk}/submit/").status_code == 404
    assert api.get(f"/api/v1/responses/{cast.response.pk}/").status_code == 404
    assert saved_state(cast.response) == former
    assert Response.objects.get(pk=cast.response.pk).status == Response.Status.IN_PROGRESS


def test_the_questionnaire_pages_refuse_a_former_member(client, cast, former):
    client.force_login(cast.users.manager)
    page = reverse("assessments:questionnaire", args=[cast.response.pk, "kpi"])
    question = cast.questions["kpi-q0"]
    assert client.get(page).status_code == 404
    reply = client.post(page, {f"q{question.pk}": choice(question, 2).pk, "action": "stay"})
    assert reply.status_code == 404
    assert (
        client.get(reverse("assessments:response-resume", args=[cast.response.pk])).status_code
        == 404
    )
    review = reverse("assessments:response-review", args=[cast.response.pk])
    assert client.get(review).status_code == 404
    assert client.post(review).status_code == 404
    assert saved_state(cast.response) == former
    assert Response.objects.get(pk=cast.response.pk).status == Response.Status.IN_PROGRESS


def test_a_former_member_who_consults_for_the_organisation_may_still_answer(api, cast, former):
    ConsultantAccess.objects.create(user=cast.users.manager, organisation=cast.acme)
    question = cast.questions["kpi-q0"]
    reply = api.put(answer_url(cast, "kpi-q0"), {"choice": choice(question, 2).pk}, format="json")
    assert reply.status_code == 200
    assert Answer.objects.get(response=cast.response, question=question).choice == choice(
        question, 2
    )
