"""One form per SaaS metric calculator.

Each form's fields carry the metric function's argument names, so ``clean()`` can call the
function directly; percentages are typed as percent and handed over as fractions. A
:class:`~training.metrics.MetricError` becomes an error on the field it names.
"""

import unicodedata
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import ClassVar
from urllib.parse import urlencode

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import metrics
from .metrics import MetricError

HUNDRED = Decimal(100)
# Caps keep every product and quotient far inside Decimal's range.
LARGEST = Decimal(10) ** 15


def format_number(value: Decimal, places: int = 2) -> str:
    """Round for display and group thousands: 105000 → "105,000", 2.50 → "2.5"."""
    with localcontext() as context:
        context.prec = 200
        rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{rounded:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


class NumberInput(forms.TextInput):
    """A text box with a numeric keypad on phones; unlike type=number it accepts "3,000"."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})


class NumberField(forms.DecimalField):
    """A non-negative number; tolerates thousands separators and full-width digits."""

    widget = NumberInput
    unit: str = ""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", LARGEST)
        kwargs.setdefault("decimal_places", 6)
        messages = {
            "invalid": _("Enter a number, such as 3000 or 2.5."),
            "min_value": _("This value cannot be negative."),
            "max_value": _("This number is too large for the calculator."),
            "max_decimal_places": _("Use at most six decimal places."),
        }
        messages.update(kwargs.pop("error_messages", {}))
        super().__init__(error_messages=messages, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            # NFKC turns full-width digits and punctuation (３，０００．５) into ASCII.
            value = unicodedata.normalize("NFKC", value).replace(",", "").replace(" ", "")
            value = value.removesuffix(self.unit) if self.unit else value
        return super().to_python(value)

    def display(self, value: Decimal) -> str:
        return format_number(value, 6) + self.unit


class PercentField(NumberField):
    """A percentage typed as percent (70 for 70 %); the form hands the metric 0.7."""

    unit = "%"

    def __init__(self, **kwargs):
        kwargs.setdefault("max_value", 100)
        kwargs.setdefault(
            "error_messages", {"max_value": _("A percentage must lie between 0 and 100.")}
        )
        super().__init__(**kwargs)


class CountField(NumberField):
    """A number of customers: whole and non-negative."""

    def __init__(self, **kwargs):
        kwargs.setdefault("decimal_places", 0)
        kwargs.setdefault("error_messages", {"max_decimal_places": _("Enter a whole number.")})
        super().__init__(**kwargs)


AMOUNT, PERCENT, MONTHS, TIMES = "amount", "percent", "months", "times"


class CalculatorForm(forms.Form):
    """A calculator: fields named after ``metric``'s arguments, shown with its formula."""

    slug: ClassVar[str]
    title: ClassVar[Promise]
    explanation: ClassVar[Promise]
    formula: ClassVar[Promise]
    result_label: ClassVar[Promise]
    # Numbers and operators only, so it needs no translation: "{arpa} × {gross_margin}".
    expression: ClassVar[str]
    result_kind: ClassVar[str] = AMOUNT
    example: ClassVar[dict[str, str]]
    metric: ClassVar[Callable[..., Decimal]]

    def __init__(self, data=None, **kwargs):
        kwargs.setdefault("auto_id", f"{self.slug}-%s")
        super().__init__(data, **kwargs)
        self.result: Decimal | None = None

    def clean(self):
        cleaned = super().clean()
        if any(name not in cleaned for name in self.fields):
            return cleaned
        arguments = {
            name: cleaned[name] / HUNDRED if isinstance(field, PercentField) else cleaned[name]
            for name, field in self.fields.items()
        }
        try:
            self.result = type(self).metric(**arguments)
        except MetricError as error:
            self.add_error(error.field if error.field in self.fields else None, error.message)
        return cleaned

    def example_query(self) -> str:
        """The query string that fills this calculator with its example and submits it."""
        return urlencode({"calc": self.slug, **self.example})

    def result_number(self) -> str:
        """The result rounded for display, with a percent sign where it is a rate."""
        if self.result_kind == PERCENT:
            return format_number(self.result * HUNDRED, 2) + "%"
        places = {AMOUNT: 2, MONTHS: 1, TIMES: 2}[self.result_kind]
        return format_number(self.result, places)

    def result_text(self) -> str:
        """The result as a phrase: "20 months", "3 times", "105,000"."""
        number = self.result_number()
        if self.result_kind == MONTHS:
            return gettext("%(value)s months") % {"value": number}
        if self.result_kind == TIMES:
            return gettext("%(value)s times") % {"value": number}
        return number

    def worked(self) -> str:
        """The formula with the user's numbers in it: "3,000 × 70% ÷ 2% = 105,000"."""
        shown = {
            name: field.display(self.cleaned_data[name]) for name, field in self.fields.items()
        }
        number = self.result_number()
        exact = self.result * HUNDRED if self.result_kind == PERCENT else self.result
        equals = "=" if Decimal(number.rstrip("%").replace(",", "")) == exact else "≈"
        return f"{self.expression.format(**shown)} {equals} {number}"


class LtvFromChurnForm(CalculatorForm):
    slug = "ltv-churn"
    title = _("LTV from the churn rate")
    explanation = _(
        "For a subscription: the gross profit one customer brings in a month, divided by the "
        "monthly churn rate. The lower the churn, the longer customers stay and the higher "
        "the LTV."
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


class CacPaybackForm(CalculatorForm):
    slug = "cac-payback"
    title = _("CAC payback period")
    explanation = _(
        "How many months of gross profit from one customer it takes to earn back what winning "
        "that customer cost. The shorter it is, the sooner growth pays for itself."
    )
    formula = _("CAC ÷ (ARPA × gross margin)")
    result_label = _("CAC payback period")
    result_kind = MONTHS
    expression = "{cac} ÷ ({arpa} × {gross_margin})"
    example = {"cac": "42000", "arpa": "3000", "gross_margin": "70"}
    metric = staticmethod(metrics.cac_payback_months)

    cac = NumberField(
        label=_("CAC (cost of acquiring one customer)"),
        help_text=_("Sales and marketing spend divided by the customers it won; an amount."),
    )
    arpa = NumberField(
        label=_("ARPA (average monthly revenue per customer)"),
        help_text=_("An amount; type the number only, without a currency sign."),
    )
    gross_margin = PercentField(
        label=_("Gross margin"),
        help_text=_("Percent of revenue left after the direct cost of providing the service."),
    )


class LtvToCacForm(CalculatorForm):
    slug = "ltv-cac"
    title = _("LTV ÷ CAC (unit economics)")
    explanation = _(
        "How many times a customer gives back what it cost to win them. Below 1, every new "
        "customer loses money; 3 or more is a common target in SaaS."
    )
    formula = _("LTV ÷ CAC")
    result_label = _("LTV ÷ CAC")
    result_kind = TIMES
    expression = "{ltv} ÷ {cac}"
    example = {"ltv": "105000", "cac": "35000"}
    metric = staticmethod(metrics.ltv_to_cac)

    ltv = NumberField(
        label=_("LTV per customer"),
        help_text=_("Best based on gross profit, from one of the LTV calculators."),
    )
    cac = NumberField(
        label=_("CAC (cost of acquiring one customer)"),
        help_text=_("Sales and marketing spend divided by the customers it won; an amount."),
    )
