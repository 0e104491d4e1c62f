"""The SaaS metric calculators page: a learning aid, open to everyone.

Every calculator is a GET form, so a result is a plain link that can be bookmarked or
shared; the ``calc`` query parameter names the calculator that was submitted.
"""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from . import acquisition, customer, growth, ltv, retention, rules, unit_economics
from .form import CalculatorForm


@dataclass(frozen=True)
class Section:
    slug: str
    title: Promise
    intro: Promise
    calculators: tuple[type[CalculatorForm], ...]
    # Shown after the two rules of thumb, which it puts to the user's numbers.
    after_rules: bool = False


SECTIONS = (
    Section(
        "ltv",
        _("Customer lifetime value (LTV)"),
        _(
            "LTV is what one customer is worth over the whole relationship. An "
            "engagement-type organisation steers by it instead of by this period's orders."
        ),
        (
            ltv.LtvFromChurnForm,
            ltv.LtvFromLifetimeForm,
            ltv.LtvClassicForm,
            ltv.LtvWithMarginForm,
        ),
    ),
    Section(
        "retention",
        _("Retention and churn"),
        _(
            "Retention and churn are two sides of one question: how many customers, and how "
            "much revenue, stay with you."
        ),
        (
            retention.RetentionRateForm,
            retention.CohortRetentionForm,
            retention.CustomerChurnForm,
            retention.RevenueChurnForm,
            retention.NetRevenueRetentionForm,
        ),
    ),
    Section(
        "unit-economics",
        _("Unit economics"),
        _("Whether winning a customer pays off, and how soon."),
        (acquisition.CacForm, unit_economics.CacPaybackForm, unit_economics.LtvToCacForm),
    ),
    Section(
        "growth",
        _("MRR growth"),
        _(
            "Monthly recurring revenue (MRR) and how fast it grows are the headline figures of "
            "a subscription business; the MRR bridge shows what the change is made of."
        ),
        (
            growth.MrrGrowthForm,
            growth.AverageMonthlyGrowthForm,
            growth.CompoundedGrowthForm,
            growth.MrrBridgeForm,
        ),
    ),
    Section(
        "customer-success",
        _("Customer success metrics"),
        _(
            "The figures customer success is usually measured by besides the churn rate: how "
            "loyal customers are, how many finish onboarding, and how many buy more."
        ),
        (
            customer.NpsForm,
            customer.OnboardingCompletionForm,
            customer.UpsellRateForm,
            customer.CrossSellRateForm,
        ),
    ),
    Section(
        "what-if",
        _("The rules of thumb, with your numbers"),
        _(
            "Put the two rules above to your own figures. They are rules of thumb, so read the "
            "results as an order of magnitude, not as a forecast."
        ),
        (rules.Rule15Form, rules.Rule525Form),
        after_rules=True,
    ),
)


@require_safe
def calculators(request: HttpRequest) -> HttpResponse:
    """All calculators on one page; the one named by ``calc`` is bound and computed."""
    submitted = request.GET.get("calc")
    sections = []
    for section in SECTIONS:
        forms = []
        for form_class in section.calculators:
            if form_class.slug == submitted:
                form = form_class(request.GET)
                form.is_valid()
            else:
                form = form_class()
            forms.append(form)
        sections.append((section, forms))
    return render(request, "training/calculators.html", {"sections": sections})
