"""Writes for improvement actions: keyword-only, one transaction each, every change recorded.

The web views, the API, the reminder command and the demo data call these; nothing here
knows about HTTP. A refused write raises ``ActionError`` (an ``AssessmentError``, so the API
answers it in the project's error shape with its field).

Due dates: any real date from the day the campaign opened on is accepted, past ones too (an
action entered late may already be overdue, and saying so is the point); a date before the
campaign opened, or more than ``MAX_YEARS_AHEAD`` years after it, is refused as a typing
mistake.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import ConsultantAccess, Membership
from assessments.services import UNSTORABLE_TEXT, AssessmentError
from maturity.models import Recommendation
from training.models import Module

from ..models import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, Action, ActionEvent
from .defaults import plan_row_defaults, recommendation_defaults

MAX_YEARS_AHEAD = 10
# The fields ``update_action`` may change, in the order the history lists them.
EDITABLE = (
    "title",
    "description",
    "dimension_code",
    "owner",
    "due_on",
    "status",
    "planned_level",
    "recommendation",
    "modules",
)


class ActionError(AssessmentError):
    """A write the rules refuse: ``code`` is stable for programs, ``message`` for people,
    ``field`` the input it is about (if any)."""

    def __init__(self, code: str, message: str, field: str | None = None, *, status: int = 400):
        super().__init__(code, message, status=status, field=field)


# ------------------------------------------------------------------ validation


def _check_text(field: str, text, *, required: bool, limit: int) -> str:
    if not isinstance(text, str):
        raise ActionError("invalid", _("Enter a text."), field)
    text = text.strip()
    if required and not text:
        raise ActionError(f"{field}_required", _("This field is required."), field)
    if len(text) > limit:
        raise ActionError(
            f"{field}_too_long",
            _("At most %(limit)s characters.") % {"limit": limit},
            field,
        )
    if UNSTORABLE_TEXT.search(text):
        raise ActionError(
            f"{field}_unstorable",
            _(
                "The text contains a control character that cannot be saved "
                "(such as a vertical tab or NUL). Remove it and try again."
            ),
            field,
        )
    return text


def _check_dimension(campaign, code) -> str:
    if not campaign.framework.dimensions.filter(code=code).exists():
        raise ActionError(
            "unknown_dimension",
            _("%(code)s is not a dimension of this campaign's framework.") % {"code": code},
            "dimension_code",
        )
    return code


def _check_department(campaign, department) -> None:
    if department is None or not campaign.departments.filter(pk=department.pk).exists():
        raise ActionError(
            "department_not_assessed",
            _("This department is not assessed in the campaign."),
            "department",
        )


def _check_owner(campaign, owner) -> None:
    if owner is None:
        return
    organisation = campaign.organisation_id
    belongs = (
        Membership.objects.filter(user=owner, organisation_id=organisation).exists()
        or ConsultantAccess.objects.filter(user=owner, organisation_id=organisation).exists()
    )
    if not belongs:
        raise ActionError(
            "owner_not_member",
            _("The owner must be a member of the organisation or one of its consultants."),
            "owner",
        )


def _check_level(campaign, level) -> None:
    if level is None:
        return
    framework = campaign.framework
    if (
        not isinstance(level, int)
        or isinstance(level, bool)
        or not framework.scale_min <= level <= framework.scale_max
    ):
        raise ActionError(
            "bad_level",
            _("The planned level must be a level of the scale (%(low)s–%(high)s).")
            % {"low": framework.scale_min, "high": framework.scale_max},
            "planned_level",
        )


def _check_due(campaign, due_on) -> None:
    if due_on is None:
        return
    if not isinstance(due_on, datetime.date) or isinstance(due_on, datetime.datetime):
        raise ActionError("bad_due_date", _("Enter a valid date."), "due_on")
    latest = campaign.opens_on.replace(year=campaign.opens_on.year + MAX_YEARS_AHEAD)
    if not campaign.opens_on <= due_on <= latest:
        raise ActionError(
            "bad_due_date",
            _("The due date must lie between %(first)s (the campaign opened) and %(last)s.")
            % {"first": campaign.opens_on.isoformat(), "last": latest.isoformat()},
            "due_on",
        )


def _check_recommendation(campaign, code: str, recommendation) -> None:
    if recommendation is None:
        return
    level = recommendation.dimension_level
    dimension = level.dimension
    if dimension.framework_id != campaign.framework_id or dimension.code != code:
        raise ActionError(
            "recommendation_elsewhere",
            _("The recommendation belongs to another dimension."),
            "recommendation",
        )


def _check_status(status) -> None:
    if status not in Action.Status.values:
        raise ActionError("bad_status", _("Choose a valid status."), "status")


def _modules(modules) -> list[Module]:
    modules = list(modules or ())
    ids = {m.pk if isinstance(m, Module) else m for m in modules}
    found = list(Module.objects.filter(pk__in=[i for i in ids if isinstance(i, int)]))
    if len(found) != len(ids):
        raise ActionError("unknown_module", _("Choose valid training modules."), "modules")
    return sorted(found, key=lambda m: m.pk)


# ------------------------------------------------------------------ history


def _stored(field: str, value):
    """A field's value as the history keeps it (JSON): ids, codes, ISO dates."""
    if value is None:
        return None
    if field in ("owner", "recommendation"):
        return value.pk
    if field == "due_on":
        return value.isoformat()
    if field == "modules":
        return sorted(m.pk for m in value)
    return value


def _current(action: Action, field: str):
    if field == "modules":
        return list(action.modules.all())
    if field in ("owner", "recommendation"):
        return getattr(action, field)
    return getattr(action, field)


def _record(action: Action, kind: str, by, changes: dict) -> ActionEvent:
    return ActionEvent.objects.create(action=action, kind=kind, by=by, changes=changes)


def _apply_status(action: Action, status: str) -> None:
    if status == Action.Status.DONE and action.status != Action.Status.DONE:
        action.completed_at = timezone.now()
    elif status != Action.Status.DONE:
        action.completed_at = None
    action.status = status


# ------------------------------------------------------------------ services


@transaction.atomic
def create_action(
    *,
    campaign,
    department,
    dimension_code: str,
    title: str,
    description: str = "",
    owner=None,
    due_on: datetime.date | None = None,
    planned_level: int | None = None,
    recommendation: Recommendation | None = None,
    modules=(),
    by,
) -> Action:
    """A new action for a department on one dimension of the campaign's framework, with its
    "created" event holding every value set. Each input is checked against the campaign:
    the dimension is one of its framework's, the department one it assesses, the owner a
    member or consultant of its organisation, the level on its scale, the recommendation
    of that dimension and the due date sane (module docstring)."""
    _check_department(campaign, department)
    _check_dimension(campaign, dimension_code)
    title = _check_text("title", title, required=True, limit=TITLE_MAX_LENGTH)
    description = _check_text("description", description, required=False, limit=TEXT_MAX_LENGTH)
    _check_owner(campaign, owner)
    _check_due(campaign, due_on)
    _check_level(campaign, planned_level)
    _check_recommendation(campaign, dimension_code, recommendation)
    modules = _modules(modules)
    action = Action.objects.create(
        campaign=campaign,
        department=department,
        dimension_code=dimension_code,
        title=title,
        description=description,
        owner=owner,
        due_on=due_on,
        planned_level=planned_level,
        recommendation=recommendation,
        created_by=by,
    )
    action.modules.set(modules)
    values = {
        "title": title,
        "description": description,
        "dimension_code": dimension_code,
        "owner": owner,
        "due_on": due_on,
        "status": action.status,
        "planned_level": planned_level,
        "recommendation": recommendation,
        "modules": modules,
    }
    changes = {
        field: [None, _stored(field, value)]
        for field, value in values.items()
        if value not in (None, "", [])
    }
    changes["department"] = [None, department.pk]
    _record(action, ActionEvent.Kind.CREATED, by, changes)
    return action


@transaction.atomic
def update_action(*, action: Action, by, **fields) -> Action:
    """Change any of ``EDITABLE`` (others are refused), checked as ``create_action`` checks
    them; one "changed" event lists each field whose value changed, old and new. Nothing
    changed, nothing recorded. The action's row is locked while it changes, so two edits
    at once are applied one after the other and both recorded."""
    unknown = sorted(set(fields) - set(EDITABLE))
    if unknown:
        raise ActionError(
            "not_editable",
            _("%(field)s cannot be changed.") % {"field": unknown[0]},
            unknown[0],
        )
    action = (
        Action.objects.select_for_update(of=("self",))
        .select_related("campaign__framework", "owner", "recommendation")
        .get(pk=action.pk)
    )
    campaign = action.campaign
    if "title" in fields:
        fields["title"] = _check_text(
            "title", fields["title"], required=True, limit=TITLE_MAX_LENGTH
        )
    if "description" in fields:
        fields["description"] = _check_text(
            "description", fields["description"], required=False, limit=TEXT_MAX_LENGTH
        )
    code = fields.get("dimension_code", action.dimension_code)
    if "dimension_code" in fields:
        _check_dimension(campaign, code)
    if "owner" in fields:
        _check_owner(campaign, fields["owner"])
    if "due_on" in fields:
        _check_due(campaign, fields["due_on"])
    if "status" in fields:
        _check_status(fields["status"])
    if "planned_level" in fields:
        _check_level(campaign, fields["planned_level"])
    recommendation = fields.get("recommendation", action.recommendation)
    if "recommendation" in fields or "dimension_code" in fields:
        _check_recommendation(campaign, code, recommendation)
    if "modules" in fields:
        fields["modules"] = _modules(fields["modules"])
    changes = {}
    for field in EDITABLE:
        if field not in fields:
            continue
        old, new = _stored(field, _current(action, field)), _stored(field, fields[field])
        if old == new:
            continue
        changes[field] = [old, new]
        if field == "modules":
            action.modules.set(fields["modules"])
        elif field == "status":
            _apply_status(action, fields["status"])
        else:
            setattr(action, field, fields[field])
    if changes:
        action.save()
        _record(action, ActionEvent.Kind.CHANGED, by, changes)
    return action


def move_action(*, action: Action, status: str, by) -> Action:
    """Change an action's status only (what its owner may do): ``completed_at`` is set when
    it becomes done and cleared when it is reopened; recorded like any change."""
    return update_action(action=action, by=by, status=status)


def create_action_from_plan_row(*, campaign, row, by, **extra) -> Action:
    """``create_action`` for a plan row's department and dimension (``plan_row_defaults``)."""
    return create_action(
        campaign=campaign, department=row.department, by=by, **{**plan_row_defaults(row), **extra}
    )


def create_action_from_recommendation(
    *, campaign, department, recommendation: Recommendation, by, **extra
) -> Action:
    """``create_action`` from a maturity recommendation (``recommendation_defaults``)."""
    return create_action(
        campaign=campaign,
        department=department,
        by=by,
        **{**recommendation_defaults(recommendation), **extra},
    )
