"""Calculators with more than one result: the headline comes from ``metric`` as in every
calculator; each :class:`Extra` adds one more figure from the same inputs, formatted and
worked out the same way (``CalculatorForm``'s own formatting is reused, not copied)."""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from django.utils.functional import Promise

from ..metrics import MetricError
from .fields import HUNDRED, PercentField
from .form import AMOUNT, CalculatorForm


@dataclass(frozen=True)
class Extra:
    """One more result: a metric called with the form's arguments it names."""

    label: Promise
    metric: Callable[..., Decimal]
    expression: str
    kind: str = AMOUNT
    # A phrase around the number, such as "%(value)s or more"; None shows the number alone.
    phrase: Promise | None = None


class Shown:
    """A result as a calculator shows it: number, phrase and the worked formula."""

    result_number = CalculatorForm.result_number
    result_text = CalculatorForm.result_text
    worked = CalculatorForm.worked

    def __init__(
        self, form: CalculatorForm, label, value: Decimal, kind: str, expression: str, phrase
    ):
        self.label = label
        self.result = value
        self.result_kind = kind
        self.expression = expression
        self.phrase = phrase
        self.fields = form.fields
        self.cleaned_data = form.cleaned_data

    def text(self) -> str:
        if self.phrase is None:
            return self.result_text()
        return str(self.phrase) % {"value": self.result_number()}


class MultiResultForm(CalculatorForm):
    """A calculator whose result comes with further figures (``extras``)."""

    extras: ClassVar[tuple[Extra, ...]] = ()
    # A phrase around the headline number, as in Extra.phrase.
    result_phrase: ClassVar[Promise | None] = None

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.more: list[Shown] = []

    def clean(self):
        cleaned = super().clean()
        if self.result is None or self.errors:
            return cleaned
        arguments = {
            name: cleaned[name] / HUNDRED if isinstance(field, PercentField) else cleaned[name]
            for name, field in self.fields.items()
        }
        for extra in self.extras:
            wanted = inspect.signature(extra.metric).parameters
            try:
                value = extra.metric(**{name: arguments[name] for name in wanted})
            except MetricError as error:
                self.add_error(error.field if error.field in self.fields else None, error.message)
                self.result, self.more = None, []
                return cleaned
            self.more.append(
                Shown(self, extra.label, value, extra.kind, extra.expression, extra.phrase)
            )
        return cleaned

    def result_text(self) -> str:
        if self.result_phrase is None:
            return super().result_text()
        return str(self.result_phrase) % {"value": self.result_number()}
