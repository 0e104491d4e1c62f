"""The SaaS metric calculators page: open to all, GET forms, results and explained errors."""

from decimal import Decimal

import pytest
from django.urls import reverse

from training.calculators.fields import format_number

pytestmark = pytest.mark.django_db


def page(client, lang="en", **params):
    response = client.get(reverse("training:calculators"), params, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return response.content.decode()


def test_it_lives_under_learn():
    assert reverse("training:calculators") == "/learn/calculators/"


def test_it_renders_in_japanese(client):
    html = page(client, lang="ja")
    assert '<html lang="ja">' in html
    assert "SaaS指標の計算ツール" in html
    assert "1:5の法則" in html and "5:25の法則" in html


def test_it_renders_in_english(client):
    html = page(client, lang="en")
    assert '<html lang="en">' in html
    assert "SaaS metric calculators" in html
    assert "The 1:5 rule" in html and "The 5:25 rule" in html


def test_it_needs_no_login(client):
    assert client.get(reverse("training:calculators")).status_code == 200


def test_it_lists_every_calculator_as_a_get_form(client):
    html = page(client)
    for slug in [
        "ltv-churn",
        "ltv-lifetime",
        "ltv-purchases",
        "ltv-margin",
        "retention",
        "cohort",
        "customer-churn",
        "revenue-churn",
        "nrr",
        "cac-payback",
        "ltv-cac",
    ]:
        assert f'id="{slug}"' in html
        assert f'<input type="hidden" name="calc" value="{slug}">' in html
    assert 'method="post"' not in html.split('id="main"')[1]


def test_it_labels_every_input(client):
    html = page(client)
    assert '<label for="ltv-churn-arpa">' in html
    assert 'id="ltv-churn-arpa"' in html
    assert 'aria-describedby="ltv-churn-arpa_helptext"' in html


def test_it_shows_the_result_with_the_numbers_in_the_formula(client):
    html = page(client, calc="ltv-churn", arpa="3000", gross_margin="70", churn_rate="2")
    assert "3,000 × 70% ÷ 2% = 105,000" in html
    assert 'role="status"' in html


def test_it_reproduces_the_seed_retention_example(client):
    html = page(client, calc="cohort", acquired="1000", continuing="500")
    assert "500 ÷ 1,000 = 50%" in html


def test_it_shows_the_period_retention_rate(client):
    html = page(
        client,
        calc="retention",
        customers_at_start="1000",
        customers_at_end="1100",
        new_customers="200",
    )
    assert "(1,100 − 200) ÷ 1,000 = 90%" in html


def test_it_shows_net_revenue_retention(client):
    html = page(
        client,
        calc="nrr",
        mrr_at_start="100000",
        expansion="15000",
        contraction="5000",
        churned="8000",
    )
    assert "(100,000 + 15,000 − 5,000 − 8,000) ÷ 100,000 = 102%" in html


def test_it_shows_the_payback_in_months(client):
    html = page(client, calc="cac-payback", cac="42000", arpa="3000", gross_margin="70")
    assert "42,000 ÷ (3,000 × 70%) = 20" in html
    assert "20 months" in html


def test_it_shows_ltv_to_cac_as_a_multiple(client):
    html = page(client, calc="ltv-cac", ltv="105000", cac="35000")
    assert "105,000 ÷ 35,000 = 3" in html
    assert "3 times" in html


def test_it_marks_a_rounded_result_as_approximate(client):
    html = page(client, calc="ltv-churn", arpa="1000", gross_margin="50", churn_rate="3")
    assert "1,000 × 50% ÷ 3% ≈ 16,666.67" in html


def test_it_accepts_thousands_separators_and_full_width_digits(client):
    html = page(client, calc="ltv-churn", arpa="３，０００", gross_margin="70%", churn_rate="2")
    assert "= 105,000" in html


def test_it_only_computes_the_submitted_calculator(client):
    html = page(client, calc="cohort", acquired="1000", continuing="500")
    assert html.count('role="status"') == 1
    assert html.count("calc-card is-active") == 1


def test_it_ignores_an_unknown_calculator(client):
    html = page(client, calc="nope", arpa="3000")
    assert 'role="status"' not in html and 'role="alert"' not in html


def test_it_links_each_example(client):
    html = page(client)
    assert (
        'href="?calc=ltv-churn&amp;arpa=3000&amp;gross_margin=70&amp;churn_rate=2#ltv-churn"'
        in html
    )


def test_it_explains_a_negative_value(client):
    html = page(client, calc="ltv-churn", arpa="-3000", gross_margin="70", churn_rate="2")
    assert 'role="alert"' in html
    assert "This value cannot be negative." in html
    assert 'id="ltv-churn-arpa_error"' in html and 'aria-invalid="true"' in html


def test_it_explains_zero_churn(client):
    html = page(client, calc="ltv-churn", arpa="3000", gross_margin="70", churn_rate="0")
    assert "The churn rate must be above zero" in html
    assert 'id="ltv-churn-churn_rate_error"' in html


def test_it_explains_text_instead_of_a_number(client):
    html = page(client, calc="ltv-churn", arpa="lots", gross_margin="70", churn_rate="2")
    assert "Enter a number, such as 3000 or 2.5." in html
    assert 'value="lots"' in html


def test_it_explains_a_margin_above_100_percent(client):
    html = page(client, calc="cac-payback", cac="1000", arpa="3000", gross_margin="120")
    assert "A percentage must lie between 0 and 100." in html


def test_it_explains_more_new_customers_than_at_the_end(client):
    html = page(
        client,
        calc="retention",
        customers_at_start="1000",
        customers_at_end="100",
        new_customers="200",
    )
    assert "New customers cannot outnumber" in html
    assert 'id="retention-new_customers_error"' in html


def test_it_explains_a_starting_count_of_zero(client):
    html = page(client, calc="customer-churn", customers_at_start="0", lost="0")
    assert "The starting count must be above zero" in html


def test_it_asks_for_whole_customers(client):
    html = page(client, calc="cohort", acquired="10.5", continuing="5")
    assert "Enter a whole number." in html


def test_it_asks_for_missing_values(client):
    html = page(client, calc="ltv-cac", ltv="", cac="100")
    assert 'id="ltv-cac-ltv_error"' in html


def test_it_refuses_absurdly_large_numbers_without_a_traceback(client):
    html = page(
        client, calc="ltv-purchases", average_purchase="1e999999", frequency="1", lifetime="1"
    )
    assert "too large" in html


def test_it_refuses_absurdly_long_decimals_without_a_traceback(client):
    html = page(client, calc="ltv-churn", arpa="3000", gross_margin="70", churn_rate="1e-999999")
    assert "six decimal places" in html


def test_it_explains_errors_in_japanese(client):
    html = page(client, lang="ja", calc="ltv-churn", arpa="-1", gross_margin="70", churn_rate="2")
    assert "マイナスの値は入力できません。" in html


def test_it_rejects_post(client):
    assert client.post(reverse("training:calculators")).status_code == 405


@pytest.mark.parametrize(
    "value, places, shown",
    [
        ("105000", 2, "105,000"),
        ("2.50", 2, "2.5"),
        ("16666.666666", 2, "16,666.67"),
        ("1234567.891", 1, "1,234,567.9"),
        ("-0.001", 2, "0"),
        ("1E+40", 2, "10,000,000,000,000,000,000,000,000,000,000,000,000,000"),
    ],
)
def test_numbers_are_shown_rounded_with_thousands_separators(value, places, shown):
    assert format_number(Decimal(value), places) == shown
