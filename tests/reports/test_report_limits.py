"""At most REPORT_JOBS_PENDING_PER_USER report jobs queued or being built per person: the
service refuses the next one, the API answers 429 in the project's error shape, the pages
show the refusal on the form; in Japanese and English."""

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from reports import services
from reports.models import ReportJob
from tests.reports.test_report_jobs import modules  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

LIMIT_EN = "You already have 5 reports waiting or being generated."
LIMIT_JA = "作成待ちまたは作成中のレポートがすでに 5 件あります。"


def pending(cast, user, count, *, status=ReportJob.Status.QUEUED):
    """``count`` different jobs that ``user`` asked for and that are not finished."""
    for n in range(count):
        ReportJob.objects.create(
            organisation=cast.acme,
            kind=ReportJob.Kind.HANDOUT,
            language="ja",
            module_slugs=[f"module-{n}"],
            status=status,
            requested_by=user,
        )


def ask(cast, user=None, **options):
    options.setdefault("language", "ja")
    return services.request_report(
        user=user or cast.users.org_admin, campaign=cast.campaign, **options
    )


def test_it_refuses_a_job_beyond_the_limit(cast):
    pending(cast, cast.users.org_admin, 4)
    pending(cast, cast.users.org_admin, 1, status=ReportJob.Status.RUNNING)
    with pytest.raises(services.ReportError) as refused:
        ask(cast)
    assert (refused.value.code, refused.value.status) == ("too_many_pending", 429)
    assert refused.value.field is None
    assert ReportJob.objects.count() == 5


def test_it_accepts_jobs_up_to_the_limit(cast):
    pending(cast, cast.users.org_admin, 4)
    assert ask(cast).status == ReportJob.Status.QUEUED
    assert ReportJob.objects.filter(requested_by=cast.users.org_admin).count() == 5


def test_finished_jobs_do_not_count(cast):
    pending(cast, cast.users.org_admin, 3, status=ReportJob.Status.DONE)
    pending(cast, cast.users.org_admin, 3, status=ReportJob.Status.FAILED)
    pending(cast, cast.users.org_admin, 4)
    assert ask(cast).pk


def test_the_limit_is_per_person(cast):
    pending(cast, cast.users.org_admin, 5)
    assert ask(cast, cast.users.consultant).requested_by == cast.users.consultant


def test_at_the_limit_the_same_request_again_still_returns_the_pending_job(cast):
    first = ask(cast)
    pending(cast, cast.users.org_admin, 4)
    assert ask(cast).pk == first.pk  # a double click is not refused


def test_the_limit_is_a_setting(cast, settings):
    settings.REPORT_JOBS_PENDING_PER_USER = 1
    ask(cast)
    with pytest.raises(services.ReportError) as refused, translation.override("en"):
        ask(cast, language="en")
    assert "You already have 1 report waiting or being generated" in refused.value.message
    settings.REPORT_JOBS_PENDING_PER_USER = 0  # no limit
    assert ask(cast, language="en").pk


def test_handouts_count_and_are_limited_too(cast, modules):  # noqa: F811
    pending(cast, cast.users.manager, 5)
    with pytest.raises(services.ReportError) as refused:
        services.request_handout(
            user=cast.users.manager, organisation=cast.acme, modules=modules, language="ja"
        )
    assert refused.value.status == 429


# ------------------------------------------------------------ API


def api(user, language="en") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.mark.parametrize(("language", "text"), [("en", LIMIT_EN), ("ja", LIMIT_JA)])
def test_the_api_answers_429_in_the_error_shape(cast, language, text):
    pending(cast, cast.users.org_admin, 5)
    reply = api(cast.users.org_admin, language).post(
        f"/api/v1/campaigns/{cast.campaign.pk}/reports/", {"language": "en"}, format="json"
    )
    assert reply.status_code == 429
    error = reply.json()["error"]
    assert error["code"] == "too_many_pending"
    assert error["message"].startswith(text)
    assert error.get("fields", {}) == {}
    assert ReportJob.objects.count() == 5


def test_the_api_accepts_again_once_a_job_is_finished(cast):
    pending(cast, cast.users.org_admin, 5)
    ReportJob.objects.filter(pk=ReportJob.objects.first().pk).update(status=ReportJob.Status.DONE)
    reply = api(cast.users.org_admin).post(
        f"/api/v1/campaigns/{cast.campaign.pk}/reports/", {"language": "en"}, format="json"
    )
    assert reply.status_code == 202


# ------------------------------------------------------------ web pages


@pytest.mark.parametrize(("language", "text"), [("en", LIMIT_EN), ("ja", LIMIT_JA)])
def test_the_reports_page_shows_the_refusal_on_the_form(client, cast, language, text):
    pending(cast, cast.users.consultant, 5)
    client.force_login(cast.users.consultant)
    reply = client.post(
        reverse("reports:campaign-reports", args=[cast.campaign.pk]),
        {"language": "en"},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert reply.status_code == 429
    assert text in reply.context["form"].non_field_errors()[0]
    assert text in reply.content.decode()
    assert ReportJob.objects.count() == 5


def test_the_handouts_page_shows_the_refusal_on_the_form(client, cast, modules):  # noqa: F811
    pending(cast, cast.users.manager, 5)
    client.force_login(cast.users.manager)
    reply = client.post(
        reverse("reports:handouts", args=[cast.acme.pk]),
        {"modules": [m.pk for m in modules], "language": "ja"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert reply.status_code == 429
    assert LIMIT_EN in reply.content.decode()
    assert ReportJob.objects.count() == 5
