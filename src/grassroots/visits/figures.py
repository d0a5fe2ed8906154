"""The visit figures, registered once with the figures registry (docs/visits.md defines them).

| name | counts … |
|---|---|
| visits | visits (走访人次): every logged visit, on its `visited_on` day, in its household's grid |
| visited_households | households visited (走访户数): the distinct households of those visits |
| plan_households | households under a visit plan (应走访户数), now |
| plan_on_schedule | of those, households whose next visit is not overdue (按期走访户数) |
| plan_overdue | of those, households whose next visit is overdue (逾期未走访户数) |
| plan_coverage | rate: plan_on_schedule ÷ plan_households (走访计划覆盖率) |

`visits` is a count source over the visits (the generic rollup `figures.SourceCount`);
`visited_households` counts the distinct households among its rows, live, with the very filter
of its list (the visit list with `figure=visited_households` keeps one visit per household:
its latest in the filter). The plan figures are a count source over the households' visit
state (`visits.coverage`, a kept state the refresher rebuilds first): "overdue" is the due
list's own definition (next due date before today), taken from the state as of its rebuild;
their list is `/visits/coverage/?figure=<name>`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Max, Q
from django.utils.translation import gettext_lazy as _

from grassroots.figures import registry
from grassroots.figures.choices import Unit
from grassroots.figures.states import rebuilt_stamp
from grassroots.visits import coverage
from grassroots.visits.models import HouseholdVisitDue, Visit


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
registry.register(
    registry.Figure(
        name="visited_households",
        label=_("走访户数"),
        source="visits",
        of="visits",
        distinct="household_id",
    )
)

registry.register_state(
    registry.KeptState(
        name=coverage.STATE,
        stamp=coverage.stamp,
        rebuild=coverage.rebuild,
        expected=coverage.expected,
        stored=coverage.stored,
    )
)


def _on_schedule(today: datetime.date) -> Q:
    return Q(due_on__gte=today)


def _overdue(today: datetime.date) -> Q:
    return Q(due_on__lt=today)


PLAN = registry.register_count_source(
    registry.CountSource(
        name=coverage.SOURCE,
        rows=HouseholdVisitDue.objects.all,
        # every row of the state carries the date of its rebuild (`as_of`): one day per row
        counters=(
            registry.Counter("plan_households", "as_of", _every),
            registry.Counter("plan_on_schedule", "as_of", _on_schedule),
            registry.Counter("plan_overdue", "as_of", _overdue),
        ),
        stamp=lambda: rebuilt_stamp(coverage.STATE),
        list_url="visits:coverage",
    )
)
registry.register(
    registry.Figure(
        name="plan_households", label=_("应走访户数"), source=coverage.SOURCE, current=True
    ),
    registry.Figure(
        name="plan_on_schedule", label=_("按期走访户数"), source=coverage.SOURCE, current=True
    ),
    registry.Figure(
        name="plan_overdue", label=_("逾期未走访户数"), source=coverage.SOURCE, current=True
    ),
    registry.Figure(
        name="plan_coverage",
        label=_("走访计划覆盖率"),
        source=coverage.SOURCE,
        unit=Unit.RATE,
        numerator="plan_on_schedule",
        denominator="plan_households",
        current=True,
    ),
)
