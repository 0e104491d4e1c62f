"""Charts, drawn once as reportlab Drawings and rendered to SVG (web) and PDF (reports).

Every function is pure: lists of labels and numbers in, a ``Drawing`` out, no database. Values
are on the framework's own scale (1–5, 0–3, …). Labels arrive already translated; the few
words a chart adds itself (legend entries) go through gettext.

The radar and the bars share one origin: the centre (or the bars' start) is one step below
``scale_min`` when the scale starts above zero, so the lowest level still shows as a ring or a
bar instead of collapsing to nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.colors import Color, HexColor

from results.charts.fonts import FONT, FONT_BOLD, text_width, truncate, wrap

# Warm (acquisition-type, low levels) to teal (engagement-type, high levels).
LEVEL_COLOURS = tuple(HexColor(h) for h in ("#B8461B", "#EE9A5B", "#F3DC95", "#8FCCAF", "#1F7A6D"))
SERIES_COLOURS = {
    "department": HexColor("#1D5FA8"),
    "organisation": HexColor("#6B7280"),
    "previous": HexColor("#C8651B"),
    "target": HexColor("#1F2937"),
}
INK = HexColor("#1F2937")
MUTED = HexColor("#4B5563")
GRID = HexColor("#D5D9DF")
EMPTY = HexColor("#ECEEF1")
WHITE = colors.white
BACKING = Color(1, 1, 1, alpha=0.8)  # behind small labels drawn over lines
DASH = [4, 2.5]


@dataclass(frozen=True)
class Series:
    """One polygon of a radar chart; ``None`` in ``values`` means no data for that axis."""

    label: str
    values: list[float | None]
    color: Color | str
    dashed: bool = False


@dataclass(frozen=True)
class Cell:
    """One heatmap cell: ``score`` is the number printed, ``level`` picks the colour."""

    score: float
    level: int | None


def level_colour(level: int, scale_min: int, scale_max: int) -> Color:
    """The palette colour of ``level`` on a ``scale_min``–``scale_max`` scale.

    Scales of up to five levels take spread-out steps of the palette (0–3 uses steps 1, 2, 4
    and 5); longer scales blend between neighbouring steps.
    """
    if scale_max <= scale_min:
        return LEVEL_COLOURS[-1]
    position = (min(max(level, scale_min), scale_max) - scale_min) / (scale_max - scale_min)
    steps = len(LEVEL_COLOURS) - 1
    if scale_max - scale_min <= steps:
        return LEVEL_COLOURS[round(position * steps)]
    low = min(int(position * steps), steps - 1)
    return colors.linearlyInterpolatedColor(
        LEVEL_COLOURS[low], LEVEL_COLOURS[low + 1], low, low + 1, position * steps
    )


def text_colour_on(fill: Color) -> Color:
    """White or ink, whichever contrasts more with ``fill`` (WCAG contrast ratio)."""
    return WHITE if _contrast(fill, WHITE) >= _contrast(fill, INK) else INK


def radar_chart(
    axes: list[str],
    series: list[Series],
    *,
    scale_min: int,
    scale_max: int,
    width: float = 360,
    height: float = 300,
    title: str | None = None,
) -> Drawing:
    """A radar (spider) chart: one spoke per axis, one ring per level, a polygon per series.

    A ``None`` value leaves a gap rather than a guess: nothing is drawn to or from that spoke
    (no outline, no fill in the two sectors beside it, no marker), and the known points on
    either side are not joined. Dashed series (e.g. the previous campaign) are outlines only.
    """
    if len(axes) < 3:
        raise ValueError("a radar chart needs at least three axes")
    for s in series:
        _check_length(s.values, axes, f"series {s.label!r}")
    drawing = Drawing(width, height)
    pad, size, leading = 6, 8, 9.6
    top, bottom = height - pad, pad
    if title:
        drawing.add(_text(width / 2, top - 10, title, size=10, font=FONT_BOLD, anchor="middle"))
        top -= 20
    legend = _legend_rows(
        [(s.label, _colour(s.color), s.dashed) for s in series], width - 2 * pad, size
    )
    bottom += len(legend) * 14 + 6
    origin = _origin(scale_min)
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
        share = (min(max(value, origin), scale_max) - origin) / (scale_max - origin)
        return cx + radius * share * math.cos(angles[i]), cy + radius * share * math.sin(angles[i])

    for level in range(scale_min, scale_max + 1):
        if level == origin:
            continue
        ring = [c for i in range(count) for c in point(i, level)]
        outer = level == scale_max
        drawing.add(
            Polygon(
                ring,
                fillColor=None,
                strokeColor=MUTED if outer else GRID,
                strokeWidth=0.8 if outer else 0.6,
            )
        )
    for i in range(count):
        drawing.add(Line(cx, cy, *point(i, scale_max), strokeColor=GRID, strokeWidth=0.6))

    for s in series:
        colour = _colour(s.color)
        known = [(i, v) for i, v in enumerate(s.values) if v is not None]
        runs = _runs(s.values)
        if not s.dashed:
            fill = Color(colour.red, colour.green, colour.blue, alpha=0.14)
            for run in runs:
                # A complete series is one polygon; a broken one is fanned from the centre so
                # the fill stops where the outline stops.
                corner = [] if len(known) == count else [cx, cy]
                outline = corner + [c for i in run for c in point(i, s.values[i])]
                drawing.add(Polygon(outline, fillColor=fill, strokeColor=None, strokeWidth=0))
        stroke = dict(
            strokeColor=colour,
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
            marker_fill = WHITE if s.dashed else colour
            drawing.add(
                Circle(x, y, 2.2, fillColor=marker_fill, strokeColor=colour, strokeWidth=0.9)
            )

    # Level numbers on the top spoke, above the polygons, on a small white backing.
    for level in range(scale_min, scale_max + 1):
        if level == origin:
            continue
        x, y = point(0, level)
        label = str(level)
        w = text_width(label, 6.5)
        drawing.add(Rect(x + 2, y - 3.5, w + 3, 7.5, fillColor=BACKING, strokeColor=None))
        drawing.add(_text(x + 3.5, y - 2.3, label, size=6.5, colour=MUTED))

    for (anchor, ax, _x0, _y0, _x1, y1), lines in zip(
        label_boxes(cx, cy, radius), labels, strict=True
    ):
        for n, line in enumerate(lines):
            baseline = y1 - (n + 1) * leading + 2
            drawing.add(_text(ax, baseline, line, size=size, anchor=anchor))

    _draw_legend(drawing, legend, width, pad + (len(legend) - 1) * 14, size)
    return drawing


def heatmap(
    rows: list[str],
    columns: list[str],
    cells: list[list[Cell | None]],
    *,
    scale_min: int,
    scale_max: int,
    width: float | None = None,
    decimals: int | None = None,
) -> Drawing:
    """Departments (rows) × dimensions (columns), each cell coloured by level.

    Without ``width`` the chart grows with the columns: 9 dimensions fill an A4 text width
    (about 480 pt). ``decimals`` defaults to 1 for means on the scale and 0 for 0–100 scores.
    An empty cell (``None``) is light grey with "–".
    """
    _check_length(cells, rows, "cells")
    pad, size, cell_h = 4, 8, 20
    row_header = min(112.0, max([48.0] + [text_width(r, size) + 8 for r in rows]))
    levels = range(scale_min, scale_max + 1)
    level_text, empty_text = _("Level"), _("No data")
    level_text_w = text_width(level_text, 7.5) + 6
    legend_w = level_text_w + len(levels) * 21 + 34 + text_width(empty_text, 7.5)
    if width is None:
        cell_w = 40.0
        grid_w = row_header + len(columns) * cell_w
        width = math.ceil(2 * pad + max(grid_w, row_header - level_text_w + legend_w))
    else:
        cell_w = (width - 2 * pad - row_header) / max(1, len(columns))
    if decimals is None:
        scores = [c.score for row in cells for c in row if c is not None]
        decimals = 1 if all(abs(s) <= max(scale_max, 10) for s in scores) else 0

    header_size, headers = _fit_headers(columns, cell_w - 4)
    header_leading = header_size * 1.2
    header_h = 3 * header_leading + 6
    legend_h = 24
    height = math.ceil(2 * pad + legend_h + len(rows) * cell_h + header_h)
    drawing = Drawing(width, height)

    grid_top = height - pad - header_h
    left = pad + row_header
    for j, lines in enumerate(headers):
        x = left + (j + 0.5) * cell_w
        for n, line in enumerate(lines):  # top line first: the order a screen reader reads
            y = grid_top + 5 + (len(lines) - 1 - n) * header_leading
            drawing.add(_text(x, y, line, size=header_size, anchor="middle"))

    for i, row in enumerate(rows):
        y = grid_top - (i + 1) * cell_h
        label = truncate(row, size, row_header - 8)
        drawing.add(_text(pad, y + cell_h / 2 - size * 0.35, label, size=size))
        for j in range(len(columns)):
            cell = cells[i][j] if j < len(cells[i]) else None
            x = left + j * cell_w
            if cell is None:
                fill, text = EMPTY, "–"
            else:
                fill = (
                    EMPTY if cell.level is None else level_colour(cell.level, scale_min, scale_max)
                )
                text = f"{cell.score:.{decimals}f}"
            ink = MUTED if fill is EMPTY else text_colour_on(fill)
            drawing.add(
                Rect(x, y, cell_w, cell_h, fillColor=fill, strokeColor=WHITE, strokeWidth=1.5)
            )
            drawing.add(
                _text(
                    x + cell_w / 2, y + cell_h / 2 - 3, text, size=8.5, colour=ink, anchor="middle"
                )
            )

    # Legend: one swatch per level with its number inside, then "no data".
    y = pad + 2
    x = max(pad + level_text_w, min(left, width - pad - legend_w + level_text_w))
    drawing.add(_text(x - 6, y + 3.5, level_text, size=7.5, colour=MUTED, anchor="end"))
    for level in levels:
        fill = level_colour(level, scale_min, scale_max)
        drawing.add(Rect(x, y, 20, 13, fillColor=fill, strokeColor=None))
        drawing.add(
            _text(
                x + 10, y + 3.5, str(level), size=7.5, colour=text_colour_on(fill), anchor="middle"
            )
        )
        x += 21
    x += 10
    drawing.add(Rect(x, y, 20, 13, fillColor=EMPTY, strokeColor=None))
    drawing.add(_text(x + 10, y + 3.5, "–", size=7.5, colour=MUTED, anchor="middle"))
    drawing.add(_text(x + 24, y + 3.5, empty_text, size=7.5, colour=MUTED))
    return drawing


def bar_chart(
    labels: list[str],
    values: list[float | None],
    *,
    scale_min: int,
    scale_max: int,
    targets: list[float | None] | None = None,
    width: float = 480,
    color: Color | str | None = None,
    value_label: str | None = None,
    target_label: str | None = None,
    title: str | None = None,
) -> Drawing:
    """Horizontal bars, one per dimension, with the value printed and optional target ticks.

    ``None`` draws no bar and prints "–". ``value_label`` and ``target_label`` name the legend
    entries (default "Current" and "Target"); the legend appears only with targets.
    """
    _check_length(values, labels, "values")
    if targets:
        _check_length(targets, labels, "targets")
    pad, size, leading, row_h, bar_h = 6, 8, 9.6, 24, 11
    colour = _colour(color) if color is not None else SERIES_COLOURS["department"]
    label_w = min(width * 0.32, max([40.0] + [text_width(t, size) for t in labels]))
    wrapped = [wrap(t, size, label_w, 2) or [""] for t in labels]
    title_h = 20 if title else 0
    legend_h = 20 if targets else 0
    axis_h = 14
    height = math.ceil(2 * pad + title_h + len(labels) * row_h + axis_h + legend_h)
    drawing = Drawing(width, height)
    if title:
        drawing.add(_text(pad, height - pad - 10, title, size=10, font=FONT_BOLD))

    origin = _origin(scale_min)
    x0 = pad + label_w + 8
    x1 = width - pad - 22
    top = height - pad - title_h
    plot_bottom = top - len(labels) * row_h

    def x_of(value):
        return x0 + (min(max(value, origin), scale_max) - origin) / (scale_max - origin) * (x1 - x0)

    for level in range(scale_min, scale_max + 1):
        x = x_of(level)
        drawing.add(Line(x, plot_bottom, x, top, strokeColor=GRID, strokeWidth=0.6))
        drawing.add(_text(x, plot_bottom - 10, str(level), size=7, colour=MUTED, anchor="middle"))
    drawing.add(Line(x0, plot_bottom, x0, top, strokeColor=MUTED, strokeWidth=0.8))

    for i, (lines, value) in enumerate(zip(wrapped, values, strict=True)):
        centre = top - (i + 0.5) * row_h
        block = len(lines) * leading
        for n, line in enumerate(lines):
            baseline = centre + block / 2 - (n + 1) * leading + 2.2
            drawing.add(_text(pad, baseline, line, size=size))
        target = targets[i] if targets else None
        end = x0
        if value is not None:
            end = x_of(value)
            drawing.add(
                Rect(x0, centre - bar_h / 2, end - x0, bar_h, fillColor=colour, strokeColor=None)
            )
        if target is not None:
            tx = x_of(target)
            drawing.add(
                Line(
                    tx,
                    centre - bar_h / 2 - 3,
                    tx,
                    centre + bar_h / 2 + 3,
                    strokeColor=SERIES_COLOURS["target"],
                    strokeWidth=2,
                )
            )
            end = max(end, tx)
        text = "–" if value is None else f"{value:.1f}"
        inside = value is not None and x_of(value) - x0 >= text_width(text, size) + 8
        if inside:
            drawing.add(
                _text(
                    x_of(value) - 4,
                    centre - 3,
                    text,
                    size=size,
                    colour=text_colour_on(colour),
                    anchor="end",
                )
            )
        else:
            drawing.add(
                _text(
                    end + 4, centre - 3, text, size=size, colour=INK if value is not None else MUTED
                )
            )

    if targets:
        y = pad + 3
        value_text = value_label or _("Current")
        target_text = target_label or _("Target")
        x = x0
        drawing.add(Rect(x, y, 14, 8, fillColor=colour, strokeColor=None))
        drawing.add(_text(x + 18, y + 1, value_text, size=size))
        x += 18 + text_width(value_text, size) + 14
        drawing.add(
            Line(x + 6, y - 2, x + 6, y + 10, strokeColor=SERIES_COLOURS["target"], strokeWidth=2)
        )
        drawing.add(_text(x + 14, y + 1, target_text, size=size))
    return drawing


# --- helpers ---


def _check_length(items: list, labels: list[str], name: str) -> None:
    if len(items) != len(labels):
        raise ValueError(f"{name} has {len(items)} entries for {len(labels)} labels")


def _origin(scale_min: int) -> int:
    return scale_min - 1 if scale_min > 0 else scale_min


def _colour(value: Color | str) -> Color:
    return HexColor(value) if isinstance(value, str) else value


def _text(x, y, text, *, size, font=FONT, colour=INK, anchor="start") -> String:
    return String(x, y, text, fontName=font, fontSize=size, fillColor=colour, textAnchor=anchor)


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


def _legend_rows(items, max_width, size):
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


def _draw_legend(drawing, rows, width, y, size):
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
            drawing.add(_text(x + 22, y, label, size=size))
            x += w
        y -= 14


def _fit_headers(columns: list[str], max_width: float) -> tuple[float, list[list[str]]]:
    """The largest font size (7.5 down to 6.5) at which every header fits in three lines.

    A size that hyphenates a Latin word ("Evalu- / ation") loses to a smaller one that does not.
    """
    sizes = (7.5, 7, 6.5)
    wrapped = {size: [wrap(c, size, max_width, 3) for c in columns] for size in sizes}
    complete = [s for s in sizes if not any(line.endswith("…") for h in wrapped[s] for line in h)]
    whole_words = [s for s in complete if not any(_splits_word(h) for h in wrapped[s])]
    size = (whole_words or complete or [sizes[-1]])[0]
    return size, wrapped[size]


def _splits_word(lines: list[str]) -> bool:
    return any(line.endswith("-") for line in lines[:-1])


def _luminance(colour: Color) -> float:
    def channel(c):
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.red)
        + 0.7152 * channel(colour.green)
        + 0.0722 * channel(colour.blue)
    )


def _contrast(a: Color, b: Color) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
