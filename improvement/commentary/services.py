"""Writes for the consultant's commentary: save the text, publish it, take it back to draft.

Only those ``improvement.access.writes_commentary`` allows (org admins and consultants) write;
the views and the API settle the standing first (404 outside the organisation), and the
services check it again so that no other caller (a command, a task) can skip the rule.

Editing published text: saving a published commentary changes the published text at once.
It stays published (``published_at`` keeps when it was first published; ``updated_at`` and
``updated_by`` record the edit), so managers read the new text from then on. To prepare a
rewrite out of their sight, unpublish first: the commentary goes back to draft, which
managers do not see, and is published again when it is ready.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.access import standings
from assessments.models import Campaign, Department
from assessments.services import UNSTORABLE_TEXT, AssessmentError

from .. import access
from ..models import TEXT_MAX_LENGTH, Commentary

# Each text's limit, in characters (the model's, so the form, the API and the database agree).
NARRATIVE_MAX_LENGTH = FINDINGS_MAX_LENGTH = TEXT_MAX_LENGTH


class CommentaryError(AssessmentError):
    """A commentary write the rules refuse (the API answers with the project's error shape)."""


def _require_writer(by, campaign: Campaign) -> None:
    standing = standings(by).get(campaign.organisation_id)
    if standing is None or not access.writes_commentary(standing):
        raise PermissionDenied


def _check_text(field: str, text: str, limit: int) -> None:
    if len(text) > limit:
        messages = {
            "narrative": _(
                "The executive narrative is too long: at most %(limit)d characters "
                "(it has %(count)d)."
            ),
            "findings": _(
                "The key findings are too long: at most %(limit)d characters (they have %(count)d)."
            ),
        }
        raise CommentaryError(
            f"{field}_too_long",
            messages[field] % {"limit": limit, "count": len(text)},
            field=field,
        )
    if UNSTORABLE_TEXT.search(text):
        raise CommentaryError(
            f"{field}_unstorable",
            _(
                "The text contains a control character that cannot be saved "
                "(such as a vertical tab or NUL). Remove it and try again."
            ),
            field=field,
        )


@transaction.atomic
def save_commentary(
    *,
    campaign: Campaign,
    department: Department | None = None,
    narrative: str,
    findings: str,
    by,
) -> Commentary:
    """Create the campaign's (``department`` None) or a department's commentary as a draft,
    or replace the texts of the existing one. A published commentary stays published with
    the new text (see the module's docstring); a draft stays a draft.

    The campaign row is locked first, so two first saves of the same commentary cannot both
    create it, and the commentary row is locked for the update."""
    _require_writer(by, campaign)
    _check_text("narrative", narrative, NARRATIVE_MAX_LENGTH)
    _check_text("findings", findings, FINDINGS_MAX_LENGTH)
    if department is not None and not campaign.departments.filter(pk=department.pk).exists():
        raise CommentaryError(
            "department_not_in_campaign",
            _("The department is not part of this campaign."),
            field="department",
        )
    Campaign.objects.select_for_update().only("pk").get(pk=campaign.pk)
    commentary = (
        Commentary.objects.select_for_update()
        .filter(campaign=campaign, department=department)
        .first()
    )
    if commentary is None:
        commentary = Commentary(campaign=campaign, department=department)
    commentary.narrative, commentary.findings, commentary.updated_by = narrative, findings, by
    commentary.save()
    return commentary


def _locked(commentary: Commentary) -> Commentary:
    return Commentary.objects.select_for_update().select_related("campaign").get(pk=commentary.pk)


@transaction.atomic
def publish_commentary(*, commentary: Commentary, by) -> Commentary:
    """Publish the commentary: managers read it from now on. Publishing it again changes
    nothing (``published_at`` keeps the first time); a commentary with neither text has
    nothing to publish (409)."""
    commentary = _locked(commentary)
    _require_writer(by, commentary.campaign)
    if commentary.is_published:
        return commentary
    if not commentary.narrative.strip() and not commentary.findings.strip():
        raise CommentaryError(
            "nothing_to_publish",
            _("Write an executive narrative or key findings before publishing."),
            status=409,
        )
    commentary.status = Commentary.Status.PUBLISHED
    commentary.published_at = timezone.now()
    commentary.updated_by = by
    commentary.save()
    return commentary


@transaction.atomic
def unpublish_commentary(*, commentary: Commentary, by) -> Commentary:
    """Take the commentary back to draft: managers no longer read it. A draft stays as is."""
    commentary = _locked(commentary)
    _require_writer(by, commentary.campaign)
    if not commentary.is_published:
        return commentary
    commentary.status = Commentary.Status.DRAFT
    commentary.published_at = None
    commentary.updated_by = by
    commentary.save()
    return commentary
