"""Results pages: the campaign overview (org admins, consultants), a department's page
(also its manager), the explanation of one dimension score, targets, and exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.forms import TargetsForm
from assessments.selectors import (
    campaign_for,
    campaign_progress,
    department_comments,
    department_for,
)
from assessments.services import AssessmentError, set_targets
from results.charts.svg import drawing_to_svg

from . import exports, figures
from . import rows as presenters
from .department import disagreement_rows, worded_comments
from .explain import explained_answers
from .loader import shown_results
from .plan import first_steps


@login_required
def campaign_results_view(request, pk: int):
    campaign, standing = campaign_for(request.user, pk)
    if not standing.can_manage:
        if standing.is_manager:
            return redirect("results:department", campaign.pk, standing.department_id)
        raise PermissionDenied
    results = shown_results(campaign)
    rows = presenters.organisation_rows(results)
    strengths, gaps = presenters.strengths_and_gaps(rows)
    # Wider than the A4 default so that English headers keep whole words on screen.
    heat = figures.heatmap_drawing(results, width=720)
    radar = figures.organisation_radar(results, rows)
    area_heat = figures.area_heatmap_drawing(results, width=720)
    withheld = [d for d in results.departments if not results.disclosure.shows(d.pk)]
    return render(
        request,
        "results/campaign.html",
        {
            "campaign": campaign,
            "results": results,
            "rows": rows,
            "overall": presenters.overall(results),
            "area_rows": presenters.organisation_area_rows(results),
            "area_table": presenters.department_area_means(results),
            "area_heatmap_svg": area_heat
            and drawing_to_svg(
                area_heat,
                title=_("Level by department and area"),
                description=_(
                    "Mean level of each department on each area; "
                    "the table below gives the same numbers."
                ),
            ),
            "strengths": strengths,
            "gaps": gaps,
            "heatmap_svg": drawing_to_svg(
                heat,
                title=_("Level by department and dimension"),
                description=_(
                    "Mean level of each department on each dimension; "
                    "the table below gives the same numbers."
                ),
            ),
            "radar_svg": drawing_to_svg(
                radar,
                title=_("Organisation profile"),
                description=_(
                    "Organisation average per dimension, "
                    "with the previous campaign where there is one."
                ),
            ),
            "department_table": presenters.department_means(results),
            "withheld": withheld,
            "progress": campaign_progress(campaign),
        },
    )


@login_required
def department_results_view(request, pk: int, department_id: int):
    campaign, standing, department = department_for(request.user, pk, department_id)
    results = shown_results(campaign)
    rows = presenters.department_rows(results, department.pk)
    radar = figures.department_radar(results, department, rows)
    return render(
        request,
        "results/department.html",
        {
            "campaign": campaign,
            "department": department,
            "can_manage": standing.can_manage,
            "results": results,
            "rows": rows,
            "radar_svg": drawing_to_svg(
                radar,
                title=_("%(department)s profile") % {"department": department.name},
                description=_(
                    "The department's mean level per dimension beside the organisation "
                    "average and the previous campaign."
                ),
            ),
            "overall": presenters.overall(results, department.pk),
            "area_rows": presenters.department_area_rows(results, department.pk),
            "disagreements": disagreement_rows(results, department.pk),
            # Every dimension's own section below has the rest.
            "plan": first_steps(results, department.pk),
            # Worded for the organisation's business model, like every question on the page.
            "comments": worded_comments(
                results, department_comments(campaign, department, viewer=request.user)
            ),
            "withheld": results.disclosure.reason(department.pk),
            "levels": list(campaign.framework.levels.all()),
            "learning_paths": _assigned_learning(campaign, department),
        },
    )


def _assigned_learning(campaign, department) -> list:
    """The learning paths assigned from this campaign to the department's members, each with
    its modules in order and its assignees (through the reverse relations: results may not
    import training, which comes after it)."""
    return list(
        department.learning_paths.filter(campaign=campaign)
        .prefetch_related("items__module", "assignments__user")
        .order_by("-created_at")
    )


@login_required
def dimension_explain_view(request, pk: int, department_id: int, code: str):
    """Where a dimension score comes from: each answer, its choice score and weight, N/A."""
    campaign, standing, department = department_for(request.user, pk, department_id)
    results = shown_results(campaign)
    dimension = next((d for d in results.dimensions if d.code == code), None)
    if dimension is None:
        raise Http404
    rows = {r.dimension.code: r for r in presenters.department_rows(results, department.pk)}
    respondents = explained_answers(
        campaign, department, dimension, viewer=request.user, scale=results.scale
    )
    return render(
        request,
        "results/explain.html",
        {
            "campaign": campaign,
            "department": department,
            "dimension": dimension,
            "row": rows[code],
            "respondents": respondents,
            "scale": results.scale,
            "withheld": results.disclosure.reason(department.pk),
        },
    )


@login_required
@require_POST
def targets_view(request, pk: int, department_id: int):
    campaign, standing, department = department_for(request.user, pk, department_id)
    if not standing.can_manage:
        raise PermissionDenied
    form = TargetsForm(request.POST, framework=campaign.framework)
    if not form.is_valid():  # nothing is saved when any target is no level of the scale
        for refusal in form.refusals():
            messages.error(request, refusal)
        return redirect("results:department", campaign.pk, department.pk)
    try:
        set_targets(
            campaign=campaign, department=department, levels=form.levels(), set_by=request.user
        )
    except AssessmentError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Targets saved."))
    return redirect("results:department", campaign.pk, department.pk)


@login_required
def export_view(request, pk: int, kind: str, fmt: str):
    campaign, standing = campaign_for(request.user, pk)
    if not standing.can_manage and not standing.is_manager:
        raise PermissionDenied
    department_id = None if standing.can_manage else standing.department_id
    # Drafts only when asked for explicitly (a checkbox on the results page).
    drafts = kind == "answers" and request.GET.get("drafts") == "1"
    more = []  # the workbook's further sheets
    if kind == "answers":
        frame = exports.answers_frame(
            campaign,
            department_id=department_id,
            viewer=request.user,
            can_manage=standing.can_manage,
            drafts=drafts,
        )
        sheet = _("Answers")
    elif kind in ("scores", "areas", "streams"):
        results = shown_results(campaign)
        # The roll-ups a framework has (none without areas or streams).
        roll_ups = {
            "areas": (_("Areas"), exports.areas_frame) if results.areas else None,
            "streams": (_("Streams"), exports.streams_frame) if results.streams else None,
        }
        if kind == "scores":
            frame = exports.scores_frame(results, department_id=department_id)
            sheet = _("Scores")
            if fmt == "xlsx":  # the workbook carries them as sheets; a CSV holds one table
                more = [
                    (name, build(results, department_id=department_id))
                    for name, build in filter(None, roll_ups.values())
                ]
        elif roll_ups[kind] is None:
            raise Http404
        else:
            sheet, build = roll_ups[kind]
            frame = build(results, department_id=department_id)
    else:
        raise Http404
    body, content_type = exports.render(frame, fmt, sheet=sheet, more=more)
    response = HttpResponse(body, content_type=content_type)
    name = f"campaign-{campaign.pk}-{kind}{'-with-drafts' if drafts else ''}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
