"""Exports of a campaign as tables (pandas): answers (respondent × question), scores
(department × dimension), areas (department × area, and each department's overall figure) and
streams (department × dimension × stream), as CSV for Excel in Japan (UTF-8 with BOM) or XLSX;
the scores workbook carries the areas and streams as sheets of their own.

What a reader gets is what the results pages show them (``assessments.privacy``): submitted
responses unless drafts are asked for, labels in the current language, times in the site's
time zone, and every text cell made inert for a spreadsheet (``safe_cell``).
"""

import csv
import io

import pandas as pd
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from assessments import privacy
from assessments.models import Answer, Campaign, Department, OrganisationAnswer, Response
from maturity.business_models import applies, worded
from maturity.functions import applies as applies_to_function
from maturity.scopes import QuestionScope

from . import rows as presenters
from .department import department_results
from .formatting import rounded
from .loader import CampaignResults

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A spreadsheet reads a cell starting with one of these as a formula (OWASP, CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """A text cell a spreadsheet shows as the text it is: characters XML cannot hold (the
    control characters openpyxl refuses) removed, then a leading formula trigger disarmed
    with a single quote, as OWASP's CSV-injection guidance describes."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def local_time(value) -> str:
    """A time as the site's clock shows it, to the second, with the offset:
    ``2026-12-02 02:28:32+09:00``."""
    if value is None:
        return ""
    return timezone.localtime(value).isoformat(sep=" ", timespec="seconds")


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _status(response: Response) -> str:
    return _("Submitted") if response.is_submitted else _("Draft (not submitted)")


def answers_frame(
    campaign: Campaign,
    *,
    department_id: int | None,
    viewer,
    can_manage: bool,
    drafts: bool = False,
) -> pd.DataFrame:
    """One row per saved answer the viewer may read (``privacy``): submitted responses, and
    with ``drafts`` those in progress too, each labelled as a draft."""
    responses = privacy.readable_responses(
        Response.objects.filter(campaign=campaign),
        viewer=viewer,
        can_manage=can_manage,
        drafts=drafts,
    ).select_related("respondent", "department")
    if department_id is not None:
        responses = responses.filter(department_id=department_id)
    responses = list(responses.order_by("department__name", "rater_role", "id"))
    labels = privacy.respondent_labels(responses, privacy.disclosure(campaign), viewer)
    by_id = {r.pk: r for r in responses if r.pk in labels}
    order = {pk: position for position, pk in enumerate(by_id)}
    answers = sorted(
        Answer.objects.filter(response__in=list(by_id))
        .select_related("question__dimension", "choice")
        .prefetch_related("question__choices"),
        # In the responses' order (department, rater role), then the questionnaire's.
        key=lambda a: (order[a.response_id], a.question.dimension.order, a.question.order),
    )
    # Question and choice texts as the organisation's respondents read them.
    business_model = campaign.organisation.business_model
    wordings: dict[int, tuple] = {}
    rows = []
    for answer in answers:
        response = by_id[answer.response_id]
        if not applies(answer.question.business_models, business_model):
            continue  # answered before the organisation's business model changed
        if answer.question_id not in wordings:
            wordings[answer.question_id] = (
                worded(answer.question, business_model),
                [c.pk for c in answer.question.choices.all()],
            )
        wording, choice_ids = wordings[answer.question_id]
        choice = (
            wording.choice_labels[choice_ids.index(answer.choice_id)] if answer.choice_id else ""
        )
        rows.append(
            {
                _("department"): response.department.name,
                _("respondent"): labels[response.pk],
                _("rater role"): response.get_rater_role_display(),
                _("status"): _status(response),
                _("submitted"): local_time(response.submitted_at),
                _("dimension code"): answer.question.dimension.code,
                _("dimension"): answer.question.dimension.title,
                _("question code"): answer.question.code,
                _("question"): wording.text,
                _("choice"): choice,
                _("score"): float(answer.choice.score) if answer.choice_id else None,
                _("N/A"): _yes_no(answer.is_na),
                _("reason for N/A"): answer.na_reason,
                _("comment"): answer.comment,
                _("saved"): local_time(answer.updated_at),
            }
        )
    rows += _organisation_rows(campaign, department_id, business_model)
    return pd.DataFrame(rows)


def _organisation_rows(campaign: Campaign, department_id: int | None, business_model) -> list:
    """The organisation's own answers to its questions of organisation scope
    (``maturity.scopes``), after the respondents' rows: the department column says they are
    the whole organisation's; for one department's export, those that count for it."""
    function = (
        None
        if department_id is None
        else Department.objects.values_list("function", flat=True).get(pk=department_id)
    )
    answers = (
        OrganisationAnswer.objects.filter(campaign=campaign)
        .select_related("question__dimension", "choice")
        .prefetch_related("question__choices")
        .order_by("question__dimension__order", "question__order")
    )
    rows = []
    for answer in answers:
        question = answer.question
        if not applies(question.business_models, business_model) or (
            function is not None and not applies_to_function(question.functions, function)
        ):
            continue
        wording = worded(question, business_model)
        choice_ids = [c.pk for c in question.choices.all()]
        rows.append(
            {
                _("department"): str(QuestionScope.ORGANISATION.label),
                _("respondent"): "",
                _("rater role"): "",
                _("status"): "",
                _("submitted"): "",
                _("dimension code"): question.dimension.code,
                _("dimension"): question.dimension.title,
                _("question code"): question.code,
                _("question"): wording.text,
                _("choice"): (
                    wording.choice_labels[choice_ids.index(answer.choice_id)]
                    if answer.choice_id
                    else ""
                ),
                _("score"): float(answer.choice.score) if answer.choice_id else None,
                _("N/A"): _yes_no(answer.is_na),
                _("reason for N/A"): answer.na_reason,
                _("comment"): answer.comment,
                _("saved"): local_time(answer.updated_at),
            }
        )
    return rows


def _rounded(value, digits: int):
    # Half-up, like every output (results.formatting, ScoringRules.round).
    return rounded(value, digits)


def _whole(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Integers, blank where there is none (pandas would otherwise write 2.0)."""
    for column in columns:
        if column in frame:
            frame[column] = frame[column].astype("Int64")
    return frame


def areas_frame(results: CampaignResults, *, department_id: int | None) -> pd.DataFrame:
    """Department × area: mean on the scale, 0–100 score and level by the framework's area
    rule, then the department's overall figure (the declared overall rule) as its last row;
    a withheld department's rows are empty, with the reason."""
    rows = []
    for each in department_results(results, department_id=department_id):
        pk = each.department.pk
        for row in presenters.department_area_rows(results, pk):
            rows.append(
                {
                    _("department"): each.department.name,
                    _("area code"): row.area.code,
                    _("area"): row.area.title,
                    _("mean"): _rounded(row.mean, 4),
                    _("score (0–100)"): _rounded(row.score, 2),
                    _("level"): row.level,
                    _("note"): each.reason,
                }
            )
        figure = presenters.overall(results, pk)
        rows.append(
            {
                _("department"): each.department.name,
                _("area code"): "",
                _("area"): _("Overall"),
                _("mean"): _rounded(figure.mean, 4) if figure else None,
                _("score (0–100)"): _rounded(figure.score, 2) if figure else None,
                _("level"): figure.level if figure else None,
                _("note"): each.reason,
            }
        )
    return _whole(pd.DataFrame(rows), _("level"))


def streams_frame(results: CampaignResults, *, department_id: int | None) -> pd.DataFrame:
    """Department × dimension × stream: mean on the scale, 0–100 score and respondents; empty
    for a framework without streams."""
    rows = [
        {
            _("department"): each.department.name,
            _("dimension code"): row.dimension.code,
            _("dimension"): row.dimension.title,
            _("stream code"): stream.stream.code,
            _("stream"): stream.title,
            _("mean"): _rounded(stream.mean, 4),
            _("score (0–100)"): _rounded(stream.score, 2),
            _("respondents"): stream.n,
            _("note"): each.reason,
        }
        for each in department_results(results, department_id=department_id)
        for row in each.rows
        for stream in row.streams
    ]
    return pd.DataFrame(rows)


def scores_frame(results: CampaignResults, *, department_id: int | None) -> pd.DataFrame:
    """Department × dimension: mean on the scale, 0–100 score, level, spread, target, history;
    a department below the anonymity threshold has its row, empty, with the reason."""
    rows = [
        {
            _("department"): each.department.name,
            _("dimension code"): row.dimension.code,
            _("dimension"): row.dimension.title,
            _("mean"): _rounded(row.mean, 4),
            _("score (0–100)"): _rounded(row.score, 2),
            _("level"): row.level,
            _("respondents"): row.n,
            _("spread (std)"): _rounded(row.spread, 4),
            _("target level"): row.target,
            _("gap to target"): _rounded(row.gap, 4),
            _("perception gap"): _rounded(row.perception_gap, 4),
            _("previous mean"): _rounded(row.previous_mean, 4),
            _("change"): _rounded(row.delta, 4),
            _("note"): each.reason,
        }
        for each in department_results(results, department_id=department_id)
        for row in each.rows
    ]
    return _whole(pd.DataFrame(rows), _("level"), _("target level"))


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.map(lambda value: safe_cell(value) if isinstance(value, str) else value)
    frame.columns = [safe_cell(str(c)) for c in frame.columns]
    return frame


def _xlsx(sheets: list[tuple[str, pd.DataFrame]]) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for sheet, frame in sheets:
            frame.to_excel(writer, index=False, sheet_name=sheet[:31])
            # Text stays text: openpyxl would otherwise store a string starting with "=" as a
            # formula (none does after safe_cell; this holds whatever the text).
            for row in writer.sheets[sheet[:31]].iter_rows():
                for cell in row:
                    if isinstance(cell.value, str):
                        cell.data_type = "s"
    return buffer.getvalue()


def render(
    frame: pd.DataFrame,
    fmt: str,
    *,
    sheet: str,
    more: list[tuple[str, pd.DataFrame]] = (),
) -> tuple[bytes, str]:
    """The export's bytes and content type. An XLSX gets ``frame`` as ``sheet`` and each of
    ``more`` as a sheet after it; a CSV holds ``frame`` only."""
    frame = _safe(frame)
    if fmt == "csv":
        # The BOM makes Excel in Japan read the file as UTF-8; every field quoted, so that no
        # separator inside a text can start a cell of its own.
        body = frame.to_csv(index=False, quoting=csv.QUOTE_ALL)
        return body.encode("utf-8-sig"), CSV_TYPE
    if fmt == "xlsx":
        sheets = [(sheet, frame)] + [(name, _safe(table)) for name, table in more]
        return _xlsx(sheets), XLSX_TYPE
    from django.http import Http404

    raise Http404
