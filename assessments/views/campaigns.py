"""Campaign pages for org admins and consultants (and, read-only, a department's manager)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import confirmations
from ..access import managed_organisations, require_manage
from ..forms import AddRespondentForm, CampaignForm, DeadlineForm
from ..models import Campaign, Membership, Organisation, Response
from ..selectors import (
    campaign_for,
    campaign_progress,
    campaigns_for,
    organisation_question_counts,
    response_for_manager,
)
from ..services import (
    AssessmentError,
    add_respondent,
    create_campaign,
    reopen_response,
    set_campaign_status,
)
from ..services.campaigns import add_campaign_respondent, change_deadline, remove_respondent
from ..services.invitations import remind_unsubmitted, resend_invitation
from ..templatetags.people import person


@login_required
def campaign_list(request):
    managed = managed_organisations(request.user).order_by("name")
    return render(
        request,
        "assessments/campaign_list.html",
        {
            "campaigns": campaigns_for(request.user).select_related("organisation"),
            "managed_organisations": managed,
            # Org admins also keep their organisation's settings (its business model).
            "administered_organisations": Organisation.objects.filter(
                memberships__user=request.user, memberships__role=Membership.Role.ORG_ADMIN
            ).order_by("name"),
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
    return _detail_page(request, campaign, standing)


def _detail_page(request, campaign, standing, *, add_form=None, deadline_form=None, status=200):
    department_id = None if standing.can_manage else standing.department_id
    progress = campaign_progress(campaign, department_id=department_id)
    context = {
        "campaign": campaign,
        "can_manage": standing.can_manage,
        "is_consultant": standing.role == "consultant",
        "progress": progress,
        "my_response_departments": set(
            campaign.responses.filter(respondent=request.user).values_list(
                "department_id", flat=True
            )
        ),
    }
    if standing.can_manage:
        context.update(
            add_form=add_form or AddRespondentForm(campaign=campaign),
            deadline_form=deadline_form or DeadlineForm(initial={"closes_on": campaign.closes_on}),
            unsubmitted=sum(1 for row in progress for r in row["responses"] if not r.is_submitted),
            close_confirmation=confirmations.close_campaign(progress),
        )
        total, answered = organisation_question_counts(campaign)
        context.update(organisation_questions=total, organisation_answered=answered)
    return render(request, "assessments/campaign_detail.html", context, status=status)


def _managed_campaign(request, pk: int) -> tuple[Campaign, object]:
    """The campaign for an org admin or consultant of its organisation: 404 outside it,
    403 for its managers and staff."""
    campaign, standing = campaign_for(request.user, pk)
    if not standing.can_manage:
        raise PermissionDenied
    return campaign, standing


def _back(campaign_id: int):
    return redirect("assessments:campaign-detail", campaign_id)


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
def campaign_close(request, pk: int):
    """GET: what closing means and a button to confirm (the page without JavaScript);
    POST: close the campaign."""
    campaign, _standing = _managed_campaign(request, pk)
    if request.method == "POST":
        try:
            set_campaign_status(campaign=campaign, status=Campaign.Status.CLOSED)
        except AssessmentError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The campaign is closed."))
        return _back(campaign.pk)
    return _confirmation_page(
        request, campaign, confirmations.close_campaign(campaign_progress(campaign))
    )


@login_required
def response_reopen(request, pk: int):
    """GET: what reopening means and a button to confirm; POST: reopen the response."""
    response = response_for_manager(request.user, pk)
    if request.method == "POST":
        reopen_response(response=response)
        messages.success(
            request,
            _("The response of %(name)s is open again.") % {"name": person(response.respondent)},
        )
        return _back(response.campaign_id)
    return _confirmation_page(request, response.campaign, confirmations.reopen_response(response))


def _confirmation_page(request, campaign: Campaign, asked: confirmations.Confirmation):
    """The page without JavaScript: what the step does, a button to take it, a way back."""
    return render(
        request,
        "assessments/confirm_action.html",
        {"campaign": campaign, "asked": asked, "action": request.path},
    )


@login_required
@require_POST
def response_resend(request, pk: int):
    """E-mail one respondent their invitation again."""
    response = response_for_manager(request.user, pk)
    try:
        resend_invitation(response=response)
    except AssessmentError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The invitation was sent to %(name)s again.") % {"name": person(response.respondent)},
        )
    return _back(response.campaign_id)


@login_required
@require_POST
def campaign_remind(request, pk: int):
    """Remind everyone who has not submitted, now."""
    campaign, _standing = _managed_campaign(request, pk)
    try:
        reminded, skipped = remind_unsubmitted(campaign=campaign)
    except AssessmentError as exc:
        messages.error(request, exc.message)
        return _back(campaign.pk)
    if reminded:
        messages.success(request, _("Reminders sent: %(count)s.") % {"count": reminded})
    if skipped:
        messages.info(
            request,
            _(
                "%(count)s respondents were not reminded: reminded less than ten minutes "
                "ago, or no e-mail address."
            )
            % {"count": skipped},
        )
    if not reminded and not skipped:
        messages.info(request, _("Everybody has submitted; there is nobody to remind."))
    return _back(campaign.pk)


@login_required
@require_POST
def campaign_add_respondent(request, pk: int):
    """Add a person of the organisation as a respondent (and invite them if open)."""
    campaign, standing = _managed_campaign(request, pk)
    form = AddRespondentForm(request.POST, campaign=campaign)
    if form.is_valid():
        user = form.cleaned_data["respondent"]
        try:
            add_campaign_respondent(
                campaign=campaign,
                department=form.cleaned_data["department"],
                user=user,
                rater_role=form.cleaned_data["rater_role"],
            )
        except AssessmentError as exc:
            if exc.field not in form.fields:  # the campaign's state, not the form: say so above
                messages.error(request, exc.message)
                return _back(campaign.pk)
            form.add_error(exc.field, exc.message)
        else:
            messages.success(
                request,
                _("%(name)s was added as a respondent for %(department)s.")
                % {"name": person(user), "department": form.cleaned_data["department"].name},
            )
            return _back(campaign.pk)
    messages.error(request, _("The respondent was not added. See the form below."))
    return _detail_page(request, campaign, standing, add_form=form, status=400)


@login_required
def response_remove(request, pk: int):
    """GET: what removing means and a button to confirm; POST: take a respondent who has
    not submitted off the campaign."""
    response = response_for_manager(request.user, pk)
    if request.method != "POST":
        return _confirmation_page(
            request, response.campaign, confirmations.remove_respondent(response)
        )
    try:
        remove_respondent(response=response)
    except AssessmentError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(name)s is no longer a respondent for %(department)s.")
            % {"name": person(response.respondent), "department": response.department.name},
        )
    return _back(response.campaign_id)


@login_required
@require_POST
def campaign_deadline(request, pk: int):
    """Move the campaign's closing date."""
    campaign, standing = _managed_campaign(request, pk)
    form = DeadlineForm(request.POST)
    if form.is_valid():
        try:
            change_deadline(campaign=campaign, closes_on=form.cleaned_data["closes_on"])
        except AssessmentError as exc:
            form.add_error("closes_on", exc.message)
        else:
            messages.success(request, _("The closing date was changed."))
            return _back(campaign.pk)
    messages.error(request, _("The closing date was not changed. See the form below."))
    return _detail_page(request, campaign, standing, deadline_form=form, status=400)
