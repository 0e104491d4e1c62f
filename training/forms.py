from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.forms import ModelIdsField, storable_text
from assessments.templatetags.people import person

from .models import Module


class QuizForm(forms.Form):
    """One radio group per quiz question; every question must be answered."""

    def __init__(self, *args, module: Module, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(module.quiz_questions.prefetch_related("choices"))
        for question in self.questions:
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                label=question.text,
                choices=[(c.pk, c.text) for c in question.choices.all()],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer.")},
            )

    def answers(self) -> dict[int, int]:
        return {q.pk: self.cleaned_data[f"q{q.pk}"] for q in self.questions}


class AssignPathForm(forms.Form):
    """Choose modules and members of the department, and a due date."""

    name = forms.CharField(
        label=_("Name of the learning path"), max_length=200, validators=[storable_text]
    )
    modules = ModelIdsField(
        queryset=Module.objects.none(), widget=forms.CheckboxSelectMultiple, label=_("Modules")
    )
    members = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        label=_("Assign to"),
        choices=(),
        help_text=_(
            "Each person chosen finds the modules on their home page and among the study "
            "sessions, with the due date."
        ),
    )
    due_on = forms.DateField(
        label=_("Due date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "A date to aim for: the modules stay open after it, and the team's learning "
            "progress shows who has passed."
        ),
    )

    def __init__(self, *args, modules, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["modules"].queryset = modules
        # People by name (family name first, as they write it), never by login name.
        self.fields["members"].choices = [(str(m.user_id), person(m.user)) for m in members]
        self.member_users = {str(m.user_id): m.user for m in members}

    def chosen_users(self):
        return [self.member_users[i] for i in self.cleaned_data["members"]]
