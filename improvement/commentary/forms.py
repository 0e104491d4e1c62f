"""Forms of the commentary page: the texts, and which of save, publish or unpublish a POST is."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessments.forms import storable_text

from .services import FINDINGS_MAX_LENGTH, NARRATIVE_MAX_LENGTH


class IntentForm(forms.Form):
    """What a POST to the commentary page asks for (each button sends its own)."""

    SAVE, PUBLISH, UNPUBLISH = "save", "publish", "unpublish"
    intent = forms.ChoiceField(
        choices=[
            (SAVE, _("Save")),
            (PUBLISH, pgettext_lazy("commentary", "Publish")),
            (UNPUBLISH, pgettext_lazy("commentary", "Back to draft")),
        ],
        error_messages={
            "required": _("Choose save, publish or back to draft."),
            "invalid_choice": _("Choose save, publish or back to draft."),
        },
    )


class CommentaryForm(forms.Form):
    """The consultant's two texts, in Markdown; either may be empty while it is a draft."""

    narrative = forms.CharField(
        label=pgettext_lazy("commentary", "Executive narrative"),
        required=False,
        strip=False,
        max_length=NARRATIVE_MAX_LENGTH,
        validators=[storable_text],
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown: **bold**, lists, links. HTML is removed."),
    )
    findings = forms.CharField(
        label=pgettext_lazy("commentary", "Key findings"),
        required=False,
        strip=False,
        max_length=FINDINGS_MAX_LENGTH,
        validators=[storable_text],
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: one finding per list item works well."),
    )
