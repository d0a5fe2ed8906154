"""``GET /metrics``: the Prometheus text exposition, to a holder of the token or an allow-listed
address (`access`); 404 to anyone else.

The request series come from this process (or, with ``PROMETHEUS_MULTIPROC_DIR``, from every
gunicorn worker's files, summed); the database-backed series are computed now (`gauges`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from grassroots.core.observability import httpmetrics  # noqa: F401  (defines the series)
from grassroots.core.observability.access import metrics_permitted
from grassroots.core.observability.gauges import DatabaseCollector


class _ProcessRegistry(Collector):
    """The default registry of this process (request series, process and Python figures)."""

    def collect(self) -> Iterable[Metric]:
        return REGISTRY.collect()


def scrape_registry() -> CollectorRegistry:
    """What one scrape exposes: the request series (every worker's in multiprocess mode, else
    this process's) and the database-backed series."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_ProcessRegistry())
    registry.register(DatabaseCollector())
    return registry


@require_GET
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if not metrics_permitted(request):
        raise Http404
    return HttpResponse(generate_latest(scrape_registry()), content_type=CONTENT_TYPE_LATEST)
