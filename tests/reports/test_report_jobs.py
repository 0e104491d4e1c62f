"""PDF report jobs from request to download, through the real task backend.

The suite keeps the settings' backend (django-tasks-db's DatabaseBackend): a request
writes the job row and, once its transaction commits, a task row; ``run_worker`` then runs
the real ``db_worker`` command in-process for one task. pytest-django wraps each test in a
transaction that never commits, so on-commit callbacks are run with
``django_capture_on_commit_callbacks(execute=True)``.
"""

import datetime
import io
import logging
import re
import signal
from contextlib import ExitStack
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader
from rest_framework.test import APIClient

from assessments import services as assessment_services
from assessments.services import AnswerInput
from reports import leases, services
from reports.models import ReportJob, pdf_page_count
from tests.training.conftest import write_module
from training.models import Module
from training.services import import_modules

pytestmark = pytest.mark.django_db

TASK_PATH = "reports.tasks.build_report"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def english(client):
    """Assertions read English messages; Japanese is the default language."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def run_worker() -> None:
    """Run django-tasks-db's worker command for one task, in this process and transaction.

    The worker calls ``close_old_connections()`` around each task, as Django does around a
    request. In-process its connection is the test's own, inside the test's transaction, whose
    autocommit is off, so that call would close it (on PostgreSQL; SQLite's in-memory database
    ignores a close) and end the test. Django's test client skips the same call for requests;
    the worker skips it here for the same reason. Everything else runs as in production.
    """
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        with ExitStack() as keep_open:
            for conn in connections.all(initialized_only=True):
                keep_open.enter_context(mock.patch.object(conn, "close_if_unusable_or_obsolete"))
            call_command(
                "db_worker",
                "--batch",
                "--max-tasks=1",
                "--interval=0",
                "--no-reload",
                "--no-startup-delay",
                verbosity=0,
            )
    finally:
        # The worker installs its own shutdown handlers; give pytest its own back.
        for signum, handler in handlers.items():
            signal.signal(signum, handler)


def answer_all(response, questions, index):
    items = [
        AnswerInput(question_id=q.pk, choice_id=list(q.choices.all())[index].pk)
        for q in questions.values()
        if q.applies_to(response.department.function)
    ]
    assessment_services.save_answers(response=response, items=items)
    assessment_services.submit_response(response=response)


@pytest.fixture
def scored(cast):
    """Acme's campaign with both departments' managers' answers submitted."""
    answer_all(cast.response, cast.questions, 1)
    answer_all(cast.other_response, cast.questions, 2)
    return cast


def request(cast, capture, **options):
    options.setdefault("language", "ja")
    with capture(execute=True):
        job = services.request_report(user=cast.users.org_admin, campaign=cast.campaign, **options)
    job.refresh_from_db()
    return job


def boom(*args, **kwargs):
    raise RuntimeError("the chart could not be drawn")


# ------------------------------------------------------------ lifecycle


def test_it_queues_a_task_row_and_the_worker_builds_the_pdf(
    scored, django_capture_on_commit_callbacks
):
    job = request(scored, django_capture_on_commit_callbacks)
    assert job.status == ReportJob.Status.QUEUED
    assert job.kind == ReportJob.Kind.CAMPAIGN
    assert job.requested_by == scored.users.org_admin
    task_row = DBTaskResult.objects.get(task_path=TASK_PATH)
    assert task_row.status == "READY"
    assert task_row.args_kwargs == {"args": [job.pk], "kwargs": {}}
    assert job.task_result_id == str(task_row.id)

    run_worker()

    job.refresh_from_db()
    task_row.refresh_from_db()
    assert task_row.status == "SUCCESSFUL"
    assert job.status == ReportJob.Status.DONE
    assert job.error_code == "" and job.error_message == ""
    assert job.started_at <= job.finished_at
    pdf = job.file.read()
    assert pdf.startswith(b"%PDF")
    assert job.size == len(pdf)
    assert job.pages == len(PdfReader(io.BytesIO(pdf)).pages)


def test_it_enqueues_nothing_until_the_request_commits(scored, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.request_report(
            user=scored.users.org_admin, campaign=scored.campaign, language="ja"
        )
    assert len(callbacks) == 1
    assert not DBTaskResult.objects.exists()


def test_it_builds_a_department_report_in_english(scored, django_capture_on_commit_callbacks):
    job = request(
        scored, django_capture_on_commit_callbacks, department=scored.sales, language="en"
    )
    assert job.kind == ReportJob.Kind.DEPARTMENT
    run_worker()
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(job.file.read())).pages)
    assert "Sales" in text
    assert job.download_name() == (
        f"levelcheck-report-campaign-{scored.campaign.pk}-department-{scored.sales.pk}-en-{job.pk}.pdf"
    )


def test_a_failing_builder_ends_the_job_failed_with_a_message_for_people(
    scored, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    monkeypatch.setattr("reports.tasks.build_campaign_report", boom)
    job = request(scored, django_capture_on_commit_callbacks)
    with caplog.at_level(logging.ERROR, logger="reports.tasks"):
        run_worker()
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert job.error_code == ReportJob.Error.BUILD
    assert job.started_at and job.finished_at
    assert not job.file
    assert "The PDF could not be built" in job.error_message
    assert "the chart could not be drawn" in job.error_message
    assert "Try again" in job.error_message
    # The traceback goes to the log for whoever keeps the server.
    assert any(r.exc_info and "Report job" in r.getMessage() for r in caplog.records)


def test_a_failed_job_can_be_retried_to_done(
    scored, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr("reports.tasks.build_campaign_report", boom)
    job = request(scored, django_capture_on_commit_callbacks)
    run_worker()
    monkeypatch.undo()

    with django_capture_on_commit_callbacks(execute=True):
        services.retry(job)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.QUEUED
    assert job.error_code == "" and job.started_at is None
    assert DBTaskResult.objects.filter(task_path=TASK_PATH).count() == 2

    run_worker()
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    assert job.file.read().startswith(b"%PDF")
    assert ReportJob.objects.count() == 1  # retried on the same row


def test_it_retries_only_failed_jobs(scored, django_capture_on_commit_callbacks):
    job = request(scored, django_capture_on_commit_callbacks)
    with pytest.raises(services.ReportError) as error:
        services.retry(job)
    assert error.value.code == "not_failed" and error.value.status == 409


def test_it_never_leaves_a_job_running_when_the_worker_is_stopped_hard(
    scored, django_capture_on_commit_callbacks, monkeypatch
):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("reports.tasks.build_campaign_report", interrupted)
    job = request(scored, django_capture_on_commit_callbacks)
    run_worker()
    job.refresh_from_db()
    # Handed on to the next worker once, on a new task row...
    assert (job.status, job.attempts) == (ReportJob.Status.QUEUED, 1)
    assert job.task_result_id == str(DBTaskResult.objects.get(status="READY").pk)
    run_worker()
    job.refresh_from_db()
    # ... and failed as interrupted when that attempt is stopped too.
    assert (job.status, job.attempts) == (ReportJob.Status.FAILED, 2)
    assert job.error_code == ReportJob.Error.INTERRUPTED
    assert "tried 2 times" in job.error_message
    assert not DBTaskResult.objects.exclude(status="FAILED").exists()


def stalled_job(cast, *, attempts=2, kind=ReportJob.Kind.CAMPAIGN) -> ReportJob:
    """A job its worker stopped building an hour ago (no heartbeat since)."""
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    return ReportJob.objects.create(
        organisation=cast.acme,
        campaign=cast.campaign,
        kind=kind,
        module_slugs=["onboarding"] if kind == ReportJob.Kind.HANDOUT else [],
        language="ja",
        requested_by=cast.users.org_admin,
        status=ReportJob.Status.RUNNING,
        attempts=attempts,
        started_at=an_hour_ago,
        heartbeat_at=an_hour_ago,
    )


def writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))
    ]


def test_a_get_shows_a_job_whose_worker_died_as_stalled_and_writes_nothing(client, scored):
    job = stalled_job(scored)
    client.force_login(scored.users.org_admin)
    admin_api = api(scored.users.org_admin)

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("reports:campaign-reports", args=[scored.campaign.pk]))
        poll = admin_api.get(f"/api/v1/reports/{job.pk}/")
        listed = admin_api.get(f"/api/v1/campaigns/{scored.campaign.pk}/reports/")
        download = admin_api.get(f"/api/v1/reports/{job.pk}/download/")

    assert writes(queries.captured_queries) == []
    job.refresh_from_db()
    assert job.status == ReportJob.Status.RUNNING
    html = page.content.decode()
    assert re.search(r'class="status status-in_progress">Stalled</span>', html), html
    assert 'http-equiv="refresh"' in html  # still pending: the page follows what happens next
    assert (poll.json()["status"], poll.json()["stalled"]) == ("running", True)
    assert [(j["id"], j["stalled"]) for j in listed.json()] == [(job.pk, True)]
    assert download.status_code == 409
    assert download.json()["error"]["message"] == "The PDF is not ready: the report is Stalled."


def test_a_running_job_whose_lease_holds_is_not_stalled(client, scored):
    job = stalled_job(scored)
    ReportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    client.force_login(scored.users.org_admin)
    page = client.get(reverse("reports:campaign-reports", args=[scored.campaign.pk]))
    assert ">Generating</span>" in page.content.decode()
    assert api(scored.users.org_admin).get(f"/api/v1/reports/{job.pk}/").json()["stalled"] is False


def test_the_handout_page_shows_a_stalled_handout_without_writing(client, scored):
    stalled_job(scored, kind=ReportJob.Kind.HANDOUT)
    client.force_login(scored.users.org_admin)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("reports:handouts", args=[scored.acme.pk]))
    assert writes(queries.captured_queries) == []
    assert ">Stalled</span>" in page.content.decode()
    japanese = client.get(
        reverse("reports:handouts", args=[scored.acme.pk]), HTTP_ACCEPT_LANGUAGE="ja"
    )
    assert ">停止中</span>" in japanese.content.decode()


def test_the_reaper_not_the_get_fails_the_stalled_job(client, scored):
    job = stalled_job(scored, attempts=2)
    client.force_login(scored.users.org_admin)
    client.get(reverse("reports:campaign-reports", args=[scored.campaign.pk]))
    assert ReportJob.objects.get(pk=job.pk).status == ReportJob.Status.RUNNING

    assert leases.reap().failed == 1

    job.refresh_from_db()
    assert (job.status, job.error_code) == (ReportJob.Status.FAILED, ReportJob.Error.INTERRUPTED)
    body = api(scored.users.org_admin).get(f"/api/v1/reports/{job.pk}/").json()
    assert (body["status"], body["stalled"], body["error"]["code"]) == (
        "failed",
        False,
        "interrupted",
    )
    page = client.get(reverse("reports:campaign-reports", args=[scored.campaign.pk]))
    assert ">Failed</span>" in page.content.decode()


def test_a_second_identical_request_returns_the_pending_job(
    scored, django_capture_on_commit_callbacks
):
    first = request(scored, django_capture_on_commit_callbacks)
    again = request(scored, django_capture_on_commit_callbacks)
    other = request(scored, django_capture_on_commit_callbacks, language="en")
    assert again.pk == first.pk
    assert other.pk != first.pk
    assert DBTaskResult.objects.count() == 2


def test_it_refuses_a_department_outside_the_campaign(cast):
    with pytest.raises(services.ReportError) as error:
        services.request_report(
            user=cast.users.org_admin,
            campaign=cast.campaign,
            department=cast.globex_sales,
            language="ja",
        )
    assert error.value.code == "invalid_department"
    assert not ReportJob.objects.exists()


def test_it_refuses_a_language_it_does_not_speak(cast):
    with pytest.raises(services.ReportError) as error:
        services.request_report(user=cast.users.org_admin, campaign=cast.campaign, language="fr")
    assert error.value.field == "language"


def test_the_page_count_is_read_without_a_pdf_parser():
    assert pdf_page_count(b"%PDF-1.4 << /Type /Pages /Count 2 >> /Type /Page /Type/Page") == 2
    assert pdf_page_count(b"not a pdf") is None


# ------------------------------------------------------------ handouts


@pytest.fixture
def modules(db, tmp_path):
    write_module(tmp_path)
    write_module(tmp_path, slug="churn-basics")
    import_modules(directory=tmp_path)
    return list(Module.objects.order_by("slug"))


def test_it_builds_a_handout_for_the_modules_picked(
    cast, modules, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.request_handout(
            user=cast.users.manager, organisation=cast.acme, modules=modules, language="en"
        )
    assert job.kind == ReportJob.Kind.HANDOUT
    assert job.module_slugs == ["churn-basics", "ltv-basics"]
    run_worker()
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    assert job.file.read().startswith(b"%PDF")


def test_a_handout_whose_module_was_removed_fails_clearly(
    cast, modules, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.request_handout(
            user=cast.users.manager, organisation=cast.acme, modules=modules, language="ja"
        )
    Module.objects.filter(slug="churn-basics").delete()
    run_worker()
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert job.error_code == ReportJob.Error.MISSING_MODULES
    assert "churn-basics" in job.error_message


def test_a_second_identical_handout_request_returns_the_pending_job(cast, modules):
    first = services.request_handout(
        user=cast.users.manager, organisation=cast.acme, modules=modules, language="ja"
    )
    again = services.request_handout(
        user=cast.users.org_admin, organisation=cast.acme, modules=modules, language="ja"
    )
    fewer = services.request_handout(
        user=cast.users.manager, organisation=cast.acme, modules=modules[:1], language="ja"
    )
    assert again.pk == first.pk
    assert fewer.pk != first.pk


@pytest.mark.parametrize(
    ("edition", "keyed"),
    [(ReportJob.Edition.FACILITATOR, True), (ReportJob.Edition.PARTICIPANT, False)],
)
def test_the_handout_page_queues_the_edition_picked(
    client, cast, tmp_path, django_capture_on_commit_callbacks, edition, keyed
):
    body = "\n## 導入\n本文。\n\n## 演習\n問い。\n\n::: facilitator\n答え合わせ：KEY-7731\n:::\n"
    write_module(tmp_path, ja_body=body, en_body=body)
    import_modules(directory=tmp_path)
    client.force_login(cast.users.manager)
    url = reverse("reports:handouts", args=[cast.acme.pk])
    form = client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "進行役用" in form and "参加者用" in form  # the choice is on the form
    module = Module.objects.get(slug="ltv-basics")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"modules": [module.pk], "language": "ja", "edition": edition})
    assert response.status_code == 302
    job = ReportJob.objects.get(kind=ReportJob.Kind.HANDOUT)
    assert job.edition == edition
    run_worker()
    job.refresh_from_db()
    text = "".join(page.extract_text() for page in PdfReader(job.file).pages)
    assert ("KEY-7731" in text) == keyed
    listed = client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert ("進行役用" if keyed else "参加者用") in listed.split("<tbody>")[1]


def test_a_handout_edition_must_be_one_of_the_two(client, cast, modules):
    client.force_login(cast.users.manager)
    response = client.post(
        reverse("reports:handouts", args=[cast.acme.pk]),
        {"modules": [modules[0].pk], "language": "ja", "edition": "answers"},
    )
    assert response.status_code == 400
    assert not ReportJob.objects.exists()
    with pytest.raises(services.ReportError) as error:
        services.request_handout(
            user=cast.users.manager,
            organisation=cast.acme,
            modules=modules,
            language="ja",
            edition="answers",
        )
    assert error.value.code == "bad_edition"


def test_the_two_editions_are_two_jobs(cast, modules):
    first = services.request_handout(
        user=cast.users.manager, organisation=cast.acme, modules=modules, language="ja"
    )
    other = services.request_handout(
        user=cast.users.manager,
        organisation=cast.acme,
        modules=modules,
        language="ja",
        edition=ReportJob.Edition.PARTICIPANT,
    )
    assert first.edition == ReportJob.Edition.FACILITATOR and other.pk != first.pk


def test_a_handout_needs_a_module(cast):
    with pytest.raises(services.ReportError) as error:
        services.request_handout(
            user=cast.users.manager, organisation=cast.acme, modules=[], language="ja"
        )
    assert error.value.code == "no_modules"


# ------------------------------------------------------------ web pages


def test_the_form_queues_a_report_and_the_page_refreshes_until_it_is_done(
    client, scored, django_capture_on_commit_callbacks
):
    client.force_login(scored.users.consultant)
    url = reverse("reports:campaign-reports", args=[scored.campaign.pk])
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(url, {"department": scored.success.pk, "language": "en"})
    assert reply.status_code == 302 and reply["Location"] == url
    job = ReportJob.objects.get()
    assert (job.department, job.language, job.status) == (scored.success, "en", "queued")

    page = client.get(url).content.decode()
    assert 'http-equiv="refresh"' in page
    assert "Customer Success" in page

    run_worker()
    page = client.get(url).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert reverse("reports:download", args=[job.pk]) in page


def test_earlier_reports_stay_listed(client, scored, django_capture_on_commit_callbacks):
    first = request(scored, django_capture_on_commit_callbacks)
    run_worker()
    second = request(scored, django_capture_on_commit_callbacks)
    run_worker()
    client.force_login(scored.users.org_admin)
    page = client.get(reverse("reports:campaign-reports", args=[scored.campaign.pk]))
    assert [job.pk for job in page.context["jobs"]] == [second.pk, first.pk]
    for job in (first, second):
        assert reverse("reports:download", args=[job.pk]) in page.content.decode()


def test_an_invalid_form_is_shown_again_with_its_error(client, cast):
    client.force_login(cast.users.org_admin)
    url = reverse("reports:campaign-reports", args=[cast.campaign.pk])
    reply = client.post(url, {"language": "fr"})
    assert reply.status_code == 400
    assert reply.context["form"].errors["language"]
    assert not ReportJob.objects.exists()


def test_the_form_offers_only_the_campaigns_departments(client, cast):
    client.force_login(cast.users.org_admin)
    url = reverse("reports:campaign-reports", args=[cast.campaign.pk])
    reply = client.post(url, {"department": cast.globex_sales.pk, "language": "ja"})
    assert reply.status_code == 400
    assert not ReportJob.objects.exists()


def test_the_download_is_an_attached_pdf(client, scored, django_capture_on_commit_callbacks):
    job = request(scored, django_capture_on_commit_callbacks)
    run_worker()
    client.force_login(scored.users.org_admin)
    reply = client.get(reverse("reports:download", args=[job.pk]))
    assert reply.status_code == 200
    assert reply["Content-Type"] == "application/pdf"
    assert reply["Content-Disposition"] == f'attachment; filename="{job.download_name()}"'
    assert "no-store" in reply["Cache-Control"]
    assert b"".join(reply.streaming_content).startswith(b"%PDF")


def test_a_report_that_is_not_ready_cannot_be_downloaded(
    client, scored, django_capture_on_commit_callbacks
):
    job = request(scored, django_capture_on_commit_callbacks)
    client.force_login(scored.users.org_admin)
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404


def test_pdfs_are_not_served_from_a_media_url(client, scored, django_capture_on_commit_callbacks):
    job = request(scored, django_capture_on_commit_callbacks)
    run_worker()
    job.refresh_from_db()
    client.force_login(scored.users.org_admin)
    assert client.get("/media/" + job.file.name).status_code == 404


def test_the_retry_button_queues_the_job_again(
    client, scored, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr("reports.tasks.build_campaign_report", boom)
    job = request(scored, django_capture_on_commit_callbacks)
    run_worker()
    client.force_login(scored.users.org_admin)
    page = client.get(reverse("reports:campaign-reports", args=[scored.campaign.pk]))
    assert "the chart could not be drawn" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(reverse("reports:retry", args=[job.pk]))
    assert reply["Location"] == reverse("reports:campaign-reports", args=[scored.campaign.pk])
    job.refresh_from_db()
    assert job.status == ReportJob.Status.QUEUED


def test_the_handout_page_queues_the_modules_picked(
    client, cast, modules, django_capture_on_commit_callbacks
):
    client.force_login(cast.users.manager)
    url = reverse("reports:handouts", args=[cast.acme.pk])
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(url, {"modules": [m.pk for m in modules], "language": "ja"})
    assert reply.status_code == 302
    run_worker()
    page = client.get(url).content.decode()
    job = ReportJob.objects.get()
    assert job.status == ReportJob.Status.DONE
    assert reverse("reports:download", args=[job.pk]) in page
    assert modules[0].title in page


def test_the_handout_page_needs_a_module(client, cast, modules):
    client.force_login(cast.users.manager)
    reply = client.post(reverse("reports:handouts", args=[cast.acme.pk]), {"language": "ja"})
    assert reply.status_code == 400
    assert not ReportJob.objects.exists()


@pytest.mark.parametrize(
    ("template", "args"),
    [
        ("results:campaign", lambda c: [c.campaign.pk]),
        ("results:department", lambda c: [c.campaign.pk, c.sales.pk]),
        ("assessments:campaign-detail", lambda c: [c.campaign.pk]),
    ],
)
def test_the_campaign_pages_link_to_the_reports(client, scored, template, args):
    client.force_login(scored.users.org_admin)
    page = client.get(reverse(template, args=args(scored))).content.decode()
    assert reverse("reports:campaign-reports", args=[scored.campaign.pk]) in page


def test_a_manager_sees_no_report_link(client, scored):
    client.force_login(scored.users.manager)
    page = client.get(
        reverse("results:department", args=[scored.campaign.pk, scored.sales.pk])
    ).content.decode()
    assert reverse("reports:campaign-reports", args=[scored.campaign.pk]) not in page


# ------------------------------------------------------------ API


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_api_accepts_a_request_and_is_polled_until_done(
    scored, django_capture_on_commit_callbacks
):
    client = api(scored.users.org_admin)
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(
            f"/api/v1/campaigns/{scored.campaign.pk}/reports/",
            {"department": scored.sales.pk, "language": "en"},
            format="json",
        )
    assert reply.status_code == 202
    body = reply.json()
    assert body["status"] == "queued" and body["download_url"] is None
    assert body["kind"] == "department" and body["department"] == scored.sales.pk

    run_worker()
    body = client.get(body["url"]).json()
    assert body["status"] == "done"
    assert body["size"] > 0 and body["error"] is None
    download = client.get(body["download_url"], HTTP_ACCEPT="application/pdf")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_api_lists_a_campaigns_reports(scored, django_capture_on_commit_callbacks):
    job = request(scored, django_capture_on_commit_callbacks)
    body = api(scored.users.consultant).get(f"/api/v1/campaigns/{scored.campaign.pk}/reports/")
    assert [item["id"] for item in body.json()] == [job.pk]


def test_the_api_answers_409_while_the_pdf_is_not_ready(scored, django_capture_on_commit_callbacks):
    job = request(scored, django_capture_on_commit_callbacks)
    reply = api(scored.users.org_admin).get(f"/api/v1/reports/{job.pk}/download/")
    assert reply.status_code == 409
    assert reply.json()["error"]["code"] == "not_ready"


def test_the_api_reports_a_failure_and_retries_it(
    scored, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr("reports.tasks.build_campaign_report", boom)
    job = request(scored, django_capture_on_commit_callbacks)
    run_worker()
    monkeypatch.undo()
    client = api(scored.users.org_admin)
    body = client.get(f"/api/v1/reports/{job.pk}/").json()
    assert body["status"] == "failed"
    assert body["error"]["code"] == "build"
    assert "the chart could not be drawn" in body["error"]["message"]
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(f"/api/v1/reports/{job.pk}/retry/")
    assert reply.status_code == 202 and reply.json()["status"] == "queued"
    run_worker()
    assert client.get(f"/api/v1/reports/{job.pk}/").json()["status"] == "done"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"language": "fr"}, "language"),
        ({}, "language"),
        ({"department": "x", "language": "ja"}, "department"),
    ],
)
def test_the_api_refuses_bad_input(cast, payload, field):
    reply = api(cast.users.org_admin).post(
        f"/api/v1/campaigns/{cast.campaign.pk}/reports/", payload, format="json"
    )
    assert reply.status_code == 400
    error = reply.json()["error"]
    assert error["code"] == "invalid" and field in error["fields"]
    assert not ReportJob.objects.exists()


def test_the_api_refuses_another_organisations_department(cast):
    reply = api(cast.users.org_admin).post(
        f"/api/v1/campaigns/{cast.campaign.pk}/reports/",
        {"department": cast.globex_sales.pk, "language": "ja"},
        format="json",
    )
    assert reply.status_code == 400
    assert reply.json()["error"]["code"] == "invalid_department"
    assert not ReportJob.objects.exists()
