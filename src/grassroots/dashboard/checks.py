"""The consistency check behind `grassroots verify-figures`: rollups against the cases.

Read-only. It recomputes every day's rows from the cases as of the refresher's own clock
(`RefreshMark.refreshed_at`, so time-dependent counters compare like with like) and reports
each row that differs, is missing or is extra. Run `refresh-figures` first when cases are
being written meanwhile; a row changed by hand, a lost refresh or a moved area all show up.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from typing import Any

from grassroots.areas.choices import ANCESTOR_COLUMNS
from grassroots.cases.models import Case
from grassroots.dashboard.definitions import FIELDS
from grassroots.dashboard.models import DailyFigure, RefreshMark
from grassroots.dashboard.services import compute_rows

Key = tuple[datetime.date, int | None, int, int | None]


@dataclass(frozen=True)
class Difference:
    """One rollup row that does not match the cases: which row, which field, stored vs cases."""

    key: Key
    field: str
    stored: Any
    expected: Any

    def __str__(self) -> str:
        day, area, matter, unit = self.key
        return (
            f"{day} area={area} matter={matter} unit={unit}: "
            f"{self.field} stored={self.stored} expected={self.expected}"
        )


def _values(row: DailyFigure) -> dict[str, Any]:
    return {f: getattr(row, f) for f in (*ANCESTOR_COLUMNS, *FIELDS)}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(float(a or 0), float(b or 0), abs_tol=1e-3)
    return bool(a == b)


def figures_verify() -> list[Difference]:
    """Every difference between the stored rollups and a recomputation from all the cases."""
    mark = RefreshMark.objects.filter(pk=1).first()
    if mark is None:
        return []
    expected = {
        (r.day, r.area_id, r.matter_id, r.unit_id): _values(r)
        for r in compute_rows(Case.objects.all(), mark.refreshed_at)
    }
    stored = {
        (r.day, r.area_id, r.matter_id, r.unit_id): _values(r)
        for r in DailyFigure.objects.all().iterator(chunk_size=5000)
    }
    out: list[Difference] = []
    for key in sorted(expected.keys() | stored.keys(), key=lambda k: (k[0], k[1] or 0, k[2])):
        want, have = expected.get(key), stored.get(key)
        if want is None or have is None:
            out.append(
                Difference(
                    key,
                    "row",
                    "missing" if have is None else "present",
                    "absent" if want is None else "present",
                )
            )
            continue
        out.extend(
            Difference(key, f, have[f], want[f]) for f in want if not _same(have[f], want[f])
        )
    return out
