"""The households' visit state (`HouseholdVisitDue`), kept by the figures' refresher, and the
list behind the plan figures (`visits.figures`).

The state holds, for every household under a visit plan, what the due list computes for it
(`due.PlanInputs.plan_of`: one definition of "due"): its interval, the deciding tag, its last
visit and its next due date. `refresh-figures` recomputes it whole (`rebuild`: one pass over
the households, the same three input queries as the due list, then the rows that differ
written) whenever its stamp changed — a visit logged or removed, a household added, moved or
edited, a resident's status or tags changed, a plan rule changed, an area changed — or the
date did;
`verify-figures` compares it with a recomputation (`expected`): a changed row with an
unchanged stamp is corruption.

Grid health and the plan figures read this table (one GROUP BY), never the households.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from grassroots.areas.choices import ANCESTOR_COLUMNS
from grassroots.areas.models import Area
from grassroots.areas.scope import scope_for
from grassroots.areas.selectors import area_get
from grassroots.core.errors import invalid_filter
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.figures import registry
from grassroots.figures.kept import rows_replaced
from grassroots.people.models import Household, Resident, ResidentTag
from grassroots.visits.due import plan_inputs
from grassroots.visits.models import HouseholdVisitDue, PlanRule, Visit

STATE = "visit_due"
SOURCE = "visit_plan"
BATCH = 2000
FIELDS = (
    "area_id", *ANCESTOR_COLUMNS, "interval_days", "rule_tag", "last_visit", "due_on", "as_of",
)  # fmt: skip


def stamp() -> tuple[Any, ...]:
    """Changes whenever a household's plan may have changed: the visits (count, newest id),
    households, residents, plan rules and areas (count, newest change), residents' tags
    (count, newest id). Six aggregates."""
    out: list[Any] = []
    v = Visit.objects.aggregate(n=Count("pk"), hi=Max("pk"))
    out += [v["n"], v["hi"]]
    for model in (Household, Resident, PlanRule, Area):
        row = model.objects.aggregate(n=Count("pk"), hi=Max("updated_at"))
        out += [row["n"], str(row["hi"])]
    t = ResidentTag.objects.aggregate(n=Count("pk"), hi=Max("pk"))
    out += [t["n"], t["hi"]]
    return tuple(out)


def computed(today: datetime.date) -> Iterator[dict[str, Any]]:
    """The state's rows as of `today`: every household a plan rule applies to (three input
    queries and one over the households, read in chunks)."""
    households = Household.objects.all()
    inputs = plan_inputs(households)
    cols = [f"area__{c}_id" for c in ANCESTOR_COLUMNS]
    rows = households.order_by().values_list("pk", "created_at", "area_id", *cols)
    for pk, created, area_id, *ancestors in rows.iterator(chunk_size=BATCH):
        plan = inputs.plan_of(pk, created, ancestors)
        if plan is None:
            continue
        interval, tag, last, due = plan
        yield {
            "household_id": pk,
            "area_id": area_id,
            **dict(zip(ANCESTOR_COLUMNS, ancestors, strict=True)),
            "interval_days": interval,
            "rule_tag": tag,
            "last_visit": last,
            "due_on": due,
            "as_of": today,
        }


def rebuild(today: datetime.date) -> int:
    """Make the state hold `computed(today)`, worked out before its write transaction, which
    writes only the rows that differ (`figures.kept.rows_replaced`); returns the rows
    written."""
    rows = list(computed(today))
    return rows_replaced(HouseholdVisitDue, ("household_id",), FIELDS, rows)


def expected(today: datetime.date) -> registry.Stored:
    return {(r["household_id"],): {f: r[f] for f in FIELDS} for r in computed(today)}


def stored() -> registry.Stored:
    rows = HouseholdVisitDue.objects.values("household_id", *FIELDS)
    return {(r["household_id"],): {f: r[f] for f in FIELDS} for r in rows}


def plan_list(*, actor: User, figure: Any, within: Any = None) -> QuerySet[HouseholdVisitDue]:
    """The households a plan figure (`visits.figures`: source visit_plan) counts, in the
    actor's scope (VIEW_PEOPLE) and `within`'s subtree: exactly its rows (a rate: its
    denominator's). Most overdue first. A figure of another source is a 400 naming it."""
    fig = registry.figure(str(figure or ""))
    if fig is None or fig.source != SOURCE:
        raise invalid_filter("figure", figure)
    rows = scope_for(actor).filter(HouseholdVisitDue.objects.all(), Perm.VIEW_PEOPLE, area="")
    if within:
        rows = rows.filter(area_get(actor=actor, pk=within).subtree_q())
    rows = rows.filter(fig.q(timezone.now()))
    return rows.select_related("household", "area").order_by("due_on", "household_id")
