"""Invitation and reminder e-mails, and the record of an invitation being opened."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ..models import Campaign, Invitation, Response


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "assessments:invitation", args=[invitation.token]
    )


def _email_respondent(invitation: Invitation, *, template: str) -> None:
    response = invitation.response
    context = {
        "response": response,
        "campaign": response.campaign,
        "url": invitation_url(invitation),
        "user": response.respondent,
    }
    send_mail(
        subject=render_to_string(f"assessments/email/{template}_subject.txt", context).strip(),
        message=render_to_string(f"assessments/email/{template}.txt", context),
        from_email=None,
        recipient_list=[response.respondent.email],
    )


def send_invitations(*, campaign: Campaign) -> int:
    """E-mail every respondent of an open campaign who has not been invited yet."""
    pending = Invitation.objects.filter(
        response__campaign=campaign, sent_at__isnull=True
    ).select_related("response__respondent", "response__campaign", "response__department")
    sent = 0
    for invitation in pending:
        if not invitation.response.respondent.email:
            continue
        _email_respondent(invitation, template="invitation")
        Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
        sent += 1
    return sent


def send_reminders(*, campaign: Campaign | None = None, min_interval_hours: int = 24) -> int:
    """Remind respondents of open campaigns who have not submitted, at most once per interval."""
    now = timezone.now()
    since = now - datetime.timedelta(hours=min_interval_hours)
    invitations = (
        Invitation.objects.filter(
            response__campaign__status=Campaign.Status.OPEN,
            response__campaign__closes_on__gte=timezone.localdate(),
            response__status=Response.Status.IN_PROGRESS,
        )
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=since))
        .select_related("response__respondent", "response__campaign", "response__department")
    )
    if campaign is not None:
        invitations = invitations.filter(response__campaign=campaign)
    reminded = 0
    for invitation in invitations:
        if not invitation.response.respondent.email:
            continue
        _email_respondent(invitation, template="reminder")
        Invitation.objects.filter(pk=invitation.pk).update(reminded_at=now)
        reminded += 1
    return reminded


def mark_invitation_opened(*, invitation: Invitation) -> None:
    if invitation.opened_at is None:
        Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )
