"""Figures the scorecard needs that no other app registers: the grid structure and the
catalogue of functional matters (the `areas` and `cases` registries, which sit below the
figures layer and register none), registered once with the figures registry.

| name | counts … |
|---|---|
| grids_level1, _level2, _level3 | areas of that grid level (一级、二级、三级网格), now |
| grids_staffed | micro grids (grid3) with a grid worker in post today |
| grids_with_duties | of those, the ones whose worker's post has a duty list (职责清单) |
| units_county | county-level units (职能部门), now |
| matters_active | functional matters (职能事项) in use, placed where their unit serves, now |
| served_person_times | residents served (人次): a household once a day however served, on the day |
| | (`scorecard.served` states the rule); a kept state rebuilt by `refresh-figures` |

All are "current" (the rows in that state now); the rollup places an area on the day it was
registered, a unit likewise, a matter on its unit's day. Each lists its rows at
`/scorecard/rows/?figure=<name>&within=<area>`, which applies exactly the figure's filter, and
`verify-figures` checks their rollup (`figures.counts`) like every count source's.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from grassroots.areas.choices import ANCESTOR_COLUMNS, Level
from grassroots.areas.models import Area, Duty, Post, Unit
from grassroots.cases.models import Matter
from grassroots.core.roles import Role
from grassroots.figures import registry
from grassroots.figures.states import rebuilt_stamp
from grassroots.scorecard import served
from grassroots.scorecard.models import ServedDay

LIST_URL = "scorecard:rows"
AREAS, UNITS, MATTERS = "scorecard_areas", "scorecard_units", "scorecard_matters"


def area_rows() -> QuerySet[Area]:
    """Every area, with what a count source needs: its own id as `area_id` and a day."""
    return Area.objects.annotate(area_id=F("pk"), listed_on=TruncDate("created_at"))


def unit_rows() -> QuerySet[Unit]:
    """Every unit, with the path of the area it serves and a day."""
    paths = {col: F(f"area__{col}") for col in ANCESTOR_COLUMNS}
    return Unit.objects.annotate(**paths, listed_on=TruncDate("created_at"))


def matter_rows() -> QuerySet[Matter]:
    """Every matter, placed where its unit serves, on its unit's day."""
    paths = {col: F(f"unit__area__{col}") for col in ANCESTOR_COLUMNS}
    return Matter.objects.annotate(
        area_id=F("unit__area_id"), **paths, listed_on=TruncDate("unit__created_at")
    )


def _q(q: Q) -> Callable[[datetime.date], Q]:
    return lambda today: q


def _in_post(today: datetime.date) -> Q:
    """Posts held on `today`."""
    return Q(started_on__lte=today) & (Q(ended_on__isnull=True) | Q(ended_on__gt=today))


def _staffed(today: datetime.date) -> Q:
    posts = Post.objects.filter(_in_post(today), post_type__role=Role.GRID_WORKER)
    return Q(level=Level.GRID3, pk__in=posts.values("area_id"))


def _with_duties(today: datetime.date) -> Q:
    posts = Post.objects.filter(
        _in_post(today),
        post_type__role=Role.GRID_WORKER,
        post_type__in=Duty.objects.values("post_type_id"),
    )
    return Q(level=Level.GRID3, pk__in=posts.values("area_id"))


def _areas_stamp() -> tuple[Any, ...]:
    """Areas change (updated_at); posts are added or ended; duty lists are redefined."""
    a = Area.objects.aggregate(n=Count("pk"), hi=Max("updated_at"))
    p = Post.objects.aggregate(n=Count("pk"), hi=Max("pk"), ended=Count("ended_on"))
    d = Duty.objects.aggregate(n=Count("pk"), hi=Max("pk"))
    return (a["n"], str(a["hi"]), p["n"], p["hi"], p["ended"], d["n"], d["hi"])


def _units_stamp() -> tuple[Any, ...]:
    row = Unit.objects.aggregate(n=Count("pk"), hi=Max("updated_at"))
    return (row["n"], str(row["hi"]))


def _matters_stamp() -> tuple[Any, ...]:
    row = Matter.objects.aggregate(
        n=Count("pk"), hi=Max("pk"), on=Count("pk", filter=Q(active=True))
    )
    units = Unit.objects.aggregate(hi=Max("updated_at"))
    return (row["n"], row["hi"], row["on"], str(units["hi"]))


GRID_LEVELS: tuple[tuple[str, str], ...] = (
    (Level.GRID1, "grids_level1"),
    (Level.GRID2, "grids_level2"),
    (Level.GRID3, "grids_level3"),
)

registry.register_count_source(
    registry.CountSource(
        name=AREAS,
        rows=area_rows,
        counters=(
            *(registry.Counter(name, "listed_on", _q(Q(level=lv))) for lv, name in GRID_LEVELS),
            registry.Counter("grids_staffed", "listed_on", _staffed),
            registry.Counter("grids_with_duties", "listed_on", _with_duties),
        ),
        stamp=_areas_stamp,
        list_url=LIST_URL,
    )
)
registry.register_count_source(
    registry.CountSource(
        name=UNITS,
        rows=unit_rows,
        counters=(registry.Counter("units_county", "listed_on", _q(Q(level="county"))),),
        stamp=_units_stamp,
        list_url=LIST_URL,
    )
)
registry.register_count_source(
    registry.CountSource(
        name=MATTERS,
        rows=matter_rows,
        counters=(registry.Counter("matters_active", "listed_on", _q(Q(active=True))),),
        stamp=_matters_stamp,
        list_url=LIST_URL,
    )
)

DEFINITIONS: list[tuple[str, Any, str]] = [
    ("grids_level1", _("一级网格"), AREAS),
    ("grids_level2", _("二级网格"), AREAS),
    ("grids_level3", _("三级网格（微网格）"), AREAS),
    ("grids_staffed", _("配备网格员的微网格"), AREAS),
    ("grids_with_duties", _("网格员有职责清单的微网格"), AREAS),
    ("units_county", _("县级职能部门"), UNITS),
    ("matters_active", _("职能事项"), MATTERS),
]
registry.register(
    *(
        registry.Figure(name=name, label=label, source=source, current=True)
        for name, label, source in DEFINITIONS
    )
)

# --- residents served (服务群众人次): a kept state, counted --------------------------------------

registry.register_state(
    registry.KeptState(
        name=served.STATE,
        stamp=served.stamp,
        rebuild=served.rebuild,
        expected=served.expected,
        stored=served.stored,
    )
)
registry.register_count_source(
    registry.CountSource(
        name=served.SOURCE,
        rows=ServedDay.objects.all,
        counters=(registry.Counter("served_person_times", "day", _q(Q())),),
        stamp=lambda: rebuilt_stamp(served.STATE),
        list_url=LIST_URL,
    )
)
registry.register(
    registry.Figure(name="served_person_times", label=_("服务群众人次"), source=served.SOURCE)
)
SOURCES = (AREAS, UNITS, MATTERS, served.SOURCE)


def _verify() -> list[str]:
    from grassroots.scorecard.verify import scorecard_verify

    return scorecard_verify()


# `verify-figures` recomputes every indicator of every area and period the scorecard shows.
registry.register_check(registry.Check(name="scorecard", run=_verify))
