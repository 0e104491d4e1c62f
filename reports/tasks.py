"""The background task that builds a report job's PDF (run by ``manage.py db_worker``).

The job row, not the task result, is what people see: the task claims a queued job, marks
it running, builds the PDF with the same builders as the command line, and ends it done or
failed. Whatever goes wrong, the job never stays "running".
"""

import logging

from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task

from training.models import Module

from .campaign_report import build_campaign_report
from .handout import build_handout
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


def _finish(job_id: int, **fields) -> int:
    fields["finished_at"] = timezone.now()
    return ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.RUNNING).update(**fields)


@task()
def build_report(job_id: int) -> dict:
    """Build the PDF of one queued report job."""
    claimed = ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.QUEUED).update(
        status=ReportJob.Status.RUNNING, started_at=timezone.now(), finished_at=None
    )
    if not claimed:
        # Deleted with its campaign, or already built by an earlier copy of this task.
        logger.warning("Report job %s is not queued; nothing to do", job_id)
        return {"job": job_id, "status": "skipped"}
    job = ReportJob.objects.select_related(
        "campaign__organisation", "campaign__framework", "department"
    ).get(pk=job_id)
    try:
        pdf = _build(job)
        job.file.save("report.pdf", ContentFile(pdf), save=False)
        try:
            saved = _finish(
                job_id,
                status=ReportJob.Status.DONE,
                file=job.file.name,
                size=len(pdf),
                pages=pdf_page_count(pdf),
            )
        except Exception:
            job.file.delete(save=False)
            raise
        if not saved:  # the job was deleted meanwhile: keep no orphan file
            job.file.delete(save=False)
            return {"job": job_id, "status": "skipped"}
        logger.info("Report job %s done: %s bytes", job_id, len(pdf))
        return {"job": job_id, "status": ReportJob.Status.DONE}
    except MissingModules as exc:
        logger.warning("Report job %s: modules no longer exist: %s", job_id, exc)
        _finish(
            job_id,
            status=ReportJob.Status.FAILED,
            error_code=ReportJob.Error.MISSING_MODULES,
            error_detail=str(exc)[:DETAIL_MAX],
        )
    except Exception as exc:
        logger.exception("Report job %s failed", job_id)
        _finish(
            job_id,
            status=ReportJob.Status.FAILED,
            error_code=ReportJob.Error.BUILD,
            error_detail=f"{type(exc).__name__}: {exc}"[:DETAIL_MAX],
        )
    except BaseException:
        # The worker is being stopped hard (a second Ctrl+C): record it, then let it stop.
        _finish(job_id, status=ReportJob.Status.FAILED, error_code=ReportJob.Error.INTERRUPTED)
        raise
    return {"job": job_id, "status": ReportJob.Status.FAILED}
