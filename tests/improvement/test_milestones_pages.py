"""The milestone pages: taking one through the form (errors sent back, never a 500), the
compare page's defaults, its side choices validated (bad values get a message), deltas with
their sign as text, the pages in Japanese, and fixed query counts."""

# The ``scored`` and ``unresolved`` fixtures are imported, so tests name them again (F811).
# ruff: noqa: F811
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from improvement.models import Milestone
from tests.assessments.conftest import answer_all
from tests.config.test_translated_pages import (  # noqa: F401 - unresolved is a fixture
    problems_of,
    render,
    translated_msgids,
    unresolved,
    visible_chunks,
)
from tests.improvement.test_milestones import add_manager, scored, take  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def later(scored, django_user_model):
    milestone = take(scored)
    answer_all(add_manager(scored, django_user_model, "mika", scored.sales), scored.questions, 0)
    scored.milestone = milestone
    return scored


def signed_in(client, cast, role="consultant"):
    client.force_login(getattr(cast.users, role))
    return client


def test_the_form_takes_a_milestone_and_lists_it(client, scored):
    url = reverse("improvement:milestones", args=[scored.campaign.pk])
    reply = signed_in(client, scored).post(
        url, {"name": "Q3 review", "taken_on": str(timezone.localdate())}, follow=True
    )
    assert reply.status_code == 200
    assert [m.name for m in reply.context["milestones"]] == ["Q3 review"]
    text = reply.content.decode()
    assert "Q3 review" in text
    assert f"before=m:{Milestone.objects.get().pk}&amp;after=c:{scored.campaign.pk}" in text


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "taken_on": "2026-01-01"}, "name"),
        ({"name": "Q3", "taken_on": "soon"}, "taken_on"),
        ({"name": "Q3", "taken_on": "2999-01-01"}, "taken_on"),
        ({"name": "Mid-term", "taken_on": "today"}, "taken_on"),
    ],
)
def test_bad_input_is_sent_back_with_its_error(client, later, data, field):
    url = reverse("improvement:milestones", args=[later.campaign.pk])
    reply = signed_in(client, later).post(url, data)
    assert reply.status_code == 400
    assert reply.context["form"].errors[field]
    assert 'role="alert"' in reply.content.decode()
    assert Milestone.objects.count() == 1


def test_a_taken_name_is_sent_back_on_the_name(client, later):
    url = reverse("improvement:milestones", args=[later.campaign.pk])
    today = str(timezone.localdate())
    reply = signed_in(client, later).post(url, {"name": "Mid-term", "taken_on": today})
    assert reply.status_code == 400
    assert "Mid-term" in reply.context["form"].errors["name"][0]


def test_the_compare_page_defaults_to_the_latest_milestone_against_now(client, later):
    reply = signed_in(client, later).get(reverse("improvement:compare", args=[later.campaign.pk]))
    assert reply.status_code == 200
    comparison = reply.context["comparison"]
    assert comparison.before.milestone == later.milestone
    assert comparison.after.campaign == later.campaign and comparison.after.milestone is None
    html = reply.content.decode()
    sales = html[html.index(f'id="department-{later.sales.pk}"') :]
    row = re.search(r'<tr data-dimension="kpi"[^>]*>(.*?)</tr>', sales, re.S).group(1)
    cells = [
        re.sub(r"<[^>]+>", "", c).strip()
        for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
    ]
    assert cells[1:] == ["5.00", "3.00", "−2.00", "5 → 3"]
    assert 'class="table-wrap"' in sales


def test_a_zero_change_prints_as_plus_minus_zero(client, later):
    html = signed_in(client, later).get(reverse("improvement:compare", args=[later.campaign.pk]))
    success = html.content.decode()
    success = success[success.index(f'id="department-{later.success.pk}"') :]
    assert "±0.00" in success.split("</table>")[0]


@pytest.mark.parametrize(
    "query",
    [
        {"before": "bogus"},
        {"before": "m:999999"},
        {"after": "c:" + "9" * 40},
        {"before": "c:0", "after": "c:0"},
    ],
)
def test_bad_sides_get_a_message_never_a_500(client, later, query):
    reply = signed_in(client, later).get(
        reverse("improvement:compare", args=[later.campaign.pk]), query
    )
    assert reply.status_code == 400
    assert reply.context["comparison"] is None
    assert reply.context["form"].errors
    assert 'role="alert"' in reply.content.decode()


def test_the_same_side_twice_is_refused_with_a_message(client, later):
    key = f"c:{later.campaign.pk}"
    reply = signed_in(client, later).get(
        reverse("improvement:compare", args=[later.campaign.pk]), {"before": key, "after": key}
    )
    assert reply.status_code == 400
    assert reply.context["form"].non_field_errors()


def test_another_organisations_campaign_is_not_a_choice(client, later):
    reply = signed_in(client, later).get(
        reverse("improvement:compare", args=[later.campaign.pk]),
        {"before": f"c:{later.globex_campaign.pk}"},
    )
    assert reply.status_code == 400
    assert "before" in reply.context["form"].errors
    assert later.globex_campaign.name not in [
        c[1] for c in reply.context["form"].fields["before"].choices
    ]


def test_nothing_to_compare_says_so(client, scored):
    reply = signed_in(client, scored).get(reverse("improvement:compare", args=[scored.campaign.pk]))
    assert reply.status_code == 200
    assert reply.context["comparison"] is None
    assert reply.context["form"].is_bound is False


def test_a_manager_chooses_among_their_departments_campaigns_only(client, later, other_campaign):
    reply = signed_in(client, later, "other_manager").get(
        reverse("improvement:compare", args=[later.campaign.pk]),
        {"before": f"c:{other_campaign.pk}"},
    )
    assert reply.status_code == 400  # Customer Success is not assessed in it
    choices = [key for key, _label in reply.context["form"].fields["before"].choices]
    assert f"c:{other_campaign.pk}" not in choices
    assert f"m:{later.milestone.pk}" in choices


@pytest.fixture
def other_campaign(later):
    from tests.assessments.conftest import open_campaign

    return open_campaign(
        organisation=later.acme,
        framework=later.framework,
        departments=[later.sales],
        name="Sales only",
    )


# ----------------------------------------------------------------------- Japanese


def test_the_pages_are_in_japanese(client, later, unresolved):
    signed_in(client, later)
    msgids = translated_msgids()
    pages = [
        reverse("improvement:milestones", args=[later.campaign.pk]),
        reverse("improvement:compare", args=[later.campaign.pk]),
    ]
    problems = []
    for url in pages:
        unresolved.clear()
        chunks = render(client, url)
        found = problems_of(chunks, msgids)
        found["msgid without a translation"] = sorted(unresolved)
        problems += [f"{url}, {kind}: {item}" for kind, items in found.items() for item in items]
    assert problems == []
    text = " ".join(render(client, pages[1]))
    assert "比較元" in text and "この間の取り組み" in text


def test_the_form_errors_are_in_japanese(client, later, unresolved):
    signed_in(client, later)
    url = reverse("improvement:milestones", args=[later.campaign.pk])
    reply = client.post(
        url, {"name": "Mid-term", "taken_on": "2999-01-01"}, HTTP_ACCEPT_LANGUAGE="ja"
    )
    assert reply.status_code == 400
    found = problems_of(visible_chunks(reply.content.decode()), translated_msgids())
    assert found == {} and sorted(unresolved) == []
    compare = reverse("improvement:compare", args=[later.campaign.pk])
    reply = client.get(compare, {"before": "bogus"}, HTTP_ACCEPT_LANGUAGE="ja")
    assert reply.status_code == 400
    assert problems_of(visible_chunks(reply.content.decode()), translated_msgids()) == {}


# ----------------------------------------------------------------------- query counts


def test_the_list_page_takes_a_fixed_number_of_queries(
    client, scored, django_assert_max_num_queries
):
    url = reverse("improvement:milestones", args=[scored.campaign.pk])
    signed_in(client, scored)
    take(scored, name="One")
    with django_assert_max_num_queries(12):
        client.get(url)
    for n in range(5):
        take(scored, name=f"More {n}")
    with django_assert_max_num_queries(12):
        assert len(client.get(url).context["milestones"]) == 6


def test_the_compare_page_takes_a_fixed_number_of_queries(
    client, later, django_user_model, django_assert_max_num_queries
):
    url = reverse("improvement:compare", args=[later.campaign.pk])
    signed_in(client, later)
    for n in range(3):
        take(later, name=f"More {n}")
        answer_all(
            add_manager(later, django_user_model, f"x{n}", later.success), later.questions, 2
        )
    with django_assert_max_num_queries(40):
        assert client.get(url).status_code == 200
