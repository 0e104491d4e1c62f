"""Taking a milestone: a campaign's results as shown, frozen with a name and a date.

A milestone is immutable: ``Milestone.save`` refuses an update, and neither the pages nor
the API offer an edit or a delete (a milestone goes only with its campaign). A wrong one
stays and a better-named one is taken beside it: comparisons and reports that cited it keep
reading what they read."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.access import standings
from assessments.models import Campaign
from assessments.services import AssessmentError
from improvement import access
from improvement.models import TITLE_MAX_LENGTH, Milestone

from .selectors import snapshot_of


class MilestoneError(AssessmentError):
    """A milestone or a comparison the rules refuse (the API answers with ``status``)."""


def check_name(campaign: Campaign, name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise MilestoneError("name_required", _("Give the milestone a name."), field="name")
    if len(name) > TITLE_MAX_LENGTH:
        raise MilestoneError(
            "name_too_long",
            _("The name is too long (at most %(n)s characters).") % {"n": TITLE_MAX_LENGTH},
            field="name",
        )
    if campaign.milestones.filter(name=name).exists():
        raise MilestoneError(
            "name_taken",
            _("This campaign already has a milestone named “%(name)s”.") % {"name": name},
            field="name",
        )
    return name


def check_date(campaign: Campaign, taken_on: datetime.date) -> datetime.date:
    if taken_on > timezone.localdate():
        raise MilestoneError(
            "date_in_future", _("A milestone's date cannot be in the future."), field="taken_on"
        )
    if taken_on < campaign.opens_on:
        raise MilestoneError(
            "date_before_campaign",
            _("A milestone's date cannot be before the campaign opens (%(date)s).")
            % {"date": campaign.opens_on.isoformat()},
            field="taken_on",
        )
    return taken_on


@transaction.atomic
def take_milestone(*, campaign: Campaign, name: str, taken_on: datetime.date, by) -> Milestone:
    """Freeze the campaign's results as shown now (``snapshot_of``) under ``name`` (unique
    within the campaign) and ``taken_on`` (not in the future, not before the campaign
    opens); only for those who ``access.takes_milestones``. The campaign row is locked, so
    two requests with one name cannot both take it."""
    standing = standings(by).get(campaign.organisation_id)
    if standing is None or not access.takes_milestones(standing):
        raise MilestoneError(
            "forbidden", _("Only org admins and consultants take milestones."), status=403
        )
    campaign = (
        Campaign.objects.select_for_update()
        .select_related("framework", "organisation")
        .get(pk=campaign.pk)
    )
    if campaign.status == Campaign.Status.DRAFT:
        raise MilestoneError(
            "campaign_draft",
            _("The campaign has not opened yet: there are no results to freeze."),
            status=409,
        )
    name = check_name(campaign, name)
    taken_on = check_date(campaign, taken_on)
    now = timezone.now()
    return Milestone.objects.create(
        campaign=campaign,
        name=name,
        taken_on=taken_on,
        created_by=by,
        snapshot=snapshot_of(campaign, at=now),
    )
