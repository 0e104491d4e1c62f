"""Pages of evidence: add it to an answer or an action, the campaign's review queue, one
evidence (its versions, review and change forms) and the scoped file download.

Scoping: 404 outside the organisation (``standing_in``); an evidence the viewer may not see
is a 404 inside it too (``selectors.visible_evidence``), since an answer's evidence may itself
be withheld; who may do what is ``improvement.access``'s.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments.access import require_manage, standing_in
from assessments.models import Answer, Campaign, Response
from maturity.business_models import word_question, worded

from .. import access
from ..models import Action, Evidence
from . import selectors, services
from .forms import EvidenceFilter, EvidenceForm, ReviewForm
from .validation import EvidenceError


def _form_error(form, error: EvidenceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _create(request, *, campaign, department, answer=None, action=None, target_label, back_url):
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evidence = services.add_evidence(
                campaign=campaign,
                department=department,
                answer=answer,
                action=action,
                kind=data["kind"],
                title=data["title"],
                text=data["text"],
                url=data["url"],
                file=data["file"],
                recertify_on=data["recertify_on"],
                by=request.user,
            )
        except EvidenceError as error:
            if error.status == 403:
                raise PermissionDenied from None
            _form_error(form, error)
        else:
            messages.success(request, _("Evidence added; it waits for review."))
            return redirect("improvement:evidence-detail", evidence.pk)
    return render(
        request,
        "improvement/evidence/form.html",
        {
            "form": form,
            "campaign": campaign,
            "department": department,
            "target_label": target_label,
            "back_url": back_url,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def answer_evidence_create(request, pk: int, question_id: int):
    """Evidence for one answer of a response: its respondent, or an org admin or consultant,
    where the answer may be seen."""
    response = get_object_or_404(
        Response.objects.select_related("campaign__organisation", "department", "respondent"),
        pk=pk,
    )
    standing = standing_in(request.user, response.campaign.organisation_id)
    answer = get_object_or_404(
        Answer.objects.select_related("question__dimension"),
        response=response,
        question_id=question_id,
    )
    answer.response = response
    shown = selectors.shown_response_ids(
        response.campaign, viewer=request.user, viewer_standing=standing
    )
    if response.pk not in shown:
        raise Http404
    if not access.adds_evidence_to_answer(standing, answer, request.user):
        raise PermissionDenied
    return _create(
        request,
        campaign=response.campaign,
        department=response.department,
        answer=answer,
        # The question as the organisation's respondents read it (its business model).
        target_label=worded(
            answer.question, response.campaign.organisation.business_model, choices=False
        ).text,
        back_url=reverse(
            "results:explain",
            args=[response.campaign_id, response.department_id, answer.question.dimension.code],
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_evidence_create(request, action_id: int):
    """Evidence for an improvement action: whoever may move the action."""
    action = get_object_or_404(
        Action.objects.select_related("campaign__organisation", "department"), pk=action_id
    )
    standing = standing_in(request.user, action.campaign.organisation_id)
    if not access.adds_evidence_to_action(standing, action, request.user):
        raise PermissionDenied
    return _create(
        request,
        campaign=action.campaign,
        department=action.department,
        action=action,
        target_label=action.title,
        back_url=_action_url(action),
    )


def _action_url(action) -> str:
    try:
        return reverse("improvement:action", args=[action.pk])
    except NoReverseMatch:
        return ""


@login_required
def evidence_queue(request, pk: int):
    """The campaign's evidence for its reviewers: pending first, re-certification due
    flagged, filtered by status and department."""
    campaign = get_object_or_404(Campaign.objects.select_related("organisation"), pk=pk)
    standing = require_manage(request.user, campaign.organisation_id)
    today = timezone.localdate()
    rows = selectors.evidence_for(
        campaign, viewer_standing=standing, viewer=request.user, today=today
    )
    filters = EvidenceFilter(request.GET or None, queryset=rows, campaign=campaign)
    shown = _worded(list(filters.qs if filters.is_valid() else rows), campaign)
    return render(
        request,
        "improvement/evidence/queue.html",
        {
            "campaign": campaign,
            "filters": filters,
            "rows": shown,
            "pending": sum(1 for e in shown if e.status == Evidence.Status.PENDING),
            "due": sum(1 for e in shown if e.recertification_due),
        },
    )


def _worded(rows: list[Evidence], campaign: Campaign) -> list[Evidence]:
    """``rows`` with each answer's question worded for the organisation's business model
    (``maturity.business_models``), for a template that prints ``question.text``."""
    business_model = campaign.organisation.business_model
    for evidence in rows:
        if evidence.answer_id is not None:
            word_question(evidence.answer.question, business_model, choices=False)
    return rows


def _detail(request, evidence, standing, *, review_form=None, revise_form=None, status=200):
    _worded([evidence], evidence.campaign)
    pending = evidence.is_current and evidence.status == Evidence.Status.PENDING
    # A reviewer who added this evidence leaves its review to someone else (four eyes).
    reviews = access.approves_evidence(standing, evidence, request.user)
    if review_form is None and reviews and pending:
        review_form = ReviewForm()
    revises = selectors.may_revise(evidence, standing, request.user)
    if revise_form is None and revises:
        revise_form = EvidenceForm(
            initial={
                "kind": evidence.kind,
                "title": evidence.title,
                "text": evidence.text,
                "url": evidence.url,
                "recertify_on": evidence.recertify_on,
            },
            has_file=bool(evidence.file),
        )
    current = evidence if evidence.is_current else None
    return render(
        request,
        "improvement/evidence/detail.html",
        {
            "evidence": evidence,
            "campaign": evidence.campaign,
            "versions": selectors.history(evidence),
            "current": current,
            "review_form": review_form if reviews and pending else None,
            "awaits_another_reviewer": (
                pending and access.reviews_evidence(standing) and not reviews
            ),
            "own_evidence": services.OWN_EVIDENCE,
            "revise_form": revise_form if revises else None,
            "can_manage": standing.can_manage,
            "back_url": _action_url(evidence.action) if evidence.action_id else "",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_detail(request, evidence_id: int):
    """One evidence with its versions; POST changes it (approved: a new version)."""
    evidence, standing = selectors.visible_evidence(request.user, evidence_id)
    if request.method == "GET":
        return _detail(request, evidence, standing)
    if not selectors.may_revise(evidence, standing, request.user):
        raise PermissionDenied
    form = EvidenceForm(request.POST, request.FILES, has_file=bool(evidence.file))
    if form.is_valid():
        data = form.cleaned_data
        changes = {k: data[k] for k in ("kind", "title", "text", "url", "recertify_on")}
        if data["file"] is not None:
            changes["file"] = data["file"]
        try:
            revised = services.revise_evidence(evidence=evidence, by=request.user, **changes)
        except EvidenceError as error:
            if error.status == 403:
                raise PermissionDenied from None
            _form_error(form, error)
        else:
            if revised.pk != evidence.pk:
                messages.success(
                    request,
                    _("Approved evidence is locked: your change is version %(n)s, pending review.")
                    % {"n": revised.version},
                )
            else:
                messages.success(request, _("Evidence saved; it waits for review."))
            return redirect("improvement:evidence-detail", revised.pk)
    return _detail(request, evidence, standing, revise_form=form)


@login_required
@require_POST
def evidence_review(request, evidence_id: int):
    """Approve or reject pending evidence (org admins and consultants)."""
    evidence, standing = selectors.visible_evidence(request.user, evidence_id)
    if not access.reviews_evidence(standing):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_evidence(
                evidence=evidence,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except EvidenceError as error:
            if error.status == 409:
                messages.error(request, error.message)
                return redirect("improvement:evidence-detail", evidence.pk)
            _form_error(form, error)
        else:
            if form.cleaned_data["decision"] == Evidence.Status.APPROVED:
                messages.success(request, _("Evidence approved; it is locked from now on."))
            else:
                messages.success(request, _("Evidence rejected."))
            return redirect("improvement:evidence-detail", evidence.pk)
    return _detail(request, evidence, standing, review_form=form)


def file_response(evidence: Evidence) -> FileResponse:
    """The evidence's file as an attachment under its sanitised original name (RFC 5987 for
    names beyond ASCII), never sniffed or cached by a shared cache; 404 if there is none."""
    if evidence.kind != Evidence.Kind.FILE or not evidence.file:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name or f"evidence-{evidence.pk}",
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Opened directly anyway, a file may run nothing and load nothing.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@login_required
def evidence_file(request, evidence_id: int):
    evidence, _standing = selectors.visible_evidence(request.user, evidence_id)
    return file_response(evidence)
