"""The calculator form: fields named after a metric function's arguments, so ``clean()``
can call the function directly; percentages are typed as percent and handed over as
fractions. A :class:`~training.metrics.MetricError` becomes an error on the field it names.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import ClassVar
from urllib.parse import urlencode

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext

from ..metrics import MetricError
from .fields import HUNDRED, PercentField, format_number

AMOUNT, PERCENT, MONTHS, TIMES = "amount", "percent", "months", "times"


class CalculatorForm(forms.Form):
    """A calculator: fields named after ``metric``'s arguments, shown with its formula."""

    slug: ClassVar[str]
    title: ClassVar[Promise]
    explanation: ClassVar[Promise]
    formula: ClassVar[Promise]
    result_label: ClassVar[Promise]
    # Numbers and operators only, so it needs no translation: "{arpa} × {gross_margin}".
    expression: ClassVar[str]
    result_kind: ClassVar[str] = AMOUNT
    example: ClassVar[dict[str, str]]
    metric: ClassVar[Callable[..., Decimal]]

    def __init__(self, data=None, **kwargs):
        kwargs.setdefault("auto_id", f"{self.slug}-%s")
        super().__init__(data, **kwargs)
        self.result: Decimal | None = None

    def clean(self):
        cleaned = super().clean()
        if any(name not in cleaned for name in self.fields):
            return cleaned
        arguments = {
            name: cleaned[name] / HUNDRED if isinstance(field, PercentField) else cleaned[name]
            for name, field in self.fields.items()
        }
        try:
            self.result = type(self).metric(**arguments)
        except MetricError as error:
            self.add_error(error.field if error.field in self.fields else None, error.message)
        return cleaned

    def example_query(self) -> str:
        """The query string that fills this calculator with its example and submits it."""
        return urlencode({"calc": self.slug, **self.example})

    def result_number(self) -> str:
        """The result rounded for display, with a percent sign where it is a rate."""
        if self.result_kind == PERCENT:
            return format_number(self.result * HUNDRED, 2) + "%"
        places = {AMOUNT: 2, MONTHS: 1, TIMES: 2}[self.result_kind]
        return format_number(self.result, places)

    def result_text(self) -> str:
        """The result as a phrase: "20 months", "3 times", "105,000"."""
        number = self.result_number()
        if self.result_kind == MONTHS:
            return gettext("%(value)s months") % {"value": number}
        if self.result_kind == TIMES:
            return gettext("%(value)s times") % {"value": number}
        return number

    def worked(self) -> str:
        """The formula with the user's numbers in it: "3,000 × 70% ÷ 2% = 105,000"."""
        shown = {
            name: field.display(self.cleaned_data[name]) for name, field in self.fields.items()
        }
        number = self.result_number()
        exact = self.result * HUNDRED if self.result_kind == PERCENT else self.result
        equals = "=" if Decimal(number.rstrip("%").replace(",", "")) == exact else "≈"
        return f"{self.expression.format(**shown)} {equals} {number}"
