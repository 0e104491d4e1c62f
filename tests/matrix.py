"""Shared pieces of the role × view isolation matrices.

Every matrix row is one view, every cell one role of the ``cast`` fixture. Anonymous users are
sent to the login page (the API answers 403); an object of another organisation is a 404 (its
existence is not revealed); inside the organisation, a user without the right gets a 403.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

LOGIN = "login"  # anonymous on the web: redirected to the login page

ACME = ("org_admin", "consultant", "manager", "other_manager", "staff")
OUTSIDE = ("consultant_without_access", "outsider", "nobody")
ROLES = ("anonymous", *ACME, *OUTSIDE)
GLOBEX = ("outsider", "consultant_without_access")


def matrix(allowed: dict[str, object], *, inside=ACME, anonymous=LOGIN) -> list:
    """One (role, expected) cell per role of ``ROLES`` and any extra role in ``allowed``:
    ``allowed`` as given, anonymous ``anonymous``, other users ``inside`` the organisation 403
    and everyone else 404."""
    cells = []
    for role in (*ROLES, *(r for r in allowed if r not in ROLES)):
        if role in allowed:
            expected = allowed[role]
        elif role == "anonymous":
            expected = anonymous
        elif role in inside:
            expected = 403
        else:
            expected = 404
        cells.append(pytest.param(role, expected, id=f"{role}-{expected}"))
    return cells


def api_matrix(allowed: dict[str, object], *, inside=ACME) -> list:
    """As ``matrix`` for the API: anonymous callers get a 403, not a redirect."""
    return matrix(allowed, inside=inside, anonymous=403)


def user_of(cast, role):
    """The user who plays ``role`` in the cast (``globex_manager``: Globex's respondent)."""
    if role == "globex_manager":
        return cast.globex_response.respondent
    return getattr(cast.users, role)


def as_role(client, cast, role):
    """``client`` signed in as ``role`` (left signed out for anonymous)."""
    if role != "anonymous":
        client.force_login(user_of(cast, role))
    return client


def api_as(cast, role, **options) -> APIClient:
    """A new ``APIClient(**options)`` signed in as ``role``."""
    return as_role(APIClient(**options), cast, role)


def check(reply, expected) -> None:
    """A web reply has the ``expected`` status, or is a redirect to login for ``LOGIN``."""
    if expected == LOGIN:
        assert reply.status_code == 302
        assert reply["Location"].startswith(reverse("login") + "?next=")
    else:
        assert reply.status_code == expected, reply.content[:300]


def check_api(reply, expected: int, code: str | None = None) -> None:
    """An API reply has the ``expected`` status; an error also has the project's shape
    {"error": {"code", "message"}}, with the given ``code`` if any."""
    assert reply.status_code == expected, reply.content[:300]
    if expected >= 400:
        body = reply.json()
        assert set(body) == {"error"}
        assert body["error"]["code"]
        assert isinstance(body["error"]["message"], str) and body["error"]["message"]
        if code is not None:
            assert body["error"]["code"] == code


def succeeded(expected) -> bool:
    """Whether an expected status means the request went through."""
    return expected in (200, 302)
