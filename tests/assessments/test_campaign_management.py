"""Campaign management on the campaign page: resend an invitation, remind those who have not
submitted, add and remove respondents, change the deadline, and the confirmation pages for
closing a campaign and reopening a response."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from accounts.languages import remember
from assessments import services
from assessments.models import Answer, Campaign, Invitation, Response
from assessments.services.invitations import minutes_to_answer
from tests.assessments.conftest import answer_all
from tests.matrix import as_role, check, matrix, succeeded, user_of

pytestmark = pytest.mark.django_db

MANAGE = matrix({"org_admin": 302, "consultant": 302})


@pytest.fixture(autouse=True)
def invited_an_hour_ago(cast):
    """The cast's invitations went out an hour ago (a resend within ten minutes is refused)."""
    Invitation.objects.update(sent_at=timezone.now() - datetime.timedelta(hours=1))


@pytest.fixture
def named(cast, django_user_model):
    """The cast with full names, so mails and messages can be checked for them."""
    django_user_model.objects.filter(pk=cast.users.manager.pk).update(
        last_name="森", first_name="花子"
    )
    cast.users.manager.refresh_from_db()
    return cast


def post_as(client, cast, role, url, data=None):
    return as_role(client, cast, role).post(url, data or {})


# ------------------------------------------------------------ the mails


def test_it_takes_half_a_minute_a_question_rounded_up_to_five():
    assert [minutes_to_answer(n) for n in (0, 1, 10, 11, 52, 60)] == [5, 5, 5, 10, 30, 30]


def test_it_resends_an_invitation_in_japanese_as_text_and_html(client, named, mailoutbox):
    mailoutbox.clear()
    client.force_login(named.users.org_admin)
    reply = client.post(reverse("assessments:response-resend", args=[named.response.pk]))
    assert reply.status_code == 302
    [mail] = mailoutbox
    assert mail.to == ["mori@example.com"]
    assert mail.subject == "[LevelCheck] レベルチェック診断のご回答のお願い: Level check"
    # Sales answers all four sample questions: two minutes, rounded up to five.
    assert "森 花子 様" in mail.body
    assert "所要時間：約5分（全4問）" in mail.body
    closes = named.campaign.closes_on
    assert f"回答期限：{closes.year}年{closes.month}月{closes.day}日" in mail.body
    assert "ご協力のほどよろしくお願いいたします。" in mail.body
    token = Invitation.objects.get(response=named.response).token
    assert reverse("assessments:invitation", args=[token]) in mail.body
    [(html, mimetype)] = mail.alternatives
    assert mimetype == "text/html"
    assert '<html lang="ja">' in html and "森 花子 様" in html and "約5分" in html
    assert reverse("assessments:invitation", args=[token]) in html


def test_it_sends_the_mails_in_english_to_a_respondent_who_reads_english(named, mailoutbox):
    """The respondent chose English; the mails go out while Japanese is active (the command,
    a Japanese-reading admin) and are in English all the same."""
    remember(named.users.manager, "en")
    mailoutbox.clear()
    Invitation.objects.filter(response=named.response).update(sent_at=None)
    with translation.override("ja"):
        services.send_invitations(campaign=named.campaign)
        services.send_reminders(campaign=named.campaign)
    invitation, *reminders = mailoutbox
    assert invitation.subject == "[LevelCheck] Please complete the level check: Level check"
    assert "Dear 森 花子," in invitation.body
    assert 'Acme is running the level check "Level check". Please answer it for Sales.' in (
        invitation.body
    )
    assert "Time it takes: about 5 minutes (4 questions)" in invitation.body
    assert "Thank you for your time and cooperation." in invitation.body
    reminder = next(m for m in reminders if m.to == ["mori@example.com"])
    assert reminder.subject == "[LevelCheck] Reminder: Level check"
    assert "have not been submitted yet" in reminder.body
    assert "Continue the questionnaire" in reminder.alternatives[0][0]


def test_an_english_reading_admin_invites_in_each_respondents_language(client, named, mailoutbox):
    """Resent by an admin reading English: to a respondent who never chose a language the
    mail is in the site's language (Japanese); to one who chose English, in English."""
    mailoutbox.clear()  # the invitations of the campaign's opening
    client.force_login(named.users.org_admin)
    url = reverse("assessments:response-resend", args=[named.response.pk])
    client.post(url, headers={"accept-language": "en"})
    assert mailoutbox[-1].subject == "[LevelCheck] レベルチェック診断のご回答のお願い: Level check"
    remember(named.users.manager, "en")
    Invitation.objects.filter(response=named.response).update(
        sent_at=timezone.now() - datetime.timedelta(hours=1)
    )
    client.post(url)  # and the admin reading Japanese, to the English reader
    assert mailoutbox[-1].subject == "[LevelCheck] Please complete the level check: Level check"
    assert len(mailoutbox) == 2


def test_it_reminds_only_those_who_have_not_submitted_and_records_when(client, named, mailoutbox):
    answer_all(named.other_response, named.questions, 0)
    mailoutbox.clear()
    client.force_login(named.users.consultant)
    before = timezone.now()
    reply = client.post(reverse("assessments:campaign-remind", args=[named.campaign.pk]))
    assert reply.status_code == 302
    assert [m.to for m in mailoutbox] == [["mori@example.com"]]
    assert mailoutbox[0].subject == "[LevelCheck] リマインダー: Level check"
    assert "まだ提出されていません" in mailoutbox[0].body
    assert Invitation.objects.get(response=named.response).reminded_at >= before
    assert Invitation.objects.get(response=named.other_response).reminded_at is None
    # A second click straight away sends nothing twice.
    mailoutbox.clear()
    client.post(reverse("assessments:campaign-remind", args=[named.campaign.pk]))
    assert mailoutbox == []


def test_it_shows_when_each_respondent_was_last_reminded(client, named):
    when = datetime.datetime(2026, 11, 3, 5, 7, tzinfo=datetime.UTC)  # 14:07 in Tokyo
    Invitation.objects.filter(response=named.response).update(reminded_at=when)
    client.force_login(named.users.org_admin)
    page = client.get(reverse("assessments:campaign-detail", args=[named.campaign.pk]))
    assert "2026年11月3日14:07 JST" in page.content.decode()


def test_it_refuses_to_resend_to_a_submitted_respondent(client, named, mailoutbox):
    answer_all(named.response, named.questions, 0)
    mailoutbox.clear()
    client.force_login(named.users.org_admin)
    reply = client.post(
        reverse("assessments:response-resend", args=[named.response.pk]), follow=True
    )
    assert mailoutbox == []
    assert "この回答者はすでに提出しています。" in reply.content.decode()


# ------------------------------------------------------------ respondents


def test_it_adds_a_member_as_a_respondent_and_invites_them(client, cast, mailoutbox):
    mailoutbox.clear()
    client.force_login(cast.users.org_admin)
    reply = client.post(
        reverse("assessments:campaign-add-respondent", args=[cast.campaign.pk]),
        {
            "add-respondent": cast.users.staff.pk,
            "add-department": cast.sales.pk,
            "add-rater_role": "manager",
        },
    )
    assert reply.status_code == 302
    response = Response.objects.get(campaign=cast.campaign, respondent=cast.users.staff)
    assert (response.department, response.rater_role) == (cast.sales, "manager")
    assert [m.to for m in mailoutbox] == [["sasaki@example.com"]]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (
            {"add-rater_role": "consultant"},
            "この組織でコンサルタントとして回答することはできません",
        ),
        ({"add-respondent": "outsider"}, "正しく選択してください"),
        ({"add-respondent": "manager"}, "はすでに Sales の回答者です"),
        ({"add-department": "99999999999999999999999"}, "正しく選択してください"),
    ],
)
def test_it_refuses_a_respondent_who_cannot_be_added(client, cast, data, error):
    fields = {
        "add-respondent": cast.users.staff.pk,
        "add-department": cast.sales.pk,
        "add-rater_role": "manager",
        **data,
    }
    if data.get("add-respondent") in ("outsider", "manager"):
        fields["add-respondent"] = user_of(cast, data["add-respondent"]).pk
    before = Response.objects.count()
    client.force_login(cast.users.org_admin)
    reply = client.post(
        reverse("assessments:campaign-add-respondent", args=[cast.campaign.pk]), fields
    )
    assert reply.status_code == 400
    assert error in reply.content.decode()
    assert Response.objects.count() == before


def test_it_removes_a_respondent_who_has_not_submitted(client, cast):
    client.force_login(cast.users.org_admin)
    reply = client.post(reverse("assessments:response-remove", args=[cast.response.pk]))
    assert reply.status_code == 302
    assert not Response.objects.filter(pk=cast.response.pk).exists()


def test_it_never_removes_a_submitted_respondent(client, cast):
    answer_all(cast.response, cast.questions, 0)
    answers = Answer.objects.filter(response=cast.response).count()
    client.force_login(cast.users.org_admin)
    reply = client.post(
        reverse("assessments:response-remove", args=[cast.response.pk]), follow=True
    )
    assert "すでに提出しているため、回答者から外すことはできません" in reply.content.decode()
    assert Response.objects.filter(pk=cast.response.pk, status="submitted").exists()
    assert Answer.objects.filter(response=cast.response).count() == answers > 0


# ------------------------------------------------------------ deadline


def test_it_changes_the_deadline(client, cast):
    new = timezone.localdate() + datetime.timedelta(days=3)
    client.force_login(cast.users.org_admin)
    reply = client.post(
        reverse("assessments:campaign-deadline", args=[cast.campaign.pk]),
        {"deadline-closes_on": new.isoformat()},
    )
    assert reply.status_code == 302
    cast.campaign.refresh_from_db()
    assert cast.campaign.closes_on == new


@pytest.mark.parametrize(
    ("closes_on", "error", "language"),
    [
        ("yesterday", "新しい締切日に今日より前の日付は指定できません。", "ja"),
        ("yesterday", "The new closing date must not be before today.", "en"),
        ("before_opening", "締切日は開始日より前にできません。", "ja"),
        ("31-02-2026", "日付を正しく入力してください。", "ja"),
    ],
)
def test_it_refuses_a_deadline_in_the_past_or_before_opening(
    client, cast, closes_on, error, language
):
    today = timezone.localdate()
    if closes_on == "before_opening":
        Campaign.objects.filter(pk=cast.campaign.pk).update(
            opens_on=today + datetime.timedelta(days=5),
            closes_on=today + datetime.timedelta(days=30),
        )
        closes_on = (today + datetime.timedelta(days=2)).isoformat()
    elif closes_on == "yesterday":
        closes_on = (today - datetime.timedelta(days=1)).isoformat()
    before = Campaign.objects.get(pk=cast.campaign.pk).closes_on
    client.force_login(cast.users.org_admin)
    reply = client.post(
        reverse("assessments:campaign-deadline", args=[cast.campaign.pk]),
        {"deadline-closes_on": closes_on},
        headers={"accept-language": language},
    )
    assert reply.status_code == 400
    assert error in reply.content.decode()
    assert Campaign.objects.get(pk=cast.campaign.pk).closes_on == before


# ------------------------------------------------------------ confirmation without JavaScript


def test_closing_asks_first_on_a_page_stating_the_consequence(client, cast):
    client.force_login(cast.users.org_admin)
    url = reverse("assessments:campaign-close", args=[cast.campaign.pk])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "実施回を終了しますか？" in text
    assert "未提出の回答（2件）は集計に含まれません" in text
    assert f'action="{url}"' in text
    cast.campaign.refresh_from_db()
    assert cast.campaign.status == "open"  # looking changes nothing
    assert client.post(url).status_code == 302
    cast.campaign.refresh_from_db()
    assert cast.campaign.status == "closed"


def test_the_campaign_page_links_close_and_reopen_to_their_confirmation_pages(client, cast):
    answer_all(cast.response, cast.questions, 0)
    client.force_login(cast.users.org_admin)
    text = client.get(reverse("assessments:campaign-detail", args=[cast.campaign.pk])).content
    text = text.decode()
    close = reverse("assessments:campaign-close", args=[cast.campaign.pk])
    reopen = reverse("assessments:response-reopen", args=[cast.response.pk])
    assert f'href="{close}" data-confirm-action="{close}"' in text
    assert f'href="{reopen}" data-confirm-action="{reopen}"' in text
    assert '<dialog id="confirm-dialog"' in text and "js/confirm.js" in text


def test_reopening_asks_first_and_names_the_person(client, named):
    answer_all(named.response, named.questions, 0)
    client.force_login(named.users.consultant)
    url = reverse("assessments:response-reopen", args=[named.response.pk])
    text = client.get(url).content.decode()
    assert "森 花子 さんの回答を再開しますか？" in text
    assert "再提出されるまで、この回答は集計に含まれません" in text
    named.response.refresh_from_db()
    assert named.response.status == "submitted"
    reply = client.post(url, follow=True)
    assert "森 花子 さんの回答を再開しました。" in reply.content.decode()
    named.response.refresh_from_db()
    assert named.response.status == "in_progress"


def test_removing_asks_first_and_says_what_is_lost(client, named):
    services.save_answers(
        response=named.response,
        items=[
            services.AnswerInput(
                question_id=named.questions["kpi-q0"].pk,
                choice_id=named.questions["kpi-q0"].choices.first().pk,
            )
        ],
    )
    client.force_login(named.users.org_admin)
    url = reverse("assessments:response-remove", args=[named.response.pk])
    text = client.get(url).content.decode()
    assert "森 花子 さんを回答者から外しますか？" in text
    assert (
        "森 花子 さんは Sales の回答者ではなくなります。これまでに保存した回答は削除され、"
        "招待リンクも使えなくなります。"
    ) in text
    assert f'action="{url}"' in text and ">回答者から外す</button>" in text
    assert Response.objects.filter(pk=named.response.pk).exists()  # looking changes nothing
    assert Answer.objects.filter(response=named.response).count() == 1
    reply = client.post(url, follow=True)
    assert not Response.objects.filter(pk=named.response.pk).exists()
    assert Answer.objects.filter(response_id=named.response.pk).count() == 0
    assert reply.redirect_chain[-1][0] == reverse(
        "assessments:campaign-detail", args=[named.campaign.pk]
    )


def test_the_remove_confirmation_in_english(client, named):
    client.force_login(named.users.consultant)
    url = reverse("assessments:response-remove", args=[named.response.pk])
    text = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert "Remove 森 花子 from the campaign?" in text
    assert "the answers saved so far are deleted and the invitation link stops working" in text


def test_the_campaign_page_links_remove_to_its_confirmation_with_the_same_words(client, named):
    client.force_login(named.users.org_admin)
    text = client.get(reverse("assessments:campaign-detail", args=[named.campaign.pk]))
    text = text.content.decode()
    remove = reverse("assessments:response-remove", args=[named.response.pk])
    assert f'href="{remove}" data-confirm-action="{remove}"' in text
    assert 'data-confirm-title="森 花子 さんを回答者から外しますか？"' in text
    assert 'data-confirm-button="回答者から外す"' in text
    # the page without JavaScript says exactly what the dialog says
    page = client.get(remove).content.decode()
    assert "<h1>森 花子 さんを回答者から外しますか？</h1>" in page


# ------------------------------------------------------------ role × view


@pytest.mark.parametrize(("role", "expected"), MANAGE)
def test_only_org_admins_and_consultants_resend_an_invitation(
    client, cast, mailoutbox, role, expected
):
    mailoutbox.clear()
    url = reverse("assessments:response-resend", args=[cast.response.pk])
    check(post_as(client, cast, role, url), expected)
    assert len(mailoutbox) == (1 if succeeded(expected) else 0)


@pytest.mark.parametrize(("role", "expected"), MANAGE)
def test_only_org_admins_and_consultants_remind(client, cast, role, expected):
    url = reverse("assessments:campaign-remind", args=[cast.campaign.pk])
    check(post_as(client, cast, role, url), expected)
    reminded = Response.objects.filter(
        campaign=cast.campaign, invitation__reminded_at__isnull=False
    )
    assert reminded.count() == (2 if succeeded(expected) else 0)


@pytest.mark.parametrize(("role", "expected"), MANAGE)
def test_only_org_admins_and_consultants_add_a_respondent(client, cast, role, expected):
    url = reverse("assessments:campaign-add-respondent", args=[cast.campaign.pk])
    data = {
        "add-respondent": cast.users.staff.pk,
        "add-department": cast.sales.pk,
        "add-rater_role": "manager",
    }
    check(post_as(client, cast, role, url, data), expected)
    added = Response.objects.filter(campaign=cast.campaign, respondent=cast.users.staff)
    assert added.exists() == succeeded(expected)


@pytest.mark.parametrize(("role", "expected"), MANAGE)
def test_only_org_admins_and_consultants_remove_a_respondent(client, cast, role, expected):
    url = reverse("assessments:response-remove", args=[cast.response.pk])
    check(post_as(client, cast, role, url), expected)
    assert Response.objects.filter(pk=cast.response.pk).exists() != succeeded(expected)


@pytest.mark.parametrize(("role", "expected"), MANAGE)
def test_only_org_admins_and_consultants_change_the_deadline(client, cast, role, expected):
    new = timezone.localdate() + datetime.timedelta(days=3)
    url = reverse("assessments:campaign-deadline", args=[cast.campaign.pk])
    check(post_as(client, cast, role, url, {"deadline-closes_on": new.isoformat()}), expected)
    cast.campaign.refresh_from_db()
    assert (cast.campaign.closes_on == new) == succeeded(expected)


@pytest.mark.parametrize(("role", "expected"), matrix({"org_admin": 200, "consultant": 200}))
def test_only_org_admins_and_consultants_see_the_close_confirmation(client, cast, role, expected):
    url = reverse("assessments:campaign-close", args=[cast.campaign.pk])
    check(as_role(client, cast, role).get(url), expected)


@pytest.mark.parametrize(("role", "expected"), MANAGE)
def test_only_org_admins_and_consultants_close_through_the_confirmation(
    client, cast, role, expected
):
    url = reverse("assessments:campaign-close", args=[cast.campaign.pk])
    check(post_as(client, cast, role, url), expected)
    cast.campaign.refresh_from_db()
    assert cast.campaign.status == ("closed" if succeeded(expected) else "open")


@pytest.mark.parametrize(("role", "expected"), matrix({"org_admin": 200, "consultant": 200}))
def test_only_org_admins_and_consultants_see_the_reopen_confirmation(client, cast, role, expected):
    answer_all(cast.response, cast.questions, 0)
    url = reverse("assessments:response-reopen", args=[cast.response.pk])
    check(as_role(client, cast, role).get(url), expected)
    cast.response.refresh_from_db()
    assert cast.response.status == "submitted"


@pytest.mark.parametrize(("role", "expected"), matrix({"org_admin": 200, "consultant": 200}))
def test_only_org_admins_and_consultants_see_the_remove_confirmation(client, cast, role, expected):
    url = reverse("assessments:response-remove", args=[cast.response.pk])
    check(as_role(client, cast, role).get(url), expected)
    assert Response.objects.filter(pk=cast.response.pk).exists()


def test_it_refuses_a_second_resend_within_ten_minutes(client, cast, mailoutbox):
    client.force_login(cast.users.org_admin)
    url = reverse("assessments:response-resend", args=[cast.response.pk])
    client.post(url)
    mailoutbox.clear()
    reply = client.post(url, follow=True, headers={"accept-language": "en"})
    assert mailoutbox == []
    assert "The invitation was sent less than ten minutes ago." in reply.content.decode()


def test_the_reminder_command_records_when_it_reminded(cast):
    call_command("send_reminders", "--campaign", str(cast.campaign.pk))
    reminded = Response.objects.filter(
        campaign=cast.campaign, invitation__reminded_at__isnull=False
    )
    assert set(reminded) == {cast.response, cast.other_response}


def test_a_closed_campaign_takes_no_new_respondents_and_sends_no_reminders(
    client, cast, mailoutbox
):
    services.set_campaign_status(campaign=cast.campaign, status="closed")
    mailoutbox.clear()
    client.force_login(cast.users.org_admin)
    reply = client.post(
        reverse("assessments:campaign-add-respondent", args=[cast.campaign.pk]),
        {
            "add-respondent": cast.users.staff.pk,
            "add-department": cast.sales.pk,
            "add-rater_role": "manager",
        },
        headers={"accept-language": "en"},
        follow=True,
    )
    assert "The campaign is closed. Reopen it to change its respondents." in reply.content.decode()
    reply = client.post(
        reverse("assessments:campaign-remind", args=[cast.campaign.pk]), follow=True
    )
    assert "メールは実施回の実施中にのみ送信できます。" in reply.content.decode()
    assert mailoutbox == []
    assert not Response.objects.filter(respondent=cast.users.staff).exists()
