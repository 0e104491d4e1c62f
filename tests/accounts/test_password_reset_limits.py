"""Password-reset links: at most 3 per address and 20 per client address in any hour, counted
in the database; the answer never tells whether an address has an account."""

import datetime
import re
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection
from django.db.models import F
from django.urls import reverse

from accounts.models import PasswordResetRequest
from accounts.services import ResetVerdict, register_password_reset_request

pytestmark = pytest.mark.django_db

DONE = reverse("password_reset_done")


@pytest.fixture
def mika(django_user_model):
    return django_user_model.objects.create_user(
        "mika", email="mika@example.com", password="pw-secret-1"
    )


def ask(client, email, *, ip="198.51.100.1"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def travel(**delta):
    """Every counted request was made ``delta`` earlier."""
    PasswordResetRequest.objects.update(created_at=F("created_at") - datetime.timedelta(**delta))


def without_tokens(page: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.decode())


# ------------------------------------------------------------ per address


def test_it_sends_at_most_three_links_per_address_per_hour(client, mika, mailoutbox):
    replies = [ask(client, "mika@example.com", ip=f"198.51.100.{n}") for n in range(1, 6)]
    assert [reply["Location"] for reply in replies] == [DONE] * 5
    assert len(mailoutbox) == 3
    assert {message.to[0] for message in mailoutbox} == {"mika@example.com"}


def test_it_counts_an_address_whatever_its_capitalisation(client, mika, mailoutbox):
    for email in ("mika@example.com", "Mika@Example.com", " MIKA@EXAMPLE.COM", "mika@example.com"):
        ask(client, email)
    assert len(mailoutbox) == 3


def test_it_keeps_the_limits_of_different_addresses_apart(
    client, mika, django_user_model, mailoutbox
):
    django_user_model.objects.create_user("ken", email="ken@example.com", password="pw")
    for _ in range(3):
        ask(client, "mika@example.com")
    ask(client, "ken@example.com")
    assert [message.to[0] for message in mailoutbox][-1] == "ken@example.com"
    assert len(mailoutbox) == 4


def test_it_sends_again_once_the_hour_has_passed(client, mika, mailoutbox):
    for _ in range(3):
        ask(client, "mika@example.com")
    travel(minutes=59)
    ask(client, "mika@example.com")
    assert len(mailoutbox) == 3
    travel(minutes=1, seconds=1)
    ask(client, "mika@example.com")
    assert len(mailoutbox) == 4


def test_it_reads_the_address_limit_from_settings(client, mika, mailoutbox, settings):
    settings.PASSWORD_RESET_PER_ADDRESS_PER_HOUR = 1
    ask(client, "mika@example.com")
    ask(client, "mika@example.com")
    assert len(mailoutbox) == 1


# ------------------------------------------------------------ not leaking


def test_it_answers_a_throttled_address_exactly_like_a_sent_link(client, mika, mailoutbox):
    sent = ask(client, "mika@example.com")
    for _ in range(3):
        throttled = ask(client, "mika@example.com")
    assert len(mailoutbox) == 3
    assert (throttled.status_code, throttled["Location"]) == (sent.status_code, sent["Location"])


def test_it_answers_an_unknown_address_exactly_like_a_known_one(client, mika, mailoutbox):
    for _ in range(5):
        known = ask(client, "mika@example.com")
        unknown = ask(client, "nobody@example.com")
        assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert {message.to[0] for message in mailoutbox} == {"mika@example.com"}


def test_it_shows_the_same_done_page_whether_sent_or_not(client, mika):
    sent = client.get(ask(client, "mika@example.com")["Location"])
    unknown = client.get(ask(client, "nobody@example.com")["Location"])
    for _ in range(3):
        ask(client, "mika@example.com")
    throttled = client.get(ask(client, "mika@example.com")["Location"])
    assert sent.status_code == unknown.status_code == throttled.status_code == 200
    assert without_tokens(sent.content) == without_tokens(unknown.content)
    assert without_tokens(sent.content) == without_tokens(throttled.content)
    assert "メールをご確認ください" in sent.content.decode()


def test_it_counts_requests_for_unknown_addresses_too(client, mailoutbox):
    for _ in range(4):
        ask(client, "nobody@example.com")
    assert PasswordResetRequest.objects.count() == 4


def test_it_keeps_no_address_in_clear(client, mika):
    ask(client, "mika@example.com")
    [row] = PasswordResetRequest.objects.values()
    assert "mika" not in str(row).lower()
    assert row["ip_address"] == "198.51.100.1"


def test_it_does_not_count_a_form_with_an_invalid_address(client):
    reply = ask(client, "not-an-address")
    assert reply.status_code == 200
    assert not PasswordResetRequest.objects.exists()


# ------------------------------------------------------------ per client address


def ask_twenty(client, ip="198.51.100.7"):
    for n in range(20):
        assert ask(client, f"someone{n}@example.com", ip=ip)["Location"] == DONE


def test_it_refuses_the_twenty_first_request_from_one_address(client, mika, mailoutbox):
    ask_twenty(client)
    reply = ask(client, "mika@example.com", ip="198.51.100.7")
    assert reply.status_code == 429
    assert reply["Retry-After"] == "3600"
    assert mailoutbox == []
    # Another client address is not affected.
    assert ask(client, "mika@example.com", ip="203.0.113.9")["Location"] == DONE
    assert len(mailoutbox) == 1


def test_it_does_not_count_a_refused_request(client):
    ask_twenty(client)
    ask(client, "x@example.com", ip="198.51.100.7")
    assert PasswordResetRequest.objects.filter(ip_address="198.51.100.7").count() == 20


def test_it_accepts_requests_from_the_address_again_after_an_hour(client, mika, mailoutbox):
    ask_twenty(client)
    travel(hours=1, seconds=1)
    assert ask(client, "mika@example.com", ip="198.51.100.7")["Location"] == DONE
    assert len(mailoutbox) == 1


def test_it_reads_the_address_limit_per_ip_from_settings(client, settings):
    settings.PASSWORD_RESET_PER_IP_PER_HOUR = 2
    ask(client, "a@example.com")
    ask(client, "b@example.com")
    assert ask(client, "c@example.com").status_code == 429


def test_it_shows_the_429_page_in_japanese(client):
    ask_twenty(client)
    reply = ask(client, "x@example.com", ip="198.51.100.7")
    page = reply.content.decode()
    assert '<html lang="ja">' in page
    assert 'class="site-header"' in page
    assert "リクエストが多すぎます" in page
    assert "1時間後にもう一度お試しください。" in page


def test_it_shows_the_429_page_in_english(client):
    client.cookies["django_language"] = "en"
    ask_twenty(client)
    page = ask(client, "x@example.com", ip="198.51.100.7").content.decode()
    assert '<html lang="en">' in page
    assert "Too many requests" in page
    assert "Try again in an hour." in page


# ------------------------------------------------------------ pruning


def test_it_prunes_requests_older_than_an_hour(client):
    ask(client, "old@example.com")
    ask(client, "old@example.com", ip="198.51.100.2")
    travel(hours=1, seconds=1)
    ask(client, "new@example.com")
    assert PasswordResetRequest.objects.count() == 1


def test_it_still_resets_a_password_through_the_link(client, mika, mailoutbox):
    ask(client, "mika@example.com")
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mailoutbox[0].body).group(1)
    form = client.get(link, follow=True)
    reply = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-much-better-pw-2026", "new_password2": "a-much-better-pw-2026"},
    )
    assert reply["Location"] == reverse("password_reset_complete")
    mika.refresh_from_db()
    assert mika.check_password("a-much-better-pw-2026")


def test_the_new_password_form_shows_the_rules_and_says_what_was_wrong(client, mika, mailoutbox):
    """The password rules (Django's validators' help) stand under the field that names them
    in aria-describedby, and a refused password is marked invalid with its error."""
    ask(client, "mika@example.com")
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mailoutbox[0].body).group(1)
    form = client.get(link, follow=True)
    html = form.content.decode()
    field = re.search(r'<input[^>]*name="new_password1"[^>]*>', html).group(0)
    assert 'aria-describedby="id_new_password1_helptext"' in field
    assert '<div class="field-help muted" id="id_new_password1_helptext"><ul>' in html
    assert "8 文字以上" in html  # MinimumLengthValidator's rule, in Japanese
    refused = client.post(
        form.redirect_chain[-1][0], {"new_password1": "short", "new_password2": "other"}
    ).content.decode()
    field = re.search(r'<input[^>]*name="new_password2"[^>]*>', refused).group(0)
    assert 'aria-invalid="true"' in field and "id_new_password2_error" in field
    assert 'id="id_new_password2_error"' in refused
    mika.refresh_from_db()
    assert not mika.check_password("short")


# ------------------------------------------------------------ several app servers at once


@pytest.mark.django_db(transaction=True)
def test_it_never_lets_more_links_through_than_the_limit_under_concurrent_requests():
    """Eight requests at the same moment, each on its own connection, as from several app
    servers: at most three links go out."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    start = Barrier(8)

    def one(n):
        start.wait()
        try:
            return register_password_reset_request(
                address="mika@example.com", ip_address=f"198.51.100.{n}"
            )
        finally:
            connection.close()

    with ThreadPoolExecutor(8) as pool:
        verdicts = list(pool.map(one, range(8)))
    assert verdicts.count(ResetVerdict.SEND) <= 3
    assert PasswordResetRequest.objects.count() == 8
