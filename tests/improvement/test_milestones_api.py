"""The milestones and comparison API: values in the JSON, input checked with the error
shape, no edit of a milestone (405), managers' rows only, fixed query counts."""

# The ``scored`` fixture is imported from test_milestones, so tests name it again (F811).
# ruff: noqa: F811
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from improvement.models import Milestone
from tests.assessments.conftest import answer_all
from tests.improvement.test_milestones import (  # noqa: F401 - scored is a fixture
    add_manager,
    done_action,
    scored,
    take,
)
from tests.matrix import api_as, check_api

pytestmark = pytest.mark.django_db


def test_it_takes_a_milestone_and_answers_with_its_frozen_results(scored):
    client = api_as(scored, "consultant")
    url = reverse("api-milestones", args=[scored.campaign.pk])
    reply = client.post(url, {"name": "Q3", "taken_on": str(timezone.localdate())}, format="json")
    check_api(reply, 201)
    body = reply.json()
    milestone = Milestone.objects.get()
    assert body["id"] == milestone.pk and body["name"] == "Q3"
    # A consultant is not given login names; the name is the person's (no name set: login).
    assert (body["taken_by"], body["taken_by_name"]) == (None, "conny")
    assert body["scale"] == {"min": 1, "max": 5}
    scores = {(s["department_name"], s["dimension"]): s for s in body["scores"]}
    assert scores[("Sales", "kpi")] == {
        "department": scored.sales.pk,
        "department_name": "Sales",
        "dimension": "kpi",
        "mean": 5.0,
        "level": 5,
        "respondents": 1,
        "target": 5,
    }
    assert scores[("Customer Success", "data")]["mean"] == 3.0
    assert {o["dimension"]: o["mean"] for o in body["organisation"]} == {"kpi": 4.0, "data": 4.0}
    assert [d["department_name"] for d in body["departments"]] == ["Customer Success", "Sales"]


def test_a_taken_name_is_a_400_in_the_error_shape(scored):
    take(scored, name="Q3")
    client = api_as(scored, "consultant")
    url = reverse("api-milestones", args=[scored.campaign.pk])
    reply = client.post(url, {"name": "Q3", "taken_on": str(timezone.localdate())}, format="json")
    check_api(reply, 400, "name_taken")
    assert reply.json()["error"]["fields"] == {"name": [reply.json()["error"]["message"]]}
    assert Milestone.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"taken_on": "2026-01-01"}, "name"),
        ({"name": "Q3"}, "taken_on"),
        ({"name": "Q3", "taken_on": "not a date"}, "taken_on"),
        ({"name": "x" * 201, "taken_on": "2026-01-01"}, "name"),
        ({"name": "a\x00b", "taken_on": "2026-01-01"}, "name"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(scored, body, field):
    reply = api_as(scored, "consultant").post(
        reverse("api-milestones", args=[scored.campaign.pk]), body, format="json"
    )
    check_api(reply, 400, "invalid")
    assert field in reply.json()["error"]["fields"]
    assert not Milestone.objects.exists()


def test_a_future_date_is_refused(scored):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    reply = api_as(scored, "consultant").post(
        reverse("api-milestones", args=[scored.campaign.pk]),
        {"name": "Q3", "taken_on": str(tomorrow)},
        format="json",
    )
    check_api(reply, 400, "date_in_future")


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_milestone_cannot_be_changed_or_deleted(scored, method):
    milestone = take(scored)
    client = api_as(scored, "consultant")
    reply = getattr(client, method)(
        reverse("api-milestone", args=[milestone.pk]), {"name": "X"}, format="json"
    )
    check_api(reply, 405)
    assert Milestone.objects.get().name == "Mid-term"


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_list_has_no_edit_either(scored, method):
    reply = getattr(api_as(scored, "consultant"), method)(
        reverse("api-milestones", args=[scored.campaign.pk]), {}, format="json"
    )
    check_api(reply, 405)


def test_the_list_is_filtered_by_date(scored):
    first = take(scored, name="Early", taken_on=scored.campaign.opens_on)
    second = take(scored, name="Today")
    url = reverse("api-milestones", args=[scored.campaign.pk])
    client = api_as(scored, "org_admin")
    assert [m["id"] for m in client.get(url).json()] == [first.pk, second.pk]
    today = str(timezone.localdate())
    assert [m["id"] for m in client.get(url, {"taken_on_from": today}).json()] == [second.pk]
    before = str(scored.campaign.opens_on)
    assert [m["id"] for m in client.get(url, {"taken_on_to": before}).json()] == [first.pk]
    check_api(client.get(url, {"taken_on_from": "yesterday"}), 400, "invalid")


def test_a_manager_reads_only_their_departments_rows(scored):
    milestone = take(scored)
    body = api_as(scored, "manager").get(reverse("api-milestone", args=[milestone.pk])).json()
    assert {s["department_name"] for s in body["scores"]} == {"Sales"}
    assert [d["department_name"] for d in body["departments"]] == ["Sales"]


def test_a_withheld_department_has_no_scores_in_the_api(cast):
    answer_all(cast.response, cast.questions, 2)
    milestone = take(cast)
    body = api_as(cast, "consultant").get(reverse("api-milestone", args=[milestone.pk])).json()
    assert body["scores"] == []
    assert {d["department_name"]: d["withheld"] for d in body["departments"]} == {
        "Sales": True,
        "Customer Success": True,
    }


@pytest.fixture
def later(scored, django_user_model):
    milestone = take(scored)
    answer_all(add_manager(scored, django_user_model, "mika", scored.sales), scored.questions, 0)
    scored.milestone = milestone
    return scored


def test_the_comparison_by_default_is_the_latest_milestone_against_now(later):
    url = reverse("api-compare", args=[later.campaign.pk])
    reply = api_as(later, "consultant").get(url)
    check_api(reply, 200)
    body = reply.json()
    assert body["before"]["key"] == f"m:{later.milestone.pk}"
    assert body["before"]["kind"] == "milestone"
    assert body["after"] == {**body["after"], "key": f"c:{later.campaign.pk}", "kind": "campaign"}
    rows = {(r["department_name"], r["dimension"]): r for r in body["rows"]}
    assert rows[("Sales", "kpi")]["before_mean"] == 5.0
    assert rows[("Sales", "kpi")]["after_mean"] == 3.0
    assert rows[("Sales", "kpi")]["delta"] == pytest.approx(-2.0)
    assert rows[("Sales", "kpi")]["status"] == "compared"
    assert rows[("Customer Success", "kpi")]["delta"] == 0.0
    assert {r["dimension"]: r["delta"] for r in body["organisation"]} == pytest.approx(
        {"kpi": -1.0, "data": -1.0}
    )


def test_the_comparison_lists_the_actions_completed_in_between(later):
    taken = datetime.datetime.fromisoformat(later.milestone.snapshot["taken_at"])
    done_action(later, later.sales, "Old", taken - datetime.timedelta(hours=1))
    inside = done_action(later, later.sales, "New", timezone.now())
    body = api_as(later, "consultant").get(reverse("api-compare", args=[later.campaign.pk])).json()
    sales = next(d for d in body["departments"] if d["department_name"] == "Sales")
    assert [a["id"] for a in sales["actions_completed"]] == [inside.pk]
    assert sales["actions_completed"][0]["title"] == "New"


def test_sides_are_chosen_by_the_query(later):
    second = take(later, name="Second")
    url = reverse("api-compare", args=[later.campaign.pk])
    query = {"before": f"m:{later.milestone.pk}", "after": f"m:{second.pk}"}
    body = api_as(later, "consultant").get(url, query).json()
    assert (body["before"]["milestone"], body["after"]["milestone"]) == (
        later.milestone.pk,
        second.pk,
    )


def test_a_manager_compares_their_own_department_only(later):
    url = reverse("api-compare", args=[later.campaign.pk])
    body = api_as(later, "manager").get(url).json()
    assert {r["department_name"] for r in body["rows"]} == {"Sales"}
    assert [d["department_name"] for d in body["departments"]] == ["Sales"]


@pytest.mark.parametrize("value", ["x", "m:", "c:1;", "m:abc", "c:" + "9" * 40])
def test_a_malformed_side_is_a_400(later, value):
    reply = api_as(later, "consultant").get(
        reverse("api-compare", args=[later.campaign.pk]), {"before": value}
    )
    check_api(reply, 400, "invalid")
    assert "before" in reply.json()["error"]["fields"]


def test_another_organisations_side_is_not_found_in_this_one(later):
    url = reverse("api-compare", args=[later.campaign.pk])
    reply = api_as(later, "consultant").get(url, {"before": f"c:{later.globex_campaign.pk}"})
    check_api(reply, 400, "not_found")
    reply = api_as(later, "consultant").get(url, {"after": "m:999999"})
    check_api(reply, 400, "not_found")


def test_the_same_side_twice_is_refused(later):
    url = reverse("api-compare", args=[later.campaign.pk])
    key = f"c:{later.campaign.pk}"
    check_api(api_as(later, "consultant").get(url, {"before": key, "after": key}), 400, "same_side")


def test_nothing_to_compare_is_said(scored):
    reply = api_as(scored, "consultant").get(reverse("api-compare", args=[scored.campaign.pk]))
    check_api(reply, 400, "nothing_to_compare")


# ----------------------------------------------------------------------- query counts


def test_the_list_takes_a_fixed_number_of_queries(scored, django_assert_max_num_queries):
    client = api_as(scored, "consultant")
    url = reverse("api-milestones", args=[scored.campaign.pk])
    take(scored, name="One")
    with django_assert_max_num_queries(8):
        assert len(client.get(url).json()) == 1
    for n in range(5):
        take(scored, name=f"More {n}")
    with django_assert_max_num_queries(8):
        assert len(client.get(url).json()) == 6


def test_the_comparison_takes_a_fixed_number_of_queries(
    later, django_user_model, django_assert_max_num_queries
):
    url = reverse("api-compare", args=[later.campaign.pk])
    client = api_as(later, "consultant")
    client.get(url)
    for n in range(3):
        done_action(later, later.sales, f"A{n}", timezone.now())
        answer_all(
            add_manager(later, django_user_model, f"extra{n}", later.success),
            later.questions,
            2,
        )
    with django_assert_max_num_queries(30):
        body = client.get(url).json()
    sales = next(d for d in body["departments"] if d["department_name"] == "Sales")
    assert len(sales["actions_completed"]) == 3
