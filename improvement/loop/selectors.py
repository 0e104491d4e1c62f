"""The loop in one place: for one department, per dimension of its improvement plan, the gap
(mean, level, target) → the actions with their status → the training assigned and its quiz
results → the change at the next campaign or milestone.

The department results page, the loop page, the API and the PDF all read ``department_loop``,
so they tell the same story. Scores obey the anonymity rule of ``results.loader.shown_results``:
a withheld department gets its reason and no number (its actions and training still show,
they are not answers)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from assessments.access import Standing
from assessments.models import Campaign, Department
from results.loader import CampaignResults
from results.plan import FIRST_STEPS, PlanRow, plan_rows
from training.selectors import modules as training_modules
from training.selectors import modules_for_steps, team_progress

from .. import access
from ..models import Action


@dataclass(frozen=True)
class TrainingLine:
    """One module for a dimension: how many of the department's members it is assigned to,
    have read it and passed its quiz, and their mean best quiz score (None: no attempt)."""

    module: object
    members: int
    assigned: int
    read: int
    passed: int
    best_score: float | None
    linked: bool  # linked to one of the dimension's actions (else proposed by the plan)


@dataclass(frozen=True)
class Delta:
    """The dimension's mean before and after, and the change (after − before)."""

    before: float | None
    after: float | None
    change: float | None


@dataclass(frozen=True)
class LoopStep:
    """One dimension of the loop; ``plan`` is None for a dimension outside the plan (at its
    target, or withheld) that has actions."""

    dimension: object
    plan: PlanRow | None
    actions: list
    training: list[TrainingLine]
    delta: Delta | None

    @property
    def open_actions(self) -> int:
        return sum(1 for a in self.actions if a.is_open)

    @property
    def done_actions(self) -> int:
        return sum(1 for a in self.actions if a.status == Action.Status.DONE)


@dataclass(frozen=True)
class Loop:
    department: Department
    withheld: bool
    reason: str
    steps: list[LoopStep]
    # What the delta compares with: "next campaign", "milestone", "previous campaign" or "".
    delta_kind: str = ""
    delta_name: str = ""
    today: datetime.date = field(default_factory=timezone.localdate)

    @property
    def leading(self) -> list[LoopStep]:
        """What a reader is shown first (the department page, the PDF): the plan's first
        steps (``results.plan.FIRST_STEPS``) and every other dimension with actions."""
        return [s for s in self.steps if s.actions or (s.plan and s.plan.rank <= FIRST_STEPS)]

    @property
    def overdue(self) -> set[int]:
        """The ids of the loop's overdue actions (the actions slice's rule)."""
        return {a.pk for s in self.steps for a in s.actions if _is_overdue(a, self.today)}


# ------------------------------------------------------------------ the other slices' rules


def _actions(campaign: Campaign, department: Department, cache: dict) -> list:
    """The department's actions (``actions.selectors.actions_for``), with owner and modules:
    the campaign's read once per ``cache`` (its results' ``presented``) and grouped, so a
    report on every department reads them once."""
    from ..actions.selectors import actions_for

    key = ("loop actions", campaign.pk)
    if key not in cache:
        grouped: dict[int, list] = {}
        for action in actions_for(campaign).select_related("owner").prefetch_related("modules"):
            grouped.setdefault(action.department_id, []).append(action)
        cache[key] = grouped
    return cache[key].get(department.pk, [])


def _is_overdue(action, today: datetime.date) -> bool:
    try:
        from ..actions.selectors import is_overdue
    except ImportError:  # pragma: no cover - until the actions slice lands
        return action.is_open and action.due_on is not None and action.due_on < today
    return is_overdue(action, today)


def _comparison(campaign: Campaign, department: Department, cache: dict | None = None):
    """(kind, name, comparison) from the milestones slice: the next campaign against this
    one (the re-assessment), else its latest milestone or the previous campaign against it
    now (``compare.latest_comparison``); None when there is nothing to compare or the slice
    refuses (different scales)."""
    try:
        from ..milestones import compare
        from ..milestones.services import MilestoneError
    except ImportError:  # pragma: no cover - until the milestones slice lands
        return None
    try:
        later = next_campaign(campaign, cache)
        if later is not None:
            found = compare.compare(campaign, later, department_id=department.pk, cache=cache)
            return "next", later.name, found
        found = compare.latest_comparison(campaign, department, cache=cache)
    except MilestoneError:
        return None
    if found is None:
        return None
    before = found.before
    if before.milestone is not None:
        return "milestone", before.milestone.name, found
    return "previous", before.campaign.name, found


# ------------------------------------------------------------------ the loop


def next_campaign(campaign: Campaign, cache: dict | None = None) -> Campaign | None:
    """The organisation's first campaign that opened after this one (its re-assessment);
    read once per ``cache`` when one is given."""
    key = ("next campaign", campaign.pk)
    if cache is not None and key in cache:
        return cache[key]
    found = (
        Campaign.objects.filter(
            organisation_id=campaign.organisation_id, opens_on__gt=campaign.opens_on
        )
        .exclude(pk=campaign.pk)
        .select_related("framework")
        .order_by("opens_on", "id")
        .first()
    )
    if cache is not None:
        cache[key] = found
    return found


def _deltas(results: CampaignResults, department: Department) -> tuple[str, str, dict]:
    """What each dimension moved by (``improvement.milestones.compare``): at the next
    campaign, else since the latest milestone, else against the previous campaign."""
    # One report's results carry a cache: each campaign is scored once for all departments.
    found = _comparison(results.campaign, department, cache=results.presented)
    if found is None or not found[2].departments:
        return "", "", {}
    kind, name, comparison = found
    deltas = {
        row.dimension.code: Delta(row.before_mean, row.after_mean, row.delta)
        for row in comparison.departments[0].rows
        if row.delta is not None
    }
    return (kind, name, deltas) if deltas else ("", "", {})


def _training(department: Department, organisation, steps_modules: dict, cache: dict) -> dict:
    """{code: [TrainingLine]} from the department's team progress (one read for all)."""
    if not any(steps_modules.values()):
        return {}
    progress = team_progress(organisation, department=department, cache=cache)
    members = len(progress["rows"])
    cells = {}
    for row in progress["rows"]:
        for cell in row["cells"]:
            cells.setdefault(cell["module"].pk, []).append(cell)
    out = {}
    for code, modules in steps_modules.items():
        lines = []
        for module, linked in modules:
            each = cells.get(module.pk, [])
            scores = [
                c["progress"].best_score
                for c in each
                if c["progress"] and c["progress"].best_score is not None
            ]
            line = TrainingLine(
                module=module,
                members=members,
                assigned=sum(1 for c in each if c["assigned"]),
                read=sum(1 for c in each if c["progress"] and c["progress"].read_at),
                passed=sum(1 for c in each if c["progress"] and c["progress"].passed),
                best_score=sum(scores) / len(scores) if scores else None,
                linked=linked,
            )
            # Training assigned or taken: a module an action links, or a proposed one that
            # somebody of the department was assigned, read or passed.
            if linked or line.assigned or line.read or line.passed:
                lines.append(line)
        out[code] = lines
    return out


def department_loop(
    results: CampaignResults,
    department: Department,
    *,
    standing: Standing,
    today: datetime.date | None = None,
) -> Loop:
    """The department's loop, in plan order (``results.plan.plan_rows``), then any other
    dimension with actions in the framework's order. ``results`` is ``shown_results``;
    ``standing`` must see the department (``improvement.access.sees_department``)."""
    if not access.sees_department(standing, department.pk):
        raise PermissionError("This standing does not see the department.")
    today = today or timezone.localdate()
    campaign = results.campaign
    disclosure = results.disclosure
    withheld = disclosure is not None and not disclosure.shows(department.pk)
    reason = disclosure.reason(department.pk) if disclosure is not None and withheld else ""
    plan = [] if withheld else plan_rows(results, department.pk)
    cache = results.presented  # this results' own: one read for every department it shows
    actions = _actions(campaign, department, cache)
    by_dimension: dict[str, list] = {}
    for action in actions:
        by_dimension.setdefault(action.dimension_code, []).append(action)
    order = [(step.dimension, step) for step in plan]
    planned = {step.dimension.code for step in plan}
    order += [
        (d, None) for d in results.dimensions if d.code in by_dimension and d.code not in planned
    ]
    modules = {}
    proposed_for = {step.dimension.code: step for step in plan}
    # Read whether or not there is a plan, so a page's query count does not depend on it.
    if "loop catalogue" not in cache:
        cache["loop catalogue"] = list(training_modules().order_by("order", "slug"))
    catalogue = cache["loop catalogue"]
    for dimension, _step in order:
        chosen: dict[int, tuple] = {}
        for action in by_dimension.get(dimension.code, []):
            for module in action.modules.all():
                chosen.setdefault(module.pk, (module, True))
        if dimension.code in proposed_for:
            for module, _step in modules_for_steps([proposed_for[dimension.code]], catalogue):
                chosen.setdefault(module.pk, (module, False))
        modules[dimension.code] = list(chosen.values())
    training = _training(department, campaign.organisation, modules, cache)
    kind, name, deltas = ("", "", {}) if withheld else _deltas(results, department)
    steps = [
        LoopStep(
            dimension=dimension,
            plan=step,
            actions=by_dimension.get(dimension.code, []),
            training=training.get(dimension.code, []),
            delta=deltas.get(dimension.code),
        )
        for dimension, step in order
    ]
    return Loop(
        department=department,
        withheld=withheld,
        reason=reason,
        steps=steps,
        delta_kind=kind,
        delta_name=name,
        today=today,
    )
