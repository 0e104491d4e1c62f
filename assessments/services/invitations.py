"""Invitation and reminder e-mails, and the record of an invitation being opened."""

import datetime
import math

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.languages import language_of

from ..models import Campaign, Invitation, Response
from ..selectors import applicable_question_ids
from .errors import AssessmentError

# A question takes about half a minute; the mail rounds up to the next five minutes.
MINUTES_PER_QUESTION = 0.5
# The campaign page's buttons skip anybody mailed this recently: a second click (or a
# colleague clicking at the same time) sends nothing twice.
RESEND_GUARD = datetime.timedelta(minutes=10)


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "assessments:invitation", args=[invitation.token]
    )


def minutes_to_answer(question_count: int) -> int:
    """About how long a questionnaire of ``question_count`` questions takes, in minutes:
    half a minute a question, rounded up to a multiple of five (at least five)."""
    return max(5, 5 * math.ceil(question_count * MINUTES_PER_QUESTION / 5))


def _email_respondent(invitation: Invitation, *, template: str) -> None:
    """Send the ``template`` mail (text and HTML) in the respondent's language, whoever
    sends it (an org admin reading English, the reminder command)."""
    with translation.override(language_of(invitation.response.respondent)):
        _send_to_respondent(invitation, template=template)


def _send_to_respondent(invitation: Invitation, *, template: str) -> None:
    response = invitation.response
    campaign = response.campaign
    questions = len(
        applicable_question_ids(
            campaign.framework_id,
            response.department.function,
            campaign.organisation.business_model,
        )
    )
    context = {
        "response": response,
        "campaign": campaign,
        "department": response.department,
        "url": invitation_url(invitation),
        "user": response.respondent,
        "questions": questions,
        "minutes": minutes_to_answer(questions),
    }
    message = EmailMultiAlternatives(
        subject=render_to_string(f"assessments/email/{template}_subject.txt", context).strip(),
        body=render_to_string(f"assessments/email/{template}.txt", context),
        to=[response.respondent.email],
    )
    message.attach_alternative(
        render_to_string(f"assessments/email/{template}.html", context), "text/html"
    )
    message.send()


def _with_mail_context(invitations):
    return invitations.select_related(
        "response__respondent__language_preference",
        "response__campaign",
        "response__department",
    )


def send_invitations(*, campaign: Campaign) -> int:
    """E-mail every respondent of an open campaign who has not been invited yet."""
    pending = _with_mail_context(
        Invitation.objects.filter(response__campaign=campaign, sent_at__isnull=True)
    )
    sent = 0
    for invitation in pending:
        if not invitation.response.respondent.email:
            continue
        _email_respondent(invitation, template="invitation")
        Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
        sent += 1
    return sent


def _record_reminder(invitation: Invitation, when: datetime.datetime) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(reminded_at=when)


def send_reminders(*, campaign: Campaign | None = None, min_interval_hours: int = 24) -> int:
    """Remind respondents of open campaigns who have not submitted, at most once per interval."""
    now = timezone.now()
    since = now - datetime.timedelta(hours=min_interval_hours)
    invitations = _with_mail_context(
        Invitation.objects.filter(
            response__campaign__status=Campaign.Status.OPEN,
            response__campaign__closes_on__gte=timezone.localdate(),
            response__status=Response.Status.IN_PROGRESS,
        ).filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=since))
    )
    if campaign is not None:
        invitations = invitations.filter(response__campaign=campaign)
    reminded = 0
    for invitation in invitations:
        if not invitation.response.respondent.email:
            continue
        _email_respondent(invitation, template="reminder")
        _record_reminder(invitation, now)
        reminded += 1
    return reminded


def _refuse_unless_open(campaign: Campaign) -> None:
    if campaign.status != Campaign.Status.OPEN:
        raise AssessmentError(
            "campaign_not_open",
            _("Mails go out only while the campaign is open."),
            status=409,
        )


def resend_invitation(*, response: Response) -> Invitation:
    """E-mail one respondent who has not submitted their invitation again (the same link).
    Refused for a campaign that is not open, a submitted response, a respondent without
    an e-mail address, and within ``RESEND_GUARD`` of the last sending."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=response.campaign_id)
        _refuse_unless_open(campaign)
        invitation, _created = Invitation.objects.select_for_update().get_or_create(
            response_id=response.pk
        )
        invitation = _with_mail_context(Invitation.objects).get(pk=invitation.pk)
        response = invitation.response
        if response.is_submitted:
            raise AssessmentError(
                "response_submitted", _("This respondent has already submitted."), status=409
            )
        if not response.respondent.email:
            raise AssessmentError(
                "no_email", _("This respondent has no e-mail address."), status=409
            )
        now = timezone.now()
        if invitation.sent_at and invitation.sent_at > now - RESEND_GUARD:
            raise AssessmentError(
                "sent_recently",
                _("The invitation was sent less than ten minutes ago. Please wait a little."),
                status=409,
            )
        _email_respondent(invitation, template="invitation")
        Invitation.objects.filter(pk=invitation.pk).update(sent_at=now)
    return invitation


def remind_unsubmitted(*, campaign: Campaign) -> tuple[int, int]:
    """Remind everyone of an open campaign who has not submitted, now; returns (reminded,
    skipped): skipped are those without an e-mail address or reminded within
    ``RESEND_GUARD``. Each reminded invitation records ``reminded_at``."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        _refuse_unless_open(campaign)
        now = timezone.now()
        invitations = _with_mail_context(
            Invitation.objects.filter(
                response__campaign=campaign, response__status=Response.Status.IN_PROGRESS
            )
        ).order_by("pk")
        reminded = skipped = 0
        for invitation in invitations:
            last = invitation.reminded_at
            if not invitation.response.respondent.email or (last and last > now - RESEND_GUARD):
                skipped += 1
                continue
            _email_respondent(invitation, template="reminder")
            _record_reminder(invitation, now)
            reminded += 1
    return reminded, skipped


def mark_invitation_opened(*, invitation: Invitation) -> None:
    if invitation.opened_at is None:
        Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )
