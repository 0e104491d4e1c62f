"""The campaign's questions about the whole organisation (``maturity.scopes``): its admin
answers each once, and the answer counts for every department. Consultants read them.

Pages only render and parse; every write goes through
``services.save_organisation_answers``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maturity.business_models import word_question

from ..models import Membership
from ..selectors import campaign_for, organisation_questions
from ..services import AssessmentError, save_organisation_answers
from .questionnaire import current_state, inputs_from_post


@login_required
@require_http_methods(["GET", "POST"])
def organisation_questions_page(request, pk: int):
    """404 outside the organisation, 403 for its managers and staff; the org admin answers
    while the campaign accepts answers, a consultant (and everyone after) reads."""
    campaign, standing = campaign_for(request.user, pk)
    if not standing.can_manage:
        raise PermissionDenied
    answers_it = standing.role == Membership.Role.ORG_ADMIN
    editable = answers_it and campaign.is_accepting_answers
    if request.method == "POST" and not answers_it:
        raise PermissionDenied
    business_model = campaign.organisation.business_model
    questions = [word_question(q, business_model) for q in organisation_questions(campaign)]
    error, error_question, raw = None, None, {}
    if request.method == "POST":
        items, empty, raw = inputs_from_post(request.POST, questions)
        saved = {q.pk: q.answer for q in questions if q.answer is not None}
        clear = [q for q in empty if q in saved and not saved[q].is_answered]
        try:
            if items or clear:
                save_organisation_answers(
                    campaign=campaign, items=items, clear=clear, by=request.user
                )
        except AssessmentError as exc:
            error, error_question = exc.message, exc.question_id
        else:
            messages.success(request, _("The organisation's answers are saved."))
            return redirect("assessments:organisation-questions", campaign.pk)
    for question in questions:
        current_state(question, question.answer, raw.get(question.pk))
        question.has_error = question.pk == error_question
    answered = sum(1 for q in questions if q.answer is not None and q.answer.is_answered)
    return render(
        request,
        "assessments/organisation_questions.html",
        {
            "campaign": campaign,
            "questions": questions,
            "answered": answered,
            "editable": editable,
            "answers_it": answers_it,
            "error": error,
        },
        status=400 if error else 200,
    )
