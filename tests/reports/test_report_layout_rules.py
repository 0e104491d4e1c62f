"""Layout rules of the campaign report checked from the story, the flowables and the PDF
itself: the progress hook the report job reads while the worker builds, numbered captions,
the raters counted in words, English punctuation, page breaks, headings kept with what
follows, tables never leaving one row alone, level chips with AA contrast."""

import io
import re

import pytest
from django.utils import translation
from pypdf import PdfReader
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Spacer
from reportlab.platypus.tableofcontents import TableOfContents

from assessments import services
from assessments.models import Response
from reports.campaign_report import build_campaign_report
from reports.cover import Cover
from reports.document import (
    LEADER_STEP,
    PAGE_COLUMN,
    SCALE,
    AlignedContents,
    Heading,
    ReportDocument,
    styles,
    table_of_contents,
)
from reports.flowables import FitTable, JPParagraph
from reports.layout import KEEP_ROWS, Captions, LevelChip, ReportTable, chip_colours
from results.charts.palette import INK, WHITE, contrast
from tests.reports.test_campaign_report import answer_all, scored  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def test_progress_hears_data_then_every_page_then_done_with_the_page_count(scored):  # noqa: F811
    heard = []
    pdf = build_campaign_report(
        scored.campaign, language="en", progress=lambda *call: heard.append(call)
    )
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert heard[0] == ("data", 1, 1)
    assert heard[-1] == ("done", pages, pages)
    layout = [call for call in heard[1:-1]]
    assert {stage for stage, _done, _total in layout} == {"layout"}
    # The first pass does not know the page count yet; every later one does.
    first_pass = [done for _s, done, total in layout if total is None]
    assert first_pass == list(range(1, pages + 1))
    later = [(done, total) for _s, done, total in layout if total is not None]
    assert later and all(total == pages for _done, total in later)
    assert [done for done, _t in later][-pages:] == list(range(1, pages + 1))


def test_without_progress_the_report_is_built_as_before(scored):  # noqa: F811
    assert build_campaign_report(scored.campaign, language="en").startswith(b"%PDF")


# ------------------------------------------------------------------ captions and counts


def lines_of(pdf: bytes) -> list[str]:
    return [
        line.strip()
        for page in PdfReader(io.BytesIO(pdf)).pages
        for line in page.extract_text().splitlines()
    ]


def test_every_table_and_chart_has_a_numbered_caption_in_order(scored):  # noqa: F811
    found = lines_of(build_campaign_report(scored.campaign, language="ja"))
    tables = [line for line in found if re.match(r"^表\d+ ", line)]
    figures = [line for line in found if re.match(r"^図\d+ ", line)]
    # The summary's strengths and gaps first, then the organisation by area.
    assert tables[:2] == ["表1 強みと課題", "表2 領域別の組織全体"]
    assert [int(re.match(r"^表(\d+)", t).group(1)) for t in tables] == list(
        range(1, len(tables) + 1)
    )
    # The organisation's heatmap, its radar, the area heatmap, then each department's radar.
    assert figures[:3] == [
        "図1 部門×評価軸の平均",
        "図2 組織全体のプロファイル",
        "図3 部門×領域の平均",
    ]
    # Departments by name.
    assert figures[3:] == ["図4 Customer Successと組織平均", "図5 Salesと組織平均"]


def test_english_captions_read_figure_and_table(scored):  # noqa: F811
    found = lines_of(build_campaign_report(scored.campaign, language="en"))
    assert "Table 1. Strengths and gaps" in found
    assert "Figure 1. Mean by department and dimension" in found
    assert "Figure 5. Sales against the organisation" in found


def test_the_perception_gap_counts_one_manager_in_words(scored):  # noqa: F811
    text = "\n".join(lines_of(build_campaign_report(scored.campaign, department=scored.sales)))
    # Sales: the manager answered the middle choice (3) everywhere, the consultant the first
    # (1): 3.00 against 1.00, gap +2.00; one of each.
    assert "kpiの軸：管理職1名 3.00、コンサルタント1名 1.00（+2.00）" in text
    english = "\n".join(
        lines_of(build_campaign_report(scored.campaign, department=scored.sales, language="en"))
    )
    assert "kpi axis: 1 manager 3.00, 1 consultant 1.00 (+2.00)." in english
    assert "managers 3.00" not in english


def test_two_managers_are_counted_in_the_plural(scored):  # noqa: F811
    second = services.add_respondent(
        campaign=scored.campaign,
        department=scored.sales,
        user=scored.users.staff,
        rater_role=Response.RaterRole.MANAGER,
        notify=False,
    )
    answer_all(second, scored.questions, 2)  # the last choice: 5 everywhere
    english = "\n".join(
        lines_of(build_campaign_report(scored.campaign, department=scored.sales, language="en"))
    )
    # Managers (3 + 5) ÷ 2 = 4.00 against the consultant's 1.00: gap +3.00.
    assert "kpi axis: 2 managers 4.00, 1 consultant 1.00 (+3.00)." in english


def test_the_english_report_writes_its_own_texts_with_english_punctuation(scored):  # noqa: F811
    found = lines_of(build_campaign_report(scored.campaign, department=scored.sales, language="en"))
    # No text here is Japanese user data (the sample framework and comments are English or
    # empty), so no Japanese punctuation at all.
    assert [line for line in found if re.search("[「」・、。（）〜：]", line)] == []
    # The disagreement range reads "(1–3)": in Sales the consultant answered 1 and the manager
    # 3 to every question.
    assert "• kpi question 0 (1–3)" in found


# ------------------------------------------------------------------ the story's rules


def story_of(campaign, **kwargs) -> list:
    """The flowables the report builds, captured before layout."""
    captured = []
    original = ReportDocument.build_pdf

    def capture(self, story):
        captured.extend(story)
        return original(self, story)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ReportDocument, "build_pdf", capture)
        build_campaign_report(campaign, **kwargs)
    return captured


def test_page_breaks_only_after_the_cover_and_the_contents(scored):  # noqa: F811
    story = story_of(scored.campaign, language="ja")
    breaks = [i for i, f in enumerate(story) if type(f) is PageBreak]
    assert isinstance(story[0], Cover) and breaks[0] == 1
    assert isinstance(story[breaks[1] - 1], TableOfContents)
    assert len(breaks) == 2  # chapters and departments: CondPageBreak, never a forced break


def test_every_heading_keeps_with_next_behind_a_conditional_break(scored):  # noqa: F811
    story = story_of(scored.campaign, language="en")
    headings = [i for i, f in enumerate(story) if isinstance(f, Heading)]
    assert len(headings) > 5
    for i in headings:
        assert story[i].style.keepWithNext == 1
        assert isinstance(story[i - 1], CondPageBreak), story[i].toc_text
    # A heading right above a short table or a chart goes inside its KeepTogether (platypus
    # does not join a heading to a KeepTogether after it), first, after a CondPageBreak.
    grouped = [
        (i, f)
        for i, f in enumerate(story)
        if isinstance(f, KeepTogether) and isinstance(f._content[0], Heading)
    ]
    assert grouped
    for i, group in grouped:
        assert isinstance(story[i - 1], CondPageBreak), group._content[0].toc_text
    names = [f._content[0].toc_text for _i, f in grouped]
    assert "Strengths and gaps" in names and "The organisation" in names


def test_short_tables_are_kept_whole_with_their_caption(scored):  # noqa: F811
    story = story_of(scored.campaign, language="en")
    kept = [f for f in story if isinstance(f, KeepTogether)]
    tables = [f for f in kept if any(isinstance(c, ReportTable) for c in f._content)]
    assert tables
    for group in tables:
        *headings, caption, table = group._content  # a heading above goes in too
        assert all(isinstance(h, Heading) for h in headings)
        assert caption.style.name == "table_caption"
        assert len(table._cellvalues) - 1 <= KEEP_ROWS
    # Every table is followed by space before the next text.
    for i, f in enumerate(story[:-1]):
        if f in tables or isinstance(f, ReportTable):
            assert isinstance(story[i + 1], Spacer) and story[i + 1].height >= 10


def test_level_chips_stand_in_the_tables_and_level_zero_is_zero(scored):  # noqa: F811
    story = story_of(scored.campaign, language="en")
    chips = [
        flowable
        for f in story
        for t in ([f] if isinstance(f, ReportTable) else getattr(f, "_content", []))
        if isinstance(t, ReportTable)
        for row in t._cellvalues
        for cell in row  # a flowable cell is a tuple of flowables
        for flowable in (cell if isinstance(cell, tuple) else (cell,))
        if isinstance(flowable, LevelChip)
    ]
    # Organisation by dimension (2), its area (1), each department's area (1) and
    # dimensions (2): 2 + 1 + 2 × (1 + 2) = 9 chips, each a whole number.
    assert len(chips) == 9 and all(chip.text.isdigit() for chip in chips)
    assert LevelChip(0, 0, 3).text == "0"
    assert LevelChip(None, 0, 3).text == "–"


# ------------------------------------------------------------------ flowables on their own


def tall_table(body_rows: int) -> ReportTable:
    table = ReportTable(
        [["h"]] + [[str(i)] for i in range(body_rows)],
        rowHeights=[20] * (body_rows + 1),
        repeatRows=1,
    )
    table.wrap(100, 1000)
    return table


@pytest.mark.parametrize(
    ("room", "first_body_rows"),
    [
        # 10 body rows of 20 pt and a 20 pt header. Room for the header and 9 rows would leave
        # one row alone on the next page: 8 go first, 2 follow.
        (200, 8),
        # Room for the header and one row only: the table moves on whole.
        (45, 0),
        # Room for the header and 4 rows: a plain split, 4 and 6.
        (100, 4),
    ],
)
def test_a_split_table_leaves_at_least_two_rows_on_each_page(room, first_body_rows):
    parts = tall_table(10).split(100, room)
    if first_body_rows == 0:
        assert parts == []
        return
    first, rest = parts
    assert len(first._cellvalues) - 1 == first_body_rows
    assert len(rest._cellvalues) - 1 == 10 - first_body_rows


@pytest.mark.parametrize(("low", "high"), [(1, 5), (0, 3), (0, 10), (1, 4)])
def test_chip_text_meets_aa_contrast_on_every_level(low, high):
    for level in range(low, high + 1):
        fill, text = chip_colours(level, low, high)
        assert contrast(fill, text) >= 4.5, (level, fill, text)
        # White only on a fill dark enough for it.
        if text == WHITE:
            assert contrast(fill, WHITE) >= 4.5


def test_the_palette_chips_pick_white_only_on_the_two_dark_ends():
    # 1–5 uses the five palette steps: #b8461b (white 5.34:1), #ee9a5b, #f3dc95, #8fccaf (ink
    # contrasts more) and #1f7a6d (white 5.17:1).
    texts = [chip_colours(level, 1, 5)[1] for level in range(1, 6)]
    assert texts == [WHITE, INK, INK, INK, WHITE]


def test_contents_leaders_sit_on_one_grid_before_a_fixed_column():
    # The leader dots of every entry start on a multiple of LEADER_STEP and stop before the
    # page-number column, whatever the entry's length.
    assert PAGE_COLUMN >= 20 and LEADER_STEP > 0
    toc = table_of_contents(styles())
    assert isinstance(toc, AlignedContents)


def test_every_style_takes_its_size_from_the_one_scale():
    sizes = {size for size, _leading in SCALE.values()}
    assert {style.fontSize for style in styles().values()} <= sizes
    # Nine steps from the caption (7.5 pt) to the title (24 pt), each larger than the last.
    ordered = [size for size, _leading in SCALE.values()]
    assert ordered == sorted(ordered) and ordered[0] == 7.5 and ordered[-1] == 24
    assert LevelChip(1, 1, 5).size == SCALE["caption"][0]


def test_a_markdown_table_gets_a_caption_and_takes_its_heading_along():
    s = styles()
    heading = JPParagraph("3つのタッチモデル", s["h3"])  # keeps with next
    story = [JPParagraph("前の段落", s["body"]), heading]
    rows = [[JPParagraph(t, s["cell"]) for t in row] for row in (["モデル", "顧客"], ["A", "大"])]
    table = FitTable(rows, header=True)
    captions = Captions(s)
    captions.tables = 21  # 21 tables before it in the report
    with translation.override("ja"):
        captions.markdown(story, [table, JPParagraph("後の段落", s["body"])], "3つのタッチモデル")
    assert len(story) == 4  # 前の段落, [heading, caption, table], space, 後の段落
    group = story[1]
    assert isinstance(group, KeepTogether)
    assert group._content[0] is heading and group._content[2] is table
    assert group._content[1].text == "表22 3つのタッチモデル"
    assert isinstance(story[2], Spacer) and story[2].height >= 10


def test_a_one_line_lead_in_under_a_heading_goes_with_the_table():
    s = styles()
    heading = JPParagraph("演習", s["h3"])
    lead_in = JPParagraph("ある企業の顧客構成とカスタマーサクセスの費用です。", s["body"])
    story = [heading, lead_in]
    rows = [[JPParagraph(t, s["cell"]) for t in row] for row in (["区分", "社数"], ["A", "20"])]
    Captions(s).markdown(story, [FitTable(rows, header=True)], "演習")
    assert story[0]._content[:2] == [heading, lead_in]
    # A long paragraph (more than 60 characters) stays where it is.
    long = JPParagraph("長い段落。" * 20, s["body"])
    story = [heading, long]
    Captions(s).markdown(story, [FitTable(rows, header=True)], "演習")
    assert story[:2] == [heading, long] and story[2]._content[0] is not heading
