"""Evidence writes: add, review, revise. Keyword-only, one transaction each.

Approved evidence is locked: a change to it makes a new version (pending review) and the
approved one stays as history. A file reaches the storage only after every rule has passed,
and is removed again if the transaction that was to record it fails.
"""

from __future__ import annotations

import contextlib
import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.access import standings
from assessments.services.answers import UNSTORABLE_TEXT
from improvement import access
from improvement.models import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, Evidence

from .validation import CheckedFile, EvidenceError, check_file, check_url

REVISABLE = ("kind", "title", "text", "url", "file", "recertify_on")
DECISIONS = (Evidence.Status.APPROVED, Evidence.Status.REJECTED)


def _standing(by, campaign):
    standing = standings(by).get(campaign.organisation_id)
    if standing is None:
        raise EvidenceError("not_found", _("No such evidence."), status=404)
    return standing


def _forbidden() -> EvidenceError:
    return EvidenceError("forbidden", _("You may not add or change evidence here."), status=403)


def _clean_text(value: str, field: str, max_length: int) -> str:
    value = (value or "").strip()
    if UNSTORABLE_TEXT.search(value):
        raise EvidenceError(
            "unstorable_text", _("The text contains characters that cannot be saved."), field
        )
    if len(value) > max_length:
        raise EvidenceError(
            "too_long",
            _("At most %(n)s characters.") % {"n": max_length},
            field,
        )
    return value


def _validated(
    *, kind, title, text, url, file, recertify_on, previous_file=None, today=None
) -> dict:
    """The stored values for evidence of ``kind`` (``file`` checked, not yet written)."""
    if kind not in Evidence.Kind.values:
        raise EvidenceError("bad_kind", _("Choose text, a link or a file."), "kind")
    title = _clean_text(title, "title", TITLE_MAX_LENGTH)
    if not title:
        raise EvidenceError("title_required", _("Give the evidence a title."), "title")
    text = _clean_text(text, "text", TEXT_MAX_LENGTH)
    values = {"kind": kind, "title": title, "text": text, "url": "", "checked": None}
    if kind == Evidence.Kind.TEXT and not text:
        raise EvidenceError("text_required", _("Write the evidence text."), "text")
    if kind == Evidence.Kind.LINK:
        values["url"] = check_url(url)
    elif url:
        raise EvidenceError("link_not_expected", _("A link belongs to link evidence."), "url")
    if kind == Evidence.Kind.FILE:
        if file is not None:
            values["checked"] = check_file(file)
        elif not previous_file:
            raise EvidenceError("file_required", _("Choose a file to upload."), "file")
    elif file is not None:
        raise EvidenceError("file_not_expected", _("A file belongs to file evidence."), "file")
    if recertify_on is not None:
        if not isinstance(recertify_on, datetime.date):
            raise EvidenceError("bad_date", _("Enter a valid date."), "recertify_on")
        if recertify_on < (today or timezone.localdate()):
            raise EvidenceError(
                "date_in_past",
                _("The re-certification date cannot be in the past."),
                "recertify_on",
            )
    values["recertify_on"] = recertify_on
    return values


def _removed_on_failure(evidence: Evidence):
    """Delete the file just written for ``evidence`` when the block fails."""

    @contextlib.contextmanager
    def guard():
        try:
            yield
        except BaseException:
            if evidence.file:
                evidence.file.storage.delete(evidence.file.name)
            raise

    return guard()


def _apply(evidence: Evidence, values: dict) -> None:
    """Set the validated ``values`` on ``evidence`` (a file's fields; none for other kinds)."""
    evidence.kind = values["kind"]
    evidence.title = values["title"]
    evidence.text = values["text"]
    evidence.url = values["url"]
    evidence.recertify_on = values["recertify_on"]
    checked: CheckedFile | None = values["checked"]
    if evidence.kind != Evidence.Kind.FILE:
        evidence.file, evidence.original_name, evidence.content_type, evidence.size = "", "", "", 0
    elif checked is not None:
        evidence.original_name = checked.original_name
        evidence.content_type = checked.content_type
        evidence.size = checked.size


def _store(evidence: Evidence, values: dict) -> bool:
    """Write the checked file, if any, under the model's random name; whether one was."""
    checked: CheckedFile | None = values["checked"]
    if checked is None:
        return False
    # upload_to picks the stored name from this one's extension only (ours, not the client's).
    evidence.file.save(f"evidence.{checked.extension}", checked.file, save=False)
    return True


@transaction.atomic
def add_evidence(
    *,
    campaign,
    department,
    answer=None,
    action=None,
    kind: str,
    title: str,
    text: str = "",
    url: str = "",
    file=None,
    recertify_on: datetime.date | None = None,
    by,
) -> Evidence:
    """Attach evidence (text, a link or a file) to one answer or one action of ``campaign``
    and ``department``, pending review, owned by ``by``."""
    if (answer is None) == (action is None):
        raise EvidenceError(
            "target_required", _("Evidence belongs to exactly one answer or one action.")
        )
    standing = _standing(by, campaign)
    if not campaign.departments.filter(pk=department.pk).exists():
        raise EvidenceError(
            "department_elsewhere",
            _("The department is not part of this campaign."),
            "department",
        )
    if answer is not None:
        response = answer.response
        if response.campaign_id != campaign.pk or response.department_id != department.pk:
            raise EvidenceError(
                "answer_elsewhere",
                _("The answer does not belong to this campaign and department."),
                "answer",
            )
        if not access.adds_evidence_to_answer(standing, answer, by):
            raise _forbidden()
    else:
        if action.campaign_id != campaign.pk or action.department_id != department.pk:
            raise EvidenceError(
                "action_elsewhere",
                _("The action does not belong to this campaign and department."),
                "action",
            )
        if not access.adds_evidence_to_action(standing, action, by):
            raise _forbidden()
    values = _validated(
        kind=kind, title=title, text=text, url=url, file=file, recertify_on=recertify_on
    )
    evidence = Evidence(
        campaign=campaign, department=department, answer=answer, action=action, owner=by
    )
    _apply(evidence, values)
    _store(evidence, values)
    with _removed_on_failure(evidence):
        evidence.save()
    return evidence


def _locked(evidence: Evidence) -> Evidence:
    return (
        Evidence.objects.select_for_update(of=("self",))
        .select_related("campaign", "action", "answer__response")
        .get(pk=evidence.pk)
    )


OWN_EVIDENCE = gettext_lazy(
    "You added this evidence, so someone else approves it: another organisation admin or "
    "the consultant."
)


@transaction.atomic
def review_evidence(*, evidence: Evidence, decision: str, comment: str = "", by) -> Evidence:
    """Approve or reject pending evidence (org admins and consultants); a rejection says why.
    Nobody approves what they added themselves. Approved evidence is locked from then on."""
    row = _locked(evidence)
    if not access.reviews_evidence(_standing(by, row.campaign)):
        raise EvidenceError(
            "forbidden", _("Only an organisation admin or consultant reviews evidence."), status=403
        )
    if decision not in DECISIONS:
        raise EvidenceError("bad_decision", _("Choose approve or reject."), "decision")
    comment = _clean_text(comment, "comment", TEXT_MAX_LENGTH)
    if not row.is_current or row.status != Evidence.Status.PENDING:
        raise EvidenceError(
            "not_pending",
            _("Only pending evidence can be reviewed; this one is %(status)s.")
            % {"status": row.get_status_display() if row.is_current else _("an old version")},
            status=409,
        )
    if decision == Evidence.Status.REJECTED and not comment:
        raise EvidenceError("comment_required", _("Say why the evidence is rejected."), "comment")
    if decision == Evidence.Status.APPROVED and not access.approves_evidence(
        _standing(by, row.campaign), row, by
    ):
        raise EvidenceError("own_evidence", str(OWN_EVIDENCE), "decision", status=403)
    row.status = decision
    row.review_comment = comment
    row.reviewed_by = by
    row.reviewed_at = timezone.now()
    row.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at"])
    return row


@transaction.atomic
def revise_evidence(*, evidence: Evidence, by, **changes) -> Evidence:
    """Change the current version of ``evidence`` (``kind``, ``title``, ``text``, ``url``,
    ``file``, ``recertify_on``). Pending or rejected evidence is edited in place and goes
    (back) to pending; approved evidence is locked, so the change becomes a new version,
    pending, and the approved one stays as history. Returns the evidence as it now stands
    (a new row for a new version); unchanged values change nothing."""
    unknown = set(changes) - set(REVISABLE)
    if unknown:
        raise EvidenceError(
            "unknown_field",
            _("These fields cannot be changed: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))},
        )
    row = _locked(evidence)
    if not row.is_current:
        raise EvidenceError(
            "not_current",
            _("This is an old version; change the current one."),
            status=409,
        )
    standing = _standing(by, row.campaign)
    target = row.action if row.action_id else row.answer
    allowed = (
        access.adds_evidence_to_action(standing, target, by)
        if row.action_id
        else access.adds_evidence_to_answer(standing, target, by)
    )
    if not allowed:
        raise _forbidden()
    merged = {
        "kind": row.kind,
        "title": row.title,
        "text": row.text,
        "url": row.url,
        "recertify_on": row.recertify_on,
        "file": None,
        **changes,
    }
    values = _validated(**merged, previous_file=row.file.name if row.kind == "file" else "")
    same = (
        values["checked"] is None
        and all(values[k] == getattr(row, k) for k in ("kind", "title", "text", "url"))
        and values["recertify_on"] == row.recertify_on
    )
    if same:
        return row
    if row.is_locked:
        return _new_version(row, values, by)
    old_file = row.file.name if row.file else ""
    _apply(row, values)
    stored = _store(row, values)
    row.status = Evidence.Status.PENDING
    with _removed_on_failure(row) if stored else contextlib.nullcontext():
        row.save()
    if old_file and old_file != row.file.name:
        # The replaced file goes once the change is recorded (never before).
        storage = row.file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return row


def _new_version(row: Evidence, values: dict, by) -> Evidence:
    new = Evidence(
        campaign_id=row.campaign_id,
        department_id=row.department_id,
        answer_id=row.answer_id,
        action_id=row.action_id,
        owner=by,
        version=row.version + 1,
        previous=row,
        series=row.series,
        file=row.file.name,
        original_name=row.original_name,
        content_type=row.content_type,
        size=row.size,
    )
    _apply(new, values)
    stored = _store(new, values)
    with _removed_on_failure(new) if stored else contextlib.nullcontext():
        row.is_current = False
        row.save(update_fields=["is_current"])
        new.save()
    return new
