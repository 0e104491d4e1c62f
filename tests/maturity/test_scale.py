"""Scale (issue #14): a 100-dimension, 1,000-question v2 file imports in at most 5 s in a
number of queries that does not grow with it, and the questionnaire and campaign results
pages on it take as many queries as on a 10-dimension framework."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import Department, Membership, Organisation, Response
from assessments.services import AnswerInput
from bench.framework_import import synthetic_file
from maturity.framework_file import load_framework_file
from maturity.framework_io import import_framework
from tests.assessments.conftest import open_campaign

pytestmark = pytest.mark.django_db

BIG, SMALL = 100, 10  # dimensions, 10 questions each


def imported(dimensions: int, slug: str):
    content = synthetic_file(dimensions, 10, slug=slug)
    return import_framework(load_framework_file(content, source=f"{slug}.yaml"), source=slug)


def import_queries(dimensions: int, slug: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        imported(dimensions, slug)
    return len(captured.captured_queries)


def test_a_1000_question_file_imports_in_at_most_5_seconds():
    content = synthetic_file(BIG, 10, slug="big")
    started = time.perf_counter()
    framework = import_framework(load_framework_file(content, source="big.yaml"), source="big")
    seconds = time.perf_counter() - started
    assert framework.questions.count() == 1000
    assert framework.dimensions.count() == 100
    assert seconds <= 5, f"load + validate + import took {seconds:.2f} s"


def test_the_import_takes_the_same_queries_at_10_and_100_dimensions(
    django_assert_max_num_queries,
):
    small = import_queries(SMALL, "small")
    # A fixed handful: the version check, the framework, one insert per kind of row
    # (levels are left out by the file, so 9 kinds), the publication.
    with django_assert_max_num_queries(small):
        imported(BIG, "big")
    assert small <= 16


def campaign_on(framework, django_user_model, name: str):
    """An organisation with one department, its manager and org admin, and an open campaign
    whose manager has answered every question with its second choice and submitted."""
    org = Organisation.objects.create(name=name, slug=name)
    dept = Department.objects.create(organisation=org, name="Ops", function="other")
    manager = django_user_model.objects.create_user(f"{name}-manager")
    admin = django_user_model.objects.create_user(f"{name}-admin")
    Membership.objects.create(user=manager, organisation=org, department=dept, role="manager")
    Membership.objects.create(user=admin, organisation=org, role="org_admin")
    campaign = open_campaign(organisation=org, framework=framework, departments=[dept])
    campaign.anonymity_threshold = 1
    campaign.save()
    response = Response.objects.get(campaign=campaign)
    items = [
        AnswerInput(question_id=q.pk, choice_id=list(q.choices.all())[1].pk)
        for q in framework.questions.prefetch_related("choices")
    ]
    services.save_answers(response=response, items=items)
    return campaign, response, manager, admin


@pytest.fixture
def campaigns(django_user_model):
    small = campaign_on(imported(SMALL, "small"), django_user_model, "small")
    big = campaign_on(imported(BIG, "big"), django_user_model, "big")
    return small, big


def page_queries(client, user, url) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        reply = client.get(url)
    assert reply.status_code == 200, url
    return len(captured.captured_queries)


def test_the_questionnaire_takes_the_same_queries_at_10_and_100_dimensions(client, campaigns):
    counts = []
    for _campaign, response, manager, _admin in campaigns:
        # The last dimension's page: its navigation lists every dimension.
        last = response.campaign.framework.dimensions.order_by("-order").first()
        url = reverse("assessments:questionnaire", args=[response.pk, last.code])
        counts.append(page_queries(client, manager, url))
    assert counts[0] == counts[1], counts


def test_the_campaign_results_take_the_same_queries_at_10_and_100_dimensions(client, campaigns):
    counts = []
    for campaign, response, _manager, admin in campaigns:
        services.submit_response(response=response)
        counts.append(page_queries(client, admin, reverse("results:campaign", args=[campaign.pk])))
    assert counts[0] == counts[1], counts
