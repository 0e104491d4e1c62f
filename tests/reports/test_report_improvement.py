"""The improvement loop in the PDF (reports.improvement_report), read back from the PDF's
text: the consultant's published commentary after the executive summary and under the
department's table, never a draft; the roadmap's buckets after the plan; and each
department's loop section with its actions and their statuses."""

import datetime

import pytest
from django.utils import timezone

from assessments import services
from assessments.models import Response
from improvement.actions.services import create_action, move_action
from improvement.commentary.services import publish_commentary, save_commentary
from reports.campaign_report import build_campaign_report
from tests.assessments.conftest import answer_all
from tests.reports.test_campaign_report import pages_text
from tests.training.conftest import write_module
from training.models import Module
from training.services import import_modules

pytestmark = pytest.mark.django_db


def flat(pdf: bytes) -> str:
    return " ".join(" ".join(pages_text(pdf)).split())


@pytest.fixture
def reported(cast, tmp_path):
    """Both departments shown (threshold 1); Sales at the bottom, so both dimensions are in
    its plan. Published campaign commentary, published Sales commentary, a draft for Customer
    Success, and Sales actions in every status (one overdue)."""
    cast.campaign.anonymity_threshold = 1
    cast.campaign.save()
    write_module(tmp_path)
    import_modules(directory=tmp_path)
    answer_all(cast.response, cast.questions, 0)
    answer_all(cast.other_response, cast.questions, 1)
    consultant = services.add_respondent(
        campaign=cast.campaign,
        department=cast.sales,
        user=cast.users.consultant,
        rater_role=Response.RaterRole.CONSULTANT,
        notify=False,
    )
    answer_all(consultant, cast.questions, 0)
    by = cast.users.consultant
    published = save_commentary(
        campaign=cast.campaign,
        narrative="全社ナラティブ: 解約率の改善が最優先です。",
        findings="- 主要所見: 指標の定義が部門ごとに違う",
        by=by,
    )
    publish_commentary(commentary=published, by=by)
    sales = save_commentary(
        campaign=cast.campaign,
        department=cast.sales,
        narrative="営業の講評: 受注後の引き継ぎが弱い。",
        findings="",
        by=by,
    )
    publish_commentary(commentary=sales, by=by)
    save_commentary(
        campaign=cast.campaign,
        department=cast.success,
        narrative="下書きの講評: まだ見せない。",
        findings="",
        by=by,
    )
    today = timezone.localdate()
    module = Module.objects.get(slug="ltv-basics")

    def action(title, status, due_days, code="kpi"):
        created = create_action(
            campaign=cast.campaign,
            department=cast.sales,
            dimension_code=code,
            title=title,
            owner=cast.users.manager,
            due_on=today + datetime.timedelta(days=due_days) if due_days is not None else None,
            modules=[module],
            by=by,
        )
        if status != "planned":
            created = move_action(action=created, status=status, by=by)
        return created

    cast.actions = [
        action("指標定義の統一", "in_progress", 20),
        action("週次の解約レビュー", "planned", 45),
        action("四半期の顧客会議", "planned", 75, code="data"),
        action("ヘルススコア導入", "planned", None, code="data"),
        action("旧CRMの整理", "done", 10),
        action("展示会の見直し", "dropped", 10),
    ]
    # Overdue: due in the past (written straight to the row: the service refuses a past
    # due date on creation).
    overdue = action("引き継ぎ手順書", "planned", 5)
    type(overdue).objects.filter(pk=overdue.pk).update(due_on=today - datetime.timedelta(days=3))
    return cast


def test_the_published_narrative_follows_the_summary_before_the_organisation(reported):
    text = flat(build_campaign_report(reported.campaign, language="en"))
    # The contents page lists the chapters too: read the body after it.
    body = text[text.index("Overall level") :]
    summary = body.index("The three most important actions")
    narrative = body.index("全社ナラティブ: 解約率の改善が最優先です。")
    findings = body.index("主要所見: 指標の定義が部門ごとに違う")
    organisation = body.index("Organisation by dimension")
    assert summary < narrative < findings < organisation


def test_a_department_commentary_follows_its_table_and_a_draft_never_appears(reported):
    text = flat(build_campaign_report(reported.campaign, language="en"))
    assert "下書きの講評" not in text
    sales = text.index("営業の講評: 受注後の引き継ぎが弱い。")
    # After the Sales table (its "Where you are" header) and before the plan chapter.
    table = text.rindex("Where you are", 0, sales)
    assert table < sales < text.index("Improvement plan", sales)
    department = build_campaign_report(
        reported.campaign, department=reported.success, language="ja"
    )
    assert "下書きの講評" not in flat(department)


def test_the_loop_section_lists_the_departments_actions_with_their_statuses(reported):
    text = flat(build_campaign_report(reported.campaign, department=reported.sales, language="en"))
    loop = text.rindex("From gap to re-assessment")
    section = text[loop:]
    for title, status in [
        ("指標定義の統一", "In progress"),
        ("週次の解約レビュー", "Planned"),
        ("四半期の顧客会議", "Planned"),
        ("旧CRMの整理", "Done"),
        ("展示会の見直し", "Dropped"),
    ]:
        assert f"[{status}] {title}" in section
    assert "[Planned] 引き継ぎ手順書 (overdue)" in section
    assert "LTV basics: assigned 0, passed 0 of 2" in section
    assert "→ level 2 (gap 1.00)" in section
    # The loop comes after the roadmap and before the learning chapter.
    assert text.rindex("30/60/90-day roadmap", 0, loop) < loop < text.index("Learning", loop)


def test_the_roadmap_puts_open_actions_in_their_buckets_after_the_plan(reported):
    text = flat(build_campaign_report(reported.campaign, language="en"))
    start = text.rindex("30/60/90-day roadmap")
    assert text.rindex("Improvement plan", 0, start) < start
    section = text[start : text.index("From gap to re-assessment", start)]
    buckets = [
        section.index(label)
        for label in ("Within 30 days", "31–60 days", "61–90 days", "Later or no date")
    ]
    assert buckets == sorted(buckets)
    within, sixty, ninety, later = buckets
    assert within < section.index("引き継ぎ手順書") < section.index("指標定義の統一") < sixty
    assert sixty < section.index("週次の解約レビュー") < ninety
    assert ninety < section.index("四半期の顧客会議") < later < section.index("ヘルススコア導入")
    # Done and dropped actions are not on the roadmap.
    assert "旧CRMの整理" not in section and "展示会の見直し" not in section


def test_the_sections_are_in_japanese_too(reported):
    # Japanese wraps anywhere in a narrow cell: read it without the line breaks.
    text = "".join(flat(build_campaign_report(reported.campaign, language="ja")).split())
    loop = text[text.rindex("ギャップから再診断まで") :]
    assert "指標定義の統一" in loop and "引き継ぎ手順書(期限超過)" in loop
    assert "改善アクション" in loop and "学習と確認テスト" in loop
    assert (
        "コンサルタントの所見" in text
        and "主な所見" in text
        and "30日以内" in text
        and "30/60/90日ロードマップ" in text
    )
    assert "ギャップから再診断まで" in text


def test_the_loop_section_lists_approved_evidence_and_counts_the_rest(reported):
    from improvement.evidence.services import add_evidence, review_evidence
    from improvement.models import Evidence

    def evidence(title, action):
        return add_evidence(
            campaign=reported.campaign,
            department=reported.sales,
            action=action,
            kind=Evidence.Kind.TEXT,
            title=title,
            text="議事録を保管しています。",
            by=reported.users.consultant,
        )

    approved = evidence("解約レビュー議事録", reported.actions[0])
    review_evidence(evidence=approved, decision="approved", comment="", by=reported.users.org_admin)
    evidence("未確認の資料", reported.actions[1])
    text = flat(build_campaign_report(reported.campaign, department=reported.sales, language="en"))
    section = text[text.rindex("From gap to re-assessment") :]
    assert "Evidence: 1 approved, 1 awaiting review, 0 rejected." in section
    assert "解約レビュー議事録 (Text, approved" in section
    assert "for: 指標定義の統一" in section
    assert "未確認の資料" not in section  # pending evidence is counted, not listed
    ja = flat(build_campaign_report(reported.campaign, department=reported.sales, language="ja"))
    assert "エビデンス: 承認済み 1 件、レビュー待ち 1 件、却下 0 件。" in ja
