"""The background task that builds a report job's PDF (run by ``manage.py db_worker``).

The job row, not the task result, is what people see: the task claims a queued job, marks
it running under a lease that a heartbeat renews (reports/leases.py), builds the PDF with the
same builders as the command line, and ends it done or failed. Whatever goes wrong, the job
never stays "running": a worker that dies leaves a lease that runs out, and a live worker
takes the job back.
"""

import logging
import time
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db import DatabaseError, InterfaceError, OperationalError
from django.db.models import Case, F, Value, When
from django.db.models.functions import Now
from django.utils import timezone
from django_tasks import TaskContext, task

from training.models import Module

from .campaign_report import build_campaign_report
from .handout import build_handout
from .leases import Heartbeat, release
from .models import ReportJob, pdf_page_count
from .services import record_progress

logger = logging.getLogger(__name__)

DETAIL_MAX = 300


class MissingModules(Exception):
    pass


class Progress:
    """The ``progress(stage, done, total)`` callback a builder is given: records the job's
    stage and pages done, throttled so that fast pages cost no write each. A new stage is
    written at once; within a stage, at most one write every ``every`` seconds (the page
    polls about once a second). Writes stop once the job is no longer this task's."""

    def __init__(
        self,
        job_id: int,
        task_id: str,
        *,
        every: float = 0.25,
        clock: Callable[[], float] | None = None,
    ):
        self.job_id, self.task_id = job_id, task_id
        self.every, self.clock = every, clock or time.monotonic
        self.stage: str | None = None
        self.written_at = float("-inf")
        self.writes = 0
        self.lost = False

    def __call__(self, stage: str, done: int, total: int | None = None) -> None:
        if self.lost:
            return
        now = self.clock()
        if stage == self.stage and now - self.written_at < self.every:
            return
        self.stage, self.written_at = stage, now
        self.writes += 1
        try:
            recorded = record_progress(
                job_id=self.job_id, task_id=self.task_id, stage=stage, done=done, total=total
            )
        except DatabaseError as exc:
            # Progress is for the eyes only: a database hiccup must not fail the build.
            logger.warning("Report job %s: progress not recorded (%s)", self.job_id, exc)
            return
        if not recorded:
            self.lost = True


def _build(job: ReportJob, progress: Progress) -> bytes:
    if job.kind == ReportJob.Kind.HANDOUT:
        found = {m.slug: m for m in Module.objects.filter(slug__in=job.module_slugs)}
        missing = [slug for slug in job.module_slugs if slug not in found]
        if missing:
            raise MissingModules(", ".join(missing))
        return build_handout(
            [found[slug] for slug in job.module_slugs],
            language=job.language,
            edition=job.edition or ReportJob.Edition.FACILITATOR,
        )
    return build_campaign_report(
        job.campaign, department=job.department, language=job.language, progress=progress
    )


def _finish(job_id: int, task_id: str, **fields) -> int:
    fields["finished_at"] = timezone.now()
    return ReportJob.objects.filter(
        pk=job_id, status=ReportJob.Status.RUNNING, task_result_id=task_id
    ).update(**fields)


@task(takes_context=True)
def build_report(context: TaskContext, job_id: int) -> dict:
    """Build the PDF of one queued report job, holding its lease while it runs."""
    task_id = str(context.task_result.id)
    claimed = ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.QUEUED).update(
        status=ReportJob.Status.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=Now(),  # the database's clock, which every reaper reads (leases.py)
        finished_at=None,
        attempts=F("attempts") + 1,
        task_result_id=task_id,
        # A report starts by reading and scoring the answers (its builder says when that is
        # done); a handout reports no progress. A job taken back starts again from there.
        stage=Case(
            When(kind=ReportJob.Kind.HANDOUT, then=Value("")),
            default=Value(ReportJob.Stage.DATA),
        ),
        pages_done=0,
        pages_total=None,
    )
    if not claimed:
        # Deleted with its campaign, or already built by an earlier copy of this task.
        logger.warning("Report job %s is not queued; nothing to do", job_id)
        return {"job": job_id, "status": "skipped"}
    job = ReportJob.objects.select_related(
        "campaign__organisation", "campaign__framework", "department"
    ).get(pk=job_id)
    try:
        with Heartbeat(job_id, task_id):
            pdf = _build(job, Progress(job_id, task_id))
            job.file.save("report.pdf", ContentFile(pdf), save=False)
        try:
            saved = _finish(
                job_id,
                task_id,
                status=ReportJob.Status.DONE,
                file=job.file.name,
                size=len(pdf),
                pages=pdf_page_count(pdf),
            )
        except BaseException:
            job.file.delete(save=False)
            raise
        if not saved:  # deleted meanwhile, or taken back after a lost lease: keep no orphan
            job.file.delete(save=False)
            return {"job": job_id, "status": "skipped"}
        logger.info("Report job %s done: %s bytes", job_id, len(pdf))
        return {"job": job_id, "status": ReportJob.Status.DONE}
    except MissingModules as exc:
        logger.warning("Report job %s: modules no longer exist: %s", job_id, exc)
        _finish(
            job_id,
            task_id,
            status=ReportJob.Status.FAILED,
            error_code=ReportJob.Error.MISSING_MODULES,
            error_detail=str(exc)[:DETAIL_MAX],
        )
    except (OperationalError, InterfaceError):
        # The database went away (a restart): the job keeps its state and its lease runs
        # out, so a worker builds it again once the database is back.
        logger.warning("Report job %s: database unavailable; left to its lease", job_id)
        raise
    except Exception as exc:
        logger.exception("Report job %s failed", job_id)
        _finish(
            job_id,
            task_id,
            status=ReportJob.Status.FAILED,
            error_code=ReportJob.Error.BUILD,
            error_detail=f"{type(exc).__name__}: {exc}"[:DETAIL_MAX],
        )
    except BaseException:
        # The worker is being stopped hard (a second Ctrl+C): hand the job on, then stop.
        release(job_id, task_id)
        raise
    return {"job": job_id, "status": ReportJob.Status.FAILED}
