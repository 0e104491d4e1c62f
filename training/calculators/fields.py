"""Number fields of the SaaS metric calculators: typed the way people type numbers
(thousands separators, full-width digits, percent as percent), shown rounded."""

import unicodedata
from decimal import ROUND_HALF_UP, Decimal, localcontext

from django import forms
from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal(100)
# Caps keep every product and quotient far inside Decimal's range.
LARGEST = Decimal(10) ** 15


def format_number(value: Decimal, places: int = 2) -> str:
    """Round for display and group thousands: 105000 → "105,000", 2.50 → "2.5"."""
    with localcontext() as context:
        context.prec = 200
        rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{rounded:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


class NumberInput(forms.TextInput):
    """A text box with a numeric keypad on phones; unlike type=number it accepts "3,000"."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})


class NumberField(forms.DecimalField):
    """A non-negative number; tolerates thousands separators and full-width digits."""

    widget = NumberInput
    unit: str = ""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", LARGEST)
        kwargs.setdefault("decimal_places", 6)
        messages = {
            "invalid": _("Enter a number, such as 3000 or 2.5."),
            "min_value": _("This value cannot be negative."),
            "max_value": _("This number is too large for the calculator."),
            "max_decimal_places": _("Use at most six decimal places."),
        }
        messages.update(kwargs.pop("error_messages", {}))
        super().__init__(error_messages=messages, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            # NFKC turns full-width digits and punctuation (３，０００．５) into ASCII.
            value = unicodedata.normalize("NFKC", value).replace(",", "").replace(" ", "")
            value = value.removesuffix(self.unit) if self.unit else value
        return super().to_python(value)

    def display(self, value: Decimal) -> str:
        return format_number(value, 6) + self.unit


class PercentField(NumberField):
    """A percentage typed as percent (70 for 70 %); the form hands the metric 0.7."""

    unit = "%"

    def __init__(self, **kwargs):
        kwargs.setdefault("max_value", 100)
        kwargs.setdefault(
            "error_messages", {"max_value": _("A percentage must lie between 0 and 100.")}
        )
        super().__init__(**kwargs)


class CountField(NumberField):
    """A number of customers: whole and non-negative."""

    def __init__(self, **kwargs):
        kwargs.setdefault("decimal_places", 0)
        kwargs.setdefault("error_messages", {"max_decimal_places": _("Enter a whole number.")})
        super().__init__(**kwargs)
