"""An organisation's business model decides which questions its departments answer and how
they read (``maturity.business_models``): the questionnaire, the review page's questions,
the scores, the explanation page and the answers export all follow it; step numbers show
only where the framework says so; org admins set the model on the settings page."""

import copy

import pytest
from django.urls import reverse
from django.utils import translation

from assessments import services
from assessments.models import Campaign, Organisation, Response
from assessments.services import AnswerInput
from maturity.framework_io import import_framework
from results.exports import answers_frame
from results.loader import campaign_results
from tests.assessments.conftest import open_campaign
from tests.matrix import as_role, check, matrix
from tests.maturity.test_business_models import B2C, V2

pytestmark = pytest.mark.django_db

VARIANT_JA = "継続率を追っていますか？"
ORIGINAL_JA = "契約更新率を追っていますか？"
B2B_ONLY_JA = "稟議の承認者を把握していますか？"


def _framework(*, show_step_numbers=True):
    data = copy.deepcopy(V2)
    data["presentation"]["show_step_numbers"] = show_step_numbers
    return import_framework(data)


@pytest.fixture
def bm(cast):
    """Acme on the business-model framework: the Sales manager's response, with Acme a B2C
    subscription business."""
    framework = _framework()
    campaign = open_campaign(organisation=cast.acme, framework=framework, departments=[cast.sales])
    Organisation.objects.filter(pk=cast.acme.pk).update(business_model=B2C)
    cast.bm_campaign = campaign
    cast.bm_response = Response.objects.get(campaign=campaign, respondent=cast.users.manager)
    cast.bm_questions = {q.code: q for q in framework.questions.prefetch_related("choices")}
    return cast


def page(client, response, code="kpi"):
    return client.get(reverse("assessments:questionnaire", args=[response.pk, code]))


def _answer(response, questions, picks: dict[str, int]):
    """Save and submit ``picks``; a question of another business model is answered as the
    organisation was before it changed its model (a B2C organisation may not answer it now:
    ``test_a_b2c_organisation_may_not_answer_a_b2b_only_question``)."""
    organisation = response.campaign.organisation
    now = Organisation.objects.get(pk=organisation.pk).business_model
    Organisation.objects.filter(pk=organisation.pk).update(business_model="b2b-saas")
    organisation.refresh_from_db()
    services.save_answers(
        response=response,
        items=[
            AnswerInput(
                question_id=questions[code].pk, choice_id=list(questions[code].choices.all())[i].pk
            )
            for code, i in picks.items()
        ],
    )
    services.submit_response(response=response)
    Organisation.objects.filter(pk=organisation.pk).update(business_model=now)
    organisation.refresh_from_db()


def test_a_b2c_organisation_may_not_answer_a_b2b_only_question(bm):
    question = bm.bm_questions["kpi-b2b-only"]
    with pytest.raises(services.AssessmentError) as refused:
        services.save_answers(
            response=bm.bm_response,
            items=[AnswerInput(question_id=question.pk, choice_id=question.choices.first().pk)],
        )
    assert refused.value.code == "question_not_applicable"


def test_progress_counts_only_the_questions_of_the_business_model(bm):
    from assessments.selectors import campaign_progress, responses_of

    # kpi-common, kpi-renewal apply to B2C; kpi-b2b-only does not (V2's three questions).
    total = {r.pk: r.total for r in responses_of(bm.users.manager)}[bm.bm_response.pk]
    assert total == len(bm.bm_questions) - 1
    (row,) = campaign_progress(bm.bm_campaign)
    assert {r.total for r in row["responses"]} == {len(bm.bm_questions) - 1}


# ------------------------------------------------------------ questionnaire


def test_a_b2c_manager_reads_the_variant_and_not_the_b2b_only_question(client, bm):
    client.force_login(bm.users.manager)
    html = page(client, bm.bm_response).content.decode()
    assert VARIANT_JA in html
    assert ORIGINAL_JA not in html
    assert B2B_ONLY_JA not in html
    assert "追っていない" in html and "週次で" in html  # the variant's choice labels
    assert f'data-question="{bm.bm_questions["kpi-b2b-only"].pk}"' not in html
    assert "いまの実際で答えてください。" in html  # the framework's answering instruction


def test_a_b2b_manager_reads_the_questions_as_written(client, bm):
    Organisation.objects.filter(pk=bm.acme.pk).update(business_model="b2b-saas")
    client.force_login(bm.users.manager)
    html = page(client, bm.bm_response).content.decode()
    assert ORIGINAL_JA in html and B2B_ONLY_JA in html
    assert VARIANT_JA not in html
    assert "追っていない" not in html


def test_the_review_page_gets_the_worded_questions(client, bm):
    client.force_login(bm.users.manager)
    reply = client.get(reverse("assessments:response-review", args=[bm.bm_response.pk]))
    assert reply.status_code == 200
    (dimension,) = reply.context["dimensions"]
    assert [q.code for q in dimension.applicable_questions] == ["kpi-common", "kpi-renewal"]
    assert dimension.applicable_questions[1].text == VARIANT_JA
    assert [c.label for c in dimension.applicable_questions[1].choices.all()] == [
        "追っていない",
        "月次で",
        "週次で",
    ]
    assert reply.context["total"] == 2


def test_step_numbers_are_hidden_when_the_framework_says_so(client, cast):
    framework = _framework(show_step_numbers=False)
    campaign = open_campaign(organisation=cast.acme, framework=framework, departments=[cast.sales])
    response = Response.objects.get(campaign=campaign, respondent=cast.users.manager)
    client.force_login(cast.users.manager)
    html = page(client, response).content.decode()
    assert "共通の質問" in html
    assert 'class="q-number"' not in html
    assert 'class="choice-step"' not in html


def test_step_numbers_are_shown_for_a_v2_file_that_asks_for_them(client, bm):
    client.force_login(bm.users.manager)
    html = page(client, bm.bm_response).content.decode()
    assert '<span class="q-number">1.</span>' in html
    assert '<span class="choice-step" aria-hidden="true">3</span>' in html


def test_step_numbers_are_shown_for_a_v1_framework(client, cast):
    client.force_login(cast.users.manager)
    html = page(client, cast.response).content.decode()
    assert '<span class="q-number">1.</span>' in html
    assert '<span class="choice-step" aria-hidden="true">1</span>' in html


# ------------------------------------------------------------ scores and results


def test_a_b2c_department_is_scored_without_the_b2b_only_question(bm):
    # Common "No" (1), renewal "Weekly" (5), B2B-only "High" (5): saved through the API's
    # service, which does not know the business model.
    _answer(bm.bm_response, bm.bm_questions, {"kpi-common": 0, "kpi-renewal": 2, "kpi-b2b-only": 1})
    row = campaign_results(bm.bm_campaign).by_department.set_index("dimension").loc["kpi"]
    assert row["mean"] == pytest.approx((1 + 5) / 2)
    Organisation.objects.filter(pk=bm.acme.pk).update(business_model="b2b-saas")
    bm.bm_campaign.refresh_from_db()
    bm.bm_campaign.organisation.refresh_from_db()
    row = campaign_results(bm.bm_campaign).by_department.set_index("dimension").loc["kpi"]
    assert row["mean"] == pytest.approx((1 + 5 + 5) / 3)


def test_the_explanation_page_words_the_question_and_leaves_the_other_out(client, bm):
    _answer(bm.bm_response, bm.bm_questions, {"kpi-common": 0, "kpi-renewal": 2, "kpi-b2b-only": 1})
    # One respondent: shown once the threshold lets a single answer through.
    Campaign.objects.filter(pk=bm.bm_campaign.pk).update(anonymity_threshold=1)
    client.force_login(bm.users.org_admin)
    reply = client.get(reverse("results:explain", args=[bm.bm_campaign.pk, bm.sales.pk, "kpi"]))
    assert reply.status_code == 200
    html = reply.content.decode()
    assert VARIANT_JA in html and "週次で" in html
    assert B2B_ONLY_JA not in html and ORIGINAL_JA not in html
    (respondent,) = reply.context["respondents"]
    assert respondent["mean"] == pytest.approx(3.0)


def test_the_answers_export_words_the_question_and_its_choice(bm):
    _answer(bm.bm_response, bm.bm_questions, {"kpi-common": 0, "kpi-renewal": 2, "kpi-b2b-only": 1})
    Campaign.objects.filter(pk=bm.bm_campaign.pk).update(anonymity_threshold=1)
    bm.bm_campaign.refresh_from_db()
    with translation.override("en"):
        table = answers_frame(
            bm.bm_campaign, department_id=None, viewer=bm.users.org_admin, can_manage=True
        )
    assert list(table["question code"]) == ["kpi-common", "kpi-renewal"]
    assert list(table["question"]) == ["Common question", "Do you track retention?"]
    assert list(table["choice"]) == ["No", "Weekly"]


# ------------------------------------------------------------ settings page


def settings_url(cast, organisation=None):
    return reverse("assessments:organisation-settings", args=[(organisation or cast.acme).pk])


@pytest.mark.parametrize(("role", "expected"), matrix({"org_admin": 200}))
def test_only_org_admins_open_the_settings_page(client, cast, role, expected):
    check(as_role(client, cast, role).get(settings_url(cast)), expected)


@pytest.mark.parametrize(("role", "expected"), matrix({"org_admin": 302}))
def test_only_org_admins_change_the_business_model(client, cast, role, expected):
    reply = as_role(client, cast, role).post(settings_url(cast), {"business_model": B2C})
    check(reply, expected)
    saved = Organisation.objects.get(pk=cast.acme.pk).business_model
    assert saved == (B2C if expected == 302 else "b2b-saas")


def test_the_outsiders_own_organisation_opens_for_them(client, cast):
    client.force_login(cast.users.outsider)  # org admin of Globex
    assert client.get(settings_url(cast, cast.globex)).status_code == 200


def test_it_refuses_an_unknown_business_model(client, cast):
    client.force_login(cast.users.org_admin)
    reply = client.post(settings_url(cast), {"business_model": "b2c"}, HTTP_ACCEPT_LANGUAGE="ja")
    assert reply.status_code == 400
    assert "正しく選択してください。" in reply.content.decode()
    assert Organisation.objects.get(pk=cast.acme.pk).business_model == "b2b-saas"


def test_it_lists_every_business_model_with_the_current_one_checked(client, cast):
    client.force_login(cast.users.org_admin)
    html = client.get(settings_url(cast)).content.decode()
    for code in ("b2b-saas", B2C, "consumables", "rental-lease", "usage-based"):
        assert f'value="{code}"' in html
    assert html.count("checked") == 1
    assert 'value="b2b-saas" id="id_business_model_0" required checked' in html
