"""The second shipped framework (customer-data-maturity) end to end: the file imported as it
ships, a campaign on it for Acme's sales department, two managers' answers (some left blank,
some N/A) and the declared rule's figures — practice (dimension), function (area) and overall
— checked by hand in the results loader, the results page, the results API and the PDF.

The rule the file declares: a practice's score is the sum of its six answers (0 / 0.25 / 0.5 /
1) ÷ 2 on the 0–3 scale, unanswered and N/A count as 0; an area is the plain mean of its two
practices, the overall figure the mean of the four areas; level = ⌊score⌋; two decimals,
rounded half-up. A department's figure is the mean of its respondents' figures.

The answers, per practice in question order A1 A2 A3 B1 B2 B3 (— blank, NA not applicable):

    practice  mori                         kudo                        mori  kudo  dept
    C-ID      1    1    .5   1    .5  .25  1   1   1   1   1   0       2.125 2.5   2.3125
    C-UD      NA   NA   NA   1    .5  0    1   .5  —   1   1   .5      0.75  2.0   1.375
    U-MT      1    1    1    1    1   1    1   1   .5  1   1   .5      3.0   2.5   2.75
    U-HS      .5   .25  0    .5   .25 0    .25 0   0   .25 0   0       0.75  0.25  0.5
    A-SG      1    .5   —    1    .5  —    1   1   .5  1   1   .5      1.5   2.5   2.0
    A-AU      .25  .25  .25  .25  .25 .25  .5  .5  .5  .5  .5  .5      0.75  1.5   1.125
    G-QL      1    1    1    .5   .5  .5   1   .5  .25 1   .5  .25     2.25  1.75  2.0
    G-PR      .25  0    0    .25  0   0    —   —   —   —   —   —       0.25  0.0   0.125

e.g. mori's C-ID: (1 + 1 + 0.5 + 1 + 0.5 + 0.25) ÷ 2 = 4.25 ÷ 2 = 2.125; kudo's C-UD with one
blank counted as 0: (1 + 0.5 + 0 + 1 + 1 + 0.5) ÷ 2 = 2.0; mori's C-UD with three N/A counted
as 0: (0 + 0 + 0 + 1 + 0.5 + 0) ÷ 2 = 0.75. kudo left all of G-PR blank: 0, not "no data", so
the department's G-PR is (0.25 + 0) ÷ 2 = 0.125 (with blanks left out it would be 0.25).
"""

import datetime
import io
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments import services
from assessments.models import Campaign, Membership, Response
from assessments.services import AnswerInput
from maturity.framework_file import load_framework_file
from maturity.framework_io import import_framework
from reports.campaign_report import build_campaign_report
from results.loader import shown_results
from tests.assessments.conftest import make_user

PATH = settings.BASE_DIR / "maturity" / "frameworks" / "customer-data-maturity.yaml"
VALUE_INDEX = {0: 0, 0.25: 1, 0.5: 2, 1: 3}  # the degree answer set's choices, in order
NA, BLANK = "na", None

ANSWERS = {
    "mori": {
        "C-ID": [1, 1, 0.5, 1, 0.5, 0.25],
        "C-UD": [NA, NA, NA, 1, 0.5, 0],
        "U-MT": [1, 1, 1, 1, 1, 1],
        "U-HS": [0.5, 0.25, 0, 0.5, 0.25, 0],
        "A-SG": [1, 0.5, BLANK, 1, 0.5, BLANK],
        "A-AU": [0.25] * 6,
        "G-QL": [1, 1, 1, 0.5, 0.5, 0.5],
        "G-PR": [0.25, 0, 0, 0.25, 0, 0],
    },
    "kudo": {
        "C-ID": [1, 1, 1, 1, 1, 0],
        "C-UD": [1, 0.5, BLANK, 1, 1, 0.5],
        "U-MT": [1, 1, 0.5, 1, 1, 0.5],
        "U-HS": [0.25, 0, 0, 0.25, 0, 0],
        "A-SG": [1, 1, 0.5, 1, 1, 0.5],
        "A-AU": [0.5] * 6,
        "G-QL": [1, 0.5, 0.25, 1, 0.5, 0.25],
        "G-PR": [BLANK] * 6,
    },
}
ORDER = ["1-A", "2-A", "3-A", "1-B", "2-B", "3-B"]

# The department's practice means (mean of mori's and kudo's, see the table above), the value
# shown at two decimals rounded half-up, and the level ⌊mean⌋.
DIMENSIONS = {
    "C-ID": (2.3125, 2.31, 2),  # (2.125 + 2.5) ÷ 2
    "C-UD": (1.375, 1.38, 1),  # (0.75 + 2.0) ÷ 2
    "U-MT": (2.75, 2.75, 2),  # (3.0 + 2.5) ÷ 2
    "U-HS": (0.5, 0.5, 0),  # (0.75 + 0.25) ÷ 2: level 0, shown as 0
    "A-SG": (2.0, 2.0, 2),  # (1.5 + 2.5) ÷ 2
    "A-AU": (1.125, 1.13, 1),  # (0.75 + 1.5) ÷ 2; half-up (banker's rounding gives 1.12)
    "G-QL": (2.0, 2.0, 2),  # (2.25 + 1.75) ÷ 2
    "G-PR": (0.125, 0.13, 0),  # (0.25 + 0) ÷ 2; half-up (banker's gives 0.12)
}
# Areas: per respondent the mean of its two practices, then the department's mean of those;
# with two practices each that equals the mean of the department's two practice means.
AREAS = {
    "C": (1.84375, 1.84, 1),  # mori (2.125 + 0.75) ÷ 2 = 1.4375, kudo (2.5 + 2.0) ÷ 2 = 2.25
    "U": (1.625, 1.63, 1),  # mori 1.875, kudo 1.375; half-up (banker's 1.62)
    "A": (1.5625, 1.56, 1),  # mori 1.125, kudo 2.0
    "G": (1.0625, 1.06, 1),  # mori (2.25 + 0.25) ÷ 2 = 1.25, kudo (1.75 + 0) ÷ 2 = 0.875
}
# Overall (mean of the four areas): mori (1.4375 + 1.875 + 1.125 + 1.25) ÷ 4 = 1.421875,
# kudo (2.25 + 1.375 + 2.0 + 0.875) ÷ 4 = 1.625; department (1.421875 + 1.625) ÷ 2 = 1.5234375
# = (1.84375 + 1.625 + 1.5625 + 1.0625) ÷ 4.
OVERALL = (1.5234375, 1.52, 1)


def score_0_100(mean):
    """(mean − 0) ÷ (3 − 0) × 100 on the 0–3 scale."""
    return mean / 3 * 100


@pytest.fixture
def second(cast, django_user_model):
    """Acme's sales department with two managers (mori from the cast, kudo added here) in an
    open campaign on the shipped customer-data-maturity file, threshold 2, both submitted."""
    framework = import_framework(load_framework_file(PATH.read_bytes()), source=PATH.name)
    kudo = make_user(django_user_model, "kudo")
    Membership.objects.create(
        user=kudo, organisation=cast.acme, department=cast.sales, role="manager"
    )
    today = timezone.localdate()
    campaign = services.create_campaign(
        organisation=cast.acme,
        framework=framework,
        name="顧客データ活用 2026",
        departments=[cast.sales],
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
        created_by=cast.users.org_admin,
        anonymity_threshold=2,
    )
    services.set_campaign_status(campaign=campaign, status=Campaign.Status.OPEN)
    questions = {q.code: q for q in framework.questions.prefetch_related("choices")}
    for username, practices in ANSWERS.items():
        response = Response.objects.get(campaign=campaign, respondent__username=username)
        items = []
        for practice, values in practices.items():
            for suffix, value in zip(ORDER, values, strict=True):
                question = questions[f"{practice}-{suffix}"]
                if value is NA:
                    items.append(
                        AnswerInput(
                            question_id=question.pk, is_na=True, na_reason="利用を記録していない"
                        )
                    )
                elif value is not BLANK:
                    choice = list(question.choices.all())[VALUE_INDEX[value]]
                    assert float(choice.score) == value
                    items.append(AnswerInput(question_id=question.pk, choice_id=choice.pk))
        services.save_answers(response=response, items=items)
        services.submit_response(response=response)
    return cast, framework, campaign


def test_the_answers_are_stored_as_given(second):
    cast, framework, campaign = second
    mori = Response.objects.get(campaign=campaign, respondent=cast.users.manager)
    kudo = Response.objects.get(campaign=campaign, respondent__username="kudo")
    # 48 questions: mori 3 N/A + 2 blank → 43 choices; kudo 1 + 6 blank → 41 choices.
    assert mori.answers.filter(choice__isnull=False).count() == 43
    assert mori.answers.filter(is_na=True).count() == 3
    assert kudo.answers.filter(choice__isnull=False).count() == 41
    assert kudo.answers.filter(is_na=True).count() == 0


def test_the_loader_gives_the_declared_rules_figures(second):
    cast, framework, campaign = second
    results = shown_results(campaign)
    sales = cast.sales.pk
    assert results.rules.dimension == "sum_divided" and results.rules.divisor == 2.0
    for code, (mean, shown, level) in DIMENSIONS.items():
        assert results.value("by_department", "mean", department_id=sales, dimension=code) == (
            pytest.approx(mean)
        ), code
        assert results.round(mean) == shown, code
        assert results.value("by_department", "level", department_id=sales, dimension=code) == (
            level
        ), code
        assert results.value("by_department", "n", department_id=sales, dimension=code) == 2
        assert results.value(
            "by_department", "score", department_id=sales, dimension=code
        ) == pytest.approx(score_0_100(mean)), code
    for code, (mean, shown, level) in AREAS.items():
        assert results.value("by_department_area", "mean", department_id=sales, area=code) == (
            pytest.approx(mean)
        ), code
        assert results.round(mean) == shown, code
        assert results.value("by_department_area", "level", department_id=sales, area=code) == (
            level
        ), code
    mean, shown, level = OVERALL
    assert results.value("by_department_overall", "mean", department_id=sales) == (
        pytest.approx(mean)
    )
    assert results.round(mean) == shown
    assert results.value("by_department_overall", "level", department_id=sales) == level
    assert results.value("by_department_overall", "score", department_id=sales) == (
        pytest.approx(score_0_100(mean))  # 50.78125
    )
    # One department shown: the organisation's figures are its figures.
    assert results.value("organisation", "mean", dimension="A-AU") == pytest.approx(1.125)
    assert results.value("organisation_area", "mean", area="G") == pytest.approx(1.0625)
    assert results.value("organisation_overall", "mean") == pytest.approx(mean)


# Streams (the default stream rule, weighted mean, maps each 0–1 value onto 0–3, i.e. × 3,
# and averages the stream's three questions: a stream's score is the sum of its three values).
STREAMS = {
    ("C-ID", "A"): 2.75,  # mori 1 + 1 + 0.5 = 2.5, kudo 1 + 1 + 1 = 3
    ("C-ID", "B"): 1.875,  # mori 1 + 0.5 + 0.25 = 1.75, kudo 1 + 1 + 0 = 2
    ("C-UD", "A"): 0.75,  # mori three N/A = 0, kudo 1 + 0.5 + blank 0 = 1.5
    ("C-UD", "B"): 2.0,  # mori 1 + 0.5 + 0 = 1.5, kudo 1 + 1 + 0.5 = 2.5
    ("G-QL", "A"): 2.375,  # mori 3, kudo 1.75
    ("G-QL", "B"): 1.625,  # mori 1.5, kudo 1.75
}


def test_the_streams_roll_up_too(second):
    cast, framework, campaign = second
    results = shown_results(campaign)
    assert [s.code for s in results.streams["C-ID"]] == ["A", "B"]
    assert [area.code for area in results.areas] == ["C", "U", "A", "G"]
    assert list(results.areas[0].dimension_codes) == ["C-ID", "C-UD"]
    for (dimension, stream), mean in STREAMS.items():
        assert results.value(
            "by_department_stream",
            "mean",
            department_id=cast.sales.pk,
            dimension=dimension,
            stream=stream,
        ) == pytest.approx(mean), (dimension, stream)


def test_the_results_page_shows_the_figures(second, client):
    cast, framework, campaign = second
    client.force_login(cast.users.org_admin)
    page = client.get(reverse("results:campaign", args=[campaign.pk]), HTTP_ACCEPT_LANGUAGE="ja")
    assert page.status_code == 200
    html = page.content.decode()
    for code, (_mean, shown, _level) in DIMENSIONS.items():
        assert f"{shown:.2f}" in html, code
    for code, (_mean, shown, _level) in AREAS.items():
        assert f"{shown:.2f}" in html, code
    assert "1.52" in html
    assert "顧客データ活用成熟度" in html
    # The department page: each practice with its shown mean.
    page = client.get(reverse("results:department", args=[campaign.pk, cast.sales.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    for code, (_mean, shown, _level) in DIMENSIONS.items():
        assert f"{shown:.2f}" in html, code


def test_the_results_api_gives_the_figures(second, client):
    cast, framework, campaign = second
    client.force_login(cast.users.org_admin)
    response = client.get(f"/api/v1/campaigns/{campaign.pk}/results/")
    assert response.status_code == 200
    body = response.json()
    assert body["scale"] == {"min": 0, "max": 3}
    rows = {row["dimension"]: row for row in body["scores"] if row["department"] == cast.sales.pk}
    assert list(rows) == list(DIMENSIONS)
    for code, (mean, _shown, level) in DIMENSIONS.items():
        row = rows[code]
        assert (row["mean"], row["level"], row["respondents"]) == (pytest.approx(mean), level, 2)
        assert row["score"] == pytest.approx(score_0_100(mean)), code
        assert row["withheld"] is False
    for (dimension, stream), mean in STREAMS.items():
        [found] = [s for s in rows[dimension]["streams"] if s["code"] == stream]
        assert found["mean"] == pytest.approx(mean), (dimension, stream)
    [department] = body["departments"]
    assert department["department"] == cast.sales.pk
    mean, _shown, level = OVERALL
    assert department["overall"] == {
        "mean": pytest.approx(mean),
        "score": pytest.approx(50.78125),  # 1.5234375 ÷ 3 × 100
        "level": level,
    }
    assert {a["code"]: (a["mean"], a["level"]) for a in department["areas"]} == {
        code: (pytest.approx(mean), level) for code, (mean, _shown, level) in AREAS.items()
    }
    assert body["organisation"]["overall"]["mean"] == pytest.approx(mean)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_pdf_prints_the_figures_and_level_0_as_0(second):
    cast, framework, campaign = second
    text = pdf_text(build_campaign_report(campaign, language="ja"))
    assert "顧客データ活用成熟度 報告書" in text
    # The summary: overall level 1 (its title 初期) and the mean of the areas, 1.52.
    assert "全体のレベル: 1（初期）" in text and "1.52" in text
    for code, (_mean, shown, _level) in {**DIMENSIONS, **AREAS}.items():
        assert f"{shown:.2f}" in text, code
    # The area table: area, level, mean, score 0–100 (1.84375 ÷ 3 × 100 = 61.46 → 61).
    assert re.search(r"収集・統合\n1\n1\.84\n61\n", text)
    assert re.search(r"管理・体制\n1\n1\.06\n35\n", text)  # 1.0625 ÷ 3 × 100 = 35.42
    # The dimension table: a level-0 practice prints its level as 0, not the no-data dash.
    assert re.search(r"ヘルススコアと予兆\n0\n0\.50\n", text)
    assert re.search(r"プライバシーとアクセス\n0\n0\.13\n", text)
    english = pdf_text(build_campaign_report(campaign, language="en"))
    assert "Customer data maturity" in english
    assert "Collect and unify" in english and "Health score and early signals" in english
