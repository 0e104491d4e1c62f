"""Pieces every chart is drawn with: text in the report font, the scale's origin, checks."""

from __future__ import annotations

from reportlab.graphics.shapes import String

from results.charts.fonts import FONT
from results.charts.palette import INK

DASH = [4, 2.5]  # the previous campaign's outline


def text(x, y, content, *, size, colour=INK, anchor="start") -> String:
    return String(x, y, content, fontName=FONT, fontSize=size, fillColor=colour, textAnchor=anchor)


def origin(scale_min: int) -> int:
    """Where the radar's centre and the bars' start sit: one step below ``scale_min`` when the
    scale starts above zero, so that the lowest level still shows as a ring or a bar."""
    return scale_min - 1 if scale_min > 0 else scale_min


def check_length(items: list, labels: list[str], name: str) -> None:
    if len(items) != len(labels):
        raise ValueError(f"{name} has {len(items)} entries for {len(labels)} labels")
