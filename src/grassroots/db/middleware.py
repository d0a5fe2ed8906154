"""The request side of replica routing (`grassroots.db.routing`): choose, stamp, forget."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from grassroots.db.routing import (
    READ_ALIAS,
    STICKY_COOKIE,
    choose_read_alias,
    replica_configured,
    stamp_writer,
)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class ReplicaMiddleware:
    """Route a read-only view's reads to the replica; make a writer read its own writes.

    - before the view: `choose_read_alias` decides (method, view, sticky stamp, replica health);
    - after any unsafe request (POST, PUT, PATCH, DELETE): the response sets the sticky cookie
      to now + ``REPLICA_STICKY_SECONDS``, so that this browser's next reads go to the primary
      until the replica has surely replayed its write; an API client's Authorization header is
      stamped the same way in the shared store (`stamp_writer`: tokens send no cookie);
    - a response read from the replica carries ``X-Data-As-Of`` (ISO 8601): every commit up to
      then is in it (pages also say so at their foot);
    - after the response: the routing is forgotten (nothing leaks into the next request).

    Without a configured replica it does nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured():
            return self.get_response(request)
        token = READ_ALIAS.set(None)
        try:
            response = self.get_response(request)
        finally:
            READ_ALIAS.reset(token)
        as_of = getattr(request, "replica_as_of", None)
        if as_of is not None:
            response["X-Data-As-Of"] = as_of.isoformat()
        if request.method not in SAFE_METHODS:
            seconds = float(settings.REPLICA_STICKY_SECONDS)
            stamp_writer(request, seconds)
            response.set_cookie(
                STICKY_COOKIE,
                f"{time.time() + seconds:.3f}",
                max_age=max(1, int(seconds) + 1),
                httponly=True,
                samesite="Lax",
                secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
            )
        return response

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if replica_configured():
            match = request.resolver_match
            READ_ALIAS.set(choose_read_alias(request, match.view_name if match else None))
        return None
