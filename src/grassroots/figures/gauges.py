"""The figures' scrape-time metrics (`core.observability.gauges`): how far the rollups are
behind. Two queries: the refresh mark, and the count of source rows changed since it settled
(an index range scan on the change stamp)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from grassroots.core.observability.gauges import register, timestamp
from grassroots.figures import live
from grassroots.figures.models import RefreshMark
from grassroots.figures.registry import source


@register("figures")
def rollup_lag(now: datetime.datetime) -> Iterator[Metric]:
    """The last refresh's clock, its age (+Inf when never refreshed) and the source rows
    written since that the rollups do not reflect yet (pages read those days live meanwhile)."""
    mark = RefreshMark.objects.filter(pk=1).first()
    refreshed = GaugeMetricFamily(
        "grassroots_figures_refreshed_timestamp_seconds",
        "The clock of the last refresh of the figures' rollups, in Unix time (0: never).",
    )
    refreshed.add_metric([], timestamp(mark.refreshed_at if mark else None))
    yield refreshed
    age = GaugeMetricFamily(
        "grassroots_figures_rollup_age_seconds",
        "Seconds since the rollups were last refreshed (+Inf: never); refreshes run every minute.",
    )
    age.add_metric(
        [], max(0.0, (now - mark.refreshed_at).total_seconds()) if mark else float("inf")
    )
    yield age
    src = source()
    rows = src.rows()
    if mark is not None:
        rows = rows.filter(**{f"{src.changed_field}__gt": live.settled(mark)})
    pending = GaugeMetricFamily(
        "grassroots_figures_pending_rows",
        "Source rows (cases) written since the rollups last caught up: read live until the "
        "next refresh.",
    )
    pending.add_metric([], rows.count())
    yield pending
