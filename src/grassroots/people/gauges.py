"""The people app's scrape-time metrics (`core.observability.gauges`): ledger import jobs by
state, and running ones gone silent. Two queries; counts only."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Count
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from grassroots.core.observability.gauges import register
from grassroots.people.models_ledger import RUNNING, ImportJob, ImportStatus


@register("imports")
def import_jobs(now: datetime.datetime) -> Iterator[Metric]:
    """Import jobs kept (until the purge) by state, every state listed; and the running ones
    without progress for ``GRASSROOTS_IMPORT_STALE_SECONDS`` (cut off by a restart)."""
    counts = dict(
        ImportJob.objects.order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    jobs = GaugeMetricFamily(
        "grassroots_import_jobs", "Ledger import jobs kept, by state.", labels=["state"]
    )
    for state in ImportStatus.values:
        jobs.add_metric([state], counts.get(state, 0))
    yield jobs
    cutoff = now - datetime.timedelta(seconds=settings.PEOPLE_IMPORT_STALE_SECONDS)
    stalled = GaugeMetricFamily(
        "grassroots_import_jobs_stalled",
        "Import jobs queued or running without progress for longer than the stale limit.",
    )
    stalled.add_metric(
        [], ImportJob.objects.filter(status__in=RUNNING, updated_at__lt=cutoff).count()
    )
    yield stalled
