"""Horizontal bars: the profile of a framework with too few dimensions for a radar."""

from __future__ import annotations

import math

from reportlab.graphics.shapes import Drawing, Line, Rect

from results.charts.fonts import text_width, wrap
from results.charts.palette import DEPARTMENT_COLOUR, INK, LINE, MUTED, text_colour_on
from results.charts.parts import check_length, origin, text

WIDTH = 480


def bar_chart(
    labels: list[str], values: list[float | None], *, scale_min: int, scale_max: int
) -> Drawing:
    """One bar per dimension with its value printed; ``None`` draws no bar and prints "–"."""
    check_length(values, labels, "values")
    width = WIDTH
    pad, size, leading, row_h, bar_h = 6, 8, 9.6, 24, 11
    label_w = min(width * 0.32, max([40.0] + [text_width(t, size) for t in labels]))
    wrapped = [wrap(t, size, label_w, 2) or [""] for t in labels]
    axis_h = 14
    height = math.ceil(2 * pad + len(labels) * row_h + axis_h)
    drawing = Drawing(width, height)

    start = origin(scale_min)
    x0 = pad + label_w + 8
    x1 = width - pad - 22
    top = height - pad
    plot_bottom = top - len(labels) * row_h

    def x_of(value):
        return x0 + (min(max(value, start), scale_max) - start) / (scale_max - start) * (x1 - x0)

    for level in range(scale_min, scale_max + 1):
        x = x_of(level)
        drawing.add(Line(x, plot_bottom, x, top, strokeColor=LINE, strokeWidth=0.6))
        drawing.add(text(x, plot_bottom - 10, str(level), size=7, colour=MUTED, anchor="middle"))
    drawing.add(Line(x0, plot_bottom, x0, top, strokeColor=MUTED, strokeWidth=0.8))

    for i, (lines, value) in enumerate(zip(wrapped, values, strict=True)):
        centre = top - (i + 0.5) * row_h
        block = len(lines) * leading
        for n, line in enumerate(lines):
            baseline = centre + block / 2 - (n + 1) * leading + 2.2
            drawing.add(text(pad, baseline, line, size=size))
        if value is None:
            drawing.add(text(x0 + 4, centre - 3, "–", size=size, colour=MUTED))
            continue
        end = x_of(value)
        drawing.add(
            Rect(
                x0,
                centre - bar_h / 2,
                end - x0,
                bar_h,
                fillColor=DEPARTMENT_COLOUR,
                strokeColor=None,
            )
        )
        number = f"{value:.1f}"
        if end - x0 >= text_width(number, size) + 8:  # inside the bar when it fits
            on_bar = text_colour_on(DEPARTMENT_COLOUR)
            drawing.add(text(end - 4, centre - 3, number, size=size, colour=on_bar, anchor="end"))
        else:
            drawing.add(text(end + 4, centre - 3, number, size=size, colour=INK))
    return drawing
