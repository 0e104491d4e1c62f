"""Greedy line breaking of a paragraph's characters by the Japanese rules.

Filling uses the font's metrics and never exceeds the width. A line never starts or ends where
the kinsoku table (``results.charts.kinsoku``) forbids: the character before such a spot moves
down with it (追い出し). Latin runs break at spaces only, a number stays with its unit, and a
run too long for a line (a URL, a long number) is cut where it must, after a hyphen or a slash
if one fits.
"""

from __future__ import annotations

import unicodedata

from reportlab.platypus.paragraph import ParaLines, makeCJKParaLine
from reportlab.rl_config import _FUZZ

from results.charts.kinsoku import may_break

SPACES = frozenset(" \t\r\n")  # break here; not U+00A0 or the ideographic space
_SOFT_BREAKS = frozenset("-/‐")  # preferred places to cut a URL or a long compound


def wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def forced(unit: str) -> bool:
    """Is the unit a ``<br/>`` (reportlab marks its frag with ``lineBreak``)?"""
    return hasattr(unit.frag, "lineBreak")


def _break_before(units: list, i: int) -> bool:
    """May a line end before ``units[i]`` (which then starts the next line)?"""
    b = units[i]
    if not b or b in SPACES:
        return False  # empty items (anchors, images) stay with what precedes
    j = i - 1
    while j >= 0 and not units[j]:
        j -= 1
    if j < 0:
        return False
    spaced = units[j] in SPACES
    while j >= 0 and (not units[j] or units[j] in SPACES):
        j -= 1
    a = units[j] if j >= 0 else ""
    if not may_break(a, b):
        return False
    if spaced:
        return True
    if a.isdigit():
        return False  # a number stays with its unit: 3.3倍, 12か月, 2,000,000円
    return wide(a) or wide(b)


def _emergency_break(units: list, start: int, end: int) -> int:
    """Where to cut a run that has no break opportunity and does not fit: after its last hyphen
    or slash that fits, else as late as possible, keeping the kinsoku rules if the run allows."""
    allowed = [i for i in range(end, start + 1, -1) if may_break(units[i - 1], units[i])]
    return next(
        (i for i in allowed if units[i - 1] in _SOFT_BREAKS), allowed[0] if allowed else end
    )


def _trimmed(units: list) -> list:
    end = len(units)
    while end and units[end - 1] in SPACES:
        end -= 1
    return units[:end]


def break_units(units: list, max_widths: list[float], calc_bounds: bool = False) -> ParaLines:
    """Greedy kinsoku line breaking of ``cjkU`` units into reportlab's kind-1 lines."""
    lines = []
    n = len(units)
    start = 0
    while start < n:
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        end, width, used = start, 0.0, 0.0
        while end < n and not forced(units[end]):
            grown = width + units[end].width
            new_used = used if units[end] in SPACES else grown
            if new_used > max_width + _FUZZ and end > start:
                break
            width, used, end = grown, new_used, end + 1
        line_break = end < n and forced(units[end])
        if end == n or line_break:
            stop, following = end, end + line_break
        else:
            stop = next((i for i in range(end, start, -1) if _break_before(units, i)), None)
            stop = following = stop or _emergency_break(units, start, end)
        body = _trimmed(units[start:stop])
        used = sum(u.width for u in body)
        line = makeCJKParaLine(
            body + units[stop:following], max_width, used, max_width - used, line_break, calc_bounds
        )
        line.jp_units, line.jp_start = units, start
        lines.append(line)
        start = following
        while start < n and units[start] in SPACES:
            start += 1
    return ParaLines(kind=1, lines=lines)


def segment_widths(units: list):
    """Widths of the pieces between break opportunities, trailing spaces left out."""
    width = used = 0.0
    for i, u in enumerate(units):
        if forced(u) or (i and _break_before(units, i)):
            yield used
            width = used = 0.0
        if not forced(u):
            width += u.width
            if u not in SPACES:
                used = width
    yield used


def frags_of(units: list) -> list:
    """Units back into paragraph frags, consecutive units of one frag joined."""
    frags, run = [], []
    for u in units:
        if run and u.frag is not run[0].frag:
            frags.append(run[0].frag.clone(text="".join(run)))
            run = []
        run.append(u)
    if run:
        frags.append(run[0].frag.clone(text="".join(run)))
    return frags
