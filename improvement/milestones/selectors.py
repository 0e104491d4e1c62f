"""Reads for milestones: a campaign's results as shown, frozen into a snapshot (what a
milestone stores and what a campaign side of a comparison is read as), the training and
actions done by a moment, and the milestones a user may list.

The snapshot (``SNAPSHOT_VERSION`` 1) is plain JSON, so a milestone keeps reading the same
whatever happens later to answers, targets, frameworks or department names::

    {"version": 1, "taken_at": ISO datetime,
     "framework": {"id", "slug", "version", "title"}, "scale": [low, high],
     "threshold": the campaign's anonymity threshold,
     "dimensions": [{"code", "title": {"ja", "en"}}, ...]  (framework order),
     "organisation": {code: {"mean", "level", "n"}},  (the departments shown only)
     "departments": {"<id>": {"name", "withheld", "self_ratings",
                              "dimensions": {code: {"mean", "level", "n", "target"}},
                              "actions_done": [action ids], "modules_passed": n,
                              "assignments_completed": n}}}

A withheld department (below the anonymity threshold, ``assessments.privacy``) is stored
with ``"withheld": true`` and no dimensions: no score of it is ever written down.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import QuerySet
from django.utils import timezone

from assessments.models import Campaign, Membership
from improvement.models import Action, Milestone
from results.loader import CampaignResults, shown_results
from training.models import Assignment, LearningPathItem, ModuleProgress

SNAPSHOT_VERSION = 1


def campaign_moment(campaign: Campaign, *, now: datetime.datetime | None = None):
    """The moment a campaign stands for in a comparison: the end of its closing day once
    that is past, else now (its results are still coming in)."""
    now = now or timezone.now()
    end = timezone.make_aware(
        datetime.datetime.combine(campaign.closes_on + datetime.timedelta(days=1), datetime.time())
    )
    return min(end, now)


def _number(value):
    return None if value is None else round(float(value), 6)


def module_passes(organisation_id: int, department_ids) -> list[tuple[int, datetime.datetime]]:
    """(department id, passed at) for every module a member of these departments passed
    (training.ModuleProgress.passed_at), the department being the member's in the
    organisation; two queries."""
    department_of = dict(
        Membership.objects.filter(
            organisation_id=organisation_id, department_id__in=department_ids
        ).values_list("user_id", "department_id")
    )
    passed = ModuleProgress.objects.filter(
        organisation_id=organisation_id,
        user_id__in=list(department_of),
        passed_at__isnull=False,
    ).values_list("user_id", "passed_at")
    return [(department_of[user_id], at) for user_id, at in passed]


def assignment_completions(
    organisation_id: int, department_ids
) -> list[tuple[int, datetime.datetime | None]]:
    """(department id, completed at) for every learning-path assignment of these
    departments; an assignment is completed when its learner has passed every module of
    the path, at the latest of those passes (None while one is missing). Three queries."""
    assignments = list(
        Assignment.objects.filter(
            path__organisation_id=organisation_id, path__department_id__in=department_ids
        ).values_list("user_id", "path_id", "path__department_id")
    )
    path_ids = {path_id for _u, path_id, _d in assignments}
    modules = defaultdict(set)
    for path_id, module_id in LearningPathItem.objects.filter(path_id__in=path_ids).values_list(
        "path_id", "module_id"
    ):
        modules[path_id].add(module_id)
    passed = {
        (user_id, module_id): at
        for user_id, module_id, at in ModuleProgress.objects.filter(
            organisation_id=organisation_id,
            user_id__in={user_id for user_id, _p, _d in assignments},
            passed_at__isnull=False,
        ).values_list("user_id", "module_id", "passed_at")
    }
    out = []
    for user_id, path_id, department_id in assignments:
        times = [passed.get((user_id, module_id)) for module_id in modules[path_id]]
        done = bool(times) and all(t is not None for t in times)
        out.append((department_id, max(times) if done else None))
    return out


def actions_done(organisation_id: int, department_ids) -> QuerySet[Action]:
    """Actions of the organisation's campaigns for these departments that are done now,
    with when (``completed_at``, cleared when an action is reopened)."""
    return Action.objects.filter(
        campaign__organisation_id=organisation_id,
        department_id__in=department_ids,
        status=Action.Status.DONE,
        completed_at__isnull=False,
    )


def snapshot_of(
    campaign: Campaign, *, at: datetime.datetime, results: CampaignResults | None = None
) -> dict:
    """The campaign's results as shown (``results.loader.shown_results``), with the actions
    done and the training completed by ``at``, in the snapshot shape above."""
    results = results or shown_results(campaign)
    rule = results.disclosure
    framework = campaign.framework
    scale = results.scale
    department_ids = [d.pk for d in results.departments]
    done = defaultdict(list)
    for action_id, department_id in (
        actions_done(campaign.organisation_id, department_ids)
        .filter(completed_at__lte=at)
        .order_by("pk")
        .values_list("pk", "department_id")
    ):
        done[department_id].append(action_id)
    passes = defaultdict(int)
    for department_id, passed_at in module_passes(campaign.organisation_id, department_ids):
        if passed_at <= at:
            passes[department_id] += 1
    completions = defaultdict(int)
    for department_id, completed_at in assignment_completions(
        campaign.organisation_id, department_ids
    ):
        if completed_at is not None and completed_at <= at:
            completions[department_id] += 1

    def level(frame: str, **keys) -> int | None:
        # The framework's own level (floor, thresholds or gated), as scored.
        found = results.value(frame, "level", **keys)
        return None if found is None else int(found)

    def cell(department_id, code):
        mean = results.department_mean(department_id, code)
        keys = {"department_id": department_id, "dimension": code}
        return {
            "mean": _number(mean),
            "level": level("by_department", **keys) if mean is not None else None,
            "n": int(results.value("by_department", "n", **keys) or 0),
            "target": results.target_for(department_id, code),
        }

    departments = {}
    for department in results.departments:
        shown = rule.shows(department.pk)
        departments[str(department.pk)] = {
            "name": department.name,
            "withheld": not shown,
            "self_ratings": rule.self_ratings.get(department.pk, 0),
            "dimensions": (
                {d.code: cell(department.pk, d.code) for d in results.dimensions} if shown else {}
            ),
            "actions_done": done[department.pk],
            "modules_passed": passes[department.pk],
            "assignments_completed": completions[department.pk],
        }
    organisation = {}
    for dimension in results.dimensions:
        mean = results.value("organisation", "mean", dimension=dimension.code)
        organisation[dimension.code] = {
            "mean": _number(mean),
            "level": level("organisation", dimension=dimension.code) if mean is not None else None,
            "n": int(results.value("organisation", "n", dimension=dimension.code) or 0),
        }
    return {
        "version": SNAPSHOT_VERSION,
        "taken_at": at.isoformat(),
        "framework": {
            "id": framework.pk,
            "slug": framework.slug,
            "version": framework.version,
            "title": framework.title,
        },
        "scale": [scale.low, scale.high],
        "threshold": rule.threshold,
        "dimensions": [
            {"code": d.code, "title": {"ja": d.title_ja or "", "en": d.title_en or ""}}
            for d in results.dimensions
        ],
        "organisation": organisation,
        "departments": departments,
    }


def milestones_of(campaign: Campaign) -> QuerySet[Milestone]:
    """The campaign's milestones, oldest first (the list page and the API)."""
    return campaign.milestones.select_related("created_by").order_by("taken_on", "taken_at", "pk")


def latest_milestone(campaign: Campaign) -> Milestone | None:
    return campaign.milestones.order_by("-taken_on", "-taken_at", "-pk").first()


def organisation_milestones(organisation_id: int) -> QuerySet[Milestone]:
    """Every milestone of the organisation's campaigns, newest first (the compare form)."""
    return (
        Milestone.objects.filter(campaign__organisation_id=organisation_id)
        .select_related("campaign")
        .order_by("-taken_on", "-taken_at", "-pk")
    )
