"""Comparing two moments of an organisation: a milestone (its snapshot) or a campaign (its
results as shown now), before and after. Written once for the page, the API, the
department tag and the PDF.

The rules:

* **Moments.** A milestone stands for the moment it was taken; a campaign for the end of
  its closing day once that is past, else now (``selectors.campaign_moment``). What happened
  "in between" is what happened after the earlier moment and up to the later one.
* **Rows.** One row per department × dimension of either side. Dimensions are matched by
  code, so two campaigns on different frameworks compare where their dimensions agree; a
  dimension on one side only is listed as such, without a delta. Levels are each side's
  ``Scale.level`` of its mean; the delta is after − before. Two sides on different scales
  are refused (a change between them would mean nothing).
* **No delta, and why.** A department not assessed on a side, withheld on a side (below the
  anonymity threshold, the reason as ``assessments.privacy`` words it), or with no score
  for the dimension on a side has no delta; ``note`` says which.
* **In between.** Actions of the organisation's campaigns for the department whose
  ``completed_at`` lies in the interval (done now: reopening clears it), modules its
  members passed (``ModuleProgress.passed_at``) and learning-path assignments completed
  (the last of the path's modules passed) in the interval.
* Both sides belong to one organisation, or the comparison is refused.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments import privacy
from assessments.models import Campaign, Department
from improvement.models import Milestone
from maturity.scoring import Scale
from results.loader import previous_campaign

from . import selectors
from .services import MilestoneError

SIDE_KEY = re.compile(r"^(?P<kind>[mc]):(?P<id>[0-9]{1,18})$")

# Why a row has no delta (``Row.status``); ``Row.note`` says it for a reader.
COMPARED = "compared"
NOT_ASSESSED = "not_assessed"
WITHHELD = "withheld"
ONLY_BEFORE = "only_before"
ONLY_AFTER = "only_after"
NO_SCORE = "no_score"


@dataclass(frozen=True)
class Side:
    """One side of a comparison: what it is, the moment it stands for and its snapshot."""

    key: str  # "m:<milestone id>" or "c:<campaign id>"
    campaign: Campaign
    milestone: Milestone | None
    moment: datetime.datetime
    snapshot: dict

    @property
    def kind(self) -> str:
        return "milestone" if self.milestone is not None else "campaign"

    @property
    def label(self) -> str:
        if self.milestone is not None:
            return f"{self.campaign.name} · {self.milestone.name} ({self.milestone.taken_on})"
        return _("%(campaign)s (now)") % {"campaign": self.campaign.name}

    @property
    def scale(self) -> Scale:
        low, high = self.snapshot["scale"]
        return Scale(low, high)

    def department(self, department_id: int) -> dict | None:
        return self.snapshot["departments"].get(str(department_id))

    def withheld_reason(self, department_id: int) -> str:
        entry = self.department(department_id) or {}
        rule = privacy.Disclosure(
            threshold=self.snapshot["threshold"],
            self_ratings={department_id: entry.get("self_ratings", 0)},
        )
        return rule.reason(department_id)


def side_of(
    value: Milestone | Campaign,
    *,
    now: datetime.datetime | None = None,
    cache: dict | None = None,
) -> Side:
    """A milestone's snapshot as it was taken, or a campaign's results as shown now. With a
    ``cache`` (one report build's ``CampaignResults.presented``) a campaign is scored once
    for every department's comparison rather than once per department."""
    if cache is not None and isinstance(value, Campaign):
        key = ("milestones.side", value.pk)
        if key not in cache:
            cache[key] = side_of(value, now=now)
        return cache[key]
    if isinstance(value, Milestone):
        return Side(
            key=f"m:{value.pk}",
            campaign=value.campaign,
            milestone=value,
            moment=datetime.datetime.fromisoformat(value.snapshot["taken_at"]),
            snapshot=value.snapshot,
        )
    moment = selectors.campaign_moment(value, now=now)
    return Side(
        key=f"c:{value.pk}",
        campaign=value,
        milestone=None,
        moment=moment,
        snapshot=selectors.snapshot_of(value, at=moment),
    )


def resolve(
    key: str, organisation_id: int, *, department_id: int | None = None
) -> Milestone | Campaign | None:
    """The milestone (``m:<id>``) or campaign (``c:<id>``) of the organisation a side key
    names, or None (a malformed key, no such object, or another organisation's); with
    ``department_id`` (a manager), only of a campaign that assesses the department."""
    match = SIDE_KEY.match(key or "")
    if match is None:
        return None
    pk = int(match["id"])
    if match["kind"] == "m":
        milestones = Milestone.objects.select_related(
            "campaign__framework", "campaign__organisation"
        ).filter(pk=pk, campaign__organisation_id=organisation_id)
        if department_id is not None:
            milestones = milestones.filter(campaign__departments=department_id)
        return milestones.first()
    campaigns = Campaign.objects.select_related("framework", "organisation").filter(
        pk=pk, organisation_id=organisation_id
    )
    if department_id is not None:
        campaigns = campaigns.filter(departments=department_id)
    return campaigns.first()


def default_keys(campaign: Campaign) -> tuple[str, str] | None:
    """What the compare page shows unasked: the campaign's latest milestone against the
    campaign now, else the previous campaign against this one; None when neither exists."""
    milestone = selectors.latest_milestone(campaign)
    if milestone is not None:
        return f"m:{milestone.pk}", f"c:{campaign.pk}"
    previous = previous_campaign(campaign)
    if previous is not None:
        return f"c:{previous.pk}", f"c:{campaign.pk}"
    return None


@dataclass(frozen=True)
class Dimension:
    code: str
    title: str
    on: str  # "both", "before" or "after"


@dataclass(frozen=True)
class Row:
    """One department (or the organisation) × one dimension."""

    dimension: Dimension
    before_mean: float | None
    after_mean: float | None
    before_level: int | None
    after_level: int | None
    delta: float | None
    status: str
    note: str = ""


@dataclass(frozen=True)
class ActionDone:
    id: int
    title: str
    dimension_code: str
    completed_at: datetime.datetime


@dataclass
class DepartmentComparison:
    department_id: int
    name: str
    rows: list[Row]
    before_note: str  # why the department has no scores on that side, if it has none
    after_note: str
    actions: list[ActionDone] = field(default_factory=list)
    modules_passed: int = 0
    assignments_completed: int = 0


@dataclass
class Comparison:
    before: Side
    after: Side
    start: datetime.datetime
    end: datetime.datetime
    dimensions: list[Dimension]
    departments: list[DepartmentComparison]
    organisation: list[Row]


def _title(titles: dict) -> str:
    language = (translation.get_language() or "ja")[:2]
    other = "en" if language == "ja" else "ja"
    return titles.get(language) or titles.get(other) or ""


def _dimensions(before: Side, after: Side) -> list[Dimension]:
    """Matched by code: the after side's in its order, then those only before."""
    before_codes = {d["code"]: d for d in before.snapshot["dimensions"]}
    after_codes = {d["code"]: d for d in after.snapshot["dimensions"]}
    out = [
        Dimension(d["code"], _title(d["title"]), "both" if d["code"] in before_codes else "after")
        for d in after.snapshot["dimensions"]
    ]
    out += [
        Dimension(d["code"], _title(d["title"]), "before")
        for d in before.snapshot["dimensions"]
        if d["code"] not in after_codes
    ]
    return out


def _row(dimension: Dimension, before: dict | None, after: dict | None, notes) -> Row:
    before = before or {}
    after = after or {}
    b, a = before.get("mean"), after.get("mean")
    status, note = COMPARED, ""
    for candidate, text in notes:
        if candidate:
            status, note = candidate, text
            break
    if status == COMPARED and (b is None or a is None):
        status, note = NO_SCORE, _("No score on one side.")
    return Row(
        dimension=dimension,
        before_mean=b,
        after_mean=a,
        before_level=before.get("level"),
        after_level=after.get("level"),
        delta=a - b if status == COMPARED else None,
        status=status,
        note=note,
    )


def _dimension_note(dimension: Dimension, before: Side, after: Side):
    if dimension.on == "before":
        return ONLY_BEFORE, _("Only in the framework of %(side)s.") % {"side": before.label}
    if dimension.on == "after":
        return ONLY_AFTER, _("Only in the framework of %(side)s.") % {"side": after.label}
    return None, ""


def _side_note(side: Side, department_id: int) -> tuple[str | None, str]:
    entry = side.department(department_id)
    if entry is None:
        return NOT_ASSESSED, _("Not assessed in %(side)s.") % {"side": side.label}
    if entry["withheld"]:
        return WITHHELD, side.withheld_reason(department_id)
    return None, ""


def compare(
    before: Milestone | Campaign,
    after: Milestone | Campaign,
    *,
    department_id: int | None = None,
    now: datetime.datetime | None = None,
    cache: dict | None = None,
) -> Comparison:
    """``before`` against ``after`` per department × dimension, with what was done in
    between; only ``department_id``'s rows when given (a manager's view)."""
    now = now or timezone.now()
    for value in (before, after):
        if not isinstance(value, Milestone | Campaign):
            raise TypeError("compare takes milestones and campaigns")
    b_campaign = before.campaign if isinstance(before, Milestone) else before
    a_campaign = after.campaign if isinstance(after, Milestone) else after
    if b_campaign.organisation_id != a_campaign.organisation_id:
        raise MilestoneError(
            "other_organisation", _("Both sides must belong to the same organisation.")
        )
    b, a = side_of(before, now=now, cache=cache), side_of(after, now=now, cache=cache)
    if b.snapshot["scale"] != a.snapshot["scale"]:
        raise MilestoneError(
            "scale_mismatch",
            _("The two sides use different level scales (%(before)s and %(after)s).")
            % {
                "before": "–".join(map(str, b.snapshot["scale"])),
                "after": "–".join(map(str, a.snapshot["scale"])),
            },
        )
    start, end = sorted((b.moment, a.moment))
    dimensions = _dimensions(b, a)
    ids = {int(i) for i in (*b.snapshot["departments"], *a.snapshot["departments"])}
    if department_id is not None:
        ids &= {department_id}
    names = dict(Department.objects.filter(pk__in=ids).values_list("pk", "name"))
    departments = []
    for pk in ids:
        entry = a.department(pk) or b.department(pk)
        before_note, after_note = _side_note(b, pk), _side_note(a, pk)
        rows = [
            _row(
                dimension,
                (b.department(pk) or {}).get("dimensions", {}).get(dimension.code),
                (a.department(pk) or {}).get("dimensions", {}).get(dimension.code),
                [before_note, after_note, _dimension_note(dimension, b, a)],
            )
            for dimension in dimensions
        ]
        departments.append(
            DepartmentComparison(
                department_id=pk,
                name=names.get(pk, entry["name"]),
                rows=rows,
                before_note=before_note[1],
                after_note=after_note[1],
            )
        )
    departments.sort(key=lambda d: (d.name, d.department_id))
    _in_between(b_campaign.organisation_id, departments, start, end)
    organisation = [
        _row(
            dimension,
            b.snapshot["organisation"].get(dimension.code),
            a.snapshot["organisation"].get(dimension.code),
            [_dimension_note(dimension, b, a)],
        )
        for dimension in dimensions
    ]
    return Comparison(
        before=b,
        after=a,
        start=start,
        end=end,
        dimensions=dimensions,
        departments=departments,
        organisation=organisation,
    )


def _in_between(organisation_id: int, departments: list[DepartmentComparison], start, end):
    by_id = {d.department_id: d for d in departments}
    for action in (
        selectors.actions_done(organisation_id, list(by_id))
        .filter(completed_at__gt=start, completed_at__lte=end)
        .order_by("completed_at", "pk")
        .only("pk", "title", "dimension_code", "completed_at", "department_id")
    ):
        by_id[action.department_id].actions.append(
            ActionDone(action.pk, action.title, action.dimension_code, action.completed_at)
        )
    for department_id, at in selectors.module_passes(organisation_id, list(by_id)):
        if start < at <= end:
            by_id[department_id].modules_passed += 1
    for department_id, at in selectors.assignment_completions(organisation_id, list(by_id)):
        if at is not None and start < at <= end:
            by_id[department_id].assignments_completed += 1


def latest_comparison(
    campaign: Campaign, department: Department, *, cache: dict | None = None
) -> Comparison | None:
    """The department's latest change: the campaign's latest milestone (else the previous
    campaign) against the campaign now, its rows only; None when there is nothing before."""
    key = ("latest comparison keys", campaign.pk)
    if cache is not None and key in cache:
        keys, before = cache[key]
    else:
        keys = default_keys(campaign)
        before = None if keys is None else resolve(keys[0], campaign.organisation_id)
        if cache is not None:
            cache[key] = keys, before  # the same for every department of the campaign
    if keys is None:
        return None
    return compare(before, campaign, department_id=department.pk, cache=cache)


def latest_delta(campaign: Campaign, department: Department) -> list[Row]:
    """The department's rows of ``latest_comparison`` (one per dimension, framework order),
    empty when there is nothing to compare with: for the PDF and the department tag."""
    comparison = latest_comparison(campaign, department)
    if comparison is None or not comparison.departments:
        return []
    return comparison.departments[0].rows
