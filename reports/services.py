"""Writes for report jobs: ask for a PDF, retry a failed one. (Jobs whose worker died are
taken back by the workers themselves: reports/leases.py.)

Each service validates, writes the job row in one transaction and enqueues the build task
only once that transaction has committed, so a worker never looks for a row it cannot see
and a rolled-back request leaves no task behind. Permission checks stay with the callers
(views and API), which know the user's standing.
"""

import logging
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.models import Campaign, Department, Organisation
from assessments.services import AssessmentError
from training.models import Module

from .models import ReportJob

logger = logging.getLogger(__name__)

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
PENDING = (ReportJob.Status.QUEUED, ReportJob.Status.RUNNING)


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
    return ReportJob.objects.filter(status__in=PENDING, **fields).order_by("-created_at").first()


def _one_request_at_a_time(user) -> None:
    # Lock the requester's row until the job is written: two requests at once cannot both
    # take the last place below the limit, nor both miss each other as twins.
    if user is not None and user.is_authenticated:
        list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))


def _check_pending_limit(user) -> None:
    """Refuse a new job while ``user`` already has REPORT_JOBS_PENDING_PER_USER of them queued
    or being built (a fuzzer, a script in a loop), so that one person cannot fill the queue."""
    limit = settings.REPORT_JOBS_PENDING_PER_USER
    if limit <= 0 or user is None or not user.is_authenticated:
        return
    if ReportJob.objects.filter(requested_by=user, status__in=PENDING).count() >= limit:
        raise ReportError(
            "too_many_pending",
            ngettext(
                "You already have %(count)d report waiting or being generated. "
                "Ask for another once it is finished.",
                "You already have %(count)d reports waiting or being generated. "
                "Ask for another once one of them is finished.",
                limit,
            )
            % {"count": limit},
            status=429,
        )


def request_report(
    *, user, campaign: Campaign, department: Department | None = None, language: str
) -> ReportJob:
    """Queue the campaign's report (or one department's) as a PDF in ``language``.

    An identical request still queued or running is returned instead of a second job; a
    person with too many jobs pending is refused (``too_many_pending``, status 429).
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
        _one_request_at_a_time(user)
        twin = _pending_twin(campaign=campaign, department=department, kind=kind, language=language)
        if twin is not None:
            return twin
        _check_pending_limit(user)
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
    *,
    user,
    organisation: Organisation,
    modules: list[Module],
    language: str,
    edition: str = ReportJob.Edition.FACILITATOR,
) -> ReportJob:
    """Queue a handout for ``modules`` (in the order given) in ``language``, in the
    facilitator's edition (answer keys and notes) or the participants' (none)."""
    _check_language(language)
    if edition not in ReportJob.Edition.values:
        raise ReportError("bad_edition", _("Choose an edition of the handout."), field="edition")
    if not modules:
        raise ReportError("no_modules", _("Choose at least one module."), field="modules")
    slugs = [m.slug for m in modules]
    with transaction.atomic():
        _one_request_at_a_time(user)
        twin = _pending_twin(
            organisation=organisation,
            kind=ReportJob.Kind.HANDOUT,
            language=language,
            module_slugs=slugs,
            edition=edition,
        )
        if twin is not None:
            return twin
        _check_pending_limit(user)
        job = ReportJob.objects.create(
            organisation=organisation,
            kind=ReportJob.Kind.HANDOUT,
            language=language,
            module_slugs=slugs,
            edition=edition,
            requested_by=user,
        )
        transaction.on_commit(partial(_enqueue, job.pk))
    return job


def retry(job: ReportJob) -> ReportJob:
    """Queue a failed job again, on the same row (its earlier error is cleared, and it has
    its attempts again: a worker that dies building it is replaced once more)."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ReportJob.Status.FAILED:
            raise ReportError(
                "not_failed", _("Only a failed report can be generated again."), status=409
            )
        job.status = ReportJob.Status.QUEUED
        job.error_code = job.error_detail = job.task_result_id = ""
        job.started_at = job.finished_at = job.heartbeat_at = None
        job.attempts = 0
        job.stage, job.pages_done, job.pages_total = "", 0, None
        job.save(
            update_fields=[
                "stage",
                "pages_done",
                "pages_total",
                "status",
                "error_code",
                "error_detail",
                "task_result_id",
                "started_at",
                "finished_at",
                "heartbeat_at",
                "attempts",
            ]
        )
        transaction.on_commit(partial(_enqueue, job.pk))
    return job


def record_progress(*, job_id: int, task_id: str, stage: str, done: int, total: int | None) -> bool:
    """Record where the running build of job ``job_id`` is (stage, pages laid out, pages
    expected), in a short transaction of its own so that pages polling the job see it while
    the build goes on. Fenced like every write to a running job: False, writing nothing, once
    the job is no longer task ``task_id``'s (taken back after a lost lease, or deleted). The
    lease stays the heartbeat's alone (reports/leases.py): progress does not renew it."""
    if stage not in ReportJob.Stage.values:
        raise ValueError(f"unknown report stage {stage!r}")
    if stage == ReportJob.Stage.DATA:
        done, total = 0, None  # no page yet (the builder counts the data step as 1 of 1)
    with transaction.atomic():
        return bool(
            ReportJob.objects.filter(
                pk=job_id, status=ReportJob.Status.RUNNING, task_result_id=task_id
            ).update(stage=stage, pages_done=max(0, done), pages_total=total or None)
        )
