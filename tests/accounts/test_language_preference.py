"""Each person's language is remembered: switching the language while signed in keeps the
choice, logging in brings it back (on any device), and nothing else (a login, a visitor's
switch, an unknown code) stores anything: nobody's language is guessed."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.languages import language_of, remember
from accounts.models import LanguagePreference

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-password-2026"


@pytest.fixture
def mika(django_user_model):
    return django_user_model.objects.create_user("mika", password=PASSWORD)


def switch(client, language, **extra):
    return client.post(reverse("set_language"), {"language": language, "next": "/"}, **extra)


def test_a_signed_in_switch_is_remembered(client, mika):
    client.force_login(mika)
    reply = switch(client, "en")
    assert reply.status_code == 302 and reply.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert language_of(mika) == "en"
    switch(client, "ja")
    mika.refresh_from_db()
    assert language_of(mika) == "ja"
    assert LanguagePreference.objects.filter(user=mika).count() == 1


def test_a_visitors_switch_and_an_unknown_code_store_nothing(client, mika):
    assert switch(client, "en").status_code == 302
    assert not LanguagePreference.objects.exists()
    client.force_login(mika)
    assert switch(client, "fr").status_code == 302  # Django ignores it; no error
    assert switch(client, "x" * 500).status_code == 302
    assert not LanguagePreference.objects.exists()
    assert language_of(mika) == settings.LANGUAGE_CODE == "ja"


def test_logging_in_brings_back_the_chosen_language(client, mika):
    remember(mika, "en")
    reply = client.post(
        reverse("login"), {"username": "mika", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="ja"
    )
    assert reply.status_code == 302
    assert reply.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="ja")
    assert '<html lang="en">' in page.content.decode()


def test_a_login_without_a_choice_guesses_nothing(client, mika):
    reply = client.post(
        reverse("login"), {"username": "mika", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert reply.status_code == 302
    assert not LanguagePreference.objects.exists() and language_of(mika) == "ja"
    assert settings.LANGUAGE_COOKIE_NAME not in reply.cookies  # the browser's language serves
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in page.content.decode()


def test_a_failed_login_stores_nothing(client, mika):
    reply = client.post(
        reverse("login"), {"username": "mika", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert reply.status_code == 200
    assert not LanguagePreference.objects.exists()


def test_nobody_chose_means_the_sites_language(mika):
    assert language_of(mika) == "ja"
    LanguagePreference.objects.create(user=mika, language="de")  # a code dropped since
    mika.refresh_from_db()
    assert language_of(mika) == "ja"


def test_the_admin_lists_who_reads_which_language(client, mika, django_user_model):
    remember(mika, "en")
    root = django_user_model.objects.create_superuser("root", password=PASSWORD)
    client.force_login(root)
    page = client.get(reverse("admin:accounts_languagepreference_changelist")).content.decode()
    assert "言語の設定" in page and "mika" in page and "英語" in page
