"""The result rows are built from one CampaignResults and kept with it only: no process-wide
cache holds a request's numbers after the request."""

import gc
import weakref

import pytest

from assessments import services
from results.loader import shown_results
from results.plan import plan_rows
from results.rows import department_rows, organisation_rows
from tests.assessments.conftest import answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(cast):
    cast.campaign.anonymity_threshold = 1
    cast.campaign.save()
    answer_all(cast.response, cast.questions, 2)
    answer_all(cast.other_response, cast.questions, 1)
    return cast


def test_the_rows_are_built_once_per_results(scored):
    results = shown_results(scored.campaign)
    assert department_rows(results, scored.sales.pk) is department_rows(results, scored.sales.pk)
    assert plan_rows(results, scored.success.pk) is plan_rows(results, scored.success.pk)
    again = shown_results(scored.campaign)
    assert department_rows(again, scored.sales.pk) is not department_rows(results, scored.sales.pk)


def test_no_scored_frame_outlives_its_results(scored):
    results = shown_results(scored.campaign)
    department_rows(results, scored.sales.pk)
    organisation_rows(results)
    frames = [
        weakref.ref(frame)
        for frame in (results.by_department, results.organisation, results.perception_gap)
    ]
    del results
    gc.collect()
    assert [frame() for frame in frames] == [None, None, None]


def test_a_new_answer_shows_in_the_next_results(scored):
    before = shown_results(scored.campaign)
    assert (
        before.value("by_department", "mean", department_id=scored.success.pk, dimension="kpi")
        == 3.0
    )
    services.reopen_response(response=scored.other_response)
    answer_all(scored.other_response, scored.questions, 0)  # now the bottom choice, 1
    after = shown_results(scored.campaign)
    assert (
        after.value("by_department", "mean", department_id=scored.success.pk, dimension="kpi")
        == 1.0
    )
