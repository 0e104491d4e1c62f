"""Results pages, targets, score explanations and exports: right numbers, right people,
constant query counts."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments import services
from assessments.models import Response, Target
from assessments.services import AnswerInput

pytestmark = pytest.mark.django_db


def answer_all(response, questions, index):
    """Answer every applicable question of ``response`` with the choice at ``index``."""
    items = [
        AnswerInput(question_id=q.pk, choice_id=list(q.choices.all())[index].pk)
        for q in questions.values()
        if q.applies_to(response.department.function)
    ]
    services.save_answers(response=response, items=items)
    services.submit_response(response=response)


@pytest.fixture
def scored(cast):
    """Sales manager answers the top choice (5) everywhere, Customer Success the middle (3),
    and the consultant rates Sales at the bottom (1). The campaign's anonymity threshold is 1,
    so every department is shown: these tests are about the numbers (test_privacy.py is
    about the threshold)."""
    cast.campaign.anonymity_threshold = 1
    cast.campaign.save()
    answer_all(cast.response, cast.questions, 2)
    answer_all(cast.other_response, cast.questions, 1)
    consultant = services.add_respondent(
        campaign=cast.campaign,
        department=cast.sales,
        user=cast.users.consultant,
        rater_role=Response.RaterRole.CONSULTANT,
        notify=False,
    )
    answer_all(consultant, cast.questions, 0)
    return cast


def test_the_overview_shows_the_heatmap_radar_and_numbers(client, scored):
    client.force_login(scored.users.org_admin)
    reply = client.get(reverse("results:campaign", args=[scored.campaign.pk]))
    html = reply.content.decode()
    assert reply.status_code == 200
    assert html.count('role="img"') >= 2
    assert "5.00" in html and "3.00" in html  # Sales 5.00, Customer Success 3.00
    assert "4.00" in html  # organisation mean of the two departments


def test_a_manager_is_sent_to_their_own_department(client, scored):
    client.force_login(scored.users.manager)
    reply = client.get(reverse("results:campaign", args=[scored.campaign.pk]))
    assert reply["Location"] == reverse(
        "results:department", args=[scored.campaign.pk, scored.sales.pk]
    )


def test_staff_cannot_see_results(client, scored):
    client.force_login(scored.users.staff)
    assert client.get(reverse("results:campaign", args=[scored.campaign.pk])).status_code == 403


def test_a_manager_cannot_open_another_department(client, scored):
    client.force_login(scored.users.manager)
    url = reverse("results:department", args=[scored.campaign.pk, scored.success.pk])
    assert client.get(url).status_code == 403


def test_other_organisations_get_404(client, scored):
    client.force_login(scored.users.outsider)
    for url in [
        reverse("results:campaign", args=[scored.campaign.pk]),
        reverse("results:department", args=[scored.campaign.pk, scored.sales.pk]),
        reverse("results:explain", args=[scored.campaign.pk, scored.sales.pk, "kpi"]),
        reverse("results:export", args=[scored.campaign.pk, "answers", "csv"]),
    ]:
        assert client.get(url).status_code == 404, url


def test_the_department_page_shows_level_next_level_and_perception_gap(client, scored):
    client.force_login(scored.users.org_admin)
    url = reverse("results:department", args=[scored.campaign.pk, scored.sales.pk])
    reply = client.get(url)
    html = reply.content.decode()
    rows = {r.dimension.code: r for r in reply.context["rows"]}
    assert rows["kpi"].mean == 5.0 and rows["kpi"].level == 5
    assert rows["kpi"].perception_gap == pytest.approx(4.0)  # self 5 − consultant 1
    assert "kpi 段階5" in html  # where you are
    assert rows["kpi"].target == 5  # default: one above, capped at the top


def test_targets_default_to_one_level_up_and_can_be_set(client, scored):
    client.force_login(scored.users.consultant)
    url = reverse("results:department", args=[scored.campaign.pk, scored.success.pk])
    rows = {r.dimension.code: r for r in client.get(url).context["rows"]}
    assert rows["data"].level == 3 and rows["data"].target == 4
    client.post(
        reverse("results:targets", args=[scored.campaign.pk, scored.success.pk]),
        {"target-data": "5"},
    )
    assert Target.objects.get(department=scored.success, dimension_code="data").level == 5
    rows = {r.dimension.code: r for r in client.get(url).context["rows"]}
    assert rows["data"].target == 5 and rows["data"].gap == pytest.approx(2.0)
    plan = client.get(url).context["plan"]
    assert plan[0].dimension.code == "data"


def test_targets_outside_the_scale_are_refused(client, scored):
    client.force_login(scored.users.org_admin)
    client.post(
        reverse("results:targets", args=[scored.campaign.pk, scored.success.pk]),
        {"target-data": "9"},
    )
    assert not Target.objects.exists()


def test_one_bad_target_saves_none_of_them(client, scored):
    client.force_login(scored.users.org_admin)
    client.post(
        reverse("results:targets", args=[scored.campaign.pk, scored.success.pk]),
        {"target-kpi": "4", "target-data": "0"},
    )
    assert not Target.objects.exists()


def test_managers_cannot_set_targets(client, scored):
    client.force_login(scored.users.manager)
    reply = client.post(
        reverse("results:targets", args=[scored.campaign.pk, scored.sales.pk]),
        {"target-kpi": "5"},
    )
    assert reply.status_code == 403
    assert not Target.objects.exists()


def test_the_explanation_shows_each_answer_weight_and_mean(client, scored):
    client.force_login(scored.users.org_admin)
    url = reverse("results:explain", args=[scored.campaign.pk, scored.sales.pk, "kpi"])
    reply = client.get(url)
    respondents = reply.context["respondents"]
    assert [round(r["mean"], 2) for r in respondents] == [1.0, 5.0] or [
        round(r["mean"], 2) for r in respondents
    ] == [5.0, 1.0]
    manager = next(r for r in respondents if r["mean"] == 5.0)
    assert manager["weighted"] == 15.0 and manager["weight"] == 3.0  # weights 1 and 2


def test_the_csv_export_opens_in_excel_and_has_codes_and_labels(client, scored):
    client.force_login(scored.users.org_admin)
    reply = client.get(reverse("results:export", args=[scored.campaign.pk, "answers", "csv"]))
    assert reply.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(reply.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert "設問コード" in header or "question code" in header
    assert len(body) == 4 + 2 + 4  # sales manager, CS manager, consultant
    assert any("kpi-q0" in row for row in body)


def test_the_scores_xlsx_has_one_row_per_department_and_dimension(client, scored):
    client.force_login(scored.users.org_admin)
    reply = client.get(reverse("results:export", args=[scored.campaign.pk, "scores", "xlsx"]))
    sheet = load_workbook(io.BytesIO(reply.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 2 * 2
    assert {row[0] for row in rows[1:]} == {"Sales", "Customer Success"}


def test_a_managers_export_holds_only_their_department(client, scored):
    client.force_login(scored.users.manager)
    reply = client.get(reverse("results:export", args=[scored.campaign.pk, "scores", "csv"]))
    body = reply.content.decode("utf-8-sig")
    assert "Sales" in body and "Customer Success" not in body


def test_results_query_counts_do_not_grow_with_respondents(
    client, scored, django_user_model, django_assert_max_num_queries
):
    client.force_login(scored.users.org_admin)
    overview = reverse("results:campaign", args=[scored.campaign.pk])
    department = reverse("results:department", args=[scored.campaign.pk, scored.sales.pk])
    with django_assert_max_num_queries(30) as before_overview:
        client.get(overview)
    # The department page carries the improvement loop (commentary, loop, actions, evidence,
    # change since the last milestone or campaign): a fixed cost, checked not to grow below.
    with django_assert_max_num_queries(40) as before_department:
        client.get(department)
    for i in range(6):
        user = django_user_model.objects.create_user(f"extra{i}")
        response = services.add_respondent(
            campaign=scored.campaign,
            department=scored.sales,
            user=user,
            rater_role="manager",
            notify=False,
        )
        answer_all(response, scored.questions, i % 3)
    with django_assert_max_num_queries(len(before_overview.captured_queries)):
        client.get(overview)
    with django_assert_max_num_queries(len(before_department.captured_queries)):
        client.get(department)


def test_the_results_api_returns_scores_scoped_like_the_pages(scored):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_login(scored.users.org_admin)
    body = api.get(f"/api/v1/campaigns/{scored.campaign.pk}/results/").json()
    assert body["scale"] == {"min": 1, "max": 5}
    kpi = {(r["department_name"], r["dimension"]): r for r in body["scores"]}
    assert kpi[("Sales", "kpi")]["mean"] == 5.0 and kpi[("Sales", "kpi")]["level"] == 5
    api.force_login(scored.users.manager)
    names = {
        r["department_name"]
        for r in api.get(f"/api/v1/campaigns/{scored.campaign.pk}/results/").json()["scores"]
    }
    assert names == {"Sales"}
    api.force_login(scored.users.staff)
    assert api.get(f"/api/v1/campaigns/{scored.campaign.pk}/results/").status_code == 403
    api.force_login(scored.users.outsider)
    assert api.get(f"/api/v1/campaigns/{scored.campaign.pk}/results/").status_code == 404
