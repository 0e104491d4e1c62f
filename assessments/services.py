"""Writes for campaigns and responses: keyword-only functions, one transaction each.

The web views, the API, management commands and the demo data all call these; nothing
here knows about HTTP.
"""

import datetime
import re
from collections.abc import Collection
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from maturity.models import Framework
from maturity.selectors import question_rules

from .models import (
    COMMENT_MAX_LENGTH,
    NA_REASON_MAX_LENGTH,
    Answer,
    Campaign,
    Department,
    Invitation,
    Membership,
    Organisation,
    Response,
    Target,
)


class AssessmentError(Exception):
    """A write the rules refuse. ``code`` is stable for API clients; the message is for people.

    ``status`` is the HTTP status the API answers with (400 bad input, 409 state conflict).
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: int = 400,
        field: str | None = None,
        question_id: int | None = None,
    ):
        super().__init__(message)
        self.code, self.message, self.status, self.field = code, message, status, field
        self.question_id = question_id


# Characters XML 1.0 cannot hold: C0 controls but tab, LF and CR, lone surrogates, U+FFFE and
# U+FFFF. A comment with one would break the XLSX export (and every XML reader after it), and
# PostgreSQL refuses NUL in text outright, so such text is refused where it is typed.
UNSTORABLE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class AnswerInput:
    """One question's full answer state as the respondent last set it."""

    question_id: int
    choice_id: int | None = None
    is_na: bool = False
    na_reason: str = ""
    comment: str = ""


# ---------------------------------------------------------------- campaigns


@transaction.atomic
def create_campaign(
    *,
    organisation: Organisation,
    framework: Framework,
    name: str,
    departments: list[Department],
    opens_on: datetime.date,
    closes_on: datetime.date,
    created_by,
    anonymity_threshold: int = 3,
) -> Campaign:
    """Create a draft campaign with a response (and invitation) for every manager of every
    assessed department."""
    if not framework.is_published:
        raise AssessmentError(
            "framework_not_published", _("Only a published framework can be used.")
        )
    if closes_on < opens_on:
        raise AssessmentError(
            "dates_out_of_order",
            _("The closing date must not be before the opening date."),
            field="closes_on",
        )
    if any(d.organisation_id != organisation.pk for d in departments) or not departments:
        raise AssessmentError(
            "bad_departments", _("Choose departments of this organisation."), field="departments"
        )
    campaign = Campaign.objects.create(
        organisation=organisation,
        framework=framework,
        name=name,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=created_by,
        anonymity_threshold=anonymity_threshold,
    )
    campaign.departments.set(departments)
    managers = Membership.objects.filter(
        organisation=organisation, department__in=departments, role=Membership.Role.MANAGER
    ).select_related("user", "department")
    for membership in managers:
        add_respondent(
            campaign=campaign,
            department=membership.department,
            user=membership.user,
            rater_role=Response.RaterRole.MANAGER,
        )
    return campaign


@transaction.atomic
def add_respondent(
    *, campaign: Campaign, department: Department, user, rater_role: str, notify: bool = True
) -> Response:
    """Add (idempotently) a respondent for a department; returns their response. In an open
    campaign the new respondent is e-mailed their invitation unless ``notify`` is off."""
    if not campaign.departments.filter(pk=department.pk).exists():
        raise AssessmentError(
            "department_not_assessed", _("This department is not assessed in the campaign.")
        )
    response, _created = Response.objects.get_or_create(
        campaign=campaign,
        department=department,
        respondent=user,
        defaults={"rater_role": rater_role},
    )
    Invitation.objects.get_or_create(response=response)
    if campaign.status == Campaign.Status.OPEN and notify:
        send_invitations(campaign=campaign)
    return response


def set_campaign_status(*, campaign: Campaign, status: str) -> Campaign:
    """Move a campaign draft → open → closed, or reopen a closed one. Opening sends the
    invitations that have not been sent yet."""
    allowed = {
        Campaign.Status.DRAFT: {Campaign.Status.OPEN},
        Campaign.Status.OPEN: {Campaign.Status.CLOSED},
        Campaign.Status.CLOSED: {Campaign.Status.OPEN},
    }
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if status not in allowed[campaign.status]:
            raise AssessmentError(
                "bad_transition",
                _("A %(current)s campaign cannot become %(new)s.")
                % {"current": campaign.get_status_display(), "new": Campaign.Status(status).label},
                status=409,
            )
        campaign.status = status
        campaign.save(update_fields=["status"])
    if status == Campaign.Status.OPEN:
        send_invitations(campaign=campaign)
    return campaign


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


# ---------------------------------------------------------------- answers


def _refuse_closed(response: Response) -> None:
    if response.is_submitted:
        raise AssessmentError(
            "response_submitted",
            _(
                "This response has been submitted and is locked. "
                "Ask your organisation admin or consultant to reopen it."
            ),
            status=409,
        )
    if not response.campaign.is_accepting_answers:
        raise AssessmentError(
            "campaign_closed",
            _("This campaign is not accepting answers (it is closed or not open yet)."),
            status=409,
        )


def _question_rule(response: Response, question_id: int):
    question = question_rules(response.campaign.framework).get(question_id)
    if question is None:
        raise AssessmentError(
            "unknown_question",
            _("Question %(id)s is not part of this campaign's framework.") % {"id": question_id},
            field="question",
            question_id=question_id,
        )
    if not question.applies_to(response.department.function):
        raise AssessmentError(
            "question_not_applicable",
            _("This question does not apply to this department."),
            field="question",
            question_id=question_id,
        )
    return question


def _validated_rows(response: Response, items: list[AnswerInput]) -> list[Answer]:
    now = timezone.now()
    answers = []
    for item in items:
        question = _question_rule(response, item.question_id)
        if item.choice_id is not None and item.choice_id not in question.choice_ids:
            raise AssessmentError(
                "unknown_choice",
                _("That choice does not belong to this question."),
                field="choice",
                question_id=item.question_id,
            )
        if item.is_na and item.choice_id is not None:
            raise AssessmentError(
                "choice_and_na",
                _("Choose an answer or mark N/A, not both."),
                field="na",
                question_id=item.question_id,
            )
        if item.is_na and not question.allow_na:
            raise AssessmentError(
                "na_not_allowed",
                _("N/A is not allowed for this question."),
                field="na",
                question_id=item.question_id,
            )
        na_reason, comment = item.na_reason.strip(), item.comment.strip()
        if item.choice_id is None and not item.is_na and not comment:
            raise AssessmentError(
                "answer_required",
                _(
                    "Nothing to save: choose an answer, mark N/A or write a comment. "
                    "To remove a saved answer, delete it."
                ),
                field="choice",
                question_id=item.question_id,
            )
        for field, text in (("na_reason", na_reason if item.is_na else ""), ("comment", comment)):
            if UNSTORABLE_TEXT.search(text):
                raise AssessmentError(
                    f"{field}_unstorable",
                    _(
                        "The text contains a control character that cannot be saved "
                        "(such as a vertical tab or NUL). Remove it and try again."
                    ),
                    field=field,
                    question_id=item.question_id,
                )
        if item.is_na and not na_reason:
            raise AssessmentError(
                "na_reason_required",
                _("Please give a short reason for N/A."),
                field="na_reason",
                question_id=item.question_id,
            )
        if len(na_reason) > NA_REASON_MAX_LENGTH:
            raise AssessmentError(
                "na_reason_too_long",
                _("The reason may be at most %(n)s characters.") % {"n": NA_REASON_MAX_LENGTH},
                field="na_reason",
                question_id=item.question_id,
            )
        if len(comment) > COMMENT_MAX_LENGTH:
            raise AssessmentError(
                "comment_too_long",
                _("The comment may be at most %(n)s characters.") % {"n": COMMENT_MAX_LENGTH},
                field="comment",
                question_id=item.question_id,
            )
        answers.append(
            Answer(
                response=response,
                question_id=item.question_id,
                choice_id=item.choice_id,
                is_na=item.is_na,
                na_reason=na_reason if item.is_na else "",
                comment=comment,
                updated_at=now,
            )
        )
    return answers


def _locked(response: Response) -> Response:
    """The response row, locked until the transaction ends, with its status and its
    campaign's as they are now, not as the caller read them before.

    Save, clear, submit and reopen all take this lock first, so they serialise: a save
    either commits before a submit or sees it and is refused. FOR NO KEY UPDATE is the lock
    an UPDATE of the status takes anyway; it does not block rows that merely reference the
    response (the answers' foreign key).
    """
    return (
        Response.objects.select_for_update(no_key=True, of=("self",))
        .select_related("campaign")
        .only("status", "campaign__status", "campaign__opens_on", "campaign__closes_on")
        .get(pk=response.pk)
    )


def save_answers(
    *, response: Response, items: list[AnswerInput], clear: Collection[int] = ()
) -> list[Answer]:
    """Validate and upsert answers: one row per (response, question), last write wins;
    delete the saved answers of the questions in ``clear``.

    All or nothing: one invalid item rejects the batch. Validation needs no lock; the write
    locks the response row, checks under the lock that the response is still open (a save
    that arrives after a submit is refused with 409 and writes nothing), then runs a single
    INSERT … ON CONFLICT statement.
    """
    answers = _validated_rows(response, items)
    for question_id in clear:
        _question_rule(response, question_id)
    with transaction.atomic():
        _refuse_closed(_locked(response))
        if answers:
            Answer.objects.bulk_create(
                answers,
                update_conflicts=True,
                unique_fields=["response", "question"],
                update_fields=["choice", "is_na", "na_reason", "comment", "updated_at"],
            )
        if clear:
            Answer.objects.filter(response=response, question_id__in=clear).delete()
    return answers


def clear_answer(*, response: Response, question_id: int) -> None:
    """Remove the saved answer (choice, N/A, comment) to one question, if there is one."""
    save_answers(response=response, items=[], clear=[question_id])


@transaction.atomic
def submit_response(*, response: Response) -> Response:
    """Lock a response; later writes are refused until it is reopened."""
    response = (
        Response.objects.select_for_update(no_key=True, of=("self",))
        .select_related("campaign")
        .get(pk=response.pk)
    )
    _refuse_closed(response)
    response.status = Response.Status.SUBMITTED
    response.submitted_at = timezone.now()
    response.save(update_fields=["status", "submitted_at"])
    return response


@transaction.atomic
def reopen_response(*, response: Response) -> Response:
    """Unlock a submitted response so its respondent can change it (an open one stays as
    it is)."""
    response = Response.objects.select_for_update(no_key=True).get(pk=response.pk)
    if response.is_submitted:
        response.status = Response.Status.IN_PROGRESS
        response.submitted_at = None
        response.save(update_fields=["status", "submitted_at"])
    return response


def mark_invitation_opened(*, invitation: Invitation) -> None:
    if invitation.opened_at is None:
        Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )


@transaction.atomic
def set_targets(
    *,
    department: Department,
    levels: dict[str, int],
    set_by,
    scale: tuple[int, int],
) -> None:
    """Set the target level of a department on several dimensions (by code), all or nothing.

    Each level must lie on ``scale`` (the framework's lowest and highest level); one that
    does not refuses the whole set.
    """
    low, high = scale
    for code, level in levels.items():
        if not isinstance(level, int) or not low <= level <= high:
            raise AssessmentError(
                "bad_target", _("A target must be a level of the scale."), field=code
            )
    for code, level in levels.items():
        Target.objects.update_or_create(
            department=department,
            dimension_code=code,
            defaults={"level": level, "set_by": set_by},
        )
