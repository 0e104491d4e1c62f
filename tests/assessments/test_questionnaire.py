"""The questionnaire pages: plain form posts, resume, review and submit, query counts."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Answer, Campaign, Response
from assessments.services import AnswerInput
from tests.assessments.conftest import open_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client, cast):
    client.force_login(cast.users.manager)
    return client


def page(cast, code):
    return reverse("assessments:questionnaire", args=[cast.response.pk, code])


def choice(question, index=0):
    return list(question.choices.all())[index]


def test_it_shows_only_questions_for_the_department(manager, cast, client):
    html = manager.get(page(cast, "kpi")).content.decode()
    assert "kpi 質問0" in html and "kpi 質問1" in html  # kpi-q1 applies to sales
    client.force_login(cast.users.other_manager)
    other = client.get(reverse("assessments:questionnaire", args=[cast.other_response.pk, "kpi"]))
    assert "kpi 質問1" not in other.content.decode()


def test_it_shows_both_poles_progress_and_na(manager, cast):
    html = manager.get(page(cast, "kpi")).content.decode()
    assert "新規受注だけを追う" in html and "LTVを追う" in html
    assert 'value="na"' in html  # kpi-q1 allows N/A
    assert "0</span> / <span data-progress-total>4" in html


def test_a_plain_post_saves_the_page_and_moves_on(manager, cast):
    q0, q1 = cast.questions["kpi-q0"], cast.questions["kpi-q1"]
    reply = manager.post(
        page(cast, "kpi"),
        {
            f"q{q0.pk}": choice(q0, 1).pk,
            f"q{q0.pk}-comment": "evidence",
            f"q{q1.pk}": "na",
            f"q{q1.pk}-na_reason": "no quota",
            "action": "next",
        },
    )
    assert reply.status_code == 302
    assert reply["Location"] == page(cast, "data")
    assert Answer.objects.get(question=q0).comment == "evidence"
    assert Answer.objects.get(question=q1).is_na


def test_a_bad_post_saves_nothing_and_shows_the_error(manager, cast):
    q0, q1 = cast.questions["kpi-q0"], cast.questions["kpi-q1"]
    reply = manager.post(
        page(cast, "kpi"), {f"q{q0.pk}": choice(q0).pk, f"q{q1.pk}": "na", "action": "next"}
    )
    assert reply.status_code == 400
    html = reply.content.decode()
    assert "has-error" in html
    assert f'value="{choice(q0).pk}" checked' in html  # what was chosen is shown again
    assert not Answer.objects.exists()


def test_a_forged_choice_value_is_refused(manager, cast):
    q0 = cast.questions["kpi-q0"]
    reply = manager.post(page(cast, "kpi"), {f"q{q0.pk}": "abc", "action": "next"})
    assert reply.status_code == 400
    assert not Answer.objects.exists()


def test_an_unknown_dimension_is_404(manager, cast):
    assert manager.get(page(cast, "nope")).status_code == 404


def resumed(client, cast) -> tuple[str, list[str]]:
    """Where resuming leads and what it says: the page opens at its top (its title in view)
    and, once something is answered, a message names the question to go on with."""
    from django.contrib.messages import get_messages

    reply = client.get(reverse("assessments:response-resume", args=[cast.response.pk]))
    said = [m.message for m in get_messages(reply.wsgi_request)]
    client.get(reply["Location"])  # the page shows the message, and it is gone
    return reply["Location"], said


def hint(number):
    return f"前回の続きから：このページの設問{number}から回答できます。"


def test_resume_goes_to_the_first_open_question_after_the_last_save(manager, cast):
    assert resumed(manager, cast) == (page(cast, "kpi"), [])  # nothing to pick up yet
    q = cast.questions
    services.save_answers(
        response=cast.response,
        items=[
            AnswerInput(question_id=q["kpi-q0"].pk, choice_id=choice(q["kpi-q0"]).pk),
            AnswerInput(question_id=q["kpi-q1"].pk, choice_id=choice(q["kpi-q1"]).pk),
        ],
    )
    assert resumed(manager, cast) == (page(cast, "data"), [hint(1)])
    services.save_answers(
        response=cast.response,
        items=[AnswerInput(question_id=q["data-q1"].pk, choice_id=choice(q["data-q1"]).pk)],
    )
    assert resumed(manager, cast) == (page(cast, "data"), [hint(1)])
    services.save_answers(
        response=cast.response,
        items=[AnswerInput(question_id=q["data-q0"].pk, choice_id=choice(q["data-q0"]).pk)],
    )
    assert resumed(manager, cast) == (
        reverse("assessments:response-review", args=[cast.response.pk]),
        [],
    )


def test_resume_names_a_later_question_of_the_page(manager, cast):
    q = cast.questions
    services.save_answers(
        response=cast.response,
        items=[AnswerInput(question_id=q["kpi-q0"].pk, choice_id=choice(q["kpi-q0"]).pk)],
    )
    assert resumed(manager, cast) == (page(cast, "kpi"), [hint(2)])


def test_resume_wraps_to_earlier_pages_with_open_questions(manager, cast):
    q = cast.questions
    services.save_answers(
        response=cast.response,
        items=[
            AnswerInput(question_id=q[c].pk, choice_id=choice(q[c]).pk)
            for c in ("data-q0", "data-q1")
        ],
    )
    assert resumed(manager, cast) == (page(cast, "kpi"), [hint(1)])


def test_the_review_lists_unanswered_questions_and_submits(manager, cast):
    review = reverse("assessments:response-review", args=[cast.response.pk])
    html = manager.get(review).content.decode()
    assert "kpi 質問0" in html and "data 質問1" in html
    reply = manager.post(review)
    assert reply.status_code == 302
    cast.response.refresh_from_db()
    assert cast.response.status == Response.Status.SUBMITTED


def test_a_submitted_response_is_locked_on_the_page(manager, cast):
    services.submit_response(response=cast.response)
    html = manager.get(page(cast, "kpi")).content.decode()
    assert "data-locked" in html and "disabled" in html
    q0 = cast.questions["kpi-q0"]
    reply = manager.post(page(cast, "kpi"), {f"q{q0.pk}": choice(q0).pk, "action": "next"})
    assert reply.status_code == 400
    assert not Answer.objects.exists()


def test_a_closed_campaign_says_so(manager, cast):
    services.set_campaign_status(campaign=cast.campaign, status=Campaign.Status.CLOSED)
    html = manager.get(
        reverse("assessments:response-review", args=[cast.response.pk])
    ).content.decode()
    assert "受け付けていません" in html or "not accepting answers" in html


def test_the_invitation_opens_the_response_and_records_it(manager, cast):
    invitation = cast.response.invitation
    reply = manager.get(reverse("assessments:invitation", args=[invitation.token]))
    assert reply["Location"] == reverse("assessments:response-resume", args=[cast.response.pk])
    invitation.refresh_from_db()
    assert invitation.opened_at is not None


def test_an_unknown_invitation_is_404(manager):
    assert manager.get(reverse("assessments:invitation", args=["nope"])).status_code == 404


def test_the_page_query_count_is_constant_in_questions_and_responses(
    manager, cast, django_user_model, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14):
        manager.get(page(cast, "kpi"))
    # Many more respondents and answers elsewhere change nothing.
    for i in range(5):
        user = django_user_model.objects.create_user(f"extra{i}")
        response = services.add_respondent(
            campaign=cast.campaign,
            department=cast.sales,
            user=user,
            rater_role="manager",
            notify=False,
        )
        services.save_answers(
            response=response,
            items=[
                AnswerInput(question_id=q.pk, choice_id=choice(q).pk)
                for q in cast.questions.values()
            ],
        )
    services.save_answers(
        response=cast.response,
        items=[
            AnswerInput(question_id=q.pk, choice_id=choice(q).pk) for q in cast.questions.values()
        ],
    )
    with django_assert_max_num_queries(14):
        manager.get(page(cast, "kpi"))


def test_the_page_query_count_does_not_grow_with_the_framework(
    client, django_user_model, django_assert_max_num_queries
):
    """The shipped framework has 58 questions; the page still takes a fixed handful of queries."""
    from pathlib import Path

    from django.conf import settings

    from assessments.models import Department, Membership, Organisation
    from maturity.framework_file import load_framework_file
    from maturity.framework_io import import_framework

    path = Path(settings.BASE_DIR) / "maturity/frameworks/customer-engagement.yaml"
    framework = import_framework(load_framework_file(path.read_bytes()), source=str(path))
    org = Organisation.objects.create(name="Big", slug="big")
    dept = Department.objects.create(organisation=org, name="CS", function="customer_success")
    user = django_user_model.objects.create_user("big")
    Membership.objects.create(user=user, organisation=org, department=dept, role="manager")
    campaign = open_campaign(organisation=org, framework=framework, departments=[dept])
    response = Response.objects.get(campaign=campaign)
    client.force_login(user)
    with django_assert_max_num_queries(14):
        reply = client.get(
            reverse("assessments:questionnaire", args=[response.pk, "customer-success"])
        )
    assert reply.status_code == 200
