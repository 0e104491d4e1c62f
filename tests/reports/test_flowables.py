"""Japanese line breaking (JPParagraph) and module Markdown as platypus flowables.

Two levels: the broken lines themselves, checked over every module text at many widths, and
real PDFs read back with poppler's ``pdftotext -bbox-layout`` (Debian ``poppler-utils``), which
gives each printed line with its x extent. Each check is first shown to catch reportlab's own
``wordWrap="CJK"``, so a pass means something.
"""

import functools
import itertools
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from reports.flowables import FitTable, JPParagraph, default_styles, markdown_flowables
from results.charts import fonts, kinsoku
from results.charts.kinsoku import NO_LINE_END, NO_LINE_START
from training.editions import facilitator_markdown

CONTENT = Path(__file__).resolve().parents[2] / "training" / "content"
XHTML = "{http://www.w3.org/1999/xhtml}"
MARGIN, FRAME_PADDING = 72, 6  # SimpleDocTemplate's frame pads its content by 6 pt

STYLE = ParagraphStyle("t", fontName=fonts.FONT, fontSize=10, leading=16, wordWrap="CJK")
# Ten full-width characters to a line at 10 pt in a 100.3 pt frame; each line is followed by
# punctuation that a naive wrap hangs in the margin or puts at the start of the next line.
TRAP = (
    "あいうえおかきくけこ。」さしすせそたちつてと、なにぬねのはひふへほ、"
    "まみむめもやゆよらり）。るれろわをんアイウエオ！カキクケコサシスセソー"
    "タチツテトナニヌネノっハヒフヘホマミムメモ・ヤユヨラリルレロワヲ。"
)
TRAP_WIDTH = 100.3


def module_paragraphs() -> list[JPParagraph]:
    """Every paragraph, list item, heading and table cell of every module, in both languages,
    as the facilitator's edition prints it (every block; training.editions takes the
    facilitator-only fences out before any text reaches the PDF)."""
    paragraphs = []
    for path in sorted(CONTENT.glob("*.md")):
        body = facilitator_markdown(path.read_text(encoding="utf-8").split("\n---\n", 1)[1])
        for flowable in markdown_flowables(body.replace("\n## ", "\n### ")):
            if isinstance(flowable, FitTable):
                paragraphs.extend(cell for row in flowable.rows for cell in row)
            elif isinstance(flowable, JPParagraph):
                paragraphs.append(flowable)
    return paragraphs


def broken_lines(paragraph: Paragraph, width: float) -> list[tuple[str, float]]:
    """``(text, drawn width)`` of each line once the paragraph is wrapped to ``width``."""
    paragraph.wrap(width, 10_000)
    bl_para, style = paragraph.blPara, paragraph.style
    if bl_para.kind == 0:  # reportlab's single-font path
        return [
            (text, stringWidth(text, style.fontName, style.fontSize))
            for _, words in bl_para.lines
            for text in [" ".join(words)]
        ]
    return [
        (
            "".join(w.text for w in line.words),
            sum(stringWidth(w.text, w.fontName, w.fontSize) for w in line.words),
        )
        for line in bl_para.lines
    ]


def line_problems(lines: list[tuple[str, float]], width: float) -> list[str]:
    problems = []
    for i, (text, drawn) in enumerate(lines):
        text = text.strip()
        if drawn > width + 1e-6:
            problems.append(f"wider than {width:.1f} pt ({drawn:.1f}): {text}")
        if i and text[:1] in NO_LINE_START:
            problems.append(f"starts with {text[0]}: {text}")
        if i < len(lines) - 1 and text[-1:] in NO_LINE_END:
            problems.append(f"ends with {text[-1]}: {text}")
    return problems


def split_words(lines: list[tuple[str, float]], source: str) -> list[str]:
    """Places where a line break falls inside a Latin word or a number of ``source``."""
    found, position = [], 0
    for (a, _), (b, _) in itertools.pairwise(lines):
        position = source.index(a.strip(), position) + len(a.strip())
        if re.match(r"[A-Za-z0-9][A-Za-z0-9]", source[position - 1 : position + 1]):
            found.append(f"{a} | {b}")
    return found


# -- lines, over the real module texts --------------------------------------------------------

WIDTHS = (58.5, 95.3, 141.7, 233.1, 318.9, 451.3)


def test_reportlab_cjk_wrap_breaks_the_rules_these_tests_check():
    paragraph = Paragraph(TRAP, STYLE)
    problems = line_problems(broken_lines(paragraph, TRAP_WIDTH), TRAP_WIDTH)
    assert any("starts with 」" in p for p in problems), problems
    assert any("wider than" in p for p in problems), problems
    naive = [
        problem
        for width in WIDTHS
        for source in module_paragraphs()
        for problem in line_problems(
            broken_lines(Paragraph(source.text, source.style), width), width
        )
    ]
    assert len(naive) > 50


def test_trap_paragraph_keeps_kinsoku_and_stays_inside_the_width():
    lines = broken_lines(JPParagraph(TRAP, STYLE), TRAP_WIDTH)
    assert line_problems(lines, TRAP_WIDTH) == []
    assert "".join(text for text, _ in lines) == TRAP
    assert lines[0][0] == "あいうえおかきくけ"  # こ moved down with 。」 (追い出し)
    assert lines[1][0].startswith("こ。」")


@pytest.mark.parametrize("width", WIDTHS)
def test_every_module_paragraph_breaks_by_the_rules(width):
    checked = 0
    for paragraph in module_paragraphs():
        lines = broken_lines(paragraph, width)
        assert line_problems(lines, width) == [], paragraph.text
        source = "".join(f.text for f in paragraph.frags)
        if width > 90:  # narrower, a number such as 1,500,000円 may have to be cut
            assert split_words(lines, source) == [], source
        assert "".join(t for t, _ in lines).replace(" ", "") == source.replace(" ", "")
        checked += 1
    assert checked > 400


def test_latin_breaks_at_spaces_and_a_long_url_is_cut_only_when_nothing_else_fits():
    text = (
        "顧客の声は customer success と account management の両方で扱います。"
        "詳細は https://example.com/levelcheck/reports/very-long-path-to-a-document を参照。"
    )
    lines = broken_lines(JPParagraph(text, STYLE), 120)
    assert line_problems(lines, 120) == []
    words = [w for t, _ in lines for w in t.split()]
    for word in ("customer", "success", "account", "management"):
        assert any(word in w for w in words), lines
    assert split_words(lines, text) == []  # the URL is cut after a "/" or "-", nowhere else
    assert [t for t, _ in lines if t.endswith(("/", "-"))], lines
    url = "https://example.com/levelcheck/reports/very-long-path-to-a-document"
    assert url in "".join(t for t, _ in lines)


def test_markup_survives_line_breaking():
    text = "売上は<b>288,000円</b>、粗利は<font color='#C00000'>172,800円</font>です。" * 4
    paragraph = JPParagraph(text, STYLE)
    paragraph.wrap(90, 1000)
    bold = [
        w.text
        for line in paragraph.blPara.lines
        for w in line.words
        if w.fontName == fonts.FONT_BOLD
    ]
    assert "".join(bold) == "288,000円" * 4


def test_a_split_paragraph_keeps_its_text_and_markup_in_both_halves():
    text = "売上は<b>288,000円</b>、粗利は<font color='#C00000'>172,800円</font>です。" * 6
    paragraph = JPParagraph(text, STYLE)
    paragraph.wrap(90, 1000)
    lines = len(paragraph.blPara.lines)
    halves = paragraph.split(90, STYLE.leading * (lines // 2) + 1)
    assert len(halves) == 2
    frags = [f for half in halves for f in half.frags]
    assert "".join(f.text for f in frags) == "売上は288,000円、粗利は172,800円です。" * 6
    bold = "".join(f.text for f in frags if f.fontName == fonts.FONT_BOLD)
    assert bold == "288,000円" * 6
    red = "".join(f.text for f in frags if f.textColor != STYLE.textColor)
    assert red == "172,800円" * 6


def test_paragraphs_share_one_object_per_character():
    """The line breaker keeps a paragraph's characters as shared strs in flat lists, not one
    object with its own attributes a character (the memory of a 50-department report)."""
    one = JPParagraph("顧客の成功を指標にする。", STYLE)._prepared()
    two = JPParagraph("成功する顧客の指標。", STYLE)._prepared()
    assert type(one.units[0]) is str
    assert one.units[1] is two.units[5]  # 客
    assert one.widths[1] is two.widths[5]
    assert len(one.units) == len(one.widths) == len(one.space) == len(one.forced) == 12


def test_a_forced_break_and_a_bullet_are_kept():
    paragraph = JPParagraph("一行目<br/>二行目です。", STYLE, bulletText="•")
    lines = broken_lines(paragraph, 200)
    assert [t for t, _ in lines] == ["一行目", "二行目です。"]


# -- one kinsoku table for the PDF and the charts ---------------------------------------------

# Five full-width characters fit a line (10 pt); the sixth would start the next line.
FIVE = 50.3


def paragraph_lines(text: str) -> list[str]:
    return [t for t, _ in broken_lines(JPParagraph(text, STYLE), FIVE)]


def chart_lines(text: str) -> list[str]:
    return fonts.wrap(text, 10, FIVE, 6)


def test_the_table_holds_the_marks_every_reader_expects():
    assert set("、。」』）ー・っゃッャ々！？") <= NO_LINE_START
    assert set("（「『【") <= NO_LINE_END


@pytest.mark.parametrize("char", sorted(NO_LINE_START | set("、。」ー")))
@pytest.mark.parametrize("wrapper", [paragraph_lines, chart_lines])
def test_neither_wrapper_starts_a_line_with(wrapper, char):
    lines = wrapper(f"あいうえお{char}かきくけこさしすせそ")
    assert "".join(lines) == f"あいうえお{char}かきくけこさしすせそ"
    assert len(lines) > 1
    assert not any(line.startswith(char) for line in lines[1:]), lines


@pytest.mark.parametrize("char", sorted(NO_LINE_END | set("（「")))
@pytest.mark.parametrize("wrapper", [paragraph_lines, chart_lines])
def test_neither_wrapper_ends_a_line_with(wrapper, char):
    lines = wrapper(f"あいうえ{char}かきくけこさしすせそ")
    assert "".join(lines) == f"あいうえ{char}かきくけこさしすせそ"
    assert not any(line.endswith(char) for line in lines[:-1]), lines


@pytest.mark.parametrize("wrapper", [paragraph_lines, chart_lines])
def test_both_wrappers_read_the_one_table(wrapper, monkeypatch):
    text = "あいうえおかきくけこさしすせそ"
    assert wrapper(text)[1].startswith("か")  # か may start a line...
    monkeypatch.setattr(kinsoku, "NO_LINE_START", kinsoku.NO_LINE_START | {"か"})
    assert not any(line.startswith("か") for line in wrapper(text))  # ...until the table says no


# -- Markdown to flowables --------------------------------------------------------------------

MARKDOWN = """\
### 見出し

本文の段落です。**太字**と*斜体*と`code`、そして a < b & c > d。

- 箇条書き1
- 箇条書き2
    - 入れ子

1. 番号付き1
2. 番号付き2

> 引用文です。

| 項目 | 値 |
|---|---:|
| 顧客数 | 200社 |
| MRR | 10,000,000円 |
"""


def test_markdown_becomes_headings_paragraphs_lists_quotes_and_tables():
    styles = default_styles()
    flowables = [f for f in markdown_flowables(MARKDOWN, styles) if not isinstance(f, Spacer)]
    kinds = [
        (
            type(f).__name__,
            getattr(f, "style", None) and f.style.name,
            getattr(f, "bulletText", None),
        )
        for f in flowables
    ]
    assert kinds[0] == ("JPParagraph", "heading3", None)
    assert kinds[1][:2] == ("JPParagraph", "body")
    assert [k[2] for k in kinds[2:7]] == ["•", "•", "◦", "1.", "2."]
    assert flowables[4].style.leftIndent > flowables[3].style.leftIndent
    assert flowables[7].style.leftIndent > 0  # the quote
    table = flowables[8]
    assert isinstance(table, FitTable) and table.header
    assert [cell.style.alignment for cell in table.rows[1]] == [TA_LEFT, TA_RIGHT]  # numbers
    assert "<b>太字</b>" in flowables[1].text
    assert "a &lt; b &amp; c &gt; d" in flowables[1].text


def test_script_and_unknown_tags_do_not_reach_reportlab():
    flowables = markdown_flowables('<script>alert(1)</script>ok <img src=x onerror="y"> & <br>')
    assert [f.text for f in flowables] == ["ok &amp;"]


def test_table_columns_fit_the_width():
    rows = "\n".join(
        f"| {'とても長いセルの説明文' * 3} | 値{i} | {'補足' * 10} |" for i in range(3)
    )
    table = markdown_flowables(f"| 説明 | 値 | 補足 |\n|---|---|---|\n{rows}\n")[0]
    widths = table.column_widths(300)
    assert sum(widths) == pytest.approx(300)
    assert widths[1] >= table.rows[1][1].minWidth() + 2 * table.PADDING
    assert table.column_widths(1000) == table.column_widths(2000)  # natural widths


# -- PDFs read back --------------------------------------------------------------------------


def needs_poppler(test):
    """`make test` installs poppler-utils; a missing pdftotext is a broken setup, not a pass."""

    def wrapped(*args, **kwargs):
        if shutil.which("pdftotext") is None:
            pytest.fail("needs pdftotext: `make pdf-tools` installs poppler-utils")
        return test(*args, **kwargs)

    return functools.wraps(test)(wrapped)


def build_pdf(path: Path, flowables: list, width: float) -> float:
    """A PDF whose frame is ``width`` wide; returns the frame's right edge (x, in pt)."""
    right_margin = A4[0] - MARGIN - width - 2 * FRAME_PADDING
    doc = SimpleDocTemplate(
        str(path), pagesize=A4, leftMargin=MARGIN, rightMargin=right_margin, pageCompression=0
    )
    doc.build(flowables)
    return MARGIN + FRAME_PADDING + width


def pdf_lines(path: Path) -> list[tuple[str, float]]:
    """``(text, x of the right end)`` of each line that pdftotext finds."""
    output = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    root = ElementTree.fromstring(output)
    return [
        (" ".join(w.text or "" for w in line.iter(f"{XHTML}word")), float(line.get("xMax")))
        for line in root.iter(f"{XHTML}line")
    ]


def pdf_problems(lines: list[tuple[str, float]], right: float) -> list[str]:
    problems = [
        f"past the margin ({x:.1f} > {right:.1f}): {t}" for t, x in lines if x > right + 0.01
    ]
    problems += [f"starts with {t[0]}: {t}" for t, _ in lines[1:] if t[:1] in NO_LINE_START]
    return problems


@needs_poppler
def test_pdf_of_reportlab_cjk_wrap_fails_the_check(tmp_path):
    right = build_pdf(tmp_path / "naive.pdf", [Paragraph(TRAP, STYLE)], TRAP_WIDTH)
    problems = pdf_problems(pdf_lines(tmp_path / "naive.pdf"), right)
    assert any("past the margin" in p for p in problems), problems
    assert any("starts with" in p for p in problems), problems


@needs_poppler
def test_pdf_of_jp_paragraph_passes_the_check(tmp_path):
    long_text = TRAP * 40  # across pages: the split keeps the text and the rules
    flowables = [JPParagraph(TRAP, STYLE), JPParagraph(long_text, STYLE)]
    right = build_pdf(tmp_path / "jp.pdf", flowables, TRAP_WIDTH)
    lines = pdf_lines(tmp_path / "jp.pdf")
    assert pdf_problems(lines, right) == []
    assert "".join(t for t, _ in lines) == TRAP + long_text


@needs_poppler
def test_pdf_of_module_markdown(tmp_path):
    text = (CONTENT / "ltv-and-subscription.ja.md").read_text(encoding="utf-8")
    body = facilitator_markdown(text.split("\n---\n")[1])
    right = build_pdf(tmp_path / "module.pdf", markdown_flowables(body), 320)
    lines = pdf_lines(tmp_path / "module.pdf")
    assert pdf_problems(lines, right) == []
    text = "".join(t for t, _ in lines).replace(" ", "")
    for cell in (
        "平均購買単価（＝平均単価）",
        "8,000円",
        "オンボーディング、解約の予兆への対応、合う顧客の獲得",
    ):
        assert cell in text or all(part in text for part in cell.split("、")), cell


@needs_poppler
def test_pdf_of_a_wrapping_table_keeps_every_cell_inside_the_frame(tmp_path):
    cells = [
        ["レバー", "主な施策", "主に担う部門"],
        ["継続期間", "オンボーディング、解約の予兆への対応、合う顧客の獲得", "全部門"],
        ["購買頻度", "利用の定着、追加購入のきっかけづくり（Customer Success）", "マーケティング"],
    ]
    markdown = "\n".join("| " + " | ".join(row) + " |" for row in cells[:1])
    markdown += "\n|---|---|---|\n" + "\n".join("| " + " | ".join(r) + " |" for r in cells[1:])
    right = build_pdf(tmp_path / "table.pdf", markdown_flowables(markdown), 200)
    lines = pdf_lines(tmp_path / "table.pdf")
    assert all(x <= right + 0.01 for _, x in lines), lines
    printed = sorted("".join(t for t, _ in lines).replace(" ", ""))
    assert printed == sorted("".join("".join(row) for row in cells).replace(" ", ""))


@needs_poppler
def test_pdf_keeps_english_words_whole_and_bold_outlined(tmp_path):
    text = (
        "**LTV** は customer lifetime value の略で、subscription business では"
        "unit economics と合わせて議論します。"
    ) * 3
    build_pdf(tmp_path / "en.pdf", markdown_flowables(text), 150)
    words = " ".join(t for t, _ in pdf_lines(tmp_path / "en.pdf")).split()
    for word in ("customer", "lifetime", "value", "subscription", "business", "unit", "economics"):
        assert any(word in w for w in words), words
    content = (tmp_path / "en.pdf").read_bytes()
    if fonts.FONT != fonts.FONT_BOLD:  # IPAex: bold is the regular glyphs with an outline
        assert content.count(b" 2 Tr") == 3
