"""The visit figures, registered once with the figures registry (a count source).

| name | counts … |
|---|---|
| visits | visits (走访人次): every logged visit, on its `visited_on` day, in its household's grid |

Its rollup is the generic `figures.SourceCount` (`figures.counts`), recomputed by
`refresh-figures` whenever a visit was logged or removed, checked by `verify-figures`; its list
is the visit list filtered by `figure=visits` (and `from`/`to` on the visit date).

Not yet registered: households visited and coverage (households visited ÷ households due). A
household visited on two days must count once in a period, so households visited is not a sum
of daily counts, and "due in the period" follows the plan rules and each household's last
visit (`visits.due`), not a filter over visits: both need their own definition first.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Max, Q
from django.utils.translation import gettext_lazy as _

from grassroots.figures import registry
from grassroots.visits.models import Visit


def _every(today: datetime.date) -> Q:
    return Q(pk__isnull=False)


def _stamp() -> tuple[Any, ...]:
    """Visits are only added (and, by an administrator, removed): their count and newest id."""
    row = Visit.objects.aggregate(n=Count("pk"), hi=Max("pk"))
    return (row["n"], row["hi"])


SOURCE = registry.register_count_source(
    registry.CountSource(
        name="visits",
        rows=Visit.objects.all,
        counters=(registry.Counter("visits", "visited_on", _every),),
        stamp=_stamp,
        list_url="api:visits",
    )
)

registry.register(registry.Figure(name="visits", label=_("走访人次"), source="visits"))
