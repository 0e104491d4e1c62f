"""Business models: the kinds of business an organisation runs, and the one rule that says
which questions apply to it and how they are worded (docs/framework-format.md, "Business
models").

A format v2 question may be limited to some business models (``business_models``, empty =
every model) and may word itself differently for a model (``variants``). The scoring, the
questionnaire, the results pages, the API, the exports and the PDF all ask ``applies`` and
``worded`` here, so the rule is written once.
"""

from collections.abc import Collection
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .scopes import asked_of_departments


class BusinessModel(models.TextChoices):
    B2B_SAAS = "b2b-saas", _("B2B SaaS")
    B2C_SUBSCRIPTION = "b2c-subscription", _("B2C subscription")
    CONSUMABLES = "consumables", _("Consumables and replenishment")
    RENTAL_LEASE = "rental-lease", _("Rental and lease")
    USAGE_BASED = "usage-based", _("Usage-based")


DEFAULT_BUSINESS_MODEL = BusinessModel.B2B_SAAS.value
# The texts a variant may replace, as the file names them; ``choices`` replaces labels.
VARIANT_TEXTS = ("text", "acquisition_pole", "engagement_pole", "help_text")


def applies(question_models: Collection[str] | None, business_model: str) -> bool:
    """Whether a question limited to ``question_models`` applies to an organisation of
    ``business_model``: no limit (empty or None) means every model."""
    return not question_models or business_model in question_models


def question_applies(
    functions: Collection[str] | None,
    question_models: Collection[str] | None,
    *,
    function: str,
    business_model: str | None,
    scope: str,
) -> bool:
    """Whether a question (its ``functions``, ``question_models`` and ``scope``) is asked of
    a department of ``function`` in an organisation of ``business_model`` (None: any model):
    the one rule the questionnaire, its progress counts and the answer API follow. An
    organisation question (``maturity.scopes``) is not asked of departments: its one answer
    is counted for each of them (``organisation_question_applies``)."""
    return asked_of_departments(scope) and organisation_question_applies(
        functions, question_models, function=function, business_model=business_model
    )


def organisation_question_applies(
    functions: Collection[str] | None,
    question_models: Collection[str] | None,
    *,
    function: str,
    business_model: str | None,
) -> bool:
    """Whether a question counts in the scores of a department of ``function`` in an
    organisation of ``business_model``, whoever answers it: its functions and business
    models allow it."""
    from .functions import applies as applies_to_function

    return applies_to_function(functions, function) and (
        business_model is None or applies(question_models, business_model)
    )


@dataclass(frozen=True)
class Wording:
    """What a respondent of one business model reads for a question."""

    text: str
    acquisition_pole: str
    engagement_pole: str
    help_text: str
    choice_labels: tuple[str, ...]


def _in_language(texts: dict | None, language: str) -> str:
    """A stored {language: text} in ``language``, else the first language that has one."""
    if not texts:
        return ""
    if texts.get(language):
        return texts[language]
    fallback = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    return texts.get(fallback) or next((t for t in texts.values() if t), "")


def _own(question, field: str, language: str) -> str:
    # modeltranslation keeps one column per language (text_ja, text_en); the bare field
    # follows the active language, so read the language's column where there is one.
    value = getattr(question, f"{field}_{language}", None)
    return value if value else getattr(question, field, "") or ""


def worded(
    question, business_model: str | None, language: str | None = None, *, choices: bool = True
) -> Wording:
    """The question's texts and choice labels for an organisation of ``business_model`` in
    ``language`` (default: the active one): the variant's where it gives one, else the
    question's own. ``question.choices`` is read in order (prefetch it for many questions);
    with ``choices=False`` it is not read and ``choice_labels`` is empty (a page that prints
    only the question)."""
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    variant = (getattr(question, "variants", None) or {}).get(business_model or "") or {}
    texts = {
        field: _in_language(variant.get(field), language) or _own(question, field, language)
        for field in VARIANT_TEXTS
    }
    variant_choices = variant.get("choices") or []
    labels = []
    for index, choice in enumerate(question.choices.all() if choices else ()):
        label = variant_choices[index].get("label") if index < len(variant_choices) else None
        labels.append(_in_language(label, language) or _own(choice, "label", language))
    return Wording(choice_labels=tuple(labels), **texts)


def word_question(
    question, business_model: str | None, language: str | None = None, *, choices: bool = True
):
    """Put ``worded``'s texts on ``question`` (and, with ``choices``, on its prefetched
    choices) for a template that prints ``question.text`` and ``choice.label``; returns the
    question. The objects are only read after this, never saved."""
    wording = worded(question, business_model, language, choices=choices)
    for field in VARIANT_TEXTS:
        setattr(question, field, getattr(wording, field))
    if choices:
        for choice, label in zip(question.choices.all(), wording.choice_labels, strict=True):
            choice.label = label
    question.wording = wording
    return question
