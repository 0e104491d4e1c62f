"""Scoped reads for training: modules with a learner's progress, assignments, team
progress, the modules proposed for a department's gaps, and the dimensions modules serve."""

from collections import defaultdict
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from assessments.access import standings
from assessments.models import Membership
from maturity.framework_file import load_framework_file
from maturity.models import Dimension, Framework
from results.plan import first_steps

from .models import Assignment, LearningPathItem, Module, ModuleProgress

SHIPPED_FRAMEWORK = (
    Path(settings.BASE_DIR) / "maturity" / "frameworks" / f"{settings.DEFAULT_FRAMEWORK_SLUG}.yaml"
)


@cache
def _shipped_dimension_codes() -> frozenset[str]:
    source = str(SHIPPED_FRAMEWORK.relative_to(settings.BASE_DIR))
    data = load_framework_file(SHIPPED_FRAMEWORK.read_bytes(), source=source)
    return frozenset(dimension["code"] for dimension in data["dimensions"])


def dimension_codes() -> frozenset[str]:
    """The dimension codes a training module may serve: those of the shipped default
    framework (modules may be imported before it is) and of every published framework in
    the database (a framework of one's own)."""
    published = Dimension.objects.filter(framework__status=Framework.Status.PUBLISHED)
    return _shipped_dimension_codes() | frozenset(published.values_list("code", flat=True))


def learner_organisation(user):
    """The organisation a learner's progress belongs to (their membership), or None."""
    membership = Membership.objects.filter(user=user).select_related("organisation").first()
    return membership.organisation if membership else None


def can_facilitate(user) -> bool:
    """Whether ``user`` runs study sessions and may read the facilitator edition of a module
    (answer keys, model answers, notes): org admins, consultants and managers (who run their
    team's sessions, as the handouts page lets them) of any organisation. Modules are shared
    by every organisation, so one such standing is enough; staff study the participants'
    edition only."""
    return any(s.can_manage or s.is_manager for s in standings(user).values())


def modules() -> QuerySet[Module]:
    return Module.objects.prefetch_related("dimensions")


def progress_by_module(user, organisation) -> dict[int, ModuleProgress]:
    if organisation is None:
        return {}
    return {
        p.module_id: p for p in ModuleProgress.objects.filter(user=user, organisation=organisation)
    }


def assignments_of(user) -> list[Assignment]:
    """The learner's assignments, soonest due first, with their paths' modules."""
    return list(
        Assignment.objects.filter(user=user)
        .select_related("path")
        .prefetch_related(
            Prefetch(
                "path__items",
                queryset=LearningPathItem.objects.select_related("module").order_by("order"),
            )
        )
        .order_by("due_on")
    )


def assigned_module_ids(assignments: list[Assignment]) -> dict[int, Assignment]:
    """Module id → the earliest-due assignment that includes it."""
    out: dict[int, Assignment] = {}
    for assignment in assignments:
        for item in assignment.path.items.all():
            out.setdefault(item.module_id, assignment)
    return out


def team_progress(organisation, *, department=None, cache: dict | None = None) -> dict:
    """Members × modules for a department (or the whole organisation): read / best score /
    passed, plus each member's assignments; a fixed number of queries. With ``cache`` (a
    document's, e.g. ``CampaignResults.presented``), the organisation's is read once and each
    department's is its slice, so a report on every department reads it once."""
    if cache is not None and department is not None:
        key = ("team_progress", organisation.pk)
        if key not in cache:
            cache[key] = team_progress(organisation)
        whole = cache[key]
        rows = [r for r in whole["rows"] if r["member"].department_id == department.pk]
        return {"modules": whole["modules"], "rows": rows}
    members = Membership.objects.filter(organisation=organisation).select_related(
        "user", "department"
    )
    if department is not None:
        members = members.filter(department=department)
    members = list(members.order_by("department__name", "user__last_name", "user__username"))
    user_ids = [m.user_id for m in members]
    progress = defaultdict(dict)
    for row in ModuleProgress.objects.filter(organisation=organisation, user_id__in=user_ids):
        progress[row.user_id][row.module_id] = row
    assigned = defaultdict(set)
    for user_id, module_id in LearningPathItem.objects.filter(
        path__organisation=organisation, path__assignments__user_id__in=user_ids
    ).values_list("path__assignments__user_id", "module_id"):
        assigned[user_id].add(module_id)
    module_list = list(Module.objects.order_by("order", "slug"))
    rows = []
    for member in members:
        cells = []
        for module in module_list:
            cells.append(
                {
                    "module": module,
                    "progress": progress[member.user_id].get(module.pk),
                    "assigned": module.pk in assigned[member.user_id],
                }
            )
        passed = sum(1 for c in cells if c["progress"] and c["progress"].passed)
        rows.append({"member": member, "cells": cells, "passed": passed})
    return {"modules": module_list, "rows": rows}


def modules_for_steps(steps, catalogue=None) -> list[tuple[Module, object]]:
    """The modules serving the dimensions of plan ``steps`` (``results.plan.PlanRow``), in
    plan order: within a step, the modules that serve its current level first, then the
    catalogue's order; each module once, with the first step it serves.

    The learning-path proposal and the PDF's learning section and appendix all choose with
    this, so a department is pointed to the same modules everywhere. ``catalogue`` is the
    modules to choose from (default: all, with their dimensions prefetched)."""
    by_dimension = defaultdict(list)
    for module in catalogue if catalogue is not None else modules().order_by("order", "slug"):
        for served in module.dimensions.all():
            by_dimension[served.dimension_code].append((module, served.levels))
    chosen: dict[int, tuple[Module, object]] = {}
    for step in steps:
        candidates = sorted(
            by_dimension.get(step.dimension.code, []),
            key=lambda item, level=step.level: level not in item[1],
        )
        for module, _levels in candidates:
            chosen.setdefault(module.pk, (module, step))
    return list(chosen.values())


def proposed_modules(results, department_id: int) -> list[dict]:
    """Modules for the first steps of the department's improvement plan
    (``results.plan.first_steps``: its weakest dimensions, docs/scoring.md), in plan order."""
    return [
        {
            "module": module,
            "dimension": step.dimension.title,
            "mean": step.mean,
            "level": step.level,
        }
        for module, step in modules_for_steps(first_steps(results, department_id))
    ]
