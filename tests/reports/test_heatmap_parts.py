"""A long organisation's heatmaps are drawn in parts that each fit a page: platypus cannot
split a Drawing, and one 50-department heatmap (1,130 pt) is taller than the frame (728 pt),
so the report did not build at all for 30 departments or more."""

from types import SimpleNamespace

from django.utils import translation

from reports.document import BODY_WIDTH
from reports.organisation_section import HEATMAP_ROWS, _heatmaps
from results.charts.heatmap import heatmap


class Builder:
    def __init__(self, departments):
        self.results = SimpleNamespace(departments=departments)
        self.figures = []

    def figure(self, drawing, title):
        self.figures.append((drawing, title))


def draw(results, *, width, departments):
    return list(departments)


def test_fifty_departments_make_three_parts_of_at_most_twenty():
    builder = Builder(list(range(50)))
    with translation.override("ja"):
        _heatmaps(builder, draw, "部門×評価軸の平均")
    assert [len(chunk) for chunk, _title in builder.figures] == [20, 20, 10]
    assert [chunk[0] for chunk, _title in builder.figures] == [0, 20, 40]  # in order, each once
    assert [title for _chunk, title in builder.figures] == [
        "部門×評価軸の平均（1/3）",
        "部門×評価軸の平均（2/3）",
        "部門×評価軸の平均（3/3）",
    ]


def test_one_part_needs_no_part_number():
    builder = Builder(list(range(HEATMAP_ROWS)))
    with translation.override("en"):
        _heatmaps(builder, draw, "Mean by department and dimension")
    assert [title for _chunk, title in builder.figures] == ["Mean by department and dimension"]


def test_a_part_of_twenty_departments_fits_the_page_frame():
    # The frame is A4 less 18 mm margins top and bottom (841.9 − 2 × 51.0 ≈ 740 pt, less the
    # frame's padding): a part must leave room for its caption too.
    names = [f"部門{i:02d}" for i in range(HEATMAP_ROWS)]
    columns = [f"評価軸{i}" for i in range(9)]
    cells = [[None] * 9 for _ in names]
    drawing = heatmap(names, columns, cells, scale_min=1, scale_max=5, width=BODY_WIDTH)
    assert drawing.height < 700
