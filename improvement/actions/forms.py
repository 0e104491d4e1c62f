"""Forms for improvement actions: the action form (create and edit), the status form, and
the list filters (a django-filter FilterSet shared by the pages and the API)."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from assessments.forms import ModelIdsField, storable_text
from assessments.models import Department
from assessments.templatetags.people import person
from maturity.models import Recommendation
from training.models import Module

from ..models import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, Action
from .selectors import dimensions_of, overdue_condition, people_of


class PersonChoiceField(forms.ModelChoiceField):
    """People by their name (family name first), never their login name."""

    def label_from_instance(self, obj) -> str:
        return person(obj)


class RecommendationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        level = obj.dimension_level
        return f"{level.dimension.title} · {level.level} · {Truncator(obj.text).chars(80)}"


def _levels(campaign) -> list[tuple[str, str]]:
    framework = campaign.framework
    titles = {level.value: level.title for level in framework.levels.all()}
    return [("", "–")] + [
        (str(n), f"{n} · {titles[n]}" if n in titles else str(n))
        for n in range(framework.scale_min, framework.scale_max + 1)
    ]


class ActionForm(forms.Form):
    """An action's fields as a person types them; the service checks them against the
    campaign (``services.create_action`` / ``update_action``)."""

    title = forms.CharField(
        label=_("Title"), max_length=TITLE_MAX_LENGTH, validators=[storable_text]
    )
    dimension_code = forms.ChoiceField(label=_("Dimension"))
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[storable_text],
    )
    owner = PersonChoiceField(
        label=_("Owner"), queryset=get_user_model().objects.none(), required=False, empty_label="–"
    )
    due_on = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
    planned_level = forms.TypedChoiceField(
        label=_("Planned level"), required=False, coerce=int, empty_value=None
    )
    recommendation = RecommendationChoiceField(
        label=_("Recommendation"),
        queryset=Recommendation.objects.none(),
        required=False,
        empty_label="–",
    )
    modules = ModelIdsField(
        label=_("Training modules"),
        queryset=Module.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, campaign, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dimension_code"].choices = [(d.code, d.title) for d in dimensions_of(campaign)]
        self.fields["owner"].queryset = people_of(campaign)
        self.fields["planned_level"].choices = _levels(campaign)
        self.fields["recommendation"].queryset = (
            Recommendation.objects.filter(dimension_level__dimension__framework=campaign.framework)
            .select_related("dimension_level__dimension")
            .order_by("dimension_level__dimension__order", "dimension_level__level", "order")
        )
        self.fields["modules"].queryset = Module.objects.order_by("order", "pk")
        if creating:
            del self.fields["status"]

    def values(self) -> dict:
        """The cleaned values, named as the services take them."""
        return dict(self.cleaned_data)

    @staticmethod
    def initial_of(action: Action) -> dict:
        return {
            "title": action.title,
            "dimension_code": action.dimension_code,
            "description": action.description,
            "owner": action.owner_id,
            "due_on": action.due_on,
            "status": action.status,
            "planned_level": action.planned_level,
            "recommendation": action.recommendation_id,
            "modules": [m.pk for m in action.modules.all()],
        }


class StatusForm(forms.Form):
    """Move an action to another status (what its owner may do)."""

    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)


class PersonFilter(django_filters.ModelChoiceFilter):
    field_class = PersonChoiceField


class ActionFilter(django_filters.FilterSet):
    """The list filters of the pages and of the API: status, owner, overdue, department,
    dimension. ``campaign`` narrows the choices to the campaign's people, departments and
    dimensions."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Action.Status.choices, empty_label=_("All")
    )
    owner = PersonFilter(
        label=_("Owner"), queryset=get_user_model().objects.all(), empty_label=_("All")
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"),
        method="filter_overdue",
        widget=forms.Select(
            choices=[("", _("All")), ("true", _("Overdue only")), ("false", _("Not overdue"))]
        ),
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), queryset=Department.objects.all(), empty_label=_("All")
    )
    dimension = django_filters.CharFilter(
        label=_("Dimension"), field_name="dimension_code", max_length=64
    )

    class Meta:
        model = Action
        fields = ["status", "owner", "overdue", "department", "dimension"]

    def __init__(self, *args, campaign=None, one_department: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if one_department:  # the department's own list
            del self.filters["department"]
        if campaign is not None:
            self.filters["owner"].queryset = people_of(campaign)
            self.form.fields["owner"].queryset = people_of(campaign)
            if not one_department:
                departments = campaign.departments.order_by("name")
                self.filters["department"].queryset = departments
                self.form.fields["department"].queryset = departments
            self.form.fields["dimension"] = forms.ChoiceField(
                label=_("Dimension"),
                required=False,
                choices=[("", _("All"))] + [(d.code, d.title) for d in dimensions_of(campaign)],
            )

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        condition = overdue_condition(timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)
