"""Department functions: the kinds of department a framework question can apply to."""

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
