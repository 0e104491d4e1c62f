"""The customer success calculators: NPS, onboarding completion, upsell and cross-sell rates."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import translation

from training import metrics
from training.metrics import MetricError

pytestmark = pytest.mark.django_db


def page(client, lang="en", **params):
    response = client.get(reverse("training:calculators"), params, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return response.content.decode()


def error(metric, *args) -> MetricError:
    with translation.override("en"), pytest.raises(MetricError) as caught:
        metric(*args)
    return caught.value


# --- the formulas -------------------------------------------------------------------------


def test_nps():
    # (50 − 20) ÷ (50 + 30 + 20) × 100 = 30 ÷ 100 × 100 = 30
    assert metrics.net_promoter_score(D(50), D(30), D(20)) == D(30)


def test_nps_runs_from_minus_100_to_100():
    # (0 − 10) ÷ 10 × 100 = −100; (10 − 0) ÷ 10 × 100 = 100
    assert metrics.net_promoter_score(D(0), D(0), D(10)) == D(-100)
    assert metrics.net_promoter_score(D(10), D(0), D(0)) == D(100)


def test_nps_counts_passives_only_in_the_total():
    # (1 − 1) ÷ (1 + 5 + 1) × 100 = 0
    assert metrics.net_promoter_score(D(1), D(5), D(1)) == D(0)


def test_nps_needs_at_least_one_answer():
    failure = error(metrics.net_promoter_score, D(0), D(0), D(0))
    assert failure.message == (
        "Enter at least one answer: promoters, passives and detractors add up to zero."
    )
    assert failure.field == "promoters"


def test_onboarding_completion_rate():
    # 60 ÷ 80 = 0.75
    assert metrics.onboarding_completion_rate(D(60), D(80)) == D("0.75")


def test_onboarding_completion_refuses_more_completed_than_started():
    failure = error(metrics.onboarding_completion_rate, D(90), D(80))
    assert failure.message == "More customers cannot complete onboarding than started it."
    assert failure.field == "completed"


def test_onboarding_completion_needs_customers_who_started():
    failure = error(metrics.onboarding_completion_rate, D(0), D(0))
    assert failure.message == "Customers who started onboarding must be above zero."
    assert failure.field == "started"


def test_upsell_rate():
    # 30 ÷ 400 = 0.075
    assert metrics.upsell_rate(D(30), D(400)) == D("0.075")


def test_cross_sell_rate():
    # 18 ÷ 400 = 0.045
    assert metrics.cross_sell_rate(D(18), D(400)) == D("0.045")


@pytest.mark.parametrize("metric", [metrics.upsell_rate, metrics.cross_sell_rate])
def test_offer_rates_refuse_a_base_of_zero_and_too_many_takers(metric):
    assert error(metric, D(0), D(0)).message == (
        "Customers at the start of the period must be above zero."
    )
    assert error(metric, D(5), D(4)).message == (
        "More customers cannot take up an offer than there were at the start."
    )
    assert error(metric, D(-1), D(4)).message == "This value cannot be negative."


# --- the page -----------------------------------------------------------------------------


def test_the_page_lists_the_customer_success_calculators(client):
    html = page(client)
    assert 'id="customer-success"' in html and 'href="#customer-success"' in html
    for slug in ["nps", "onboarding", "upsell", "cross-sell"]:
        assert f'<input type="hidden" name="calc" value="{slug}">' in html


def test_it_shows_the_nps(client):
    html = page(client, calc="nps", promoters="50", passives="30", detractors="20")
    assert "(50 − 20) ÷ (50 + 30 + 20) × 100 = 30" in html


def test_it_shows_a_negative_nps(client):
    # (10 − 30) ÷ (10 + 10 + 30) × 100 = −20 ÷ 50 × 100 = −40
    html = page(client, calc="nps", promoters="10", passives="10", detractors="30")
    assert "(10 − 30) ÷ (10 + 10 + 30) × 100 = -40" in html


def test_it_marks_a_rounded_nps_as_approximate(client):
    # (2 − 1) ÷ 3 × 100 = 33.333…
    html = page(client, calc="nps", promoters="2", passives="0", detractors="1")
    assert "(2 − 1) ÷ (2 + 0 + 1) × 100 ≈ 33.33" in html


def test_it_shows_the_nps_in_japanese(client):
    html = page(client, lang="ja", calc="nps", promoters="50", passives="30", detractors="20")
    assert "NPS（ネットプロモータースコア）" in html and "推奨者（9〜10と回答）の人数" in html
    assert "= 30" in html


def test_it_shows_the_onboarding_completion_rate(client):
    html = page(client, calc="onboarding", started="80", completed="60")
    assert "60 ÷ 80 = 75%" in html


def test_it_shows_the_upsell_rate(client):
    html = page(client, calc="upsell", customers="400", upsold="30")
    assert "30 ÷ 400 = 7.5%" in html


def test_it_shows_the_cross_sell_rate_in_japanese(client):
    html = page(client, lang="ja", calc="cross-sell", customers="400", cross_sold="18")
    assert "クロスセル率" in html and "分母は期首の顧客数です。" in html
    assert "18 ÷ 400 = 4.5%" in html


@pytest.mark.parametrize(
    "calc, params, field, message",
    [
        (
            "nps",
            {"promoters": "0", "passives": "0", "detractors": "0"},
            "promoters",
            "Enter at least one answer: promoters, passives and detractors add up to zero.",
        ),
        (
            "nps",
            {"promoters": "-1", "passives": "0", "detractors": "3"},
            "promoters",
            "This value cannot be negative.",
        ),
        (
            "nps",
            {"promoters": "1.5", "passives": "0", "detractors": "3"},
            "promoters",
            "Enter a whole number.",
        ),
        (
            "nps",
            {"promoters": "", "passives": "0", "detractors": "3"},
            "promoters",
            "This field is required.",
        ),
        (
            "nps",
            {"promoters": "many", "passives": "0", "detractors": "3"},
            "promoters",
            "Enter a number, such as 3000 or 2.5.",
        ),
        (
            "nps",
            {"promoters": "1e16", "passives": "0", "detractors": "3"},
            "promoters",
            "This number is too large for the calculator.",
        ),
        (
            "onboarding",
            {"started": "0", "completed": "0"},
            "started",
            "Customers who started onboarding must be above zero.",
        ),
        (
            "onboarding",
            {"started": "10", "completed": "11"},
            "completed",
            "More customers cannot complete onboarding than started it.",
        ),
        (
            "onboarding",
            {"started": "10", "completed": "-1"},
            "completed",
            "This value cannot be negative.",
        ),
        (
            "upsell",
            {"customers": "0", "upsold": "0"},
            "customers",
            "Customers at the start of the period must be above zero.",
        ),
        (
            "upsell",
            {"customers": "10", "upsold": "11"},
            "upsold",
            "More customers cannot take up an offer than there were at the start.",
        ),
        ("upsell", {"customers": "", "upsold": "1"}, "customers", "This field is required."),
        (
            "cross-sell",
            {"customers": "0", "cross_sold": "0"},
            "customers",
            "Customers at the start of the period must be above zero.",
        ),
        (
            "cross-sell",
            {"customers": "10", "cross_sold": "12"},
            "cross_sold",
            "More customers cannot take up an offer than there were at the start.",
        ),
        (
            "cross-sell",
            {"customers": "ten", "cross_sold": "1"},
            "customers",
            "Enter a number, such as 3000 or 2.5.",
        ),
    ],
)
def test_it_explains_bad_input(client, calc, params, field, message):
    html = page(client, calc=calc, **params)
    assert 'role="alert"' in html and 'role="status"' not in html
    assert f'id="{calc}-{field}_error"' in html
    assert message in html


def test_it_explains_an_empty_nps_survey_in_japanese(client):
    html = page(client, lang="ja", calc="nps", promoters="0", passives="0", detractors="0")
    assert "回答を1件以上入力してください。推奨者・中立者・批判者の合計が0です。" in html
