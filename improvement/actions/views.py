"""Pages of improvement actions: the campaign's list, a department's list with its progress
against the target, create, the action itself (edit, status, history) and the export.

Scoping: ``selectors.campaign_for_actions`` / ``action_for`` (404 outside the organisation)
and ``assessments.selectors.department_for``; what each role may do is
``improvement.access``'s."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments.selectors import department_for
from maturity.models import Recommendation
from results import exports as table
from results.loader import shown_results
from results.plan import plan_rows

from .. import access
from ..models import Action
from . import defaults, selectors, services
from .exports import actions_frame
from .forms import ActionFilter, ActionForm, StatusForm

FORMATS = ("csv", "xlsx")


def _filtered(request, campaign, actions, *, one_department=False):
    """The GET filters applied to ``actions`` (invalid values are shown and ignored)."""
    filters = ActionFilter(
        request.GET or None,
        queryset=actions,
        campaign=campaign,
        one_department=one_department,
    )
    return filters, selectors.decorated(filters.qs)


@login_required
def actions_view(request, pk: int):
    campaign, standing = selectors.campaign_for_actions(request.user, pk)
    if (
        standing.is_manager
        and standing.department_id
        and campaign.departments.filter(pk=standing.department_id).exists()
    ):
        url = reverse("improvement:department-actions", args=[campaign.pk, standing.department_id])
        query = request.GET.urlencode()
        return redirect(f"{url}?{query}" if query else url)
    today = timezone.localdate()
    actions = selectors.with_overdue(
        selectors.visible_actions(campaign, standing, request.user), today
    )
    filters, actions = _filtered(request, campaign, actions)
    return render(
        request,
        "improvement/actions/list.html",
        {
            "campaign": campaign,
            "can_manage": standing.can_manage,
            "filters": filters,
            "actions": actions.order_by("department__name", "due_on", "pk"),
            "dimensions": {d.code: d.title for d in selectors.dimensions_of(campaign)},
            "departments": campaign.departments.order_by("name") if standing.can_manage else [],
            "query": request.GET.urlencode(),
        },
    )


@login_required
def department_actions_view(request, pk: int, department_id: int):
    campaign, standing, department = department_for(request.user, pk, department_id)
    today = timezone.localdate()
    actions = selectors.with_overdue(
        Action.objects.filter(campaign=campaign, department=department), today
    )
    filters, actions = _filtered(request, campaign, actions, one_department=True)
    return render(
        request,
        "improvement/actions/department.html",
        {
            "campaign": campaign,
            "department": department,
            "can_manage": standing.can_manage,
            "can_edit": access.edits_actions(standing, department.pk),
            "filters": filters,
            "actions": actions.order_by("due_on", "pk"),
            "dimensions": {d.code: d.title for d in selectors.dimensions_of(campaign)},
            "progress": selectors.action_progress(campaign, department, today=today),
            "query": request.GET.urlencode(),
        },
    )


def _prefill(request, campaign, department) -> dict:
    """Initial values from ``?dimension=<code>`` (the department's plan row, if the plan
    has one for it) or ``?recommendation=<id>`` (one of the framework's)."""
    code = request.GET.get("dimension", "")
    recommendation_id = request.GET.get("recommendation", "")
    if recommendation_id.isdigit() and len(recommendation_id) < 12:
        recommendation = (
            Recommendation.objects.filter(
                pk=int(recommendation_id),
                dimension_level__dimension__framework=campaign.framework,
            )
            .select_related("dimension_level__dimension__framework")
            .first()
        )
        if recommendation is not None:
            return defaults.recommendation_defaults(recommendation)
    if code and any(d.code == code for d in selectors.dimensions_of(campaign)):
        results = shown_results(campaign)
        for row in plan_rows(results, department.pk):
            if row.dimension.code == code:
                return defaults.plan_row_defaults(row)
        return {"dimension_code": code}
    return {}


@login_required
@require_http_methods(["GET", "POST"])
def action_create_view(request, pk: int, department_id: int):
    campaign, standing, department = department_for(request.user, pk, department_id)
    if not access.edits_actions(standing, department.pk):
        raise PermissionDenied
    if request.method == "POST":
        form = ActionForm(request.POST, campaign=campaign, creating=True)
        if form.is_valid():
            try:
                action = services.create_action(
                    campaign=campaign, department=department, by=request.user, **form.values()
                )
            except services.ActionError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Action created."))
                return redirect("improvement:action", action.pk)
    else:
        initial = _prefill(request, campaign, department)
        if "recommendation" in initial and initial["recommendation"] is not None:
            initial["recommendation"] = initial["recommendation"].pk
        form = ActionForm(initial=initial, campaign=campaign, creating=True)
    return render(
        request,
        "improvement/actions/form.html",
        {"campaign": campaign, "department": department, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_view(request, action_id: int):
    action, standing = selectors.action_for(request.user, action_id)
    campaign = action.campaign
    can_edit = access.edits_actions(standing, action.department_id)
    form = None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = ActionForm(request.POST, campaign=campaign)
        if form.is_valid():
            try:
                services.update_action(action=action, by=request.user, **form.values())
            except services.ActionError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Action saved."))
                return redirect("improvement:action", action.pk)
    elif can_edit:
        form = ActionForm(initial=ActionForm.initial_of(action), campaign=campaign)
    can_move = access.moves_action(standing, action, request.user)
    return render(
        request,
        "improvement/actions/detail.html",
        {
            "campaign": campaign,
            "action": action,
            "dimension": next(
                (d for d in selectors.dimensions_of(campaign) if d.code == action.dimension_code),
                None,
            ),
            "overdue": selectors.is_overdue(action, timezone.localdate()),
            "form": form,
            "status_form": StatusForm(initial={"status": action.status})
            if can_move and not can_edit
            else None,
            "sees_department": access.sees_department(standing, action.department_id),
            "history": selectors.history(action),
        },
    )


@login_required
@require_POST
def action_status_view(request, action_id: int):
    action, standing = selectors.action_for(request.user, action_id)
    if not access.moves_action(standing, action, request.user):
        raise PermissionDenied
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid status."))
        return redirect("improvement:action", action.pk)
    services.move_action(action=action, status=form.cleaned_data["status"], by=request.user)
    messages.success(request, _("Status changed."))
    return redirect("improvement:action", action.pk)


@login_required
def actions_export_view(request, pk: int, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    campaign, standing = selectors.campaign_for_actions(request.user, pk)
    actions = selectors.with_overdue(
        selectors.visible_actions(campaign, standing, request.user), timezone.localdate()
    )
    _filters, actions = _filtered(request, campaign, actions)
    frame = actions_frame(campaign, actions.order_by("department__name", "due_on", "pk"))
    body, content_type = table.render(frame, fmt, sheet=_("Improvement actions"))
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.pk}-actions.{fmt}"'
    return response
