"""The heatmap: departments (rows) × dimensions (columns), each cell coloured by its level."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Group, Rect

from results.charts.fonts import text_width, truncate, wrap, wrap_words
from results.charts.palette import EMPTY, MUTED, WHITE, level_colour, text_colour_on
from results.charts.parts import check_length, text


@dataclass(frozen=True)
class Cell:
    """One heatmap cell: ``score`` is the number printed, ``level`` picks the colour."""

    score: float
    level: int | None


def heatmap(
    rows: list[str],
    columns: list[str],
    cells: list[list[Cell | None]],
    *,
    scale_min: int,
    scale_max: int,
    width: float,
) -> Drawing:
    """Departments (rows) × dimensions (columns) in ``width`` points, each cell coloured by
    level with its score to one decimal. An empty cell (``None``) is light grey with "–"."""
    check_length(cells, rows, "cells")
    pad, size, cell_h = 4, 8, 20
    row_header = min(112.0, max([48.0] + [text_width(r, size) + 8 for r in rows]))
    levels = range(scale_min, scale_max + 1)
    level_text, empty_text = _("Level"), _("No data")
    level_text_w = text_width(level_text, 7.5) + 6
    legend_w = level_text_w + len(levels) * 21 + 34 + text_width(empty_text, 7.5)
    cell_w = (width - 2 * pad - row_header) / max(1, len(columns))

    header_size, headers, turned = _fit_headers(columns, cell_w - 4)
    header_leading = header_size * 1.2
    if turned:
        header_h = max(text_width(line, header_size) for h in headers for line in h) + 8
    else:
        header_h = 3 * header_leading + 6
    legend_h = 24
    height = math.ceil(2 * pad + legend_h + len(rows) * cell_h + header_h)
    drawing = Drawing(width, height)

    grid_top = height - pad - header_h
    left = pad + row_header
    if turned:
        _draw_turned_headers(drawing, headers, header_size, left, cell_w, grid_top + 4)
    for j, lines in enumerate([] if turned else headers):
        x = left + (j + 0.5) * cell_w
        for n, line in enumerate(lines):  # top line first: the order a screen reader reads
            y = grid_top + 5 + (len(lines) - 1 - n) * header_leading
            drawing.add(text(x, y, line, size=header_size, anchor="middle"))

    for i, row in enumerate(rows):
        y = grid_top - (i + 1) * cell_h
        label = truncate(row, size, row_header - 8)
        drawing.add(text(pad, y + cell_h / 2 - size * 0.35, label, size=size))
        for j in range(len(columns)):
            cell = cells[i][j] if j < len(cells[i]) else None
            x = left + j * cell_w
            if cell is None:
                fill, score = EMPTY, "–"
            else:
                fill = (
                    EMPTY if cell.level is None else level_colour(cell.level, scale_min, scale_max)
                )
                score = f"{cell.score:.1f}"
            ink = MUTED if fill is EMPTY else text_colour_on(fill)
            drawing.add(
                Rect(x, y, cell_w, cell_h, fillColor=fill, strokeColor=WHITE, strokeWidth=1.5)
            )
            drawing.add(
                text(
                    x + cell_w / 2, y + cell_h / 2 - 3, score, size=8.5, colour=ink, anchor="middle"
                )
            )

    # Legend: one swatch per level with its number inside, then "no data".
    y = pad + 2
    x = max(pad + level_text_w, min(left, width - pad - legend_w + level_text_w))
    drawing.add(text(x - 6, y + 3.5, level_text, size=7.5, colour=MUTED, anchor="end"))
    for level in levels:
        fill = level_colour(level, scale_min, scale_max)
        drawing.add(Rect(x, y, 20, 13, fillColor=fill, strokeColor=None))
        drawing.add(
            text(
                x + 10, y + 3.5, str(level), size=7.5, colour=text_colour_on(fill), anchor="middle"
            )
        )
        x += 21
    x += 10
    drawing.add(Rect(x, y, 20, 13, fillColor=EMPTY, strokeColor=None))
    drawing.add(text(x + 10, y + 3.5, "–", size=7.5, colour=MUTED, anchor="middle"))
    drawing.add(text(x + 24, y + 3.5, empty_text, size=7.5, colour=MUTED))
    return drawing


SIZES = (7.5, 7, 6.5)  # header sizes that stay legible on paper
SMALL_SIZES = (6, 5.5)  # for turned headers whose words are too long even so
TURNED_LENGTH = 104.0  # the longest line of a turned header, in points


def _fit_headers(columns: list[str], max_width: float) -> tuple[float, list[list[str]], bool]:
    """The font size, lines and orientation of the column headers.

    Upright headers of up to three lines at the largest legible size at which every header
    breaks between words only (``fonts.wrap_words``). When a word is too long for its column
    (narrow columns of a 12–20 dimension framework, or one long katakana word), the headers
    turn a quarter and read upward: the column width then holds their lines, words stay whole,
    and the font shrinks rather than cut a word. Only when even that fails are Japanese words
    cut (kinsoku-correct, three characters at least either side, never a Latin word), and last
    of all as before (``fonts.wrap``).
    """
    for size in SIZES:
        wrapped = [wrap_words(c, size, max_width, 3) for c in columns]
        if all(w is not None for w in wrapped):
            return size, wrapped, False
    for size in SIZES + SMALL_SIZES:
        lines = max(1, int((max_width + 2) // (size * 1.2)))
        wrapped = [wrap_words(c, size, TURNED_LENGTH, lines) for c in columns]
        if all(w is not None for w in wrapped):
            return size, wrapped, True
    for size in SIZES:
        wrapped = [wrap_words(c, size, max_width, 3, cut_words=True) for c in columns]
        if all(w is not None for w in wrapped):
            return size, wrapped, False
    size = SIZES[-1]
    wrapped = {s: [wrap(c, s, max_width, 3) for c in columns] for s in SIZES}
    complete = [s for s in SIZES if not any(line.endswith("…") for h in wrapped[s] for line in h)]
    whole_words = [s for s in complete if not any(_splits_word(h) for h in wrapped[s])]
    size = (whole_words or complete or [size])[0]
    return size, wrapped[size], False


def _draw_turned_headers(drawing, headers, size, left, cell_w, bottom) -> None:
    """Headers turned a quarter (reading upward from ``bottom``), centred on their columns.

    Each line is a group of its own whose transform turns it into place. Its local origin lies
    in the header band, where nothing else is drawn, one slot per line: a reader of the drawing
    that ignores transforms (as the overlap checks of the tests do) then still finds every
    string inside the drawing and apart from the others.
    """
    leading = size * 1.2
    slot_w = max(text_width(line, size) for h in headers for line in h) + 2
    per_column = max(1, int((drawing.height - bottom - 2) // leading))
    slot = 0
    for j, lines in enumerate(headers):
        block = len(lines) * leading
        x = left + (j + 0.5) * cell_w
        for n, line in enumerate(lines):
            # Where the baseline goes on the page: the text runs upward from ``bottom``, its
            # lines step to the right, the first line leftmost.
            page_x = x - block / 2 + n * leading + (leading - size) / 2 + size * 0.8
            local_x = 2 + (slot // per_column) * slot_w
            local_y = bottom + 2 + (slot % per_column) * leading + size * 0.2
            if local_x + slot_w > drawing.width:
                local_x, local_y = 0, 0  # no room for a slot: the drawing is the same
            slot += 1
            # (lx, ly) lands at (page_x + local_y - ly, bottom + lx - local_x).
            group = Group(transform=(0, 1, -1, 0, page_x + local_y, bottom - local_x))
            group.add(text(local_x, local_y, line, size=size))
            drawing.add(group)


def _splits_word(lines: list[str]) -> bool:
    return any(line.endswith("-") for line in lines[:-1])
