"""Residents served (服务群众人次), counted once by a stated rule, kept by the figures' refresher.

The rule: **a household served on a day counts one person-time that day**, whether it raised a
case, was visited at home, or took part in a community activity, and however many of these
happened (a case filed during a home visit is the same person-time as the visit). A case with no
household counts one person-time by itself, on its registration day, in its area; a case with
neither a household nor a place is not counted (there is no area to count it in). Services are
counted through the cases that request them.

`refresh-figures` rebuilds the whole table (`rebuild`: three reads, bulk inserts) whenever its
stamp changed — a case, visit, participation or household added or changed; `verify-figures`
compares it with a recomputation (`expected`). The figure `served_person_times` counts its rows.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from grassroots.areas.choices import ANCESTOR_COLUMNS
from grassroots.cases.models import Case
from grassroots.community.models import Participant
from grassroots.figures import registry
from grassroots.people.models import Household
from grassroots.scorecard.models import ServedDay
from grassroots.visits.models import Visit

STATE = "served_day"
SOURCE = "scorecard_served"
BATCH = 2000
FIELDS = ("area_id", *ANCESTOR_COLUMNS, "kinds", "as_of")


def stamp() -> tuple[Any, ...]:
    """Changes whenever a counted row may have: cases and households (count, newest change),
    visits and participations (count, newest id)."""
    out: list[Any] = []
    changed: tuple[Any, ...] = (Case, Household)
    for model in changed:
        row = model.objects.aggregate(n=Count("pk"), hi=Max("updated_at"))
        out += [row["n"], str(row["hi"])]
    added: tuple[Any, ...] = (Visit, Participant)
    for model in added:
        row = model.objects.aggregate(n=Count("pk"), hi=Max("pk"))
        out += [row["n"], row["hi"]]
    return tuple(out)


Key = tuple[int | None, int | None, datetime.date]  # (household, case, day)


def computed(today: datetime.date) -> dict[Key, dict[str, Any]]:
    """Every person-time by the rule above, keyed (household, case, day)."""
    kinds: dict[Key, set[str]] = {}
    places: dict[Key, tuple[Any, ...]] = {}

    def add(key: Key, kind: str) -> None:
        kinds.setdefault(key, set()).add(kind)

    for hh, day in Visit.objects.values_list("household_id", "visited_on").iterator(BATCH):
        add((hh, None, day), "visit")
    rows = Participant.objects.values_list("household_id", "activity__held_on")
    for hh, day in rows.iterator(BATCH):
        add((hh, None, day), "activity")
    cases = Case.objects.filter(area__isnull=False).values_list(
        "pk", "household_id", "created_at", "area_id", *ANCESTOR_COLUMNS
    )
    for pk, hh, created, *place in cases.iterator(BATCH):
        day = timezone.localtime(created).date()
        key: Key = (hh, None, day) if hh else (None, pk, day)
        add(key, "case")
        if not hh:
            places[key] = tuple(place)
    cols = [f"area__{c}_id" for c in ANCESTOR_COLUMNS]
    homes = {
        pk: rest
        for pk, *rest in Household.objects.values_list("pk", "area_id", *cols).iterator(BATCH)
    }
    out: dict[Key, dict[str, Any]] = {}
    for key, ways in kinds.items():
        place = places.get(key) or tuple(homes.get(key[0]) or ())
        if not place or place[0] is None:
            continue
        out[key] = {
            "area_id": place[0],
            **dict(zip(ANCESTOR_COLUMNS, place[1:], strict=True)),
            "kinds": ",".join(sorted(ways)),
            "as_of": today,
        }
    return out


def rebuild(today: datetime.date) -> int:
    """Replace the table with `computed(today)`; returns the rows written."""
    rows = [
        ServedDay(household_id=hh, case_id=case, day=day, **values)
        for (hh, case, day), values in computed(today).items()
    ]
    with transaction.atomic():
        ServedDay.objects.all().delete()
        ServedDay.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def expected(today: datetime.date) -> registry.Stored:
    return {key: dict(values) for key, values in computed(today).items()}


def stored() -> registry.Stored:
    rows = ServedDay.objects.values("household_id", "case_id", "day", *FIELDS)
    return {(r["household_id"], r["case_id"], r["day"]): {f: r[f] for f in FIELDS} for r in rows}
