"""Numbers read the same on a page and in the PDF (results.formatting): a change that rounds
to zero is ±0.00 everywhere, level 0 prints as 0, and the dash means "no number" only."""

import datetime
import math
import re

import pandas as pd
import pytest
from django.urls import reverse

from assessments.models import Campaign, Response
from reports.campaign_report import build_campaign_report
from results import formatting
from results.templatetags import results as filters
from tests.assessments.conftest import answer_all, open_campaign
from tests.reports.test_campaign_report import pages_text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.4, "+0.40"),
        (-0.15, "−0.15"),
        (0.0, "±0.00"),
        (-0.003, "±0.00"),  # was −0.00 in the PDF
        (0.004, "±0.00"),  # was +0.00 in the PDF
        (-0.0049, "±0.00"),
        (0.006, "+0.01"),
        (-0.006, "−0.01"),
        (None, "–"),
        (math.nan, "–"),
        (pd.NA, "–"),
    ],
)
def test_a_change_has_one_sign_rule(value, text):
    assert formatting.delta(value) == text
    assert filters.delta(value) == text


@pytest.mark.parametrize(
    ("value", "text"), [(0, "0"), (3, "3"), (None, "–"), (math.nan, "–"), (pd.NA, "–")]
)
def test_level_zero_is_a_level(value, text):
    assert formatting.level(value) == text
    assert filters.level(value) == text


@pytest.mark.parametrize(
    ("value", "mean", "percent"),
    [
        (0.0, "0.00", "0"),
        (2.345, "2.35", "2"),
        (62.5, "62.50", "63"),
        (62.49, "62.49", "62"),
        (None, "–", "–"),
    ],
)
def test_means_and_scores(value, mean, percent):
    assert (formatting.mean(value), formatting.percent(value)) == (mean, percent)
    assert (filters.mean(value), filters.percent(value)) == (mean, percent)


# ------------------------------------------------------------- on the page and in the PDF
# On a 0–3 scale (this module's framework), so that level 0 exists.


@pytest.fixture
def framework_data(framework_data):
    """The sample framework on a 0–3 scale: the bottom choice scores 0, level 0."""
    framework_data["scale"] = {"min": 0, "max": 3}
    framework_data["levels"] = [
        {"level": n, "title": {"ja": f"レベル{n}", "en": f"Level {n}"}} for n in range(4)
    ]
    for dimension in framework_data["dimensions"]:
        code = dimension["code"]
        dimension["levels"] = [
            {
                "level": n,
                "description": {"ja": f"{code} 段階{n}", "en": f"{code} stage {n}"},
                **(
                    {"recommendations": [{"ja": f"{code} 次へ{n}", "en": f"{code} next {n}"}]}
                    if n < 3
                    else {}
                ),
            }
            for n in range(4)
        ]
        for question in dimension["questions"]:
            for choice, score in zip(question["choices"], (0, 1, 3), strict=True):
                choice["score"] = score
    return framework_data


@pytest.fixture
def unchanged(cast):
    """Sales answered this campaign exactly as it answered the previous one (1.00 on this
    module's 0–3 scale): every change is 0, the organisation's too. Threshold 1."""
    previous = open_campaign(
        organisation=cast.acme, framework=cast.framework, departments=[cast.sales], name="Before"
    )
    Campaign.objects.filter(pk=previous.pk).update(
        opens_on=cast.campaign.opens_on - datetime.timedelta(days=180), anonymity_threshold=1
    )
    answer_all(
        Response.objects.get(campaign=previous, respondent=cast.users.manager), cast.questions, 1
    )
    cast.campaign.anonymity_threshold = 1
    cast.campaign.save()
    answer_all(cast.response, cast.questions, 1)
    return cast


@pytest.mark.django_db
def test_no_change_reads_plus_minus_zero_on_the_page_and_in_the_pdf(client, unchanged):
    client.force_login(unchanged.users.org_admin)
    url = reverse("results:department", args=[unchanged.campaign.pk, unchanged.sales.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.findall(r"<span>Change (\S+)</span>", html) == ["±0.00", "±0.00"]
    pdf = build_campaign_report(unchanged.campaign, language="en")
    text = "\n".join(pages_text(pdf)[2:])
    # The organisation's table (dimension, level, mean, change), then the department's
    # (dimension, level, mean, organisation, change, where you are), a cell a line.
    organisation = re.findall(r"(kpi|data) axis\s+1\s+1\.00\s+([±+−]\S+)", text)
    department = re.findall(r"(kpi|data) axis\s+1\s+1\.00\s+1\.00\s+(\S+)", text)
    assert organisation == department == [("kpi", "±0.00"), ("data", "±0.00")]
    assert "+0.00" not in text and "−0.00" not in text


@pytest.mark.django_db
def test_level_zero_prints_as_zero_on_the_pages_and_in_the_pdf(client, cast):
    cast.campaign.anonymity_threshold = 1
    cast.campaign.save()
    answer_all(cast.response, cast.questions, 0)  # every answer scores 0
    client.force_login(cast.users.org_admin)
    explain = reverse("results:explain", args=[cast.campaign.pk, cast.sales.pk, "kpi"])
    html = client.get(explain, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Level 0 ·" in html
    page = reverse("results:department", args=[cast.campaign.pk, cast.sales.pk])
    html = client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Overall level: 0 (Level 0), mean 0.00 on the 0–3 scale." in html
    pdf = build_campaign_report(cast.campaign, department=cast.sales, language="en")
    text = "\n".join(pages_text(pdf)[2:])
    assert "Overall level: 0 (Level 0), mean 0.00 on the 0–3 scale." in re.sub(r"\s+", " ", text)
    # The department's table: dimension, level, mean, organisation, change, where you are.
    assert re.findall(r"^(kpi|data) axis\s+(\S+)\s+0\.00\s+0\.00", text, flags=re.M) == [
        ("kpi", "0"),
        ("data", "0"),
    ]
