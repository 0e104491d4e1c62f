"""The radar (spider) chart: a department's or the organisation's profile over the dimensions."""

from __future__ import annotations

import math
from dataclasses import dataclass

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Rect
from reportlab.lib.colors import Color

from results.charts.fonts import text_width, wrap
from results.charts.legend import ROW_HEIGHT, draw_legend, legend_rows
from results.charts.palette import BACKING, LINE, MUTED, WHITE
from results.charts.parts import DASH, check_length, origin, text

WIDTH, HEIGHT = 360, 300


@dataclass(frozen=True)
class Series:
    """One polygon of a radar chart; ``None`` in ``values`` means no data for that axis."""

    label: str
    values: list[float | None]
    color: Color  # from results.charts.palette
    dashed: bool = False


def radar_chart(
    axes: list[str], series: list[Series], *, scale_min: int, scale_max: int
) -> Drawing:
    """A radar (spider) chart: one spoke per axis, one ring per level, a polygon per series.

    A ``None`` value leaves a gap rather than a guess: nothing is drawn to or from that spoke
    (no outline, no fill in the two sectors beside it, no marker), and the known points on
    either side are not joined. Dashed series (e.g. the previous campaign) are outlines only.
    """
    if len(axes) < 3:
        raise ValueError("a radar chart needs at least three axes")
    for s in series:
        check_length(s.values, axes, f"series {s.label!r}")
    width, height = WIDTH, HEIGHT
    drawing = Drawing(width, height)
    pad, size, leading = 6, 8, 9.6
    top, bottom = height - pad, pad
    legend = legend_rows([(s.label, s.color, s.dashed) for s in series], width - 2 * pad, size)
    bottom += len(legend) * ROW_HEIGHT + 6
    centre = origin(scale_min)
    count = len(axes)
    angles = [math.pi / 2 - 2 * math.pi * i / count for i in range(count)]
    label_width = max(56.0, min(96.0, width * 0.24))
    labels = [wrap(a, size, label_width, 2) or [""] for a in axes]

    def label_boxes(cx, cy, radius):
        boxes = []
        for angle, lines in zip(angles, labels, strict=True):
            w = max(text_width(line, size) for line in lines)
            h = len(lines) * leading
            cos, sin = math.cos(angle), math.sin(angle)
            ax, ay = cx + (radius + 7) * cos, cy + (radius + 7) * sin
            anchor = "start" if cos > 0.15 else "end" if cos < -0.15 else "middle"
            x0 = {"start": ax, "end": ax - w, "middle": ax - w / 2}[anchor]
            mid_y = ay + sin * (h / 2 + 2)
            boxes.append((anchor, ax, x0, mid_y - h / 2, x0 + w, mid_y + h / 2))
        return boxes

    def fits(cx, cy, radius):
        return all(
            x0 >= pad and x1 <= width - pad and y0 >= bottom and y1 <= top
            for _a, _x, x0, y0, x1, y1 in label_boxes(cx, cy, radius)
        )

    # Largest radius whose labels fit, then centre rings and labels vertically and refit.
    cx, cy = width / 2, (top + bottom) / 2
    for _attempt in range(2):
        radius = min(width, top - bottom) / 2
        while radius > 20 and not fits(cx, cy, radius):
            radius -= 1
        boxes = label_boxes(cx, cy, radius)
        high = max([cy + radius] + [b[5] for b in boxes])
        low = min([cy - radius] + [b[3] for b in boxes])
        cy += ((top + bottom) / 2) - (high + low) / 2

    def point(i, value):
        share = (min(max(value, centre), scale_max) - centre) / (scale_max - centre)
        return cx + radius * share * math.cos(angles[i]), cy + radius * share * math.sin(angles[i])

    for level in range(scale_min, scale_max + 1):
        if level == centre:
            continue
        ring = [c for i in range(count) for c in point(i, level)]
        outer = level == scale_max
        drawing.add(
            Polygon(
                ring,
                fillColor=None,
                strokeColor=MUTED if outer else LINE,
                strokeWidth=0.8 if outer else 0.6,
            )
        )
    for i in range(count):
        drawing.add(Line(cx, cy, *point(i, scale_max), strokeColor=LINE, strokeWidth=0.6))

    for s in series:
        stroke_colour = s.color
        known = [(i, v) for i, v in enumerate(s.values) if v is not None]
        runs = _runs(s.values)
        if not s.dashed:
            fill = Color(stroke_colour.red, stroke_colour.green, stroke_colour.blue, alpha=0.14)
            for run in runs:
                # A complete series is one polygon; a broken one is fanned from the centre so
                # the fill stops where the outline stops.
                corner = [] if len(known) == count else [cx, cy]
                outline = corner + [c for i in run for c in point(i, s.values[i])]
                drawing.add(Polygon(outline, fillColor=fill, strokeColor=None, strokeWidth=0))
        stroke = dict(
            strokeColor=stroke_colour,
            strokeWidth=1.2 if s.dashed else 1.6,
            strokeDashArray=DASH if s.dashed else None,
            strokeLineJoin=1,
        )
        if len(known) == count:
            outline = [c for i, v in known for c in point(i, v)]
            drawing.add(Polygon(outline, fillColor=None, **stroke))
        else:
            for run in runs:
                drawing.add(PolyLine([c for i in run for c in point(i, s.values[i])], **stroke))
        for i, v in known:
            x, y = point(i, v)
            marker_fill = WHITE if s.dashed else stroke_colour
            drawing.add(
                Circle(x, y, 2.2, fillColor=marker_fill, strokeColor=stroke_colour, strokeWidth=0.9)
            )

    # Level numbers on the top spoke, above the polygons, on a small white backing.
    for level in range(scale_min, scale_max + 1):
        if level == centre:
            continue
        x, y = point(0, level)
        label = str(level)
        w = text_width(label, 6.5)
        drawing.add(Rect(x + 2, y - 3.5, w + 3, 7.5, fillColor=BACKING, strokeColor=None))
        drawing.add(text(x + 3.5, y - 2.3, label, size=6.5, colour=MUTED))

    for (anchor, ax, _x0, _y0, _x1, y1), lines in zip(
        label_boxes(cx, cy, radius), labels, strict=True
    ):
        for n, line in enumerate(lines):
            baseline = y1 - (n + 1) * leading + 2
            drawing.add(text(ax, baseline, line, size=size, anchor=anchor))

    draw_legend(drawing, legend, width, pad + (len(legend) - 1) * ROW_HEIGHT, size)
    return drawing


def _runs(values: list[float | None]) -> list[list[int]]:
    """Indices of consecutive known values around the circle, each run at least two long."""
    count = len(values)
    known = [v is not None for v in values]
    if all(known):
        return [list(range(count)) + [0]]
    start = next(i for i in range(count) if not known[i])  # begin just after a gap
    runs, run = [], []
    for step in range(1, count + 1):
        i = (start + step) % count
        if known[i]:
            run.append(i)
        else:
            if len(run) >= 2:
                runs.append(run)
            run = []
    if len(run) >= 2:
        runs.append(run)
    return runs
