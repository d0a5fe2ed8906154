"""Working calendar and time-limit arithmetic of cases (DESIGN §4). Pure: no models, no database.

A matter's response and resolution limits are counted in working hours, working days or calendar
hours. Whether a day is a working day is decided, first match wins, by

1. the admins' overrides (date → working day or not), which always win;
2. the official schedule (法定节假日 and adjusted working days, 调休) as published by the State
   Council and packaged by `chinese_calendar`, for the years the package knows;
3. the plain rule for every other year: Monday to Friday work, Saturday and Sunday rest.

Every function takes aware datetimes in any zone (naive ones raise ValueError) and returns aware
datetimes in Asia/Shanghai. Working time is measured on the Asia/Shanghai wall clock, which has
kept no daylight saving time since 1991; calendar hours are real elapsed time.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar
from django.utils.translation import gettext as _

SHANGHAI = ZoneInfo("Asia/Shanghai")
_DAY = timedelta(days=1)
_ZERO = timedelta(0)


class LimitUnit(StrEnum):
    """The unit a time limit is counted in (the values of `cases.choices.LimitUnit`)."""

    # Time inside the working periods of working days.
    WORKING_HOURS = "working_hours"
    # Whole working days after the start's day; due at the end of the last one.
    WORKING_DAYS = "working_days"
    # Real elapsed time, nights and holidays included.
    CALENDAR_HOURS = "calendar_hours"


@lru_cache(maxsize=1024)
def package_knows(year: int) -> bool:
    """Whether `chinese_calendar` holds the official schedule of `year` (never raises)."""
    if not date.min.year <= year <= date.max.year:
        return False
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=16384)
def _official_workday(day: date) -> bool | None:
    """The package's answer for `day`, or None where it does not know the year."""
    if not package_knows(day.year):
        return None
    return bool(chinese_calendar.is_workday(day))


class WorkCalendar:
    """Which days are working days: admin overrides, then the official schedule, then Mon–Fri.

    `overrides` maps a date to whether it is a working day; `official_years_entered` are the years
    for which an admin has entered the whole official schedule as overrides. The calendar is
    immutable once built; it copies its arguments.
    """

    __slots__ = ("_entered", "_overrides")

    def __init__(
        self,
        overrides: Mapping[date, bool] | None = None,
        official_years_entered: Iterable[int] = (),
    ) -> None:
        self._overrides: dict[date, bool] = {
            _as_date(day): bool(is_work) for day, is_work in (overrides or {}).items()
        }
        self._entered: frozenset[int] = frozenset(official_years_entered)

    def __repr__(self) -> str:
        years = sorted(self._entered)
        return f"WorkCalendar({len(self._overrides)} overrides, years entered {years})"

    def is_workday(self, day: date) -> bool:
        """Whether `day` is a working day. Never raises, for any date from year 1 to 9999.

        A datetime is taken at its own wall-clock date.
        """
        day = _as_date(day)
        override = self._overrides.get(day)
        if override is not None:
            return override
        official = _official_workday(day)
        if official is not None:
            return official
        return day.weekday() < 5

    def next_workday(self, day: date) -> date:
        """The first working day strictly after `day`."""
        day = _as_date(day) + _DAY
        while not self.is_workday(day):
            day += _DAY
        return day

    def known(self, year: int) -> bool:
        """Whether the official schedule of `year` is known: packaged, or entered by an admin."""
        return year in self._entered or package_knows(year)

    def warnings(self, today: date) -> list[str]:
        """One message for each of this year and next year whose official schedule is not known.

        Admins are shown these until they enter the schedule; meanwhile limits in those years are
        counted with Monday to Friday as working days (plus any overrides already entered).
        """
        return [
            _("%(year)s 年的法定节假日安排尚未录入，期限按周一至周五计算") % {"year": year}
            for year in (today.year, today.year + 1)
            if not self.known(year)
        ]


@dataclass(frozen=True, slots=True)
class WorkHours:
    """The two working periods of a working day on the local wall clock.

    The default is a typical Shanxi county government day, 8:30–12:00 and 14:30–18:00. The times
    must be naive and ordered: morning start < morning end <= afternoon start < afternoon end.
    """

    morning: tuple[time, time] = (time(8, 30), time(12, 0))
    afternoon: tuple[time, time] = (time(14, 30), time(18, 0))

    def __post_init__(self) -> None:
        (m_start, m_end), (a_start, a_end) = self.morning, self.afternoon
        if any(t.tzinfo is not None for t in (m_start, m_end, a_start, a_end)):
            raise ValueError("working hours are wall-clock times without a time zone")
        if not m_start < m_end <= a_start < a_end:
            raise ValueError("working periods must be non-empty and in order")

    @property
    def day_end(self) -> time:
        """When the working day ends: the end of the afternoon."""
        return self.afternoon[1]

    def periods(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The working periods of `day` as naive wall-clock (start, end) pairs."""
        return tuple(
            (datetime.combine(day, start), datetime.combine(day, end))
            for start, end in (self.morning, self.afternoon)
        )


DEFAULT_WORK_HOURS = WorkHours()


def _as_date(day: date) -> date:
    return day.date() if isinstance(day, datetime) else day


def to_local(moment: datetime) -> datetime:
    """`moment` in Asia/Shanghai; raises ValueError for a naive datetime."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("an aware datetime is required")
    return moment.astimezone(SHANGHAI)


def _utc(moment: datetime) -> datetime:
    # Aware datetimes sharing a tzinfo subtract on the wall clock; real durations need UTC.
    return to_local(moment).astimezone(UTC)


def _wall(moment: datetime) -> datetime:
    return to_local(moment).replace(tzinfo=None, fold=0)


def _aware(wall: datetime) -> datetime:
    return wall.replace(tzinfo=SHANGHAI)


def _hours(hours: float) -> timedelta:
    if isinstance(hours, bool) or not math.isfinite(hours) or hours < 0:
        raise ValueError(f"a time limit must be a finite number >= 0, not {hours!r}")
    return timedelta(hours=hours)


def add_working_hours(
    cal: WorkCalendar, start: datetime, hours: float, wh: WorkHours = DEFAULT_WORK_HOURS
) -> datetime:
    """The earliest instant by which `hours` of working time have passed since `start`.

    Guarantees:
    - counting begins at `start` if it is inside a working period, else at the start of the next
      working period (the next one today, or the morning of the next working day);
    - the result is inside a working period of a working day, or exactly at a period's end (a limit
      used up at 12:00 is due at 12:00, not at 14:30);
    - `hours == 0` returns `start` itself (in Asia/Shanghai): a zero limit is due at once;
    - additivity: adding `a` then `b` equals adding `a + b` (`hours` is rounded to the
      microsecond first, so this is exact for whole seconds);
    - `working_time_between(cal, start, result) == timedelta(hours=hours)`.

    Raises ValueError for a naive `start` or a negative or non-finite `hours`.
    """
    remaining = _hours(hours)
    if remaining == _ZERO:
        return to_local(start)
    cursor = _wall(start)
    day = cursor.date()
    while True:
        if cal.is_workday(day):
            for period_start, period_end in wh.periods(day):
                begin = max(cursor, period_start)
                if begin >= period_end:
                    continue
                available = period_end - begin
                if remaining <= available:
                    return _aware(begin + remaining)
                remaining -= available
        day += _DAY
        cursor = datetime.combine(day, time.min)


def working_time_between(
    cal: WorkCalendar, start: datetime, end: datetime, wh: WorkHours = DEFAULT_WORK_HOURS
) -> timedelta:
    """The working time inside [start, end]; zero when `end` is not after `start`."""
    low, high = _wall(start), _wall(end)
    total = _ZERO
    day = low.date()
    while day <= high.date():
        if cal.is_workday(day):
            for period_start, period_end in wh.periods(day):
                overlap = min(period_end, high) - max(period_start, low)
                if overlap > _ZERO:
                    total += overlap
        day += _DAY
    return total


def add_working_days(
    cal: WorkCalendar, start: datetime, days: int, wh: WorkHours = DEFAULT_WORK_HOURS
) -> datetime:
    """The end (`wh.day_end`) of the `days`-th working day after the day of `start`.

    The rule of "N个工作日内办结", counted from the day after receipt (自受理之次日起计算):
    - the day of `start` (its Asia/Shanghai date) is day 0 and is never counted, whatever the hour
      and whether or not it is a working day; days 1..N are the next N working days, holidays
      skipped and adjusted working days (调休) counted;
    - so a start on a non-working day counts from the next working day, which is day 1: a case
      received on Saturday with 1 working day is due at the end of Monday, the same as one received
      on Friday;
    - `days == 0` (当日办结) is due at the end of the start's day if that is a working day and
      `start` is before its end, otherwise at the end of the next working day;
    - the result is always after `start`, and always at `wh.day_end` of a working day.

    Raises ValueError for a naive `start` or a negative `days`.
    """
    if days < 0:
        raise ValueError(f"a time limit must be >= 0 working days, not {days!r}")
    local = to_local(start)
    day = local.date()
    if days == 0:
        if cal.is_workday(day) and local < _aware(datetime.combine(day, wh.day_end)):
            return _aware(datetime.combine(day, wh.day_end))
        return _aware(datetime.combine(cal.next_workday(day), wh.day_end))
    for _n in range(days):
        day = cal.next_workday(day)
    return _aware(datetime.combine(day, wh.day_end))


def add_calendar_hours(start: datetime, hours: float) -> datetime:
    """`start` plus `hours` of real elapsed time, nights and holidays included.

    Raises ValueError for a naive `start` or a negative or non-finite `hours`.
    """
    return (_utc(start) + _hours(hours)).astimezone(SHANGHAI)


def due(
    cal: WorkCalendar,
    start: datetime,
    amount: float,
    unit: LimitUnit | str,
    wh: WorkHours = DEFAULT_WORK_HOURS,
) -> datetime:
    """When a limit of `amount` `unit`s that starts at `start` falls due; always >= `start`.

    Working days must be a whole number (3.0 is fine, 2.5 raises ValueError). An unknown unit, a
    negative or non-finite amount, or a naive `start` raise ValueError.
    """
    unit = LimitUnit(unit)
    if unit is LimitUnit.WORKING_HOURS:
        return add_working_hours(cal, start, amount, wh)
    if unit is LimitUnit.WORKING_DAYS:
        if isinstance(amount, bool) or not math.isfinite(amount) or amount != int(amount):
            raise ValueError(f"working days must be a whole number, not {amount!r}")
        return add_working_days(cal, start, int(amount), wh)
    return add_calendar_hours(start, amount)


def elapsed_fraction(
    cal: WorkCalendar,
    start: datetime,
    due: datetime,
    now: datetime,
    unit: LimitUnit | str,
    wh: WorkHours = DEFAULT_WORK_HOURS,
) -> float:
    """The share of the limit from `start` to `due` used at `now`, for reminders at 0.5, 0.75, 1.0.

    Measured in the limit's own kind of time: working time (with `wh`) for working hours and
    working days, real time for calendar hours. Guarantees:
    - exactly 1.0 when `now == due`, and non-decreasing in `now`;
    - 0.0 when `now` is at or before `start` (if the limit has any time in it, see below);
    - above 1.0 only as working time (or real time) passes after `due`: on the night or holiday
      after `due` it stays at 1.0, so test `now > due` for "overdue", not the fraction;
    - a limit with no time in it (`due` at or before `start`, or no working time between them) is
      0.0 before `due` and 1.0 from `due` on.

    Raises ValueError for an unknown unit or a naive datetime.
    """
    unit = LimitUnit(unit)
    if unit is LimitUnit.CALENDAR_HOURS:
        total = max(_utc(due) - _utc(start), _ZERO)
        used = max(_utc(now) - _utc(start), _ZERO)
    else:
        total = working_time_between(cal, start, due, wh)
        used = working_time_between(cal, start, now, wh)
    if total == _ZERO:
        return 1.0 if _utc(now) >= _utc(due) else 0.0
    return used / total
