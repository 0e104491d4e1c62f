"""The client address the abuse limits count: the socket's peer, or behind trusted proxies the
address the outermost proxy saw; IPv6 clients count per /64."""

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from accounts.client_ip import client_ip


def request(remote="192.0.2.10", forwarded=None, **meta):
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", REMOTE_ADDR=remote, **meta)


def test_it_uses_the_socket_address_by_default():
    assert client_ip(request(forwarded="203.0.113.5")) == "192.0.2.10"


def test_it_takes_the_address_the_trusted_proxy_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request(forwarded="203.0.113.5")) == "203.0.113.5"


def test_it_ignores_what_the_client_put_left_of_the_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request(forwarded="6.6.6.6, 203.0.113.5, 10.0.0.2")) == "203.0.113.5"


def test_it_falls_back_to_the_socket_when_the_header_is_short_or_garbage(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request(forwarded="203.0.113.5")) == "192.0.2.10"
    assert client_ip(request(forwarded="unknown, 10.0.0.2")) == "192.0.2.10"
    assert client_ip(request()) == "192.0.2.10"


def test_it_reads_the_configured_header(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    assert client_ip(request(forwarded="6.6.6.6", HTTP_X_REAL_IP="203.0.113.5")) == "203.0.113.5"


def test_it_counts_an_ipv6_client_as_its_slash_64():
    assert client_ip(request("2001:db8:1:2:aaaa::1")) == "2001:db8:1:2::"
    assert client_ip(request("2001:db8:1:2:bbbb::9")) == "2001:db8:1:2::"
    assert client_ip(request("::ffff:192.0.2.1")) == "192.0.2.1"


@pytest.mark.django_db
def test_it_counts_failed_logins_per_forwarded_address(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(3):
        client.post(
            reverse("login"),
            {"username": f"u{n}", "password": "x"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {
        "203.0.113.0",
        "203.0.113.1",
        "203.0.113.2",
    }
