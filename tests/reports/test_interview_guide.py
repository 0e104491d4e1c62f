"""The interview-guide PDF: its text in Japanese and in English (the shipped kit's evidence
statements), the department's evidence records listed per dimension, the command, and the
download view's role × view matrix (org admins and consultants of the organisation only)."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from pypdf import PdfReader

from assessments import services
from assessments.models import Response
from improvement.evidence.services import add_evidence
from maturity.interview_kit import import_interview_kit
from maturity.services import import_framework_file
from reports.interview_guide import build_interview_guide
from tests.matrix import as_role, check, matrix
from tests.maturity.test_interview_kit import KIT, kit_bytes

pytestmark = pytest.mark.django_db

FRAMEWORKS = Path(settings.BASE_DIR) / "maturity" / "frameworks"
MANAGERS = {"org_admin": 200, "consultant": 200}


def pdf_text(pdf: bytes) -> str:
    # Lines wrap inside a statement: compare without the line breaks and spaces.
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return "".join(text.split())


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def engagement(db):
    path = FRAMEWORKS / "customer-engagement.yaml"
    import_framework_file(content=path.read_bytes(), source=str(path))
    kit = FRAMEWORKS / "interview" / "customer-engagement.interview.yaml"
    import_interview_kit(content=kit.read_bytes(), source=str(kit))
    from maturity.models import Framework

    return Framework.objects.get(slug="customer-engagement")


def test_the_guide_has_the_shipped_evidence_in_japanese_and_in_english(engagement):
    ja = pdf_text(build_interview_guide(engagement, language="ja"))
    en = pdf_text(build_interview_guide(engagement, language="en"))
    # kpi, level 4, first statement of the shipped kit.
    assert squeeze("直近6か月の解約率とNRRが、チームが毎週開くダッシュボードに載っている。") in ja
    assert (
        squeeze("The churn rate and NRR of the last six months are on the dashboard the team") in en
    )
    assert "インタビューガイド" in ja and "依頼する資料" in ja and "レベル4:定着" in ja
    assert "Documentstorequest" in en and "Level4:Established" in en
    assert squeeze("先月の解約率はいくつでしたか。") in ja
    assert squeeze("What was last month's churn rate") not in ja


def test_the_command_writes_the_guide(engagement, tmp_path):
    out = tmp_path / "guide.pdf"
    call_command(
        "render_interview_guide", "customer-engagement", "-o", str(out), "--language", "en"
    )
    assert squeeze("Questions for a front-line member") in pdf_text(out.read_bytes())


def test_the_command_names_an_unknown_framework(db, tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("render_interview_guide", "nothing-here", "-o", str(tmp_path / "x.pdf"))
    assert str(caught.value) == "nothing-here: no such framework (or version) is imported."


@pytest.fixture
def with_kit(cast):
    import_interview_kit(content=kit_bytes(KIT), source="kit.yaml")
    return cast


def test_a_departments_guide_lists_its_evidence_on_the_dimension(client, with_kit):
    consultant = services.add_respondent(
        campaign=with_kit.campaign,
        department=with_kit.sales,
        user=with_kit.users.consultant,
        rater_role=Response.RaterRole.CONSULTANT,
        notify=False,
    )
    question = with_kit.questions["kpi-q0"]
    services.save_answers(
        response=consultant,
        items=[
            services.AnswerInput(question_id=question.pk, choice_id=question.choices.first().pk)
        ],
    )
    add_evidence(
        campaign=with_kit.campaign,
        department=with_kit.sales,
        answer=consultant.answers.get(question=question),
        kind="text",
        title="Weekly KPI sheet",
        text="Churn of six months",
        by=with_kit.users.consultant,
    )
    client.force_login(with_kit.users.consultant)
    url = reverse("reports:interview-guide", args=[with_kit.campaign.pk])
    reply = client.get(url, {"department": with_kit.sales.pk, "language": "en"})
    assert reply.status_code == 200
    assert reply["Content-Type"] == "application/pdf"
    text = pdf_text(reply.content)
    assert "Evidencerecordsofthisdepartment•WeeklyKPIsheet(Pendingreview)" in text
    # The data dimension has no kit and the department no evidence on it.
    assert "Nointerviewkitforthisdimensionyet." in text
    assert squeeze("Six months of churn are on the weekly dashboard.") in text


def test_a_department_of_another_campaign_is_not_found(client, with_kit):
    client.force_login(with_kit.users.consultant)
    url = reverse("reports:interview-guide", args=[with_kit.campaign.pk])
    assert client.get(url, {"department": with_kit.globex_sales.pk}).status_code == 404
    assert client.get(url, {"department": "x"}).status_code == 404


@pytest.mark.parametrize(("role", "expected"), matrix(MANAGERS))
def test_only_org_admins_and_consultants_download_the_interview_guide(
    client, with_kit, role, expected
):
    reply = as_role(client, with_kit, role).get(
        reverse("reports:interview-guide", args=[with_kit.campaign.pk])
    )
    check(reply, expected)
    if expected == 200:
        assert "サンプル診断" in pdf_text(reply.content)
