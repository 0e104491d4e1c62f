"""The role × view matrix for the log-in and password-reset pages: public, the same for every
role of the cast (built with the shared helpers in tests/matrix.py)."""

import pytest
from django.urls import reverse

from accounts.models import PasswordResetRequest
from tests.matrix import ROLES, as_role, check, matrix

pytestmark = pytest.mark.django_db

EVERYONE = matrix({role: 200 for role in ROLES})
EVERYONE_REDIRECTED = matrix({role: 302 for role in ROLES})


@pytest.mark.parametrize(("role", "expected"), EVERYONE)
def test_it_shows_the_password_reset_form_to_every_role(client, cast, role, expected):
    check(as_role(client, cast, role).get(reverse("password_reset")), expected)


@pytest.mark.parametrize(("role", "expected"), EVERYONE_REDIRECTED)
def test_it_takes_a_reset_request_from_every_role(client, cast, role, expected):
    url = reverse("password_reset")
    reply = as_role(client, cast, role).post(url, {"email": "alice@example.com"})
    check(reply, expected)
    assert reply["Location"] == reverse("password_reset_done")
    assert PasswordResetRequest.objects.count() == 1


@pytest.mark.parametrize(("role", "expected"), EVERYONE)
def test_it_shows_the_done_page_to_every_role(client, cast, role, expected):
    check(as_role(client, cast, role).get(reverse("password_reset_done")), expected)


@pytest.mark.parametrize(("role", "expected"), EVERYONE)
def test_it_refuses_a_bad_reset_link_the_same_way_for_every_role(client, cast, role, expected):
    url = reverse("password_reset_confirm", args=["MQ", "bad-token"])
    reply = as_role(client, cast, role).get(url)
    check(reply, expected)
    assert reverse("password_reset") in reply.content.decode()


@pytest.mark.parametrize(("role", "expected"), EVERYONE)
def test_it_shows_the_login_page_to_every_role(client, cast, role, expected):
    check(as_role(client, cast, role).get(reverse("login")), expected)
