"""The refresher: keeps the rollups current without touching the cases' write path.

`figures_refresh()` finds the registration days whose cases changed since the last run (by
`Case.updated_at`, read back a safety margin so that a transaction committing late is not
missed) or whose "should have responded by now" changed with the clock (a response limit passed
since the last run), and recomputes exactly those days: delete the days' `DailyFigure` and
`SubtreeFigure` rows, insert their GROUP BYs (`figures.rollup`, INSERT … SELECT: no row passes
through Python). The escalations of the changed cases are rewritten the same way. After an
`area_move` (found in the audit log) the subtree sums of every day are taken again, since the
move rewrote the daily rows' area paths but not the county and township sums. Its cost
follows the changed days, not the cases; a full rebuild is a handful of statements per quarter.
Runs are serialised by a lock on the watermark row; `grassroots refresh-figures` runs it (every
minute in production).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from grassroots.core.models import AuditEvent
from grassroots.figures import rollup
from grassroots.figures.models import DailyFigure, Escalation, RefreshMark, SubtreeFigure
from grassroots.figures.registry import source

# How far before the watermark changed cases are read again (late-committing transactions).
SAFETY = datetime.timedelta(minutes=5)
# Days recomputed per statement batch.
BATCH_DAYS = 92
# Changed cases whose escalations are rewritten per statement.
BATCH_CASES = 500


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


def runs(days: Iterable[datetime.date]) -> list[tuple[datetime.date, datetime.date]]:
    """`days` as runs of consecutive days: [(first, last), …] in order."""
    out: list[tuple[datetime.date, datetime.date]] = []
    for day in sorted(set(days)):
        if out and day - out[-1][1] == datetime.timedelta(days=1):
            out[-1] = (out[-1][0], day)
        else:
            out.append((day, day))
    return out


def days_q(days: Iterable[datetime.date]) -> Q:
    """Rows of the source registered on any of `days`: one index range per run of days."""
    field = source().day_field
    q = Q(pk__in=[])
    for first, last in runs(days):
        q |= Q(**{f"{field}__gte": _bounds(first)[0], f"{field}__lt": _bounds(last)[1]})
    return q


def rollup_days_q(days: Iterable[datetime.date]) -> Q:
    """Rollup rows of any of `days` (their `day` column): one range per run of days."""
    q = Q(pk__in=[])
    for first, last in runs(days):
        q |= Q(day__gte=first, day__lte=last)
    return q


def _subtrees(days: list[datetime.date] | None) -> None:
    for grain, column in rollup.SUBTREES:
        rows = rollup.subtree_rows(days, grain, column)
        rollup.insert(SubtreeFigure, rollup.subtree_columns(grain), rows)


def _rewrite(
    days: set[datetime.date], now: datetime.datetime, *, wiped: bool, all_subtrees: bool
) -> int:
    """Recompute the rollup rows of `days` (every row already deleted when `wiped`); the
    subtree sums of those days, or — `all_subtrees` — of every day in one pass at the end.
    Returns the `DailyFigure` rows written."""
    written = 0
    ordered = sorted(days)
    for i in range(0, len(ordered), BATCH_DAYS):
        batch = ordered[i : i + BATCH_DAYS]
        if not wiped:
            DailyFigure.objects.filter(day__in=batch).delete()
        if not all_subtrees:
            SubtreeFigure.objects.filter(day__in=batch).delete()
        cases = source().rows().filter(days_q(batch))
        written += rollup.insert(DailyFigure, rollup.DAILY_COLUMNS, rollup.daily_rows(cases, now))
        if not all_subtrees:
            _subtrees(batch)
    if all_subtrees:
        if not wiped:
            SubtreeFigure.objects.all().delete()
        _subtrees(None)
    return written


def _areas_moved(since: datetime.datetime) -> bool:
    """Whether `area_move` ran since then: it rewrites the daily rows' area paths in its own
    transaction, but the subtree sums hold the old tree until they are taken again."""
    return AuditEvent.objects.filter(action="area.move", at__gte=since).exists()


def _rewrite_escalations(case_ids: list[int]) -> None:
    for i in range(0, len(case_ids), BATCH_CASES):
        chunk = case_ids[i : i + BATCH_CASES]
        Escalation.objects.filter(case_id__in=chunk).delete()
        cases = source().rows().filter(pk__in=chunk)
        rollup.insert(Escalation, rollup.ESCALATION_COLUMNS, rollup.escalation_rows(cases))


def _all_days() -> set[datetime.date]:
    field = source().day_field
    span = source().rows().aggregate(lo=Min(field), hi=Max(field))
    if span["lo"] is None:
        return set()
    first = timezone.localtime(span["lo"]).date()
    last = timezone.localtime(span["hi"]).date()
    return {first + datetime.timedelta(days=n) for n in range((last - first).days + 1)}


def _dirty(mark: RefreshMark, now: datetime.datetime) -> tuple[set[datetime.date], list[int]]:
    """The registration days to recompute, and the cases whose escalations to rewrite."""
    src = source()
    since = (mark.cases_seen or mark.refreshed_at) - SAFETY
    changed = Q(**{f"{src.changed_field}__gt": since})
    # "responded" counts a dispatched case once its response limit passes, with no write.
    lapsed = src.lapsed(mark.refreshed_at, now)
    days: set[datetime.date] = set()
    ids: list[int] = []
    rows = src.rows().filter(changed | lapsed).values_list("pk", src.day_field)
    for pk, created in rows.iterator(chunk_size=5000):
        days.add(timezone.localtime(created).date())
        ids.append(pk)
    return days, ids


def _analyze() -> None:
    """Fresh planner statistics after a rebuild replaced every row: until autovacuum gets to
    them, PostgreSQL planned for the old tables (the county dashboard took 76 ms, not 43, at
    a million cases); SQLite keeps whatever its last ANALYZE saw (sampled: analysis_limit)."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("PRAGMA analysis_limit=1000")
        for model in (DailyFigure, SubtreeFigure, Escalation):
            cur.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        if connection.vendor == "sqlite":
            cur.execute("PRAGMA analysis_limit=0")  # the connection outlives this request


def figures_refresh(*, now: datetime.datetime | None = None, full: bool = False) -> RefreshResult:
    """Bring the rollups up to date as of `now`; guarantees every day whose cases changed since
    the last run is recomputed whole, with the escalations of those cases. The first run (or
    `full`) rebuilds every table."""
    now = now or timezone.now()
    with transaction.atomic():
        mark = RefreshMark.objects.select_for_update().filter(pk=1).first()
        seen = source().rows().aggregate(hi=Max(source().changed_field))["hi"]
        rebuild = full or mark is None
        moved = False
        if rebuild:
            DailyFigure.objects.all().delete()
            SubtreeFigure.objects.all().delete()
            Escalation.objects.all().delete()
            days = _all_days()
            rollup.insert(Escalation, rollup.ESCALATION_COLUMNS, rollup.escalation_rows())
        else:
            assert mark is not None  # noqa: S101 — narrowed by `rebuild`
            days, changed = _dirty(mark, now)
            _rewrite_escalations(changed)
            moved = _areas_moved(mark.refreshed_at - SAFETY)
        rows = _rewrite(days, now, wiped=rebuild, all_subtrees=rebuild or moved)
        fields = {"refreshed_at": now, "cases_seen": seen, "days_refreshed": len(days)}
        if rebuild:
            fields["rebuilt_at"] = now
        if mark is None:
            RefreshMark.objects.create(pk=1, **fields)
        else:
            for k, v in fields.items():
                setattr(mark, k, v)
            mark.save()
    if rebuild:
        _analyze()
    return RefreshResult(days=len(days), rows=rows, rebuilt=rebuild, refreshed_at=now)
