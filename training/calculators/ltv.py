"""Calculators of customer lifetime value (LTV), four ways."""

from django.utils.translation import gettext_lazy as _

from .. import metrics
from .fields import NumberField, PercentField
from .form import CalculatorForm


class LtvFromChurnForm(CalculatorForm):
    slug = "ltv-churn"
    title = _("LTV from the churn rate")
    explanation = _(
        "For a subscription: the gross profit one customer brings in a month, divided by the "
        "monthly churn rate. Dividing by the churn rate is multiplying by the average "
        "customer lifetime, 1 ÷ churn rate: the lower the churn, the longer customers stay "
        "and the higher the LTV."
    )
    formula = _("ARPA × gross margin ÷ churn rate")
    result_label = _("LTV per customer")
    expression = "{arpa} × {gross_margin} ÷ {churn_rate}"
    example = {"arpa": "3000", "gross_margin": "70", "churn_rate": "2"}
    metric = staticmethod(metrics.ltv_from_churn)

    arpa = NumberField(
        label=_("ARPA (average monthly revenue per customer)"),
        help_text=_("An amount; type the number only, without a currency sign."),
    )
    gross_margin = PercentField(
        label=_("Gross margin"),
        help_text=_("Percent of revenue left after the direct cost of providing the service."),
    )
    churn_rate = PercentField(
        label=_("Monthly churn rate"),
        help_text=_("Percent of customers who cancel in a month; must be above zero."),
    )


class LtvFromLifetimeForm(CalculatorForm):
    slug = "ltv-lifetime"
    title = _("LTV from the customer lifetime")
    explanation = _(
        "When you already know how long customers stay, multiply the average revenue per "
        "period by that lifetime. Count both in the same period, such as months."
    )
    formula = _("Average revenue × average customer lifetime")
    result_label = _("LTV per customer")
    expression = "{average_revenue} × {lifetime}"
    example = {"average_revenue": "4000", "lifetime": "25"}
    metric = staticmethod(metrics.ltv_from_lifetime)

    average_revenue = NumberField(
        label=_("Average revenue per customer per period"),
        help_text=_("An amount for one period, such as one month."),
    )
    lifetime = NumberField(
        label=_("Average customer lifetime (periods)"),
        help_text=_("How many periods a customer stays on average, such as 25 months."),
    )


class LtvClassicForm(CalculatorForm):
    slug = "ltv-purchases"
    title = _("LTV from purchases")
    explanation = _(
        "The classic formula: how much a customer spends per purchase, how often they buy "
        "and how long they stay. It fits repeat purchases as well as subscriptions."
    )
    formula = _("Average purchase value × purchase frequency × customer lifetime")
    result_label = _("LTV per customer")
    expression = "{average_purchase} × {frequency} × {lifetime}"
    example = {"average_purchase": "5000", "frequency": "4", "lifetime": "3"}
    metric = staticmethod(metrics.ltv_classic)

    average_purchase = NumberField(
        label=_("Average purchase value"), help_text=_("An amount per purchase.")
    )
    frequency = NumberField(
        label=_("Purchases per period"), help_text=_("For example, 4 purchases a year.")
    )
    lifetime = NumberField(
        label=_("Customer lifetime (periods)"),
        help_text=_("In the same period as the frequency, for example 3 years."),
    )


class LtvWithMarginForm(CalculatorForm):
    slug = "ltv-margin"
    title = _("LTV with the gross margin")
    explanation = _(
        "The purchase formula with the gross margin added, so that the LTV counts profit "
        "rather than sales. This is the LTV to compare with the CAC."
    )
    formula = _("Average unit price × gross margin × purchase frequency × customer lifetime")
    result_label = _("LTV per customer")
    expression = "{unit_price} × {gross_margin} × {frequency} × {lifetime}"
    example = {"unit_price": "5000", "gross_margin": "40", "frequency": "4", "lifetime": "3"}
    metric = staticmethod(metrics.ltv_with_margin)

    unit_price = NumberField(label=_("Average unit price"), help_text=_("An amount per purchase."))
    gross_margin = PercentField(
        label=_("Gross margin"),
        help_text=_("Percent of revenue left after the direct cost of providing the service."),
    )
    frequency = NumberField(
        label=_("Purchases per period"), help_text=_("For example, 4 purchases a year.")
    )
    lifetime = NumberField(
        label=_("Customer lifetime (periods)"),
        help_text=_("In the same period as the frequency, for example 3 years."),
    )
