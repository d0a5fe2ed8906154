"""The cadre figures, registered once with the figures registry (docs/cadres.md defines them).

| name | counts the confirmed annual appraisals … |
|---|---|
| cadre_stars_5 … cadre_stars_1 | with that many stars (the star distribution, by township) |
| cadre_grade_<grade> | of that grade (grade shares) |
| cadre_warning_talks | that call for a warning talk (a rater group's 不称职 share at the cap) |

A count source over the appraisals, each counted on its `confirmed_on` day in its village (the
rollup is the generic `figures.SourceCount`, recomputed by `refresh-figures` and checked by
`verify-figures`); `/cadres/appraisals/?figure=<name>&period_from=…&period_to=…` lists exactly
the rows a figure counts.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db.models import Count, Max, Q
from django.utils.translation import gettext_lazy as _

from grassroots.cadres.choices import Grade, Period, State
from grassroots.cadres.models import Appraisal
from grassroots.figures import registry

SOURCE_NAME = "cadres"
CONFIRMED = Q(period=Period.ANNUAL, state=State.CONFIRMED)
STAR_LABELS = {
    5: _("五星村干部"),
    4: _("四星村干部"),
    3: _("三星村干部"),
    2: _("二星村干部"),
    1: _("一星村干部"),
}


def _where(q: Q) -> Callable[[datetime.date], Q]:
    return lambda today: CONFIRMED & q


def _stamp() -> tuple[Any, ...]:
    """Changes with any write to an appraisal (`updated_at`)."""
    row = Appraisal.objects.aggregate(n=Count("pk"), hi=Max("updated_at"))
    return (row["n"], str(row["hi"]))


COUNTERS: list[tuple[str, Any, Q]] = [
    *((f"cadre_stars_{n}", label, Q(stars=n)) for n, label in STAR_LABELS.items()),
    *((f"cadre_grade_{g.value}", g.label, Q(grade=g.value)) for g in Grade),
    ("cadre_warning_talks", _("需约谈提醒"), Q(warning_talk=True)),
]

SOURCE = registry.register_count_source(
    registry.CountSource(
        name=SOURCE_NAME,
        rows=Appraisal.objects.all,
        counters=tuple(registry.Counter(n, "confirmed_on", _where(q)) for n, _l, q in COUNTERS),
        stamp=_stamp,
        list_url="cadres:appraisals",
    )
)
registry.register(
    *(registry.Figure(name=n, label=label, source=SOURCE_NAME) for n, label, _q in COUNTERS)
)


def figure_names() -> list[str]:
    return [n for n, _l, _q in COUNTERS]
