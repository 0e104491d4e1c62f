"""The MRR growth calculators: month over month, average monthly, compounded, the MRR bridge."""

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


def error(metric, *args) -> str:
    with translation.override("en"), pytest.raises(MetricError) as caught:
        metric(*args)
    return caught.value.message


# --- the formulas -------------------------------------------------------------------------


def test_mrr_growth_month_over_month():
    # (2,300,000 − 2,000,000) ÷ 2,000,000 = 300,000 ÷ 2,000,000 = 0.15
    assert metrics.mrr_growth_rate(D(2000000), D(2300000)) == D("0.15")


def test_mrr_growth_is_negative_when_mrr_shrinks():
    # (1,800,000 − 2,000,000) ÷ 2,000,000 = −200,000 ÷ 2,000,000 = −0.1
    assert metrics.mrr_growth_rate(D(2000000), D(1800000)) == D("-0.1")


def test_net_new_mrr():
    # 2,300,000 − 2,000,000 = 300,000; and 1,800,000 − 2,000,000 = −200,000
    assert metrics.net_new_mrr(D(2000000), D(2300000)) == D(300000)
    assert metrics.net_new_mrr(D(2000000), D(1800000)) == D(-200000)


def test_mrr_growth_needs_an_earlier_mrr():
    message = error(metrics.mrr_growth_rate, D(0), D(100))
    assert message == "The earlier MRR must be above zero: growth is measured against it."


def test_average_monthly_growth():
    # (1,210,000 ÷ 1,000,000) ^ (1 ÷ 2) − 1 = √1.21 − 1 = 1.1 − 1 = 0.1
    assert metrics.average_monthly_growth_rate(D(1000000), D(1210000), D(2)) == D("0.1")


def test_average_monthly_growth_to_nothing_is_minus_100_percent():
    # (0 ÷ 1,000) ^ (1 ÷ 3) − 1 = 0 − 1 = −1
    assert metrics.average_monthly_growth_rate(D(1000), D(0), D(3)) == D(-1)


def test_average_monthly_growth_of_the_seed_15_percent():
    # 1.15 ^ 12 = 5.350250105…, so 1,000,000 → 5,350,250 in 12 months is 15 % a month.
    rate = metrics.average_monthly_growth_rate(D(1000000), D(5350250), D(12))
    assert abs(rate - D("0.15")) < D("0.000001")


@pytest.mark.parametrize(
    "months, message",
    [
        (D(0), "The number of months must be a whole number of at least 1."),
        (D("1.5"), "The number of months must be a whole number of at least 1."),
        (D(121), "Use at most 120 months (ten years)."),
    ],
)
def test_months_must_be_whole_from_1_to_120(months, message):
    assert error(metrics.average_monthly_growth_rate, D(100), D(200), months) == message
    assert error(metrics.compounded_growth, D("0.1"), months) == message


def test_compounded_growth():
    # (1 + 0.1) ^ 2 − 1 = 1.21 − 1 = 0.21
    assert metrics.compounded_growth(D("0.1"), D(2)) == D("0.21")


def test_compounded_mrr():
    # 1,000,000 × 1.1 ^ 2 = 1,000,000 × 1.21 = 1,210,000
    assert metrics.compounded_mrr(D(1000000), D("0.1"), D(2)) == D(1210000)


def test_compounded_mrr_of_15_percent_for_a_year():
    # 1.15^2 = 1.3225; ^4 = 1.74900625; ^8 = 3.0590228625390625; ^12 = ^8 × ^4 = 5.35025010…
    assert metrics.compounded_mrr(D(1000000), D("0.15"), D(12)).quantize(D("0.01")) == D(
        "5350250.11"
    )


def test_mrr_bridge_closing():
    # 100,000 + 12,000 + 15,000 − 5,000 − 8,000 = 114,000
    assert metrics.mrr_bridge_closing(D(100000), D(12000), D(15000), D(5000), D(8000)) == D(114000)


def test_mrr_bridge_closing_below_zero_is_refused():
    # 10,000 + 0 + 0 − 5,000 − 6,000 = −1,000
    message = error(metrics.mrr_bridge_closing, D(10000), D(0), D(0), D(5000), D(6000))
    assert message.startswith("The closing MRR would be below zero")


def test_gross_revenue_retention():
    # (100,000 − 5,000 − 8,000) ÷ 100,000 = 87,000 ÷ 100,000 = 0.87
    assert metrics.gross_revenue_retention(D(100000), D(5000), D(8000)) == D("0.87")


def test_gross_revenue_retention_refuses_losses_above_the_start():
    message = error(metrics.gross_revenue_retention, D(10000), D(6000), D(6000))
    assert message == "Contraction and churned MRR together cannot exceed the MRR at the start."


# --- the page -----------------------------------------------------------------------------


def test_the_page_lists_the_growth_calculators(client):
    html = page(client)
    assert 'id="growth"' in html and 'href="#growth"' in html
    for slug in ["mrr-growth", "mrr-average-growth", "mrr-compounded", "mrr-bridge"]:
        assert f'<input type="hidden" name="calc" value="{slug}">' in html


def test_it_shows_mrr_growth_and_net_new_mrr(client):
    html = page(client, calc="mrr-growth", previous_mrr="2000000", current_mrr="2300000")
    assert "(2,300,000 − 2,000,000) ÷ 2,000,000 = 15%" in html
    assert "Net new MRR" in html
    assert "2,300,000 − 2,000,000 = 300,000" in html


def test_it_shows_a_negative_growth_rate(client):
    html = page(client, calc="mrr-growth", previous_mrr="2000000", current_mrr="1800000")
    assert "(1,800,000 − 2,000,000) ÷ 2,000,000 = -10%" in html
    assert "1,800,000 − 2,000,000 = -200,000" in html


def test_it_shows_the_average_monthly_growth_rate(client):
    html = page(
        client, calc="mrr-average-growth", mrr_at_start="1000000", mrr_at_end="1210000", months="2"
    )
    assert "(1,210,000 ÷ 1,000,000)^(1 ÷ 2) − 1 = 10%" in html
    assert "1,210,000 − 1,000,000 = 210,000" in html


def test_it_marks_the_seed_growth_rate_as_approximate(client):
    html = page(
        client, calc="mrr-average-growth", mrr_at_start="1000000", mrr_at_end="5350250", months="12"
    )
    assert "(5,350,250 ÷ 1,000,000)^(1 ÷ 12) − 1 ≈ 15%" in html


def test_it_shows_compounded_growth(client):
    html = page(
        client, calc="mrr-compounded", mrr_now="1000000", monthly_growth_rate="15", months="12"
    )
    # 1,000,000 × 1.15^12 = 5,350,250.105…; 1.15^12 − 1 = 4.35025… = 435.03 %
    assert "1,000,000 × (1 + 15%)^12 ≈ 5,350,250.11" in html
    assert "(1 + 15%)^12 − 1 ≈ 435.03%" in html


def test_it_shows_the_mrr_bridge_with_nrr_and_grr(client):
    html = page(
        client,
        calc="mrr-bridge",
        mrr_at_start="100000",
        new_mrr="12000",
        expansion="15000",
        contraction="5000",
        churned="8000",
    )
    assert "100,000 + 12,000 + 15,000 − 5,000 − 8,000 = 114,000" in html
    assert "(100,000 + 15,000 − 5,000 − 8,000) ÷ 100,000 = 102%" in html
    assert "(100,000 − 5,000 − 8,000) ÷ 100,000 = 87%" in html
    assert "Gross revenue retention (GRR)" in html


def test_it_shows_the_bridge_in_japanese(client):
    html = page(
        client,
        lang="ja",
        calc="mrr-bridge",
        mrr_at_start="100000",
        new_mrr="12000",
        expansion="15000",
        contraction="5000",
        churned="8000",
    )
    assert "MRRブリッジ" in html and "月初MRR" in html
    assert "100,000 + 12,000 + 15,000 − 5,000 − 8,000 = 114,000" in html
    assert "グロス売上継続率（GRR）" in html


def test_it_shows_growth_in_japanese(client):
    html = page(client, lang="ja", calc="mrr-growth", previous_mrr="2000000", current_mrr="2300000")
    assert "MRR成長率（前月比）" in html and "純増MRR" in html
    assert "= 15%" in html


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"previous_mrr": "", "current_mrr": "1"}, "previous_mrr", "This field is required."),
        (
            {"previous_mrr": "-5", "current_mrr": "1"},
            "previous_mrr",
            "This value cannot be negative.",
        ),
        (
            {"previous_mrr": "abc", "current_mrr": "1"},
            "previous_mrr",
            "Enter a number, such as 3000 or 2.5.",
        ),
        (
            {"previous_mrr": "1e16", "current_mrr": "1"},
            "previous_mrr",
            "This number is too large for the calculator.",
        ),
        (
            {"previous_mrr": "0", "current_mrr": "1"},
            "previous_mrr",
            "The earlier MRR must be above zero: growth is measured against it.",
        ),
    ],
)
def test_mrr_growth_explains_bad_input(client, params, field, message):
    html = page(client, calc="mrr-growth", **params)
    assert 'role="alert"' in html and 'role="status"' not in html
    assert f'id="mrr-growth-{field}_error"' in html
    assert message in html


@pytest.mark.parametrize(
    "params, field, message",
    [
        (
            {"mrr_at_start": "0", "mrr_at_end": "5", "months": "3"},
            "mrr_at_start",
            "The earlier MRR must be above zero",
        ),
        (
            {"mrr_at_start": "10", "mrr_at_end": "-5", "months": "3"},
            "mrr_at_end",
            "This value cannot be negative.",
        ),
        (
            {"mrr_at_start": "10", "mrr_at_end": "5", "months": "0"},
            "months",
            "The number of months must be a whole number of at least 1.",
        ),
        (
            {"mrr_at_start": "10", "mrr_at_end": "5", "months": "121"},
            "months",
            "Use at most 120 months (ten years).",
        ),
        (
            {"mrr_at_start": "10", "mrr_at_end": "5", "months": "2.5"},
            "months",
            "Enter a whole number.",
        ),
        (
            {"mrr_at_start": "10", "mrr_at_end": "", "months": "2"},
            "mrr_at_end",
            "This field is required.",
        ),
    ],
)
def test_average_growth_explains_bad_input(client, params, field, message):
    html = page(client, calc="mrr-average-growth", **params)
    assert 'role="alert"' in html and 'role="status"' not in html
    assert f'id="mrr-average-growth-{field}_error"' in html
    assert message in html


@pytest.mark.parametrize(
    "params, field, message",
    [
        (
            {"mrr_now": "100", "monthly_growth_rate": "150", "months": "3"},
            "monthly_growth_rate",
            "A percentage must lie between 0 and 100.",
        ),
        (
            {"mrr_now": "100", "monthly_growth_rate": "-1", "months": "3"},
            "monthly_growth_rate",
            "This value cannot be negative.",
        ),
        (
            {"mrr_now": "100", "monthly_growth_rate": "10", "months": "500"},
            "months",
            "Use at most 120 months (ten years).",
        ),
        (
            {"mrr_now": "x", "monthly_growth_rate": "10", "months": "5"},
            "mrr_now",
            "Enter a number, such as 3000 or 2.5.",
        ),
    ],
)
def test_compounded_growth_explains_bad_input(client, params, field, message):
    html = page(client, calc="mrr-compounded", **params)
    assert 'role="alert"' in html and 'role="status"' not in html
    assert f'id="mrr-compounded-{field}_error"' in html
    assert message in html


def test_the_largest_compounding_is_shown_without_a_traceback(client):
    # 1e15 − 1 at 100 % a month for 120 months: (2 ^ 120) × (1e15 − 1) ≈ 1.33e51
    html = page(
        client,
        calc="mrr-compounded",
        mrr_now="999999999999999",
        monthly_growth_rate="100",
        months="120",
    )
    assert 'role="status"' in html


BRIDGE = {"mrr_at_start": "10000", "new_mrr": "0", "expansion": "0", "contraction": "5000"}


@pytest.mark.parametrize(
    "params, field, message",
    [
        (
            {**BRIDGE, "churned": "6000"},
            "churned",
            "The closing MRR would be below zero: more is taken away than the opening, new and "
            "expansion MRR add up to.",
        ),
        (
            {**BRIDGE, "new_mrr": "5000", "churned": "6000"},
            "churned",
            "Contraction and churned MRR together cannot exceed the MRR at the start.",
        ),
        (
            {**BRIDGE, "mrr_at_start": "0", "contraction": "0", "new_mrr": "100", "churned": "0"},
            "mrr_at_start",
            "The starting count must be above zero: a rate needs something to divide by.",
        ),
        ({**BRIDGE, "churned": "-1"}, "churned", "This value cannot be negative."),
        ({**BRIDGE, "churned": ""}, "churned", "This field is required."),
        ({**BRIDGE, "churned": "1e20"}, "churned", "This number is too large for the calculator."),
    ],
)
def test_the_bridge_explains_bad_input(client, params, field, message):
    html = page(client, calc="mrr-bridge", **params)
    assert 'role="alert"' in html and 'role="status"' not in html
    assert f'id="mrr-bridge-{field}_error"' in html
    assert message in html
