"""Leases on running report jobs: how the workers notice a job whose worker died.

A build claims its job with a lease: ``heartbeat_at`` is set at the claim and renewed every
third of ``REPORT_JOB_LEASE_SECONDS`` by a thread beside the build, on that thread's own
database connection, so a long build busy in the main thread still renews it. A worker
killed with -9 (or a machine that lost power) stops renewing. Once a lease has run out, the
reaper of any live ``manage.py report_worker`` takes the job back: it is built again once,
on a new task, and failed as ``interrupted`` when that second attempt dies too. The
django-tasks-db task row the dead worker left RUNNING is marked failed, so that the queue
says what happened. No page view changes a job: until a reaper takes it back, a job whose
lease ran out is shown as stalled, a state derived when it is read (``reports.selectors``).

Every write to a running job is fenced by its ``task_result_id``: a worker that lost its
lease (stalled, or cut off from the database for longer than the lease) finds that its task
is no longer the job's and writes nothing over the attempt that replaced it.
"""

import datetime
import logging
import threading
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connections, transaction
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import ReportJob

logger = logging.getLogger(__name__)

# The first attempt and one more: a build that kills its worker twice is not tried again.
MAX_ATTEMPTS = 2
TASK_PATH = "reports.tasks.build_report"
LOST_WORKER = "reports.leases.WorkerLost"


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=float(settings.REPORT_JOB_LEASE_SECONDS))


def heartbeat_interval() -> float:
    """Seconds between two renewals: a lease survives two missed heartbeats."""
    return lease().total_seconds() / 3


def reap_interval() -> float:
    """Seconds between two looks for expired leases (a dead worker's job is taken back
    at most one and a half leases after its last heartbeat)."""
    return max(0.5, lease().total_seconds() / 2)


def _deadline():
    # The database's clock, not this machine's: workers on several machines agree on it.
    return Now() - lease()


def expired() -> Q:
    """Running jobs' lease ran out: no heartbeat for a whole lease, by the database's clock.

    The reaper takes such jobs back; the pages and the API show them as stalled until then
    (``reports.selectors.with_lease_state``).
    """
    # Jobs claimed before leases existed carry no heartbeat: their start counts as one.
    deadline = _deadline()
    return Q(heartbeat_at__lt=deadline) | Q(heartbeat_at__isnull=True, started_at__lt=deadline)


class Heartbeat:
    """Renews a running job's lease from a thread of its own while the ``with`` block runs."""

    def __init__(self, job_id: int, task_id: str, *, every: float | None = None):
        self.job_id, self.task_id = job_id, task_id
        self.every = heartbeat_interval() if every is None else every
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"report-heartbeat-{job_id}", daemon=True
        )

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        # Never wait long: a renewal stuck on a dead connection must not hold the build up.
        self._thread.join(timeout=min(self.every, 5))

    def beat(self) -> bool:
        """Renew the lease once; False when the job is no longer this task's to build."""
        return bool(
            ReportJob.objects.filter(
                pk=self.job_id, status=ReportJob.Status.RUNNING, task_result_id=self.task_id
            ).update(heartbeat_at=Now())
        )

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.every):
                try:
                    close_old_connections()
                    renewed = self.beat()
                except DatabaseError as exc:
                    # The database is restarting: keep trying while the lease lasts.
                    logger.warning("Report job %s: lease not renewed (%s)", self.job_id, exc)
                    continue
                if not renewed and not self._stop.is_set():
                    self.lost.set()
                    logger.warning(
                        "Report job %s: lease lost (taken back or deleted); "
                        "this build's result will be dropped",
                        self.job_id,
                    )
                    return
        finally:
            connections.close_all()  # this thread's connections only


def _new_task(job_id: int) -> str:
    from .tasks import build_report

    return str(build_report.enqueue(job_id).id)


def release(job_id: int, task_id: str, *, only_if_expired: bool = False) -> str:
    """Take a running job back from its task ``task_id``: queue it again on a new task when it
    has an attempt left, else fail it as interrupted. With ``only_if_expired``, only if its
    lease has run out. Returns ``"requeued"``, ``"failed"`` or ``""`` (the job was no longer
    that task's, or its lease was renewed meanwhile).

    The job and its new task row are written in one transaction: nothing is lost if this
    process dies half-way, and two reapers cannot both take the same job back.
    """
    running = ReportJob.objects.filter(
        pk=job_id, status=ReportJob.Status.RUNNING, task_result_id=task_id
    )
    if only_if_expired:
        running = running.filter(expired())
    with transaction.atomic():
        job = running.select_for_update(skip_locked=True).only("attempts").first()
        if job is None:
            return ""
        if job.attempts < MAX_ATTEMPTS:
            outcome = "requeued"
            fields = {
                "status": ReportJob.Status.QUEUED,
                "task_result_id": _new_task(job_id),
                "started_at": None,
                "heartbeat_at": None,
            }
        else:
            outcome = "failed"
            fields = {
                "status": ReportJob.Status.FAILED,
                "error_code": ReportJob.Error.INTERRUPTED,
                "error_detail": "",
                "finished_at": timezone.now(),
            }
        # Fenced again by the attempt: SQLite takes no row lock above.
        if not running.filter(attempts=job.attempts).update(**fields):
            transaction.set_rollback(True)
            return ""
        # The task row its worker left RUNNING says so too, in the same transaction. (A worker
        # stopped hard records its own exception over this right after.)
        if _is_uuid(task_id):
            _mark_lost(DBTaskResult.objects.filter(pk=task_id), now=timezone.now())
    logger.warning("Report job %s lost its worker (attempt %s): %s", job_id, job.attempts, outcome)
    return outcome


def _mark_lost(task_rows, *, now: datetime.datetime) -> int:
    return task_rows.filter(status="RUNNING").update(
        status="FAILED",
        finished_at=now,
        exception_class_path=LOST_WORKER,
        traceback=(
            "The worker running this task stopped (killed, or cut off from the database) "
            "before it recorded the result. The report job shows what became of it.\n"
        ),
    )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Reaped:
    requeued: int = 0
    failed: int = 0
    lost_tasks: int = 0


def reap() -> Reaped:
    """Take back every running job whose lease has run out (see :func:`release`), and close
    the task rows dead workers left RUNNING. Safe to run from several workers at once."""
    now = timezone.now()
    outcomes = {"requeued": 0, "failed": 0, "": 0}
    lost_tasks = 0
    lapsed = ReportJob.objects.filter(expired(), status=ReportJob.Status.RUNNING)
    for job_id, task_id in lapsed.values_list("pk", "task_result_id"):
        outcome = release(job_id, task_id, only_if_expired=True)
        outcomes[outcome] += 1
        lost_tasks += bool(outcome and _is_uuid(task_id))

    # A worker can also die after claiming a task row but before its build claimed the job
    # (the job stays queued behind a task nobody runs), or after the job ended but before the
    # row was marked. Rows older than a lease that no running job holds are such leftovers.
    held = set(
        ReportJob.objects.filter(status=ReportJob.Status.RUNNING).values_list(
            "task_result_id", flat=True
        )
    )
    stale = DBTaskResult.objects.filter(
        status="RUNNING", task_path=TASK_PATH, started_at__lt=_deadline()
    ).values_list("pk", flat=True)
    for task_id in {str(pk) for pk in stale} - held:
        with transaction.atomic():
            if not _mark_lost(DBTaskResult.objects.filter(pk=task_id), now=now):
                continue  # another reaper was first
            lost_tasks += 1
            outcomes["requeued"] += _requeue_behind(task_id)
    return Reaped(requeued=outcomes["requeued"], failed=outcomes["failed"], lost_tasks=lost_tasks)


def _requeue_behind(task_id: str) -> int:
    """Give the jobs still queued behind a lost task a new one (in the caller's transaction)."""
    requeued = 0
    waiting = ReportJob.objects.filter(status=ReportJob.Status.QUEUED, task_result_id=task_id)
    for job_id in waiting.values_list("pk", flat=True):
        if waiting.filter(pk=job_id).update(task_result_id=_new_task(job_id)):
            logger.warning("Report job %s was queued behind a lost task: queued again", job_id)
            requeued += 1
    return requeued


class Reaper:
    """Runs :func:`reap` every ``every`` seconds on a thread (and connection) of its own, so
    that a worker busy with a long build still takes back other workers' dead jobs."""

    def __init__(self, *, every: float | None = None):
        self.every = reap_interval() if every is None else every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="report-reaper", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        try:
            while True:
                try:
                    close_old_connections()
                    reaped = reap()
                    if reaped != Reaped():
                        logger.info("Reaper: %s", reaped)
                except DatabaseError as exc:
                    logger.warning("Reaper: database unavailable (%s); trying again", exc)
                except Exception:
                    logger.exception("Reaper failed; trying again")
                if self._stop.wait(self.every):
                    return
        finally:
            connections.close_all()
