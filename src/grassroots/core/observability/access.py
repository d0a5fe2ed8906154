"""Who may read ``/metrics``: a bearer token and/or an address allow-list, from the environment.

- ``GRASSROOTS_METRICS_TOKEN``: ``Authorization: Bearer <token>`` with this exact value passes
  (compared in constant time).
- ``GRASSROOTS_METRICS_ALLOW``: comma list of addresses or networks (``10.0.0.5``,
  ``10.1.0.0/16``, ``::1``); a request whose ``REMOTE_ADDR`` is in one passes. Behind a reverse
  proxy on the same machine every request comes from the proxy's address: allow-list only
  addresses that reach the application directly.

With neither set, nobody may read it. Anyone refused gets 404, as for a missing page.
"""

from __future__ import annotations

import functools
import hmac
import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(value: str) -> tuple[Network, ...]:
    """The networks of a comma list; ImproperlyConfigured naming the bad entry otherwise."""
    out = []
    for entry in (e.strip() for e in value.split(",")):
        if not entry:
            continue
        try:
            out.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"GRASSROOTS_METRICS_ALLOW: {entry!r} is not an address or a network"
            ) from None
    return tuple(out)


@functools.cache
def _networks(value: str) -> tuple[Network, ...]:
    return parse_networks(value)


def allowed_networks() -> tuple[Network, ...]:
    return _networks(settings.METRICS_ALLOW)


def token_matches(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    if not token:
        return False
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


def address_allowed(request: HttpRequest) -> bool:
    networks = allowed_networks()
    if not networks:
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in networks)


def metrics_permitted(request: HttpRequest) -> bool:
    """Whether `request` may read ``/metrics``: the token, or an allow-listed address."""
    return token_matches(request) or address_allowed(request)
