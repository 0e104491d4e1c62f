"""After submitting: the manager lands on their department's results; before it, the review
page lists every answer given and the confirmation states the consequence."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from assessments import services
from assessments.models import Response
from assessments.services import AnswerInput
from assessments.views.questionnaire import submit_consequence
from tests.matrix import as_role, matrix

pytestmark = pytest.mark.django_db


def review_url(response):
    return reverse("assessments:response-review", args=[response.pk])


def applicable(cast, response):
    return [q for q in cast.questions.values() if q.applies_to(response.department.function)]


def answer_some(cast):
    """kpi-q0 with its second choice and a comment, kpi-q1 N/A with a reason; the rest open."""
    q0, q1 = cast.questions["kpi-q0"], cast.questions["kpi-q1"]
    services.save_answers(
        response=cast.response,
        items=[
            AnswerInput(
                question_id=q0.pk,
                choice_id=list(q0.choices.all())[1].pk,
                comment="月次で見直しています",
            ),
            AnswerInput(question_id=q1.pk, is_na=True, na_reason="対象の顧客がいない"),
        ],
    )
    return q0, q1


def test_it_lands_the_manager_on_their_departments_results(client, cast):
    client.force_login(cast.users.manager)
    reply = client.post(review_url(cast.response))
    assert reply.status_code == 302
    assert reply["Location"] == reverse(
        "results:department", args=[cast.campaign.pk, cast.sales.pk]
    )
    cast.response.refresh_from_db()
    assert cast.response.status == Response.Status.SUBMITTED
    texts = [m.message for m in get_messages(reply.wsgi_request)]
    assert texts == [
        "ご回答ありがとうございました。回答を提出しました。自部門の結果は次のとおりです。"
    ]
    page = client.get(reply["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "割り当てた学習" in html  # the assigned-learning section of the results page


def test_a_refused_submit_stays_on_the_review_page(client, cast):
    services.submit_response(response=cast.response)
    services.set_campaign_status(campaign=cast.campaign, status="closed")
    client.force_login(cast.users.manager)
    reply = client.post(review_url(cast.response))
    assert reply["Location"] == review_url(cast.response)
    assert [m.level_tag for m in get_messages(reply.wsgi_request)] == ["error"]


def test_the_review_page_lists_every_answer_given(client, cast):
    q0, q1 = answer_some(cast)
    client.force_login(cast.users.manager)
    html = client.get(review_url(cast.response)).content.decode()
    questions = applicable(cast, cast.response)
    for question in questions:
        assert f'data-review-question="{question.code}"' in html
        assert question.text in html
    assert list(q0.choices.all())[1].label in html
    assert "月次で見直しています" in html
    assert "該当なし" in html and "対象の顧客がいない" in html
    # Every other question is flagged unanswered, each with its own link to answer it.
    assert html.count('class="review-item is-unanswered"') == len(questions) - 2
    assert html.count("この設問に回答する") == len(questions) - 2


def test_the_confirmation_states_the_consequence_and_the_unanswered_count(client, cast):
    answer_some(cast)
    client.force_login(cast.users.manager)
    html = client.get(review_url(cast.response)).content.decode()
    open_count = len(applicable(cast, cast.response)) - 2
    text = (
        "提出すると、回答は変更できなくなります。"
        f"未回答の設問が{open_count}問あり、スコアには含まれません。"
    )
    # Once on the page itself (the no-script confirmation) and once in the dialog.
    assert html.count(text) == 2
    assert '<dialog id="submit-dialog"' in html
    assert 'data-confirm-dialog="submit-dialog"' in html
    assert "js/confirm_submit.js" in html


def test_the_consequence_in_english_counts_questions():
    from django.utils import translation

    with translation.override("en"):
        assert submit_consequence(1) == (
            "You cannot change your answers after submitting. 1 question is unanswered and "
            "is left out of your scores."
        )
        assert submit_consequence(3).endswith(
            "3 questions are unanswered and are left out of your scores."
        )
        assert submit_consequence(0).endswith("Every question is answered.")


def test_a_submitted_review_links_to_the_results_and_offers_no_submit(client, cast):
    services.submit_response(response=cast.response)
    client.force_login(cast.users.manager)
    html = client.get(review_url(cast.response)).content.decode()
    results = reverse("results:department", args=[cast.campaign.pk, cast.sales.pk])
    assert f'href="{results}"' in html
    assert "submit-dialog" not in html
    assert "確認して提出" not in html  # neither the title nor the side navigation


def test_the_home_page_links_a_submitted_response_to_its_results(client, cast):
    client.force_login(cast.users.manager)
    html = client.get("/").content.decode()
    assert 'status-not-started">未回答</span>' in html  # nothing answered yet
    assert "回答中" not in html and "0 / " not in html
    services.submit_response(response=cast.response)
    html = client.get("/").content.decode()
    results = reverse("results:department", args=[cast.campaign.pk, cast.sales.pk])
    assert f'href="{results}"' in html
    assert f'href="{review_url(cast.response)}"' in html
    assert "提出済み" in html


@pytest.mark.parametrize(
    "role, expected",
    matrix({"manager": 302}, inside=("org_admin", "consultant", "other_manager", "staff")),
)
def test_only_the_respondent_may_submit(client, cast, role, expected):
    reply = as_role(client, cast, role).post(review_url(cast.response))
    if expected == "login":
        assert reply.status_code == 302 and reverse("login") in reply["Location"]
    else:
        assert reply.status_code == expected
    cast.response.refresh_from_db()
    assert cast.response.is_submitted == (role == "manager")
