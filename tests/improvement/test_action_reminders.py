"""``manage.py send_action_reminders``: the owner of an open action due within --days days (or
overdue) gets one e-mail per due date, in their language, with a link to the action; done
and dropped actions, and actions due later, get none."""

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import formats, translation

from accounts.languages import remember
from improvement.actions import services
from improvement.models import Action
from tests.improvement import test_actions as base

pytestmark = pytest.mark.django_db

acted = base.acted  # the fixture
TODAY, DAY = base.TODAY, base.DAY


def written(day, language="ja") -> str:
    """A date as the mail writes it: the language's date format (front.templatetags.when)."""
    with translation.override(language):
        return formats.date_format(day, "DATE_FORMAT")


@pytest.fixture(autouse=True)
def site(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://levelcheck.example/"


@pytest.fixture
def reminded(acted):
    mail.outbox.clear()  # the campaign's invitations
    return acted


def run(*args) -> str:
    out = io.StringIO()
    call_command("send_action_reminders", *args, stdout=out)
    return out.getvalue()


def by_recipient() -> dict[str, list]:
    mails = {}
    for message in mail.outbox:
        [to] = message.to
        mails.setdefault(to, []).append(message)
    return mails


def test_it_reminds_owners_of_open_actions_due_soon_or_overdue_once(reminded):
    # Open: overdue (staff, yesterday) and in progress (manager, in 3 days). Done (manager,
    # in 10 days), dropped (no date) and planned without a date are not reminded.
    assert run() == "Sent 2 reminder(s).\n"
    mails = by_recipient()
    assert set(mails) == {"sasaki@example.com", "mori@example.com"}
    [overdue] = mails["sasaki@example.com"]
    [soon] = mails["mori@example.com"]
    assert overdue.subject == "[LevelCheck] 期限を過ぎた改善アクション: KPIを定義する"
    assert written(TODAY - DAY) in overdue.body
    assert "まだ完了していません" in overdue.body
    url = "https://levelcheck.example" + reverse(
        "improvement:action", args=[reminded.actions["overdue"].pk]
    )
    assert url in overdue.body
    assert soon.subject == "[LevelCheck] 期限が近い改善アクション: Unify customer data"
    assert written(TODAY + 3 * DAY) in soon.body and "進行中" in soon.body
    assert Action.objects.get(pk=reminded.actions["overdue"].pk).reminded_for == TODAY - DAY
    # A second run sends nothing: each due date is reminded once.
    mail.outbox.clear()
    assert run() == "Sent 0 reminder(s).\n"
    assert mail.outbox == []


def test_a_new_due_date_is_reminded_again(reminded):
    run()
    mail.outbox.clear()
    action = reminded.actions["soon"]
    services.update_action(action=action, by=reminded.users.org_admin, due_on=TODAY + 5 * DAY)
    assert run() == "Sent 1 reminder(s).\n"
    [message] = mail.outbox
    assert message.to == ["mori@example.com"] and written(TODAY + 5 * DAY) in message.body


def test_days_widens_the_window_and_done_or_dropped_are_never_reminded(reminded):
    Action.objects.filter(pk=reminded.actions["dropped"].pk).update(due_on=TODAY - DAY)
    assert run("--days", "30") == "Sent 2 reminder(s).\n"  # the done one (in 10 days) is not
    assert {m.to[0] for m in mail.outbox} == {"sasaki@example.com", "mori@example.com"}
    assert all("Churn dashboard" not in m.subject and "NPS" not in m.subject for m in mail.outbox)
    mail.outbox.clear()
    assert run("--days", "0") == "Sent 0 reminder(s).\n"


def test_it_writes_in_english_where_that_is_the_language(reminded, settings):
    settings.LANGUAGE_CODE = "en"
    run("--days", "0")
    [message] = mail.outbox
    assert message.subject == "[LevelCheck] Overdue action: KPIを定義する"
    assert "Dear sasaki," in message.body
    assert f"was due on {written(TODAY - DAY, 'en')} and is still open" in message.body


def test_it_writes_in_the_language_the_owner_chose(reminded):
    """The site speaks Japanese; the owner chose English, so their reminder is English."""
    remember(reminded.users.staff, "en")
    run("--days", "0")
    [message] = mail.outbox
    assert message.subject == "[LevelCheck] Overdue action: KPIを定義する"
    assert f"was due on {written(TODAY - DAY, 'en')} and is still open" in message.body


def test_an_owner_without_an_address_is_skipped(reminded):
    reminded.users.staff.email = ""
    reminded.users.staff.save()
    assert run() == "Sent 1 reminder(s).\n"
    assert Action.objects.get(pk=reminded.actions["overdue"].pk).reminded_for is None


def test_it_refuses_a_bad_number_of_days(reminded):
    with pytest.raises(CommandError):
        run("--days", "-1")
    assert mail.outbox == []
