"""Milestone pages: a campaign's milestones (list, and take one), and the comparison of two
sides (milestones or campaigns). Org admins and consultants see every department and take
milestones; a manager of an assessed department sees the list and their own rows."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from assessments.selectors import campaign_for
from improvement import access

from . import compare as comparing
from . import selectors
from .forms import CompareForm, MilestoneForm
from .services import MilestoneError, take_milestone


@login_required
def milestones_view(request, pk: int):
    """GET lists the campaign's milestones; POST takes one (org admins and consultants)."""
    campaign, standing = campaign_for(request.user, pk)
    can_take = access.takes_milestones(standing)
    form = MilestoneForm()
    if request.method == "POST":
        if not can_take:
            raise PermissionDenied
        form = MilestoneForm(request.POST)
        if form.is_valid():
            try:
                milestone = take_milestone(
                    campaign=campaign,
                    name=form.cleaned_data["name"],
                    taken_on=form.cleaned_data["taken_on"],
                    by=request.user,
                )
            except MilestoneError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(
                    request, _("Milestone “%(name)s” taken.") % {"name": milestone.name}
                )
                return redirect("improvement:milestones", campaign.pk)
    return render(
        request,
        "improvement/milestones/list.html",
        {
            "campaign": campaign,
            "milestones": list(selectors.milestones_of(campaign)),
            "form": form if can_take else None,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def compare_view(request, pk: int):
    """Two sides compared (``?before=m:<id>|c:<id>&after=…``); unasked, the campaign's
    latest milestone (else the previous campaign) against the campaign now."""
    campaign, standing = campaign_for(request.user, pk)
    department_id = None if standing.can_manage else standing.department_id
    asked = {k: request.GET[k] for k in ("before", "after") if request.GET.get(k)}
    defaults = comparing.default_keys(campaign)
    if defaults is not None:
        asked = {"before": defaults[0], "after": defaults[1], **asked}
    form = CompareForm(asked or None, campaign=campaign, department_id=department_id)
    comparison = None
    error = ""
    if form.is_bound and form.is_valid():
        try:
            comparison = comparing.compare(
                form.cleaned_data["before"],
                form.cleaned_data["after"],
                department_id=department_id,
            )
        except MilestoneError as refused:
            error = refused.message
    return render(
        request,
        "improvement/milestones/compare.html",
        {
            "campaign": campaign,
            "form": form,
            "comparison": comparison,
            "error": error,
            "can_manage": standing.can_manage,
        },
        status=400 if (form.is_bound and form.errors) or error else 200,
    )
