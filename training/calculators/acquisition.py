"""The calculator of customer acquisition cost (CAC); what it is compared with (payback, LTV
÷ CAC) is in ``unit_economics``."""

from django.utils.translation import gettext_lazy as _

from .. import metrics
from .fields import CountField, NumberField
from .form import CalculatorForm


class CacForm(CalculatorForm):
    slug = "cac"
    title = _("CAC (customer acquisition cost)")
    explanation = _(
        "What winning one new customer cost: all the sales and marketing spend of a period "
        "divided by the new customers won in it. Use the result in the payback and LTV ÷ CAC "
        "calculators below."
    )
    formula = _("Sales and marketing spend ÷ new customers won")
    result_label = _("CAC per customer")
    expression = "{spend} ÷ {new_customers}"
    example = {"spend": "4200000", "new_customers": "100"}
    metric = staticmethod(metrics.cac)

    spend = NumberField(
        label=_("Sales and marketing spend in the period"),
        help_text=_("An amount: advertising, events, tools and the people who sell, together."),
    )
    new_customers = CountField(label=_("New customers won in the period"))
