"""What-if calculators of the two rules of thumb in seed 003: the 1:5 rule and the 5:25 rule.
Each shows the rule as the source states it, on the user's own numbers."""

from django.utils.translation import gettext_lazy as _

from .. import metrics
from .extra import Extra, MultiResultForm
from .fields import CountField, NumberField


class Rule15Form(MultiResultForm):
    slug = "what-if-1-5"
    title = _("What if: the 1:5 rule")
    explanation = _(
        "Winning a new customer is said to cost about five times as much as keeping one. "
        "Enter what keeping one customer costs you and how many customers are at risk of "
        "leaving, to see what replacing them with new ones would cost by that rule. Five is "
        "a rule of thumb: where you know your own CAC, compare with it instead."
    )
    formula = _("Cost of keeping one customer × 5 × customers")
    result_label = _("Cost of winning as many new customers (by the rule)")
    expression = "{retention_cost_per_customer} × 5 × {customers}"
    example = {"retention_cost_per_customer": "8000", "customers": "50"}
    metric = staticmethod(metrics.replacement_cost_by_rule_1_5)
    extras = (
        Extra(
            _("Cost of keeping them"),
            metrics.retention_cost,
            "{retention_cost_per_customer} × {customers}",
        ),
        Extra(
            _("Saved by keeping them instead"),
            metrics.saving_by_rule_1_5,
            "{retention_cost_per_customer} × (5 − 1) × {customers}",
        ),
    )

    retention_cost_per_customer = NumberField(
        label=_("Cost of keeping one customer"),
        help_text=_("An amount per customer: support, success and retention offers."),
    )
    customers = CountField(label=_("Customers at risk of leaving"))


class Rule525Form(MultiResultForm):
    slug = "what-if-5-25"
    title = _("What if: the 5:25 rule")
    explanation = _(
        "The rule says that improving the retention rate by 5 percent improves profit by 25 "
        "percent or more, and by more again when loyal customers also take up upsell and "
        "cross-sell offers. It is a rule of thumb, not a forecast: the source gives only the "
        "lower bound, does not say whether 5 percent means 5 points, and your own figures "
        "decide what retention is worth to you."
    )
    formula = _("Profit now × (1 + 25 percent), or more")
    result_label = _("Profit after the improvement (by the rule)")
    result_phrase = _("%(value)s or more")
    expression = "{profit} × 1.25"
    example = {"profit": "10000000"}
    metric = staticmethod(metrics.profit_by_rule_5_25)
    extras = (
        Extra(
            _("Profit improvement"),
            metrics.profit_gain_by_rule_5_25,
            "{profit} × 0.25",
            phrase=_("%(value)s or more"),
        ),
    )

    profit = NumberField(
        label=_("Profit now, for a year"), help_text=_("An amount, such as last year's profit.")
    )
