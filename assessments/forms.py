import re

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from maturity.models import Framework

from .models import Campaign, Department, Organisation, Response
from .services import UNSTORABLE_TEXT
from .templatetags.people import person

# Text that XML (the XLSX export) or PostgreSQL (NUL) cannot hold is refused where it is typed.
storable_text = RegexValidator(
    UNSTORABLE_TEXT,
    inverse_match=True,
    code="unstorable",
    message=_(
        "The text contains a control character that cannot be saved "
        "(such as a vertical tab or NUL). Remove it and try again."
    ),
)

# Ids are 64-bit integers in every database; a bigger number is no object's id.
LARGEST_ID = 2**63 - 1


class ModelIdsField(forms.ModelMultipleChoiceField):
    """A ``ModelMultipleChoiceField`` that refuses an id too big for the database as an
    invalid choice (Django hands it to the query, and SQLite raises OverflowError: a 500)."""

    def _check_values(self, value):
        for pk in value:
            try:
                too_big = abs(int(str(pk))) > LARGEST_ID
            except ValueError:
                continue  # not a number: Django refuses it as it does any bad id
            if too_big:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(pk)[:20] + "…"},
                )
        return super()._check_values(value)


class CampaignForm(forms.ModelForm):
    """A new campaign for one organisation: framework version, departments and dates."""

    framework = forms.ModelChoiceField(
        queryset=Framework.objects.filter(status=Framework.Status.PUBLISHED),
        label=_("Framework version"),
        empty_label=None,
    )
    departments = ModelIdsField(
        queryset=Department.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Departments to assess"),
    )

    anonymity_threshold = forms.IntegerField(
        label=_("Anonymity threshold"),
        min_value=1,
        max_value=50,
        initial=3,
        required=False,
        help_text=_(
            "A department's results are shown once this many of its managers have submitted "
            "their self-rating; until then they are withheld to protect the respondents."
        ),
    )

    class Meta:
        model = Campaign
        fields = [
            "name",
            "framework",
            "departments",
            "opens_on",
            "closes_on",
            "anonymity_threshold",
        ]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = organisation.departments.order_by("name")
        self.fields["name"].validators.append(storable_text)

    def clean_anonymity_threshold(self) -> int:
        return self.cleaned_data["anonymity_threshold"] or 3

    def clean(self):
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("The closing date must not be before the opening date."))
        return cleaned


# A few decimal digits of any script (３ and ٣ are 3, as int() reads them); anything else —
# ², a 5,000-digit number, a NUL, "3.0", "1e3" — is no level. Checked before int() ever runs.
LEVEL_DIGITS = re.compile(r"\d{1,3}")
TARGET_REFUSED = _("A target must be a level of the scale.")


class LevelField(forms.IntegerField):
    """A level of a framework's scale, or nothing; every refusal says the same thing."""

    default_error_messages = {
        "invalid": TARGET_REFUSED,
        "min_value": TARGET_REFUSED,
        "max_value": TARGET_REFUSED,
    }

    def to_python(self, value):
        value = str(value).strip() if value is not None else ""
        if not value:
            return None
        if not LEVEL_DIGITS.fullmatch(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(value)


class TargetsForm(forms.Form):
    """A department's target levels: one optional field per dimension of ``framework``,
    posted as ``target-<dimension code>``, each a level of the framework's scale."""

    prefix = "target"

    def __init__(self, *args, framework: Framework, **kwargs):
        super().__init__(*args, **kwargs)
        for code in framework.dimensions.order_by("order").values_list("code", flat=True):
            self.fields[code] = LevelField(
                required=False, min_value=framework.scale_min, max_value=framework.scale_max
            )

    def levels(self) -> dict[str, int]:
        """The levels that were set, by dimension code (after ``is_valid()``)."""
        return {code: level for code, level in self.cleaned_data.items() if level is not None}

    def refusals(self) -> list[str]:
        """Each distinct error once, for a message on the page."""
        return list(dict.fromkeys(str(e) for errors in self.errors.values() for e in errors))


class ModelIdField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` that refuses an id too big for the database as an invalid
    choice (see ``ModelIdsField``)."""

    def to_python(self, value):
        if value not in self.empty_values:
            try:
                too_big = abs(int(str(value))) > LARGEST_ID
            except ValueError:
                too_big = False
            if too_big:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class PersonChoiceField(ModelIdField):
    """A person listed by full name (``person``), with their e-mail to tell namesakes apart."""

    def label_from_instance(self, user) -> str:
        name = person(user)
        return f"{name} ({user.email})" if user.email else name


class AddRespondentForm(forms.Form):
    """A person of the campaign's organisation to add as a respondent for one department."""

    respondent = PersonChoiceField(queryset=None, label=_("Person"))
    department = ModelIdField(queryset=None, label=_("Department"))
    rater_role = forms.ChoiceField(
        choices=Response.RaterRole.choices,
        initial=Response.RaterRole.MANAGER,
        label=_("Answers as"),
    )

    prefix = "add"

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = campaign.organisation
        self.fields["respondent"].queryset = (
            get_user_model()
            .objects.filter(
                Q(memberships__organisation=organisation)
                | Q(consultant_accesses__organisation=organisation),
                is_active=True,
            )
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        self.fields["department"].queryset = campaign.departments.order_by("name")


class DeadlineForm(forms.Form):
    """A campaign's new closing date."""

    closes_on = forms.DateField(
        label=_("New closing date"), widget=forms.DateInput(attrs={"type": "date"})
    )

    prefix = "deadline"


class OrganisationSettingsForm(forms.ModelForm):
    """An organisation's settings an org admin may change: its business model, which
    decides which questions apply and how they are worded (maturity.business_models)."""

    class Meta:
        model = Organisation
        fields = ["business_model"]
        widgets = {"business_model": forms.RadioSelect}
        help_texts = {
            "business_model": _(
                "Questions that do not fit the business model are not asked and not scored, "
                "and some questions are worded for it. Campaigns already answered are scored "
                "again by the new setting."
            )
        }
