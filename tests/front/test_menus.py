"""The site's menu leads every role somewhere: staff, who never see a campaign, get no
Campaigns entry (it led to 「閲覧できる実施回はまだありません。」); the roles that run or answer
campaigns keep it; every entry a role is offered opens a page with something on it."""

import re

import pytest
from django.urls import reverse

CAMPAIGNS = reverse("assessments:campaign-list")
EMPTY = "閲覧できる実施回はまだありません。"


def menu_of(client) -> dict[str, str]:
    """{link text: href} of the header's main menu."""
    html = client.get("/").content.decode()
    nav = re.search(r'<nav class="site-nav"[^>]*>(.*?)</nav>', html, re.S).group(1)
    return {text.strip(): href for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav)}


@pytest.mark.parametrize(
    ("role", "entries"),
    [
        ("org_admin", ["レベルチェック診断", "診断の実施回", "学習"]),
        ("consultant", ["レベルチェック診断", "診断の実施回", "学習"]),
        ("manager", ["レベルチェック診断", "診断の実施回", "学習"]),
        ("staff", ["レベルチェック診断", "学習"]),
        ("nobody", ["レベルチェック診断", "学習"]),
    ],
)
def test_each_role_is_offered_the_entries_that_lead_somewhere(client, cast, role, entries):
    client.force_login(getattr(cast.users, role))
    menu = menu_of(client)
    assert list(menu) == entries
    for href in menu.values():
        reply = client.get(href, follow=True)
        assert reply.status_code == 200, href
        assert EMPTY not in reply.content.decode(), href


def test_staff_get_no_campaigns_entry_though_the_page_still_answers(client, cast):
    client.force_login(cast.users.staff)
    assert CAMPAIGNS not in menu_of(client).values()
    html = client.get(CAMPAIGNS).content.decode()
    # Reached by an old bookmark, the page still points to where their work is.
    assert EMPTY in html and 'href="/learn/"' in html


def test_visitors_see_the_level_check_only(client, cast):
    assert list(menu_of(client)) == ["レベルチェック診断"]


def test_the_menu_speaks_english(client, cast):
    client.force_login(cast.users.manager)
    reply = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    nav = re.search(r'<nav class="site-nav"[^>]*>(.*?)</nav>', reply.content.decode(), re.S)
    assert re.findall(r">([^<]+)</a>", nav.group(1)) == ["The level check", "Campaigns", "Learning"]
