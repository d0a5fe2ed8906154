"""The request context of log records: request id, view name, user id and status.

`RequestIdMiddleware` opens a `RequestContext` for each request in a context variable;
`RequestContextFilter` copies it onto every log record written while the request is handled
(in its thread), so any logger's lines carry the request id. Records written outside a request
(the scheduler, a task's thread) carry none.

The request id is the proxy's ``X-Request-ID`` when it is well formed (`well_formed`), else a
new random one; either way it is returned in the response's ``X-Request-ID`` header.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

from grassroots.core.observability.logjson import PERSONAL, redact

HEADER = "X-Request-ID"

# Letters, digits and - _ . : (nginx's $request_id is 32 hex digits; a UUID has dashes).
_SHAPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")
# A request id is logged: refuse one that holds what looks like a phone (a run of exactly 11
# digits starting with 1) or an ID number (15 to 18 digits, the last possibly X) — the shapes
# the logs redact (`logjson.PERSONAL`).


def well_formed(value: str) -> bool:
    """Whether a proxy's request id may be used as it is: 8–128 characters of letters, digits
    and ``-_.:``, starting with a letter or digit, holding nothing shaped like a phone or an
    ID number."""
    return bool(_SHAPE.fullmatch(value)) and not PERSONAL.search(value)


def new_request_id() -> str:
    """A fresh request id: 32 hex digits, as nginx makes them, never holding a run of digits
    shaped like a phone or an ID number (about one random id in forty would: drawn again), so
    that it is well formed and no log line redacts it."""
    while True:
        rid = uuid.uuid4().hex
        if not PERSONAL.search(rid):
            return rid


@dataclass
class RequestContext:
    """What the log records of one request share. `request` is read only for the user id, and
    only once authentication has resolved the user (a log line never causes a query)."""

    request_id: str
    request: HttpRequest | None = None
    view: str = ""
    status: int | None = None

    @property
    def user_id(self) -> int | None:
        user = getattr(self.request, "user", None) if self.request is not None else None
        if user is None:
            return None
        if getattr(user, "_wrapped", None) is empty:  # a lazy user not resolved yet
            return None
        if not getattr(user, "is_authenticated", False):
            return None
        return getattr(user, "pk", None)


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "grassroots_request", default=None
)


def current() -> RequestContext | None:
    """The context of the request being handled in this thread (None outside a request)."""
    return _current.get()


def _clear() -> None:
    _current.set(None)


class RequestIdMiddleware:
    """Gives each request an id (the proxy's if well formed), keeps it for the request's log
    records and returns it as ``X-Request-ID``. Put it first: every later layer logs with it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(HEADER, "")
        request_id = given if given and well_formed(given) else new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        _current.set(RequestContext(request_id=request_id, request=request))
        try:
            response = self.get_response(request)
        except BaseException:
            _current.set(None)
            raise
        response[HEADER] = request_id
        # Kept until the server closes the response: Django logs an error status (the
        # `django.request` line) after the middleware has returned, and it should carry the id.
        response._resource_closers.append(_clear)  # type: ignore[attr-defined]
        return response


class RequestContextFilter(logging.Filter):
    """Adds ``request_id``, ``view`` and ``user_id`` to every record (blank outside a request);
    a record that already names them (the request line) keeps its own. A message holding
    something shaped like a phone or an ID number (Django's "Not Found: <path>" lines quote the
    path) is redacted here, for the text format as for JSON (`logjson.redact`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = None  # a bad format string: the handler reports it as it always did
        if message is not None:
            cleaned = redact(message)
            if cleaned != message:
                record.msg, record.args = cleaned, None
        ctx = _current.get()
        fields: dict[str, Any] = {
            "request_id": ctx.request_id if ctx else None,
            "view": ctx.view if ctx and ctx.view else None,
            "user_id": ctx.user_id if ctx else None,
        }
        for name, value in fields.items():
            if not hasattr(record, name):
                setattr(record, name, value)
        return True
