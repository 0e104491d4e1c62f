"""Where the improvement loop's blocks sit on the results pages: on a department's page the
commentary after the plan, then the loop, and the actions, evidence and change after the
dimensions; the explanation's evidence beside each answer; the campaign's commentary and
roadmap on the overview; links on the campaign page for those who may follow them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Answer
from improvement.actions.services import create_action
from improvement.commentary.services import publish_commentary, save_commentary
from improvement.evidence.services import add_evidence
from tests.assessments.conftest import answer_all
from tests.matrix import as_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(cast):
    cast.campaign.anonymity_threshold = 1
    cast.campaign.save()
    answer_all(cast.response, cast.questions, 0)
    answer_all(cast.other_response, cast.questions, 2)
    by = cast.users.consultant
    for department, text in ((None, "全社の講評テキスト"), (cast.sales, "営業の講評テキスト")):
        commentary = save_commentary(
            campaign=cast.campaign, department=department, narrative=text, findings="", by=by
        )
        publish_commentary(commentary=commentary, by=by)
    create_action(
        campaign=cast.campaign,
        department=cast.sales,
        dimension_code="kpi",
        title="営業のアクション",
        owner=cast.users.manager,
        due_on=timezone.localdate() + datetime.timedelta(days=12),
        by=by,
    )
    cast.answer = Answer.objects.filter(
        response=cast.response, question__dimension__code="kpi"
    ).first()
    add_evidence(
        campaign=cast.campaign,
        department=cast.sales,
        answer=cast.answer,
        kind="text",
        title="回答のエビデンス",
        text="議事録あり",
        by=cast.users.manager,
    )
    return cast


def html_of(client, cast, role, url):
    reply = as_role(client, cast, role).get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert reply.status_code == 200
    return reply.content.decode()


@pytest.mark.parametrize("role", ["org_admin", "consultant", "manager"])
def test_the_department_page_orders_commentary_loop_dimensions_then_actions(client, placed, role):
    url = reverse("results:department", args=[placed.campaign.pk, placed.sales.pk])
    html = html_of(client, placed, role, url)
    order = [
        html.index('id="plan-heading"'),
        html.index("営業の講評テキスト"),
        html.index('id="loop"'),
        html.index('id="dims-heading"'),
    ]
    assert order == sorted(order)
    # The actions block (H1) repeats the action after the dimensions; the loop has it first.
    dims = html.index('id="dims-heading"')
    assert html.index("営業のアクション") < dims < html.rindex("営業のアクション")
    assert "全社の講評テキスト" not in html  # the campaign's text is on the overview


def test_the_explanation_shows_evidence_beside_the_answer(client, placed):
    url = reverse("results:explain", args=[placed.campaign.pk, placed.sales.pk, "kpi"])
    html = html_of(client, placed, "org_admin", url)
    row = html[html.index(placed.answer.question.text) :]
    row = row[: row.index("</tr>")]
    assert "回答のエビデンス" in row
    assert ">Evidence</th>" in html


def test_the_overview_carries_the_campaigns_commentary_and_roadmap(client, placed):
    html = html_of(
        client, placed, "org_admin", reverse("results:campaign", args=[placed.campaign.pk])
    )
    commentary = html.index("全社の講評テキスト")
    assert commentary < html.index('id="heat-heading"')
    assert commentary < html.index("営業のアクション") < html.index('id="heat-heading"')
    assert "営業の講評テキスト" not in html


LINKS = {
    "org_admin": {"actions", "evidence", "milestones", "commentary"},
    "consultant": {"actions", "evidence", "milestones", "commentary"},
    "manager": {"actions", "milestones", "commentary"},
}


@pytest.mark.parametrize("role", list(LINKS))
def test_the_campaign_page_links_to_what_each_role_may_open(client, placed, role):
    url = reverse("assessments:campaign-detail", args=[placed.campaign.pk])
    html = html_of(client, placed, role, url)
    for name in ("actions", "evidence", "milestones", "commentary"):
        target = reverse(f"improvement:{name}", args=[placed.campaign.pk])
        assert (f'href="{target}"' in html) is (name in LINKS[role]), name
        if name in LINKS[role]:
            # A manager's campaign-wide list leads on to their department's.
            assert client.get(target, follow=True).status_code == 200, name
