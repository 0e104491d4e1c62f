"""Report workers that survive faults: leases, the reaper, retry-once, database restarts.

The first half drives the lease rules (reports/leases.py) in this process, on either
database. The second half starts real ``manage.py report_worker`` processes
(tests/reports/worker_process.py) against the test database, kills them with SIGKILL
mid-job and restarts PostgreSQL under them. Those need a database that another process can
see, with committed data: they run on PostgreSQL (``make test-postgres``) and are skipped
on SQLite, whose test database lives in this process's memory.
"""

import datetime
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader
from rest_framework.test import APIClient

from reports import leases, services
from reports.models import ReportJob
from reports.tasks import build_report
from tests.reports.test_report_jobs import answer_all, run_worker

ROOT = Path(__file__).resolve().parents[2]
LEASE = 2.0  # seconds, for the worker processes
ON_POSTGRES = "postgresql" in django_settings.DATABASES["default"]["ENGINE"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def scored(cast):
    answer_all(cast.response, cast.questions, 1)
    answer_all(cast.other_response, cast.questions, 2)
    return cast


def ago(seconds: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=seconds)


def running_job(cast, *, attempts=1, beat_seconds_ago=3600, language="ja") -> ReportJob:
    """A job a worker claimed (its task row RUNNING) and then stopped renewing."""
    job = ReportJob.objects.create(
        organisation=cast.acme,
        campaign=cast.campaign,
        kind=ReportJob.Kind.CAMPAIGN,
        language=language,
        requested_by=cast.users.org_admin,
    )
    task_row = DBTaskResult.objects.get(pk=build_report.enqueue(job.pk).id)
    task_row.claim("dead-worker")
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.RUNNING,
        task_result_id=str(task_row.pk),
        attempts=attempts,
        started_at=ago(beat_seconds_ago),
        heartbeat_at=ago(beat_seconds_ago),
    )
    job.refresh_from_db()
    return job


# ------------------------------------------------------------ leases, in this process


@pytest.mark.django_db
def test_the_lease_is_configurable(settings):
    settings.REPORT_JOB_LEASE_SECONDS = 60
    assert (leases.heartbeat_interval(), leases.reap_interval()) == (20, 30)
    settings.REPORT_JOB_LEASE_SECONDS = 2
    assert leases.lease() == datetime.timedelta(seconds=2)
    assert leases.heartbeat_interval() == pytest.approx(2 / 3)
    assert leases.reap_interval() == 1


@pytest.mark.django_db
def test_the_reaper_builds_a_job_whose_lease_ran_out_again_on_a_new_task(scored):
    job = running_job(scored, attempts=1)
    lost_task = job.task_result_id

    reaped = leases.reap()

    assert reaped == leases.Reaped(requeued=1, failed=0, lost_tasks=1)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.heartbeat_at) == (ReportJob.Status.QUEUED, 1, None)
    new_task = DBTaskResult.objects.get(status="READY")
    assert job.task_result_id == str(new_task.pk) != lost_task
    assert new_task.args_kwargs == {"args": [job.pk], "kwargs": {}}
    lost = DBTaskResult.objects.get(pk=lost_task)
    assert (lost.status, lost.exception_class_path) == ("FAILED", leases.LOST_WORKER)
    assert lost.finished_at is not None

    run_worker()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ReportJob.Status.DONE, 2)
    assert job.file.read().startswith(b"%PDF")


@pytest.mark.django_db
def test_the_reaper_fails_a_job_whose_second_attempt_died_too(scored, client):
    job = running_job(scored, attempts=2)

    assert leases.reap() == leases.Reaped(requeued=0, failed=1, lost_tasks=1)

    job.refresh_from_db()
    assert (job.status, job.error_code) == (ReportJob.Status.FAILED, ReportJob.Error.INTERRUPTED)
    assert job.finished_at is not None
    assert not DBTaskResult.objects.exclude(status="FAILED").exists()
    with translation.override("en"):
        assert job.error_message.startswith(
            "The worker stopped before the PDF was finished. It was tried 2 times. Try again"
        )
    with translation.override("ja"):
        assert job.error_message.startswith("PDFの作成中に処理が停止しました。 2 回試しました。")


@pytest.mark.django_db
def test_a_job_the_reaper_failed_can_be_retried_and_asked_for_again(
    scored, django_capture_on_commit_callbacks
):
    job = running_job(scored, attempts=2)
    # While it is stuck, the same request attaches to it, and a retry is refused.
    twin = services.request_report(
        user=scored.users.consultant, campaign=scored.campaign, language="ja"
    )
    assert twin.pk == job.pk
    with pytest.raises(services.ReportError) as refused:
        services.retry(job)
    assert refused.value.status == 409

    leases.reap()

    with django_capture_on_commit_callbacks(execute=True):
        retried = services.retry(job)
    assert (retried.status, retried.attempts) == (ReportJob.Status.QUEUED, 0)
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ReportJob.Status.DONE, 1)


@pytest.mark.django_db
def test_after_the_reaper_failed_it_a_new_request_makes_a_new_job(scored):
    job = running_job(scored, attempts=2)
    leases.reap()
    again = services.request_report(
        user=scored.users.org_admin, campaign=scored.campaign, language="ja"
    )
    assert again.pk != job.pk and again.status == ReportJob.Status.QUEUED


@pytest.mark.django_db
def test_a_live_lease_is_left_alone(scored):
    job = running_job(scored, beat_seconds_ago=1)
    assert leases.reap() == leases.Reaped()
    job.refresh_from_db()
    assert job.status == ReportJob.Status.RUNNING
    assert DBTaskResult.objects.get().status == "RUNNING"


@pytest.mark.django_db
def test_a_job_claimed_before_leases_existed_counts_its_start_as_its_heartbeat(scored):
    job = running_job(scored)
    ReportJob.objects.filter(pk=job.pk).update(heartbeat_at=None)
    assert leases.reap().requeued == 1


@pytest.mark.django_db
def test_a_lease_renewed_meanwhile_is_not_taken_back(scored):
    job = running_job(scored)
    ReportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    assert leases.release(job.pk, job.task_result_id, only_if_expired=True) == ""
    job.refresh_from_db()
    assert job.status == ReportJob.Status.RUNNING


@pytest.mark.django_db
def test_a_worker_that_lost_its_lease_cannot_overwrite_the_attempt_that_replaced_it(scored):
    from reports.tasks import _finish

    job = running_job(scored)
    late_task = job.task_result_id
    leases.reap()
    run_worker()  # the second attempt builds it
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE

    assert not leases.Heartbeat(job.pk, late_task).beat()
    assert not _finish(job.pk, late_task, status=ReportJob.Status.FAILED)
    assert not leases.release(job.pk, late_task)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE


@pytest.mark.django_db
def test_a_job_queued_behind_a_task_row_whose_worker_died_gets_a_new_task(scored):
    # The worker claimed the task row, then died before its build claimed the job.
    job = running_job(scored)
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.QUEUED, started_at=None, heartbeat_at=None, attempts=0
    )
    DBTaskResult.objects.filter(pk=job.task_result_id).update(started_at=ago(3600))

    assert leases.reap() == leases.Reaped(requeued=1, lost_tasks=1)

    job.refresh_from_db()
    assert job.status == ReportJob.Status.QUEUED
    assert job.task_result_id == str(DBTaskResult.objects.get(status="READY").pk)
    assert leases.reap() == leases.Reaped()  # nothing twice


@pytest.mark.django_db
def test_a_task_row_left_running_after_its_job_ended_is_closed(scored):
    job = running_job(scored)
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.DONE)
    DBTaskResult.objects.filter(pk=job.task_result_id).update(started_at=ago(3600))
    assert leases.reap() == leases.Reaped(lost_tasks=1)
    assert DBTaskResult.objects.get().status == "FAILED"
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_renews_the_lease_from_its_own_thread_while_the_build_runs(cast):
    job = running_job(cast, beat_seconds_ago=3600)
    before = job.heartbeat_at
    with leases.Heartbeat(job.pk, job.task_result_id, every=0.05) as heartbeat:
        deadline = time.monotonic() + 10
        while ReportJob.objects.get(pk=job.pk).heartbeat_at == before:
            assert time.monotonic() < deadline, "no heartbeat"
            time.sleep(0.05)
    assert not heartbeat.lost.is_set()
    assert ReportJob.objects.get(pk=job.pk).heartbeat_at > ago(10)


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_stops_when_the_job_was_taken_back(cast):
    job = running_job(cast)
    leases.reap()
    with leases.Heartbeat(job.pk, job.task_result_id, every=0.05) as heartbeat:
        assert heartbeat.lost.wait(10)


# ------------------------------------------------------------ real worker processes

needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES,
    reason=(
        "worker processes need a database another process can see; SQLite's test database "
        "is in this process's memory (make test-postgres runs these)"
    ),
)


def database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT']}/{db['NAME']}"


class Workers:
    """``report_worker`` processes against the test database; all killed at teardown."""

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.build_log = tmp_path / "builds.log"
        self.build_log.touch()
        self.processes: list[tuple[subprocess.Popen, Path]] = []

    def start(self, name: str, *, build_seconds: float = 0) -> subprocess.Popen:
        env = {
            # Not the browser tests' switch: a worker keeps Django's async safety.
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "LEVELCHECK_ENV_FILE": "",
            "SECRET_KEY": "worker-fault-tests",
            "DEBUG": "0",
            "DATABASE_URL": database_url(),
            "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
            "REPORT_JOB_LEASE_SECONDS": str(LEASE),
            "TEST_BUILD_SECONDS": str(build_seconds),
            "TEST_BUILD_LOG": str(self.build_log),
            "PYTHONUNBUFFERED": "1",
        }
        log = self.tmp_path / f"worker-{name}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.reports.worker_process"]
            + ["--no-reload", "--no-startup-delay", "--interval=0.1", f"--worker-id={name}"],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        self.processes.append((process, log))
        wait_for(lambda: "Starting worker" in log.read_text() or process.poll() is not None, 30)
        assert process.poll() is None, log.read_text()
        return process

    def builds(self) -> list[tuple[int, int]]:
        return [tuple(map(int, line.split())) for line in self.build_log.read_text().splitlines()]

    def logs(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text()}" for _p, log in self.processes)

    def stop_all(self) -> None:
        for process, _log in self.processes:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=10)


@pytest.fixture
def workers(transactional_db, tmp_path):
    # Depends on the database fixture, so that every worker is dead before the tables are
    # flushed at teardown.
    pool = Workers(tmp_path)
    yield pool
    pool.stop_all()
    print(pool.logs())  # shown when the test failed


def wait_for(condition, timeout: float, *, what: str = "condition") -> float:
    """Seconds until ``condition()`` held; fails after ``timeout``."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)
    return time.monotonic() - start


def job_state(job_id: int) -> ReportJob:
    return ReportJob.objects.get(pk=job_id)


def tasks_settled() -> bool:
    # A worker marks its task row just after the task has ended the job.
    return not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists()


def ask(cast, **options) -> ReportJob:
    # No surrounding transaction: the job and its task row are committed at once.
    options.setdefault("language", "ja")
    return services.request_report(user=cast.users.org_admin, campaign=cast.campaign, **options)


def assert_pdf(job: ReportJob) -> None:
    pdf = job.file.read()
    assert len(PdfReader(io.BytesIO(pdf)).pages) == job.pages


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_job_is_replaced_within_the_lease_and_the_job_is_built(scored, workers):
    slow = workers.start("slow", build_seconds=60)
    job = ask(scored)
    wait_for(lambda: workers.builds() == [(job.pk, slow.pid)], 15, what="the slow build")
    first_task = job_state(job.pk).task_result_id
    assert job_state(job.pk).status == ReportJob.Status.RUNNING
    spare = workers.start("spare")

    slow.send_signal(signal.SIGKILL)
    slow.wait()
    killed = time.monotonic()
    noticed = wait_for(
        lambda: job_state(job.pk).task_result_id != first_task, 15, what="the reaper"
    )
    wait_for(lambda: job_state(job.pk).status == ReportJob.Status.DONE, 30, what="the rebuild")
    wait_for(tasks_settled, 10, what="the task rows")

    # Noticed by the spare worker within the lease plus one reap interval (and some slack
    # for a loaded machine), not 15 minutes later on a page view.
    assert noticed <= LEASE + LEASE / 2 + 3, workers.logs()
    job = job_state(job.pk)
    assert job.attempts == 2 and job.error_code == ""
    assert workers.builds() == [(job.pk, slow.pid), (job.pk, spare.pid)]
    assert_pdf(job)
    lost = DBTaskResult.objects.get(pk=first_task)
    assert (lost.status, lost.exception_class_path) == ("FAILED", leases.LOST_WORKER)
    rebuilt = DBTaskResult.objects.get(pk=job.task_result_id)
    assert (rebuilt.status, rebuilt.worker_ids) == ("SUCCESSFUL", ["spare"])
    assert spare.poll() is None
    print(f"killed -> noticed in {noticed:.2f} s, done {time.monotonic() - killed:.2f} s after")


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_job_whose_two_workers_were_killed_fails_as_interrupted_and_can_be_retried(
    scored, workers
):
    first = workers.start("first", build_seconds=60)
    job = ask(scored)
    wait_for(lambda: len(workers.builds()) == 1, 15, what="the first build")
    second = workers.start("second", build_seconds=60)
    first.kill()
    first.wait()
    wait_for(lambda: len(workers.builds()) == 2, 15, what="the second attempt")
    assert job_state(job.pk).attempts == 2
    # A second identical request meanwhile attaches to the job being built.
    assert ask(scored).pk == job.pk
    third = workers.start("third")
    second.kill()
    second.wait()
    wait_for(lambda: job_state(job.pk).status == ReportJob.Status.FAILED, 15, what="the reaper")

    job = job_state(job.pk)
    assert job.error_code == ReportJob.Error.INTERRUPTED
    assert [pid for _job, pid in workers.builds()] == [first.pid, second.pid]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"FAILED"}
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(scored.users.org_admin)
    body = client.get(f"/api/v1/reports/{job.pk}/").json()
    assert body["error"]["code"] == "interrupted"
    assert "It was tried 2 times" in body["error"]["message"]

    reply = client.post(f"/api/v1/reports/{job.pk}/retry/")
    assert reply.status_code == 202
    wait_for(lambda: job_state(job.pk).status == ReportJob.Status.DONE, 30, what="the retry")
    assert workers.builds()[-1] == (job.pk, third.pid)
    assert job_state(job.pk).attempts == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_on_one_database_build_every_job_exactly_once(scored, workers, settings):
    one = workers.start("one", build_seconds=0.1)
    two = workers.start("two", build_seconds=0.1)
    jobs = []
    for n in range(20):
        job = ReportJob.objects.create(
            organisation=scored.acme,
            campaign=scored.campaign,
            department=(scored.sales, scored.success, None, None)[n % 4],
            kind=ReportJob.Kind.DEPARTMENT if n % 4 < 2 else ReportJob.Kind.CAMPAIGN,
            language=("ja", "en")[n % 2],
            requested_by=scored.users.org_admin,
        )
        job.task_result_id = str(build_report.enqueue(job.pk).id)
        job.save(update_fields=["task_result_id"])
        jobs.append(job.pk)

    wait_for(
        lambda: ReportJob.objects.filter(status=ReportJob.Status.DONE).count() == 20,
        90,
        what="20 jobs done",
    )
    wait_for(tasks_settled, 10, what="the task rows")

    builds = workers.builds()
    assert sorted(job for job, _pid in builds) == sorted(jobs)  # each built once
    assert {pid for _job, pid in builds} == {one.pid, two.pid}  # by both workers
    assert set(ReportJob.objects.values_list("attempts", flat=True)) == {1}
    tasks = DBTaskResult.objects.all()
    assert tasks.count() == 20
    assert {task.status for task in tasks} == {"SUCCESSFUL"}
    assert sorted(len(task.worker_ids) for task in tasks) == [1] * 20
    assert sorted(task.args_kwargs["args"][0] for task in tasks) == sorted(jobs)


def reconnect_this_test() -> None:
    """The restart cut this process's connection too."""
    try:
        connection.close()
    except Exception:  # noqa: BLE001 - it is already gone
        connection.connection = None


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_outlives_a_database_restart_and_builds_the_next_job(scored, workers):
    from devtools.throwaway_postgres import Cluster

    cluster = Cluster.from_env()
    if cluster is None:
        pytest.skip("needs the throwaway cluster (python -m devtools.throwaway_postgres)")
    worker = workers.start("steady")
    before = ask(scored)
    wait_for(lambda: job_state(before.pk).status == ReportJob.Status.DONE, 30, what="first job")

    cluster.restart()
    reconnect_this_test()
    time.sleep(0.5)  # the worker's next polls meet the cut connection
    after = ask(scored, language="en")

    wait_for(lambda: job_state(after.pk).status == ReportJob.Status.DONE, 30, what="next job")
    assert worker.poll() is None  # the same process, never restarted
    assert workers.builds() == [(before.pk, worker.pid), (after.pk, worker.pid)]
    assert_pdf(job_state(after.pk))
    assert "database unavailable" in workers.logs()


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_job_cut_off_by_a_database_restart_mid_build_is_built_again(scored, workers):
    from devtools.throwaway_postgres import Cluster

    cluster = Cluster.from_env()
    if cluster is None:
        pytest.skip("needs the throwaway cluster (python -m devtools.throwaway_postgres)")
    worker = workers.start("steady", build_seconds=2)
    job = ask(scored)
    wait_for(lambda: len(workers.builds()) == 1, 15, what="the build")

    cluster.restart()
    reconnect_this_test()

    wait_for(lambda: job_state(job.pk).status == ReportJob.Status.DONE, 30, what="the rebuild")
    wait_for(tasks_settled, 10, what="the task rows")
    job = job_state(job.pk)
    assert worker.poll() is None
    assert job.attempts == 2
    assert workers.builds() == [(job.pk, worker.pid), (job.pk, worker.pid)]
    assert_pdf(job)
