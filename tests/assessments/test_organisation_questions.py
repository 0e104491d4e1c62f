"""Questions about the whole organisation (``maturity.scopes``): answered once per campaign by
the org admin, never by a department's respondents, shown to them read-only, and counted for
every department the question applies to in the scores of every output.

The cast's ``kpi-q0`` (every function, no N/A) is made an organisation question; ``kpi-q1``
(Sales only, weight 2, N/A allowed) stays a department question."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Campaign, OrganisationAnswer
from assessments.selectors import campaign_progress, organisation_question_counts
from assessments.services import AnswerInput, AssessmentError
from maturity import selectors as maturity_selectors
from maturity.models import Question
from results.loader import campaign_results, shown_results
from tests.assessments.conftest import answer_all
from tests.matrix import api_as, api_matrix, as_role, check, check_api, matrix, succeeded

pytestmark = pytest.mark.django_db

ORG = "kpi-q0"


@pytest.fixture
def scoped(cast):
    Question.objects.filter(framework=cast.framework, code=ORG).update(scope="organisation")
    maturity_selectors._published_rules.cache_clear()
    cast.questions = {
        q.code: q for q in cast.framework.questions.prefetch_related("choices").order_by("pk")
    }
    cast.org_question = cast.questions[ORG]
    return cast


def choice(question, index):
    return list(question.choices.all())[index]


def answer_for_organisation(cast, index, **extra):
    return services.save_organisation_answers(
        campaign=cast.campaign,
        items=[
            AnswerInput(
                question_id=cast.org_question.pk,
                choice_id=choice(cast.org_question, index).pk,
                **extra,
            )
        ],
        by=cast.users.org_admin,
    )


# ------------------------------------------------------------------ who answers


def test_a_department_does_not_answer_an_organisation_question(scoped):
    with pytest.raises(AssessmentError) as refused:
        services.save_answers(
            response=scoped.response,
            items=[
                AnswerInput(
                    question_id=scoped.org_question.pk,
                    choice_id=choice(scoped.org_question, 0).pk,
                )
            ],
        )
    assert refused.value.code == "question_not_applicable"
    assert not scoped.response.answers.exists()


def test_the_department_s_progress_counts_only_its_own_questions(scoped):
    progress = {row["department"].name: row for row in campaign_progress(scoped.campaign)}
    # Sales: kpi-q1, data-q0, data-q1 (kpi-q0 is the organisation's); CS: data-q0 only …
    assert progress["Sales"]["responses"][0].total == 3
    assert progress["Customer Success"]["responses"][0].total == 1


def test_the_org_admin_answers_once_and_a_second_save_replaces_it(scoped):
    answer_for_organisation(scoped, 0, comment="  賞与は新規受注のみ  ")
    answer_for_organisation(scoped, 2)
    saved = OrganisationAnswer.objects.get()
    assert (saved.campaign, saved.question_id) == (scoped.campaign, scoped.org_question.pk)
    assert saved.choice == choice(scoped.org_question, 2)
    assert (saved.comment, saved.answered_by) == ("", scoped.users.org_admin)
    assert organisation_question_counts(scoped.campaign) == (1, 1)


@pytest.mark.parametrize(
    "item, code",
    [
        ({"choice": "department"}, "not_organisation_question"),
        ({"choice": "other question"}, "unknown_choice"),
        ({"is_na": True, "na_reason": "no"}, "na_not_allowed"),
        ({"comment": "\x00"}, "comment_unstorable"),
        ({}, "answer_required"),
    ],
)
def test_a_bad_organisation_answer_is_refused_and_writes_nothing(scoped, item, code):
    question = scoped.org_question
    if item.get("choice") == "department":
        question = scoped.questions["data-q0"]
        item = {"choice_id": choice(question, 0).pk}
    elif item.get("choice") == "other question":
        item = {"choice_id": choice(scoped.questions["data-q0"], 0).pk}
    with pytest.raises(AssessmentError) as refused:
        services.save_organisation_answers(
            campaign=scoped.campaign,
            items=[AnswerInput(question_id=question.pk, **item)],
            by=scoped.users.org_admin,
        )
    assert refused.value.code == code
    assert not OrganisationAnswer.objects.exists()


def test_a_closed_campaign_takes_no_organisation_answer(scoped):
    Campaign.objects.filter(pk=scoped.campaign.pk).update(status=Campaign.Status.CLOSED)
    with pytest.raises(AssessmentError) as refused:
        answer_for_organisation(scoped, 0)
    assert (refused.value.code, refused.value.status) == ("campaign_closed", 409)
    assert not OrganisationAnswer.objects.exists()


def test_clearing_removes_the_organisation_answer(scoped):
    answer_for_organisation(scoped, 0)
    services.save_organisation_answers(
        campaign=scoped.campaign,
        items=[],
        clear=[scoped.org_question.pk],
        by=scoped.users.org_admin,
    )
    assert not OrganisationAnswer.objects.exists()
    assert organisation_question_counts(scoped.campaign) == (1, 0)


# ------------------------------------------------------------------ scores


def test_the_organisation_s_answer_counts_for_every_department(scoped):
    answer_all(scoped.response, scoped.questions, 2)  # Sales: every choice scores 5
    answer_all(scoped.other_response, scoped.questions, 1)  # CS: every choice scores 3
    before = campaign_results(scoped.campaign)
    assert before.department_mean(scoped.sales.pk, "kpi") == pytest.approx(5.0)
    assert before.department_mean(scoped.success.pk, "kpi") is None
    answer_for_organisation(scoped, 0)  # scores 1
    after = campaign_results(scoped.campaign)
    # Sales: kpi-q0 (the organisation's 1, weight 1) with kpi-q1 (5, weight 2).
    assert after.department_mean(scoped.sales.pk, "kpi") == pytest.approx((1 + 2 * 5) / 3)
    # CS: kpi-q1 is for Sales only, so the organisation's answer is its whole kpi score.
    assert after.department_mean(scoped.success.pk, "kpi") == pytest.approx(1.0)
    assert after.department_mean(scoped.success.pk, "data") == pytest.approx(3.0)
    # The one answer is the same for every respondent: no disagreement on it.
    assert scoped.org_question.pk not in set(after.disagreements["question_id"])


def test_an_unsubmitted_department_gets_no_score_from_the_organisation_s_answer(scoped):
    answer_for_organisation(scoped, 0)
    answer_all(scoped.response, scoped.questions, 2, submit=False)
    results = campaign_results(scoped.campaign)
    assert results.department_mean(scoped.sales.pk, "kpi") is None
    assert results.department_mean(scoped.success.pk, "kpi") is None


def test_the_shown_results_withhold_it_with_the_department(scoped):
    Campaign.objects.filter(pk=scoped.campaign.pk).update(anonymity_threshold=2)
    answer_all(scoped.response, scoped.questions, 2)
    answer_for_organisation(scoped, 0)
    scoped.campaign.refresh_from_db()
    shown = shown_results(scoped.campaign)
    assert shown.department_mean(scoped.sales.pk, "kpi") is None  # one respondent < 2


def test_the_answers_export_lists_the_organisation_s_answer_once(scoped):
    from results.exports import answers_frame

    answer_all(scoped.response, scoped.questions, 2)
    Campaign.objects.filter(pk=scoped.campaign.pk).update(anonymity_threshold=1)
    scoped.campaign.refresh_from_db()
    answer_for_organisation(scoped, 0, comment="規程第5条")
    table = answers_frame(
        scoped.campaign, department_id=None, viewer=scoped.users.org_admin, can_manage=True
    )
    organisation = table[table["部門"] == "組織全体"]
    assert list(organisation["設問コード"]) == [ORG]
    assert list(organisation["選択肢"]) == ["選択1"]
    assert list(organisation["コメント"]) == ["規程第5条"]
    assert ORG not in set(table[table["部門"] == "Sales"]["設問コード"])


# ------------------------------------------------------------------ pages

PAGE = matrix({"org_admin": 200, "consultant": 200})
PAGE_POST = matrix({"org_admin": 302})


def page_url(cast):
    return reverse("assessments:organisation-questions", args=[cast.campaign.pk])


@pytest.mark.parametrize("role, expected", PAGE)
def test_the_organisation_questions_page_matrix(client, scoped, role, expected):
    reply = as_role(client, scoped, role).get(page_url(scoped))
    check(reply, expected)
    if expected == 200:
        page = reply.content.decode()
        assert "kpi 質問0" in page and "data 質問0" not in page
        # Both see the question's fields; only the org admin's are enabled.
        assert f'name="q{scoped.org_question.pk}"' in page
        assert ("disabled" in page) is (role == "consultant")


@pytest.mark.parametrize("role, expected", PAGE_POST)
def test_only_the_org_admin_saves_the_organisation_s_answers(client, scoped, role, expected):
    reply = as_role(client, scoped, role).post(
        page_url(scoped), {f"q{scoped.org_question.pk}": choice(scoped.org_question, 1).pk}
    )
    check(reply, expected)
    saved = OrganisationAnswer.objects.filter(campaign=scoped.campaign)
    assert saved.exists() is succeeded(expected)
    if succeeded(expected):
        assert saved.get().choice == choice(scoped.org_question, 1)
        assert reply["Location"] == page_url(scoped)


def test_a_bad_post_says_why_in_japanese_and_keeps_nothing(client, scoped):
    client.force_login(scoped.users.org_admin)
    other = choice(scoped.questions["data-q0"], 0).pk
    reply = client.post(page_url(scoped), {f"q{scoped.org_question.pk}": other})
    assert reply.status_code == 400
    assert "その選択肢はこの設問のものではありません" in reply.content.decode()
    assert not OrganisationAnswer.objects.exists()


def test_the_page_in_english(client, scoped):
    client.force_login(scoped.users.org_admin)
    reply = client.get(page_url(scoped), HTTP_ACCEPT_LANGUAGE="en")
    page = reply.content.decode()
    assert "Questions about the whole organisation" in page
    assert "kpi question 0" in page and "0 of 1 question answered" in page


def test_the_campaign_page_links_it_with_its_count(client, scoped):
    answer_for_organisation(scoped, 0)
    client.force_login(scoped.users.consultant)
    page = client.get(reverse("assessments:campaign-detail", args=[scoped.campaign.pk]))
    text = page.content.decode()
    assert page_url(scoped) in text and "1 件中 1 件回答済み" in text
    client.force_login(scoped.users.manager)
    page = client.get(reverse("assessments:campaign-detail", args=[scoped.campaign.pk]))
    assert page_url(scoped) not in page.content.decode()


def test_the_department_s_questionnaire_shows_the_organisation_s_answer(client, scoped):
    client.force_login(scoped.users.manager)
    url = reverse("assessments:questionnaire", args=[scoped.response.pk, "kpi"])
    page = client.get(url).content.decode()
    assert "組織全体で回答する質問" in page and "まだ回答されていません" in page
    # Asked of nobody here: no field for it.
    assert f'name="q{scoped.org_question.pk}"' not in page
    answer_for_organisation(scoped, 2)
    page = client.get(url).content.decode()
    assert "組織の回答：" in page and "選択5" in page


# ------------------------------------------------------------------ API

API_READ = api_matrix({"org_admin": 200, "consultant": 200})
API_WRITE = api_matrix({"org_admin": 200})


def api_url(cast, question=None):
    if question is None:
        return reverse("api-organisation-questions", args=[cast.campaign.pk])
    return reverse("api-organisation-answer", args=[cast.campaign.pk, question.pk])


@pytest.mark.parametrize("role, expected", API_READ)
def test_the_api_lists_the_organisation_s_questions(scoped, role, expected):
    answer_for_organisation(scoped, 0, comment="規程第5条")
    reply = api_as(scoped, role).get(api_url(scoped))
    check_api(reply, expected)
    if expected == 200:
        [row] = reply.json()
        assert (row["question"], row["code"], row["dimension"]) == (
            scoped.org_question.pk,
            ORG,
            "kpi",
        )
        assert [c["label"] for c in row["choices"]] == ["選択1", "選択3", "選択5"]
        answer = row["answer"]
        assert (answer["choice"], answer["na"], answer["comment"]) == (
            choice(scoped.org_question, 0).pk,
            False,
            "規程第5条",
        )
        assert answer["answered_by_name"] == "alice"


@pytest.mark.parametrize("role, expected", API_WRITE)
def test_the_api_sets_the_organisation_s_answer_for_the_org_admin_only(scoped, role, expected):
    reply = api_as(scoped, role).put(
        api_url(scoped, scoped.org_question),
        {"choice": choice(scoped.org_question, 1).pk},
        format="json",
    )
    check_api(reply, expected)
    assert OrganisationAnswer.objects.exists() is (expected == 200)
    if expected == 200:
        assert reply.json()["answer"]["choice"] == choice(scoped.org_question, 1).pk
        cleared = api_as(scoped, role).delete(api_url(scoped, scoped.org_question))
        check_api(cleared, 200)
        assert cleared.json()["answer"] is None
        assert not OrganisationAnswer.objects.exists()


def test_the_api_refuses_a_department_question_and_a_closed_campaign(scoped):
    admin = api_as(scoped, "org_admin")
    department_question = scoped.questions["data-q0"]
    reply = admin.put(
        api_url(scoped, department_question),
        {"choice": choice(department_question, 0).pk},
        format="json",
    )
    check_api(reply, 400, "not_organisation_question")
    Campaign.objects.filter(pk=scoped.campaign.pk).update(status=Campaign.Status.CLOSED)
    reply = admin.put(
        api_url(scoped, scoped.org_question),
        {"choice": choice(scoped.org_question, 0).pk},
        format="json",
    )
    check_api(reply, 409, "campaign_closed")
    assert not OrganisationAnswer.objects.exists()
