"""Department functions: the kinds of department a framework question can apply to, and the
one rule that says whether a question applies to a department."""

from collections.abc import Collection

from django.db import models
from django.utils.translation import gettext_lazy as _


class DepartmentFunction(models.TextChoices):
    MARKETING = "marketing", _("Marketing")
    SALES = "sales", _("Sales")
    INSIDE_SALES = "inside_sales", _("Inside sales")
    CUSTOMER_SUCCESS = "customer_success", _("Customer success")
    PRODUCT = "product", _("Product")
    SUPPORT = "support", _("Customer support")
    MANAGEMENT = "management", _("Management")
    OTHER = "other", _("Other")


def applies(functions: Collection[str] | None, function: str) -> bool:
    """Whether a question limited to ``functions`` applies to a department of ``function``.

    An empty list (or none) means every department. This is the only place the rule is
    written: ``Question.applies_to`` and every read of raw ``Question.functions`` values ask it.
    """
    return not functions or function in functions
