"""Figures read from the database when ``/metrics`` is scraped, declared by the app that owns
them in its own ``gauges.py`` (as periodic jobs are declared in ``jobs.py``)::

    # figures/gauges.py
    from prometheus_client.core import GaugeMetricFamily
    from grassroots.core.observability.gauges import register

    @register("figures")
    def rollup_lag(now):
        family = GaugeMetricFamily("grassroots_figures_rollup_age_seconds", "...")
        family.add_metric([], ...)
        yield family

Computed at scrape time, not kept in a process: every gunicorn worker (or the only one)
answers the same, whatever process wrote the rows, so they need no multiprocess files. A source
whose queries fail is skipped and ``grassroots_metrics_source_up{source=...}`` says 0; its
families are left out rather than reported as zero.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from django.db import DatabaseError
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)

Source = Callable[[datetime.datetime], Iterable[Metric]]
F = TypeVar("F", bound=Source)

_sources: dict[str, Source] = {}
_discovered = False


def register(name: str) -> Callable[[F], F]:
    """Declare a source of scrape-time families under `name` (the ``source`` label of
    ``grassroots_metrics_source_up``). Registering a name again replaces it."""

    def decorate(fn: F) -> F:
        _sources[name] = fn
        return fn

    return decorate


def sources() -> dict[str, Source]:
    """Every registered source by name; discovers each app's ``gauges`` module on first use."""
    global _discovered
    if not _discovered:
        autodiscover_modules("gauges")
        _discovered = True
    return dict(sorted(_sources.items()))


def timestamp(at: datetime.datetime | None) -> float:
    """Seconds since the epoch (0 for never: Prometheus' convention for "no time")."""
    return at.timestamp() if at is not None else 0.0


class DatabaseCollector(Collector):
    """Collects every registered source, each on its own; a failing one is reported down."""

    def collect(self) -> Iterator[Metric]:
        now = timezone.now()
        up = GaugeMetricFamily(
            "grassroots_metrics_source_up",
            "Whether a database-backed source of metrics answered this scrape (1) or failed (0).",
            labels=["source"],
        )
        for name, source in sources().items():
            try:
                families = list(source(now))
            except DatabaseError as exc:
                # The type only: a database message can quote row values.
                log.warning("metrics source %s failed: %s", name, type(exc).__name__)
                up.add_metric([name], 0)
                continue
            up.add_metric([name], 1)
            yield from families
        yield up
