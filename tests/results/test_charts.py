"""The chart module: radar, heatmap and bars as reportlab Drawings, as SVG and as PDF."""

import io
import itertools
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from xml.dom import minidom

import pytest
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Circle, Drawing, Group, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import SimpleDocTemplate

from results.charts import fonts
from results.charts.drawings import Cell, Series, bar_chart, heatmap, radar_chart
from results.charts.palette import (
    DEPARTMENT_COLOUR,
    LEVEL_COLOURS,
    ORGANISATION_COLOUR,
    PREVIOUS_COLOUR,
    contrast,
    level_colour,
)
from results.charts.svg import drawing_to_svg

AXES = [
    "KPIと目標設定",
    "評価・インセンティブ制度",
    "ツールとシステム",
    "データ設計",
    "組織と役割分担",
    "オペレーションとプロセス",
    "カスタマーサクセス実践",
    "人材育成と学習",
    "リーダーシップと組織文化",
]
DEPARTMENT = [2.1, 1.4, 2.8, 2.5, 2.0, 2.2, 3.9, 2.4, 2.7]
ORGANISATION = [2.6, 1.9, 3.1, 2.8, 2.4, 2.6, 3.2, 2.6, 2.9]
PREVIOUS = [1.7, 1.1, 2.3, 2.0, 1.6, 1.9, 3.3, 2.0, 2.3]
DEPARTMENTS = [
    "マーケティング部",
    "営業部",
    "インサイドセールス部",
    "カスタマーサクセス部",
    "経営企画部",
    "プロダクト開発部",
    "人事部",
    "経理財務部",
    "情報システム部",
    "エンタープライズ営業第二部門",
]
# Labels of about 14 characters, the longest the framework format expects.
LONG_AXES = [
    "顧客の声を活かす仕組みづくり",
    "カスタマーサクセスの実践度合",
    "評価・インセンティブ制度設計",
    "リーダーシップと組織文化醸成",
    "データ設計とアナリティクス基盤",
    "オペレーションとプロセス改善",
    "人材育成と学習する組織づくり",
]


def series(values=DEPARTMENT):
    return [
        Series("前回", PREVIOUS[: len(values)], PREVIOUS_COLOUR, dashed=True),
        Series("組織平均", ORGANISATION[: len(values)], ORGANISATION_COLOUR),
        Series("営業部", values, DEPARTMENT_COLOUR),
    ]


def cells(rows, columns, scale_min=1, scale_max=5):
    span = scale_max - scale_min
    grid = []
    for i in range(rows):
        row = []
        for j in range(columns):
            if (i + j) % 7 == 3:
                row.append(None)
            else:
                mean = scale_min + ((i * 5 + j * 3) % 11) / 10 * span
                row.append(Cell(score=mean, level=int(mean)))
        grid.append(row)
    return grid


def shapes(node):
    for child in node.contents if isinstance(node, Group | Drawing) else []:
        yield child
        yield from shapes(child)


def strings(drawing):
    return [s for s in shapes(drawing) if isinstance(s, String)]


def drawn_text(drawing):
    return "".join(s.text for s in strings(drawing))


def svg_text(svg):
    element = minidom.parseString(svg).documentElement
    return "".join(
        node.firstChild.data for node in element.getElementsByTagName("text") if node.firstChild
    )


def backdrop(drawing, string):
    """The fill of the last rectangle drawn under the string's anchor, else white paper."""
    fill = colors.white
    for shape in shapes(drawing):
        if shape is string:
            return fill
        if isinstance(shape, Rect) and shape.fillColor is not None:
            inside_x = shape.x <= string.x <= shape.x + shape.width
            inside_y = shape.y <= string.y + string.fontSize * 0.3 <= shape.y + shape.height
            if inside_x and inside_y:
                fill = shape.fillColor
    return fill


def assert_no_text_overlaps(drawing):
    boxes = [(s.text, s.getBounds()) for s in strings(drawing)]
    for text, (x0, y0, x1, y1) in boxes:
        assert x0 >= -0.5 and y0 >= -0.5, text
        assert x1 <= drawing.width + 0.5 and y1 <= drawing.height + 0.5, text
    for (a, (ax0, ay0, ax1, ay1)), (b, (bx0, by0, bx1, by1)) in itertools.combinations(boxes, 2):
        apart = ax1 <= bx0 + 0.5 or bx1 <= ax0 + 0.5 or ay1 <= by0 + 0.5 or by1 <= ay0 + 0.5
        assert apart, f"{a!r} overlaps {b!r}"


def all_charts():
    return {
        "radar": radar_chart(AXES, series(), scale_min=1, scale_max=5),
        "heatmap": heatmap(DEPARTMENTS, AXES, cells(10, 9), scale_min=1, scale_max=5, width=480),
        "bars": bar_chart(AXES, DEPARTMENT, scale_min=1, scale_max=5),
    }


# --- fonts ---


def test_it_registers_the_japanese_font_once():
    assert fonts.register_fonts() == (fonts.FONT, fonts.FONT_BOLD, fonts.FONT_SOURCE)
    assert fonts.FONT in pdfmetrics.getRegisteredFontNames()
    assert ("ttf" if fonts.ttf_path() else "cid") == fonts.FONT_SOURCE


def test_it_wraps_between_words_not_inside_them():
    assert fonts.wrap("評価・インセンティブ制度", 8, 80, 2) == ["評価・", "インセンティブ制度"]
    assert fonts.wrap("リーダーシップと組織文化", 8, 70, 2) == ["リーダーシップと", "組織文化"]
    assert fonts.wrap("データ設計", 8, 80, 2) == ["データ設計"]


def test_it_never_starts_a_line_with_a_prolonged_sound_mark():
    for label in AXES + LONG_AXES:
        for lines in (fonts.wrap(label, 7.5, 36, 3), fonts.wrap(label, 8, 50, 2)):
            assert not any(line.startswith(("ー", "ッ", "・")) for line in lines[1:]), lines


def test_it_truncates_with_an_ellipsis():
    text = fonts.truncate("エンタープライズ営業第二部門", 8, 60)
    assert text.endswith("…")
    assert fonts.text_width(text, 8) <= 60
    assert fonts.truncate("営業部", 8, 60) == "営業部"


# --- palette ---


def test_level_colours_run_from_warm_to_teal():
    assert level_colour(1, 1, 5) != level_colour(5, 1, 5)
    assert [level_colour(n, 1, 5) for n in range(1, 6)] == list(LEVEL_COLOURS)
    four = [level_colour(n, 0, 3) for n in range(4)]
    assert len(set(map(str, four))) == 4
    assert four[0] == LEVEL_COLOURS[0] and four[-1] == LEVEL_COLOURS[-1]


def test_every_text_meets_a_contrast_ratio_of_4_5():
    for name, drawing in all_charts().items():
        for string in strings(drawing):
            ratio = contrast(string.fillColor, backdrop(drawing, string))
            assert ratio >= 4.5, f"{name}: {string.text!r} {ratio:.2f}"


def test_heatmap_cells_print_white_or_dark_text_per_colour():
    drawing = heatmap(
        ["営業部"],
        AXES[:5],
        [[Cell(n, n) for n in range(1, 6)]],
        scale_min=1,
        scale_max=5,
        width=480,
    )
    cell_texts = [s for s in strings(drawing) if s.text in {"1.0", "2.0", "3.0", "4.0", "5.0"}]
    assert len(cell_texts) >= 5
    fills = {s.text: backdrop(drawing, s) for s in cell_texts}
    assert fills["1.0"] != fills["5.0"]
    for s in cell_texts:
        assert contrast(s.fillColor, fills[s.text]) >= 4.5


# --- radar ---


@pytest.mark.parametrize(("scale_min", "scale_max"), [(1, 5), (0, 3)])
def test_radar_draws_a_ring_per_level(scale_min, scale_max):
    values = [min(v, scale_max) for v in DEPARTMENT]
    drawing = radar_chart(AXES, [series(values)[-1]], scale_min=scale_min, scale_max=scale_max)
    rings = [p for p in shapes(drawing) if isinstance(p, Polygon) and p.fillColor is None]
    levels = [n for n in range(scale_min, scale_max + 1) if n > 0]
    assert len(rings) == len(levels) + 1  # and the series outline
    numbers = {s.text for s in strings(drawing)}
    assert {str(n) for n in levels} <= numbers


def test_radar_writes_every_axis_label():
    drawing = radar_chart(AXES, series(), scale_min=1, scale_max=5)
    text = drawn_text(drawing)
    for label in AXES:
        assert label in text
    assert_no_text_overlaps(drawing)


def test_radar_wraps_long_labels_onto_two_lines_without_overlap():
    values = DEPARTMENT[: len(LONG_AXES)]
    drawing = radar_chart(LONG_AXES, series(values), scale_min=1, scale_max=5)
    assert_no_text_overlaps(drawing)
    text = drawn_text(drawing)
    for label in LONG_AXES:
        assert label in text


def test_radar_leaves_a_gap_for_missing_values():
    values = [2.1, None, 2.8, 2.5, None, 2.2, 3.9, 2.4, 2.7]
    drawing = radar_chart(
        AXES, [Series("営業部", values, DEPARTMENT_COLOUR)], scale_min=1, scale_max=5
    )
    markers = [c for c in shapes(drawing) if isinstance(c, Circle) and c.r == 2.2]
    assert len(markers) == 7 + 1  # the known points and the legend's sample


def test_radar_handles_a_series_with_no_data():
    drawing = radar_chart(
        AXES, [Series("営業部", [None] * 9, DEPARTMENT_COLOUR)], scale_min=1, scale_max=5
    )
    assert "営業部" in drawn_text(drawing)


def test_radar_rejects_values_that_do_not_match_the_axes():
    with pytest.raises(ValueError, match="3 entries for 9 labels"):
        radar_chart(
            AXES, [Series("営業部", [1, 2, 3], DEPARTMENT_COLOUR)], scale_min=1, scale_max=5
        )
    with pytest.raises(ValueError, match="three axes"):
        radar_chart(AXES[:2], [], scale_min=1, scale_max=5)


# --- heatmap ---


@pytest.mark.parametrize("rows", [1, 10])
def test_heatmap_grows_with_its_rows(rows):
    drawing = heatmap(DEPARTMENTS[:rows], AXES, cells(rows, 9), scale_min=1, scale_max=5, width=480)
    assert drawing.width == 480
    assert drawing.height > rows * 20
    assert_no_text_overlaps(drawing)
    text = drawn_text(drawing)
    assert "マーケティング部" in text
    for label in AXES:
        assert label in text


def test_heatmap_shows_empty_cells_as_a_dash_and_scores_to_one_decimal():
    grid = [[Cell(2.46, 2), None]]
    drawing = heatmap(["営業部"], AXES[:2], grid, scale_min=0, scale_max=3, width=300)
    texts = [s.text for s in strings(drawing)]
    assert "–" in texts
    assert "2.5" in texts


def test_heatmap_truncates_long_department_names():
    drawing = heatmap(DEPARTMENTS, AXES, cells(10, 9), scale_min=1, scale_max=5, width=480)
    assert any(
        s.text.endswith("…") and s.text.startswith("エンタープライズ") for s in strings(drawing)
    )


def test_heatmap_keeps_nine_columns_of_long_names_legible():
    drawing = heatmap(
        DEPARTMENTS, LONG_AXES + AXES[:2], cells(10, 9), scale_min=0, scale_max=3, width=480
    )
    assert_no_text_overlaps(drawing)
    headers = [s for s in strings(drawing) if s.fontSize < 8]
    assert min(s.fontSize for s in headers) >= 6.5


# --- bars ---


def test_bar_chart_prints_each_value_and_a_dash_for_a_missing_one():
    drawing = bar_chart(AXES[:3], [2.1, None, 2.8], scale_min=1, scale_max=5)
    texts = [s.text for s in strings(drawing)]
    assert [t for t in texts if t in {"–", "2.1", "2.8"}] == ["2.1", "–", "2.8"]
    bars = [r for r in shapes(drawing) if isinstance(r, Rect)]
    assert len(bars) == 2
    assert_no_text_overlaps(drawing)


# --- SVG ---


def test_svg_is_an_accessible_inline_element():
    drawing = radar_chart(AXES, series(), scale_min=1, scale_max=5)
    svg = drawing_to_svg(drawing, title="営業部のレーダー", description="9つの観点の平均")
    assert svg.startswith("<svg")
    assert "<?xml" not in svg and "DOCTYPE" not in svg
    element = minidom.parseString(svg).documentElement
    assert element.getAttribute("role") == "img"
    assert element.getAttribute("viewBox") == "0 0 360 300"
    assert element.getAttribute("width") == "100%"
    assert "height:auto" in element.getAttribute("style")
    title = element.getElementsByTagName("title")[0]
    assert element.firstChild is title
    assert title.firstChild.data == "営業部のレーダー"
    assert element.getAttribute("aria-labelledby") == title.getAttribute("id")
    desc = element.getElementsByTagName("desc")[0]
    assert element.getAttribute("aria-describedby") == desc.getAttribute("id")


def test_svg_keeps_japanese_text_and_uses_a_css_font_stack():
    svg = drawing_to_svg(all_charts()["heatmap"], title="t", description="d")
    text = svg_text(svg)
    for label in AXES + ["マーケティング部"]:
        assert label in text
    assert "Hiragino Sans" in svg and "sans-serif" in svg
    assert f"font-family: {fonts.FONT}" not in svg
    assert 'id="clip"' not in svg and 'id="group"' not in svg


def test_svg_escapes_special_characters():
    drawing = bar_chart(["R&D <新規>"], [2.0], scale_min=1, scale_max=5)
    svg = drawing_to_svg(drawing, title="<script>&", description='"quoted"')
    assert "R&amp;D &lt;新規&gt;" in svg
    assert "<script>" not in svg
    assert "R&D <新規>" in svg_text(svg)


def test_svg_ids_differ_between_charts():
    radar = drawing_to_svg(all_charts()["radar"], title="a", description="a")
    bars = drawing_to_svg(all_charts()["bars"], title="b", description="b")
    radar_id = minidom.parseString(radar).documentElement.getAttribute("aria-labelledby")
    bars_id = minidom.parseString(bars).documentElement.getAttribute("aria-labelledby")
    assert radar_id != bars_id


# --- PDF ---


@pytest.mark.parametrize("name", ["radar", "heatmap", "bars"])
def test_charts_render_to_pdf(name):
    pdf = renderPDF.drawToString(all_charts()[name])
    assert pdf.startswith(b"%PDF")
    if fonts.FONT_SOURCE == "ttf":
        assert b"IPAexGothic" in pdf
        assert b"/FontFile2" in pdf  # embedded, not just named
    else:
        assert fonts.CID_NAME.encode() in pdf


def test_charts_flow_into_a_platypus_document():
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=56, rightMargin=56)
    document.build(list(all_charts().values()))
    assert buffer.getvalue().startswith(b"%PDF")
    assert all(d.width <= document.width for d in all_charts().values())


def test_charts_fall_back_to_the_built_in_cid_font_without_ipaex():
    script = textwrap.dedent(
        """
        import pathlib
        is_file = pathlib.Path.is_file
        # As if fonts-ipaexfont-gothic were not installed.
        pathlib.Path.is_file = lambda self: self.name != "ipaexg.ttf" and is_file(self)
        import django
        django.setup()
        from reportlab.graphics import renderPDF
        from results.charts import fonts
        from results.charts.drawings import Series, radar_chart
        from results.charts.palette import BRAND
        from results.charts.svg import drawing_to_svg
        drawing = radar_chart(["評価・インセンティブ制度", "データ設計", "組織と役割分担"],
                              [Series("営業部", [1, None, 3], BRAND)], scale_min=1, scale_max=5)
        svg = drawing_to_svg(drawing, title="t", description="d")
        pdf = renderPDF.drawToString(drawing)
        print(fonts.FONT_SOURCE, fonts.FONT, "インセンティブ制度" in svg, b"HeiseiKakuGo" in pdf)
        """
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.setdefault("SECRET_KEY", "test")
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=root
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["cid", "HeiseiKakuGo-W5", "True", "True"]
