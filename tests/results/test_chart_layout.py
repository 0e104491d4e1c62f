"""Charts for frameworks of 12–20 dimensions: radar labels placed apart, heatmap headers broken
between words, level 0 printed as 0."""

import itertools

import pytest
from reportlab.graphics.shapes import Drawing, Group, Line, String

from results.charts import fonts
from results.charts.drawings import Cell, Series, heatmap, radar_chart
from results.charts.heatmap import _fit_headers
from results.charts.palette import DEPARTMENT_COLOUR, ORGANISATION_COLOUR, PREVIOUS_COLOUR

# Twenty long titles in each language (a published model's practices, and longer ones).
EN = [
    "Strategy and Metrics",
    "Policy and Compliance",
    "Education and Guidance",
    "Threat Assessment",
    "Security Requirements",
    "Secure Architecture",
    "Secure Build",
    "Secure Deployment",
    "Defect Management",
    "Architecture Assessment",
    "Requirements-driven Testing",
    "Security Testing",
    "Incident Management",
    "Environment Management",
    "Operational Management",
    "Customer success practice",
    "Data governance and stewardship",
    "Supplier risk management",
    "Continuous improvement",
    "Leadership and culture",
]
JA = [
    "顧客の声を活かす仕組みづくり",
    "カスタマーサクセス実践",
    "評価・インセンティブ制度設計",
    "リーダーシップと組織文化醸成",
    "データ設計とアナリティクス基盤",
    "オペレーションとプロセス改善",
    "人材育成と学習する組織づくり",
    "KPIと目標設定",
    "ツールとシステム",
    "セキュリティテスト",
    "ポリシーとコンプライアンス",
    "脅威の評価",
    "セキュアなアーキテクチャ",
    "インシデント管理",
    "環境の管理",
    "要件に基づくテスト",
    "データガバナンス",
    "サプライヤーのリスク管理",
    "継続的な改善活動",
    "組織と役割分担",
]


def placed_strings(node, transform=(1, 0, 0, 1, 0, 0)):
    """Every String with the transform of the groups it sits in (the page's coordinates)."""
    for child in node.contents if isinstance(node, Group | Drawing) else []:
        if isinstance(child, Group):
            yield from placed_strings(child, _compose(transform, child.transform))
        elif isinstance(child, String):
            yield child, transform


def _compose(a, b):
    a0, a1, a2, a3, a4, a5 = a
    b0, b1, b2, b3, b4, b5 = b
    return (
        a0 * b0 + a2 * b1,
        a1 * b0 + a3 * b1,
        a0 * b2 + a2 * b3,
        a1 * b2 + a3 * b3,
        a0 * b4 + a2 * b5 + a4,
        a1 * b4 + a3 * b5 + a5,
    )


def page_box(string, transform):
    x0, y0, x1, y1 = string.getBounds()
    a, b, c, d, e, f = transform
    corners = [(a * x + c * y + e, b * x + d * y + f) for x in (x0, x1) for y in (y0, y1)]
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    return min(xs), min(ys), max(xs), max(ys)


def assert_apart(drawing):
    """No two strings' boxes (on the page, transforms applied) intersect; all lie inside."""
    boxes = [(s.text, page_box(s, t)) for s, t in placed_strings(drawing)]
    for text, (x0, y0, x1, y1) in boxes:
        assert x0 >= -0.5 and y0 >= -0.5, text
        assert x1 <= drawing.width + 0.5 and y1 <= drawing.height + 0.5, text
    for (a, (ax0, ay0, ax1, ay1)), (b, (bx0, by0, bx1, by1)) in itertools.combinations(boxes, 2):
        apart = ax1 <= bx0 + 0.5 or bx1 <= ax0 + 0.5 or ay1 <= by0 + 0.5 or by1 <= ay0 + 0.5
        assert apart, f"{a!r} overlaps {b!r}"


def three_series(count):
    values = [(i * 7 % 10) / 10 * 3 for i in range(count)]
    return [
        Series("営業部", values, DEPARTMENT_COLOUR),
        Series("組織平均", [v * 0.8 for v in values], ORGANISATION_COLOUR),
        Series("前回", [v * 0.6 for v in values], PREVIOUS_COLOUR, dashed=True),
    ]


# --- radar ---


@pytest.mark.parametrize("titles", [JA, EN], ids=["ja", "en"])
@pytest.mark.parametrize("count", [12, 15, 20])
def test_radar_labels_of_many_axes_do_not_overlap(titles, count):
    drawing = radar_chart(titles[:count], three_series(count), scale_min=0, scale_max=3)
    assert_apart(drawing)
    text = "".join(s.text for s, _t in placed_strings(drawing))
    for title in titles[:count]:
        # Every title is written in full (its lines joined), none cut with "…".
        assert title.replace(" ", "") in text.replace(" ", ""), title
    assert "…" not in text


def test_radar_labels_stay_outside_the_outer_ring():
    drawing = radar_chart(JA[:20], three_series(20), scale_min=0, scale_max=3)
    spokes = [s for s in drawing.contents if isinstance(s, Line) and s.strokeWidth == 0.6]
    cx, cy = spokes[0].x1, spokes[0].y1
    radius = max(((s.x2 - cx) ** 2 + (s.y2 - cy) ** 2) ** 0.5 for s in spokes)
    for string, transform in placed_strings(drawing):
        if string.text in JA or any(string.text in t for t in JA):
            x0, y0, x1, y1 = page_box(string, transform)
            # The box's nearest point to the centre lies beyond the outer ring.
            dx = max(x0 - cx, 0, cx - x1)
            dy = max(y0 - cy, 0, cy - y1)
            assert (dx * dx + dy * dy) ** 0.5 > radius, string.text


def test_a_radar_of_nine_axes_keeps_its_size():
    drawing = radar_chart(JA[:9], three_series(9), scale_min=0, scale_max=3)
    assert (drawing.width, drawing.height) == (360, 300)


# --- heatmap ---

HEADERS = ["Security Testing", "Policy and Compliance", "Customer success practice"]
JA_HEADER = "カスタマーサクセス実践"


def lines_of(drawing, title):
    """The header lines of ``title`` as drawn, in order (joined they give the title)."""
    texts = [s.text for s, _t in placed_strings(drawing)]
    for start in range(len(texts)):
        joined = ""
        for end in range(start, len(texts)):
            joined += texts[end] if not joined or texts[end][0] > "~" else " " + texts[end]
            if joined == title:
                return texts[start : end + 1]
            if not title.startswith(joined):
                break
    raise AssertionError(f"{title!r} is not drawn whole")


@pytest.mark.parametrize("count", [4, 9, 15, 20])
def test_heatmap_headers_break_between_words(count):
    columns = (HEADERS + [JA_HEADER] + EN)[:count]
    cells = [[Cell(score=1.0, level=1)] * count]
    drawing = heatmap(["Sales"], columns, cells, scale_min=0, scale_max=3, width=483)
    assert_apart(drawing)
    for title in HEADERS:
        lines = lines_of(drawing, title)
        words = title.split()
        # Each line is whole words of the title: no hyphen added, no word cut, nothing dropped.
        assert " ".join(lines) == title
        assert all(set(line.split()) <= set(words) for line in lines), lines
    ja = lines_of(drawing, JA_HEADER)
    # カスタマーサクセス実践 breaks only between カスタマー, サクセス and 実践.
    assert all(
        line in {"カスタマー", "サクセス", "実践", "カスタマーサクセス", "サクセス実践", JA_HEADER}
        for line in ja
    ), ja


def test_headers_shrink_rather_than_cut_a_word():
    # "Compliance" is 36.6 pt wide at 6.5 pt: in a 36 pt column upright it would be cut, so
    # the headers turn and keep it whole at a legible size.
    size, lines, turned = _fit_headers(["Policy and Compliance", "Security Testing"], 36)
    assert turned
    assert size >= 6.5
    assert lines[0] in (["Policy and Compliance"], ["Policy and", "Compliance"])


def test_japanese_headers_turn_rather_than_cut_a_katakana_word():
    # The default framework's dimensions in a 36 pt column: インセンティブ (7 characters,
    # 45.5 pt at 6.5 pt) cannot stand upright whole, so the headers turn and stay whole.
    axes = ["KPIと目標設定", "評価・インセンティブ制度", "カスタマーサクセス実践"]
    size, lines, turned = _fit_headers(axes, 36)
    assert turned and size == 7.5
    assert lines == [["KPIと目標設定"], ["評価・インセンティブ制度"], ["カスタマーサクセス実践"]]
    # Upright where every word fits: カスタマー | サクセス | 実践, 評価・ | … by kinsoku.
    size, lines, turned = _fit_headers(["カスタマーサクセス実践", "評価・データ設計"], 36)
    assert not turned
    assert lines[0] == ["カスタマー", "サクセス", "実践"]
    assert lines[1] == ["評価・", "データ設計"]


def test_a_latin_word_is_never_cut_by_wrap_words():
    assert fonts.wrap_words("Policy and Compliance", 6.5, 36, 3) is None
    # "Policy and" is about 33 pt at 6.5 pt, "Compliance" 36.6: two lines in 40 pt.
    assert fonts.wrap_words("Policy and Compliance", 6.5, 40, 3) == ["Policy and", "Compliance"]
    # "Requirements-" is 54.9 pt at 8 pt: the line ends after the word's own hyphen.
    assert fonts.wrap_words("Requirements-driven Testing", 8, 60, 3) == [
        "Requirements-",
        "driven Testing",
    ]
    assert fonts.wrap_words("Requirements-driven Testing", 8, 50, 3) is None


def test_level_zero_cells_print_zero():
    cells = [[Cell(score=0.0, level=0), Cell(score=0.04, level=0), None]]
    drawing = heatmap(["営業部"], ["A", "B", "C"], cells, scale_min=0, scale_max=3, width=300)
    texts = [s.text for s, _t in placed_strings(drawing)]
    # 0.0 and 0.04 (shown to one decimal: 0.0) are level-0 scores, not missing ones; only the
    # empty cell and the legend's "no data" swatch show the dash.
    assert texts.count("0.0") == 2
    assert texts.count("–") == 2
