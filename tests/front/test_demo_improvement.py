"""The improvement loop's demo data (front.demo_improvement, run by setup_demo): actions in
every status with owners, modules and history, evidence approved, pending and rejected (one
file, one due for re-certification), a milestone, published and draft commentary; a second
run adds nothing."""

import io
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from assessments.access import standing_in
from assessments.models import Campaign, Department, Organisation
from improvement.loop.selectors import department_loop
from improvement.models import Action, ActionEvent, Commentary, Evidence, Milestone
from maturity.framework_file import load_framework_file
from maturity.framework_io import import_framework
from results.loader import shown_results
from training.services import import_modules

pytestmark = pytest.mark.django_db

FRAMEWORK_FILE = Path(settings.BASE_DIR) / "maturity" / "frameworks" / "customer-engagement.yaml"
CURRENT = "2026年度 下期 レベルチェック"
PREVIOUS = "2026年度 上期 レベルチェック"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def demo(media):
    """The demo on the shipped framework and modules, its files under ``media``."""
    source = FRAMEWORK_FILE.name
    import_framework(load_framework_file(FRAMEWORK_FILE.read_bytes(), source=source), source=source)
    import_modules(directory=Path(settings.BASE_DIR) / "training" / "content")
    call_command("setup_demo", stdout=io.StringIO())
    organisation = Organisation.objects.get(slug="sample-saas")
    return SimpleNamespace(
        organisation=organisation,
        sales=Department.objects.get(organisation=organisation, name="営業部"),
        admin=get_user_model().objects.get(username="sato"),
    )


def counts() -> dict:
    return {
        "actions": Action.objects.count(),
        "events": ActionEvent.objects.count(),
        "evidence": Evidence.objects.count(),
        "milestones": Milestone.objects.count(),
        "commentary": Commentary.objects.count(),
    }


def test_the_demo_has_actions_in_every_status_with_owners_modules_and_history(demo, media):
    current = Campaign.objects.get(name=CURRENT)
    actions = Action.objects.filter(campaign=current)
    by_status = dict(actions.values_list("status").annotate(n=Count("pk")))
    assert by_status == {"planned": 3, "in_progress": 2, "done": 1, "dropped": 1}
    today = timezone.localdate()
    overdue = [a.title for a in actions if a.is_open and a.due_on and a.due_on < today]
    assert overdue == ["引き継ぎ時の顧客情報を CRM に残す"]
    assert not actions.filter(owner__isnull=True).exists()
    sales = actions.filter(department=demo.sales)
    assert sales.count() == 6
    assert all(a.modules.exists() for a in sales)  # the plan's modules (make run imports them)
    done = actions.get(status="done")
    assert done.completed_at is not None
    # Created, then moved to in progress, then done: three events.
    assert list(done.events.values_list("kind", flat=True)) == ["created", "changed", "changed"]


def test_the_demo_has_evidence_approved_pending_and_rejected_with_a_file(demo, media):
    current = Campaign.objects.get(name=CURRENT)
    evidence = Evidence.objects.filter(campaign=current)
    assert dict(evidence.values_list("status").annotate(n=Count("pk"))) == {
        "approved": 2,
        "pending": 2,
        "rejected": 1,
    }
    assert set(evidence.values_list("kind", flat=True)) == {"text", "link", "file"}
    stored = evidence.get(kind="file")
    assert stored.size > 0 and stored.original_name == "kpi-definitions.txt"
    assert (media / stored.file.name).read_bytes().decode("utf-8").startswith("KPI定義書")
    due = evidence.filter(status="approved", recertify_on__lte=timezone.localdate())
    assert due.count() == 1
    assert evidence.filter(answer__isnull=False).count() == 2
    assert evidence.filter(action__isnull=False).count() == 3


def test_the_demo_has_a_milestone_and_published_and_draft_commentary(demo, media):
    assert list(Milestone.objects.values_list("campaign__name", "name")) == [
        (PREVIOUS, "上期 確定値")
    ]
    current = Campaign.objects.get(name=CURRENT)
    rows = {
        (c.department.name if c.department else None): c.status
        for c in Commentary.objects.filter(campaign=current).select_related("department")
    }
    assert rows == {None: "published", "営業部": "published", "カスタマーサクセス部": "draft"}


def test_the_demo_loop_of_sales_runs_from_gap_to_change(demo, media):
    current = Campaign.objects.get(name=CURRENT)
    loop = department_loop(
        shown_results(current),
        demo.sales,
        standing=standing_in(demo.admin, demo.organisation.pk),
    )
    assert not loop.withheld
    assert (loop.delta_kind, loop.delta_name) == ("previous", PREVIOUS)
    first = loop.steps[0]
    assert first.plan is not None and first.plan.rank == 1
    assert {a.title for a in first.actions} == {
        "KPIの定義を全社で揃える",
        "週次の解約レビュー会を始める",
    }
    assert first.training and first.delta is not None
    # The page and the PDF lead with the plan's first three steps (the actions are on them).
    assert [s.plan.rank for s in loop.leading] == [1, 2, 3]
    assert len(loop.steps) > 3
    # Training: modules the actions link or somebody was assigned, not every module.
    for step in loop.steps:
        for line in step.training:
            assert line.linked or line.assigned or line.read or line.passed


def test_the_demo_department_page_links_to_the_rest_of_the_loop(client, demo, media):
    current = Campaign.objects.get(name=CURRENT)
    client.force_login(demo.admin)
    html = client.get(
        reverse("results:department", args=[current.pk, demo.sales.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    loop = html[html.index('id="loop"') : html.index('id="dims-heading"')]
    assert loop.count('class="loop-step"') == 3
    rest = reverse("improvement:loop", args=[current.pk, demo.sales.pk])
    assert f'href="{rest}"' in loop and "more dimensions of the plan" in loop
    page = client.get(rest).content.decode()
    assert page.count('class="loop-step"') > 3


def test_running_the_demo_again_adds_nothing(demo, media):
    before = counts()
    assert before == {
        "actions": 7,
        "events": 7 + 6,  # one "created" each, one "changed" per status move
        "evidence": 5,
        "milestones": 1,
        "commentary": 3,
    }
    call_command("setup_demo", stdout=io.StringIO())
    assert counts() == before
