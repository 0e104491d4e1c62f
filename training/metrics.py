"""SaaS metrics as pure functions: Decimal in, Decimal out.

Rates are fractions (70 % is ``Decimal("0.7")``); amounts are plain numbers in whatever
currency the user thinks in. Nothing is rounded here: rounding is for display only.
Bad input raises :class:`MetricError`, whose message is translated and safe to show.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

ZERO = Decimal(0)
ONE = Decimal(1)


class MetricError(ValueError):
    """Input a metric cannot be computed from; ``field`` names the argument at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _finite(value: Decimal, field: str) -> None:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise MetricError(_("Enter a number."), field)


def _non_negative(value: Decimal, field: str) -> None:
    _finite(value, field)
    if value < ZERO:
        raise MetricError(_("This value cannot be negative."), field)


def _positive(value: Decimal, field: str, message: str) -> None:
    _non_negative(value, field)
    if value == ZERO:
        raise MetricError(message, field)


def _fraction(value: Decimal, field: str) -> None:
    _finite(value, field)
    if not ZERO <= value <= ONE:
        raise MetricError(_("A percentage must lie between 0 and 100."), field)


def _churn(value: Decimal, field: str) -> None:
    _fraction(value, field)
    if value == ZERO:
        raise MetricError(
            _(
                "The churn rate must be above zero: with no churn a customer never leaves, "
                "so the lifetime and the LTV have no limit."
            ),
            field,
        )


def _count_at_start(value: Decimal, field: str) -> None:
    _positive(
        value,
        field,
        _("The starting count must be above zero: a rate needs something to divide by."),
    )


def ltv_from_churn(arpa: Decimal, gross_margin: Decimal, churn_rate: Decimal) -> Decimal:
    """LTV = ARPA × gross margin ÷ churn rate.

    Dividing by the churn rate is multiplying by the average customer lifetime, which is
    1 ÷ churn rate (in periods) while churn stays constant.

    ``arpa`` is the average revenue per account for one period (usually a month),
    ``churn_rate`` the share of customers lost in that same period.
    """
    _non_negative(arpa, "arpa")
    _fraction(gross_margin, "gross_margin")
    _churn(churn_rate, "churn_rate")
    return arpa * gross_margin / churn_rate


def ltv_from_lifetime(average_revenue: Decimal, lifetime: Decimal) -> Decimal:
    """LTV = average revenue per period × average customer lifetime in periods."""
    _non_negative(average_revenue, "average_revenue")
    _non_negative(lifetime, "lifetime")
    return average_revenue * lifetime


def ltv_classic(average_purchase: Decimal, frequency: Decimal, lifetime: Decimal) -> Decimal:
    """LTV = average purchase value × purchase frequency × customer lifetime (seeds 002, 003).

    ``frequency`` is purchases per period and ``lifetime`` the number of periods.
    """
    _non_negative(average_purchase, "average_purchase")
    _non_negative(frequency, "frequency")
    _non_negative(lifetime, "lifetime")
    return average_purchase * frequency * lifetime


def ltv_with_margin(
    unit_price: Decimal, gross_margin: Decimal, frequency: Decimal, lifetime: Decimal
) -> Decimal:
    """LTV = average unit price × gross margin × purchase frequency × lifetime (seed 004)."""
    _non_negative(unit_price, "unit_price")
    _fraction(gross_margin, "gross_margin")
    _non_negative(frequency, "frequency")
    _non_negative(lifetime, "lifetime")
    return unit_price * gross_margin * frequency * lifetime


def retention_rate(
    customers_at_start: Decimal, customers_at_end: Decimal, new_customers: Decimal
) -> Decimal:
    """Period retention = (customers at end − new customers) ÷ customers at start.

    Customers won during the period are taken out, so only those who were already there
    at the start count as kept.
    """
    _count_at_start(customers_at_start, "customers_at_start")
    _non_negative(customers_at_end, "customers_at_end")
    _non_negative(new_customers, "new_customers")
    if new_customers > customers_at_end:
        raise MetricError(
            _("New customers cannot outnumber the customers at the end of the period."),
            "new_customers",
        )
    kept = customers_at_end - new_customers
    if kept > customers_at_start:
        raise MetricError(
            _(
                "Customers at the end minus new customers cannot exceed the customers at "
                "the start: nobody can be kept who was not there."
            ),
            "customers_at_end",
        )
    return kept / customers_at_start


def cohort_retention(continuing: Decimal, acquired: Decimal) -> Decimal:
    """Cohort retention = customers still continuing ÷ customers acquired in the cohort.

    Seed 003's example: 500 of 1,000 new users still using after one month gives 0.5.
    """
    _non_negative(continuing, "continuing")
    _positive(
        acquired,
        "acquired",
        _("The cohort must have at least one acquired customer."),
    )
    if continuing > acquired:
        raise MetricError(
            _("More customers cannot continue than were acquired."),
            "continuing",
        )
    return continuing / acquired


def customer_churn_rate(lost: Decimal, customers_at_start: Decimal) -> Decimal:
    """Customer churn rate = customers lost in the period ÷ customers at its start."""
    _non_negative(lost, "lost")
    _count_at_start(customers_at_start, "customers_at_start")
    if lost > customers_at_start:
        raise MetricError(
            _("More customers cannot be lost than there were at the start."),
            "lost",
        )
    return lost / customers_at_start


def revenue_churn_rate(lost_mrr: Decimal, mrr_at_start: Decimal) -> Decimal:
    """Gross revenue churn = MRR lost to cancellations and downgrades ÷ MRR at the start.

    Gross: expansion revenue is not offset here (see :func:`net_revenue_retention`).
    """
    _non_negative(lost_mrr, "lost_mrr")
    _count_at_start(mrr_at_start, "mrr_at_start")
    if lost_mrr > mrr_at_start:
        raise MetricError(
            _("More MRR cannot be lost than there was at the start."),
            "lost_mrr",
        )
    return lost_mrr / mrr_at_start


def net_revenue_retention(
    mrr_at_start: Decimal, expansion: Decimal, contraction: Decimal, churned: Decimal
) -> Decimal:
    """NRR = (MRR at start + expansion − contraction − churned) ÷ MRR at start.

    Counts only customers present at the start; above 1 means upsell and cross-sell
    outweigh downgrades and cancellations.
    """
    _count_at_start(mrr_at_start, "mrr_at_start")
    _non_negative(expansion, "expansion")
    _non_negative(contraction, "contraction")
    _non_negative(churned, "churned")
    if contraction + churned > mrr_at_start:
        raise MetricError(
            _("Contraction and churned MRR together cannot exceed the MRR at the start."),
            "churned",
        )
    return (mrr_at_start + expansion - contraction - churned) / mrr_at_start


def cac_payback_months(cac: Decimal, arpa: Decimal, gross_margin: Decimal) -> Decimal:
    """CAC payback in months = CAC ÷ (monthly ARPA × gross margin)."""
    _non_negative(cac, "cac")
    _positive(
        arpa,
        "arpa",
        _("ARPA must be above zero: a customer who pays nothing never pays back the CAC."),
    )
    _fraction(gross_margin, "gross_margin")
    if gross_margin == ZERO:
        raise MetricError(
            _("The gross margin must be above zero: with no margin the CAC is never paid back."),
            "gross_margin",
        )
    return cac / (arpa * gross_margin)


def ltv_to_cac(ltv: Decimal, cac: Decimal) -> Decimal:
    """Unit economics = LTV ÷ CAC: how many times a customer returns what winning them cost."""
    _non_negative(ltv, "ltv")
    _positive(cac, "cac", _("The CAC must be above zero to compare the LTV with it."))
    return ltv / cac


def cac(spend: Decimal, new_customers: Decimal) -> Decimal:
    """CAC = sales and marketing spend in a period ÷ new customers won in that period."""
    _non_negative(spend, "spend")
    _positive(
        new_customers,
        "new_customers",
        _("New customers must be above zero: with no customer won there is no cost per customer."),
    )
    return spend / new_customers


def _mrr_before(value: Decimal, field: str) -> None:
    _positive(
        value,
        field,
        _("The earlier MRR must be above zero: growth is measured against it."),
    )


def mrr_growth_rate(previous_mrr: Decimal, current_mrr: Decimal) -> Decimal:
    """Month-over-month MRR growth = (this month's MRR − last month's) ÷ last month's MRR.

    Negative when MRR shrank.
    """
    _mrr_before(previous_mrr, "previous_mrr")
    _non_negative(current_mrr, "current_mrr")
    return (current_mrr - previous_mrr) / previous_mrr


def net_new_mrr(previous_mrr: Decimal, current_mrr: Decimal) -> Decimal:
    """Net new MRR = this month's MRR − last month's MRR (negative when MRR shrank)."""
    _non_negative(previous_mrr, "previous_mrr")
    _non_negative(current_mrr, "current_mrr")
    return current_mrr - previous_mrr


# Ten years: far longer than any plan, and (1 + rate) ** months stays a readable number.
LONGEST_MONTHS = 120


def _months(value: Decimal, field: str) -> None:
    _finite(value, field)
    if value != value.to_integral_value() or value < ONE:
        raise MetricError(_("The number of months must be a whole number of at least 1."), field)
    if value > LONGEST_MONTHS:
        raise MetricError(_("Use at most 120 months (ten years)."), field)


def average_monthly_growth_rate(
    mrr_at_start: Decimal, mrr_at_end: Decimal, months: Decimal
) -> Decimal:
    """Average (compound) monthly growth = (MRR at end ÷ MRR at start) ^ (1 ÷ months) − 1.

    The rate that, applied every month, turns the starting MRR into the ending one; seed 000
    reports 15 % a month on average. ``months`` is the number of months between the two.
    """
    _mrr_before(mrr_at_start, "mrr_at_start")
    _non_negative(mrr_at_end, "mrr_at_end")
    _months(months, "months")
    if mrr_at_end == ZERO:
        return -ONE
    return (mrr_at_end / mrr_at_start) ** (ONE / months) - ONE


def compounded_growth(monthly_growth_rate: Decimal, months: Decimal) -> Decimal:
    """Growth over N months at a steady monthly rate = (1 + rate) ^ months − 1."""
    _non_negative(monthly_growth_rate, "monthly_growth_rate")
    _months(months, "months")
    return (ONE + monthly_growth_rate) ** int(months) - ONE


def compounded_mrr(mrr_now: Decimal, monthly_growth_rate: Decimal, months: Decimal) -> Decimal:
    """MRR after N months at a steady monthly rate = MRR now × (1 + rate) ^ months."""
    _non_negative(mrr_now, "mrr_now")
    return mrr_now * (compounded_growth(monthly_growth_rate, months) + ONE)


def mrr_bridge_closing(
    mrr_at_start: Decimal,
    new_mrr: Decimal,
    expansion: Decimal,
    contraction: Decimal,
    churned: Decimal,
) -> Decimal:
    """Closing MRR = opening MRR + new + expansion − contraction − churned MRR.

    New MRR comes from customers won in the month; expansion, contraction and churn from
    those there at the start (see :func:`net_revenue_retention`).
    """
    _non_negative(mrr_at_start, "mrr_at_start")
    _non_negative(new_mrr, "new_mrr")
    _non_negative(expansion, "expansion")
    _non_negative(contraction, "contraction")
    _non_negative(churned, "churned")
    closing = mrr_at_start + new_mrr + expansion - contraction - churned
    if closing < ZERO:
        raise MetricError(
            _(
                "The closing MRR would be below zero: more is taken away than the opening, "
                "new and expansion MRR add up to."
            ),
            "churned",
        )
    return closing


def gross_revenue_retention(
    mrr_at_start: Decimal, contraction: Decimal, churned: Decimal
) -> Decimal:
    """GRR = (MRR at start − contraction − churned) ÷ MRR at start; at most 1.

    Unlike :func:`net_revenue_retention`, expansion is left out, so upsell cannot hide losses.
    """
    _count_at_start(mrr_at_start, "mrr_at_start")
    _non_negative(contraction, "contraction")
    _non_negative(churned, "churned")
    if contraction + churned > mrr_at_start:
        raise MetricError(
            _("Contraction and churned MRR together cannot exceed the MRR at the start."),
            "churned",
        )
    return (mrr_at_start - contraction - churned) / mrr_at_start


def net_promoter_score(promoters: Decimal, passives: Decimal, detractors: Decimal) -> Decimal:
    """NPS = (promoters − detractors) ÷ all respondents × 100, from −100 to 100.

    On the 0–10 question "how likely are you to recommend us": promoters answer 9–10,
    passives 7–8, detractors 0–6.
    """
    _non_negative(promoters, "promoters")
    _non_negative(passives, "passives")
    _non_negative(detractors, "detractors")
    respondents = promoters + passives + detractors
    if respondents == ZERO:
        raise MetricError(
            _("Enter at least one answer: promoters, passives and detractors add up to zero."),
            "promoters",
        )
    return (promoters - detractors) / respondents * 100


def _share(part: Decimal, base: Decimal, part_field: str, base_field: str, messages) -> Decimal:
    """``part ÷ base``, a count out of a base; ``messages``: (base is zero, part too large)."""
    _non_negative(part, part_field)
    _positive(base, base_field, messages[0])
    if part > base:
        raise MetricError(messages[1], part_field)
    return part / base


def onboarding_completion_rate(completed: Decimal, started: Decimal) -> Decimal:
    """Onboarding completion = customers who completed onboarding ÷ customers who started it.

    The base is the customers who began onboarding in the period (usually its new customers).
    """
    return _share(
        completed,
        started,
        "completed",
        "started",
        (
            _("Customers who started onboarding must be above zero."),
            _("More customers cannot complete onboarding than started it."),
        ),
    )


def upsell_rate(upsold: Decimal, customers: Decimal) -> Decimal:
    """Upsell rate = customers who moved to a higher plan ÷ customers at the start of the period."""
    return _share(
        upsold,
        customers,
        "upsold",
        "customers",
        (
            _("Customers at the start of the period must be above zero."),
            _("More customers cannot take up an offer than there were at the start."),
        ),
    )


def cross_sell_rate(cross_sold: Decimal, customers: Decimal) -> Decimal:
    """Cross-sell rate = customers who bought a further product ÷ customers at the start."""
    return _share(
        cross_sold,
        customers,
        "cross_sold",
        "customers",
        (
            _("Customers at the start of the period must be above zero."),
            _("More customers cannot take up an offer than there were at the start."),
        ),
    )


# The 1:5 rule (seed 003): winning a new customer costs about five times keeping one.
ACQUISITION_TO_RETENTION = Decimal(5)


def retention_cost(retention_cost_per_customer: Decimal, customers: Decimal) -> Decimal:
    """Cost of keeping these customers = cost of keeping one × customers."""
    _non_negative(retention_cost_per_customer, "retention_cost_per_customer")
    _non_negative(customers, "customers")
    return retention_cost_per_customer * customers


def replacement_cost_by_rule_1_5(
    retention_cost_per_customer: Decimal, customers: Decimal
) -> Decimal:
    """Cost of winning as many new customers by the 1:5 rule = 5 × cost of keeping one × customers.

    A rule of thumb: where the real CAC is known, compare with it instead.
    """
    return ACQUISITION_TO_RETENTION * retention_cost(retention_cost_per_customer, customers)


def saving_by_rule_1_5(retention_cost_per_customer: Decimal, customers: Decimal) -> Decimal:
    """What keeping them saves against winning replacements = (5 − 1) × cost of one × customers."""
    return replacement_cost_by_rule_1_5(retention_cost_per_customer, customers) - retention_cost(
        retention_cost_per_customer, customers
    )


# The 5:25 rule (seed 003): retention 5 % better gives 25 % or more profit improvement; the
# source does not say whether the 5 % is 5 points or 5 % of the current rate.
PROFIT_GAIN_BY_RULE_5_25 = Decimal("0.25")


def _profit(profit: Decimal) -> None:
    _positive(
        profit,
        "profit",
        _("The profit must be above zero: the rule speaks of improving an existing profit."),
    )


def profit_gain_by_rule_5_25(profit: Decimal) -> Decimal:
    """The least profit improvement the 5:25 rule promises = profit × 25 % (a lower bound)."""
    _profit(profit)
    return profit * PROFIT_GAIN_BY_RULE_5_25


def profit_by_rule_5_25(profit: Decimal) -> Decimal:
    """Profit after the 5:25 rule's improvement, at least = profit × (1 + 25 %)."""
    return profit + profit_gain_by_rule_5_25(profit)
