"""The consistency check behind `grassroots verify-figures`: rollups against the cases.

Read-only. It recomputes every rollup row from the cases as of the refresher's own clock
(`RefreshMark.refreshed_at`, so time-dependent counters compare like with like) — the
`DailyFigure` rows with the refresher's own queries, the `SubtreeFigure` sums and the
escalations from those — and reports each row that differs, is missing or is extra. Run
`refresh-figures` first when cases are being written meanwhile; a row changed by hand, a lost
refresh or a moved area all show up (`refresh-figures --full` repairs them).
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from grassroots.areas.choices import ANCESTOR_COLUMNS
from grassroots.cases.models import Case
from grassroots.dashboard import rollup
from grassroots.dashboard.definitions import FIELDS
from grassroots.dashboard.models import DailyFigure, Escalation, RefreshMark, SubtreeFigure
from grassroots.dashboard.services import BATCH_DAYS, _all_days, days_q

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


def figures_verify() -> list[Difference]:
    """Every difference between the stored rollups and a recomputation from all the cases."""
    mark = RefreshMark.objects.filter(pk=1).first()
    if mark is None:
        return []
    out: list[Difference] = []
    stored_days = set(DailyFigure.objects.values_list("day", flat=True).distinct())
    stored_days |= set(SubtreeFigure.objects.values_list("day", flat=True).distinct())
    days = sorted(_all_days() | stored_days)
    for i in range(0, len(days), BATCH_DAYS):
        batch: list[datetime.date] = days[i : i + BATCH_DAYS]
        rows = rollup.daily_rows(Case.objects.filter(days_q(batch)), mark.refreshed_at)
        want = list(rollup.rows_as(rollup.DAILY_COLUMNS, rows))
        have = DailyFigure.objects.filter(day__in=batch).values(*DAILY_KEY, *VALUES)
        out += _compare(
            "daily",
            {tuple(r[k] for k in DAILY_KEY): {f: r[f] for f in VALUES} for r in want},
            _stored(DAILY_KEY, have),
        )
        subtree_key = ("day", "node_id", "grain", "matter_id", "unit_id")
        stored_sums = SubtreeFigure.objects.filter(day__in=batch).values(*subtree_key, *FIELDS)
        out += _compare("subtree", _subtree_sums(want), _stored(subtree_key, stored_sums))
    columns = [c for c, _ in rollup.ESCALATION_COLUMNS]
    want_esc = rollup.escalation_rows().iterator(chunk_size=5000)
    out += _compare(
        "escalation",
        {(r["e_event"],): {c: r[a] for c, a in rollup.ESCALATION_COLUMNS} for r in want_esc},
        _stored(("event_id",), Escalation.objects.values(*columns)),
    )
    return out
