"""The CAC calculator and the what-ifs of the 1:5 and 5:25 rules of thumb."""

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


def test_cac():
    # 4,200,000 ÷ 100 = 42,000
    assert metrics.cac(D(4200000), D(100)) == D(42000)


def test_cac_needs_new_customers():
    failure = error(metrics.cac, D(1000), D(0))
    assert failure.message == (
        "New customers must be above zero: with no customer won there is no cost per customer."
    )
    assert failure.field == "new_customers"


def test_rule_1_5():
    # keeping: 8,000 × 50 = 400,000; winning as many: 8,000 × 5 × 50 = 2,000,000;
    # saved: 2,000,000 − 400,000 = 1,600,000 = 8,000 × 4 × 50
    assert metrics.retention_cost(D(8000), D(50)) == D(400000)
    assert metrics.replacement_cost_by_rule_1_5(D(8000), D(50)) == D(2000000)
    assert metrics.saving_by_rule_1_5(D(8000), D(50)) == D(1600000)


def test_rule_5_25():
    # 10,000,000 × 0.25 = 2,500,000; 10,000,000 + 2,500,000 = 12,500,000
    assert metrics.profit_gain_by_rule_5_25(D(10000000)) == D(2500000)
    assert metrics.profit_by_rule_5_25(D(10000000)) == D(12500000)


def test_rule_5_25_needs_a_profit():
    failure = error(metrics.profit_by_rule_5_25, D(0))
    assert failure.message == (
        "The profit must be above zero: the rule speaks of improving an existing profit."
    )


# --- the page -----------------------------------------------------------------------------


def test_cac_sits_with_the_unit_economics(client):
    html = page(client)
    section = html.split('id="unit-economics"')[1].split("</section>")[0]
    assert '<input type="hidden" name="calc" value="cac">' in section


def test_it_shows_the_cac(client):
    html = page(client, calc="cac", spend="4200000", new_customers="100")
    assert "4,200,000 ÷ 100 = 42,000" in html


def test_it_shows_the_cac_in_japanese(client):
    html = page(client, lang="ja", calc="cac", spend="4200000", new_customers="100")
    assert "顧客獲得コスト（CAC）" in html and "顧客1社あたりのCAC" in html
    assert "4,200,000 ÷ 100 = 42,000" in html


def test_the_what_ifs_follow_the_rules(client):
    html = page(client)
    rules, what_if = html.index('id="rules"'), html.index('id="what-if"')
    assert rules < what_if < html.index('id="what-if-1-5"') < html.index('id="what-if-5-25"')
    assert 'href="#what-if"' in html


def test_it_shows_the_1_5_what_if(client):
    html = page(client, calc="what-if-1-5", retention_cost_per_customer="8000", customers="50")
    assert "8,000 × 5 × 50 = 2,000,000" in html
    assert "8,000 × 50 = 400,000" in html
    assert "8,000 × (5 − 1) × 50 = 1,600,000" in html
    assert "Saved by keeping them instead" in html


def test_it_shows_the_5_25_what_if_as_a_lower_bound_with_its_caveat(client):
    html = page(client, calc="what-if-5-25", profit="10000000")
    assert "12,500,000 or more" in html
    assert "10,000,000 × 1.25 = 12,500,000" in html
    assert "2,500,000 or more" in html and "10,000,000 × 0.25 = 2,500,000" in html
    assert "It is a rule of thumb, not a forecast" in html


def test_it_shows_the_5_25_what_if_in_japanese(client):
    html = page(client, lang="ja", calc="what-if-5-25", profit="10000000")
    assert "試算：5:25の法則" in html
    assert "12,500,000以上" in html and "2,500,000以上" in html
    assert "出典が示すのは下限だけで" in html


@pytest.mark.parametrize(
    "calc, params, field, message",
    [
        (
            "cac",
            {"spend": "1000", "new_customers": "0"},
            "new_customers",
            "New customers must be above zero: with no customer won there is no cost per customer.",
        ),
        (
            "cac",
            {"spend": "-1000", "new_customers": "5"},
            "spend",
            "This value cannot be negative.",
        ),
        ("cac", {"spend": "", "new_customers": "5"}, "spend", "This field is required."),
        (
            "cac",
            {"spend": "a lot", "new_customers": "5"},
            "spend",
            "Enter a number, such as 3000 or 2.5.",
        ),
        (
            "cac",
            {"spend": "1e30", "new_customers": "5"},
            "spend",
            "This number is too large for the calculator.",
        ),
        ("cac", {"spend": "100", "new_customers": "2.5"}, "new_customers", "Enter a whole number."),
        (
            "what-if-1-5",
            {"retention_cost_per_customer": "-5", "customers": "3"},
            "retention_cost_per_customer",
            "This value cannot be negative.",
        ),
        (
            "what-if-1-5",
            {"retention_cost_per_customer": "5", "customers": ""},
            "customers",
            "This field is required.",
        ),
        (
            "what-if-1-5",
            {"retention_cost_per_customer": "1e99", "customers": "3"},
            "retention_cost_per_customer",
            "This number is too large for the calculator.",
        ),
        (
            "what-if-5-25",
            {"profit": "0"},
            "profit",
            "The profit must be above zero: the rule speaks of improving an existing profit.",
        ),
        ("what-if-5-25", {"profit": "-100"}, "profit", "This value cannot be negative."),
        ("what-if-5-25", {"profit": "¥100"}, "profit", "Enter a number, such as 3000 or 2.5."),
    ],
)
def test_it_explains_bad_input(client, calc, params, field, message):
    html = page(client, calc=calc, **params)
    assert 'role="alert"' in html and 'role="status"' not in html
    assert f'id="{calc}-{field}_error"' in html
    assert message in html
