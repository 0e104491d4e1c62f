"""The report's cover, read back from the PDF (pypdf): the addressee with 御中 (ja) or
"Prepared for" (en), the title, the consulting firm and its logo from the settings, the
consultants' full names and the confidentiality line."""

import io

import pytest
from PIL import Image
from pypdf import PdfReader

from reports.campaign_report import build_campaign_report
from reports.cover import logo_image
from tests.reports.test_campaign_report import scored  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def cover(pdf: bytes) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def cover_images(pdf: bytes) -> list:
    return list(PdfReader(io.BytesIO(pdf)).pages[0].images)


@pytest.fixture
def named_consultant(scored):  # noqa: F811
    scored.users.consultant.last_name, scored.users.consultant.first_name = "田中", "健"
    scored.users.consultant.save()
    return scored


def test_the_japanese_cover_addresses_the_client_with_onchu(named_consultant, settings):
    settings.REPORT_CONSULTING_FIRM = "みらいコンサルティング株式会社"
    settings.REPORT_LOGO_PATH = None
    text = cover(build_campaign_report(named_consultant.campaign, language="ja"))
    lines = [line.strip() for line in text.splitlines()]
    assert "Acme 御中" in lines
    assert "Level check" in lines  # the campaign's name
    assert "担当コンサルタント：田中 健" in lines  # family name first, full name
    # (pypdf reads the ideographic space after 社外秘 as a plain space)
    assert "社外秘 本書はAcme様のためだけに作成したものです" in text.replace("\u3000", " ")
    # The firm twice: in the drawn wordmark (no logo file) and at the foot.
    assert text.count("みらいコンサルティング株式会社") == 2
    assert cover_images(build_campaign_report(named_consultant.campaign, language="ja")) == []


def test_the_english_cover_is_prepared_for_the_client(named_consultant, settings):
    settings.REPORT_CONSULTING_FIRM = "Mirai Consulting"
    text = cover(build_campaign_report(named_consultant.campaign, language="en"))
    assert "Prepared for Acme" in text
    assert "Confidential — prepared for Acme only" in text
    assert "Consultant: 田中 健" in text
    assert "Mirai Consulting" in text
    assert "御中" not in text and "社外秘" not in text


def test_without_a_firm_the_wordmark_reads_levelcheck(named_consultant, settings):
    settings.REPORT_CONSULTING_FIRM = ""
    settings.REPORT_LOGO_PATH = None
    text = cover(build_campaign_report(named_consultant.campaign, language="en"))
    assert text.count("LevelCheck") == 1  # the wordmark only; no empty firm line


def test_a_logo_file_is_drawn_on_the_cover(named_consultant, settings, tmp_path):
    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 40), (15, 92, 115)).save(logo)
    settings.REPORT_LOGO_PATH = str(logo)
    settings.REPORT_CONSULTING_FIRM = "Mirai Consulting"
    pdf = build_campaign_report(named_consultant.campaign, language="en")
    images = cover_images(pdf)
    assert len(images) == 1
    assert images[0].image.size == (120, 40)
    assert "LevelCheck" not in cover(pdf)  # the logo replaces the wordmark


def test_an_unreadable_logo_falls_back_to_the_wordmark(named_consultant, settings, tmp_path):
    broken = tmp_path / "logo.png"
    broken.write_bytes(b"not an image")
    assert logo_image(str(broken)) is None
    assert logo_image(str(tmp_path / "missing.png")) is None
    settings.REPORT_LOGO_PATH = str(broken)
    settings.REPORT_CONSULTING_FIRM = ""
    pdf = build_campaign_report(named_consultant.campaign, language="en")
    assert cover_images(pdf) == [] and "LevelCheck" in cover(pdf)
