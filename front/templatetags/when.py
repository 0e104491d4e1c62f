"""Dates and times as the reader's language writes them, times with their time zone:
``{{ action.due_on|day }}`` 「2026年12月2日」 / "Dec. 2, 2026";
``{{ job.created_at|moment }}`` 「2026年12月2日14:07 JST」 / "Dec. 2, 2026, 2:07 p.m. JST".
Machine-readable values stay in ``<time datetime="…">`` attributes (``|date:"c"``)."""

import datetime

from django import template
from django.utils import dateformat, formats, timezone

register = template.Library()


@register.filter
def day(value) -> str:
    """A date (or a datetime's date, in the current time zone) in the language's format."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return formats.date_format(value, "DATE_FORMAT")


@register.filter
def moment(value) -> str:
    """A point in time in the language's format, in the current time zone, with its name."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    zone = dateformat.format(local, "T") if timezone.is_aware(value) else ""
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} {zone}".strip()
