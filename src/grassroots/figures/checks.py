"""The consistency check behind `grassroots verify-figures`: rollups against the cases, telling
lag from corruption, so it can run at any moment on a live system.

Read-only. For every registration day it recomputes the rollup rows from the cases as of the
refresher's own clock (`RefreshMark.refreshed_at`, so time-dependent counters compare like with
like) — the `DailyFigure` rows with the refresher's own queries, the `SubtreeFigure` sums and
the escalations from those — and sorts what differs:

- **lag**: the days of cases written since the refresh (`live.settled`: newer than the newest
  change the refresher read, or than its clock minus the safety margin). Their rollups are
  expected to be behind until the next refresh: they are counted and reported, not compared
  (the pages read those days live). Likewise the county and township sums after an area move
  since the refresh.
- **corruption**: a rollup row that differs from the cases on a day untouched since the
  refresh — a row changed by hand, a lost refresh, a bug. `refresh-figures --full` repairs it.

A refresh committing while it runs could make a day look corrupt: the check reads the mark
again at the end and starts over (at most three times) when it moved.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from grassroots.areas.choices import ANCESTOR_COLUMNS
from grassroots.figures import live, rollup
from grassroots.figures.columns import FIELDS
from grassroots.figures.models import DailyFigure, Escalation, RefreshMark, SubtreeFigure
from grassroots.figures.registry import source
from grassroots.figures.services import BATCH_DAYS, _all_days, days_q

Key = tuple[Any, ...]


@dataclass(frozen=True)
class Difference:
    """One rollup row that does not match the cases: which row, which field, stored vs cases."""

    key: Key
    field: str
    stored: Any
    expected: Any
    table: str = "daily"

    def __str__(self) -> str:
        return (
            f"{self.table} {' '.join(str(k) for k in self.key)}: "
            f"{self.field} stored={self.stored} expected={self.expected}"
        )


def compare(
    table: str, expected: dict[Key, dict[str, Any]], stored: dict[Key, dict[str, Any]]
) -> list[Difference]:
    """Every difference between expected and stored rows of `table` (by key, field by field)."""
    return _compare(table, expected, stored)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(float(a or 0), float(b or 0), abs_tol=1e-3)
    return bool(a == b)


def _compare(
    table: str, expected: dict[Key, dict[str, Any]], stored: dict[Key, dict[str, Any]]
) -> list[Difference]:
    out: list[Difference] = []
    for key in sorted(expected.keys() | stored.keys(), key=lambda k: tuple(x or 0 for x in k)):
        want, have = expected.get(key), stored.get(key)
        if want is None or have is None:
            present = "missing" if have is None else "present"
            out.append(
                Difference(key, "row", present, "absent" if want is None else "present", table)
            )
            continue
        out.extend(
            Difference(key, f, have.get(f), want[f], table)
            for f in want
            if not _same(have.get(f), want[f])
        )
    return out


def _stored(keys: tuple[str, ...], rows: Iterable[Any]) -> dict[Key, Any]:
    return {tuple(r[k] for k in keys): r for r in rows}


DAILY_KEY = ("day", "area_id", "matter_id", "unit_id")
VALUES = (*ANCESTOR_COLUMNS, *FIELDS)


def _subtree_sums(daily: Iterable[dict[str, Any]]) -> dict[Key, dict[str, Any]]:
    """The `SubtreeFigure` rows that `daily` rows sum to (keyed day, node, grain, matter, unit)."""
    out: dict[Key, dict[str, Any]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    for row in daily:
        for grain, column in rollup.SUBTREES:
            if row[column] is None:
                continue
            keys = rollup.KEYS[grain]
            matter = row["matter_id"] if "matter_id" in keys else None
            unit = row["unit_id"] if "unit_id" in keys else None
            sums = out[(row["day"], row[column], str(grain), matter, unit)]
            for f in FIELDS:
                sums[f] += row[f] or 0
    return out


@dataclass(frozen=True)
class Verdict:
    """What `figures_verify` found: the corrupt rows (`differences`) and the lag — how many
    cases were written since the refresh, on how many registration days, and whether an area
    moved since (the subtree sums then wait for the next refresh)."""

    refreshed_at: datetime.datetime | None
    differences: list[Difference]
    lag_cases: int = 0
    lag_days: frozenset[datetime.date] = frozenset()
    moved: bool = False

    @property
    def corrupt(self) -> bool:
        return bool(self.differences)

    def lag_line(self) -> str:
        """One line saying what is behind the rollups ("" when nothing is)."""
        if self.refreshed_at is None or (not self.lag_cases and not self.moved):
            return ""
        at = timezone.localtime(self.refreshed_at).strftime("%Y-%m-%d %H:%M")
        days = sorted(self.lag_days)
        span = f"{days[0]}..{days[-1]}" if days else "-"
        moved = ", an area moved (subtree sums wait)" if self.moved else ""
        return (
            f"lag: {self.lag_cases} case(s) written since the refresh at {at} on "
            f"{len(days)} registration day(s) ({span}){moved}; refresh-figures catches up"
        )


def _lag(mark: RefreshMark) -> tuple[int, frozenset[datetime.date], bool]:
    src = source()
    changed = src.rows().filter(**{f"{src.changed_field}__gt": live.settled(mark)})
    days = live.dirty_days(live.settled(mark))
    cut = live.cut()
    return changed.count(), days, cut.moved


def _check(mark: RefreshMark, lag_days: frozenset[datetime.date], moved: bool) -> list[Difference]:
    out: list[Difference] = []
    stored_days = set(DailyFigure.objects.values_list("day", flat=True).distinct())
    stored_days |= set(SubtreeFigure.objects.values_list("day", flat=True).distinct())
    days = sorted((_all_days() | stored_days) - lag_days)
    for i in range(0, len(days), BATCH_DAYS):
        batch: list[datetime.date] = days[i : i + BATCH_DAYS]
        rows = rollup.daily_rows(source().rows().filter(days_q(batch)), mark.refreshed_at)
        want = list(rollup.rows_as(rollup.DAILY_COLUMNS, rows))
        have = DailyFigure.objects.filter(day__in=batch).values(*DAILY_KEY, *VALUES)
        out += _compare(
            "daily",
            {tuple(r[k] for k in DAILY_KEY): {f: r[f] for f in VALUES} for r in want},
            _stored(DAILY_KEY, have),
        )
        if moved:
            continue
        subtree_key = ("day", "node_id", "grain", "matter_id", "unit_id")
        stored_sums = SubtreeFigure.objects.filter(day__in=batch).values(*subtree_key, *FIELDS)
        out += _compare("subtree", _subtree_sums(want), _stored(subtree_key, stored_sums))
    # The escalations of the cases written since the refresh are lag too.
    src = source()
    fresh = src.rows().filter(**{f"{src.changed_field}__gt": live.settled(mark)})
    columns = [c for c, _ in rollup.ESCALATION_COLUMNS]
    want_esc = rollup.escalation_rows().exclude(case__in=fresh).iterator(chunk_size=5000)
    stored_esc = Escalation.objects.exclude(Q(case__in=fresh)).values(*columns)
    out += _compare(
        "escalation",
        {(r["e_event"],): {c: r[a] for c, a in rollup.ESCALATION_COLUMNS} for r in want_esc},
        _stored(("event_id",), stored_esc),
    )
    return out


def figures_verify() -> Verdict:
    """Every difference between the stored rollups and a recomputation from the cases on the
    days untouched since the refresh (corruption), and the lag of the others."""
    verdict = Verdict(refreshed_at=None, differences=[])
    for _attempt in range(3):
        mark = RefreshMark.objects.filter(pk=1).first()
        if mark is None:
            return verdict
        count, days, moved = _lag(mark)
        differences = _check(mark, days, moved)
        # Cases written while the check ran are lag as well, not corruption.
        later = live.dirty_days(live.settled(mark)) - days
        if later:
            differences = [d for d in differences if d.key[0] not in later]
            days |= later
        verdict = Verdict(mark.refreshed_at, differences, count, days, moved)
        again = RefreshMark.objects.filter(pk=1).first()
        if again is None or again.refreshed_at == mark.refreshed_at:
            break  # else a refresh committed meanwhile: compare against it instead
    return verdict
