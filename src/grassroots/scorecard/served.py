"""Residents served (服务群众人次), counted once by a stated rule, kept by the figures' refresher.

The rule: **a household served on a day counts one person-time that day**, whether it raised a
case, was visited at home, or took part in a community activity, and however many of these
happened (a case filed during a home visit is the same person-time as the visit). A case with no
household counts one person-time by itself, on its registration day, in its area; a case with
neither a household nor a place is not counted (there is no area to count it in). Services are
counted through the cases that request them.

`refresh-figures` brings the table up to date whenever its stamp changed — a case, visit,
participation or household added or changed (`rebuild`). It recomputes only the days changed
since its last run (`ServedMark`: what it had read of each source): the registration days of the
cases changed since, the days of the new visits and participations, and every day of a household
changed since. It recomputes the whole table instead on the first run of a day (each row says
as of which day), when a source lost rows (a count that does not add up) or when the change is
too wide to be worth picking apart. Changes are read again for MARGIN after the newest one seen,
so a write that committed just after a run is not missed. At 1,000,000 cases a whole rebuild
reads every case each minute under intake; a run after a minute of intake reads that minute.
`verify-figures` compares the table with a whole recomputation (`expected`). The figure
`served_person_times` counts its rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from grassroots.areas.choices import ANCESTOR_COLUMNS
from grassroots.cases.models import Case
from grassroots.community.models import Participant
from grassroots.figures import registry
from grassroots.people.models import Household
from grassroots.scorecard.models import ServedDay, ServedMark
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

# A change is read again for this long after the newest one seen (and rows found by id for this
# many ids below the highest seen): a write made before a run but committed after it is still
# picked up by the next. One slower than that is caught by the day's first, whole, rebuild.
MARGIN = datetime.timedelta(minutes=10)
ID_MARGIN = 1000
# Beyond these the change is recomputed whole (an import of households, a month of backdated
# visits): cheaper than a long list of days.
MAX_DAYS = 62
MAX_HOUSEHOLDS = 2000


def _day_q(field: str, days: set[datetime.date]) -> Q:
    """Rows whose `field` (a moment) falls on one of the local `days`."""
    q = Q(pk__in=[])
    for day in days:
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        q |= Q(**{f"{field}__gte": start, f"{field}__lt": start + datetime.timedelta(days=1)})
    return q


def computed(
    today: datetime.date, days: set[datetime.date] | None = None
) -> dict[Key, dict[str, Any]]:
    """Every person-time by the rule above, keyed (household, case, day); only those of `days`
    when given."""
    kinds: dict[Key, set[str]] = {}
    places: dict[Key, tuple[Any, ...]] = {}

    def add(key: Key, kind: str) -> None:
        kinds.setdefault(key, set()).add(kind)

    visits = Visit.objects.all() if days is None else Visit.objects.filter(visited_on__in=days)
    for hh, day in visits.values_list("household_id", "visited_on").iterator(BATCH):
        add((hh, None, day), "visit")
    taking = Participant.objects.all()
    if days is not None:
        taking = taking.filter(activity__held_on__in=days)
    for hh, day in taking.values_list("household_id", "activity__held_on").iterator(BATCH):
        add((hh, None, day), "activity")
    cases = Case.objects.filter(area__isnull=False)
    if days is not None:
        cases = cases.filter(_day_q("created_at", days))
    rows = cases.values_list("pk", "household_id", "created_at", "area_id", *ANCESTOR_COLUMNS)
    for pk, hh, created, *place in rows.iterator(BATCH):
        day = timezone.localtime(created).date()
        key: Key = (hh, None, day) if hh else (None, pk, day)
        add(key, "case")
        if not hh:
            places[key] = tuple(place)
    homes = _homes(None if days is None else sorted({k[0] for k in kinds if k[0] is not None}))
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


def _homes(pks: list[int] | None) -> dict[Any, list[Any]]:
    """Each household's place (its area and the area's ancestors): of `pks`, or of all."""
    cols = ("area_id", *(f"area__{c}_id" for c in ANCESTOR_COLUMNS))
    if pks is None:
        rows = Household.objects.values_list("pk", *cols).iterator(BATCH)
        return {pk: rest for pk, *rest in rows}
    out: dict[Any, list[Any]] = {}
    for i in range(0, len(pks), 500):
        part = Household.objects.filter(pk__in=pks[i : i + 500]).values_list("pk", *cols)
        out.update({pk: rest for pk, *rest in part})
    return out


SOURCES: tuple[tuple[str, Any], ...] = (
    ("case", Case),
    ("household", Household),
    ("visit", Visit),
    ("participant", Participant),
)


def _read_now() -> dict[str, Any]:
    """What each source holds now: its count, highest id and (cases, households) newest change."""
    now: dict[str, Any] = {}
    for name, model in SOURCES:
        changes = name in ("case", "household")  # rows that change; visits and takings are added
        wanted: dict[str, Any] = {"n": Count("pk"), "hi": Max("pk")}
        if changes:
            wanted["seen"] = Max("updated_at")
        row = model.objects.aggregate(**wanted)
        now[f"{name}s"], now[f"{name}_max"] = row["n"], row["hi"] or 0
        if changes:
            now[f"{name}_seen"] = row["seen"]
    return now


def _lost_rows(mark: ServedMark) -> bool:
    """Whether a source holds fewer rows than it had plus those added since (a row deleted)."""
    for name, model in SOURCES:
        before, top = getattr(mark, f"{name}s"), getattr(mark, f"{name}_max")
        if model.objects.count() != before + model.objects.filter(pk__gt=top).count():
            return True
    return False


def changed_days(mark: ServedMark | None, today: datetime.date) -> set[datetime.date] | None:
    """The days whose rows may differ from the table since `mark`; None: recompute all."""
    if mark is None or mark.as_of != today or _lost_rows(mark):
        return None
    days: set[datetime.date] = set()
    cases = Case.objects.all()
    if mark.case_seen is not None:
        cases = cases.filter(updated_at__gte=mark.case_seen - MARGIN)
    for created in cases.values_list("created_at", flat=True).iterator(BATCH):
        days.add(timezone.localtime(created).date())
    new_visits = Visit.objects.filter(pk__gt=mark.visit_max - ID_MARGIN)
    days.update(new_visits.values_list("visited_on", flat=True))
    joined = Participant.objects.filter(pk__gt=mark.participant_max - ID_MARGIN)
    days.update(joined.values_list("activity__held_on", flat=True))
    homes = Household.objects.all()
    if mark.household_seen is not None:
        homes = homes.filter(updated_at__gte=mark.household_seen - MARGIN)
    moved = list(homes.values_list("pk", flat=True)[: MAX_HOUSEHOLDS + 1])
    if len(moved) > MAX_HOUSEHOLDS:
        return None
    if moved:
        days.update(ServedDay.objects.filter(household_id__in=moved).values_list("day", flat=True))
        days.update(
            Visit.objects.filter(household_id__in=moved).values_list("visited_on", flat=True)
        )
        held = Participant.objects.filter(household_id__in=moved)
        days.update(held.values_list("activity__held_on", flat=True))
        for created in Case.objects.filter(household_id__in=moved).values_list(
            "created_at", flat=True
        ):
            days.add(timezone.localtime(created).date())
    return days if len(days) <= MAX_DAYS else None


def _position(mark: ServedMark | None) -> tuple[Any, ...] | None:
    """What a mark says was read (None: never run), to tell whether another run wrote since."""
    if mark is None:
        return None
    return tuple(getattr(mark, f.attname) for f in ServedMark._meta.concrete_fields)


@dataclass
class _Work:
    """A run's writes, worked out: the sources' position now, the rows to delete (ids) and to
    add. Rows that would be written as they already are are left alone."""

    now: dict[str, Any]
    gone: list[int]
    new: list[ServedDay]


def _work(today: datetime.date, mark: ServedMark | None) -> _Work:
    """What a run after `mark` writes: the rows of the changed days (None: all) computed and
    compared with those held."""
    now = _read_now()
    days = changed_days(mark, today)
    held = ServedDay.objects.all() if days is None else ServedDay.objects.filter(day__in=days)
    have = {
        (hh, case, day): (pk, dict(zip(FIELDS, values, strict=True)))
        for pk, hh, case, day, *values in held.values_list(
            "pk", "household_id", "case_id", "day", *FIELDS
        ).iterator(BATCH)
    }
    new = []
    for (hh, case, day), values in computed(today, days).items():
        kept = have.pop((hh, case, day), None)
        if kept is not None and kept[1] == values:
            continue
        if kept is not None:
            have[(hh, case, day)] = kept  # changed: deleted, then added anew
        new.append(ServedDay(household_id=hh, case_id=case, day=day, **values))
    return _Work(now, [pk for pk, _values in have.values()], new)


def rebuild(today: datetime.date) -> int:
    """Bring the table up to date as of `today`: the days changed since the last run, or all
    (see the module's docstring); returns the rows written.

    The rows are worked out and compared with those held before the write transaction, which
    then only deletes and adds what differs and moves the mark: on SQLite a transaction holds
    the one write lock every intake waits for, and a whole recomputation at county scale takes
    seconds (6.3 s at 100,000 cases, all of it under the lock, when the bench's lag stage lost
    intakes to "database is locked"). Should another run have written meanwhile (its mark
    moved), the work is done again under the lock, so that runs still apply in order."""
    seen = ServedMark.objects.first()
    work = _work(today, seen)
    with transaction.atomic():
        mark = ServedMark.objects.select_for_update().first()
        if _position(mark) != _position(seen):
            work = _work(today, mark)
        for i in range(0, len(work.gone), BATCH):
            ServedDay.objects.filter(pk__in=work.gone[i : i + BATCH]).delete()
        ServedDay.objects.bulk_create(work.new, batch_size=BATCH)
        if mark is None:
            mark = ServedMark(as_of=today)
        mark.as_of = today
        for field, value in work.now.items():
            setattr(mark, field, value)
        mark.save()
    return len(work.new)


def expected(today: datetime.date) -> registry.Stored:
    return {key: dict(values) for key, values in computed(today).items()}


def stored() -> registry.Stored:
    rows = ServedDay.objects.values("household_id", "case_id", "day", *FIELDS)
    return {(r["household_id"], r["case_id"], r["day"]): {f: r[f] for f in FIELDS} for r in rows}
