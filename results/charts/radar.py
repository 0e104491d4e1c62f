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
    boxes, leaders = label_boxes(cx, cy, radius), []
    if _any_overlap(boxes):
        # Many axes (12–20): the labels beside the rings stack in two columns instead.
        height, cx, cy, radius, boxes, leaders = _stacked_layout(
            angles, labels, size, leading, width, pad, bottom
        )
        top = height - pad
    drawing = Drawing(width, height)

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

    for x0, y0, x1, y1 in leaders:
        drawing.add(Line(x0, y0, x1, y1, strokeColor=MUTED, strokeWidth=0.4))
    for (anchor, ax, _x0, _y0, _x1, y1), lines in zip(boxes, labels, strict=True):
        for n, line in enumerate(lines):
            baseline = y1 - (n + 1) * leading + 2
            drawing.add(text(ax, baseline, line, size=size, anchor=anchor))

    draw_legend(drawing, legend, width, pad + (len(legend) - 1) * ROW_HEIGHT, size)
    return drawing


GAP = 2.0  # between two stacked labels


def _any_overlap(boxes) -> bool:
    return any(
        a[2] < b[4] and b[2] < a[4] and a[3] < b[5] and b[3] < a[5]
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
    )


def _stacked_layout(angles, labels, size, leading, width, pad, bottom):
    """Label boxes for a radar with too many axes for labels at their spokes' ends.

    The labels at the top and bottom spokes stay centred there; the others form a column on
    each side, in spoke order, pushed apart vertically just enough that none touches another
    (or the top and bottom labels), each as close to its spoke's height as that allows and
    just outside the outer ring at the height it ends up. A label moved away from its spoke
    gets a thin leader line to it. The drawing grows taller when the columns need it.

    Returns ``(height, cx, cy, radius, boxes, leaders)``; a box is
    ``(anchor, anchor_x, x0, y0, x1, y1)`` and a leader ``(x0, y0, x1, y1)``.
    """
    sizes = [
        (max(text_width(line, size) for line in lines), len(lines) * leading) for lines in labels
    ]
    middle = [i for i, a in enumerate(angles) if abs(math.cos(a)) < 0.15]
    sides = {
        side: [i for i, a in enumerate(angles) if i not in middle and (math.cos(a) > 0) == right]
        for side, right in (("right", True), ("left", False))
    }
    widest = {side: max([0.0] + [sizes[i][0] for i in items]) for side, items in sides.items()}
    # The column and the middle labels need this much height besides the rings.
    column = max(sum(sizes[i][1] + GAP for i in items) for items in sides.values())
    ends = sum(sizes[i][1] + 2 + GAP for i in middle)
    radius = min(
        (width - 2 * pad - widest["left"] - widest["right"]) / 2 - 7,
        110.0,
    )
    radius = max(radius, 24.0)
    needed = max(column, 2 * (radius + 7) + ends)
    height = max(HEIGHT, math.ceil(bottom + needed + pad + 4))
    top = height - pad
    cx = (
        pad
        + widest["left"]
        + 7
        + radius
        + (width - 2 * pad - widest["left"] - widest["right"] - 2 * (radius + 7)) / 2
    )
    cy = bottom + (top - bottom) / 2
    boxes: list = [None] * len(angles)
    for i in middle:
        w, h = sizes[i]
        ax = cx + (radius + 7) * math.cos(angles[i])
        y0 = cy + radius + 9 if math.sin(angles[i]) > 0 else cy - radius - 9 - h
        boxes[i] = ("middle", ax, ax - w / 2, y0, ax + w / 2, y0 + h)
    ceiling, floor = top, bottom

    def beside_middle(y0, y1) -> float:
        """How far from the centre line a label spanning y0–y1 must start to clear the top
        and bottom labels."""
        return max(
            [0.0]
            + [abs(b[4] - cx) + GAP for b in (boxes[i] for i in middle) if y0 < b[5] and b[3] < y1]
        )

    leaders = []
    for side, items in sides.items():
        # Top to bottom: the right column runs clockwise from the top, the left one back up.
        order = sorted(items, key=lambda i: -math.sin(angles[i]))
        wanted = [cy + (radius + 7) * math.sin(angles[i]) for i in order]
        heights = [sizes[i][1] for i in order]
        tops = []
        limit = ceiling
        for want, h in zip(wanted, heights, strict=True):
            y1 = min(want + h / 2, limit)
            tops.append(y1)
            limit = y1 - h - GAP
        limit = floor
        for n in range(len(order) - 1, -1, -1):  # then up from the floor where they overflow
            tops[n] = max(tops[n], limit + heights[n])
            limit = tops[n] + GAP
        for i, y1, h, want in zip(order, tops, heights, wanted, strict=True):
            w = sizes[i][0]
            y0 = y1 - h
            nearest = 0.0 if y0 <= cy <= y1 else min(abs(y0 - cy), abs(y1 - cy))
            reach = radius + 7
            edge = math.sqrt(reach * reach - nearest * nearest) if nearest < reach else 0.0
            edge = max(edge, beside_middle(y0, y1))
            if side == "right":
                x0 = cx + edge
                boxes[i] = ("start", x0, x0, y0, x0 + w, y1)
                end_x = x0 - 1
            else:
                x1 = cx - edge
                boxes[i] = ("end", x1, x1 - w, y0, x1, y1)
                end_x = x1 + 1
            if abs((y0 + y1) / 2 - want) > 3:
                spoke_x = cx + (radius + 2) * math.cos(angles[i])
                spoke_y = cy + (radius + 2) * math.sin(angles[i])
                leaders.append((spoke_x, spoke_y, end_x, (y0 + y1) / 2))
    return height, cx, cy, radius, boxes, leaders


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
