"""The PDF report and the handout: real text extracted from the PDFs, embedded fonts, a
table of contents that points at the right pages, and the command-line entry points."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from assessments import services
from assessments.models import Response
from assessments.services import AnswerInput
from reports.campaign_report import build_campaign_report
from reports.handout import build_handout
from tests.training.conftest import write_module
from training.models import Module
from training.services import import_modules

pytestmark = pytest.mark.django_db


def answer_all(response, questions, index):
    items = [
        AnswerInput(question_id=q.pk, choice_id=list(q.choices.all())[index].pk)
        for q in questions.values()
        if q.applies_to(response.department.function)
    ]
    services.save_answers(response=response, items=items)
    services.submit_response(response=response)


@pytest.fixture
def scored(cast, tmp_path):
    """Threshold 1: every department shown (tests/assessments/test_privacy.py withholds)."""
    cast.campaign.anonymity_threshold = 1
    cast.campaign.save()
    write_module(tmp_path)
    import_modules(directory=tmp_path)
    answer_all(cast.response, cast.questions, 1)
    answer_all(cast.other_response, cast.questions, 2)
    consultant = services.add_respondent(
        campaign=cast.campaign,
        department=cast.sales,
        user=cast.users.consultant,
        rater_role=Response.RaterRole.CONSULTANT,
        notify=False,
    )
    answer_all(consultant, cast.questions, 0)
    return cast


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def fonts(pdf: bytes) -> list[tuple[str, bool]]:
    """(base font, embedded?) for every font the pages use."""
    reader = PdfReader(io.BytesIO(pdf))
    found = {}
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font.get("/BaseFont"))] = embedded
    return sorted(found.items())


def test_the_report_names_the_organisation_departments_and_headings_in_japanese(scored):
    pdf = build_campaign_report(scored.campaign, language="ja")
    assert pdf.startswith(b"%PDF")
    text = "\n".join(pages_text(pdf))
    assert "Acme" in text and "Sales" in text and "Customer Success" in text
    for heading in ("目次", "エグゼクティブサマリー", "改善計画", "付録"):
        assert heading in text, heading
    assert "kpiの軸" in text  # dimension titles as Japanese characters


def test_every_font_is_embedded(scored):
    pdf = build_campaign_report(scored.campaign, language="ja")
    used = fonts(pdf)
    assert used, "no fonts found"
    assert all(embedded for _name, embedded in used), used
    assert all("IPAexGothic" in name for name, _e in used), used


def test_the_contents_page_points_at_the_right_pages(scored):
    pdf = build_campaign_report(scored.campaign, language="en")
    pages = pages_text(pdf)
    contents = pages[1]
    entries = re.findall(r"^(.+?)[ .]{3,}\s*(\d+)\s*$", contents, flags=re.MULTILINE)
    assert len(entries) >= 5, contents
    for title, number in entries:
        title = title.strip(" .")
        assert title in pages[int(number) - 1], (title, number)


def test_the_footer_says_page_x_of_y(scored):
    pdf = build_campaign_report(scored.campaign, language="en")
    pages = pages_text(pdf)
    assert f"Page 2 of {len(pages)}" in pages[1]
    assert "Confidential" in pages[-1]


def test_the_english_report_is_in_english(scored):
    text = "\n".join(pages_text(build_campaign_report(scored.campaign, language="en")))
    assert "Executive summary" in text and "Improvement plan" in text
    assert "kpi axis" in text


def test_a_department_report_holds_one_department(scored):
    pdf = build_campaign_report(scored.campaign, department=scored.sales, language="en")
    text = "\n".join(pages_text(pdf))
    assert "Sales" in text
    assert "Customer Success" not in text
    assert "Perception gap" in text  # the consultant rated Sales


def test_the_appendix_carries_the_study_session_material(scored):
    text = "\n".join(pages_text(build_campaign_report(scored.campaign, language="ja")))
    assert "LTVの基本" in text and "自社のLTVはいくらですか" in text  # module and discussion


def test_the_command_writes_the_report(scored, tmp_path):
    out = tmp_path / "report.pdf"
    call_command("render_report", str(scored.campaign.pk), "--lang", "en", "-o", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    call_command(
        "render_report",
        str(scored.campaign.pk),
        "--department",
        str(scored.sales.pk),
        "-o",
        str(out),
    )
    assert "Sales" in "\n".join(pages_text(out.read_bytes()))


def test_the_command_explains_unknown_campaigns_and_departments(scored, tmp_path):
    with pytest.raises(CommandError, match="No campaign with id 999"):
        call_command("render_report", "999", "-o", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="is not in this campaign"):
        call_command(
            "render_report",
            str(scored.campaign.pk),
            "--department",
            str(scored.globex_sales.pk),
            "-o",
            str(tmp_path / "x.pdf"),
        )


def test_the_handout_has_agenda_discussion_exercise_and_answer_key(scored, tmp_path):
    pdf = build_handout(list(Module.objects.all()), language="ja")
    text = "\n".join(pages_text(pdf))
    assert "LTVの基本" in text and "自社のLTVはいくらですか" in text
    assert "解説0" in text and "正解" in text  # the answer key with explanations
    assert all(embedded for _n, embedded in fonts(pdf))
    out = tmp_path / "handout.pdf"
    call_command("render_handout", "ltv-basics", "--lang", "en", "-o", str(out))
    assert "LTV basics" in "\n".join(pages_text(out.read_bytes()))
    with pytest.raises(CommandError, match="Unknown module"):
        call_command("render_handout", "nope", "-o", str(out))
