"""How a result's numbers read, on a page, in a PDF and in the API's neighbours: written once.

A dash (–) stands for "no number" (None, NaN, pandas' NA) and for nothing else: level 0 and a
mean of 0.00 are numbers and print as such.

Means and changes are rounded half-up (2.345 → 2.35, 0.125 → 0.13) by the framework's
``ScoringRules.round`` to its declared precision (two decimals unless the file says
otherwise): the one rounding rule of every output.
"""

from __future__ import annotations

import pandas as pd

from maturity.scoring_rules import ScoringRules

DASH = "–"
MINUS = "−"  # U+2212, the typographic minus, as in the PDF and on screen
DEFAULT_RULES = ScoringRules()


def missing(value) -> bool:
    """No number: None, NaN or pandas' NA."""
    return value is None or bool(pd.isna(value))


def places(rules: ScoringRules | None = None, digits: int | None = None) -> int:
    """The decimals shown: ``digits`` when given, else the framework's precision."""
    return (rules or DEFAULT_RULES).precision if digits is None else digits


def rounded(value, digits: int | None = None, rules: ScoringRules | None = None) -> float | None:
    """``value`` rounded half-up to ``digits`` (default: the framework's precision); None
    for no number."""
    if missing(value):
        return None
    return (rules or DEFAULT_RULES).round(float(value), places(rules, digits))


def mean(value, digits: int | None = None, rules: ScoringRules | None = None) -> str:
    """A mean on the level scale (or another plain number) to the framework's precision, or
    ``digits`` decimals, rounded half-up: 2.40."""
    if missing(value):
        return DASH
    shown = places(rules, digits)
    return f"{rounded(value, shown, rules):.{shown}f}"


def delta(value, rules: ScoringRules | None = None) -> str:
    """A signed change to the framework's precision: +0.40, −0.15, and ±0.00 for anything that
    rounds to zero (|x| < 0.005 at two decimals), whichever side of zero it lies."""
    if missing(value):
        return DASH
    shown = places(rules)
    text = f"{rounded(abs(float(value)), shown, rules):.{shown}f}"
    if float(text) == 0:
        return "±" + text
    return ("+" if value > 0 else MINUS) + text


def percent(value) -> str:
    """A 0–100 score, whole, rounded half-up like every other number: 62.5 → 63."""
    return DASH if missing(value) else f"{rounded(value, 0):.0f}"


def level(value) -> str:
    """A level as a whole number; level 0 prints as 0."""
    return DASH if missing(value) else str(int(value))
