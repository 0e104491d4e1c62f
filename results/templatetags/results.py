"""Template filters for result numbers; the rules live in ``results.formatting``."""

from django import template

from results import formatting

register = template.Library()


@register.filter
def mean(value) -> str:
    """A mean on the level scale, two decimals; a dash when there is none."""
    return formatting.mean(value)


@register.filter
def delta(value) -> str:
    """A signed change: +0.40, −0.15, ±0.00, or a dash."""
    return formatting.delta(value)


@register.filter
def percent(value) -> str:
    return formatting.percent(value)


@register.filter
def level(value) -> str:
    """A level, 0 included; a dash when there is none."""
    return formatting.level(value)
