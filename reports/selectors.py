"""Scoped reads for reports: which campaigns, organisations and jobs a user may act on."""

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from assessments.access import standing_in
from assessments.models import Campaign, Organisation
from assessments.selectors import campaign_for

from .leases import expired
from .models import ReportJob


def report_campaign_for(user, pk: int) -> Campaign:
    """A campaign whose reports the user may see and request: 404 outside their
    organisations (like ``campaign_for``), 403 inside without org admin or consultant rights."""
    campaign, standing = campaign_for(user, pk)
    if not standing.can_manage:
        raise PermissionDenied
    return campaign


def handout_organisation_for(user, organisation_id: int) -> Organisation:
    """An organisation for which the user may prepare study sessions: org admins,
    consultants and managers (who run their team's sessions). 404 outside, 403 for staff."""
    standing = standing_in(user, organisation_id)
    if not (standing.can_manage or standing.is_manager):
        raise PermissionDenied
    return get_object_or_404(Organisation, pk=organisation_id)


def with_lease_state(jobs: QuerySet[ReportJob]) -> QuerySet[ReportJob]:
    """``jobs`` with ``lease_expired`` read alongside: true for a running job whose lease ran
    out (its worker stopped), by the reaper's own rule and clock. ``ReportJob.is_stalled``
    reads it; nothing is written here: the reaper of a live worker takes the job back."""
    stalled = When(expired(), status=ReportJob.Status.RUNNING, then=Value(True))
    return jobs.annotate(
        lease_expired=Case(stalled, default=Value(False), output_field=BooleanField())
    )


def job_for(user, pk: int) -> ReportJob:
    """A report job the user may see and download, with the same rules as its page."""
    job = get_object_or_404(
        with_lease_state(
            ReportJob.objects.select_related("campaign", "department", "organisation")
        ),
        pk=pk,
    )
    standing = standing_in(user, job.organisation_id)
    allowed = standing.can_manage or (job.kind == ReportJob.Kind.HANDOUT and standing.is_manager)
    if not allowed:
        raise PermissionDenied
    return job
