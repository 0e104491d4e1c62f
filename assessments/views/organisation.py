"""An organisation's settings page: what its org admins may change about it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ..access import standing_in
from ..forms import OrganisationSettingsForm
from ..models import Membership, Organisation


@login_required
def organisation_settings(request, organisation_id: int):
    """The business model, for org admins only: 404 outside the organisation, 403 for
    everyone else inside it (consultants included: it is the organisation's own fact)."""
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if standing_in(request.user, organisation.pk).role != Membership.Role.ORG_ADMIN:
        raise PermissionDenied
    form = OrganisationSettingsForm(request.POST or None, instance=organisation)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("The organisation's settings are saved."))
            return redirect("assessments:organisation-settings", organisation.pk)
        return render(
            request,
            "assessments/organisation_settings.html",
            {"form": form, "organisation": organisation},
            status=400,
        )
    return render(
        request,
        "assessments/organisation_settings.html",
        {"form": form, "organisation": organisation},
    )
