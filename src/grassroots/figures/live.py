"""The cut-off of a figure: rollups for the days untouched since the refresh, live rows for the
days touched since, all as of one clock.

A figure over rows of the cases source is the sum of

- the rollup rows of every registration day that no case has been written on since the last
  refresh (those rows equal the cases: the refresher recomputed each such day whole), and
- the same GROUP BY as the rollups (`rollup.daily_rows`), run live over the cases registered on
  the days touched since then ("dirty" days),

with time-dependent counters (a response limit passing) as of the refresh mark's clock on both
sides. The case list behind a figure applies the figure's registered filter as of the same
clock (`Cut.clock`), so a figure equals its list at any moment, not only right after a refresh.

"Touched since the refresh" errs on the safe side: a case whose change stamp is newer than the
newest stamp the refresher read, or newer than its clock minus `services.SAFETY` (a transaction
may commit after the refresher's snapshot with an earlier stamp). After an area move the county
and township sums (`SubtreeFigure`) still hold the old tree until the next refresh, so a cut
taken then reads the daily rows instead (`Cut.moved`).

`cut()` costs three queries (the mark, the dirty days, whether an area moved); the live rows of
one figure request one more, whose size follows the touched days' cases in the area, not all.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import Q
from django.utils import timezone

from grassroots.core.models import AuditEvent
from grassroots.figures import rollup
from grassroots.figures.models import RefreshMark
from grassroots.figures.registry import source
from grassroots.figures.services import SAFETY, days_q, rollup_days_q

# Refreshes run every minute: a mark older than this means the scheduler has stopped.
STALE_AFTER = datetime.timedelta(minutes=5)


@dataclass(frozen=True)
class Cut:
    """Where the rollups end and the live rows begin.

    `clock`: the moment time-dependent counters are taken at (the refresh mark's clock; now
    when nothing was ever refreshed); `refreshed_at`: the mark (None: never); `days`: the
    registration days read live (None: every day, when nothing was ever refreshed); `moved`:
    an area moved since the refresh (read daily rows, not subtree sums)."""

    clock: datetime.datetime
    refreshed_at: datetime.datetime | None
    days: frozenset[datetime.date] | None
    moved: bool = False

    @property
    def rollup_q(self) -> Q:
        """Rollup rows to read: those of the days not read live."""
        if self.days is None:
            return Q(pk__in=[])
        if not self.days:
            return Q()
        return ~rollup_days_q(self.days)

    @property
    def live_q(self) -> Q:
        """Source rows to read live: those registered on the dirty days."""
        if self.days is None:
            return Q()
        return days_q(self.days)

    def asof(self, now: datetime.datetime | None = None) -> dict[str, Any]:
        """What a page says about it: the mark in local time, its age, whether it is stale."""
        return asof_of(self.refreshed_at, now)


def asof_of(
    refreshed_at: datetime.datetime | None, now: datetime.datetime | None = None
) -> dict[str, Any]:
    """ "数据截至 HH:MM": the mark's local time, whole minutes since, and stale (> 5 minutes
    or never refreshed: the scheduler has stopped)."""
    if refreshed_at is None:
        return {"refreshed_at": None, "at": None, "minutes": None, "stale": True}
    age = (now or timezone.now()) - refreshed_at
    return {
        "refreshed_at": refreshed_at,
        "at": timezone.localtime(refreshed_at),
        "minutes": max(int(age.total_seconds() // 60), 0),
        "stale": age > STALE_AFTER,
    }


def settled(mark: RefreshMark) -> datetime.datetime:
    """Rows whose change stamp is at most this are reflected in the rollups."""
    late = mark.refreshed_at - SAFETY
    return min(mark.cases_seen, late) if mark.cases_seen else late


def dirty_days(since: datetime.datetime) -> frozenset[datetime.date]:
    """The registration days of the source rows changed after `since`: one query."""
    src = source()
    stamps = (
        src.rows()
        .filter(**{f"{src.changed_field}__gt": since})
        .annotate(p_day=rollup.LocalDate(src.day_field))
        .values_list("p_day", flat=True)
        .order_by()
        .distinct()
    )
    out = set()
    for day in stamps:
        out.add(datetime.date.fromisoformat(day) if isinstance(day, str) else day)
    return frozenset(out)


def cut() -> Cut:
    """The cut-off at this moment (three queries; one when nothing was ever refreshed)."""
    mark = RefreshMark.objects.filter(pk=1).first()
    if mark is None:
        return Cut(clock=timezone.now(), refreshed_at=None, days=None)
    moved = AuditEvent.objects.filter(
        action="area.move", at__gte=mark.refreshed_at - SAFETY
    ).exists()
    return Cut(
        clock=mark.refreshed_at,
        refreshed_at=mark.refreshed_at,
        days=dirty_days(settled(mark)),
        moved=moved,
    )


def live_rows(c: Cut, where: Q) -> list[dict[str, Any]]:
    """The rollup rows of the source rows in `where` registered on the cut's dirty days,
    computed now as the refresher would (one query; none when no day is dirty). Each row has
    the `DailyFigure` columns: day, area_id, matter_id, unit_id, the path and the counters."""
    if c.days is not None and not c.days:
        return []
    cases = source().rows().filter(where & c.live_q)
    try:
        select = rollup.daily_rows(cases, c.clock)
    except EmptyResultSet:  # `where` can match nothing (an unknown matter): no rows, no query
        return []
    return list(rollup.rows_as(rollup.DAILY_COLUMNS, select))


def clock() -> datetime.datetime:
    """The clock a list behind a figure takes time-dependent conditions at: the refresh mark
    (now when nothing was ever refreshed). One query."""
    mark = RefreshMark.objects.filter(pk=1).first()
    return mark.refreshed_at if mark else timezone.now()


def mark_at() -> datetime.datetime | None:
    """The last refresh's clock (None: never refreshed). One query."""
    return RefreshMark.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()
