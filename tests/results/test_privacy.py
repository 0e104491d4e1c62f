"""One anonymity rule (assessments/privacy.py, docs/privacy.md) in every output: the results
pages, the results API, the CSV and XLSX exports and the PDF report.

On the demo data (threshold 3): 営業部 has three submitted self-ratings (小林, 松本, 井上) and
高橋's draft, so it is shown with names; カスタマーサクセス部, マーケティング部 and 経営企画部
have one each and are withheld (the consultant also rated カスタマーサクセス部 and 営業部);
インサイドセールス部 has none.
"""

import io
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.test import APIClient

from assessments import privacy, services
from assessments.models import Answer, Campaign, Response, Target
from assessments.templatetags.people import person
from reports.campaign_report import build_campaign_report
from results.loader import campaign_results, shown_results
from tests.assessments.conftest import answer_all

pytestmark = pytest.mark.django_db

FRAMEWORK = "maturity/frameworks/customer-engagement.yaml"
CURRENT = "2026年度 下期 レベルチェック"
SHOWN = "営業部"
WITHHELD = ("カスタマーサクセス部", "マーケティング部", "経営企画部")
MARKER = "漏えい検出マーカー"


# ------------------------------------------------------------------ the rule itself


def test_only_submitted_self_ratings_count_toward_the_threshold(cast, django_user_model):
    answer_all(cast.response, cast.questions, 2)  # the Sales manager: counts
    draft = services.add_respondent(
        campaign=cast.campaign,
        department=cast.sales,
        user=django_user_model.objects.create_user("hino"),
        rater_role=Response.RaterRole.MANAGER,
        notify=False,
    )
    answer_all(draft, cast.questions, 2, submit=False)  # a draft: does not count
    for user, role in (
        (cast.users.consultant, Response.RaterRole.CONSULTANT),
        (cast.users.org_admin, Response.RaterRole.ORG_ADMIN),
    ):  # outside ratings: never count
        outside = services.add_respondent(
            campaign=cast.campaign, department=cast.sales, user=user, rater_role=role, notify=False
        )
        answer_all(outside, cast.questions, 0)
    rule = privacy.disclosure(cast.campaign)
    assert rule.self_ratings == {cast.sales.pk: 1}
    assert not rule.shows(cast.sales.pk)
    cast.campaign.anonymity_threshold = 1
    assert privacy.disclosure(cast.campaign).shows(cast.sales.pk)


@pytest.fixture
def two_departments(cast, django_user_model):
    """Threshold 2: Sales has two self-ratings (5 everywhere) and is shown; Customer Success
    has one (3 everywhere) and the consultant's rating of it (1), and is withheld."""
    cast.campaign.anonymity_threshold = 2
    cast.campaign.save()
    answer_all(cast.response, cast.questions, 2, comment="営業のコメント")
    second = services.add_respondent(
        campaign=cast.campaign,
        department=cast.sales,
        user=django_user_model.objects.create_user("hino", last_name="日野"),
        rater_role=Response.RaterRole.MANAGER,
        notify=False,
    )
    answer_all(second, cast.questions, 2)
    answer_all(cast.other_response, cast.questions, 1, comment=MARKER)
    outside = services.add_respondent(
        campaign=cast.campaign,
        department=cast.success,
        user=cast.users.consultant,
        rater_role=Response.RaterRole.CONSULTANT,
        notify=False,
    )
    answer_all(outside, cast.questions, 0, comment="外部から見た所見")
    return cast


def test_the_organisation_roll_up_is_made_of_the_shown_departments_only(two_departments):
    results = shown_results(two_departments.campaign)
    org = {row.dimension: row.mean for row in results.organisation.itertuples()}
    assert org == {"kpi": 5.0, "data": 5.0}  # Sales alone, not (5 + 3) / 2
    assert set(results.by_department["department_id"]) == {two_departments.sales.pk}
    assert (
        results.perception_gap.empty and results.improvement_plan(two_departments.success.pk).empty
    )
    raw = campaign_results(two_departments.campaign)
    assert set(raw.by_department["department_id"]) == {
        two_departments.sales.pk,
        two_departments.success.pk,
    }


def test_a_withheld_department_page_says_why_and_shows_no_score(client, two_departments):
    cast = two_departments
    client.force_login(cast.users.org_admin)
    url = reverse("results:department", args=[cast.campaign.pk, cast.success.pk])
    reply = client.get(url)
    assert all(row.mean is None and row.n == 0 for row in reply.context["rows"])
    assert all(row.perception_gap is None and row.spread is None for row in reply.context["rows"])
    html = reply.content.decode()
    assert "回答者を守るため表示していません" in html
    assert MARKER not in html  # the withheld self-rating's comment
    # The consultant's outside rating is never anonymous: shown under their name and role.
    assert "外部から見た所見" in html and "conny · コンサルタント" in html


def test_saving_targets_on_a_withheld_page_as_it_stands_sets_none(client, two_departments):
    """No default target comes from withheld scores, and the form then offers "–" rather than
    a preselected level 1 that a save would store."""
    cast = two_departments
    client.force_login(cast.users.org_admin)
    url = reverse("results:department", args=[cast.campaign.pk, cast.success.pk])
    html = client.get(url).content.decode()
    assert html.count('<option value="" selected>–</option>') == 2  # kpi, data
    targets = reverse("results:targets", args=[cast.campaign.pk, cast.success.pk])
    client.post(targets, {"target-kpi": "", "target-data": ""})
    assert not Target.objects.exists()


def test_the_overview_lists_the_withheld_departments(client, two_departments):
    cast = two_departments
    client.force_login(cast.users.consultant)
    reply = client.get(reverse("results:campaign", args=[cast.campaign.pk]))
    assert reply.context["withheld"] == [cast.success]
    table = dict(reply.context["department_table"])
    assert table[cast.sales] == [5.0, 5.0] and table[cast.success] == [None, None]


def test_the_explanation_of_a_withheld_department_shows_own_and_outside_answers_only(
    client, two_departments
):
    cast = two_departments
    url = reverse("results:explain", args=[cast.campaign.pk, cast.success.pk, "kpi"])
    client.force_login(cast.users.org_admin)
    labels = [(r["label"], r["rater_role"]) for r in client.get(url).context["respondents"]]
    assert labels == [("conny", "コンサルタント")]
    client.force_login(cast.users.other_manager)
    labels = [r["label"] for r in client.get(url).context["respondents"]]
    assert sorted(labels) == ["conny", "あなた"]


def test_a_shown_department_names_its_respondents(client, two_departments):
    cast = two_departments
    url = reverse("results:explain", args=[cast.campaign.pk, cast.sales.pk, "kpi"])
    client.force_login(cast.users.org_admin)
    labels = sorted(r["label"] for r in client.get(url).context["respondents"])
    assert labels == ["mori", "日野"]


# ------------------------------------------------------------------ every output on the demo


@pytest.fixture
def demo(db):
    call_command("import_framework", FRAMEWORK, stdout=io.StringIO())
    call_command("setup_demo", stdout=io.StringIO())
    campaign = Campaign.objects.select_related("framework", "organisation").get(name=CURRENT)
    departments = {d.name: d for d in campaign.departments.all()}
    return campaign, departments


def user(username):
    return get_user_model().objects.get(username=username)


def visible_departments(campaign, departments, username):
    viewer = user(username)
    membership = viewer.memberships.filter(organisation=campaign.organisation).first()
    if membership is None or membership.role == "org_admin":
        return list(departments.values())
    return [membership.department]


def normalised(html: str) -> str:
    """A page without what changes on every request (the CSRF token)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def page_texts(client, campaign, departments, username) -> dict[str, str]:
    """Every results page the viewer may open: overview, department pages, explanations."""
    client.force_login(user(username))
    pages = {}
    overview = client.get(reverse("results:campaign", args=[campaign.pk]))
    if overview.status_code == 200:
        pages["overview"] = overview.content.decode()
    # Three dimensions: the explanation is one view whatever the dimension; enough to see
    # every respondent of the department.
    codes = list(campaign.framework.dimensions.order_by("order").values_list("code", flat=True))[:3]
    for department in visible_departments(campaign, departments, username):
        args = [campaign.pk, department.pk]
        reply = client.get(reverse("results:department", args=args))
        assert reply.status_code == 200
        pages[department.name] = reply.content.decode()
        for code in codes:
            reply = client.get(reverse("results:explain", args=[*args, code]))
            assert reply.status_code == 200
            pages[f"{department.name} {code}"] = reply.content.decode()
    return {key: normalised(text) for key, text in pages.items()}


def output_texts(client, campaign, departments, username) -> dict[str, str]:
    """Every other output the viewer may take away: the four exports, the results API and,
    for those who may download reports, the organisation and department PDFs."""
    viewer = user(username)
    client.force_login(viewer)
    outputs = {}
    for kind in ("answers", "scores"):
        for fmt in ("csv", "xlsx"):
            url = reverse("results:export", args=[campaign.pk, kind, fmt])
            reply = client.get(url)
            assert reply.status_code == 200
            outputs[f"{kind}.{fmt}"] = (
                reply.content.decode("utf-8-sig") if fmt == "csv" else xlsx_text(reply.content)
            )
    api = APIClient()
    api.force_login(viewer)
    body = api.get(f"/api/v1/campaigns/{campaign.pk}/results/").json()
    outputs["api"] = json.dumps(body, ensure_ascii=False, sort_keys=True)
    if username in ("sato", "tanaka"):
        outputs["pdf"] = pdf_text(build_campaign_report(campaign, language="ja"))
        for name in (SHOWN, WITHHELD[0]):
            report = build_campaign_report(campaign, department=departments[name], language="ja")
            outputs[f"pdf {name}"] = pdf_text(report)
    return outputs


def xlsx_text(content: bytes) -> str:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).active
    return "\n".join(
        "\t".join("" if c is None else str(c) for c in row)
        for row in sheet.iter_rows(values_only=True)
    )


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def names_in(text: str, names: set[str]) -> set[str]:
    return {name for name in names if name in text}


VIEWERS = ["sato", "tanaka", "takahashi", "watanabe"]


def test_on_the_demo_an_output_names_only_whom_the_same_viewer_sees_named_on_the_pages(
    client, demo
):
    campaign, departments = demo
    everyone = {person(u) for u in get_user_model().objects.all()}
    expected = {
        # 営業部 is shown: its submitted managers are named; the consultant always is.
        "sato": {"小林 由美", "松本 さくら", "井上 拓海", "田中 健"},
        "tanaka": {"小林 由美", "松本 さくら", "井上 拓海"},
        "takahashi": {"小林 由美", "松本 さくら", "井上 拓海", "田中 健"},
        # カスタマーサクセス部 is withheld: only the consultant's outside rating is named.
        "watanabe": {"田中 健"},
    }
    never = {"高橋 直樹", "渡辺 彩", "鈴木 大輔", "山本 健一"}  # a draft, withheld ones
    for username in VIEWERS:
        viewer_name = person(user(username))
        on_pages = names_in(
            "\n".join(page_texts(client, campaign, departments, username).values()), everyone
        )
        assert expected[username] <= on_pages, username
        assert not (never - {viewer_name}) & on_pages, username
        for output, text in output_texts(client, campaign, departments, username).items():
            found = names_in(text, everyone) - {viewer_name}
            assert found <= on_pages, (username, output, found - on_pages)
            if output.startswith("answers"):
                assert found == expected[username] - {viewer_name}, (username, output)


def _mutate_withheld_self_ratings(organisation) -> int:
    """Give every withheld self-rating (both campaigns) other choices and a marker comment."""
    changed = 0
    for campaign in Campaign.objects.filter(organisation=organisation):
        rule = privacy.disclosure(campaign)
        answers = Answer.objects.filter(
            response__campaign=campaign,
            response__rater_role=Response.RaterRole.MANAGER,
            response__status=Response.Status.SUBMITTED,
        ).select_related("response", "question")
        for answer in answers:
            if rule.shows(answer.response.department_id):
                continue
            choices = list(answer.question.choices.order_by("score"))
            answer.choice = choices[-1] if answer.choice_id != choices[-1].pk else choices[0]
            answer.is_na, answer.na_reason, answer.comment = False, "", MARKER
            answer.save()
            changed += 1
    return changed


@pytest.mark.parametrize("username", ["sato", "tanaka"])
def test_on_the_demo_a_withheld_department_changes_no_output_whatever_its_answers(
    client, demo, username
):
    """Changing every answer of the withheld self-ratings (in this campaign and the previous
    one, for history) changes no page, export, API reply or PDF: nothing of them leaks."""
    campaign, departments = demo
    before_pages = page_texts(client, campaign, departments, username)
    before = output_texts(client, campaign, departments, username)
    raw_before = campaign_results(campaign).by_department.copy()
    assert _mutate_withheld_self_ratings(campaign.organisation) > 100
    # The change is real: the unfiltered scores of the withheld departments moved.
    assert not campaign_results(campaign).by_department.equals(raw_before)
    after_pages = page_texts(client, campaign, departments, username)
    after = output_texts(client, campaign, departments, username)
    for key in before_pages:
        assert before_pages[key] == after_pages[key], key
        assert MARKER not in after_pages[key], key
    for key in before:
        assert before[key] == after[key], key
        assert MARKER not in after[key], key


def test_on_the_demo_the_api_and_the_scores_export_mark_withheld_departments(client, demo):
    campaign, departments = demo
    api = APIClient()
    api.force_login(user("sato"))
    rows = api.get(f"/api/v1/campaigns/{campaign.pk}/results/").json()["scores"]
    for row in rows:
        if row["department_name"] == SHOWN:
            assert row["withheld"] is False and row["respondents"] == 3
            assert row["mean"] is not None
        else:
            assert row["withheld"] is True, row
            values = [row[k] for k in ("mean", "score", "level", "spread", "perception_gap")]
            assert values == [None] * 5 and row["respondents"] == 0
            assert row["previous_mean"] is None and row["delta"] is None
    client.force_login(user("sato"))
    reply = client.get(reverse("results:export", args=[campaign.pk, "scores", "csv"]))
    text = reply.content.decode("utf-8-sig")
    for name in WITHHELD:
        lines = [line for line in text.splitlines() if line.startswith(f'"{name}"')]
        assert lines and all("回答者を守るため" in line for line in lines), name
    pdf = pdf_text(build_campaign_report(campaign, language="ja"))
    for name in WITHHELD:
        assert f"{name}: 回答者を守るため" in pdf.replace("\n", ""), name
