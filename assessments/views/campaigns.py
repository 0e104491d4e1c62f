"""Campaign pages for org admins and consultants (and, read-only, a department's manager)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..access import managed_organisations, require_manage
from ..forms import CampaignForm
from ..models import Organisation, Response
from ..selectors import campaign_for, campaign_progress, campaigns_for, response_for_manager
from ..services import (
    AssessmentError,
    add_respondent,
    create_campaign,
    reopen_response,
    set_campaign_status,
)


@login_required
def campaign_list(request):
    managed = managed_organisations(request.user).order_by("name")
    return render(
        request,
        "assessments/campaign_list.html",
        {
            "campaigns": campaigns_for(request.user).select_related("organisation"),
            "managed_organisations": managed,
        },
    )


@login_required
def campaign_create(request, organisation_id: int):
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    require_manage(request.user, organisation.pk)
    form = CampaignForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = create_campaign(
                organisation=organisation,
                framework=form.cleaned_data["framework"],
                name=form.cleaned_data["name"],
                departments=list(form.cleaned_data["departments"]),
                opens_on=form.cleaned_data["opens_on"],
                closes_on=form.cleaned_data["closes_on"],
                created_by=request.user,
                anonymity_threshold=form.cleaned_data["anonymity_threshold"],
            )
        except AssessmentError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request, _("Campaign created as a draft. Open it to send the invitations.")
            )
            return redirect("assessments:campaign-detail", campaign.pk)
    return render(
        request,
        "assessments/campaign_form.html",
        {"form": form, "organisation": organisation},
    )


@login_required
def campaign_detail(request, pk: int):
    campaign, standing = campaign_for(request.user, pk)
    department_id = None if standing.can_manage else standing.department_id
    return render(
        request,
        "assessments/campaign_detail.html",
        {
            "campaign": campaign,
            "can_manage": standing.can_manage,
            "is_consultant": standing.role == "consultant",
            "progress": campaign_progress(campaign, department_id=department_id),
            "my_response_departments": set(
                campaign.responses.filter(respondent=request.user).values_list(
                    "department_id", flat=True
                )
            ),
        },
    )


@login_required
@require_POST
def campaign_status(request, pk: int):
    campaign, standing = campaign_for(request.user, pk)
    if not standing.can_manage:
        raise PermissionDenied
    try:
        set_campaign_status(campaign=campaign, status=request.POST.get("status", ""))
    except AssessmentError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Campaign status updated."))
    return redirect("assessments:campaign-detail", campaign.pk)


@login_required
@require_POST
def campaign_rate(request, pk: int, department_id: int):
    """A consultant (or org admin) adds their own rating of a department to the campaign."""
    campaign, standing = campaign_for(request.user, pk)
    if not standing.can_manage:
        raise PermissionDenied
    department = get_object_or_404(campaign.departments, pk=department_id)
    role = (
        Response.RaterRole.CONSULTANT
        if standing.role == "consultant"
        else Response.RaterRole.ORG_ADMIN
    )
    try:
        response = add_respondent(
            campaign=campaign, department=department, user=request.user, rater_role=role
        )
    except AssessmentError as exc:
        messages.error(request, exc.message)
        return redirect("assessments:campaign-detail", campaign.pk)
    return redirect("assessments:response-resume", response.pk)


@login_required
@require_POST
def response_reopen(request, pk: int):
    response = response_for_manager(request.user, pk)
    reopen_response(response=response)
    messages.success(
        request, _("The response of %(name)s is open again.") % {"name": response.respondent}
    )
    return redirect("assessments:campaign-detail", response.campaign_id)
