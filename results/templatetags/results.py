import math

from django import template

register = template.Library()


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@register.filter
def mean(value) -> str:
    """A mean on the level scale, two decimals; a dash when there is none."""
    return "–" if _missing(value) else f"{value:.2f}"


@register.filter
def delta(value) -> str:
    """A signed change: +0.40, −0.15, or a dash."""
    if _missing(value):
        return "–"
    sign = "+" if value > 0.005 else ("−" if value < -0.005 else "±")
    return f"{sign}{abs(value):.2f}"


@register.filter
def percent(value) -> str:
    return "–" if _missing(value) else f"{value:.0f}"
