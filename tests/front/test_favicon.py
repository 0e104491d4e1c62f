"""The site has an icon: every page links it and /favicon.ico leads to it (no 404)."""

import pytest
from django.contrib.staticfiles import finders


@pytest.mark.django_db
def test_the_icon_is_linked_and_favicon_ico_redirects_to_it(client):
    html = client.get("/accounts/login/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    reply = client.get("/favicon.ico")
    assert reply.status_code == 301 and reply["Location"] == "/static/favicon.svg"
    assert finders.find("favicon.svg") is not None
