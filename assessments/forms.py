from django import forms
from django.utils.translation import gettext_lazy as _

from maturity.models import Framework

from .models import Campaign, Department


class CampaignForm(forms.ModelForm):
    """A new campaign for one organisation: framework version, departments and dates."""

    framework = forms.ModelChoiceField(
        queryset=Framework.objects.filter(status=Framework.Status.PUBLISHED),
        label=_("Framework version"),
        empty_label=None,
    )
    departments = forms.ModelMultipleChoiceField(
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
            "Below this many respondents in a department, individual answers are shown "
            "without names."
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

    def clean_anonymity_threshold(self) -> int:
        return self.cleaned_data["anonymity_threshold"] or 3

    def clean(self):
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("The closing date must not be before the opening date."))
        return cleaned
