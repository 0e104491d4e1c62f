"""The SaaS metric functions: hand-checked values, the seeds' examples, every bad input."""

from decimal import Decimal

import pytest
from django.utils import translation

from training import metrics
from training.metrics import MetricError


def D(value) -> Decimal:
    return Decimal(str(value))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def error(metric, *args, **kwargs) -> MetricError:
    """The MetricError that ``metric`` raises for these arguments."""
    with pytest.raises(MetricError) as info:
        metric(*args, **kwargs)
    assert str(info.value)
    return info.value


# LTV from churn ------------------------------------------------------------------------------


def test_ltv_from_churn_divides_margin_revenue_by_churn():
    # 3,000 × 0.7 = 2,100 a month kept; ÷ 0.02 = 105,000.
    assert metrics.ltv_from_churn(D(3000), D("0.7"), D("0.02")) == D(105000)


def test_ltv_from_churn_with_full_margin_and_full_churn_is_one_month_of_revenue():
    assert metrics.ltv_from_churn(D(5000), D(1), D(1)) == D(5000)


def test_ltv_from_churn_keeps_full_precision():
    # Not rounded in the function: 1,000 × 0.5 ÷ 0.03 = 16,666.66…
    value = metrics.ltv_from_churn(D(1000), D("0.5"), D("0.03"))
    assert value.quantize(D("0.0001")) == D("16666.6667")
    assert value != value.quantize(D("0.01"))


def test_ltv_from_churn_rejects_zero_churn():
    failure = error(metrics.ltv_from_churn, D(3000), D("0.7"), D(0))
    assert failure.field == "churn_rate"
    assert "above zero" in str(failure)


def test_ltv_from_churn_rejects_negative_arpa():
    failure = error(metrics.ltv_from_churn, D(-1), D("0.7"), D("0.02"))
    assert failure.field == "arpa"
    assert "negative" in str(failure)


def test_ltv_from_churn_rejects_margin_above_100_percent():
    failure = error(metrics.ltv_from_churn, D(3000), D("1.2"), D("0.02"))
    assert failure.field == "gross_margin"
    assert "between 0 and 100" in str(failure)


def test_ltv_from_churn_rejects_negative_margin():
    failure = error(metrics.ltv_from_churn, D(3000), D("-0.1"), D("0.02"))
    assert failure.field == "gross_margin"


def test_ltv_from_churn_rejects_churn_above_100_percent():
    failure = error(metrics.ltv_from_churn, D(3000), D("0.7"), D("1.5"))
    assert failure.field == "churn_rate"


def test_ltv_from_churn_rejects_negative_churn():
    failure = error(metrics.ltv_from_churn, D(3000), D("0.7"), D("-0.02"))
    assert failure.field == "churn_rate"


def test_it_rejects_not_a_number():
    failure = error(metrics.ltv_from_churn, Decimal("NaN"), D("0.7"), D("0.02"))
    assert failure.field == "arpa"
    assert "number" in str(failure)


def test_it_rejects_infinity():
    failure = error(metrics.ltv_from_lifetime, D(100), Decimal("Infinity"))
    assert failure.field == "lifetime"


# LTV from lifetime, classic, with margin -----------------------------------------------------


def test_ltv_from_lifetime_multiplies_revenue_by_lifetime():
    # 4,000 a month for 25 months.
    assert metrics.ltv_from_lifetime(D(4000), D(25)) == D(100000)


def test_ltv_from_lifetime_accepts_fractional_lifetime():
    assert metrics.ltv_from_lifetime(D(1200), D("2.5")) == D(3000)


def test_ltv_from_lifetime_rejects_negative_revenue():
    failure = error(metrics.ltv_from_lifetime, D(-4000), D(25))
    assert failure.field == "average_revenue"


def test_ltv_from_lifetime_rejects_negative_lifetime():
    failure = error(metrics.ltv_from_lifetime, D(4000), D(-1))
    assert failure.field == "lifetime"


def test_ltv_classic_multiplies_purchase_frequency_and_lifetime():
    # 5,000 a purchase, 4 purchases a year, 3 years.
    assert metrics.ltv_classic(D(5000), D(4), D(3)) == D(60000)


def test_ltv_classic_with_zero_lifetime_is_zero():
    assert metrics.ltv_classic(D(5000), D(4), D(0)) == D(0)


@pytest.mark.parametrize("field", ["average_purchase", "frequency", "lifetime"])
def test_ltv_classic_rejects_each_negative_input(field):
    values = {"average_purchase": D(5000), "frequency": D(4), "lifetime": D(3)}
    values[field] = D(-1)
    assert error(metrics.ltv_classic, **values).field == field


def test_ltv_with_margin_applies_the_margin():
    # 5,000 × 0.4 × 4 × 3 = 24,000.
    assert metrics.ltv_with_margin(D(5000), D("0.4"), D(4), D(3)) == D(24000)


def test_ltv_with_margin_at_full_margin_equals_the_classic_formula():
    assert metrics.ltv_with_margin(D(5000), D(1), D(4), D(3)) == metrics.ltv_classic(
        D(5000), D(4), D(3)
    )


def test_ltv_with_margin_rejects_margin_above_100_percent():
    failure = error(metrics.ltv_with_margin, D(5000), D("1.01"), D(4), D(3))
    assert failure.field == "gross_margin"


@pytest.mark.parametrize("field", ["unit_price", "frequency", "lifetime"])
def test_ltv_with_margin_rejects_each_negative_input(field):
    values = {"unit_price": D(5000), "gross_margin": D("0.4"), "frequency": D(4), "lifetime": D(3)}
    values[field] = D(-1)
    assert error(metrics.ltv_with_margin, **values).field == field


# Retention -----------------------------------------------------------------------------------


def test_retention_rate_leaves_new_customers_out():
    # 1,000 at start, 1,100 at end of which 200 are new: 900 kept → 0.9.
    assert metrics.retention_rate(D(1000), D(1100), D(200)) == D("0.9")


def test_retention_rate_is_one_when_nobody_left():
    assert metrics.retention_rate(D(80), D(100), D(20)) == D(1)


def test_retention_rate_is_zero_when_only_new_customers_remain():
    assert metrics.retention_rate(D(50), D(30), D(30)) == D(0)


def test_retention_rate_rejects_a_starting_count_of_zero():
    failure = error(metrics.retention_rate, D(0), D(10), D(10))
    assert failure.field == "customers_at_start"
    assert "above zero" in str(failure)


def test_retention_rate_rejects_more_new_customers_than_customers_at_the_end():
    failure = error(metrics.retention_rate, D(1000), D(100), D(200))
    assert failure.field == "new_customers"
    assert "outnumber" in str(failure)


def test_retention_rate_rejects_keeping_more_than_were_there():
    failure = error(metrics.retention_rate, D(100), D(300), D(50))
    assert failure.field == "customers_at_end"


@pytest.mark.parametrize("field", ["customers_at_start", "customers_at_end", "new_customers"])
def test_retention_rate_rejects_each_negative_input(field):
    values = {"customers_at_start": D(1000), "customers_at_end": D(1100), "new_customers": D(200)}
    values[field] = D(-1)
    assert error(metrics.retention_rate, **values).field == field


def test_cohort_retention_reproduces_the_seed_example():
    # Seed 003: 500 of 1,000 new users still using the service after a month → 50 %.
    assert metrics.cohort_retention(D(500), D(1000)) == D("0.5")


def test_cohort_retention_hand_checked():
    assert metrics.cohort_retention(D(45), D(60)) == D("0.75")


def test_cohort_retention_rejects_an_empty_cohort():
    failure = error(metrics.cohort_retention, D(0), D(0))
    assert failure.field == "acquired"


def test_cohort_retention_rejects_more_continuing_than_acquired():
    failure = error(metrics.cohort_retention, D(1001), D(1000))
    assert failure.field == "continuing"


def test_cohort_retention_rejects_negative_continuing():
    failure = error(metrics.cohort_retention, D(-1), D(1000))
    assert failure.field == "continuing"


def test_cohort_retention_rejects_negative_acquired():
    failure = error(metrics.cohort_retention, D(10), D(-1000))
    assert failure.field == "acquired"


# Churn ---------------------------------------------------------------------------------------


def test_customer_churn_rate_hand_checked():
    # 30 of 1,500 customers lost → 0.02.
    assert metrics.customer_churn_rate(D(30), D(1500)) == D("0.02")


def test_customer_churn_rate_rejects_a_starting_count_of_zero():
    failure = error(metrics.customer_churn_rate, D(0), D(0))
    assert failure.field == "customers_at_start"


def test_customer_churn_rate_rejects_losing_more_than_there_were():
    failure = error(metrics.customer_churn_rate, D(11), D(10))
    assert failure.field == "lost"


def test_customer_churn_rate_rejects_negative_lost():
    failure = error(metrics.customer_churn_rate, D(-1), D(10))
    assert failure.field == "lost"


def test_revenue_churn_rate_hand_checked():
    # 25,000 of 1,000,000 MRR lost → 0.025.
    assert metrics.revenue_churn_rate(D(25000), D(1000000)) == D("0.025")


def test_revenue_churn_rate_rejects_zero_mrr_at_start():
    failure = error(metrics.revenue_churn_rate, D(0), D(0))
    assert failure.field == "mrr_at_start"


def test_revenue_churn_rate_rejects_losing_more_than_there_was():
    failure = error(metrics.revenue_churn_rate, D(2000), D(1000))
    assert failure.field == "lost_mrr"


def test_revenue_churn_rate_rejects_negative_lost_mrr():
    failure = error(metrics.revenue_churn_rate, D(-5), D(1000))
    assert failure.field == "lost_mrr"


def test_net_revenue_retention_hand_checked():
    # (100,000 + 15,000 − 5,000 − 8,000) ÷ 100,000 = 1.02.
    assert metrics.net_revenue_retention(D(100000), D(15000), D(5000), D(8000)) == D("1.02")


def test_net_revenue_retention_below_one_when_losses_outweigh_expansion():
    assert metrics.net_revenue_retention(D(1000), D(0), D(100), D(50)) == D("0.85")


def test_net_revenue_retention_rejects_zero_mrr_at_start():
    failure = error(metrics.net_revenue_retention, D(0), D(10), D(0), D(0))
    assert failure.field == "mrr_at_start"


def test_net_revenue_retention_rejects_losing_more_than_there_was():
    failure = error(metrics.net_revenue_retention, D(1000), D(500), D(600), D(500))
    assert failure.field == "churned"


@pytest.mark.parametrize("field", ["mrr_at_start", "expansion", "contraction", "churned"])
def test_net_revenue_retention_rejects_each_negative_input(field):
    values = {
        "mrr_at_start": D(1000),
        "expansion": D(10),
        "contraction": D(10),
        "churned": D(10),
    }
    values[field] = D(-1)
    assert error(metrics.net_revenue_retention, **values).field == field


# Unit economics ------------------------------------------------------------------------------


def test_cac_payback_months_hand_checked():
    # 42,000 ÷ (3,000 × 0.7 = 2,100 a month) = 20 months.
    assert metrics.cac_payback_months(D(42000), D(3000), D("0.7")) == D(20)


def test_cac_payback_months_keeps_fractions_of_a_month():
    assert metrics.cac_payback_months(D(10000), D(4000), D("0.8")) == D("3.125")


def test_cac_payback_months_rejects_zero_arpa():
    failure = error(metrics.cac_payback_months, D(10000), D(0), D("0.7"))
    assert failure.field == "arpa"


def test_cac_payback_months_rejects_zero_margin():
    failure = error(metrics.cac_payback_months, D(10000), D(3000), D(0))
    assert failure.field == "gross_margin"


def test_cac_payback_months_rejects_margin_above_100_percent():
    failure = error(metrics.cac_payback_months, D(10000), D(3000), D(2))
    assert failure.field == "gross_margin"


def test_cac_payback_months_rejects_negative_cac():
    failure = error(metrics.cac_payback_months, D(-1), D(3000), D("0.7"))
    assert failure.field == "cac"


def test_ltv_to_cac_hand_checked():
    assert metrics.ltv_to_cac(D(105000), D(35000)) == D(3)


def test_ltv_to_cac_below_one_means_losing_money_on_each_customer():
    assert metrics.ltv_to_cac(D(20000), D(40000)) == D("0.5")


def test_ltv_to_cac_rejects_zero_cac():
    failure = error(metrics.ltv_to_cac, D(105000), D(0))
    assert failure.field == "cac"


def test_ltv_to_cac_rejects_negative_ltv():
    failure = error(metrics.ltv_to_cac, D(-1), D(100))
    assert failure.field == "ltv"


# Errors ---------------------------------------------------------------------------------------


def test_metric_error_is_a_value_error():
    assert issubclass(MetricError, ValueError)
