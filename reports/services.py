"""Writes for report jobs: ask for a PDF, retry a failed one.

Each service validates, writes the job row in one transaction and enqueues the build task
only once that transaction has committed, so a worker never looks for a row it cannot see
and a rolled-back request leaves no task behind. Permission checks stay with the callers
(views and API), which know the user's standing.
"""

import datetime
import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Campaign, Department, Organisation
from assessments.services import AssessmentError
from training.models import Module

from .models import ReportJob

logger = logging.getLogger(__name__)

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
# A job still "running" this long after it started lost its worker (killed, machine restarted).
STALE_AFTER = datetime.timedelta(minutes=15)


class ReportError(AssessmentError):
    """A report request the rules refuse (the API answers with the project's error shape)."""


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ReportError(
            "invalid_language",
            _("Choose Japanese or English."),
            field="language",
        )


def _enqueue(job_id: int) -> None:
    from .tasks import build_report

    try:
        result = build_report.enqueue(job_id)
    except Exception as exc:
        # The request has already committed: say so on the job rather than fail the page.
        logger.exception("Could not enqueue report job %s", job_id)
        ReportJob.objects.filter(pk=job_id).update(
            status=ReportJob.Status.FAILED,
            error_code=ReportJob.Error.QUEUE,
            error_detail=type(exc).__name__,
            finished_at=timezone.now(),
        )
        return
    # update(), not save(): the worker may already be writing the job's status.
    ReportJob.objects.filter(pk=job_id).update(task_result_id=str(result.id))


def _pending_twin(**fields) -> ReportJob | None:
    """The same request already waiting or being built (a double click, a second tab)."""
    return (
        ReportJob.objects.filter(
            status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING], **fields
        )
        .order_by("-created_at")
        .first()
    )


def request_report(
    *, user, campaign: Campaign, department: Department | None = None, language: str
) -> ReportJob:
    """Queue the campaign's report (or one department's) as a PDF in ``language``.

    An identical request still queued or running is returned instead of a second job.
    """
    _check_language(language)
    if department is not None and not campaign.departments.filter(pk=department.pk).exists():
        raise ReportError(
            "invalid_department",
            _("This department is not part of the campaign."),
            field="department",
        )
    kind = ReportJob.Kind.DEPARTMENT if department else ReportJob.Kind.CAMPAIGN
    with transaction.atomic():
        twin = _pending_twin(campaign=campaign, department=department, kind=kind, language=language)
        if twin is not None:
            return twin
        job = ReportJob.objects.create(
            organisation_id=campaign.organisation_id,
            campaign=campaign,
            department=department,
            kind=kind,
            language=language,
            requested_by=user,
        )
        transaction.on_commit(partial(_enqueue, job.pk))
    return job


def request_handout(
    *, user, organisation: Organisation, modules: list[Module], language: str
) -> ReportJob:
    """Queue a facilitator's handout for ``modules`` (in the order given) in ``language``."""
    _check_language(language)
    if not modules:
        raise ReportError("no_modules", _("Choose at least one module."), field="modules")
    slugs = [m.slug for m in modules]
    with transaction.atomic():
        twin = _pending_twin(
            organisation=organisation,
            kind=ReportJob.Kind.HANDOUT,
            language=language,
            module_slugs=slugs,
        )
        if twin is not None:
            return twin
        job = ReportJob.objects.create(
            organisation=organisation,
            kind=ReportJob.Kind.HANDOUT,
            language=language,
            module_slugs=slugs,
            requested_by=user,
        )
        transaction.on_commit(partial(_enqueue, job.pk))
    return job


def retry(job: ReportJob) -> ReportJob:
    """Queue a failed job again, on the same row (its earlier error is cleared)."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ReportJob.Status.FAILED:
            raise ReportError(
                "not_failed", _("Only a failed report can be generated again."), status=409
            )
        job.status = ReportJob.Status.QUEUED
        job.error_code = job.error_detail = ""
        job.started_at = job.finished_at = None
        job.save(
            update_fields=["status", "error_code", "error_detail", "started_at", "finished_at"]
        )
        transaction.on_commit(partial(_enqueue, job.pk))
    return job


def fail_stale_jobs(queryset=None) -> int:
    """Mark jobs whose worker died mid-build as failed, so that nothing stays "running"
    forever and they can be retried. Returns how many were marked."""
    queryset = ReportJob.objects.all() if queryset is None else queryset
    return queryset.filter(
        status=ReportJob.Status.RUNNING, started_at__lt=timezone.now() - STALE_AFTER
    ).update(
        status=ReportJob.Status.FAILED,
        error_code=ReportJob.Error.INTERRUPTED,
        error_detail="",
        finished_at=timezone.now(),
    )
