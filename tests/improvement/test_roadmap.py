"""The 30/60/90-day roadmap (improvement.commentary.roadmap): open actions by due date counted
from today, at each bucket's edges (day 30 vs 31, 60 vs 61, 90 vs 91), overdue flagged, done
and dropped left out, one department or the whole campaign, in a bounded number of queries."""

import datetime

import pytest
from django.utils import translation

from improvement.commentary.roadmap import bucket_key, roadmap
from improvement.models import Action

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)


def day(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def action(cast, title, *, due=None, status=Action.Status.PLANNED, department=None, owner=None):
    return Action.objects.create(
        campaign=cast.campaign,
        department=department or cast.sales,
        dimension_code="kpi",
        title=title,
        status=status,
        due_on=due,
        owner=owner,
    )


def titles(plan) -> dict[str, list[str]]:
    return {bucket.key: [item.title for item in bucket.items] for bucket in plan.buckets}


@pytest.mark.parametrize(
    ("days", "key"),
    [
        (-400, "30"),
        (-1, "30"),
        (0, "30"),
        (30, "30"),
        (31, "60"),
        (60, "60"),
        (61, "90"),
        (90, "90"),
        (91, "later"),
        (5000, "later"),
    ],
)
def test_it_puts_a_due_date_in_its_bucket_at_the_edges(days, key):
    assert bucket_key(day(days), TODAY) == key


def test_it_puts_an_undated_action_last():
    assert bucket_key(None, TODAY) == "later"


def test_it_buckets_the_open_actions_by_days_from_today(cast):
    for n in (91, 90, 61, 60, 31, 30, 0, -3):
        action(cast, f"day {n}", due=day(n))
    action(cast, "no date")
    plan = roadmap(cast.campaign, today=TODAY)
    assert titles(plan) == {
        "30": ["day -3", "day 0", "day 30"],
        "60": ["day 31", "day 60"],
        "90": ["day 61", "day 90"],
        "later": ["day 91", "no date"],
    }
    assert plan.today == TODAY
    assert [b.key for b in plan.buckets] == ["30", "60", "90", "later"]


def test_it_flags_only_the_actions_due_before_today_as_overdue(cast):
    action(cast, "yesterday", due=day(-1))
    action(cast, "today", due=day(0))
    [bucket, *_] = roadmap(cast.campaign, today=TODAY).buckets
    assert {item.title: item.overdue for item in bucket.items} == {
        "yesterday": True,
        "today": False,
    }


def test_it_leaves_done_and_dropped_actions_out(cast):
    action(cast, "planned", due=day(3))
    action(cast, "moving", due=day(4), status=Action.Status.IN_PROGRESS)
    action(cast, "done", due=day(5), status=Action.Status.DONE)
    action(cast, "dropped", due=day(6), status=Action.Status.DROPPED)
    plan = roadmap(cast.campaign, today=TODAY)
    assert titles(plan)["30"] == ["planned", "moving"]
    assert [item.status for item in plan.buckets[0].items] == ["planned", "in_progress"]


def test_it_gives_each_item_its_department_dimension_owner_due_date_and_status(cast):
    cast.users.manager.last_name, cast.users.manager.first_name = "森", "一郎"
    cast.users.manager.save()
    action(cast, "Weekly KPI review", due=day(10), owner=cast.users.manager)
    with translation.override("en"):
        [item] = roadmap(cast.campaign, today=TODAY).buckets[0].items
    assert (item.title, item.department, item.dimension_code, item.dimension) == (
        "Weekly KPI review",
        "Sales",
        "kpi",
        "kpi axis",
    )
    assert (item.owner, item.due_on, item.status, item.status_label) == (
        "森 一郎",
        day(10),
        "planned",
        "Planned",
    )
    with translation.override("ja"):
        [item] = roadmap(cast.campaign, today=TODAY).buckets[0].items
    # The dimension's title in the active language (status labels are the Action model's).
    assert item.dimension == "kpiの軸"


def test_it_shows_one_department_when_given(cast):
    action(cast, "sales", due=day(1))
    action(cast, "success", due=day(2), department=cast.success)
    assert titles(roadmap(cast.campaign, cast.success, today=TODAY))["30"] == ["success"]
    assert titles(roadmap(cast.campaign, today=TODAY))["30"] == ["sales", "success"]


def test_it_leaves_out_other_campaigns_actions(cast):
    Action.objects.create(
        campaign=cast.globex_campaign,
        department=cast.globex_sales,
        dimension_code="kpi",
        title="globex",
        due_on=day(1),
    )
    assert roadmap(cast.campaign, today=TODAY).is_empty


def test_it_counts_from_the_local_date_by_default(cast, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    action(cast, "edge", due=day(31))
    plan = roadmap(cast.campaign)
    assert plan.today == TODAY
    assert titles(plan)["60"] == ["edge"]


def test_it_reads_in_two_queries_whatever_the_number_of_actions(cast, django_assert_num_queries):
    for n in range(12):
        action(cast, f"a{n}", due=day(n * 9), owner=cast.users.staff)
    with django_assert_num_queries(3):
        plan = roadmap(cast.campaign, today=TODAY)
        assert sum(len(b.items) for b in plan.buckets) == 12
