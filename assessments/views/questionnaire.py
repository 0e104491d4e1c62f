"""The questionnaire: one page per dimension, autosaved by script, plain form posts without.

Pages only render and parse; every write goes through ``services.save_answers``.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maturity.business_models import word_question
from maturity.interview_kit import guide_for

from ..models import Invitation, Organisation, Response
from ..selectors import (
    answers_by_question,
    department_for,
    organisation_answers,
    questionnaire,
    response_for_respondent,
)
from ..services import (
    AnswerInput,
    AssessmentError,
    mark_invitation_opened,
    save_answers,
    submit_response,
)

INVITATION_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


@login_required
def invitation(request, token: str):
    """An invitation link opens its one response, and only for its respondent."""
    # Tokens are URL-safe base64; anything else (a NUL, which PostgreSQL refuses in a query,
    # or a 5,000-character string) is no invitation and is not looked up.
    if not INVITATION_TOKEN.fullmatch(token):
        raise Http404
    invite = get_object_or_404(Invitation.objects.select_related("response"), token=token)
    if invite.response.respondent_id != request.user.pk:
        raise Http404
    mark_invitation_opened(invitation=invite)
    return redirect("assessments:response-resume", invite.response_id)


def _worded_questionnaire(response) -> list:
    """``questionnaire`` for the response's department, keeping only the questions that
    apply to the organisation's business model, each worded for it
    (``maturity.business_models``): question texts and choice labels are the variant's
    where the framework gives one, so every page built on this prints the worded texts."""
    business_model = (
        Organisation.objects.filter(pk=response.campaign.organisation_id)
        .values_list("business_model", flat=True)
        .first()
    )
    dimensions = questionnaire(
        response.campaign.framework_id, response.department.function, business_model
    )
    for dimension in dimensions:
        for question in [*dimension.applicable_questions, *dimension.organisation_questions]:
            word_question(question, business_model)
    return dimensions


def _structure(response):
    dimensions = _worded_questionnaire(response)
    answers = answers_by_question(response)
    answered_total = 0
    for dimension in dimensions:
        dimension.answered = sum(
            1
            for q in dimension.applicable_questions
            if q.pk in answers and answers[q.pk].is_answered
        )
        dimension.total = len(dimension.applicable_questions)
        dimension.is_complete = dimension.answered == dimension.total
        answered_total += dimension.answered
    total = sum(d.total for d in dimensions)
    return dimensions, answers, answered_total, total


@login_required
def response_resume(request, pk: int):
    """Back exactly where the respondent left off: the page of their last saved answer, at
    its first unanswered question."""
    response = response_for_respondent(request.user, pk)
    if response.is_submitted:
        return redirect("assessments:response-review", response.pk)
    dimensions, answers, answered, total = _structure(response)
    if not dimensions:
        return redirect("assessments:response-review", response.pk)
    last = (
        response.answers.order_by("-updated_at")
        .values_list("question__dimension__code", flat=True)
        .first()
    )
    codes = [d.code for d in dimensions]
    start = codes.index(last) if last in codes else 0
    # From the last page worked on, the first page that still has an open question. The
    # page opens at its top, title in view, and a message names the question to go on with
    # (an anchor would scroll the title away).
    for dimension in dimensions[start:] + dimensions[:start]:
        for number, question in enumerate(dimension.applicable_questions, start=1):
            if question.pk not in answers or not answers[question.pk].is_answered:
                if answered:
                    messages.info(
                        request,
                        _("Picking up where you left off: question %(number)s on this page.")
                        % {"number": number},
                    )
                return redirect("assessments:questionnaire", response.pk, dimension.code)
    return redirect("assessments:response-review", response.pk)


def inputs_from_post(post, questions) -> tuple[list[AnswerInput], list[int], dict]:
    """The answers a plain form post sets, the questions it leaves empty, and the raw values
    to show again on error."""
    items, empty, raw = [], [], {}
    for question in questions:
        value = post.get(f"q{question.pk}", "")
        comment = post.get(f"q{question.pk}-comment", "")
        na_reason = post.get(f"q{question.pk}-na_reason", "")
        raw[question.pk] = {"value": value, "comment": comment, "na_reason": na_reason}
        if not value and not comment.strip():
            empty.append(question.pk)
            continue
        is_na = value == "na"
        choice_id = None
        if value and not is_na:
            try:
                choice_id = int(value)
            except ValueError:
                choice_id = -1  # refused by the service as a choice of no question
        items.append(
            AnswerInput(
                question_id=question.pk,
                choice_id=choice_id,
                is_na=is_na,
                na_reason=na_reason,
                comment=comment,
            )
        )
    return items, empty, raw


def current_state(question, answer, posted: dict | None) -> None:
    """Put on ``question`` what its fields show: what was just posted (after an error),
    else the saved ``answer`` (a respondent's or the organisation's), else nothing."""
    if posted is not None:
        question.current_value = posted["value"]
        question.current_comment = posted["comment"]
        question.current_na_reason = posted["na_reason"]
        return
    question.current_value = (
        "na"
        if answer and answer.is_na
        else (str(answer.choice_id) if answer and answer.choice_id else "")
    )
    question.current_comment = answer.comment if answer else ""
    question.current_na_reason = answer.na_reason if answer else ""


def _interview_panel(response, dimension) -> dict | None:
    """The interview kit of ``dimension`` for a consultant rating a department, with the
    number of current evidence records on the consultant's answers and the department's
    actions of that dimension;
    None for anyone else (a manager's self-assessment is not an interview)."""
    if response.rater_role != Response.RaterRole.CONSULTANT:
        return None
    guide = guide_for(dimension)
    if guide is None:
        return None
    # Through the reverse relation: assessments may not import improvement (app order).
    # Only what the evidence page shows the consultant whatever the anonymity rule: the
    # evidence of their own answers and of the department's actions on the dimension.
    guide["evidence_count"] = (
        response.department.evidence.filter(campaign=response.campaign, is_current=True)
        .filter(
            Q(answer__response=response, answer__question__dimension=dimension)
            | Q(action__dimension_code=dimension.code)
        )
        .count()
    )
    return guide


@login_required
def questionnaire_page(request, pk: int, dimension_code: str):
    response = response_for_respondent(request.user, pk)
    dimensions, answers, answered, total = _structure(response)
    codes = [d.code for d in dimensions]
    if dimension_code not in codes:
        raise Http404
    index = codes.index(dimension_code)
    dimension = dimensions[index]
    locked = response.is_submitted or not response.campaign.is_accepting_answers
    error, error_question, raw = None, None, {}
    if request.method == "POST":
        items, empty, raw = inputs_from_post(request.POST, dimension.applicable_questions)
        # A radio button cannot be unchecked, so an empty question only ever means a comment
        # (with no choice) that was emptied: that note is removed, as the script does. A
        # locked page posts nothing (its fields are disabled) and only navigates.
        clear = [] if locked else [q for q in empty if q in answers and not answers[q].is_answered]
        try:
            if items or clear:
                save_answers(response=response, items=items, clear=clear)
        except AssessmentError as exc:
            error = exc.message
            error_question = exc.question_id
        else:
            action = request.POST.get("action", "next")
            if action == "previous" and index > 0:
                return redirect("assessments:questionnaire", response.pk, codes[index - 1])
            if action == "next" and index + 1 < len(codes):
                return redirect("assessments:questionnaire", response.pk, codes[index + 1])
            if action == "stay":
                messages.success(request, _("Your answers are saved."))
                return redirect("assessments:questionnaire", response.pk, dimension.code)
            return redirect("assessments:response-review", response.pk)
    for number, question in enumerate(dimension.applicable_questions, start=1):
        question.number = number
        current_state(question, answers.get(question.pk), raw.get(question.pk))
        question.has_error = question.pk == error_question
    given = organisation_answers(response.campaign) if dimension.organisation_questions else {}
    for question in dimension.organisation_questions:
        answer = given.get(question.pk)
        # The organisation's answer as this page words the question's choices.
        question.given = (
            next(c.label for c in question.choices.all() if c.pk == answer.choice_id)
            if answer and answer.choice_id
            else (_("N/A") if answer and answer.is_na else None)
        )
    return render(
        request,
        "assessments/questionnaire.html",
        {
            "response": response,
            "campaign": response.campaign,
            "dimensions": dimensions,
            "dimension": dimension,
            "previous": dimensions[index - 1] if index > 0 else None,
            "next": dimensions[index + 1] if index + 1 < len(dimensions) else None,
            "answered": answered,
            "total": total,
            "percent": round(100 * answered / total) if total else 0,
            "locked": locked,
            "error": error,
            "interview_guide": _interview_panel(response, dimension),
            # v1 versions show the step numbers; v2 only when its file says so.
            "show_step_numbers": response.campaign.framework.show_step_numbers,
            "instruction": response.campaign.framework.instruction,
        },
        status=400 if error else 200,
    )


def _review_rows(dimensions, answers) -> list[dict]:
    """Every applicable question of every page with the answer given: the chosen choice's
    label, N/A and its reason, the comment; unanswered ones flagged."""
    sections = []
    for dimension in dimensions:
        choices = {c.pk: c for q in dimension.applicable_questions for c in q.choices.all()}
        rows = []
        for number, question in enumerate(dimension.applicable_questions, start=1):
            answer = answers.get(question.pk)
            choice = choices.get(answer.choice_id) if answer and answer.choice_id else None
            rows.append(
                {
                    "question": question,
                    "number": number,
                    "choice": choice,
                    "is_na": bool(answer and answer.is_na),
                    "na_reason": answer.na_reason if answer else "",
                    "comment": answer.comment if answer else "",
                    "is_answered": bool(answer and answer.is_answered),
                }
            )
        sections.append(
            {
                "dimension": dimension,
                "rows": rows,
                "unanswered": sum(1 for r in rows if not r["is_answered"]),
            }
        )
    return sections


@login_required
def response_review(request, pk: int):
    """Every answer given, page by page, with the unanswered ones flagged, and the locking
    submit. Without JavaScript this page is the confirmation step: it states what submitting
    does; with it, the submit button asks again in a dialog."""
    response = response_for_respondent(request.user, pk)
    dimensions, answers, answered, total = _structure(response)
    if request.method == "POST":
        try:
            submit_response(response=response)
        except AssessmentError as exc:
            messages.error(request, exc.message)
            return redirect("assessments:response-review", response.pk)
        messages.success(
            request,
            _("Thank you. Your answers are submitted. Here are your department's results."),
        )
        # The manager sees at once what the home page promised: their department's levels.
        response.refresh_from_db(fields=["status", "submitted_at"])
        return redirect(
            _results_url(request.user, response)
            or reverse("assessments:response-review", args=[response.pk])
        )
    sections = _review_rows(dimensions, answers)
    unanswered = total - answered
    return render(
        request,
        "assessments/review.html",
        {
            "response": response,
            "campaign": response.campaign,
            "dimensions": dimensions,
            "sections": sections,
            "unanswered_count": unanswered,
            "consequence": submit_consequence(unanswered),
            "answered": answered,
            "total": total,
            "percent": round(100 * answered / total) if total else 0,
            "locked": response.is_submitted or not response.campaign.is_accepting_answers,
            "results_url": _results_url(request.user, response),
        },
    )


def submit_consequence(unanswered: int) -> str:
    """What submitting does, in the words the review page and its dialog both use."""
    if not unanswered:
        return _("You cannot change your answers after submitting. Every question is answered.")
    return ngettext(
        "You cannot change your answers after submitting. %(count)s question is unanswered "
        "and is left out of your scores.",
        "You cannot change your answers after submitting. %(count)s questions are unanswered "
        "and are left out of your scores.",
        unanswered,
    ) % {"count": unanswered}


def _results_url(user, response) -> str | None:
    """The department's results page for a submitted response whose respondent may read it."""
    if not response.is_submitted:
        return None
    try:
        department_for(user, response.campaign_id, response.department_id)
    except (PermissionDenied, Http404):
        return None
    return reverse("results:department", args=[response.campaign_id, response.department_id])
