"""Campaigns: create one, add its respondents, move it draft → open → closed."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from maturity.models import Framework

from ..models import Campaign, Department, Invitation, Membership, Organisation, Response
from .errors import AssessmentError
from .invitations import send_invitations


@transaction.atomic
def create_campaign(
    *,
    organisation: Organisation,
    framework: Framework,
    name: str,
    departments: list[Department],
    opens_on: datetime.date,
    closes_on: datetime.date,
    created_by,
    anonymity_threshold: int = 3,
) -> Campaign:
    """Create a draft campaign with a response (and invitation) for every manager of every
    assessed department."""
    if not framework.is_published:
        raise AssessmentError(
            "framework_not_published", _("Only a published framework can be used.")
        )
    if closes_on < opens_on:
        raise AssessmentError(
            "dates_out_of_order",
            _("The closing date must not be before the opening date."),
            field="closes_on",
        )
    if any(d.organisation_id != organisation.pk for d in departments) or not departments:
        raise AssessmentError(
            "bad_departments", _("Choose departments of this organisation."), field="departments"
        )
    campaign = Campaign.objects.create(
        organisation=organisation,
        framework=framework,
        name=name,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=created_by,
        anonymity_threshold=anonymity_threshold,
    )
    campaign.departments.set(departments)
    managers = Membership.objects.filter(
        organisation=organisation, department__in=departments, role=Membership.Role.MANAGER
    ).select_related("user", "department")
    for membership in managers:
        add_respondent(
            campaign=campaign,
            department=membership.department,
            user=membership.user,
            rater_role=Response.RaterRole.MANAGER,
        )
    return campaign


@transaction.atomic
def add_respondent(
    *, campaign: Campaign, department: Department, user, rater_role: str, notify: bool = True
) -> Response:
    """Add (idempotently) a respondent for a department; returns their response. In an open
    campaign the new respondent is e-mailed their invitation unless ``notify`` is off."""
    if not campaign.departments.filter(pk=department.pk).exists():
        raise AssessmentError(
            "department_not_assessed", _("This department is not assessed in the campaign.")
        )
    response, _created = Response.objects.get_or_create(
        campaign=campaign,
        department=department,
        respondent=user,
        defaults={"rater_role": rater_role},
    )
    Invitation.objects.get_or_create(response=response)
    if campaign.status == Campaign.Status.OPEN and notify:
        send_invitations(campaign=campaign)
    return response


# draft → open → closed, and a closed campaign may reopen. A draft never closes straight
# away: it has sent no invitations, so closing it would end a campaign nobody was asked to.
TRANSITIONS = {
    Campaign.Status.DRAFT: {Campaign.Status.OPEN},
    Campaign.Status.OPEN: {Campaign.Status.CLOSED},
    Campaign.Status.CLOSED: {Campaign.Status.OPEN},
}


def set_campaign_status(*, campaign: Campaign, status: str) -> Campaign:
    """Move a campaign draft → open → closed, or reopen a closed one (``TRANSITIONS``);
    any other move, or a status that does not exist, is refused and changes nothing.
    Opening sends the invitations that have not been sent yet."""
    if status not in Campaign.Status.values:
        raise AssessmentError("unknown_status", _("Unknown campaign status."), field="status")
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if status not in TRANSITIONS[campaign.status]:
            raise AssessmentError(
                "bad_transition",
                _("A %(current)s campaign cannot become %(new)s.")
                % {"current": campaign.get_status_display(), "new": Campaign.Status(status).label},
                status=409,
            )
        campaign.status = status
        campaign.save(update_fields=["status"])
    if status == Campaign.Status.OPEN:
        send_invitations(campaign=campaign)
    return campaign
