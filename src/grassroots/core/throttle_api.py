"""The REST API's rate limit (every method, reads included), counted in `core.throttle`'s store.

One counter per API token; a session-signed-in user without a token is counted per user, an
anonymous caller per address. Over `API_PER_MINUTE` requests in a minute DRF answers 429
`throttled` with `Retry-After` (the seconds until the counter's minute ends).

A token's hit is sent with the token's look-up (`TOKEN_HIT`, a companion of `core.tokens`: one
round trip fewer on PostgreSQL) when the database is the store and takes the token's reads.
It then counts every request of a token that exists, including those refused afterwards (403);
a key no token has writes no counter.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connections, router
from rest_framework.throttling import BaseThrottle

from grassroots.core import throttle
from grassroots.core.models import ApiToken, ThrottleCounter, User
from grassroots.core.tokens import Companion

WINDOW = 60
# Where the hit sent with the token's look-up waits for the throttle, on the token's user.
_HIT_ATTR = "_grassroots_api_hit"


def _token_key(key_hash: str) -> str:
    return f"api:token:{key_hash}"


def api_rate_key(request: Any) -> str:
    """Who one API request is counted as: its token, else its user, else its address."""
    if isinstance(request.auth, ApiToken):
        return _token_key(request.auth.key_hash)
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
        hit = _sent_hit(request)
        if hit is None:
            hit = throttle.hit(api_rate_key(request), limit=limit, window=WINDOW)
        self._wait = None if hit.allowed else hit.reset_in
        return hit.allowed

    def wait(self) -> float | None:
        return self._wait


def _send_hit(key_hash: str, alias: str) -> throttle.SentHit | None:
    """The token's hit, sent with its look-up when the database is the store and the token is
    read where the counters are written (PostgreSQL); counted only if a token has that hash."""
    store = throttle.store()
    if settings.API_PER_MINUTE <= 0 or not isinstance(store, throttle.DatabaseStore):
        return None
    # On SQLite the token's SELECT, not yet read to its end, would make the write fail at once
    # when another connection writes ("database is locked"); nothing to gain there anyway.
    if router.db_for_write(ThrottleCounter) != alias or connections[alias].vendor == "sqlite":
        return None
    exists = f"EXISTS (SELECT 1 FROM {ApiToken._meta.db_table} WHERE key_hash = %s)"  # noqa: S608
    return store.send_hit(
        _token_key(key_hash), WINDOW, connections[alias], only_if=(exists, [key_hash])
    )


def _keep_hit(user: User, sent: throttle.SentHit) -> None:
    answer = sent.answer()
    if answer is not None:
        count, left = answer
        setattr(user, _HIT_ATTR, (count, left))


def _sent_hit(request: Any) -> throttle.Hit | None:
    """The hit sent with this request's token look-up (taken once), if one was."""
    user = getattr(request, "user", None)
    answer = getattr(user, _HIT_ATTR, None) if isinstance(request.auth, ApiToken) else None
    if answer is None:
        return None
    delattr(user, _HIT_ATTR)
    count, left = answer
    return throttle.counted(count, left, limit=settings.API_PER_MINUTE, window=WINDOW)


TOKEN_HIT = Companion(send=_send_hit, keep=_keep_hit)
