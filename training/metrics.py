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
