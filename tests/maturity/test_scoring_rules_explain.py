"""The explanation page states the framework's declared rule and shows that rule's
arithmetic (a sum ÷ 2 with unanswered counted as 0 marked), not Σ weight × score ÷ Σ weight:
the SAMM-shaped model of test_published_model, through the database and the view."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from assessments.models import Membership

from .test_published_model import model  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client, model, django_user_model):  # noqa: F811 - the fixture above
    campaign, appsec, _platform = model
    campaign.anonymity_threshold = 1
    campaign.save()
    admin = django_user_model.objects.create_user("admin", password="pw")
    Membership.objects.create(user=admin, organisation=campaign.organisation, role="org_admin")
    client.force_login(admin)

    def get(code, language="en"):
        url = reverse("results:explain", args=[campaign.pk, appsec.pk, code])
        return client.get(url, HTTP_ACCEPT_LANGUAGE=language)

    return get


def test_the_page_shows_the_sum_divided_by_two_with_unanswered_counted_as_zero(page):
    reply = page("G-SM")
    assert reply.status_code == 200
    (respondent,) = reply.context["respondents"]
    # 1 + 0.25 + 0.25 + 0 + 0 (3-A: a blank answer row) + 0 (3-B: no row at all) = 1.5, ÷ 2
    assert respondent["arithmetic"] == "(1 + 0.25 + 0.25 + 0 + 0 + 0) ÷ 2"
    assert respondent["mean"] == pytest.approx(0.75)
    html = reply.content.decode()
    assert "(1 + 0.25 + 0.25 + 0 + 0 + 0) ÷ 2 = <strong>0.75</strong>" in html
    # The blank row is counted by the rule, and marked so
    lines = {line["question"].code: line for line in respondent["lines"]}
    assert lines["G-SM-3-A"]["counted"] and lines["G-SM-3-A"]["by_rule"]
    assert lines["G-SM-3-A"]["value"] == 0.0
    assert not lines["G-SM-1-A"]["by_rule"] and lines["G-SM-1-A"]["value"] == 1.0
    assert '0 <span class="muted">(unanswered, counted by the framework\'s rule)</span>' in html
    # A sum adds raw values: no mapping onto the scale is shown
    assert "→" not in html[html.find("<tbody>") : html.find("</tbody>")]
    # The rule in words
    assert "divided by 2" in html
    assert "An unanswered question counts as a value of 0." in html
    assert "Σ weight × score ÷ Σ weight" not in html


def test_na_counted_as_zero_is_marked_and_the_rule_reads_in_japanese(page):
    reply = page("G-PC", "ja")
    (respondent,) = reply.context["respondents"]
    # 0.5 + 0.25 + 0.25 + three N/A at 0 = 1.0, ÷ 2 = 0.50
    assert respondent["arithmetic"] == "(0.5 + 0.25 + 0.25 + 0 + 0 + 0) ÷ 2"
    html = reply.content.decode()
    assert "= <strong>0.50</strong>" in html
    with translation.override("ja"):
        marked = translation.gettext("N/A, counted by the framework's rule")
        unanswered = translation.gettext("An unanswered question counts as a value of %(value)s.")
    assert marked != "N/A, counted by the framework's rule" and marked in html
    assert unanswered % {"value": "0"} in html
