"""The background task that builds a report job's PDF (run by ``manage.py db_worker``).

The job row, not the task result, is what people see: the task claims a queued job, marks
it running under a lease that a heartbeat renews (reports/leases.py), builds the PDF with the
same builders as the command line, and ends it done or failed. Whatever goes wrong, the job
never stays "running": a worker that dies leaves a lease that runs out, and a live worker
takes the job back.
"""

import logging

from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError
from django.db.models import F
from django.db.models.functions import Now
from django.utils import timezone
from django_tasks import TaskContext, task

from training.models import Module

from .campaign_report import build_campaign_report
from .handout import build_handout
from .leases import Heartbeat, release
from .models import ReportJob, pdf_page_count

logger = logging.getLogger(__name__)

DETAIL_MAX = 300


class MissingModules(Exception):
    pass


def _build(job: ReportJob) -> bytes:
    if job.kind == ReportJob.Kind.HANDOUT:
        found = {m.slug: m for m in Module.objects.filter(slug__in=job.module_slugs)}
        missing = [slug for slug in job.module_slugs if slug not in found]
        if missing:
            raise MissingModules(", ".join(missing))
        return build_handout([found[slug] for slug in job.module_slugs], language=job.language)
    return build_campaign_report(job.campaign, department=job.department, language=job.language)


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
            pdf = _build(job)
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
