"""Time limits of cases on the working calendar: the official schedule plus admins' corrections.

The calendar is read from the database once and cached; `calendar_changed()` drops the cache
(the calendar services call it). The arithmetic itself is pure, in `cases.workcalendar`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache

from grassroots.cases import workcalendar
from grassroots.cases.models import CalendarDay, Matter, OfficialYear


@lru_cache(maxsize=1)
def calendar() -> workcalendar.WorkCalendar:
    """The working calendar with every admin override applied."""
    overrides = dict(CalendarDay.objects.values_list("date", "is_workday"))
    years = set(OfficialYear.objects.values_list("year", flat=True))
    return workcalendar.WorkCalendar(overrides=overrides, official_years_entered=years)


def calendar_changed() -> None:
    calendar.cache_clear()


@dataclass(frozen=True)
class Dues:
    response: datetime.datetime
    resolution: datetime.datetime


def dues_for(matter: Matter, start: datetime.datetime) -> Dues:
    """The response and resolution due times of `matter` for a clock starting at `start`."""
    cal = calendar()
    return Dues(
        response=workcalendar.due(cal, start, matter.response_amount, matter.response_unit),
        resolution=workcalendar.due(cal, start, matter.resolution_amount, matter.resolution_unit),
    )


def resolution_due(matter: Matter, start: datetime.datetime) -> datetime.datetime:
    return workcalendar.due(calendar(), start, matter.resolution_amount, matter.resolution_unit)


def used_fraction(
    matter: Matter, start: datetime.datetime, due: datetime.datetime, now: datetime.datetime
) -> float:
    """How much of the resolution limit is used at `now` (1.0 = due), in the limit's own unit."""
    return used_fraction_in(matter.resolution_unit, start, due, now)


def used_fraction_in(
    unit: str, start: datetime.datetime, due: datetime.datetime, now: datetime.datetime
) -> float:
    """`used_fraction` for a limit counted in `unit` (the matter's `resolution_unit`)."""
    return workcalendar.elapsed_fraction(calendar(), start, due, now, unit)
