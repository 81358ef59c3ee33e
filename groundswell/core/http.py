"""Facts about the HTTP request that several domains need."""

from __future__ import annotations

import ipaddress
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _trusted(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)
    except ValueError as exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES has a bad address: {exc}") from None


def _valid(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The address of the person making the request.

    Behind trusted proxies (TRUSTED_PROXIES), X-Forwarded-For is read from the right:
    the first address that is not one of our proxies is the client. Anything to its
    left was written by the client and could be forged, so it is never used.
    """
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    trusted = _trusted(tuple(settings.TRUSTED_PROXIES))
    if remote is None or not any(remote in net for net in trusted):
        return str(remote) if remote else None
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _valid(hop)
        if address is None:
            break
        if not any(address in net for net in trusted):
            return str(address)
    return str(remote)
