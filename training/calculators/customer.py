"""Calculators of the customer success metrics: NPS, onboarding completion, upsell and
cross-sell rates."""

from django.utils.translation import gettext_lazy as _

from .. import metrics
from .fields import CountField
from .form import PERCENT, CalculatorForm


class NpsForm(CalculatorForm):
    slug = "nps"
    title = _("NPS (Net Promoter Score)")
    explanation = _(
        "Ask how likely a customer is to recommend you, on a scale from 0 to 10. Those who "
        "answer 9 or 10 are promoters, 7 or 8 passives, 0 to 6 detractors. The score runs "
        "from −100 (all detractors) to 100 (all promoters); passives count only in the total."
    )
    formula = _("(Promoters − detractors) ÷ all respondents × 100")
    result_label = _("NPS")
    expression = "({promoters} − {detractors}) ÷ ({promoters} + {passives} + {detractors}) × 100"
    example = {"promoters": "50", "passives": "30", "detractors": "20"}
    metric = staticmethod(metrics.net_promoter_score)

    promoters = CountField(label=_("Promoters (answered 9 or 10)"))
    passives = CountField(label=_("Passives (answered 7 or 8)"))
    detractors = CountField(label=_("Detractors (answered 0 to 6)"))


class OnboardingCompletionForm(CalculatorForm):
    slug = "onboarding"
    title = _("Onboarding completion rate")
    explanation = _(
        "Of the customers who began onboarding, the share who finished it and started using "
        "the service on their own. The base is the customers who began onboarding in the "
        "period, usually its new customers."
    )
    formula = _("Customers who completed onboarding ÷ customers who began it")
    result_label = _("Onboarding completion rate")
    result_kind = PERCENT
    expression = "{completed} ÷ {started}"
    example = {"started": "80", "completed": "60"}
    metric = staticmethod(metrics.onboarding_completion_rate)

    started = CountField(label=_("Customers who began onboarding"))
    completed = CountField(label=_("Customers who completed onboarding"))


class UpsellRateForm(CalculatorForm):
    slug = "upsell"
    title = _("Upsell rate")
    explanation = _(
        "The share of existing customers who moved to a higher plan or a larger contract "
        "during the period. The base is the customers at the start of the period."
    )
    formula = _("Customers who upgraded ÷ customers at the start of the period")
    result_label = _("Upsell rate")
    result_kind = PERCENT
    expression = "{upsold} ÷ {customers}"
    example = {"customers": "400", "upsold": "30"}
    metric = staticmethod(metrics.upsell_rate)

    customers = CountField(label=_("Customers at the start of the period"))
    upsold = CountField(label=_("Customers who upgraded during the period"))


class CrossSellRateForm(CalculatorForm):
    slug = "cross-sell"
    title = _("Cross-sell rate")
    explanation = _(
        "The share of existing customers who bought a further product or option during the "
        "period. The base is the customers at the start of the period."
    )
    formula = _("Customers who bought a further product ÷ customers at the start of the period")
    result_label = _("Cross-sell rate")
    result_kind = PERCENT
    expression = "{cross_sold} ÷ {customers}"
    example = {"customers": "400", "cross_sold": "18"}
    metric = staticmethod(metrics.cross_sell_rate)

    customers = CountField(label=_("Customers at the start of the period"))
    cross_sold = CountField(label=_("Customers who bought a further product"))
