"""A chart legend: one sample line (solid or dashed) and label per series, in centred rows."""

from __future__ import annotations

from reportlab.graphics.shapes import Circle, Drawing, Line
from reportlab.lib.colors import Color

from results.charts.fonts import text_width
from results.charts.palette import WHITE
from results.charts.parts import DASH, text

ROW_HEIGHT = 14


def legend_rows(items: list[tuple[str, Color, bool]], max_width: float, size: float) -> list:
    """``(label, colour, dashed)`` items laid out in rows no wider than ``max_width``."""
    rows, row, used = [], [], 0.0
    for label, colour, dashed in items:
        w = 22 + text_width(label, size) + 14
        if row and used + w > max_width:
            rows.append(row)
            row, used = [], 0.0
        row.append((label, colour, dashed, w))
        used += w
    if row:
        rows.append(row)
    return rows


def draw_legend(drawing: Drawing, rows: list, width: float, y: float, size: float) -> None:
    """Draw ``legend_rows`` centred in ``width``, the first row's baseline at ``y``."""
    for row in rows:
        x = (width - sum(item[3] for item in row) + 14) / 2
        for label, colour, dashed, w in row:
            drawing.add(
                Line(
                    x,
                    y + 3,
                    x + 18,
                    y + 3,
                    strokeColor=colour,
                    strokeWidth=1.6,
                    strokeDashArray=DASH if dashed else None,
                )
            )
            drawing.add(
                Circle(
                    x + 9,
                    y + 3,
                    2.2,
                    fillColor=WHITE if dashed else colour,
                    strokeColor=colour,
                    strokeWidth=0.9,
                )
            )
            drawing.add(text(x + 22, y, label, size=size))
            x += w
        y -= ROW_HEIGHT
