"""The REST API's rate limit (every method, reads included), counted in `core.throttle`'s store.

One counter per API token; a session-signed-in user without a token is counted per user, an
anonymous caller per address. Over `API_PER_MINUTE` requests in a minute DRF answers 429
`throttled` with `Retry-After` (the seconds until the counter's minute ends).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from grassroots.core import throttle
from grassroots.core.models import ApiToken


def api_rate_key(request: Any) -> str:
    """Who one API request is counted as: its token, else its user, else its address."""
    if isinstance(request.auth, ApiToken):
        return f"api:token:{request.auth.pk}"
    user = request.user
    if user is not None and user.is_authenticated:
        return f"api:user:{user.pk}"
    return f"api:addr:{throttle.client_address(request)}"


class SharedRateThrottle(BaseThrottle):
    """At most `API_PER_MINUTE` requests per minute per token, user or address (0: no limit)."""

    def __init__(self) -> None:
        self._wait: int | None = None

    def allow_request(self, request: Any, view: Any) -> bool:
        limit = settings.API_PER_MINUTE
        if limit <= 0:
            return True
        hit = throttle.hit(api_rate_key(request), limit=limit, window=60)
        self._wait = None if hit.allowed else hit.reset_in
        return hit.allowed

    def wait(self) -> float | None:
        return self._wait
