"""How a result's numbers read, on a page, in a PDF and in the API's neighbours: written once.

A dash (–) stands for "no number" (None, NaN, pandas' NA) and for nothing else: level 0 and a
mean of 0.00 are numbers and print as such.
"""

from __future__ import annotations

import pandas as pd

DASH = "–"
MINUS = "−"  # U+2212, the typographic minus, as in the PDF and on screen


def missing(value) -> bool:
    """No number: None, NaN or pandas' NA."""
    return value is None or bool(pd.isna(value))


def mean(value, digits: int = 2) -> str:
    """A mean on the level scale (or another plain number), ``digits`` decimals: 2.40."""
    return DASH if missing(value) else f"{float(value):.{digits}f}"


def delta(value) -> str:
    """A signed change to two decimals: +0.40, −0.15, and ±0.00 for anything that rounds to
    zero (|x| < 0.005), whichever side of zero it lies."""
    if missing(value):
        return DASH
    text = f"{abs(float(value)):.2f}"
    if text == "0.00":
        return "±0.00"
    return ("+" if value > 0 else MINUS) + text


def percent(value) -> str:
    """A 0–100 score, whole: 63."""
    return DASH if missing(value) else f"{float(value):.0f}"


def level(value) -> str:
    """A level as a whole number; level 0 prints as 0."""
    return DASH if missing(value) else str(int(value))
