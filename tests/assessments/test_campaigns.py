"""Campaigns: creation, states, invitations, reminders, completion, consultant ratings."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from assessments import services
from assessments.models import Campaign, Invitation, Response
from assessments.services import AnswerInput, AssessmentError

pytestmark = pytest.mark.django_db


def test_creating_a_campaign_makes_a_response_per_manager(cast):
    assert {r.respondent for r in cast.campaign.responses.all()} == {
        cast.users.manager,
        cast.users.other_manager,
    }
    assert all(r.rater_role == "manager" for r in cast.campaign.responses.all())
    assert Invitation.objects.filter(response__campaign=cast.campaign).count() == 2


def test_opening_sends_each_invitation_once(cast, mailoutbox):
    # The cast's campaigns were opened before the outbox was inspected; reopen sends nothing new.
    services.set_campaign_status(campaign=cast.campaign, status="closed")
    mailoutbox.clear()
    services.set_campaign_status(campaign=cast.campaign, status="open")
    assert mailoutbox == []


def test_the_invitation_mail_carries_the_single_purpose_link(
    db, cast, mailoutbox, django_user_model
):
    mailoutbox.clear()
    user = django_user_model.objects.create_user("late", email="late@example.com")
    response = services.add_respondent(
        campaign=cast.campaign, department=cast.sales, user=user, rater_role="manager"
    )
    [message] = mailoutbox
    assert message.to == ["late@example.com"]
    assert reverse("assessments:invitation", args=[response.invitation.token]) in message.body
    assert len(response.invitation.token) >= 40


def test_the_campaign_form_creates_a_draft(client, cast, sample_framework):
    client.force_login(cast.users.org_admin)
    today = timezone.localdate()
    reply = client.post(
        reverse("assessments:campaign-create", args=[cast.acme.pk]),
        {
            "name": "Autumn check",
            "framework": sample_framework.pk,
            "departments": [cast.sales.pk],
            "opens_on": today.isoformat(),
            "closes_on": (today + datetime.timedelta(days=7)).isoformat(),
        },
    )
    campaign = Campaign.objects.get(name="Autumn check")
    assert reply["Location"] == reverse("assessments:campaign-detail", args=[campaign.pk])
    assert campaign.status == "draft"
    assert list(campaign.responses.values_list("respondent__username", flat=True)) == ["mori"]


def test_the_campaign_form_refuses_bad_dates_and_foreign_departments(
    client, cast, sample_framework
):
    client.force_login(cast.users.org_admin)
    today = timezone.localdate()
    reply = client.post(
        reverse("assessments:campaign-create", args=[cast.acme.pk]),
        {
            "name": "Bad",
            "framework": sample_framework.pk,
            "departments": [cast.globex_sales.pk],
            "opens_on": today.isoformat(),
            "closes_on": (today - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert reply.status_code == 200
    assert not Campaign.objects.filter(name="Bad").exists()
    errors = reply.context["form"].errors
    assert "closes_on" in errors and "departments" in errors


def test_drafts_of_frameworks_cannot_be_pinned(cast):
    from maturity.services import create_draft_version

    draft = create_draft_version(framework=cast.framework)
    with pytest.raises(AssessmentError) as excinfo:
        services.create_campaign(
            organisation=cast.acme,
            framework=draft,
            name="x",
            departments=[cast.sales],
            opens_on=timezone.localdate(),
            closes_on=timezone.localdate(),
            created_by=None,
        )
    assert excinfo.value.code == "framework_not_published"


STATUSES = ["draft", "open", "closed"]
# Written out, not read from the service: the rule under test.
ALLOWED = {("draft", "open"), ("open", "closed"), ("closed", "open")}


def campaign_in(cast, status: str) -> Campaign:
    """A fresh campaign of Acme's sales department, put straight into ``status``."""
    today = timezone.localdate()
    campaign = services.create_campaign(
        organisation=cast.acme,
        framework=cast.framework,
        name=f"{status} check",
        departments=[cast.sales],
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
        created_by=cast.users.org_admin,
    )
    Campaign.objects.filter(pk=campaign.pk).update(status=status)
    return Campaign.objects.get(pk=campaign.pk)


@pytest.mark.parametrize("new", STATUSES)
@pytest.mark.parametrize("current", STATUSES)
def test_states_move_draft_open_closed_and_reopen(cast, current, new):
    """Every allowed move succeeds; every other one is refused and changes nothing."""
    campaign = campaign_in(cast, current)
    if (current, new) in ALLOWED:
        moved = services.set_campaign_status(campaign=campaign, status=new)
        assert moved.status == new
        assert moved.is_accepting_answers == (new == "open")
    else:
        with pytest.raises(AssessmentError) as excinfo:
            services.set_campaign_status(campaign=campaign, status=new)
        assert (excinfo.value.code, excinfo.value.status) == ("bad_transition", 409)
    expected = new if (current, new) in ALLOWED else current
    assert Campaign.objects.get(pk=campaign.pk).status == expected


@pytest.mark.parametrize("status", ["archived", "", "OPEN", "open\x00"])
def test_a_status_that_does_not_exist_is_refused(cast, status):
    campaign = campaign_in(cast, "draft")
    with pytest.raises(AssessmentError) as excinfo:
        services.set_campaign_status(campaign=campaign, status=status)
    assert excinfo.value.code == "unknown_status"
    assert Campaign.objects.get(pk=campaign.pk).status == "draft"


@pytest.mark.parametrize(
    "language, message",
    [
        ("en", "A Draft campaign cannot become Closed."),
        ("ja", "「下書き」の実施回を「終了」にすることはできません。"),
    ],
)
def test_a_draft_cannot_close_straight_away(cast, mailoutbox, language, message):
    campaign = campaign_in(cast, "draft")
    mailoutbox.clear()  # the cast opened its own campaigns
    with translation.override(language), pytest.raises(AssessmentError) as excinfo:
        services.set_campaign_status(campaign=campaign, status="closed")
    assert excinfo.value.message == message
    assert Campaign.objects.get(pk=campaign.pk).status == "draft"
    assert mailoutbox == []


@pytest.mark.parametrize(
    "language, message",
    [
        ("en", "A Draft campaign cannot become Closed."),
        ("ja", "「下書き」の実施回を「終了」にすることはできません。"),
    ],
)
def test_the_status_page_refuses_to_close_a_draft(client, cast, language, message):
    campaign = campaign_in(cast, "draft")
    client.force_login(cast.users.org_admin)
    reply = client.post(
        reverse("assessments:campaign-status", args=[campaign.pk]),
        {"status": "closed"},
        HTTP_ACCEPT_LANGUAGE=language,
        follow=True,
    )
    assert reply.redirect_chain == [
        (reverse("assessments:campaign-detail", args=[campaign.pk]), 302)
    ]
    assert [str(m) for m in reply.context["messages"]] == [message]
    assert message in reply.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).status == "draft"


def test_the_status_page_opens_a_draft(client, cast, mailoutbox):
    campaign = campaign_in(cast, "draft")
    mailoutbox.clear()  # the cast opened its own campaigns
    client.force_login(cast.users.org_admin)
    reply = client.post(
        reverse("assessments:campaign-status", args=[campaign.pk]),
        {"status": "open"},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert [str(m) for m in reply.context["messages"]] == ["Campaign status updated."]
    assert Campaign.objects.get(pk=campaign.pk).status == "open"
    assert [m.to for m in mailoutbox] == [[cast.users.manager.email]]


def test_the_campaign_page_shows_completion_per_department_and_respondent(client, cast):
    q = cast.questions["kpi-q0"]
    services.save_answers(
        response=cast.response,
        items=[AnswerInput(question_id=q.pk, choice_id=q.choices.first().pk)],
    )
    client.force_login(cast.users.org_admin)
    reply = client.get(reverse("assessments:campaign-detail", args=[cast.campaign.pk]))
    progress = {row["department"].name: row for row in reply.context["progress"]}
    sales = progress["Sales"]["responses"][0]
    assert (sales.answered, sales.total) == (1, 4)
    assert progress["Customer Success"]["responses"][0].total == 2  # sales-only questions left out
    assert "1 / 4" in reply.content.decode()


def test_the_campaign_page_query_count_is_constant(
    client, cast, django_user_model, django_assert_max_num_queries
):
    client.force_login(cast.users.org_admin)
    url = reverse("assessments:campaign-detail", args=[cast.campaign.pk])
    # 13: the line of the questions about the whole organisation is one query.
    with django_assert_max_num_queries(13):
        client.get(url)
    for i in range(6):
        user = django_user_model.objects.create_user(f"r{i}")
        services.add_respondent(
            campaign=cast.campaign,
            department=cast.success,
            user=user,
            rater_role="manager",
            notify=False,
        )
    with django_assert_max_num_queries(13):
        client.get(url)


def test_a_consultant_rates_a_department_and_keeps_the_role(client, cast):
    client.force_login(cast.users.consultant)
    reply = client.post(
        reverse("assessments:campaign-rate", args=[cast.campaign.pk, cast.sales.pk])
    )
    response = Response.objects.get(respondent=cast.users.consultant)
    assert response.rater_role == "consultant"
    assert reply["Location"] == reverse("assessments:response-resume", args=[response.pk])


def test_reminders_go_to_those_who_have_not_submitted_once_a_day(cast, mailoutbox):
    services.submit_response(response=cast.other_response)
    mailoutbox.clear()
    call_command("send_reminders")
    assert sorted(m.to[0] for m in mailoutbox) == ["gary@example.com", "mori@example.com"]
    assert "リマインダー" in mailoutbox[0].subject or "Reminder" in mailoutbox[0].subject
    mailoutbox.clear()
    call_command("send_reminders")
    assert mailoutbox == []


def test_reminders_can_target_one_campaign_and_skip_closed_ones(cast, mailoutbox):
    services.set_campaign_status(campaign=cast.globex_campaign, status="closed")
    mailoutbox.clear()
    call_command("send_reminders", "--campaign", str(cast.campaign.pk))
    assert sorted(m.to[0] for m in mailoutbox) == ["mori@example.com", "okada@example.com"]


def test_reopening_a_response_unlocks_it(cast):
    services.submit_response(response=cast.response)
    services.reopen_response(response=cast.response)
    q = cast.questions["kpi-q0"]
    services.save_answers(
        response=cast.response,
        items=[AnswerInput(question_id=q.pk, choice_id=q.choices.first().pk)],
    )
