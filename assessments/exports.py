"""Exports of a campaign as tables (pandas): answers (respondent × question) and scores
(department × dimension), as CSV for Excel in Japan (UTF-8 with BOM) or XLSX."""

import io

import pandas as pd
from django.utils.translation import gettext as _

from .models import Answer, Campaign, Response
from .results import CampaignResults
from .selectors import _respondent_labels

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def answers_frame(campaign: Campaign, *, department_id: int | None, viewer) -> pd.DataFrame:
    """One row per saved answer with codes and labels; names follow the anonymity threshold."""
    responses = Response.objects.filter(campaign=campaign).select_related(
        "respondent", "department"
    )
    if department_id is not None:
        responses = responses.filter(department_id=department_id)
    responses = list(responses.order_by("department__name", "rater_role", "id"))
    labels = {}
    for department_id_ in {r.department_id for r in responses}:
        group = [r for r in responses if r.department_id == department_id_]
        labels.update(_respondent_labels(group, campaign, viewer))
    by_id = {r.pk: r for r in responses}
    answers = (
        Answer.objects.filter(response__in=responses)
        .select_related("question__dimension", "choice")
        .order_by("response_id", "question__dimension__order", "question__order")
    )
    rows = []
    for answer in answers:
        response = by_id[answer.response_id]
        rows.append(
            {
                _("department"): response.department.name,
                _("respondent"): labels[response.pk],
                _("rater role"): response.rater_role,
                _("status"): response.status,
                _("dimension code"): answer.question.dimension.code,
                _("dimension"): answer.question.dimension.title,
                _("question code"): answer.question.code,
                _("question"): answer.question.text,
                _("choice"): answer.choice.label if answer.choice_id else "",
                _("score"): float(answer.choice.score) if answer.choice_id else None,
                _("N/A"): answer.is_na,
                _("reason for N/A"): answer.na_reason,
                _("comment"): answer.comment,
                _("saved"): answer.updated_at.replace(tzinfo=None),
            }
        )
    return pd.DataFrame(rows)


def scores_frame(results: CampaignResults, *, department_id: int | None) -> pd.DataFrame:
    """Department × dimension: mean on the scale, 0–100 score, level, spread, target, history."""
    from .presenters import department_rows

    rows = []
    for department in results.departments:
        if department_id is not None and department.pk != department_id:
            continue
        for row in department_rows(results, department.pk):
            rows.append(
                {
                    _("department"): department.name,
                    _("dimension code"): row.dimension.code,
                    _("dimension"): row.dimension.title,
                    _("mean"): None if row.mean is None else round(row.mean, 4),
                    _("score (0–100)"): None if row.score is None else round(row.score, 2),
                    _("level"): row.level,
                    _("respondents"): row.n,
                    _("spread (std)"): None if row.spread is None else round(row.spread, 4),
                    _("target level"): row.target,
                    _("gap to target"): None if row.gap is None else round(row.gap, 4),
                    _("perception gap"): None
                    if row.perception_gap is None
                    else round(row.perception_gap, 4),
                    _("previous mean"): None
                    if row.previous_mean is None
                    else round(row.previous_mean, 4),
                    _("change"): None if row.delta is None else round(row.delta, 4),
                }
            )
    return pd.DataFrame(rows)


def render(frame: pd.DataFrame, fmt: str, *, sheet: str) -> tuple[bytes, str]:
    if fmt == "csv":
        # The BOM makes Excel in Japan read the file as UTF-8.
        return frame.to_csv(index=False).encode("utf-8-sig"), CSV_TYPE
    if fmt == "xlsx":
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            frame.to_excel(writer, index=False, sheet_name=sheet[:31])
        return buffer.getvalue(), XLSX_TYPE
    from django.http import Http404

    raise Http404
