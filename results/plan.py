"""The improvement plan as rows: each department's dimensions below their target, in the
order of ``maturity.scoring.improvement_plan`` (docs/scoring.md, "The improvement plan").

The department page, the PDF (summary, plan, learning and appendix) and the API read the
plan from here, so they list the same dimensions in the same order."""

from __future__ import annotations

from dataclasses import dataclass

from assessments.models import Department

from .loader import CampaignResults
from .rows import DimensionRow, department_rows

# How many steps a page or a report leads with (the department page, and the PDF's summary,
# plan, learning section and appendix).
FIRST_STEPS = 3


@dataclass(frozen=True)
class PlanRow:
    """One step of a department's plan: its score row, the target and the gap to it."""

    rank: int  # 1 for the department's first step
    department: Department
    row: DimensionRow
    target: int
    gap: float
    explicit: bool  # the target was set by someone, not the default one level up

    @property
    def dimension(self):
        return self.row.dimension

    @property
    def mean(self) -> float | None:
        return self.row.mean

    @property
    def level(self) -> int | None:
        return self.row.level

    @property
    def recommendations(self) -> list[str]:
        return self.row.recommendations

    @property
    def action(self) -> str:
        """What to do first: the level's first recommendation, else the next level."""
        return (
            self.row.recommendations[0] if self.row.recommendations else self.row.next_description
        )


def plan_rows(results: CampaignResults, department_id: int | None = None) -> list[PlanRow]:
    """One department's plan, or every department's in one order (a campaign report's
    summary takes its first three), built once per ``results``."""
    key = ("plan", department_id)
    if key in results.presented:
        return results.presented[key]
    departments = {d.pk: d for d in results.departments}
    plan = []
    for item in results.improvement_plan(department_id).itertuples():
        rows = {r.dimension.code: r for r in department_rows(results, item.department_id)}
        if item.dimension not in rows or item.department_id not in departments:
            continue  # a dimension no longer in the framework
        plan.append(
            PlanRow(
                rank=int(item.rank),
                department=departments[item.department_id],
                row=rows[item.dimension],
                target=int(item.target),
                gap=float(item.gap),
                explicit=bool(item.explicit),
            )
        )
    results.presented[key] = plan
    return plan


def first_steps(results: CampaignResults, department_id: int | None = None) -> list[PlanRow]:
    """The plan's first ``FIRST_STEPS`` steps (``plan_rows``), what a reader is shown first."""
    return plan_rows(results, department_id)[:FIRST_STEPS]
