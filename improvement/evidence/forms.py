"""Forms for evidence: add or change it (text, a link or a file), review it, filter the queue.

The file and link checks are the services' own (``validation``), so a form and the API refuse
the same input with the same message.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessments.forms import LARGEST_ID, storable_text
from assessments.models import Department

from ..models import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, Evidence
from .validation import (
    EvidenceError,
    accepted_extensions,
    allowed_labels,
    check_file,
    check_url,
    max_size_label,
)


class EvidenceForm(forms.Form):
    """Evidence as a person enters it; with ``has_file`` (a change to file evidence) the file
    may stay as it is."""

    kind = forms.ChoiceField(
        label=_("Kind of evidence"),
        choices=Evidence.Kind.choices,
        widget=forms.RadioSelect,
        initial=Evidence.Kind.TEXT,
    )
    title = forms.CharField(
        label=_("Title"), max_length=TITLE_MAX_LENGTH, validators=[storable_text]
    )
    text = forms.CharField(
        label=_("Text or note"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[storable_text],
    )
    url = forms.CharField(
        label=_("Link"),
        required=False,
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    file = forms.FileField(label=_("File"), required=False)
    recertify_on = forms.DateField(
        label=_("Re-certify by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Optional: the evidence is flagged for re-certification from this date."),
    )

    def __init__(self, *args, has_file: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_file = has_file
        self.fields["file"].widget.attrs["accept"] = accepted_extensions()
        self.fields["file"].help_text = _("%(types)s; at most %(size)s.") % {
            "types": allowed_labels(),
            "size": max_size_label(),
        }
        if has_file:
            self.fields["file"].help_text += " " + _("Leave empty to keep the current file.")

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        if url:
            try:
                return check_url(url)
            except EvidenceError as error:
                raise ValidationError(error.message, code=error.code) from None
        return url

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file:
            try:
                check_file(file)
            except EvidenceError as error:
                raise ValidationError(error.message, code=error.code) from None
        return file or None

    def clean_recertify_on(self):
        day = self.cleaned_data["recertify_on"]
        if day is not None and day < timezone.localdate():
            raise ValidationError(_("The re-certification date cannot be in the past."))
        return day

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Evidence.Kind.TEXT and not data.get("text") and "text" not in self.errors:
            self.add_error("text", _("Write the evidence text."))
        if kind == Evidence.Kind.LINK and not data.get("url") and "url" not in self.errors:
            self.add_error("url", _("Enter a web address that starts with http:// or https://."))
        if (
            kind == Evidence.Kind.FILE
            and not data.get("file")
            and not self.has_file
            and "file" not in self.errors
        ):
            self.add_error("file", _("Choose a file to upload."))
        # Only the chosen kind's input is kept: a link typed before switching to text is not
        # an error, it is simply not what was chosen.
        if kind != Evidence.Kind.LINK:
            data["url"] = ""
        if kind != Evidence.Kind.FILE:
            data["file"] = None
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Evidence.Status.APPROVED, _("Approve")),
            (Evidence.Status.REJECTED, _("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[storable_text],
        help_text=_("Required when rejecting: say what is missing."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == Evidence.Status.REJECTED and not data.get("comment", "").strip():
            self.add_error("comment", _("Say why the evidence is rejected."))
        return data


class EvidenceFilter(django_filters.FilterSet):
    """The queue's and the list endpoint's filters."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Evidence.Status.choices, empty_label=_("All statuses")
    )
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), queryset=Department.objects.none(), empty_label=_("All departments")
    )
    answer = django_filters.NumberFilter(
        field_name="answer_id", label=_("Answer"), min_value=1, max_value=LARGEST_ID
    )
    action = django_filters.NumberFilter(
        field_name="action_id", label=_("Action"), min_value=1, max_value=LARGEST_ID
    )
    recertification_due = django_filters.BooleanFilter(
        label=_("Re-certification due"),
        field_name="recertification_due",
        widget=forms.Select(
            choices=[
                ("", _("All")),
                ("true", pgettext_lazy("re-certification", "Due")),
                ("false", pgettext_lazy("re-certification", "Not due")),
            ]
        ),
    )

    class Meta:
        model = Evidence
        fields = ["status", "department", "answer", "action", "recertification_due"]

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        if campaign is not None:
            self.filters["department"].queryset = campaign.departments.order_by("name")
