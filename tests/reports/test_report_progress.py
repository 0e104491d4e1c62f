"""Progress while a report builds: the worker records the stage and the pages laid out
(throttled, fenced by its task), the job's JSON and the reports page show it ("Scoring…",
"Laying out: page 12", "Done: 28 pages") in a live region, and ``render_report`` draws a
progress bar on a terminal only."""

import io
import time
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from reports import services, tasks
from reports.models import ReportJob
from tests.matrix import api_as, check_api, matrix
from tests.reports.test_report_jobs import answer_all, run_worker

pytestmark = pytest.mark.django_db

MANAGERS = {"org_admin": 200, "consultant": 200}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def scored(cast):
    """Acme's campaign with both departments' managers' answers submitted."""
    answer_all(cast.response, cast.questions, 1)
    answer_all(cast.other_response, cast.questions, 2)
    return cast


def running_job(organisation, campaign, **fields) -> ReportJob:
    defaults = {
        "status": ReportJob.Status.RUNNING,
        "task_result_id": "task-1",
        "started_at": timezone.now(),
        "heartbeat_at": timezone.now(),
        "attempts": 1,
    }
    return ReportJob.objects.create(
        organisation=organisation,
        campaign=campaign,
        kind=ReportJob.Kind.CAMPAIGN,
        language="ja",
        **{**defaults, **fields},
    )


# ------------------------------------------------------------ the worker


def test_the_worker_records_the_stage_and_pages_while_it_builds(
    scored, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.request_report(
            user=scored.users.org_admin, campaign=scored.campaign, language="en"
        )
    seen = []  # the job row as a page would read it right after each progress write
    calls = []  # every call the real builder makes to the callback
    written_at = []
    record = services.record_progress
    real_call = tasks.Progress.__call__

    def spy_record(**kwargs):
        recorded = record(**kwargs)
        row = ReportJob.objects.get(pk=job.pk)
        seen.append((row.status, row.stage, row.pages_done, row.pages_total, row.progress_text))
        written_at.append((kwargs["stage"], time.monotonic()))
        return recorded

    def spy_call(self, stage, done, total=None):
        calls.append((stage, done, total))
        return real_call(self, stage, done, total)

    with (
        mock.patch.object(tasks, "record_progress", spy_record),
        mock.patch.object(tasks.Progress, "__call__", spy_call),
        translation.override("en"),
    ):
        run_worker()

    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    pages = len(PdfReader(job.file.open("rb")).pages)
    assert job.pages == pages and pages > 3
    # The real builder: "data" once, "layout" after every page of every pass, "done" last.
    assert calls[0] == ("data", 1, 1)
    assert calls[-1] == ("done", pages, pages)
    layout = [c for c in calls if c[0] == "layout"]
    first_pass = [c for c in layout if c[2] is None]  # before any pass counted the pages
    assert first_pass == [("layout", n, None) for n in range(1, len(first_pass) + 1)]
    assert layout[: len(first_pass)] == first_pass and len(first_pass) >= pages - 1
    assert ("layout", pages, pages) in layout
    # Written while running: scoring (no page yet), a first layout page without a total, the
    # final count; a new stage is written at once, pages within a stage only 4 times a second.
    assert seen[0] == ("running", "data", 0, None, "Scoring…")
    assert seen[1] == ("running", "layout", 1, None, "Laying out: page 1")
    assert seen[-1] == ("running", "done", pages, pages, f"Done: {pages} pages")
    for (stage, at), (next_stage, next_at) in zip(written_at, written_at[1:], strict=False):
        assert next_stage != stage or next_at - at >= 0.25, (stage, next_at - at)
    assert job.stage == ReportJob.Stage.DONE and job.pages_done == pages


def test_a_new_claim_starts_at_scoring(scored, django_capture_on_commit_callbacks):
    # A job taken back after a lost lease kept its dead attempt's progress: a new claim starts
    # over at "data" (seen from inside the build, before the builder reports anything).
    with django_capture_on_commit_callbacks(execute=True):
        job = services.request_report(
            user=scored.users.org_admin, campaign=scored.campaign, language="ja"
        )
    ReportJob.objects.filter(pk=job.pk).update(stage="layout", pages_done=9, pages_total=12)
    at_start = {}

    def build(job, progress):
        row = ReportJob.objects.get(pk=job.pk)
        at_start.update(stage=row.stage, done=row.pages_done, total=row.pages_total)
        return b"%PDF-1.4 /Type /Page"

    with mock.patch.object(tasks, "_build", build):
        run_worker()
    assert at_start == {"stage": "data", "done": 0, "total": None}


class Clock:
    def __init__(self, *times):
        self.times = iter(times)

    def __call__(self):
        return next(self.times)


def test_pages_within_a_stage_are_written_at_most_every_quarter_second(cast):
    job = running_job(cast.acme, cast.campaign)
    written = []

    def record(**kwargs):
        written.append((kwargs["stage"], kwargs["done"]))
        return True

    progress = tasks.Progress(job.pk, "task-1", clock=Clock(0.0, 0.1, 0.2, 0.4, 0.5, 0.55))
    with mock.patch.object(tasks, "record_progress", record):
        progress("data", 1, 1)  # t=0.00: a new stage
        progress("layout", 1, None)  # 0.10: a new stage
        progress("layout", 2, None)  # 0.20: 0.10 s after the last write: skipped
        progress("layout", 3, None)  # 0.40: 0.30 s after: written
        progress("layout", 4, None)  # 0.50: 0.10 s after: skipped
        progress("done", 4, 4)  # 0.55: a new stage, written at once
    assert written == [("data", 1), ("layout", 1), ("layout", 3), ("done", 4)]
    assert progress.writes == 4


def test_it_stops_writing_once_the_job_is_no_longer_its_own(cast):
    job = running_job(cast.acme, cast.campaign, task_result_id="task-2")  # taken back
    progress = tasks.Progress(job.pk, "task-1", every=0)
    progress("layout", 5, None)
    progress("layout", 6, None)
    job.refresh_from_db()
    assert (job.stage, job.pages_done) == ("", 0)
    assert progress.lost and progress.writes == 1


def test_record_progress_is_fenced_by_the_task_and_the_status(cast):
    job = running_job(cast.acme, cast.campaign)
    assert services.record_progress(
        job_id=job.pk, task_id="task-1", stage="layout", done=12, total=28
    )
    job.refresh_from_db()
    assert (job.stage, job.pages_done, job.pages_total) == ("layout", 12, 28)
    assert not services.record_progress(
        job_id=job.pk, task_id="other", stage="layout", done=13, total=28
    )
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.FAILED)
    assert not services.record_progress(
        job_id=job.pk, task_id="task-1", stage="done", done=28, total=28
    )
    job.refresh_from_db()
    assert (job.stage, job.pages_done) == ("layout", 12)
    with pytest.raises(ValueError):
        services.record_progress(job_id=job.pk, task_id="task-1", stage="nap", done=0, total=None)


def test_a_retry_clears_the_progress(cast):
    job = running_job(
        cast.acme, cast.campaign, status=ReportJob.Status.FAILED, stage="layout", pages_done=7
    )
    with mock.patch.object(services, "_enqueue"):
        services.retry(job)
    job.refresh_from_db()
    assert (job.status, job.stage, job.pages_done, job.pages_total) == ("queued", "", 0, None)


# ------------------------------------------------------------ the words


@pytest.mark.parametrize(
    ("fields", "en", "ja"),
    [
        ({"stage": "data"}, "Scoring…", "採点中…"),
        ({"stage": "layout", "pages_done": 12}, "Laying out: page 12", "レイアウト中: 12ページ目"),
        (
            {"stage": "layout", "pages_done": 12, "pages_total": 28},
            "Laying out: page 12 of 28",
            "レイアウト中: 12 / 28ページ",
        ),
        (
            {"stage": "done", "pages_done": 28, "pages_total": 28},
            "Done: 28 pages",
            "完了: 28ページ",
        ),
        ({"stage": "done", "pages_done": 1, "pages_total": 1}, "Done: 1 page", "完了: 1ページ"),
        ({"status": "done", "pages": 28}, "Done: 28 pages", "完了: 28ページ"),
        ({"stage": ""}, "", ""),  # a handout: no progress reported
        ({"status": "queued", "stage": "layout", "pages_done": 3}, "", ""),
        ({"status": "failed", "stage": "layout", "pages_done": 3}, "", ""),
    ],
)
def test_the_progress_reads_in_japanese_and_english(fields, en, ja):
    job = ReportJob(**{"status": ReportJob.Status.RUNNING, **fields})
    with translation.override("en"):
        assert job.progress_text == en
    with translation.override("ja"):
        assert job.progress_text == ja


def test_a_stalled_job_shows_no_progress():
    job = ReportJob(status=ReportJob.Status.RUNNING, stage="layout", pages_done=3, pages_total=9)
    assert job.progress_known
    job.lease_expired = True
    assert job.progress_text == "" and not job.progress_known


# ------------------------------------------------------------ the JSON


def test_the_jobs_json_carries_the_progress(cast, django_assert_max_num_queries):
    job = running_job(cast.acme, cast.campaign, stage="layout", pages_done=12, pages_total=28)
    client = api_as(cast, "org_admin", HTTP_ACCEPT_LANGUAGE="en")
    # The session and its user, the job with its lease state, the reader's standing.
    with django_assert_max_num_queries(5):
        reply = client.get(reverse("api-report", args=[job.pk]))
    assert reply.status_code == 200
    body = reply.json()
    assert body["status"] == "running" and body["stalled"] is False
    assert body["progress"] == {
        "stage": "layout",
        "pages_done": 12,
        "pages_total": 28,
        "text": "Laying out: page 12 of 28",
    }
    japanese = api_as(cast, "org_admin", HTTP_ACCEPT_LANGUAGE="ja").get(
        reverse("api-report", args=[job.pk])
    )
    assert japanese.json()["progress"]["text"] == "レイアウト中: 12 / 28ページ"


def test_the_campaigns_job_list_carries_each_jobs_progress(cast):
    running_job(cast.acme, cast.campaign, stage="data")
    running_job(cast.acme, cast.campaign, stage="done", pages_done=28, pages_total=28)
    client = api_as(cast, "consultant", HTTP_ACCEPT_LANGUAGE="en")
    reply = client.get(reverse("api-campaign-reports", args=[cast.campaign.pk]))
    texts = sorted(job["progress"]["text"] for job in reply.json())
    assert texts == ["Done: 28 pages", "Scoring…"]


@pytest.mark.parametrize(("role", "expected"), matrix(MANAGERS, anonymous=403))
def test_only_org_admins_and_consultants_read_a_reports_progress(cast, role, expected):
    job = running_job(cast.acme, cast.campaign, stage="layout", pages_done=2)
    reply = api_as(cast, role).get(reverse("api-report", args=[job.pk]))
    check_api(reply, expected)
    if expected == 200:
        assert reply.json()["progress"]["pages_done"] == 2


@pytest.mark.parametrize(
    ("role", "expected"),
    matrix({"outsider": 200, "consultant_without_access": 200}, inside=(), anonymous=403),
)
def test_another_organisations_progress_is_not_found(cast, role, expected):
    job = running_job(cast.globex, cast.globex_campaign, stage="layout", pages_done=2)
    check_api(api_as(cast, role).get(reverse("api-report", args=[job.pk])), expected)


# ------------------------------------------------------------ the page


def test_the_page_shows_a_running_jobs_progress_in_a_live_region(client, cast):
    job = running_job(cast.acme, cast.campaign, stage="layout", pages_done=12, pages_total=28)
    client.force_login(cast.users.org_admin)
    html = client.get(
        reverse("reports:campaign-reports", args=[cast.campaign.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    region = html[html.index(f'id="job-{job.pk}-progress"') :]
    region = region[: region.index("</div>\n", region.index("<noscript>"))]
    assert 'role="status" aria-live="polite"' in region
    assert f'data-progress-url="/api/v1/reports/{job.pk}/"' in region
    assert 'data-status="running"' in region
    assert "Laying out: page 12 of 28" in region
    assert "<progress data-progress-bar" in region and 'max="28" value="12"' in region
    assert " hidden>" not in region
    # Polled by the page's own script; without it the page refreshes itself.
    assert 'src="/static/js/report_progress.js" defer' in html
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html
    assert "<script>" not in html  # no inline script (CSP script-src 'self')


def test_the_bar_waits_for_the_page_count_and_speaks_japanese(client, cast):
    job = running_job(cast.acme, cast.campaign, stage="layout", pages_done=5)
    client.force_login(cast.users.org_admin)
    html = client.get(reverse("reports:campaign-reports", args=[cast.campaign.pk])).content
    html = html.decode()
    assert "レイアウト中: 5ページ目" in html
    assert 'max="1" value="5" aria-label="レイアウト済みのページ" hidden>' in html
    assert f'id="job-{job.pk}-progress"' in html


def test_a_finished_page_neither_polls_nor_refreshes(client, cast):
    ReportJob.objects.create(
        organisation=cast.acme,
        campaign=cast.campaign,
        kind=ReportJob.Kind.CAMPAIGN,
        language="ja",
        status=ReportJob.Status.FAILED,
    )
    client.force_login(cast.users.org_admin)
    html = client.get(reverse("reports:campaign-reports", args=[cast.campaign.pk])).content
    assert b"report_progress.js" not in html
    assert b"http-equiv" not in html
    assert b"data-progress-url" not in html


def test_the_page_reads_the_same_queries_for_one_job_or_six(
    client, cast, django_assert_num_queries
):
    url = reverse("reports:campaign-reports", args=[cast.campaign.pk])
    client.force_login(cast.users.org_admin)
    running_job(cast.acme, cast.campaign, stage="layout", pages_done=1)
    client.get(url)  # warm (session, content types)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for pages in range(5):
        running_job(cast.acme, cast.campaign, stage="layout", pages_done=pages)
    with django_assert_num_queries(len(one)):
        client.get(url)


# ------------------------------------------------------------ the command line


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def render(scored, tmp_path, *options, stderr):
    out = tmp_path / "report.pdf"
    stdout = io.StringIO()
    call_command(
        "render_report",
        str(scored.campaign.pk),
        "-o",
        str(out),
        *options,
        stdout=stdout,
        stderr=stderr,
        no_color=True,
    )
    return stdout.getvalue(), len(PdfReader(out.open("rb")).pages)


def test_the_command_draws_a_progress_bar_on_a_terminal(scored, tmp_path):
    stderr = FakeTTY()
    stdout, pages = render(scored, tmp_path, "--lang", "en", stderr=stderr)
    drawn = stderr.getvalue()
    frames = drawn.split("\r")[1:]
    assert frames[0] == "Scoring…"
    assert frames[1] == "Scoring…"  # the builder's own "data", once scored
    assert frames[2].rstrip() == "Laying out: page 1"
    # The second pass knows the count: a 30-character bar, full on the last page.
    assert frames[-2].rstrip() == f"Laying out [{'#' * 30}] page {pages} of {pages}"
    assert frames[-1] == f"Done: {pages} pages".ljust(len(frames[-2])) + "\n"
    assert stdout.startswith("Wrote ")


def test_the_command_is_silent_off_a_terminal_and_with_quiet(scored, tmp_path):
    stderr = io.StringIO()
    stdout, _pages = render(scored, tmp_path, stderr=stderr)
    assert stderr.getvalue() == "" and stdout.startswith("Wrote ")
    tty = FakeTTY()
    stdout, _pages = render(scored, tmp_path, "--quiet", stderr=tty)
    assert tty.getvalue() == "" and stdout == ""


def test_the_command_writes_one_line_per_stage_for_logs(scored, tmp_path):
    stderr = io.StringIO()
    _stdout, pages = render(scored, tmp_path, "-v", "2", stderr=stderr)
    assert stderr.getvalue() == f"Scoring…\nLaying out…\nDone: {pages} pages\n"
