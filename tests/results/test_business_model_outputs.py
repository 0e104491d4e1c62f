"""Every output prints a question as the organisation's respondents read it
(``maturity.business_models.worded``): for a B2C-subscription organisation the department's
results page (comments and disagreements), the department's chapter of the PDF report and
the evidence pages (add, review queue, detail) print the B2C variant, never the B2B text."""

import copy

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Organisation, Response
from assessments.services import AnswerInput
from improvement.evidence import services as evidence_services
from maturity.framework_io import import_framework
from reports.campaign_report import build_campaign_report
from tests.assessments.conftest import open_campaign
from tests.maturity.test_business_models import B2C, V2
from tests.reports.test_campaign_report import pages_text

pytestmark = pytest.mark.django_db

# kpi-renewal as written (B2B) and as its B2C variant words it.
ORIGINAL_JA = "契約更新率を追っていますか？"
VARIANT_JA = "継続率を追っていますか？"


def _answer(response, questions, picks: dict[str, int], comments: dict[str, str] | None = None):
    comments = comments or {}
    services.save_answers(
        response=response,
        items=[
            AnswerInput(
                question_id=questions[code].pk,
                choice_id=list(questions[code].choices.all())[index].pk,
                comment=comments.get(code, ""),
            )
            for code, index in picks.items()
        ],
    )
    services.submit_response(response=response)


@pytest.fixture
def b2c(cast):
    """Acme, a B2C subscription business, on the business-model framework: in Sales the
    manager answers kpi-renewal "Weekly" (5) with a comment and a consultant answers "No" (1),
    so the department disagrees on it; threshold 1, so both are shown."""
    framework = import_framework(copy.deepcopy(V2))
    campaign = open_campaign(organisation=cast.acme, framework=framework, departments=[cast.sales])
    campaign.anonymity_threshold = 1
    campaign.save()
    Organisation.objects.filter(pk=cast.acme.pk).update(business_model=B2C)
    questions = {q.code: q for q in framework.questions.prefetch_related("choices")}
    manager = Response.objects.get(campaign=campaign, respondent=cast.users.manager)
    _answer(
        manager,
        questions,
        {"kpi-common": 0, "kpi-renewal": 2},
        comments={"kpi-renewal": "毎週見ています"},
    )
    consultant = services.add_respondent(
        campaign=campaign,
        department=cast.sales,
        user=cast.users.consultant,
        rater_role=Response.RaterRole.CONSULTANT,
        notify=False,
    )
    _answer(consultant, questions, {"kpi-common": 0, "kpi-renewal": 0})
    cast.b2c_campaign = campaign
    cast.b2c_response = manager
    cast.b2c_question = questions["kpi-renewal"]
    return cast


# ------------------------------------------------------------ the results page


def test_the_department_page_words_the_commented_question(client, b2c):
    client.force_login(b2c.users.org_admin)
    reply = client.get(reverse("results:department", args=[b2c.b2c_campaign.pk, b2c.sales.pk]))
    assert reply.status_code == 200
    (comment,) = reply.context["comments"]
    assert comment["comment"] == "毎週見ています"
    assert comment["question"].text == VARIANT_JA
    html = reply.content.decode()
    assert VARIANT_JA in html and ORIGINAL_JA not in html


def test_the_department_page_words_the_question_respondents_disagree_on(client, b2c):
    client.force_login(b2c.users.org_admin)
    reply = client.get(reverse("results:department", args=[b2c.b2c_campaign.pk, b2c.sales.pk]))
    (row,) = reply.context["disagreements"]
    assert (row.question.code, row.question.text) == ("kpi-renewal", VARIANT_JA)
    assert (row.low, row.high) == (1.0, 5.0)


def test_a_b2b_organisation_reads_the_questions_own_text_on_the_page(client, b2c):
    """The same campaign for a B2B SaaS organisation: the check above can fail."""
    Organisation.objects.filter(pk=b2c.acme.pk).update(business_model="b2b-saas")
    client.force_login(b2c.users.org_admin)
    reply = client.get(reverse("results:department", args=[b2c.b2c_campaign.pk, b2c.sales.pk]))
    html = reply.content.decode()
    assert ORIGINAL_JA in html and VARIANT_JA not in html


# ------------------------------------------------------------ the PDF report


def test_the_pdf_department_chapter_words_where_respondents_disagree(b2c):
    b2c.b2c_campaign.refresh_from_db()
    text = "\n".join(pages_text(build_campaign_report(b2c.b2c_campaign, language="ja")))
    assert VARIANT_JA in text
    assert ORIGINAL_JA not in text


def test_the_english_pdf_words_it_too(b2c):
    b2c.b2c_campaign.refresh_from_db()
    text = " ".join(
        " ".join(pages_text(build_campaign_report(b2c.b2c_campaign, language="en"))).split()
    )
    assert "Do you track retention?" in text
    assert "Do you track renewals?" not in text


# ------------------------------------------------------------ evidence pages


def test_the_add_evidence_page_names_the_worded_question(client, b2c):
    client.force_login(b2c.users.org_admin)
    url = reverse(
        "improvement:answer-evidence-create", args=[b2c.b2c_response.pk, b2c.b2c_question.pk]
    )
    reply = client.get(url)
    assert reply.status_code == 200
    assert reply.context["target_label"] == VARIANT_JA
    html = reply.content.decode()
    assert VARIANT_JA in html and ORIGINAL_JA not in html


@pytest.fixture
def evidence(b2c):
    answer = b2c.b2c_response.answers.get(question=b2c.b2c_question)
    return evidence_services.add_evidence(
        campaign=b2c.b2c_campaign,
        department=b2c.sales,
        answer=answer,
        kind="text",
        title="週次の継続率レポート",
        text="毎週の会議資料",
        by=b2c.users.manager,
    )


def test_the_evidence_queue_words_the_question(client, b2c, evidence):
    client.force_login(b2c.users.org_admin)
    reply = client.get(reverse("improvement:evidence", args=[b2c.b2c_campaign.pk]))
    assert reply.status_code == 200
    html = reply.content.decode()
    assert "週次の継続率レポート" in html
    assert VARIANT_JA in html and ORIGINAL_JA not in html


def test_the_evidence_detail_words_the_question(client, b2c, evidence):
    client.force_login(b2c.users.org_admin)
    reply = client.get(reverse("improvement:evidence-detail", args=[evidence.pk]))
    assert reply.status_code == 200
    html = reply.content.decode()
    assert VARIANT_JA in html and ORIGINAL_JA not in html


def test_the_pdf_lists_approved_evidence_against_the_worded_question(b2c, evidence):
    """The improvement report's evidence lines (reports.improvement_report)."""
    services.set_targets(
        campaign=b2c.b2c_campaign,
        department=b2c.sales,
        levels={"kpi": 5},
        set_by=b2c.users.org_admin,
    )
    evidence_services.review_evidence(
        evidence=evidence, decision="approved", by=b2c.users.org_admin
    )
    b2c.b2c_campaign.refresh_from_db()
    pdf = build_campaign_report(b2c.b2c_campaign, language="en")
    text = " ".join(" ".join(pages_text(pdf)).split())
    assert "for: Do you track retention?" in text
    assert "Do you track renewals?" not in text


def test_the_pdf_keeps_the_comment_on_a_question_that_applies(b2c):
    b2c.b2c_campaign.refresh_from_db()
    text = "\n".join(pages_text(build_campaign_report(b2c.b2c_campaign, language="ja")))
    assert "毎週見ています" in text
