"""Log in, log out and password reset through Django's auth, on LevelCheck's pages."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_logs_in_and_out(client, django_user_model):
    django_user_model.objects.create_user("mika", password="pw-secret-1")
    page = client.get(reverse("login"))
    assert "ログイン" in page.content.decode()
    reply = client.post(reverse("login"), {"username": "mika", "password": "pw-secret-1"})
    assert reply["Location"] == reverse("home")
    assert client.post(reverse("logout"))["Location"] == reverse("home")


def test_a_wrong_password_says_so(client, django_user_model):
    django_user_model.objects.create_user("mika", password="pw-secret-1")
    reply = client.post(reverse("login"), {"username": "mika", "password": "nope"})
    assert reply.status_code == 200
    assert 'role="alert"' in reply.content.decode()


def test_a_password_can_be_reset_by_e_mail(client, django_user_model, mailoutbox):
    user = django_user_model.objects.create_user(
        "mika", email="mika@example.com", password="old-pw-1"
    )
    client.post(reverse("password_reset"), {"email": "mika@example.com"})
    [message] = mailoutbox
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    reply = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-much-better-pw-2026", "new_password2": "a-much-better-pw-2026"},
    )
    assert reply["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("a-much-better-pw-2026")
