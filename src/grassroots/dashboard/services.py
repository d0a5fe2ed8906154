"""The refresher: keeps `DailyFigure` current without touching the cases' write path.

`figures_refresh()` finds the registration days whose cases changed since the last run (by
`Case.updated_at`, read back a safety margin so that a transaction committing late is not
missed) or whose "should have responded by now" changed with the clock (a response limit passed
since the last run), and recomputes exactly those days: delete the day's rows, insert the day's
GROUP BY. Its cost follows the changed days, not the cases. Runs are serialised by a lock on the
watermark row; `grassroots refresh-figures` runs it (every minute in production).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, Min, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from grassroots.areas.choices import ANCESTOR_COLUMNS
from grassroots.areas.models import Area
from grassroots.cases.choices import State
from grassroots.cases.models import Case
from grassroots.dashboard.definitions import FIELDS, bucket_of, counters
from grassroots.dashboard.models import DailyFigure, RefreshMark

# How far before the watermark changed cases are read again (late-committing transactions).
SAFETY = datetime.timedelta(minutes=5)
# Days recomputed per statement batch.
BATCH_DAYS = 31
Key = tuple[datetime.date, int | None, int, int | None]


@dataclass(frozen=True)
class RefreshResult:
    """What one run did: the days recomputed, the rows written, whether it rebuilt everything."""

    days: int
    rows: int
    rebuilt: bool
    refreshed_at: datetime.datetime


def _bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    return start, start + datetime.timedelta(days=1)


def days_q(days: Iterable[datetime.date]) -> Q:
    """Cases registered on any of `days`: one index range per run of consecutive days."""
    q = Q(pk__in=[])
    ordered = sorted(set(days))
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] - ordered[j] == datetime.timedelta(days=1):
            j += 1
        start, _ = _bounds(ordered[i])
        _, end = _bounds(ordered[j])
        q |= Q(created_at__gte=start, created_at__lt=end)
        i = j + 1
    return q


def compute_rows(cases: QuerySet[Case], now: datetime.datetime) -> Iterator[DailyFigure]:
    """The rollup rows of `cases`, as of `now` (unsaved): two queries, grouped in the database
    for the counters and streamed once for the hours."""
    keys = ("day", "area_id", "matter_id", "unit_id")
    grouped: Any = (
        cases.annotate(day=TruncDate("created_at"))
        .values(*keys)
        .annotate(**counters(now))
        .order_by()
    )
    rows: dict[Key, dict[str, Any]] = {}
    for g in grouped:
        rows[(g["day"], g["area_id"], g["matter_id"], g["unit_id"])] = g
    hours: dict[Key, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    timed = cases.filter(Q(accepted_at__isnull=False) | Q(resolved_at__isnull=False))
    for created, area, matter, unit, accepted, resolved in timed.values_list(
        "created_at", "area_id", "matter_id", "unit_id", "accepted_at", "resolved_at"
    ).iterator(chunk_size=2000):
        h = hours[(timezone.localtime(created).date(), area, matter, unit)]
        if resolved is not None:
            h["handling_hours"] += (resolved - created).total_seconds() / 3600
            h["handling_count"] += 1
        if accepted is not None:
            took = (accepted - created).total_seconds() / 3600
            h["response_hours"] += took
            h["response_count"] += 1
            h[bucket_of(took)] += 1
    ancestors = {
        a["pk"]: a
        for a in Area.objects.filter(pk__in={k[1] for k in rows if k[1] is not None}).values(
            "pk", *(f"{c}_id" for c in ANCESTOR_COLUMNS)
        )
    }
    for key, g in sorted(rows.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0, kv[0][2])):
        day, area_id, matter_id, unit_id = key
        row = DailyFigure(day=day, area_id=area_id, matter_id=matter_id, unit_id=unit_id)
        for col in ANCESTOR_COLUMNS:
            own = ancestors.get(area_id, {}) if area_id else {}
            setattr(row, col, own.get(f"{col}_id"))
        h = hours.get(key, {})
        for f in FIELDS:
            value = g.get(f, h.get(f, 0))
            setattr(row, f, round(value, 6) if isinstance(value, float) else int(value or 0))
        yield row


def _rewrite(days: set[datetime.date], now: datetime.datetime) -> int:
    written = 0
    ordered = sorted(days)
    for i in range(0, len(ordered), BATCH_DAYS):
        batch = ordered[i : i + BATCH_DAYS]
        DailyFigure.objects.filter(day__in=batch).delete()
        rows = list(compute_rows(Case.objects.filter(days_q(batch)), now))
        DailyFigure.objects.bulk_create(rows, batch_size=1000)
        written += len(rows)
    return written


def _all_days() -> set[datetime.date]:
    span = Case.objects.aggregate(lo=Min("created_at"), hi=Max("created_at"))
    if span["lo"] is None:
        return set()
    first = timezone.localtime(span["lo"]).date()
    last = timezone.localtime(span["hi"]).date()
    return {first + datetime.timedelta(days=n) for n in range((last - first).days + 1)}


def _dirty_days(mark: RefreshMark, now: datetime.datetime) -> set[datetime.date]:
    since = (mark.cases_seen or mark.refreshed_at) - SAFETY
    changed = Q(updated_at__gt=since)
    # "responded" counts a dispatched case once its response limit passes, with no write.
    lapsed = Q(
        state=State.DISPATCHED,
        accepted_at__isnull=True,
        response_due__gte=mark.refreshed_at,
        response_due__lt=now,
    )
    created = Case.objects.filter(changed | lapsed).values_list("created_at", flat=True)
    return {timezone.localtime(c).date() for c in created.iterator(chunk_size=5000)}


def figures_refresh(*, now: datetime.datetime | None = None, full: bool = False) -> RefreshResult:
    """Bring the rollups up to date as of `now`; guarantees every day whose cases changed since
    the last run is recomputed whole. The first run (or `full`) rebuilds every day."""
    now = now or timezone.now()
    with transaction.atomic():
        mark = RefreshMark.objects.select_for_update().filter(pk=1).first()
        seen = Case.objects.aggregate(hi=Max("updated_at"))["hi"]
        rebuild = full or mark is None
        if rebuild:
            DailyFigure.objects.all().delete()
            days = _all_days()
        else:
            assert mark is not None  # noqa: S101 — narrowed by `rebuild`
            days = _dirty_days(mark, now)
        rows = _rewrite(days, now)
        fields = {"refreshed_at": now, "cases_seen": seen, "days_refreshed": len(days)}
        if rebuild:
            fields["rebuilt_at"] = now
        if mark is None:
            RefreshMark.objects.create(pk=1, **fields)
        else:
            for k, v in fields.items():
                setattr(mark, k, v)
            mark.save()
    return RefreshResult(days=len(days), rows=rows, rebuilt=rebuild, refreshed_at=now)
