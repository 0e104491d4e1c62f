"""The roll-up in the CSV/XLSX exports: the areas table (department × area, then each
department's overall figure), the streams table, and both as sheets of the scores workbook,
read back with pandas and openpyxl. The numbers are those worked out in
test_rollup_outputs.py's docstring."""

import io

import pandas as pd
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from maturity.models import Area
from tests.matrix import as_role, check, matrix
from tests.results.test_rollup_outputs import make_rolled_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def rolled_up(cast):
    return make_rolled_up(cast)


def export(client, user, campaign, kind: str, fmt: str, language: str = "ja"):
    client.force_login(user)
    return client.get(
        reverse("results:export", args=[campaign.pk, kind, fmt]), HTTP_ACCEPT_LANGUAGE=language
    )


def read_csv(reply) -> pd.DataFrame:
    assert reply.status_code == 200
    assert reply.content.startswith(b"\xef\xbb\xbf")  # the BOM for Excel in Japan
    return pd.read_csv(io.BytesIO(reply.content), encoding="utf-8-sig", keep_default_na=False)


def test_the_areas_csv_has_each_department_area_and_overall(client, rolled_up):
    frame = read_csv(export(client, rolled_up.users.org_admin, rolled_up.rollup, "areas", "csv"))
    assert list(frame.columns) == [
        "部門",
        "領域コード",
        "領域",
        "平均",
        "スコア（0〜100）",
        "レベル",
        "備考",
    ]
    rows = {(r[0], r[2]): r for r in frame.itertuples(index=False)}
    sales_g = rows[("Sales", "ガバナンス")]
    # 2.25 on the scale, 75 of 100, level 1 by the thresholds (below 2.3).
    assert (sales_g[1], float(sales_g[3]), float(sales_g[4]), int(sales_g[5])) == (
        "G",
        2.25,
        75.0,
        1,
    )
    assert int(rows[("Sales", "設計")][5]) == 0  # level 0 is 0, not blank
    # The overall row: mean of areas (2.25 + 0) ÷ 2 = 1.125, 37.5 of 100, level 1.
    overall = rows[("Sales", "全体")]
    assert (overall[1], float(overall[3]), float(overall[4]), int(overall[5])) == (
        "",
        1.125,
        37.5,
        1,
    )
    # Customer Success area G 0.1875 (kept to four decimals), overall 1.59375 → 1.5938 half-up.
    assert float(rows[("Customer Success", "ガバナンス")][3]) == 0.1875
    assert float(rows[("Customer Success", "全体")][3]) == 1.5938
    assert len(frame) == 6  # two departments × (two areas + overall)


def test_the_streams_csv_has_a_row_per_department_dimension_and_stream(client, rolled_up):
    frame = read_csv(
        export(client, rolled_up.users.org_admin, rolled_up.rollup, "streams", "csv", "en")
    )
    assert list(frame.columns[:5]) == [
        "department",
        "dimension code",
        "dimension",
        "stream code",
        "stream",
    ]
    assert len(frame) == 2 * 3 * 2  # departments × dimensions × streams
    success = frame[
        (frame["department"] == "Customer Success") & (frame["dimension code"] == "G-SM")
    ]
    # Stream A: 0.25 on 0–1 → 0.75 on 0–3, 25 of 100; stream B 0.
    assert list(zip(success["stream"], success["mean"], success["score (0–100)"], strict=True)) == [
        ("Create", 0.75, 25.0),
        ("Keep", 0.0, 0.0),
    ]


def test_the_scores_workbook_carries_areas_and_streams_sheets(client, rolled_up):
    reply = export(client, rolled_up.users.org_admin, rolled_up.rollup, "scores", "xlsx", "en")
    book = load_workbook(io.BytesIO(reply.content))
    assert book.sheetnames == ["Scores", "Areas", "Streams"]
    areas = list(book["Areas"].iter_rows(values_only=True))
    assert areas[0][:6] == ("department", "area code", "area", "mean", "score (0–100)", "level")
    by_key = {(row[0], row[2]): row for row in areas[1:]}
    assert by_key[("Customer Success", "Design")][3:6] == (3, 100, 3)  # D-TA 3.00 → area D
    assert by_key[("Sales", "Overall")][3:6] == (1.125, 37.5, 1)
    streams = list(book["Streams"].iter_rows(values_only=True))
    assert len(streams) == 1 + 12


def test_a_manager_exports_their_own_department_only(client, rolled_up):
    frame = read_csv(export(client, rolled_up.users.manager, rolled_up.rollup, "areas", "csv"))
    assert set(frame["部門"]) == {"Sales"}


def test_staff_cannot_export_the_areas(client, rolled_up):
    assert (
        export(client, rolled_up.users.staff, rolled_up.rollup, "areas", "csv").status_code == 403
    )


def test_a_framework_without_streams_has_no_streams_export_or_sheet(client, cast):
    reply = export(client, cast.users.org_admin, cast.campaign, "streams", "csv")
    assert reply.status_code == 404
    reply = export(client, cast.users.org_admin, cast.campaign, "scores", "xlsx")
    assert load_workbook(io.BytesIO(reply.content)).sheetnames == ["スコア", "領域"]


def test_an_area_title_that_looks_like_a_formula_stays_text(client, rolled_up):
    Area.objects.filter(framework=rolled_up.rollup.framework, code="G").update(
        title_ja='=HYPERLINK("http://x")\x07'
    )
    frame = read_csv(export(client, rolled_up.users.org_admin, rolled_up.rollup, "areas", "csv"))
    assert '\'=HYPERLINK("http://x")' in set(frame["領域"])  # disarmed, the bell removed
    reply = export(client, rolled_up.users.org_admin, rolled_up.rollup, "scores", "xlsx")
    sheet = load_workbook(io.BytesIO(reply.content))["領域"]
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in cells)
    assert '\'=HYPERLINK("http://x")' in {c.value for c in cells}


# The role × view matrix of the two new export kinds (tests/matrix.py): every role of the cast,
# each format; a manager's export holds their own department only.
ROLL_UP_KINDS = [
    pytest.param(kind, fmt, id=f"{kind}.{fmt}")
    for kind in ("areas", "streams")
    for fmt in ("csv", "xlsx")
]
SEEN = {
    "org_admin": {"Sales", "Customer Success"},
    "consultant": {"Sales", "Customer Success"},
    "manager": {"Sales"},
    "other_manager": {"Customer Success"},
}


@pytest.mark.parametrize(("kind", "fmt"), ROLL_UP_KINDS)
@pytest.mark.parametrize(("role", "expected"), matrix({role: 200 for role in SEEN}))
def test_the_roll_up_exports_keep_each_role_in_scope(client, rolled_up, role, expected, kind, fmt):
    url = reverse("results:export", args=[rolled_up.rollup.pk, kind, fmt])
    reply = as_role(client, rolled_up, role).get(url)
    check(reply, expected)
    if expected != 200:
        return
    if fmt == "csv":
        departments = set(read_csv(reply).iloc[:, 0])
    else:
        sheet = load_workbook(io.BytesIO(reply.content)).active
        departments = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert departments == SEEN[role]


def test_the_roll_up_exports_of_another_organisations_campaign_are_404(client, rolled_up):
    client.force_login(rolled_up.users.outsider)
    url = reverse("results:export", args=[rolled_up.rollup.pk, "areas", "xlsx"])
    assert client.get(url).status_code == 404
