"""Screens for any framework: a format-v2-like model (no poles, no level titles, streams,
a question's own level, guidance, criteria, references, codes with capitals and dots, a
declared sum ÷ 2 rule) shows nothing written for the customer-engagement model; the default
one shows as before."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import translation

from assessments.models import Department, Membership, Organisation, Response
from maturity.models import Area, Choice, Dimension, Framework, Level, Question, Stream
from maturity.scoring_rules import ScoringRules
from maturity.scoring_text import describe
from tests.assessments.conftest import open_campaign

pytestmark = pytest.mark.django_db

SCORING = {
    "unanswered": 0,
    "dimension": "sum_divided",
    "divisor": 2,
    "precision": 2,
}
GUIDANCE = (
    "Check **both** streams.\n\n<script>alert(1)</script>\n\n"
    "[bad](javascript:alert(1)) and [good](https://example.org/guide)"
)


def v2_framework(*, dimensions=1, slug="data-maturity"):
    """A published framework built as the v2 import stores one: scale 0–3, levels without
    titles, one area, dimensions G-SM.1 … each with streams A and B and one question per
    stream per level 1–3 (values 0–1), no poles."""
    framework = Framework.objects.create(
        slug=slug,
        version=1,
        version_label="2.2.0",
        title_ja="データ成熟度モデル",
        title_en="Data maturity model",
        description_ja="データ活用の成熟度を測ります。",
        description_en="Measures how mature data use is.",
        file_format=2,
        licence="CC-BY-4.0",
        attribution_ja="出典: 例示プロジェクト",
        attribution_en="Source: the example project",
        source_url="https://example.org/model",
        scoring=SCORING,
        languages=["ja", "en"],
        scale_min=0,
        scale_max=3,
    )
    for value in range(4):
        Level.objects.create(framework=framework, value=value)
    area = Area.objects.create(
        framework=framework, code="G", order=0, title_ja="ガバナンス", title_en="Governance"
    )
    for d in range(dimensions):
        dimension = Dimension.objects.create(
            framework=framework,
            area=area,
            code=f"G-SM.{d + 1}",
            order=d,
            title_ja=f"戦略と指標{d + 1}",
            title_en=f"Strategy and metrics {d + 1}",
        )
        streams = {
            code: Stream.objects.create(
                dimension=dimension,
                code=code,
                order=n,
                title_ja=f"ストリーム名{code}",
                title_en=f"Stream title {code}",
            )
            for n, code in enumerate("AB")
        }
        order = 0
        for code, stream in streams.items():
            for level in (1, 2, 3):
                question = Question.objects.create(
                    framework=framework,
                    dimension=dimension,
                    stream=stream,
                    code=f"G-SM.{d + 1}-{level}-{code}",
                    order=order,
                    level=level,
                    text_ja=f"質問{d + 1}-{level}-{code}",
                    text_en=f"Question {d + 1}-{level}-{code}",
                    guidance_ja=GUIDANCE if order == 0 else "",
                    guidance_en=GUIDANCE if order == 0 else "",
                    criteria=[{"ja": "文書化されている", "en": "It is written down"}]
                    if order == 0
                    else [],
                    references=[
                        {"title": {"ja": "手引き", "en": "Guide"}, "url": "https://example.org/r"},
                        {"title": {"ja": "危険", "en": "Danger"}, "url": "javascript:alert(1)"},
                    ]
                    if order == 0
                    else [],
                    value_min=Decimal("0"),
                    value_max=Decimal("1"),
                )
                order += 1
                for n, (ja, en, value) in enumerate(
                    [("いいえ", "No", "0"), ("一部", "Partly", "0.5"), ("はい", "Yes", "1")]
                ):
                    Choice.objects.create(
                        question=question, order=n, label_ja=ja, label_en=en, score=Decimal(value)
                    )
    framework.status = Framework.Status.PUBLISHED
    framework.save()
    return framework


@pytest.fixture
def respondent(client, django_user_model):
    """A signed-in manager with an open response on a one-dimension v2 framework."""
    framework = v2_framework()
    org = Organisation.objects.create(name="Data org", slug="data-org")
    dept = Department.objects.create(organisation=org, name="分析部", function="other")
    user = django_user_model.objects.create_user("analyst")
    Membership.objects.create(user=user, organisation=org, department=dept, role="manager")
    campaign = open_campaign(organisation=org, framework=framework, departments=[dept])
    client.force_login(user)
    return client, Response.objects.get(campaign=campaign), framework


def main(reply) -> str:
    """The page's own content (base.html's footer is the site's, not the framework's)."""
    html = reply.content.decode()
    return html[html.index('<main id="main"') : html.index("</main>")]


def page(response, code="G-SM.1"):
    return reverse("assessments:questionnaire", args=[response.pk, code])


# --- questionnaire ---


def test_a_code_with_capitals_and_dots_routes_to_its_page(respondent):
    client, response, _framework = respondent
    url = page(response)
    assert url.endswith("/d/G-SM.1/")
    assert resolve(url).kwargs["dimension_code"] == "G-SM.1"
    assert client.get(url).status_code == 200
    assert client.get(page(response, "g-sm.1")).status_code == 404  # codes are case-preserved


def test_the_page_shows_no_pole_labels_without_poles(respondent):
    client, response, _framework = respondent
    html = main(client.get(page(response)))
    assert "獲得型" not in html and "エンゲージメント型" not in html
    assert "q-poles" not in html
    en = main(client.get(page(response), HTTP_ACCEPT_LANGUAGE="en"))
    assert "Acquisition type" not in en and "Engagement type" not in en


def test_streams_are_sub_headings_and_questions_show_their_level(respondent):
    client, response, _framework = respondent
    html = client.get(page(response)).content.decode()
    a, b = html.index("ストリーム名A"), html.index("ストリーム名B")
    # Stream A's three questions come under its heading, then stream B's.
    assert a < html.index("質問1-1-A") < html.index("質問1-3-A") < b < html.index("質問1-1-B")
    assert html.count('class="q-stream-title"') == 2
    assert html.count("レベル1</span>") == 2 and html.count("レベル3</span>") == 2
    # Numbered 1–6 across both streams; each question reachable by its heading's id.
    assert '<span class="q-number">6.</span> 質問1-3-B' in html
    assert 'id="q-G-SM.1-2-B"' in html
    en = client.get(page(response), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Level 2</span>" in en and "Stream title B" in en


def test_guidance_is_sanitised_markdown_with_criteria_and_links(respondent):
    client, response, _framework = respondent
    html = client.get(page(response)).content.decode()
    assert html.count('<details class="q-help q-guidance">') == 1  # only the first question
    assert "<strong>both</strong>" in html
    assert "<script>alert(1)</script>" not in html and "javascript:" not in html
    assert '<a href="https://example.org/guide" rel="noopener noreferrer">good</a>' in html
    assert "<li>文書化されている</li>" in html
    assert '<a href="https://example.org/r" rel="noopener noreferrer">手引き</a>' in html
    assert "<li>危険</li>" in html  # a non-http(s) reference is named, never linked
    assert "品質基準" in html and "参考資料" in html


def test_the_review_links_to_each_question_by_its_heading(respondent):
    client, response, _framework = respondent
    html = client.get(reverse("assessments:response-review", args=[response.pk])).content.decode()
    assert f'href="{page(response)}#q-G-SM.1-1-A"' in html


def test_the_page_query_count_stays_constant_with_streams_and_guidance(client, django_user_model):
    counts = []
    for size, slug in ((1, "small"), (8, "large")):
        framework = v2_framework(dimensions=size, slug=slug)
        org = Organisation.objects.create(name=slug, slug=slug)
        dept = Department.objects.create(organisation=org, name="部", function="other")
        user = django_user_model.objects.create_user(f"user-{slug}")
        Membership.objects.create(user=user, organisation=org, department=dept, role="manager")
        campaign = open_campaign(organisation=org, framework=framework, departments=[dept])
        client.force_login(user)
        url = page(Response.objects.get(campaign=campaign))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    # 6 questions and 2 streams against 48 questions and 16 streams: the same queries.
    assert counts[0] == counts[1]
    assert counts[0] <= 14


# --- framework page ---


def framework_page(client, language="ja"):
    return main(
        client.get(
            reverse("maturity:framework-detail", args=["data-maturity"]),
            HTTP_ACCEPT_LANGUAGE=language,
        )
    )


def test_the_framework_page_shows_metadata_hierarchy_and_rule(client):
    v2_framework()
    html = framework_page(client)
    assert "バージョン 2.2.0" in html or "version 2.2.0" in html
    assert "CC-BY-4.0" in html and "出典: 例示プロジェクト" in html
    assert '<a href="https://example.org/model" rel="noopener noreferrer">' in html
    # Area → dimension → stream, in the table of contents and the body.
    assert html.index("ガバナンス") < html.index("戦略と指標1") < html.index("ストリーム名A")
    assert 'href="#stream-G-SM.1-B"' in html and 'id="stream-G-SM.1-B"' in html
    # The declared rule in words: sum of the values ÷ 2, unanswered as 0, the default level.
    assert "評価軸のスコアは各設問の値（重み付き）の合計を 2 で割った値です。" in html
    assert "未回答の設問は値 0 として数えます。" in html
    assert "レベルはスコアの小数点以下を切り捨てた値です" in html
    assert "獲得型" not in html and "エンゲージメント型" not in html


def test_level_zero_and_untitled_levels_are_named_by_number(client):
    v2_framework()
    html = framework_page(client)
    for n in range(4):
        assert f'<span class="level-number" aria-hidden="true">{n}</span>' in html
        assert f"<strong>レベル{n}</strong>" in html
    en = framework_page(client, "en")
    assert "<strong>Level 0</strong>" in en and "Level 0: " not in en


def test_the_framework_page_speaks_english(client):
    v2_framework()
    html = framework_page(client, "en")
    assert "Data maturity model" in html and "Stream title A" in html
    assert "divided by 2." in html and "counts as a value of 0." in html
    assert "Acquisition type" not in html


def test_the_default_framework_page_keeps_titles_and_poles(client, sample_framework):
    html = client.get(reverse("maturity:framework-detail", args=["sample"])).content.decode()
    assert "<strong>レベル3: レベル3</strong>" in html  # the sample's level 3 is titled レベル3
    assert "獲得型" in html and "新規受注だけを追う" in html
    assert "未回答の設問は計算に含めません。" in html


# --- scoring in words ---


def test_describe_says_the_default_rule():
    with translation.override("en"):
        lines = describe(ScoringRules(), (1, 5))
    assert lines == [
        "A dimension's score is the weighted mean of its questions' values, each mapped onto "
        "the 1–5 scale.",
        "Unanswered questions are left out.",
        "Questions answered N/A are left out.",
        "An area's score is the mean of its dimensions' scores.",
        # Without a scoring block the engine keeps today's overall figure
        # (ScoringRules.effective_overall): the mean of the dimension means.
        "The overall score is the mean of the dimensions' scores.",
        "The level is the score rounded down (2.7 is level 2).",
        # 2.335 to two places, half up: 2.34 (banker's rounding of the float would give 2.33).
        "Scores are shown to 2 decimal places, rounded half up (2.335 → 2.34).",
    ]


def test_describe_says_a_declared_overall_rule():
    with translation.override("en"):
        lines = describe(ScoringRules.from_data({"overall": "mean_of_areas"}), (0, 3))
    assert lines[4] == "The overall score is the mean of the areas' scores."


def test_describe_says_thresholds_streams_and_gates():
    rules = ScoringRules.from_data(
        {
            "dimension": "mean_of_streams",
            "stream": "sum",
            "not_applicable": 0,
            "level": {"rule": "thresholds", "thresholds": [{"level": 1, "from": 0.5}]},
            "precision": 0,
        }
    )
    with translation.override("en"):
        lines = describe(rules, (0, 3), areas=False)
        gated = describe(ScoringRules.from_data({"level": {"rule": "gated", "gate": 1}}), (0, 3))
    assert lines[0] == (
        "A dimension's score is the mean of its streams' scores; a stream's score is the sum "
        "of its questions' values (each times its weight)."
    )
    assert lines[2] == "A question answered N/A counts as a value of 0."
    assert lines[3] == "The overall score is the mean of the dimensions' scores."
    assert lines[4] == (
        "The level is set by thresholds on the score: level 1 from 0.5; below them, level 0."
    )
    assert lines[5] == "Scores are shown to 0 decimal places, rounded half up (2.5 → 3)."
    assert "at least 1 and every level below it is reached" in gated[5]


# --- home page ---


def test_the_home_page_speaks_of_the_framework_in_use(respondent):
    client, _response, _framework = respondent
    html = main(client.get(reverse("home")))
    assert '<p class="eyebrow">データ成熟度モデル</p>' in html
    assert "データ活用の成熟度を測ります。" in html
    assert "顧客エンゲージメント" not in html and "エンゲージメント型" not in html
    assert reverse("maturity:framework-detail", args=["data-maturity"]) in html


def test_the_home_page_without_a_framework_is_neutral(client):
    html = main(client.get(reverse("home")))
    assert '<p class="eyebrow">成熟度レベルチェック</p>' in html
    assert "成熟度モデルの評価軸ごとに各部門のレベルを示し" in html
    assert "エンゲージメント" not in html


def test_markdown_is_rendered_once_for_every_app():
    from maturity.rendering import render_markdown
    from training import rendering

    assert rendering.render_markdown is render_markdown
    assert str(render_markdown("[x](javascript:alert(1)) **y**")) == (
        '<p><a rel="noopener noreferrer">x</a> <strong>y</strong></p>'
    )


def test_a_department_function_matters_only_where_questions_use_functions(sample_framework):
    from maturity.templatetags.maturity_text import uses_functions

    # The sample's kpi-q1 and data-q1 are for sales only; the v2 model asks everyone.
    assert uses_functions(sample_framework) is True
    assert uses_functions(v2_framework()) is False
    assert uses_functions(None) is False
