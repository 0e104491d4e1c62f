"""Answers: validate and save (autosave's path), clear, submit and reopen a response.

Every write locks the response row first (``_locked``), so a save and a submit never cross.
"""

import re
from collections.abc import Collection
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maturity.selectors import question_rules

from ..models import COMMENT_MAX_LENGTH, NA_REASON_MAX_LENGTH, Answer, Response
from .errors import AssessmentError

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
    if not question.applies_to(
        response.department.function, response.campaign.organisation.business_model
    ):
        raise AssessmentError(
            "question_not_applicable",
            _("This question does not apply to this department."),
            field="question",
            question_id=question_id,
        )
    return question


def checked_texts(question, item: AnswerInput) -> tuple[str, str]:
    """Refuse ``item`` unless it is a valid answer to ``question`` (its ``QuestionRule``):
    a choice of the question or N/A where allowed (with a reason), or at least a comment,
    with storable texts of allowed lengths. Returns the N/A reason and comment as stored.
    The one check of an answer, a respondent's or the organisation's
    (``services.organisation_answers``)."""
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
    na_reason = item.na_reason.strip() if item.is_na else ""
    comment = item.comment.strip()
    # A comment alone is worth saving even though it leaves the question unanswered.
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
    for field, text in (("na_reason", na_reason), ("comment", comment)):
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
    return na_reason, comment


def _validated_rows(response: Response, items: list[AnswerInput]) -> list[Answer]:
    now = timezone.now()
    answers = []
    for item in items:
        question = _question_rule(response, item.question_id)
        na_reason, comment = checked_texts(question, item)
        answers.append(
            Answer(
                response=response,
                question_id=item.question_id,
                choice_id=item.choice_id,
                is_na=item.is_na,
                na_reason=na_reason,
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
