"""Demo data for the improvement loop, so ``make run`` and the demo report show all of it:
営業部's actions in every status (one overdue) with owners, linked modules and their change
history, evidence approved, pending and rejected (text, a link and a small text file; one
approved with its re-certification date reached), a milestone, and the consultant's
commentary (the campaign's and 営業部's published, カスタマーサクセス部's a draft).

Everything goes through the improvement services, as a user's writes would. Idempotent:
each part is skipped when the demo already has it."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from assessments.models import Answer, Campaign, Response
from improvement.actions.services import create_action, move_action
from improvement.commentary.services import publish_commentary, save_commentary
from improvement.evidence.services import add_evidence, review_evidence
from improvement.milestones.services import take_milestone
from improvement.models import Action, Commentary, Evidence, Milestone
from results.loader import shown_results
from results.plan import plan_rows
from training.selectors import modules, modules_for_steps

MILESTONE = "上期 確定値"
CAMPAIGN_NARRATIVE = """\
前回（上期）から全部門で平均が上がりましたが、**評価と報酬がまだ新規受注に偏っている**ため、
営業部では顧客の継続を追う動きが定着していません。

下期は「指標の定義を揃える」「引き継ぎを仕組みにする」の二つに絞って進めます。
"""
CAMPAIGN_FINDINGS = """\
- 解約率・継続率の定義が部門ごとに異なり、会議のたびに数字が食い違う
- カスタマーサクセス部の実践は社内の手本になる水準
- 営業部の評価制度は受注額のみで、継続への貢献が評価されない
"""
SALES_NARRATIVE = """\
営業部は受注後の引き継ぎが属人的で、オンボーディングの質が担当者によって大きく異なります。
まず **KPIの定義** を揃え、週次で解約の兆しを確認する場を作ることから始めてください。
"""
SALES_FINDINGS = """\
- 受注額以外のKPIが定義されていない
- 引き継ぎの手順書がなく、顧客情報が CRM に残らない
"""
SUCCESS_DRAFT = "カスタマーサクセス部の講評（下書き）: ヘルススコアの運用を全社に広げる案を検討中。"
EVIDENCE_FILE = "KPI定義書（案）\n解約率 = 期間中の解約社数 ÷ 期首の契約社数\n継続率 = 1 − 解約率\n"


def setup_improvement_demo(*, organisation, departments, previous, current, users, consultant):
    """The improvement loop's demo rows for the open campaign ``current`` (and a milestone
    of the closed ``previous``); ``users`` by username. Owners and evidence authors are
    people the results pages already name (shown respondents, staff, the org admin), so a
    demo page names nobody the anonymity tests keep unnamed (tests/results/test_privacy.py)."""
    actions = _actions(current, departments, users, consultant)
    _evidence(current, departments, users, consultant, actions)
    _milestone(previous, consultant)
    _commentary(current, departments, consultant)


def _actions(current: Campaign, departments, users, consultant) -> dict[str, Action]:
    existing = {a.title: a for a in Action.objects.filter(campaign=current)}
    if existing:
        return existing
    sales = departments["sales"]
    today = timezone.localdate()
    steps = plan_rows(shown_results(current), sales.pk)
    codes = [step.dimension.code for step in steps[:3]]
    catalogue = list(modules().order_by("order", "slug"))
    linked = {
        step.dimension.code: [module for module, _step in modules_for_steps([step], catalogue)][:1]
        for step in steps[:3]
    }
    if len(codes) < 3:  # no scores yet: the framework's first dimensions
        codes = list(current.framework.dimensions.order_by("order").values_list("code", flat=True))
        codes = (codes + codes)[:3]

    def days(n):
        return today + datetime.timedelta(days=n)

    rows = [
        # title, department, dimension, owner, due, planned level, status steps
        ("KPIの定義を全社で揃える", sales, codes[0], "kobayashi", days(20), 3, ["in_progress"]),
        ("週次の解約レビュー会を始める", sales, codes[0], "inoue", days(45), 3, []),
        ("受注後の引き継ぎ手順書を作る", sales, codes[1], "matsumoto", days(10), 3,
         ["in_progress", "done"]),
        ("引き継ぎ時の顧客情報を CRM に残す", sales, codes[1], "nakamura", days(-5), 3, []),
        ("展示会のリード目標を見直す", sales, codes[2], "inoue", days(30), 2,
         ["in_progress", "dropped"]),
        ("継続率を評価制度に入れる案を作る", sales, codes[2], "sato", days(75), 3, []),
        ("ヘルススコアの運用を他部門に紹介する", departments["customer_success"],
         "customer-success", "kato", days(25), None, ["in_progress"]),
    ]  # fmt: skip
    created = {}
    for title, department, code, owner, due, level, moves in rows:
        action = create_action(
            campaign=current,
            department=department,
            dimension_code=code,
            title=title,
            owner=users.get(owner, consultant),
            due_on=due,
            planned_level=level,
            modules=linked.get(code, []) if department == sales else [],
            by=consultant,
        )
        for status in moves:
            action = move_action(action=action, status=status, by=users.get(owner, consultant))
        created[title] = action
    return created


def _answer_of(current: Campaign, username: str) -> Answer | None:
    return (
        Answer.objects.filter(
            response__campaign=current,
            response__respondent__username=username,
            response__status=Response.Status.SUBMITTED,
            choice__isnull=False,
        )
        .select_related("response", "question")
        .order_by("question__dimension__order", "question__order", "pk")
        .first()
    )


def _evidence(current: Campaign, departments, users, consultant, actions) -> None:
    if Evidence.objects.filter(campaign=current).exists():
        return
    sales = departments["sales"]
    today = timezone.localdate()
    done = actions.get("受注後の引き継ぎ手順書を作る")
    doing = actions.get("KPIの定義を全社で揃える")
    if done is not None:
        approved = add_evidence(
            campaign=current,
            department=sales,
            action=done,
            kind=Evidence.Kind.TEXT,
            title="引き継ぎ手順書 第1版",
            text="営業からCSへの引き継ぎ項目（契約内容・期待値・主要担当者）を12項目に整理し、"
            "部内レビューを終えた。",
            by=users["matsumoto"],
        )
        review_evidence(
            evidence=approved, decision="approved", comment="確認しました。", by=consultant
        )
    if doing is not None:
        add_evidence(
            campaign=current,
            department=sales,
            action=doing,
            kind=Evidence.Kind.LINK,
            title="KPI定義の検討メモ（社内Wiki）",
            url="https://wiki.sample-saas.example/kpi-definitions",
            by=users["kobayashi"],
        )
        add_evidence(
            campaign=current,
            department=sales,
            action=doing,
            kind=Evidence.Kind.FILE,
            title="KPI定義書（案）",
            file=ContentFile(EVIDENCE_FILE.encode("utf-8"), name="kpi-definitions.txt"),
            by=users["kobayashi"],
        )
    answer = _answer_of(current, "inoue")
    if answer is not None:
        recertified = add_evidence(
            campaign=current,
            department=sales,
            answer=answer,
            kind=Evidence.Kind.TEXT,
            title="四半期ごとの目標見直し記録",
            text="2026年度の四半期レビュー議事録に、継続率の目標と実績が記載されている。",
            recertify_on=today,  # reached today: re-certification due
            by=users["inoue"],
        )
        review_evidence(evidence=recertified, decision="approved", by=users["sato"])
    answer = _answer_of(current, "kobayashi")
    if answer is not None:
        rejected = add_evidence(
            campaign=current,
            department=sales,
            answer=answer,
            kind=Evidence.Kind.TEXT,
            title="顧客満足度の測定",
            text="年1回アンケートを実施している。",
            by=users["kobayashi"],
        )
        review_evidence(
            evidence=rejected,
            decision="rejected",
            comment="実施結果（回答数・日付）が分かる資料を添えてください。",
            by=consultant,
        )


def _milestone(previous: Campaign | None, consultant) -> None:
    if previous is None or Milestone.objects.filter(campaign=previous, name=MILESTONE).exists():
        return
    take_milestone(
        campaign=previous,
        name=MILESTONE,
        taken_on=min(previous.closes_on, timezone.localdate()),
        by=consultant,
    )


def _commentary(current: Campaign, departments, consultant) -> None:
    if Commentary.objects.filter(campaign=current).exists():
        return
    for department, narrative, findings, publish in (
        (None, CAMPAIGN_NARRATIVE, CAMPAIGN_FINDINGS, True),
        (departments["sales"], SALES_NARRATIVE, SALES_FINDINGS, True),
        (departments["customer_success"], SUCCESS_DRAFT, "", False),
    ):
        commentary = save_commentary(
            campaign=current,
            department=department,
            narrative=narrative,
            findings=findings,
            by=consultant,
        )
        if publish:
            publish_commentary(commentary=commentary, by=consultant)
