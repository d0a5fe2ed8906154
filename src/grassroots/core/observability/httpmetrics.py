"""Request metrics per view and the request log line.

Three series, labelled only by bounded, impersonal values: ``view`` (the URL pattern's name,
e.g. ``people:resident``; ``<static>`` for static files, ``<unmatched>`` when no pattern
matches), ``method`` (the standard methods, else ``OTHER``) and ``status`` (the class: ``2xx``
… ``5xx``). A path, an object id or a query string never becomes a label.

- ``grassroots_http_requests_total`` (counter),
- ``grassroots_http_request_duration_seconds`` (histogram, by view and method),
- ``grassroots_http_request_queries`` (histogram of database queries per request, by view,
  every database alias counted).

With ``PROMETHEUS_MULTIPROC_DIR`` set (gunicorn with several workers) prometheus_client keeps
these in files in that directory and ``/metrics`` sums every worker's (docs/operations.md).
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from prometheus_client import Counter, Histogram, disable_created_metrics

from grassroots.core.observability.context import current

log = logging.getLogger("grassroots.request")

UNMATCHED = "<unmatched>"
STATIC = "<static>"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
QUERY_BUCKETS = (0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
# The `_created` series double every counter and histogram for no use in Prometheus.
disable_created_metrics()

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

REQUESTS = Counter(
    "grassroots_http_requests",
    "HTTP requests answered, by view name, method and status class.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "grassroots_http_request_duration_seconds",
    "Time from the request reaching the application to its response, by view and method.",
    ["view", "method"],
    buckets=LATENCY_BUCKETS,
)
QUERIES = Histogram(
    "grassroots_http_request_queries",
    "Database queries run while handling one request, by view.",
    ["view"],
    buckets=QUERY_BUCKETS,
)


def view_name(request: HttpRequest) -> str:
    """The URL pattern's name of the request (resolved again when a middleware answered before
    URL resolution), ``<static>`` for a static file (WhiteNoise answers those before any URL
    pattern), or ``<unmatched>``."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        if request.path_info.startswith(settings.STATIC_URL):
            return STATIC
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return UNMATCHED
    return match.view_name or UNMATCHED


def status_class(status: int) -> str:
    return f"{status // 100}xx" if 100 <= status < 600 else "other"


class _QueryCounter:
    """A database execute wrapper counting statements (executemany counts once)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any
    ) -> Any:
        self.count += 1
        return execute(sql, params, many, ctx)


class MetricsMiddleware:
    """Counts, times and query-counts each request by view, and writes one request log line
    (``grassroots.request``, INFO) with the view, method, status and duration — never the path.
    Put it right after `RequestIdMiddleware`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        counter = _QueryCounter()
        start = time.perf_counter()
        with contextlib.ExitStack() as stack:
            for conn in connections.all():
                stack.enter_context(conn.execute_wrapper(counter))
            response = self.get_response(request)
        elapsed = time.perf_counter() - start
        view = view_name(request)
        method = request.method if request.method in METHODS else "OTHER"
        REQUESTS.labels(view, method, status_class(response.status_code)).inc()
        LATENCY.labels(view, method).observe(elapsed)
        QUERIES.labels(view).observe(counter.count)
        ctx = current()
        if ctx is not None:
            ctx.view, ctx.status = view, response.status_code
        log.info(
            "%s %s %s",
            method,
            view,
            response.status_code,
            extra={
                "view": view,
                "method": method,
                "status": response.status_code,
                "duration_ms": round(elapsed * 1000, 1),
                "queries": counter.count,
            },
        )
        return response

    def process_view(self, request: HttpRequest, *args: Any) -> None:
        # Log records written by the view itself carry its name.
        ctx = current()
        if ctx is not None and request.resolver_match is not None:
            ctx.view = request.resolver_match.view_name
