"""Calculators of unit economics: whether winning a customer pays off, and how soon."""

from django.utils.translation import gettext_lazy as _

from .. import metrics
from .fields import NumberField, PercentField
from .form import MONTHS, TIMES, CalculatorForm


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
