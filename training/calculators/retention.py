"""Calculators of retention and churn: of customers, of a cohort, of revenue."""

from django.utils.translation import gettext_lazy as _

from .. import metrics
from .fields import CountField, NumberField
from .form import PERCENT, CalculatorForm


class RetentionRateForm(CalculatorForm):
    slug = "retention"
    title = _("Retention rate over a period")
    explanation = _(
        "Of the customers you had when a period began, the share still with you when it "
        "ended. New customers are taken out first, so growth cannot hide churn."
    )
    formula = _("(Customers at the end − new customers) ÷ customers at the start")
    result_label = _("Retention rate")
    result_kind = PERCENT
    expression = "({customers_at_end} − {new_customers}) ÷ {customers_at_start}"
    example = {"customers_at_start": "1000", "customers_at_end": "1100", "new_customers": "200"}
    metric = staticmethod(metrics.retention_rate)

    customers_at_start = CountField(label=_("Customers at the start of the period"))
    customers_at_end = CountField(label=_("Customers at the end of the period"))
    new_customers = CountField(label=_("New customers won during the period"))


class CohortRetentionForm(CalculatorForm):
    slug = "cohort"
    title = _("Retention rate of a cohort")
    explanation = _(
        "Follow one group of customers acquired together and count how many still use the "
        "service after a set time. If 500 of 1,000 new users are still there a month later, "
        "the retention rate is 50 percent."
    )
    formula = _("Customers still continuing ÷ customers acquired")
    result_label = _("Retention rate")
    result_kind = PERCENT
    expression = "{continuing} ÷ {acquired}"
    example = {"acquired": "1000", "continuing": "500"}
    metric = staticmethod(metrics.cohort_retention)

    acquired = CountField(label=_("Customers acquired in the cohort"))
    continuing = CountField(
        label=_("Customers still continuing"),
        help_text=_("Counted after the time you follow, such as one month."),
    )


class CustomerChurnForm(CalculatorForm):
    slug = "customer-churn"
    title = _("Customer churn rate")
    explanation = _(
        "The share of the customers at the start of a period who cancelled during it. An "
        "engagement-type organisation chases a low churn rate rather than a high win rate."
    )
    formula = _("Customers lost ÷ customers at the start")
    result_label = _("Customer churn rate")
    result_kind = PERCENT
    expression = "{lost} ÷ {customers_at_start}"
    example = {"customers_at_start": "1500", "lost": "30"}
    metric = staticmethod(metrics.customer_churn_rate)

    customers_at_start = CountField(label=_("Customers at the start of the period"))
    lost = CountField(label=_("Customers lost during the period"))


class RevenueChurnForm(CalculatorForm):
    slug = "revenue-churn"
    title = _("Revenue churn rate (gross)")
    explanation = _(
        "The share of recurring revenue lost to cancellations and downgrades. Losing a large "
        "customer weighs more than losing a small one, which the customer churn rate hides."
    )
    formula = _("MRR lost ÷ MRR at the start")
    result_label = _("Revenue churn rate")
    result_kind = PERCENT
    expression = "{lost_mrr} ÷ {mrr_at_start}"
    example = {"mrr_at_start": "1000000", "lost_mrr": "25000"}
    metric = staticmethod(metrics.revenue_churn_rate)

    mrr_at_start = NumberField(
        label=_("MRR at the start of the period"),
        help_text=_("Monthly recurring revenue, as an amount."),
    )
    lost_mrr = NumberField(label=_("MRR lost to cancellations and downgrades"))


class NetRevenueRetentionForm(CalculatorForm):
    slug = "nrr"
    title = _("Net revenue retention (NRR)")
    explanation = _(
        "Revenue from the customers you already had, with upsell and cross-sell added and "
        "downgrades and cancellations taken away. Above 100 percent, existing customers grow "
        "revenue even without a single new sale."
    )
    formula = _("(MRR at the start + expansion − contraction − churned MRR) ÷ MRR at the start")
    result_label = _("Net revenue retention")
    result_kind = PERCENT
    expression = "({mrr_at_start} + {expansion} − {contraction} − {churned}) ÷ {mrr_at_start}"
    example = {
        "mrr_at_start": "100000",
        "expansion": "15000",
        "contraction": "5000",
        "churned": "8000",
    }
    metric = staticmethod(metrics.net_revenue_retention)

    mrr_at_start = NumberField(
        label=_("MRR at the start of the period"),
        help_text=_("Monthly recurring revenue, as an amount."),
    )
    expansion = NumberField(label=_("Expansion MRR (upsell and cross-sell)"))
    contraction = NumberField(label=_("Contraction MRR (downgrades)"))
    churned = NumberField(label=_("Churned MRR (cancellations)"))
