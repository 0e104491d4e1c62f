"""Reminder e-mails to the owners of open actions that are due soon or overdue, once per due
date (``Action.reminded_for``): moving the due date makes the action due for a reminder
again, sending twice for the same date never happens."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.languages import language_of

from ..models import Action
from .selectors import OPEN, is_overdue

DEFAULT_DAYS = 7


def action_url(action: Action) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("improvement:action", args=[action.pk])


def due_for_reminder(*, days: int, today: datetime.date):
    """Open actions with an owner who has an e-mail address, due on or before ``today +
    days`` (overdue ones included), not yet reminded for their current due date."""
    return (
        Action.objects.filter(
            status__in=OPEN,
            owner__isnull=False,
            due_on__isnull=False,
            due_on__lte=today + datetime.timedelta(days=days),
        )
        .exclude(owner__email="")
        .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("due_on")))
        .select_related("owner__language_preference", "campaign", "department")
        .order_by("due_on", "pk")
    )


def send_action_reminders(*, days: int = DEFAULT_DAYS, today: datetime.date | None = None) -> int:
    """E-mail each owner of an open action due within ``days`` days (or overdue), once per
    due date, in the owner's language; returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    for action in due_for_reminder(days=days, today=today):
        owner = action.owner
        context = {
            "action": action,
            "campaign": action.campaign,
            "department": action.department,
            "user": owner,
            "url": action_url(action),
            "overdue": is_overdue(action, today),
        }
        with translation.override(language_of(owner)):
            subject = render_to_string(
                "improvement/email/action_reminder_subject.txt", context
            ).strip()
            body = render_to_string("improvement/email/action_reminder.txt", context)
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[owner.email])
        # Only if the due date is still the one reminded of (an edit meanwhile wins).
        Action.objects.filter(pk=action.pk, due_on=action.due_on).update(reminded_for=action.due_on)
        sent += 1
    return sent
