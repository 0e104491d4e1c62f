"""Campaigns: create one, add and remove its respondents, move it draft → open → closed,
change its deadline."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maturity.models import Framework

from ..models import (
    Campaign,
    ConsultantAccess,
    Department,
    Invitation,
    Membership,
    Organisation,
    Response,
)
from ..templatetags.people import person
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


def _campaign_for_update(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def _refuse_if_closed(campaign: Campaign) -> None:
    if campaign.status == Campaign.Status.CLOSED:
        raise AssessmentError(
            "campaign_closed",
            _("The campaign is closed. Reopen it to change its respondents."),
            status=409,
        )


# Who may answer in which rater role: a consultant's rating needs consultant access, an org
# admin's rating an org admin; any member of the organisation may rate as manager (a deputy).
def _may_rate_as(campaign: Campaign, user, rater_role: str) -> bool:
    if rater_role == Response.RaterRole.CONSULTANT:
        return ConsultantAccess.objects.filter(
            user=user, organisation_id=campaign.organisation_id
        ).exists()
    memberships = Membership.objects.filter(user=user, organisation_id=campaign.organisation_id)
    if rater_role == Response.RaterRole.ORG_ADMIN:
        return memberships.filter(role=Membership.Role.ORG_ADMIN).exists()
    return memberships.exists()


def add_campaign_respondent(
    *, campaign: Campaign, department: Department, user, rater_role: str
) -> Response:
    """Add one person of the campaign's organisation as a respondent for one of its
    departments, from the campaign page; in an open campaign they are invited at once.

    Refused for a closed campaign, a department the campaign does not assess, a rater role
    the person does not hold, or a person who already answers for that department."""
    with transaction.atomic():
        campaign = _campaign_for_update(campaign)
        _refuse_if_closed(campaign)
        if rater_role not in Response.RaterRole.values:
            raise AssessmentError(
                "unknown_rater_role", _("Unknown rater role."), field="rater_role"
            )
        if not _may_rate_as(campaign, user, rater_role):
            raise AssessmentError(
                "rater_role_not_held",
                _("%(name)s cannot answer as %(role)s in this organisation.")
                % {"name": person(user), "role": Response.RaterRole(rater_role).label},
                field="rater_role",
            )
        if Response.objects.filter(
            campaign=campaign, department=department, respondent=user
        ).exists():
            raise AssessmentError(
                "already_respondent",
                _("%(name)s is already a respondent for %(department)s.")
                % {"name": person(user), "department": department.name},
                field="respondent",
                status=409,
            )
        return add_respondent(
            campaign=campaign, department=department, user=user, rater_role=rater_role
        )


def remove_respondent(*, response: Response) -> None:
    """Take a respondent who has not submitted off the campaign, with their unsubmitted
    answers. A submitted response is never deleted: it is refused."""
    with transaction.atomic():
        _refuse_if_closed(_campaign_for_update(response.campaign))
        response = Response.objects.select_for_update().filter(pk=response.pk).first()
        if response is None:
            return  # removed a moment ago (a second click)
        if response.is_submitted:
            raise AssessmentError(
                "response_submitted",
                _(
                    "%(name)s has already submitted, so they cannot be removed: submitted "
                    "answers are kept. Reopen the response if it needs changing."
                )
                % {"name": person(response.respondent)},
                status=409,
            )
        response.delete()


def change_deadline(*, campaign: Campaign, closes_on: datetime.date) -> Campaign:
    """Move a campaign's closing date; it may be neither before today nor before the
    opening date."""
    with transaction.atomic():
        campaign = _campaign_for_update(campaign)
        if closes_on < timezone.localdate():
            raise AssessmentError(
                "deadline_in_past",
                _("The new closing date must not be before today."),
                field="closes_on",
            )
        if closes_on < campaign.opens_on:
            raise AssessmentError(
                "dates_out_of_order",
                _("The closing date must not be before the opening date."),
                field="closes_on",
            )
        campaign.closes_on = closes_on
        campaign.save(update_fields=["closes_on"])
    return campaign
