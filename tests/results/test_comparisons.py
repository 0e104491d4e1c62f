"""What a department is compared with: the organisation's mean beside its own (page, PDF,
API), and the previous campaign on the radars (department and organisation), only where
there is one."""

import re

import pytest
from django.urls import reverse

from reports.campaign_report import build_campaign_report
from tests.assessments.conftest import answer_all
from tests.reports.test_campaign_report import pages_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_departments(cast):
    """Sales answers the top choice (5.00 on every dimension), Customer Success the middle
    (3.00): the organisation mean is 4.00, which neither department has. Threshold 1, so
    both are shown."""
    cast.campaign.anonymity_threshold = 1
    cast.campaign.save()
    answer_all(cast.response, cast.questions, 2)
    answer_all(cast.other_response, cast.questions, 1)
    return cast


def test_the_department_page_shows_the_organisation_mean(client, two_departments):
    client.force_login(two_departments.users.org_admin)
    url = reverse(
        "results:department", args=[two_departments.campaign.pk, two_departments.sales.pk]
    )
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    numbers = re.findall(r'<p class="dim-numbers">(.*?)</p>', html, flags=re.S)
    assert len(numbers) == 2  # kpi, data
    for block in numbers:
        assert "Mean <strong>5.00</strong>" in block
        assert re.search(r"<span>Organisation 4\.00</span>", block), block


def test_the_department_report_shows_the_organisation_mean(two_departments):
    pdf = build_campaign_report(
        two_departments.campaign, department=two_departments.sales, language="en"
    )
    text = "\n".join(pages_text(pdf)[2:])
    # The department's table: dimension, level, mean, organisation, change, where you are.
    rows = re.findall(r"^(kpi|data) axis\s+(\d)\s+(\d\.\d\d)\s+(\d\.\d\d|–)", text, flags=re.M)
    assert rows == [("kpi", "5", "5.00", "4.00"), ("data", "5", "5.00", "4.00")], text


def test_the_api_gives_each_row_the_organisation_mean(client, two_departments):
    client.force_login(two_departments.users.org_admin)
    reply = client.get(reverse("api-campaign-results", args=[two_departments.campaign.pk]))
    scores = reply.json()["scores"]
    assert sorted(
        (s["department_name"], s["dimension"], s["mean"], s["organisation_mean"]) for s in scores
    ) == [
        ("Customer Success", "data", 3.0, 4.0),
        ("Customer Success", "kpi", 3.0, 4.0),
        ("Sales", "data", 5.0, 4.0),
        ("Sales", "kpi", 5.0, 4.0),
    ]


def previous_series(html: str) -> tuple[int, int]:
    """On a page: (legend entries "previous campaign", dashed polygons) of its charts."""
    legends = len(re.findall(r">前回の実施回</text>", html))
    dashed = len(re.findall(r"<polygon [^>]*stroke-dasharray", html))
    return legends, dashed


def test_the_department_radar_shows_the_previous_campaign_where_there_is_one(client, demo):
    client.force_login(demo.admin)
    # 営業部 is shown in both campaigns (four, then three submitted self-ratings).
    current = client.get(reverse("results:department", args=[demo.current.pk, demo.sales.pk]))
    first = client.get(reverse("results:department", args=[demo.first.pk, demo.sales.pk]))
    assert previous_series(current.content.decode()) == (1, 1)
    assert previous_series(first.content.decode()) == (0, 0)  # the demo's first campaign
    assert ">営業部</text>" in first.content.decode()  # its radar is there, with its own series


def test_the_organisation_radar_shows_the_previous_campaign_where_there_is_one(client, demo):
    client.force_login(demo.admin)
    current = client.get(reverse("results:campaign", args=[demo.current.pk]))
    first = client.get(reverse("results:campaign", args=[demo.first.pk]))
    assert previous_series(current.content.decode()) == (1, 1)
    assert previous_series(first.content.decode()) == (0, 0)
    assert ">組織平均</text>" in first.content.decode()
