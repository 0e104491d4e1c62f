"""The hierarchy roll-up (stream → dimension → area → overall) on the results pages and in the
API, for a format-v2 framework with a declared rule: sum ÷ 2 on a 0–3 scale, level by
thresholds, overall = mean of areas. Every number below is worked out by hand in the comments.

The framework (``ROLLUP_FRAMEWORK``): areas G (dimensions G-SM, G-PC) and D (D-TA); every
dimension has streams A and B with one question per stream per level 1–3 (six questions), the
answers 0 / 0.25 / 0.5 / 1; a dimension scores Σ values ÷ 2 (0–3). Levels by thresholds:
level 1 from 0.5, level 2 from 2.3, level 3 from 2.9 (so 2.25 is level 1, where ⌊2.25⌋ would
say 2). A stream is the weighted mean of its values mapped 0–1 → 0–3.

The answers (``rolled_up``): Sales' manager answers 1 on G-SM, 0.5 on G-PC and 0 on D-TA;
Customer Success' manager 0.25 on G-SM stream A, 0 on G-SM stream B and G-PC, 1 on D-TA.

  Sales     G-SM 6 × 1 ÷ 2 = 3.00 (level 3)   G-PC 6 × 0.5 ÷ 2 = 1.50 (1)   D-TA 0 (0)
            area G (3 + 1.5) ÷ 2 = 2.25 (level 1: below 2.3)   area D 0.00 (0)
            overall (2.25 + 0) ÷ 2 = 1.125 → "1.13" half-up (banker's would print 1.12), level 1
            streams G-SM A 3.00, B 3.00
  CS        G-SM (3 × 0.25) ÷ 2 = 0.375 (0)   G-PC 0 (0)   D-TA 3.00 (3)
            area G (0.375 + 0) ÷ 2 = 0.1875 (0)   area D 3.00 (3)
            overall (0.1875 + 3) ÷ 2 = 1.59375 → "1.59", level 1
            streams G-SM A 0.25 on 0–1 → 0.75, B 0.00
  Organisation (mean of the departments)
            area G (2.25 + 0.1875) ÷ 2 = 1.21875 → "1.22" (1)   area D (0 + 3) ÷ 2 = 1.50 (1)
            overall (1.125 + 1.59375) ÷ 2 = 1.359375 → "1.36" (1)
            G-SM (3 + 0.375) ÷ 2 = 1.6875; streams A (3 + 0.75) ÷ 2 = 1.875, B (3 + 0) ÷ 2 = 1.50
"""

import copy

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from assessments import services
from assessments.models import Response
from assessments.services import AnswerInput
from maturity.framework_io import import_framework
from results import rows as presenters
from results.loader import shown_results
from tests.assessments.conftest import open_campaign

pytestmark = pytest.mark.django_db

DEGREE = [("No", "いいえ", 0), ("Partly", "一部", 0.25), ("Mostly", "おおむね", 0.5)]
DEGREE += [("Fully", "完全に", 1)]


def _dimension(code: str, area: str, ja: str, en: str) -> dict:
    return {
        "code": code,
        "area": area,
        "title": {"ja": ja, "en": en},
        "streams": [
            {"code": "A", "title": {"ja": "作る", "en": "Create"}},
            {"code": "B", "title": {"ja": "守る", "en": "Keep"}},
        ],
        "questions": [
            {
                "code": f"{code}-{level}-{stream}",
                "stream": stream,
                "level": level,
                "text": {"ja": f"{ja} 質問{level}{stream}", "en": f"{en} question {level}{stream}"},
                "answer_set": "degree",
            }
            for level in (1, 2, 3)
            for stream in ("A", "B")
        ],
    }


ROLLUP_FRAMEWORK = {
    "format": "levelcheck-framework/2",
    "slug": "rollup-check",
    "version": "1.0.0",
    "status": "published",
    "languages": ["ja", "en"],
    "title": {"ja": "ロールアップ成熟度", "en": "Roll-up maturity"},
    "scale": {"min": 0, "max": 3},
    "levels": [
        {"level": 0, "title": {"ja": "未着手", "en": "Not started"}},
        {"level": 1, "title": {"ja": "初期", "en": "Initial"}},
        {"level": 2, "title": {"ja": "定義済み", "en": "Defined"}},
        {"level": 3, "title": {"ja": "定着", "en": "Embedded"}},
    ],
    "scoring": {
        "unanswered": 0,
        "not_applicable": 0,
        "dimension": "sum_divided",
        "divisor": 2,
        "area": "mean",
        "overall": "mean_of_areas",
        "level": {
            "rule": "thresholds",
            "thresholds": [
                {"level": 1, "from": 0.5},
                {"level": 2, "from": 2.3},
                {"level": 3, "from": 2.9},
            ],
        },
        "precision": 2,
    },
    "answer_sets": [
        {
            "code": "degree",
            "values": {"min": 0, "max": 1},
            "choices": [{"label": {"ja": ja, "en": en}, "value": v} for en, ja, v in DEGREE],
        }
    ],
    "areas": [
        {"code": "G", "title": {"ja": "ガバナンス", "en": "Governance"}},
        {"code": "D", "title": {"ja": "設計", "en": "Design"}},
    ],
    "dimensions": [
        _dimension("G-SM", "G", "戦略と指標", "Strategy and metrics"),
        _dimension("G-PC", "G", "方針と遵守", "Policy and compliance"),
        _dimension("D-TA", "D", "脅威の評価", "Threat assessment"),
    ],
}


def answer(response, values: dict) -> None:
    """Answer every question of ``response``'s framework with ``values[question code]``
    (a callable of the code) and submit."""
    questions = response.campaign.framework.questions.prefetch_related("choices")
    items = []
    for question in questions:
        value = values(question.code)
        choice = next(c for c in question.choices.all() if float(c.score) == value)
        items.append(AnswerInput(question_id=question.pk, choice_id=choice.pk))
    services.save_answers(response=response, items=items)
    services.submit_response(response=response)


def sales_answers(code: str) -> float:
    return {"G-SM": 1.0, "G-PC": 0.5, "D-TA": 0.0}[code[:4]]


def success_answers(code: str) -> float:
    if code.startswith("G-SM"):
        return 0.25 if code.endswith("-A") else 0.0
    return {"G-PC": 0.0, "D-TA": 1.0}[code[:4]]


def make_rolled_up(cast):
    """A campaign of Acme on the roll-up framework, both departments answered (threshold 1:
    every department shown), as ``cast.rollup``."""
    framework = import_framework(copy.deepcopy(ROLLUP_FRAMEWORK), source="rollup.yaml")
    campaign = open_campaign(
        organisation=cast.acme,
        framework=framework,
        departments=[cast.sales, cast.success],
        name="Roll-up",
    )
    campaign.anonymity_threshold = 1
    campaign.save()
    answer(Response.objects.get(campaign=campaign, respondent=cast.users.manager), sales_answers)
    answer(
        Response.objects.get(campaign=campaign, respondent=cast.users.other_manager),
        success_answers,
    )
    cast.rollup = campaign
    return cast


@pytest.fixture
def rolled_up(cast):
    return make_rolled_up(cast)


# ----------------------------------------------------------------------------------- rows


def test_area_rows_carry_the_declared_area_rule_and_threshold_levels(rolled_up):
    results = shown_results(rolled_up.rollup)
    sales = {r.area.code: r for r in presenters.department_area_rows(results, rolled_up.sales.pk)}
    assert list(sales) == ["G", "D"]  # the framework's order
    assert sales["G"].mean == pytest.approx(2.25)  # (3 + 1.5) ÷ 2
    assert sales["G"].score == pytest.approx(75.0)  # 2.25 ÷ 3 × 100
    assert sales["G"].level == 1  # thresholds: below 2.3; floor would say 2
    assert sales["G"].level_title == "初期"
    assert sales["G"].n == 1
    assert sales["G"].organisation_mean == pytest.approx(1.21875)  # (2.25 + 0.1875) ÷ 2
    assert (sales["D"].mean, sales["D"].level) == (0.0, 0)
    org = {r.area.code: r for r in presenters.organisation_area_rows(results)}
    assert org["D"].mean == pytest.approx(1.5) and org["D"].level == 1  # (0 + 3) ÷ 2


def test_overall_is_the_mean_of_the_areas_not_of_the_dimensions(rolled_up):
    results = shown_results(rolled_up.rollup)
    sales = presenters.overall(results, rolled_up.sales.pk)
    # Mean of areas (2.25 + 0) ÷ 2 = 1.125; the mean of dimensions would be 4.5 ÷ 3 = 1.5.
    assert sales.mean == pytest.approx(1.125)
    assert sales.score == pytest.approx(37.5)  # 1.125 ÷ 3 × 100
    assert (sales.level, sales.level_title) == (1, "初期")
    organisation = presenters.overall(results)
    assert organisation.mean == pytest.approx(1.359375)  # (1.125 + 1.59375) ÷ 2


def test_dimension_levels_come_from_the_frames(rolled_up):
    results = shown_results(rolled_up.rollup)
    rows = {r.dimension.code: r for r in presenters.department_rows(results, rolled_up.sales.pk)}
    # 3.00 reaches 2.9 → 3; 1.50 is between 0.5 and 2.3 → 1; 0.00 → 0.
    assert [(code, r.level) for code, r in rows.items()] == [("G-SM", 3), ("G-PC", 1), ("D-TA", 0)]


def test_streams_sit_under_their_dimension(rolled_up):
    results = shown_results(rolled_up.rollup)
    rows = {r.dimension.code: r for r in presenters.department_rows(results, rolled_up.success.pk)}
    streams = [(s.stream.code, s.title, s.mean) for s in rows["G-SM"].streams]
    # Stream A: 0.25 on 0–1 → 0.75 on 0–3; stream B: 0.
    assert streams == [("A", "作る", pytest.approx(0.75)), ("B", "守る", 0.0)]
    organisation = {r.dimension.code: r for r in presenters.organisation_rows(results)}
    assert [s.mean for s in organisation["G-SM"].streams] == [
        pytest.approx(1.875),  # (3 + 0.75) ÷ 2
        pytest.approx(1.5),  # (3 + 0) ÷ 2
    ]


def test_a_framework_without_areas_or_streams_has_no_such_rows(cast):
    cast.campaign.anonymity_threshold = 1
    cast.campaign.save()
    from tests.assessments.conftest import answer_all

    answer_all(cast.response, cast.questions, 2)  # 5 everywhere
    results = shown_results(cast.campaign)
    assert all(r.streams == [] for r in presenters.department_rows(results, cast.sales.pk))
    # The sample framework has one area (strategy) holding both dimensions.
    assert [r.area.code for r in presenters.organisation_area_rows(results)] == ["strategy"]


# ---------------------------------------------------------------------------------- pages


def test_the_results_page_shows_the_area_section(client, rolled_up):
    client.force_login(rolled_up.users.org_admin)
    reply = client.get(reverse("results:campaign", args=[rolled_up.rollup.pk]))
    html = reply.content.decode()
    assert reply.status_code == 200
    assert "部門 × 領域" in html and "領域別の組織全体" in html
    section = html[html.index('id="areas"') : html.index('aria-labelledby="heat-heading"')]
    assert section.count('role="img"') == 1  # the area heatmap
    assert "ガバナンス" in section and "設計" in section
    assert "1.22" in section  # organisation area G: 1.21875
    assert "1.50" in section  # organisation area D
    # The departments × areas table: Sales G 2.25, D 0.00; CS G 0.19 (0.1875 half-up), D 3.00.
    assert "2.25" in section and "0.00" in section and "0.19" in section and "3.00" in section
    # Overall by the declared rule: 1.359375 → 1.36, level 1 (初期).
    assert "全体のレベル: 1（初期）" in html and "平均 1.36" in html


def test_the_department_page_shows_areas_streams_and_level_zero(client, rolled_up):
    client.force_login(rolled_up.users.org_admin)
    url = reverse("results:department", args=[rolled_up.rollup.pk, rolled_up.sales.pk])
    html = client.get(url).content.decode()
    areas = html[html.index('id="areas"') : html.index('id="dims-heading"')]
    assert "ガバナンス" in areas and "2.25" in areas and "75" in areas
    assert 'level-b0" title="未着手">0</span>' in areas  # area D: level 0 is a level, not "–"
    # Overall 1.125 rounds half-up to 1.13.
    assert "平均 1.13" in html
    dimension = html[html.index('id="dim-G-SM"') : html.index('id="dim-G-PC"')]
    assert "ストリーム" in dimension and "作る" in dimension and "守る" in dimension
    assert dimension.count("3.00") >= 3  # the dimension's mean and both streams'


def test_the_english_page_says_area_and_stream_in_english(client, rolled_up):
    client.force_login(rolled_up.users.org_admin)
    url = reverse("results:department", args=[rolled_up.rollup.pk, rolled_up.sales.pk])
    with translation.override("en"):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "By area" in html and "Governance" in html and ">Stream<" in html
    assert "Overall level: 1 (Initial), mean 1.13 on the 0–3 scale." in html


def test_a_manager_sees_areas_of_their_own_department_only(client, rolled_up):
    client.force_login(rolled_up.users.manager)
    own = reverse("results:department", args=[rolled_up.rollup.pk, rolled_up.sales.pk])
    other = reverse("results:department", args=[rolled_up.rollup.pk, rolled_up.success.pk])
    assert client.get(own).status_code == 200
    assert client.get(other).status_code in (403, 404)


def test_the_area_sections_keep_a_constant_number_of_queries(
    client, rolled_up, django_user_model, django_assert_max_num_queries
):
    client.force_login(rolled_up.users.org_admin)
    overview = reverse("results:campaign", args=[rolled_up.rollup.pk])
    department = reverse("results:department", args=[rolled_up.rollup.pk, rolled_up.sales.pk])
    with django_assert_max_num_queries(30) as before_overview:
        client.get(overview)
    with django_assert_max_num_queries(40) as before_department:
        client.get(department)
    for i in range(5):
        response = services.add_respondent(
            campaign=rolled_up.rollup,
            department=rolled_up.sales,
            user=django_user_model.objects.create_user(f"more{i}"),
            rater_role="manager",
            notify=False,
        )
        answer(response, sales_answers)
    with django_assert_max_num_queries(len(before_overview.captured_queries)):
        assert "ガバナンス" in client.get(overview).content.decode()
    with django_assert_max_num_queries(len(before_department.captured_queries)):
        client.get(department)


# ------------------------------------------------------------------------------------ API


def api_body(user, campaign) -> dict:
    api = APIClient()
    api.force_login(user)
    reply = api.get(f"/api/v1/campaigns/{campaign.pk}/results/")
    assert reply.status_code == 200
    return reply.json()


def test_the_api_gives_areas_overall_and_streams(rolled_up):
    body = api_body(rolled_up.users.org_admin, rolled_up.rollup)
    departments = {d["department_name"]: d for d in body["departments"]}
    sales = departments["Sales"]
    assert sales["withheld"] is False
    assert sales["overall"] == {"mean": 1.125, "score": 37.5, "level": 1}
    assert [(a["code"], a["title"], a["level"]) for a in sales["areas"]] == [
        ("G", "ガバナンス", 1),
        ("D", "設計", 0),
    ]
    assert sales["areas"][0]["mean"] == 2.25 and sales["areas"][0]["score"] == 75.0
    success = departments["Customer Success"]
    assert success["overall"]["mean"] == pytest.approx(1.59375)  # (0.1875 + 3) ÷ 2
    organisation = body["organisation"]
    assert organisation["overall"]["mean"] == pytest.approx(1.359375)
    assert [a["mean"] for a in organisation["areas"]] == [
        pytest.approx(1.21875),
        pytest.approx(1.5),
    ]
    gsm = next(d for d in organisation["dimensions"] if d["dimension"] == "G-SM")
    assert [(s["code"], s["mean"]) for s in gsm["streams"]] == [
        ("A", pytest.approx(1.875)),
        ("B", pytest.approx(1.5)),
    ]
    score = next(
        s
        for s in body["scores"]
        if s["department_name"] == "Customer Success" and s["dimension"] == "G-SM"
    )
    assert [(s["code"], s["title"], s["mean"]) for s in score["streams"]] == [
        ("A", "作る", pytest.approx(0.75)),
        ("B", "守る", 0.0),
    ]


def test_the_default_rule_api_has_an_overall_of_the_dimensions_and_no_streams(cast):
    cast.campaign.anonymity_threshold = 1
    cast.campaign.save()
    from tests.assessments.conftest import answer_all

    answer_all(cast.response, cast.questions, 2)  # Sales 5 everywhere
    answer_all(cast.other_response, cast.questions, 0)  # Customer Success 1 everywhere
    body = api_body(cast.users.org_admin, cast.campaign)
    sales = next(d for d in body["departments"] if d["department_name"] == "Sales")
    assert sales["overall"] == {"mean": 5.0, "score": 100.0, "level": 5}
    # One area (strategy) of both dimensions: the organisation (5 + 1) ÷ 2 = 3.00, 50/100.
    assert body["organisation"]["areas"] == [
        {"code": "strategy", "title": "戦略", "mean": 3.0, "score": 50.0, "level": 3}
    ]
    assert all(s["streams"] == [] for s in body["scores"])


def test_a_manager_gets_their_department_only_with_the_organisation_figures(rolled_up):
    body = api_body(rolled_up.users.manager, rolled_up.rollup)
    assert [d["department_name"] for d in body["departments"]] == ["Sales"]
    assert body["organisation"]["overall"]["mean"] == pytest.approx(1.359375)


def test_a_withheld_department_has_null_areas_and_overall(rolled_up, django_user_model):
    """Threshold 2: Sales gets a second self-rating (the same answers) and is shown; Customer
    Success keeps one and is withheld, so the organisation is Sales alone."""
    campaign = rolled_up.rollup
    campaign.anonymity_threshold = 2
    campaign.save()
    second = services.add_respondent(
        campaign=campaign,
        department=rolled_up.sales,
        user=django_user_model.objects.create_user("hino"),
        rater_role=Response.RaterRole.MANAGER,
        notify=False,
    )
    answer(second, sales_answers)
    body = api_body(rolled_up.users.org_admin, campaign)
    success = next(d for d in body["departments"] if d["department_name"] == "Customer Success")
    assert success["withheld"] is True
    assert success["overall"] == {"mean": None, "score": None, "level": None}
    assert [(a["mean"], a["score"], a["level"]) for a in success["areas"]] == [(None,) * 3] * 2
    assert all(
        s["mean"] is None
        for row in body["scores"]
        if row["department_name"] == "Customer Success"
        for s in row["streams"]
    )
    # The organisation is Sales alone: overall 1.125, not (1.125 + 1.59375) ÷ 2.
    assert body["organisation"]["overall"]["mean"] == pytest.approx(1.125)
    assert [a["mean"] for a in body["organisation"]["areas"]] == [pytest.approx(2.25), 0.0]
