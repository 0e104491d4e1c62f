"""The client address that the abuse limits count (failed logins, reset requests)."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The socket's peer, or, behind ``TRUSTED_PROXY_COUNT`` proxies, the address the outermost
    of them received the request from (read from the right of ``CLIENT_IP_HEADER``, because
    everything to the left of what our own proxies appended is whatever the client sent).

    An IPv6 client counts as its /64 network: one host or household is handed a whole /64, so
    counting single addresses would let it step around every limit."""
    peer = _normalised(request.META.get("REMOTE_ADDR"))
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return peer
    forwarded = [
        hop.strip()
        for hop in request.META.get(settings.CLIENT_IP_HEADER, "").split(",")
        if hop.strip()
    ]
    # Fewer entries than proxies: the request did not come through all of them.
    if len(forwarded) < hops:
        return peer
    return _normalised(forwarded[-hops]) or peer


def _normalised(address: str | None) -> str | None:
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return None
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)
