"""Template filters for result numbers; the rules live in ``results.formatting``."""

from django import template

from results import formatting

register = template.Library()


@register.filter
def mean(value, rules=None) -> str:
    """A mean on the level scale at the framework's precision (``{{ x|mean:results.rules }}``;
    two decimals without rules), rounded half-up; a dash when there is none."""
    return formatting.mean(value, rules=rules or None)


@register.filter
def delta(value, rules=None) -> str:
    """A signed change at the framework's precision: +0.40, −0.15, ±0.00, or a dash."""
    return formatting.delta(value, rules=rules or None)


@register.filter
def percent(value) -> str:
    return formatting.percent(value)


@register.filter
def level(value) -> str:
    """A level, 0 included; a dash when there is none."""
    return formatting.level(value)
