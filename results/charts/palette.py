"""Every colour of LevelCheck's charts and PDF reports, and the rules that pick one.

The web pages show the same colours through the custom properties of
``static/css/levelcheck.css`` (``--ink``, ``--ink-soft``, ``--line``, ``--brand``, ``--lv1`` …
``--lv5`` and the text colour on each level, ``--lv1-ink`` …). CSS cannot import Python, so
``tests/results/test_palette.py`` reads the stylesheet and fails when the two drift apart.

Level colours run from warm (acquisition-type, low levels) to teal (engagement-type, high
levels). Text on a level colour is white or ink, whichever contrasts more; every level reaches
WCAG's 4.5:1 with its text colour, on a badge as in a heatmap cell.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.colors import Color, HexColor

INK = HexColor("#1c2430")  # text
MUTED = HexColor("#4a5565")  # secondary text, axis numbers, outer radar ring
LINE = HexColor("#dde2ea")  # rules, table grids, chart grid lines
BRAND = HexColor("#0f5c73")  # headings, links
WHITE = colors.white
EMPTY = HexColor("#eceef1")  # a heatmap cell without data
TABLE_HEADER = HexColor("#f1f3f6")  # behind a PDF table's header row
CODE_BACKGROUND = HexColor("#e6eaf0")  # behind code in module text
BACKING = Color(1, 1, 1, alpha=0.8)  # behind small chart labels drawn over lines

LEVEL_COLOURS = tuple(HexColor(h) for h in ("#b8461b", "#ee9a5b", "#f3dc95", "#8fccaf", "#1f7a6d"))

# The radar's series: the department in the brand colour, the organisation average beside it.
DEPARTMENT_COLOUR = BRAND
ORGANISATION_COLOUR = HexColor("#d08a2e")
PREVIOUS_COLOUR = HexColor("#8a94a3")


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
    return WHITE if contrast(fill, WHITE) >= contrast(fill, INK) else INK


def contrast(a: Color, b: Color) -> float:
    """WCAG 2 contrast ratio of two colours, 1 to 21."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _luminance(colour: Color) -> float:
    def channel(c):
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.red)
        + 0.7152 * channel(colour.green)
        + 0.0722 * channel(colour.blue)
    )
