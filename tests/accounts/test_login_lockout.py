"""Login lockout (django-axes, fully on): per account, per client address, on the site's login
and the admin's, with a 429 page in the site layout and the API's error shape under /api/."""

import datetime
import json
import re

import pytest
from axes.middleware import AxesMiddleware
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.db.models import F
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from tests.matrix import check_api

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-pw-2026"


@pytest.fixture
def mika(django_user_model):
    return django_user_model.objects.create_user("mika", password=PASSWORD)


def log_in(client, username, password="wrong", *, ip="198.51.100.1", path="login", **extra):
    return client.post(
        reverse(path), {"username": username, "password": password}, REMOTE_ADDR=ip, **extra
    )


def fail(client, username, times, *, ip="198.51.100.1", path="login"):
    for _ in range(times):
        assert log_in(client, username, ip=ip, path=path).status_code == 200


def logged_in(reply) -> bool:
    return reply.status_code == 302 and reply["Location"] == reverse("home")


def travel(**delta):
    """Every counted failure happened ``delta`` earlier."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(**delta))


# ------------------------------------------------------------ per account


def test_it_locks_an_account_after_five_failures_from_anywhere(client, mika):
    for n in range(4):
        fail(client, "mika", 1, ip=f"198.51.100.{n + 1}")
    assert log_in(client, "mika", ip="198.51.100.5").status_code == 429
    reply = log_in(client, "mika", PASSWORD, ip="203.0.113.9")
    assert reply.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_still_logs_in_after_four_failures_and_forgets_them(client, mika):
    fail(client, "mika", 4)
    assert logged_in(log_in(client, "mika", PASSWORD))
    assert not AccessAttempt.objects.filter(username="mika").exists()


def test_it_answers_the_fifth_failure_itself_with_the_lockout(client, mika):
    fail(client, "mika", 4)
    assert log_in(client, "mika").status_code == 429


def test_it_reads_the_account_limit_from_settings(client, mika, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 2
    fail(client, "mika", 1)
    assert log_in(client, "mika").status_code == 429


def test_it_locks_an_account_that_does_not_exist_the_same_way(client):
    fail(client, "nobody-here", 4)
    assert log_in(client, "nobody-here").status_code == 429


def test_it_counts_no_attempts_during_a_lock(client, mika):
    fail(client, "mika", 4)
    log_in(client, "mika")
    before = list(AccessAttempt.objects.values_list("failures_since_start", "attempt_time"))
    for _ in range(3):
        assert log_in(client, "mika").status_code == 429
    assert list(AccessAttempt.objects.values_list("failures_since_start", "attempt_time")) == (
        before
    )


# ------------------------------------------------------------ per client address


def test_it_locks_an_address_after_twenty_failures_on_any_accounts(client, mika):
    for n in range(19):
        fail(client, f"guess{n}", 1, ip="198.51.100.7")
    assert log_in(client, "guess19", ip="198.51.100.7").status_code == 429
    assert log_in(client, "mika", PASSWORD, ip="198.51.100.7").status_code == 429
    # The account itself is not locked: from elsewhere it logs in.
    assert logged_in(log_in(client, "mika", PASSWORD, ip="203.0.113.9"))


def test_it_does_not_lock_an_address_below_its_limit(client, mika):
    for n in range(19):
        fail(client, f"guess{n}", 1, ip="198.51.100.7")
    assert logged_in(log_in(client, "mika", PASSWORD, ip="198.51.100.7"))


def test_it_reads_the_address_limit_from_settings(client, mika, settings):
    settings.LOGIN_FAILURES_PER_IP = 3
    fail(client, "a", 1)
    fail(client, "b", 1)
    assert log_in(client, "c").status_code == 429
    assert log_in(client, "mika", PASSWORD).status_code == 429


def test_it_forgets_on_success_only_that_clients_failures_on_that_account(client, mika):
    fail(client, "victim", 3, ip="198.51.100.1")
    fail(client, "victim", 1, ip="198.51.100.2")
    fail(client, "mika", 2, ip="198.51.100.2")
    assert logged_in(log_in(client, "mika", PASSWORD, ip="198.51.100.2"))
    left = set(AccessAttempt.objects.values_list("username", "ip_address", "failures_since_start"))
    assert left == {("victim", "198.51.100.1", 3), ("victim", "198.51.100.2", 1)}


def test_it_keeps_an_address_locked_when_it_logs_in_to_its_own_account_between_guesses(
    client, mika, django_user_model
):
    django_user_model.objects.create_user("own", password=PASSWORD)
    for round_ in range(4):
        for n in range(4):
            fail(client, f"guess{round_}-{n}", 1, ip="198.51.100.7")
        assert logged_in(log_in(client, "own", PASSWORD, ip="198.51.100.7"))
        client.post(reverse("logout"))
    fail(client, "guess-last", 3, ip="198.51.100.7")
    assert log_in(client, "guess-final", ip="198.51.100.7").status_code == 429


# ------------------------------------------------------------ cool-off


def test_it_keeps_the_lock_until_the_cool_off_has_passed(client, mika):
    fail(client, "mika", 4)
    log_in(client, "mika")
    travel(minutes=14, seconds=50)
    assert log_in(client, "mika", PASSWORD).status_code == 429


def test_it_logs_in_after_the_cool_off(client, mika):
    fail(client, "mika", 4)
    log_in(client, "mika")
    travel(minutes=15, seconds=1)
    assert logged_in(log_in(client, "mika", PASSWORD))


def test_it_prunes_failures_older_than_the_cool_off(client, mika):
    fail(client, "someone-else", 2, ip="198.51.100.3")
    travel(minutes=16)
    fail(client, "mika", 1)
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["mika"]


def test_it_reads_the_cool_off_from_settings(client, mika, settings):
    settings.LOGIN_LOCKOUT_MINUTES = 60
    fail(client, "mika", 4)
    reply = log_in(client, "mika")
    assert 3590 <= int(reply["Retry-After"]) <= 3600
    travel(minutes=30)
    assert log_in(client, "mika", PASSWORD).status_code == 429


def test_it_lifts_the_account_lock_when_the_password_is_reset_by_e_mail(client, mika, mailoutbox):
    mika.email = "mika@example.com"
    mika.save()
    fail(client, "mika", 4)
    log_in(client, "mika")
    client.post(reverse("password_reset"), {"email": "mika@example.com"})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mailoutbox[0].body).group(1)
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-new-pw-for-mika-9", "new_password2": "a-new-pw-for-mika-9"},
    )
    assert logged_in(log_in(client, "mika", "a-new-pw-for-mika-9"))


# ------------------------------------------------------------ the 429 page


def lock_mika(client):
    fail(client, "mika", 4)
    return log_in(client, "mika")


def lock_ends() -> str:
    last = AccessAttempt.objects.filter(username="mika").latest("attempt_time").attempt_time
    # the clock time with the time zone's name: settings.TIME_ZONE is Asia/Tokyo
    return timezone.localtime(last + datetime.timedelta(minutes=15)).strftime("%H:%M JST")


def test_it_shows_the_lockout_page_in_japanese(client, mika):
    reply = lock_mika(client)
    assert reply.status_code == 429
    page = reply.content.decode()
    assert '<html lang="ja">' in page
    assert 'class="site-header"' in page  # inside the site layout
    assert "ログインを一時停止しています" in page
    assert f"{lock_ends()} 以降にもう一度お試しください（約15分後）。" in page
    assert reverse("password_reset") in page
    assert 890 <= int(reply["Retry-After"]) <= 900


def test_it_shows_the_lockout_page_in_english(client, mika):
    client.cookies["django_language"] = "en"
    reply = lock_mika(client)
    assert reply.status_code == 429
    page = reply.content.decode()
    assert '<html lang="en">' in page
    assert "Logging in is paused" in page
    assert f"Try again after {lock_ends()} (in about 15 minutes)." in page


def test_it_says_minute_in_the_singular(client, mika):
    lock_mika(client)
    travel(minutes=14, seconds=30)
    client.cookies["django_language"] = "en"
    assert "(in about 1 minute)." in log_in(client, "mika").content.decode()


# ------------------------------------------------------------ API and script requests


def api_login(request):
    """What an API login endpoint would do: authenticate with the request."""
    user = authenticate(request, username=request.POST["username"], password="wrong")
    return HttpResponse(status=200 if user else 400)


def test_it_answers_api_requests_with_the_api_error_shape(mika):
    middleware = AxesMiddleware(api_login)
    replies = [
        middleware(RequestFactory().post("/api/v1/login/", {"username": "mika"})) for _ in range(6)
    ]
    assert [reply.status_code for reply in replies] == [400, 400, 400, 400, 429, 429]
    assert replies[-1]["Content-Type"] == "application/json"
    body = json.loads(replies[-1].content)
    assert set(body) == {"error"}
    assert body["error"]["code"] == "locked_out"
    assert body["error"]["fields"] == {}
    assert "15" in body["error"]["message"]
    assert f"{lock_ends()} 以降" in body["error"]["message"]  # with its time zone, as the page
    assert 890 <= int(replies[-1]["Retry-After"]) <= 900


def test_it_answers_a_script_login_with_the_api_error_shape(client, mika):
    fail(client, "mika", 4)
    reply = log_in(client, "mika", HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    check_api(reply, 429, "locked_out")


# ------------------------------------------------------------ admin


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("boss", password=PASSWORD)


def test_it_locks_the_admin_login_too(client, admin_user):
    fail(client, "boss", 4, path="admin:login")
    reply = log_in(client, "boss", path="admin:login")
    assert reply.status_code == 429
    assert "ログインを一時停止しています" in reply.content.decode()
    assert log_in(client, "boss", PASSWORD, path="admin:login").status_code == 429
    assert client.get(reverse("admin:index")).status_code == 302  # still not signed in


def test_it_shares_the_counts_between_the_site_and_the_admin(client, admin_user):
    fail(client, "boss", 4)
    assert log_in(client, "boss", path="admin:login").status_code == 429


def test_it_logs_in_to_the_admin_below_the_limit(client, admin_user):
    fail(client, "boss", 2, path="admin:login")
    reply = log_in(client, "boss", PASSWORD, path="admin:login")
    assert reply.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


# ------------------------------------------------------------ the test client


def test_it_keeps_the_test_clients_login_working(client, mika):
    assert client.login(username="mika", password=PASSWORD)
    assert not client.login(username="mika", password="wrong")
    assert AccessAttempt.objects.get(username="mika").ip_address == "127.0.0.1"
