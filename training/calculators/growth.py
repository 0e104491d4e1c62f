"""Calculators of MRR growth: month over month, on average over months, compounded ahead,
and the MRR bridge from opening to closing MRR."""

from django.utils.translation import gettext_lazy as _

from .. import metrics
from .extra import Extra, MultiResultForm
from .fields import CountField, NumberField, PercentField
from .form import PERCENT

MRR_HELP = _("Monthly recurring revenue, as an amount.")


class MrrGrowthForm(MultiResultForm):
    slug = "mrr-growth"
    title = _("MRR growth rate, month over month")
    explanation = _(
        "How much monthly recurring revenue grew from one month to the next, and the net new "
        "MRR behind it. A shrinking MRR gives a negative rate."
    )
    formula = _("(This month's MRR − last month's MRR) ÷ last month's MRR")
    result_label = _("MRR growth rate")
    result_kind = PERCENT
    expression = "({current_mrr} − {previous_mrr}) ÷ {previous_mrr}"
    example = {"previous_mrr": "2000000", "current_mrr": "2300000"}
    metric = staticmethod(metrics.mrr_growth_rate)
    extras = (Extra(_("Net new MRR"), metrics.net_new_mrr, "{current_mrr} − {previous_mrr}"),)

    previous_mrr = NumberField(label=_("Last month's MRR"), help_text=MRR_HELP)
    current_mrr = NumberField(label=_("This month's MRR"), help_text=MRR_HELP)


class AverageMonthlyGrowthForm(MultiResultForm):
    slug = "mrr-average-growth"
    title = _("Average monthly MRR growth rate")
    explanation = _(
        "The steady monthly rate that takes MRR from where it was to where it is now. This "
        "is how a company can say it grew MRR by 15 percent a month on average."
    )
    formula = _("(MRR at the end ÷ MRR at the start) to the power 1 ÷ months, minus 1")
    result_label = _("Average monthly growth rate")
    result_kind = PERCENT
    expression = "({mrr_at_end} ÷ {mrr_at_start})^(1 ÷ {months}) − 1"
    example = {"mrr_at_start": "1000000", "mrr_at_end": "5350250", "months": "12"}
    metric = staticmethod(metrics.average_monthly_growth_rate)
    extras = (
        Extra(
            _("Net new MRR over the whole time"),
            lambda mrr_at_start, mrr_at_end: metrics.net_new_mrr(mrr_at_start, mrr_at_end),
            "{mrr_at_end} − {mrr_at_start}",
        ),
    )

    mrr_at_start = NumberField(label=_("MRR at the start"), help_text=MRR_HELP)
    mrr_at_end = NumberField(label=_("MRR at the end"), help_text=MRR_HELP)
    months = CountField(
        label=_("Months between the two (months)"),
        help_text=_("A whole number from 1 to 120; from January to the next January is 12."),
    )


class CompoundedGrowthForm(MultiResultForm):
    slug = "mrr-compounded"
    title = _("MRR after months of steady growth")
    explanation = _(
        "What a monthly growth rate adds up to when it holds month after month: growth "
        "compounds, so 15 percent a month for a year is far more than 12 × 15 percent."
    )
    formula = _("MRR now × (1 + monthly growth rate) to the power of the months")
    result_label = _("MRR at the end")
    expression = "{mrr_now} × (1 + {monthly_growth_rate})^{months}"
    example = {"mrr_now": "1000000", "monthly_growth_rate": "15", "months": "12"}
    metric = staticmethod(metrics.compounded_mrr)
    extras = (
        Extra(
            _("Growth over the whole time"),
            metrics.compounded_growth,
            "(1 + {monthly_growth_rate})^{months} − 1",
            PERCENT,
        ),
    )

    mrr_now = NumberField(label=_("MRR now"), help_text=MRR_HELP)
    monthly_growth_rate = PercentField(
        label=_("Monthly growth rate"), help_text=_("Percent a month, for example 15.")
    )
    months = CountField(
        label=_("Number of months (months)"), help_text=_("A whole number from 1 to 120.")
    )


class MrrBridgeForm(MultiResultForm):
    slug = "mrr-bridge"
    title = _("MRR bridge: from opening to closing MRR")
    explanation = _(
        "Where a month's MRR change came from: new customers and expansion add to it, "
        "downgrades and cancellations take away. Net revenue retention counts the customers "
        "there at the start with their expansion; gross revenue retention leaves expansion "
        "out, so upsell cannot hide losses."
    )
    formula = _("Opening MRR + new MRR + expansion − contraction − churned MRR")
    result_label = _("Closing MRR")
    expression = "{mrr_at_start} + {new_mrr} + {expansion} − {contraction} − {churned}"
    example = {
        "mrr_at_start": "100000",
        "new_mrr": "12000",
        "expansion": "15000",
        "contraction": "5000",
        "churned": "8000",
    }
    metric = staticmethod(metrics.mrr_bridge_closing)
    extras = (
        Extra(
            _("Net revenue retention (NRR)"),
            metrics.net_revenue_retention,
            "({mrr_at_start} + {expansion} − {contraction} − {churned}) ÷ {mrr_at_start}",
            PERCENT,
        ),
        Extra(
            _("Gross revenue retention (GRR)"),
            metrics.gross_revenue_retention,
            "({mrr_at_start} − {contraction} − {churned}) ÷ {mrr_at_start}",
            PERCENT,
        ),
    )

    mrr_at_start = NumberField(
        label=_("Opening MRR"), help_text=_("MRR on the first day of the month, as an amount.")
    )
    new_mrr = NumberField(label=_("New MRR"), help_text=_("From customers won during the month."))
    expansion = NumberField(label=_("Expansion MRR (upsell and cross-sell)"))
    contraction = NumberField(label=_("Contraction MRR (downgrades)"))
    churned = NumberField(label=_("Churned MRR (cancellations)"))
