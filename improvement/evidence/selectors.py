"""Scoped reads of evidence: what a viewer may see, the re-certifications due, a history.

Two rules decide what a viewer sees, each asked where it is written:

- *whose* evidence: ``improvement.access`` (an action's evidence for whoever sees the action;
  an answer's for whoever sees its department, and for its respondent);
- *which answers*: evidence attached to an answer identifies its respondent, so it is shown
  exactly where the answer itself is (``assessments.privacy``: ``readable_responses`` then
  ``respondent_labels``). Action evidence identifies nobody and follows the action.
"""

from __future__ import annotations

import datetime

from django.db.models import BooleanField, Case, ExpressionWrapper, IntegerField, Q, QuerySet, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from assessments import privacy
from assessments.access import Standing, standing_in
from assessments.models import Campaign, Response
from improvement import access
from improvement.models import Evidence

# Pending first (what a reviewer has to do), then rejected, then approved.
STATUS_ORDER = Case(
    When(status=Evidence.Status.PENDING, then=0),
    When(status=Evidence.Status.REJECTED, then=1),
    default=2,
    output_field=IntegerField(),
)


def shown_response_ids(campaign: Campaign, *, viewer, viewer_standing: Standing) -> set[int]:
    """The responses of ``campaign`` whose answers ``viewer`` may see, by the anonymity rule
    (two queries). Drafts count as for an export that asks for them: all for whoever runs the
    campaign, the viewer's own for anybody else."""
    responses = privacy.readable_responses(
        Response.objects.filter(campaign=campaign).select_related("respondent"),
        viewer=viewer,
        can_manage=viewer_standing.can_manage,
        drafts=True,
    )
    return set(privacy.respondent_labels(responses, privacy.disclosure(campaign), viewer))


def _sees(evidence: Evidence, standing: Standing, viewer, shown: set[int]) -> bool:
    if evidence.action_id is not None:
        return access.sees_action(standing, evidence.action, viewer)
    response = evidence.answer.response
    own = viewer is not None and response.respondent_id == viewer.pk
    in_scope = own or access.sees_department(standing, evidence.department_id)
    return in_scope and response.pk in shown


def with_flags(evidence: QuerySet[Evidence], today: datetime.date) -> QuerySet[Evidence]:
    """Each row with ``recertification_due`` (approved, current, re-certify date reached)."""
    return evidence.annotate(
        recertification_due=ExpressionWrapper(
            Q(
                status=Evidence.Status.APPROVED,
                is_current=True,
                recertify_on__isnull=False,
                recertify_on__lte=today,
            ),
            output_field=BooleanField(),
        )
    )


def evidence_for(
    campaign: Campaign,
    *,
    viewer_standing: Standing,
    viewer=None,
    department=None,
    answer=None,
    action=None,
    current_only: bool = True,
    today: datetime.date | None = None,
) -> QuerySet[Evidence]:
    """The campaign's evidence ``viewer`` (with ``viewer_standing`` in its organisation) may
    see, optionally of one department, answer or action; only current versions unless
    ``current_only`` is false. Pending first, newest first within a status; each row has
    ``recertification_due`` (as of ``today``) and its department, owner, answer (question,
    respondent) and action loaded. A fixed number of queries whatever the number of rows."""
    rows = Evidence.objects.filter(campaign=campaign)
    if department is not None:
        rows = rows.filter(department=department)
    if answer is not None:
        rows = rows.filter(answer=answer)
    if action is not None:
        rows = rows.filter(action=action)
    if current_only:
        rows = rows.filter(is_current=True)
    shown = shown_response_ids(campaign, viewer=viewer, viewer_standing=viewer_standing)
    candidates = rows.select_related("action", "answer__response").only(
        "pk",
        "department_id",
        "action",
        "answer",
        "answer__response",
        "action__department_id",
        "action__owner_id",
        "answer__response__respondent_id",
        "answer__response__id",
    )
    ids = [e.pk for e in candidates if _sees(e, viewer_standing, viewer, shown)]
    visible = (
        Evidence.objects.filter(pk__in=ids)
        .select_related(
            "department",
            "owner",
            "reviewed_by",
            "action",
            "answer__question__dimension",
            "answer__response__respondent",
        )
        .order_by(STATUS_ORDER, "-created_at", "-pk")
    )
    return with_flags(visible, today or timezone.localdate())


def recertification_due(
    campaign: Campaign, today: datetime.date, *, among: QuerySet[Evidence] | None = None
) -> QuerySet[Evidence]:
    """Approved, current evidence of ``campaign`` whose re-certification date is ``today`` or
    earlier: "re-certification due". ``among`` narrows it to what a viewer may see (the rows
    of ``evidence_for``); without it, every row (for commands and reminders)."""
    rows = among if among is not None else Evidence.objects.filter(campaign=campaign)
    return with_flags(rows, today).filter(recertification_due=True)


def history(evidence: Evidence) -> list[Evidence]:
    """Every version of ``evidence``, newest first, in one query."""
    return list(
        Evidence.objects.filter(series=evidence.series)
        .select_related("owner", "reviewed_by")
        .order_by("-version")
    )


def visible_evidence(user, evidence_id: int) -> tuple[Evidence, Standing]:
    """One evidence (any version) ``user`` may see, with their standing; 404 otherwise, inside
    the organisation too: whether an answer's evidence exists is itself withheld."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("campaign__organisation"), pk=evidence_id
    )
    standing = standing_in(user, evidence.campaign.organisation_id)
    rows = evidence_for(
        evidence.campaign,
        viewer_standing=standing,
        viewer=user,
        answer=evidence.answer_id,
        action=evidence.action_id,
        current_only=False,
    )
    found = rows.filter(pk=evidence.pk).select_related("campaign__organisation").first()
    if found is None:
        raise Http404
    return found, standing


def may_revise(evidence: Evidence, standing: Standing, user) -> bool:
    """Whether ``user`` may change ``evidence`` (its current version only): whoever may add
    evidence to its answer or action."""
    if not evidence.is_current:
        return False
    if evidence.action_id is not None:
        return access.adds_evidence_to_action(standing, evidence.action, user)
    return access.adds_evidence_to_answer(standing, evidence.answer, user)
