"""The roll-up in the PDF report, read back as text (pypdf): the organisation's area table and
heatmap, each department's area rows and streams, the overall figure by the declared rule,
level 0 printed as 0, and the framework's own title. The numbers are those worked out in
tests/results/test_rollup_outputs.py's docstring."""

import pytest

from reports.campaign_report import build_campaign_report
from tests.reports.test_campaign_report import pages_text
from tests.results.test_rollup_outputs import make_rolled_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def rolled_up(cast):
    return make_rolled_up(cast)


def lines(pdf: bytes) -> list[str]:
    """Every extracted line of the report (a table cell is a line of its own)."""
    return [line.strip() for page in pages_text(pdf) for line in page.splitlines()]


def follows(found: list[str], expected: list[str]) -> bool:
    """Whether ``expected`` occurs as consecutive lines of ``found`` (one table row)."""
    return any(found[i : i + len(expected)] == expected for i in range(len(found)))


def test_the_organisation_part_has_the_area_table(rolled_up):
    found = lines(build_campaign_report(rolled_up.rollup, language="ja"))
    # The numbered caption above the table (表1 is the summary's strengths and gaps).
    start = found.index("表2 領域別の組織全体")
    assert found[start + 1 : start + 5] == ["領域", "レベル", "平均", "スコア"]
    # Area G: (2.25 + 0.1875) ÷ 2 = 1.21875 → 1.22, level 1 (thresholds), 40.625 → 41.
    assert found[start + 5 : start + 9] == ["ガバナンス", "1", "1.22", "41"]
    # Area D: (0 + 3) ÷ 2 = 1.50, level 1, 50.
    assert found[start + 9 : start + 13] == ["設計", "1", "1.50", "50"]


def test_the_area_heatmap_prints_each_departments_area_means(rolled_up):
    found = lines(build_campaign_report(rolled_up.rollup, language="ja"))
    start = found.index("表2 領域別の組織全体") + 13
    # Departments by name: Customer Success G 0.1875 → 0.2, D 3.0; Sales G 2.25 → 2.3 (half-up
    # at one decimal), D 0.0.
    assert found[start : start + 8] == [
        "ガバナンス",
        "設計",
        "Customer Success",
        "0.2",
        "3.0",
        "Sales",
        "2.3",
        "0.0",
    ]


def test_each_department_section_has_its_area_rows_with_level_zero_as_zero(rolled_up):
    found = lines(build_campaign_report(rolled_up.rollup, language="ja"))
    # Sales: area G 2.25, level 1 (below 2.3), 75/100, organisation 1.22; area D 0.00 at level
    # 0 (printed 0, not the dash), 0/100, organisation 1.50.
    assert follows(found, ["ガバナンス", "1", "2.25", "75", "1.22"])
    assert follows(found, ["設計", "0", "0.00", "0", "1.50"])
    # Its dimension D-TA is level 0 too: title, level 0, mean 0.00, organisation 1.50.
    assert follows(found, ["脅威の評価", "0", "0.00", "1.50"])
    # Customer Success: area G 0.1875 → 0.19, level 0, 6/100 (6.25).
    assert follows(found, ["ガバナンス", "0", "0.19", "6", "1.22"])


def test_streams_follow_their_dimension(rolled_up):
    found = lines(build_campaign_report(rolled_up.rollup, language="ja"))
    # Customer Success, G-SM 0.375 → 0.38 (half-up), level 0, organisation 1.6875 → 1.69;
    # then its streams A 0.75 and B 0.00.
    assert follows(
        found, ["戦略と指標", "0", "0.38", "1.69", "–", "–", "· 作る", "0.75", "· 守る", "0.00"]
    )
    # The organisation table: G-SM 1.69 then streams (3 + 0.75) ÷ 2 = 1.875 → 1.88, 1.50.
    assert follows(found, ["戦略と指標", "1", "1.69", "–", "· 作る", "1.88", "· 守る", "1.50"])


def test_the_overall_figure_is_the_declared_rule_rounded_half_up(rolled_up):
    pdf = build_campaign_report(rolled_up.rollup, department=rolled_up.sales, language="ja")
    text = "\n".join(pages_text(pdf))
    # Sales: mean of areas (2.25 + 0) ÷ 2 = 1.125 → 1.13 (banker's rounding would print 1.12).
    assert "全体のレベル: 1（初期）。0〜3 の尺度で平均 1.13 です。" in text
    organisation = "\n".join(pages_text(build_campaign_report(rolled_up.rollup, language="en")))
    # (1.125 + 1.59375) ÷ 2 = 1.359375 → 1.36.
    assert "Overall level: 1 (Initial), mean 1.36 on the 0–3 scale." in organisation


def test_the_title_is_the_frameworks_own(rolled_up):
    ja = pages_text(build_campaign_report(rolled_up.rollup, language="ja"))[0]
    assert "ロールアップ成熟度 報告書" in ja and "レベルチェック診断" not in ja
    assert "ロールアップ成熟度 v1.0.0" in ja  # the framework as published, with its version
    en = pages_text(
        build_campaign_report(rolled_up.rollup, department=rolled_up.sales, language="en")
    )[0]
    assert "Roll-up maturity: report for Sales" in en


def test_a_plan_step_without_recommendations_gives_its_target(rolled_up):
    text = "\n".join(pages_text(build_campaign_report(rolled_up.rollup, language="en")))
    # No level texts in this framework: Sales' first step is D-TA, 0.00 → target level 1.
    assert "1. Sales · Threat assessment: 0.00 → target level 1" in text
    assert "No learning module serves the first steps of the plan." in text


def test_the_default_framework_report_keeps_its_title_and_has_no_streams(cast):
    from django.conf import settings

    from maturity.models import Framework
    from tests.assessments.conftest import answer_all

    Framework.objects.filter(pk=cast.framework.pk).update(slug=settings.DEFAULT_FRAMEWORK_SLUG)
    cast.campaign.refresh_from_db()
    cast.campaign.anonymity_threshold = 1
    cast.campaign.save()
    answer_all(cast.response, cast.questions, 1)  # Sales: 3 everywhere
    found = lines(build_campaign_report(cast.campaign, language="ja"))
    assert "レベルチェック診断 報告書" in found
    # The one area (strategy) of both dimensions: 3.00, level 3, (3 − 1) ÷ 4 × 100 = 50.
    start = found.index("表2 領域別の組織全体")
    assert found[start + 5 : start + 9] == ["戦略", "3", "3.00", "50"]
    assert not [line for line in found if line.startswith("· ")]  # no stream rows
