"""Everything one department's result shows, built once: its score rows, its plan, where its
respondents disagree, and whether the anonymity rule withholds it (``assessments.privacy``).
The API and the exports list departments from here; the page and the PDF read the same
pieces."""

from __future__ import annotations

from dataclasses import dataclass

from assessments.models import Department
from maturity.models import Question

from .loader import CampaignResults
from .plan import PlanRow, plan_rows
from .rows import DimensionRow, department_rows


@dataclass(frozen=True)
class DisagreementRow:
    """A question on which the department's respondents chose two or more levels apart."""

    question: Question
    low: float
    high: float
    n: int


def disagreement_rows(results: CampaignResults, department_id: int) -> list[DisagreementRow]:
    """The department's disagreements, widest first (``scoring.disagreements``)."""
    key = ("disagreements", department_id)
    if key in results.presented:
        return results.presented[key]
    frame = results.disagreements
    frame = frame[frame["department_id"] == department_id]
    questions = results.questions if len(frame) else {}
    rows = [
        DisagreementRow(
            question=questions[item.question_id],
            low=float(item.low),
            high=float(item.high),
            n=int(item.n),
        )
        for item in frame.itertuples()
        if item.question_id in questions
    ]
    results.presented[key] = rows
    return rows


def worded_comments(results: CampaignResults, comments: list[dict]) -> list[dict]:
    """``assessments.selectors.department_comments`` with each question as the organisation's
    respondents read it: the loader's question worded for the business model
    (``CampaignResults.questions``). A comment on a question that no longer applies to the
    model (answered before it changed) is left out, as the scores and exports leave it out."""
    questions = results.questions if comments else {}
    return [
        {**comment, "question": questions[comment["question"].pk]}
        for comment in comments
        if comment["question"].pk in questions
    ]


@dataclass(frozen=True)
class DepartmentResult:
    department: Department
    rows: list[DimensionRow]
    plan: list[PlanRow]
    # Below the anonymity threshold: no number at all, and the reason for a reader.
    withheld: bool
    reason: str


def department_result(results: CampaignResults, department: Department) -> DepartmentResult:
    disclosure = results.disclosure
    return DepartmentResult(
        department=department,
        rows=department_rows(results, department.pk),
        plan=plan_rows(results, department.pk),
        withheld=disclosure is not None and not disclosure.shows(department.pk),
        reason=disclosure.reason(department.pk) if disclosure is not None else "",
    )


def department_results(
    results: CampaignResults, *, department_id: int | None = None
) -> list[DepartmentResult]:
    """The campaign's departments by name (or the one ``department_id``), each's result."""
    return [
        department_result(results, department)
        for department in results.departments
        if department_id is None or department.pk == department_id
    ]
