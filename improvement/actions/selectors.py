"""Scoped reads of improvement actions: who may open which, lists with their filters, the
overdue rule, the progress against the target and the readable change history."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from assessments.access import Standing, standing_in
from assessments.models import Campaign, ConsultantAccess, Department, Membership
from assessments.templatetags.people import person
from maturity.models import Recommendation
from training.models import Module

from .. import access
from ..models import Action

OPEN = (Action.Status.PLANNED, Action.Status.IN_PROGRESS)


# ------------------------------------------------------------------ the overdue rule


def overdue_condition(today: datetime.date) -> Q:
    """Overdue, said to the database: still open and due before ``today``. ``is_overdue``
    says the same to Python; change both."""
    return Q(status__in=OPEN, due_on__lt=today)


def is_overdue(action: Action, today: datetime.date | None = None) -> bool:
    """Overdue, in Python (``overdue_condition``)."""
    today = today or timezone.localdate()
    return action.is_open and action.due_on is not None and action.due_on < today


def with_overdue(actions: QuerySet[Action], today: datetime.date) -> QuerySet[Action]:
    """``actions`` with an ``overdue`` attribute computed by the database."""
    return actions.annotate(
        overdue=Case(
            When(overdue_condition(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


# ------------------------------------------------------------------ scoping


def campaign_for_actions(user, pk: int) -> tuple[Campaign, Standing]:
    """A campaign whose actions the user may list: anyone with a standing in its
    organisation (404 otherwise). What each sees is ``visible_actions``'."""
    campaign = get_object_or_404(
        Campaign.objects.select_related("framework", "organisation"), pk=pk
    )
    return campaign, standing_in(user, campaign.organisation_id)


def visible_actions(campaign: Campaign, standing: Standing, user) -> QuerySet[Action]:
    """The campaign's actions the user may see (``improvement.access.sees_action``, as a
    query): every one for org admins and consultants, a manager's department's and the
    ones the user owns for anybody else."""
    actions = Action.objects.filter(campaign=campaign)
    if standing.can_manage:
        return actions
    condition = Q(owner_id=user.pk)
    if standing.is_manager and standing.department_id:
        condition |= Q(department_id=standing.department_id)
    return actions.filter(condition)


def action_for(user, action_id: int) -> tuple[Action, Standing]:
    """An action the user may open: 404 outside its organisation, 403 inside it without
    the right (``access.sees_action``)."""
    action = get_object_or_404(
        Action.objects.select_related(
            "campaign__framework", "campaign__organisation", "department", "owner", "recommendation"
        ),
        pk=action_id,
    )
    standing = standing_in(user, action.campaign.organisation_id)
    if not access.sees_action(standing, action, user):
        raise PermissionDenied
    return action, standing


# ------------------------------------------------------------------ lists


def actions_for(
    campaign: Campaign,
    *,
    department=None,
    status: str | None = None,
    owner=None,
    overdue: bool | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Action]:
    """The campaign's actions, optionally of one department, status or owner, overdue or
    not, with ``overdue`` annotated, owner and department loaded and modules prefetched."""
    today = today or timezone.localdate()
    actions = with_overdue(Action.objects.filter(campaign=campaign), today)
    if department is not None:
        actions = actions.filter(department=department)
    if status:
        actions = actions.filter(status=status)
    if owner is not None:
        actions = actions.filter(owner=owner)
    if overdue is True:
        actions = actions.filter(overdue_condition(today))
    elif overdue is False:
        actions = actions.exclude(overdue_condition(today))
    return decorated(actions)


def decorated(actions: QuerySet[Action]) -> QuerySet[Action]:
    """What a list of actions shows, loaded in a fixed number of queries."""
    return actions.select_related("owner", "department", "recommendation").prefetch_related(
        "modules"
    )


def people_of(campaign: Campaign):
    """Who may own an action of the campaign: the organisation's members and its
    consultants, by name."""
    organisation = campaign.organisation_id
    return (
        get_user_model()
        .objects.filter(
            Q(Exists(Membership.objects.filter(user=OuterRef("pk"), organisation_id=organisation)))
            | Q(
                Exists(
                    ConsultantAccess.objects.filter(
                        user=OuterRef("pk"), organisation_id=organisation
                    )
                )
            )
        )
        .order_by("last_name", "first_name", "username")
    )


def dimensions_of(campaign: Campaign) -> list:
    return list(campaign.framework.dimensions.order_by("order"))


# ------------------------------------------------------------------ progress


@dataclass
class DimensionProgress:
    """One dimension of a department: where it stands (as far as the anonymity rule shows
    it), its target, the levels its actions plan, and how many of them are where."""

    dimension: object
    mean: float | None
    level: int | None
    target: int | None
    planned: list[int] = field(default_factory=list)
    done: int = 0
    open: int = 0
    overdue: int = 0
    dropped: int = 0

    @property
    def total(self) -> int:
        return self.done + self.open + self.dropped

    @property
    def planned_level(self) -> int | None:
        """The highest level the department's live actions aim for."""
        return max(self.planned) if self.planned else None

    @property
    def reaches_target(self) -> bool | None:
        """Whether the actions plan for the target (None when either is unknown)."""
        if self.target is None or self.planned_level is None:
            return None
        return self.planned_level >= self.target


def action_progress(
    campaign: Campaign, department, *, results=None, today: datetime.date | None = None
) -> list[DimensionProgress]:
    """The progress against the target per dimension of the framework, for one department:
    its mean and level and its target (``results.loader.shown_results``, so a department the
    anonymity rule withholds has no mean, no level and no default target), the planned
    levels of its actions that are not dropped, and its counts of done, open, overdue
    (a part of open) and dropped actions. ``results`` may be passed when the caller has it."""
    from results.loader import shown_results

    today = today or timezone.localdate()
    results = results if results is not None else shown_results(campaign)
    rows = {}
    for dimension in results.dimensions:
        keys = {"department_id": department.pk, "dimension": dimension.code}
        mean = results.value("by_department", "mean", **keys)
        level = results.value("by_department", "level", **keys)
        rows[dimension.code] = DimensionProgress(
            dimension=dimension,
            mean=mean,
            # The framework's own level (floor, thresholds or gated), as scored.
            level=None if mean is None or level is None else int(level),
            target=results.target_for(department.pk, dimension.code),
        )
    actions = Action.objects.filter(campaign=campaign, department=department).values_list(
        "dimension_code", "status", "due_on", "planned_level"
    )
    for code, status, due_on, planned in actions:
        row = rows.get(code)
        if row is None:
            continue  # a dimension no longer in the framework
        if status == Action.Status.DONE:
            row.done += 1
        elif status == Action.Status.DROPPED:
            row.dropped += 1
        else:
            row.open += 1
            if due_on is not None and due_on < today:
                row.overdue += 1
        if status != Action.Status.DROPPED and planned is not None:
            row.planned.append(planned)
    return list(rows.values())


# ------------------------------------------------------------------ history


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: str
    new: str


def _labels() -> dict[str, str]:
    fields = [f for f in Action._meta.get_fields() if f.concrete or f.many_to_many]
    labels = {f.name: capfirst(str(f.verbose_name)) for f in fields if hasattr(f, "verbose_name")}
    labels["department"] = capfirst(_("department"))  # the field has no verbose name
    return labels


def history(action: Action) -> list[dict]:
    """The action's events, oldest first, each with who, when and its changes made
    readable in the current language (field names, status labels, people's names,
    dimension titles, recommendation texts, module titles); four queries."""
    events = list(action.events.select_related("by").order_by("at", "pk"))
    ids = {"owner": set(), "recommendation": set(), "modules": set(), "department": set()}
    for event in events:
        for name, pair in event.changes.items():
            for value in pair:
                if name in ("owner", "recommendation", "department") and value is not None:
                    ids[name].add(value)
                elif name == "modules":
                    ids[name].update(value or [])
    people = {u.pk: person(u) for u in get_user_model().objects.filter(pk__in=ids["owner"])}
    texts = {r.pk: r.text for r in Recommendation.objects.filter(pk__in=ids["recommendation"])}
    modules = {m.pk: m.title for m in Module.objects.filter(pk__in=ids["modules"])}
    departments = {d.pk: d.name for d in Department.objects.filter(pk__in=ids["department"])}
    dimensions = {d.code: d.title for d in action.campaign.framework.dimensions.all()}
    statuses = dict(Action.Status.choices)
    labels = _labels()

    def shown(name, value) -> str:
        if value is None or value == "" or value == []:
            return "–"
        if name == "owner":
            return people.get(value, "–")
        if name == "recommendation":
            return texts.get(value, "–")
        if name == "modules":
            return ", ".join(modules.get(pk, str(pk)) for pk in value)
        if name == "department":
            return departments.get(value, "–")
        if name == "status":
            return str(statuses.get(value, value))
        if name == "dimension_code":
            return dimensions.get(value, value)
        return str(value)

    return [
        {
            "event": event,
            "kind": event.get_kind_display(),
            "by": person(event.by) if event.by else "–",
            "at": event.at,
            "changes": [
                Change(name, labels.get(name, name), shown(name, old), shown(name, new))
                for name, (old, new) in event.changes.items()
            ],
        }
        for event in events
    ]
