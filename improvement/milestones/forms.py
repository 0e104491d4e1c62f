"""Forms of the milestone pages: taking a milestone, and choosing the two sides to compare."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.forms import storable_text
from assessments.models import Campaign
from improvement.models import TITLE_MAX_LENGTH

from . import compare as comparing
from . import selectors


class MilestoneForm(forms.Form):
    name = forms.CharField(
        label=_("Milestone name"), max_length=TITLE_MAX_LENGTH, validators=[storable_text]
    )
    taken_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )


def side_choices(campaign: Campaign, department_id: int | None = None) -> list[tuple[str, str]]:
    """Every campaign (its results now) and every milestone of the organisation; for a
    manager (``department_id``), those of the campaigns that assess their department."""
    campaigns = Campaign.objects.filter(organisation_id=campaign.organisation_id)
    milestones = selectors.organisation_milestones(campaign.organisation_id)
    if department_id is not None:
        campaigns = campaigns.filter(departments=department_id)
        milestones = milestones.filter(campaign__departments=department_id)
    choices = [
        (f"c:{c.pk}", _("%(campaign)s (now)") % {"campaign": c.name})
        for c in campaigns.order_by("-opens_on", "-pk")
    ]
    choices += [(f"m:{m.pk}", f"{m.campaign.name} · {m.name} ({m.taken_on})") for m in milestones]
    return choices


class CompareForm(forms.Form):
    """The two sides, as ``m:<milestone id>`` or ``c:<campaign id>`` of the organisation."""

    before = forms.ChoiceField(label=_("Before"))
    after = forms.ChoiceField(label=_("After"))

    def __init__(self, *args, campaign: Campaign, department_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        choices = side_choices(campaign, department_id)
        self.fields["before"].choices = choices
        self.fields["after"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("before") and data["before"] == data.get("after"):
            raise ValidationError(_("Choose two different sides to compare."), code="same_side")
        for name in ("before", "after"):
            if name in data:
                data[name] = comparing.resolve(data[name], self.campaign.organisation_id)
        return data
