"""The 30/60/90-day roadmap: a campaign's (or one department's) open actions by when they
are due.

The rule, counted in whole days from ``today`` (the server's local date, ``timezone.localdate``,
unless the caller gives one): an open action (planned or in progress) due

- up to 30 days from today, or already overdue (due before today, flagged), goes to "30 days";
- 31 to 60 days from today to "60 days"; 61 to 90 days to "90 days";
- more than 90 days from today, or with no due date, to "Later or no date".

An action due today is in the first bucket and is not overdue (the actions' own overdue rule,
``improvement.actions.selectors.overdue_condition``). Done and dropped actions are
not on the roadmap. Items are in due-date order (department, then the action's id, on a tie);
in the last bucket the dated actions come before the undated ones.

Who sees which actions is the caller's choice of ``department``: the views pass a manager's
own department, never None (the whole campaign) for them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Campaign, Department
from assessments.templatetags.people import person
from maturity.models import Dimension

from ..actions.selectors import OPEN, actions_for
from ..models import Action

# (key, label, last day from today it takes; None: everything after the one before).
BUCKETS = (
    ("30", _("Within 30 days"), 30),
    ("60", _("31–60 days"), 60),
    ("90", _("61–90 days"), 90),
    ("later", _("Later or no date"), None),
)


@dataclass(frozen=True)
class RoadmapItem:
    action_id: int
    title: str
    department_id: int
    department: str
    dimension_code: str
    dimension: str  # the dimension's title (its code when the framework has no such dimension)
    owner: str  # the owner's name, "" for an action nobody owns
    due_on: datetime.date | None
    status: str
    status_label: str
    overdue: bool


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str
    items: tuple[RoadmapItem, ...]


@dataclass(frozen=True)
class Roadmap:
    today: datetime.date
    buckets: tuple[Bucket, ...]

    @property
    def is_empty(self) -> bool:
        return not any(bucket.items for bucket in self.buckets)


def bucket_key(due_on: datetime.date | None, today: datetime.date) -> str:
    """Which bucket an open action due ``due_on`` belongs to (see the module's docstring)."""
    if due_on is None:
        return "later"
    days = (due_on - today).days
    for key, _label, last in BUCKETS:
        if last is not None and days <= last:
            return key
    return "later"


def roadmap(campaign: Campaign, department: Department | None = None, *, today=None) -> Roadmap:
    """The campaign's open actions (``department``'s only, when given) in the four buckets.

    Three queries whatever the number of actions: the actions with their department and
    owner (``improvement.actions.selectors.actions_for``, which also prefetches their modules),
    and the framework's dimension titles."""
    today = today or timezone.localdate()
    # The actions' own list and overdue rule (``overdue`` annotated by the database).
    actions = actions_for(campaign, department=department, today=today).filter(status__in=OPEN)
    # Whole objects: the title is the active language's (modeltranslation), with its fallback.
    titles = {d.code: d.title for d in Dimension.objects.filter(framework_id=campaign.framework_id)}
    statuses = dict(Action.Status.choices)
    placed: dict[str, list[RoadmapItem]] = {key: [] for key, _label, _last in BUCKETS}
    ordered = sorted(
        actions,
        key=lambda a: (a.due_on is None, a.due_on or today, a.department.name, a.pk),
    )
    for action in ordered:
        placed[bucket_key(action.due_on, today)].append(
            RoadmapItem(
                action_id=action.pk,
                title=action.title,
                department_id=action.department_id,
                department=action.department.name,
                dimension_code=action.dimension_code,
                dimension=titles.get(action.dimension_code, action.dimension_code),
                owner=person(action.owner),
                due_on=action.due_on,
                status=action.status,
                status_label=str(statuses.get(action.status, action.status)),
                overdue=action.overdue,
            )
        )
    return Roadmap(
        today=today,
        buckets=tuple(
            Bucket(key=key, label=str(label), items=tuple(placed[key]))
            for key, label, _last in BUCKETS
        ),
    )
