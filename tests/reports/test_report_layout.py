"""The report's layout, checked from the PDF itself (tests/reports/layout_checks.py).

First each check on small PDFs drawn here with reportlab, once where it must fail and once where
it must pass; then the demo reports (ja, en, one department), each built once for the module
from ``setup_demo``'s data, must show no violation at all.
"""

import io
import re
from pathlib import Path

import pdfplumber
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from reports.document import MARGIN, styles
from results.charts.fonts import FONT
from tests.reports import layout_checks as lc

WIDTH, HEIGHT = A4
H1 = styles()["h1"].fontSize  # 16 pt: a line this size opens a chapter


def pdf_of(*pages) -> pdfplumber.PDF:
    """A PDF whose page n is drawn by ``pages[n](canvas)``, opened for the checks."""
    out = io.BytesIO()
    canvas = pdfcanvas.Canvas(out, pagesize=A4, initialFontName=FONT)
    for draw in pages:
        canvas.setFont(FONT, 10)
        draw(canvas)
        canvas.showPage()
    canvas.save()
    return pdfplumber.open(io.BytesIO(out.getvalue()))


def text(x, y, string, size=10):
    """Draw ``string`` with its baseline at y (reportlab's y, from the bottom)."""

    def draw(canvas):
        canvas.setFont(FONT, size)
        canvas.drawString(x, y, string)

    return draw


def line(x0, y0, x1, y1, width=0.4):
    def draw(canvas):
        canvas.setLineWidth(width)
        canvas.line(x0, y0, x1, y1)

    return draw


def page(*draws):
    def draw(canvas):
        for each in draws:
            each(canvas)

    return draw


def full_page(canvas):
    """Text from the frame's top to near its bottom: a full page."""
    for y in range(int(HEIGHT - MARGIN - 20), int(MARGIN + 10), -40):
        text(MARGIN + 10, y, "A full line of body text", 10)(canvas)


def checks(violations) -> list[str]:
    return [v.check for v in violations]


# --- overlaps ---------------------------------------------------------------------------------


def test_text_crossed_by_a_table_rule_is_an_overlap():
    # A 10 pt line at baseline 700; a rule at y = 703 runs through its glyphs.
    pdf = pdf_of(page(text(100, 700, "Crossed"), line(90, 703, 300, 703)))
    found = lc.overlaps(pdf)
    assert checks(found) == ["overlap"] and found[0].page == 1
    assert "'Crossed'" in found[0].what and "line" in found[0].what


def test_text_touching_the_rule_above_it_is_an_overlap():
    # IPAex's em box: 10 pt from baseline − 1.2 pt (descent) up to baseline + 8.8 pt, so a
    # baseline at 700 puts the box's top at 708.8; a rule at 709.5 (0.4 pt wide) leaves
    # 709.5 − 0.2 − 708.8 = 0.5 pt: under CLEARANCE (1.5 pt), touching like ja p.21.
    pdf = pdf_of(page(text(100, 700, "Touching"), line(90, 709.5, 300, 709.5)))
    found = lc.overlaps(pdf)
    assert checks(found) == ["overlap"]
    assert "0.5 pt from a line" in found[0].what


def test_text_clear_of_rules_is_no_overlap():
    # Rule 4 pt above the box's top (708.8 + 4.2 = 713) and 3 pt below its bottom (698.8 − 3.2).
    pdf = pdf_of(
        page(
            text(100, 700, "Clear"),
            line(90, 713, 300, 713),
            line(90, 695.6, 300, 695.6),
            text(100, 650, "Other"),
            text(160, 650, "words"),
        )
    )
    assert lc.overlaps(pdf) == []


def test_text_over_text_is_an_overlap():
    pdf = pdf_of(page(text(100, 700, "First"), text(104, 704, "Second")))
    found = lc.overlaps(pdf)
    assert checks(found) == ["overlap"]
    assert "'Second' overlaps text 'First'" in found[0].what  # top line first


def radar(canvas):
    """A radar-like chart: a ring (a curve), two slanted spokes and an upright one, with a
    scale figure "3" sitting on the upright spoke (by design, as the report's radar)."""
    canvas.setLineWidth(0.6)
    canvas.circle(300, 500, 80)
    canvas.line(300, 500, 360, 560)
    canvas.line(300, 500, 240, 440)
    canvas.line(300, 500, 300, 580)
    canvas.setFont(FONT, 7)
    canvas.drawString(298, 540, "3")


def test_a_charts_own_label_on_its_own_spoke_is_exempt():
    assert lc.overlaps(pdf_of(radar)) == []


def test_a_table_rule_through_a_chart_label_is_not_exempt():
    # The same label, now crossed by a rule spanning the frame (a table's), which reaches out
    # of the chart's area.
    pdf = pdf_of(page(radar, line(MARGIN, 542, WIDTH - MARGIN, 542)))
    found = lc.overlaps(pdf)
    assert checks(found) == ["overlap"] and "'3'" in found[0].what


# --- margins ----------------------------------------------------------------------------------

RUNNING = lc.report_running(MARGIN)


def running_band(canvas):
    """The report's running header and footer, as reports.document draws them."""
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, HEIGHT - 12 * mm, WIDTH - MARGIN, HEIGHT - 12 * mm)
    canvas.line(MARGIN, 12 * mm, WIDTH - MARGIN, 12 * mm)
    canvas.setFont(FONT, 7.5)
    canvas.drawString(MARGIN, HEIGHT - 10 * mm, "Organisation · Campaign")
    canvas.drawString(MARGIN, 8 * mm, "Confidential")
    canvas.drawRightString(WIDTH - MARGIN, 8 * mm, "2 / 9")


def test_the_running_header_and_footer_are_exempt_from_the_margins():
    pdf = pdf_of(page(running_band, text(MARGIN, 700, "Inside the frame")))
    assert lc.outside_margins(pdf, MARGIN, RUNNING) == []


def test_text_in_the_margin_is_outside():
    # x = 20 pt is left of the 18 mm (51.0 pt) margin.
    pdf = pdf_of(page(running_band, text(20, 700, "Out")))
    found = lc.outside_margins(pdf, MARGIN, RUNNING)
    assert checks(found) == ["margin"] * 3  # one per character
    assert "char 'O'" in found[0].what


def test_a_drawing_past_the_right_margin_is_outside():
    # A cell whose right edge is at 546.3 pt, 2.1 pt past the frame's 544.3 (the heatmap today).
    def cell(canvas):
        canvas.rect(502.1, 600, 44.2, 20, stroke=1, fill=0)

    found = lc.outside_margins(pdf_of(cell), MARGIN, RUNNING)
    assert checks(found) == ["margin"] and "rect" in found[0].what


def test_running_text_in_the_wrong_size_is_not_exempt():
    # The header's place but 9 pt: not the running band's 7.5 pt text.
    pdf = pdf_of(page(text(MARGIN, HEIGHT - 10 * mm, "Big", size=9)))
    assert checks(lc.outside_margins(pdf, MARGIN, RUNNING)) == ["margin"] * 3


# --- fill -------------------------------------------------------------------------------------


def test_a_nearly_empty_page_before_an_ordinary_page_is_underfilled():
    # Page 1: one line at the frame's top (about 3 % of the 739.9 pt frame); page 2 starts with
    # body text, not a chapter.
    pdf = pdf_of(text(MARGIN, HEIGHT - MARGIN - 20, "Alone"), full_page, full_page)
    found = lc.underfilled_pages(pdf, MARGIN, H1)
    assert [(v.check, v.page) for v in found] == [("fill", 1)]
    assert "filled to 3%" in found[0].what


def test_a_short_page_before_a_chapter_and_the_last_page_are_not_underfilled():
    chapter = page(text(MARGIN, HEIGHT - MARGIN - 20, "Chapter", size=H1), full_page)
    short = text(MARGIN, HEIGHT - MARGIN - 20, "Short")
    pdf = pdf_of(full_page, short, chapter, short)
    assert lc.underfilled_pages(pdf, MARGIN, H1) == []


# --- split tables -----------------------------------------------------------------------------


def table_pdf(room_left: float) -> pdfplumber.PDF:
    """A header and six 20 pt rows after a spacer that leaves ``room_left`` points on page 1
    (the frame is 841.9 − 2 × 51.0 − 12 padding = 727.9 pt high)."""
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN,
    )  # fmt: skip
    rows = [["Dimension", "Level"]] + [[f"Row {n}", str(n)] for n in range(1, 7)]
    table = Table(rows, colWidths=[200, 80], rowHeights=20, repeatRows=1)
    table.setStyle(
        TableStyle(
            [("GRID", (0, 0), (-1, -1), 0.4, "#888888"), ("FONTNAME", (0, 0), (-1, -1), FONT)]
        )
    )
    frame_height = HEIGHT - 2 * MARGIN - 12
    document.build([Spacer(1, frame_height - room_left), table])
    return pdfplumber.open(io.BytesIO(out.getvalue()))


def test_a_table_leaving_one_row_on_a_page_is_a_split():
    # 45 pt left: the header and one row (40 pt) fit, then the header again and rows 2–6.
    found = lc.split_tables(table_pdf(45), MARGIN)
    assert [(v.check, v.page) for v in found] == [("split table", 1)]
    assert "(1 before, 5 after, header rows 1)" in found[0].what
    assert "'Row 1 | 1'" in found[0].what


def test_a_table_leaving_one_row_on_the_next_page_is_a_split():
    # 125 pt left: the header and rows 1–5 (120 pt) fit; row 6 goes on alone under the header.
    found = lc.split_tables(table_pdf(125), MARGIN)
    assert [(v.check, v.page) for v in found] == [("split table", 2)]
    assert "(5 before, 1 after, header rows 1)" in found[0].what and "'Row 6 | 6'" in found[0].what


def test_a_table_split_three_and_three_is_fine():
    # 85 pt left: header + rows 1–3 (80 pt), then header + rows 4–6.
    assert lc.split_tables(table_pdf(85), MARGIN) == []


# --- Japanese punctuation ---------------------------------------------------------------------


def test_japanese_punctuation_in_english_text_is_found():
    pdf = pdf_of(text(MARGIN, 700, "・ Levels （2〜5） apply"))
    found = lc.japanese_punctuation(pdf, user_data=[])
    assert [v.what[:3] for v in found] == ["'・'", "'（'", "'〜'", "'）'"]


def test_japanese_punctuation_inside_user_data_is_exempt_even_across_lines_and_pages():
    # The comment 「指標の定義を、揃える。」 is user data (its 「」 too), broken over a line and a
    # page; the report's own "(2–5)" is English. The ・ the report adds before it is not exempt.
    pdf = pdf_of(
        page(text(MARGIN, 700, "Comment: ・「指標の"), text(MARGIN, 685, "定義を、")),
        text(MARGIN, 700, "揃える。」 Levels (2–5)"),
    )
    found = lc.japanese_punctuation(pdf, user_data=["「指標の定義を、揃える。」"])
    assert [(v.page, v.what[:3]) for v in found] == [(1, "'・'")]


# --- the demo reports -------------------------------------------------------------------------

FRAMEWORK_FILE = Path(settings.BASE_DIR) / "maturity" / "frameworks" / "customer-engagement.yaml"
CURRENT = "2026年度 下期 レベルチェック"
DEPARTMENT = "営業部"


def user_data() -> list[str]:
    """What people typed, from the demo database: organisation, department and campaign names
    (the running header prints the campaign's), people's names, answer comments, the
    consultant's commentary (its Markdown's text, line by line), evidence titles and review
    comments, improvement actions' titles and descriptions."""
    from django.contrib.auth import get_user_model

    from assessments.models import Answer, Campaign, Department, Organisation
    from improvement.models import Action, Commentary, Evidence

    texts = list(Organisation.objects.values_list("name", flat=True))
    texts += Department.objects.values_list("name", flat=True)
    texts += Campaign.objects.values_list("name", flat=True)
    for user in get_user_model().objects.all():
        texts += [user.get_full_name(), user.last_name, user.first_name]
    texts += Answer.objects.exclude(comment="").values_list("comment", flat=True)
    for narrative, findings in Commentary.objects.values_list("narrative", "findings"):
        for line_text in (narrative + "\n" + findings).splitlines():
            # Markdown's markers are not printed: headings, list bullets, emphasis.
            bare = re.sub(r"^\s*(#+|[-*+]|\d+\.)\s+", "", line_text).replace("**", "")
            texts.append(bare.replace("__", ""))
    for title, review in Evidence.objects.values_list("title", "review_comment"):
        texts += [title, review]
    for title, description in Action.objects.values_list("title", "description"):
        texts += [title, *description.splitlines()]
    return [t for t in texts if t and t.strip()]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The three demo reports, rendered once for the module: {name: (pdfplumber PDF, user
    data or None)}; the test database is emptied after."""
    from assessments.models import Campaign
    from reports.campaign_report import build_campaign_report

    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast):
        try:
            out = io.StringIO()
            call_command("import_framework", str(FRAMEWORK_FILE), stdout=out)
            call_command("import_modules", verbosity=0, stdout=out)
            call_command("setup_demo", stdout=out)
            campaign = Campaign.objects.select_related("organisation", "framework").get(
                name=CURRENT
            )
            department = campaign.departments.get(name=DEPARTMENT)
            pdfs = {
                "ja": build_campaign_report(campaign, language="ja"),
                "en": build_campaign_report(campaign, language="en"),
                "department": build_campaign_report(campaign, department=department),
            }
            data = user_data()
        finally:
            call_command("flush", interactive=False, verbosity=0)
    opened = {name: pdfplumber.open(io.BytesIO(pdf)) for name, pdf in pdfs.items()}
    yield {name: (pdf, data if name == "en" else None) for name, pdf in opened.items()}
    for pdf in opened.values():
        pdf.close()


@pytest.mark.django_db
@pytest.mark.parametrize("report", ["ja", "en", "department"])
def test_demo_report_layout_has_no_violations(demo, report):
    pdf, data = demo[report]
    assert len(pdf.pages) > 5  # a whole report, not an error page
    found = lc.all_violations(pdf, margin=MARGIN, heading_size=H1, user_data=data)
    listing = "\n".join(str(v) for v in found)
    assert not found, f"{report} report, {len(found)} layout violation(s):\n{listing}"
