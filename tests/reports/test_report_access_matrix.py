"""The role × view isolation matrix for PDF reports and handouts, on the web and the API.

Campaign and department reports are for org admins and consultants with access; a
handout is also for managers, who run their team's study sessions. Anonymous users go to
the login page (the API answers 403); a report of another organisation is a 404 (its
existence is not revealed); inside the organisation a user without the right gets a 403.
Refused writes queue nothing, and every API error has the project's shape.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from reports.models import ReportJob
from tests.matrix import api_as, as_role, check, check_api, matrix

pytestmark = pytest.mark.django_db

MANAGERS = {"org_admin": 200, "consultant": 200}
FACILITATORS = {**MANAGERS, "manager": 200, "other_manager": 200}


def with_status(allowed: dict[str, object], status: int) -> dict[str, int]:
    return dict.fromkeys(allowed, status)


def make_job(organisation, *, campaign=None, kind=ReportJob.Kind.CAMPAIGN, **fields):
    job = ReportJob.objects.create(
        organisation=organisation, campaign=campaign, kind=kind, language="ja", **fields
    )
    if job.status == ReportJob.Status.DONE:
        job.file.save("report.pdf", ContentFile(b"%PDF-1.4 matrix"), save=True)
    return job


@pytest.fixture
def jobs(cast, settings, tmp_path):
    """A done and a failed report for each organisation, and a done Acme handout."""
    settings.MEDIA_ROOT = tmp_path / "media"
    done, failed = ReportJob.Status.DONE, ReportJob.Status.FAILED
    return {
        "report": make_job(cast.acme, campaign=cast.campaign, status=done),
        "failed": make_job(
            cast.acme, campaign=cast.campaign, status=failed, error_code=ReportJob.Error.BUILD
        ),
        "handout": make_job(
            cast.acme, kind=ReportJob.Kind.HANDOUT, module_slugs=["ltv-basics"], status=done
        ),
        "globex_report": make_job(cast.globex, campaign=cast.globex_campaign, status=done),
    }


# ------------------------------------------------------------ web: campaign reports


@pytest.mark.parametrize(("role", "expected"), matrix(MANAGERS))
def test_it_shows_a_campaigns_reports_only_to_org_admins_and_consultants(
    client, cast, jobs, role, expected
):
    reply = as_role(client, cast, role).get(
        reverse("reports:campaign-reports", args=[cast.campaign.pk])
    )
    check(reply, expected)


@pytest.mark.parametrize(("role", "expected"), matrix(with_status(MANAGERS, 302)))
def test_it_queues_reports_only_for_org_admins_and_consultants(
    client, cast, jobs, role, expected, django_capture_on_commit_callbacks
):
    before = ReportJob.objects.count()
    url = reverse("reports:campaign-reports", args=[cast.campaign.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reply = as_role(client, cast, role).post(url, {"language": "en"})
    check(reply, expected)
    queued = 1 if expected == 302 else 0
    assert ReportJob.objects.count() == before + queued
    assert len(callbacks) == queued


@pytest.mark.parametrize(("role", "expected"), matrix(with_status(MANAGERS, 302)))
def test_it_retries_only_for_org_admins_and_consultants(client, cast, jobs, role, expected):
    reply = as_role(client, cast, role).post(reverse("reports:retry", args=[jobs["failed"].pk]))
    check(reply, expected)
    jobs["failed"].refresh_from_db()
    assert (jobs["failed"].status == ReportJob.Status.QUEUED) is (expected == 302)


@pytest.mark.parametrize(("role", "expected"), matrix(MANAGERS))
def test_it_lets_only_org_admins_and_consultants_download_a_report(
    client, cast, jobs, role, expected
):
    reply = as_role(client, cast, role).get(reverse("reports:download", args=[jobs["report"].pk]))
    check(reply, expected)
    if expected == 200:
        assert reply["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    ("role", "expected"),
    matrix({"outsider": 200, "consultant_without_access": 200}, inside=()),
)
def test_another_organisations_reports_are_not_found(client, cast, jobs, role, expected):
    client = as_role(client, cast, role)
    check(client.get(reverse("reports:download", args=[jobs["globex_report"].pk])), expected)
    check(client.get(reverse("reports:campaign-reports", args=[cast.globex_campaign.pk])), expected)


# ------------------------------------------------------------ web: handouts


@pytest.mark.parametrize(("role", "expected"), matrix(FACILITATORS))
def test_it_shows_the_handout_page_to_facilitators(client, cast, jobs, role, expected):
    check(
        as_role(client, cast, role).get(reverse("reports:handouts", args=[cast.acme.pk])), expected
    )


@pytest.mark.parametrize(("role", "expected"), matrix(with_status(FACILITATORS, 400)))
def test_it_refuses_handout_requests_to_everyone_else(client, cast, jobs, role, expected):
    # An empty form: facilitators see it again with its error (400); nobody else gets that far.
    reply = as_role(client, cast, role).post(
        reverse("reports:handouts", args=[cast.acme.pk]), {"language": "ja"}
    )
    check(reply, expected)


@pytest.mark.parametrize(("role", "expected"), matrix(FACILITATORS))
def test_it_lets_facilitators_download_a_handout(client, cast, jobs, role, expected):
    reply = as_role(client, cast, role).get(reverse("reports:download", args=[jobs["handout"].pk]))
    check(reply, expected)


# ------------------------------------------------------------ API


@pytest.mark.parametrize(("role", "expected"), matrix(with_status(MANAGERS, 202), anonymous=403))
def test_the_api_queues_reports_only_for_org_admins_and_consultants(
    cast, jobs, role, expected, django_capture_on_commit_callbacks
):
    before = ReportJob.objects.count()
    with django_capture_on_commit_callbacks(execute=False):
        reply = api_as(cast, role).post(
            f"/api/v1/campaigns/{cast.campaign.pk}/reports/", {"language": "ja"}, format="json"
        )
    check_api(reply, expected)
    assert ReportJob.objects.count() == before + (1 if expected == 202 else 0)


@pytest.mark.parametrize(("role", "expected"), matrix(MANAGERS, anonymous=403))
def test_the_api_lists_reports_only_for_org_admins_and_consultants(cast, jobs, role, expected):
    check_api(api_as(cast, role).get(f"/api/v1/campaigns/{cast.campaign.pk}/reports/"), expected)


@pytest.mark.parametrize(("role", "expected"), matrix(MANAGERS, anonymous=403))
def test_the_api_shows_a_reports_status_only_to_org_admins_and_consultants(
    cast, jobs, role, expected
):
    check_api(api_as(cast, role).get(f"/api/v1/reports/{jobs['report'].pk}/"), expected)


@pytest.mark.parametrize(("role", "expected"), matrix(MANAGERS, anonymous=403))
def test_the_api_serves_a_reports_pdf_only_to_org_admins_and_consultants(
    cast, jobs, role, expected
):
    reply = api_as(cast, role).get(f"/api/v1/reports/{jobs['report'].pk}/download/")
    if expected == 200:
        assert reply.status_code == 200
        assert b"".join(reply.streaming_content).startswith(b"%PDF")
    else:
        check_api(reply, expected)


@pytest.mark.parametrize(("role", "expected"), matrix(with_status(MANAGERS, 202), anonymous=403))
def test_the_api_retries_only_for_org_admins_and_consultants(cast, jobs, role, expected):
    check_api(api_as(cast, role).post(f"/api/v1/reports/{jobs['failed'].pk}/retry/"), expected)


@pytest.mark.parametrize(("role", "expected"), matrix(FACILITATORS, anonymous=403))
def test_the_api_shows_a_handout_to_facilitators(cast, jobs, role, expected):
    check_api(api_as(cast, role).get(f"/api/v1/reports/{jobs['handout'].pk}/"), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    matrix({"outsider": 200, "consultant_without_access": 200}, inside=(), anonymous=403),
)
def test_the_api_does_not_reveal_another_organisations_reports(cast, jobs, role, expected):
    client = api_as(cast, role)
    check_api(client.get(f"/api/v1/reports/{jobs['globex_report'].pk}/"), expected)
    check_api(client.get(f"/api/v1/campaigns/{cast.globex_campaign.pk}/reports/"), expected)
    download = client.get(f"/api/v1/reports/{jobs['globex_report'].pk}/download/")
    if expected == 200:
        assert download.status_code == 200
    else:
        check_api(download, expected)


def test_a_missing_report_is_not_found(client, cast):
    client.force_login(cast.users.org_admin)
    assert client.get(reverse("reports:download", args=[999_999])).status_code == 404
    check_api(api_as(cast, "org_admin").get("/api/v1/reports/999999/"), 404)
