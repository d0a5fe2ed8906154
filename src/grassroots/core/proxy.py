"""The client's address behind a trusted reverse proxy (docs/deploy.md, "nginx").

Behind nginx every request reaches gunicorn from nginx's own address, so everything keyed on
``REMOTE_ADDR`` — the login throttle's per-address counts and delays, the API's anonymous rate
limit, the audit log's source — would see one client for the whole county. nginx passes the
address it saw in ``X-Real-IP`` (set by nginx itself, replacing any such header a client sent).

Guarantee: ``REMOTE_ADDR`` is replaced only when the request comes from an address listed in
``GRASSROOTS_TRUSTED_PROXIES`` (empty by default: nothing is trusted) and ``X-Real-IP`` holds one
valid IP address; otherwise the request is left as it came. ``X-Forwarded-For`` is never read:
its leftmost entries are whatever the client wrote.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Handler = Callable[[HttpRequest], HttpResponse]


def proxied_address(meta: dict[str, str], trusted: list[str]) -> str | None:
    """The client's address a trusted proxy passed on, or None (not from one, or no valid one)."""
    peer = meta.get("REMOTE_ADDR", "")
    if not peer or peer not in trusted:
        return None
    claimed = meta.get("HTTP_X_REAL_IP", "").strip()
    try:
        return str(ipaddress.ip_address(claimed))
    except ValueError:
        return None


class ProxyClientAddressMiddleware:
    """Sets ``REMOTE_ADDR`` to the address a trusted proxy passed in ``X-Real-IP``; in MIDDLEWARE
    before anything that reads the address (only the request id, which does not, comes first), so
    that every later reader (throttles, audit, the metrics allow-list) sees the client's."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        address = proxied_address(request.META, settings.TRUSTED_PROXIES)
        if address is not None:
            request.META["REMOTE_ADDR"] = address
        return self.get_response(request)
