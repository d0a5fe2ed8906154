"""Working calendar and time-limit arithmetic: pure functions, no database (STYLE rule 8).

"Time travel" here is passing `now` explicitly: the functions read no clock.
The official schedules asserted below are those in `chinese_calendar`'s data (State Council).
"""

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.cases.workcalendar import (
    DEFAULT_WORK_HOURS,
    SHANGHAI,
    LimitUnit,
    WorkCalendar,
    WorkHours,
    add_calendar_hours,
    add_working_days,
    add_working_hours,
    due,
    elapsed_fraction,
    package_knows,
    working_time_between,
)

PLAIN = WorkCalendar()
H = timedelta(hours=1)


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


# --- the official schedule ------------------------------------------------------------------------


def test_the_package_knows_2004_to_2026_and_nothing_else():
    assert all(package_knows(y) for y in range(2004, 2027))
    assert not any(package_knows(y) for y in [*range(1900, 2004), *range(2027, 2201)])
    assert not package_knows(0)
    assert not package_knows(10000)
    with pytest.raises(NotImplementedError):  # why the calendar must guard unknown years
        chinese_calendar.is_workday(date(2027, 1, 1))


@pytest.mark.parametrize(
    ("day", "is_workday"),
    [
        # 2024 National Day: 10-01..07 off, Sunday 09-29 and Saturday 10-12 worked.
        (date(2024, 9, 27), True),
        (date(2024, 9, 28), False),
        (date(2024, 9, 29), True),
        (date(2024, 9, 30), True),
        *[(date(2024, 10, d), False) for d in range(1, 8)],
        (date(2024, 10, 8), True),
        (date(2024, 10, 12), True),
        (date(2024, 10, 13), False),
        # 2024 Spring Festival: 02-10..17 off, Sundays 02-04 and 02-18 worked.
        (date(2024, 2, 4), True),
        (date(2024, 2, 12), False),
        (date(2024, 2, 16), False),
        (date(2024, 2, 18), True),
        # 2025 Spring Festival: 01-28..02-04 off, Sunday 01-26 and Saturday 02-08 worked.
        (date(2025, 1, 26), True),
        (date(2025, 1, 27), True),
        *[(date(2025, 1, d), False) for d in range(28, 32)],
        *[(date(2025, 2, d), False) for d in range(1, 5)],
        (date(2025, 2, 5), True),
        (date(2025, 2, 8), True),
        (date(2025, 2, 9), False),
        # 2026 New Year: 01-01..02 off, Sunday 01-04 worked.
        (date(2026, 1, 1), False),
        (date(2026, 1, 2), False),
        (date(2026, 1, 4), True),
        # 2026 Spring Festival: 02-15..23 off, Saturdays 02-14 and 02-28 worked.
        (date(2026, 2, 14), True),
        (date(2026, 2, 16), False),
        (date(2026, 2, 23), False),
        (date(2026, 2, 24), True),
        (date(2026, 2, 28), True),
        # 2026 Mid-autumn 09-25..27 off and National Day 10-01..07 off;
        # Sunday 09-20 and Saturday 10-10 worked.
        (date(2026, 9, 20), True),
        (date(2026, 9, 25), False),
        (date(2026, 9, 28), True),
        *[(date(2026, 10, d), False) for d in range(1, 8)],
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),
        (date(2026, 10, 11), False),
    ],
)
def test_official_holidays_and_adjusted_working_days(day, is_workday):
    assert PLAIN.is_workday(day) is is_workday


def test_every_packaged_day_follows_the_package():
    for day in days(date(2004, 1, 1), date(2026, 12, 31)):
        assert PLAIN.is_workday(day) is chinese_calendar.is_workday(day), day


def test_every_day_from_1900_to_2200_is_answered_and_unknown_years_are_monday_to_friday():
    cal = WorkCalendar({date(2027, 1, 1): False, date(1950, 1, 1): True})
    for day in days(date(1900, 1, 1), date(2200, 12, 31)):
        answer = cal.is_workday(day)
        if not package_knows(day.year) and day not in (date(2027, 1, 1), date(1950, 1, 1)):
            assert answer is (day.weekday() < 5), day


def test_the_ends_of_the_date_range_are_answered():
    assert PLAIN.is_workday(date.min) is True  # 0001-01-01 was a Monday
    assert PLAIN.is_workday(date.max) is True  # 9999-12-31 is a Friday


@given(
    day=st.dates(),
    overrides=st.dictionaries(st.dates(), st.booleans(), max_size=10),
)
def test_is_workday_never_raises_and_overrides_win(day, overrides):
    cal = WorkCalendar(overrides)
    answer = cal.is_workday(day)
    assert isinstance(answer, bool)
    if day in overrides:
        assert answer is overrides[day]


def test_admin_overrides_beat_the_package():
    cal = WorkCalendar({date(2024, 10, 1): True, date(2024, 9, 29): False})
    assert cal.is_workday(date(2024, 10, 1)) is True
    assert cal.is_workday(date(2024, 9, 29)) is False
    assert cal.is_workday(date(2024, 10, 2)) is False  # the rest still from the package


def test_a_datetime_is_taken_at_its_own_date():
    cal = WorkCalendar({datetime(2027, 1, 1, 9, 0): False})
    assert cal.is_workday(date(2027, 1, 1)) is False
    assert cal.is_workday(datetime(2027, 1, 1, 23, 0)) is False


def test_next_workday_skips_holidays_and_counts_adjusted_days():
    assert PLAIN.next_workday(date(2024, 9, 27)) == date(2024, 9, 29)
    assert PLAIN.next_workday(date(2024, 9, 30)) == date(2024, 10, 8)


# --- known years and warnings ---------------------------------------------------------------------


def test_known_means_packaged_or_entered():
    assert PLAIN.known(2004) and PLAIN.known(2026)
    assert not PLAIN.known(2003) and not PLAIN.known(2027)
    assert WorkCalendar(official_years_entered={2027}).known(2027)


def test_warnings_name_this_and_next_year_until_entered():
    with translation.override("zh-hans"):
        assert PLAIN.warnings(date(2025, 5, 1)) == []
        assert PLAIN.warnings(date(2026, 12, 15)) == [
            "2027 年的法定节假日安排尚未录入，期限按周一至周五计算"
        ]
        assert [w[:4] for w in PLAIN.warnings(date(2027, 3, 1))] == ["2027", "2028"]
        entered = WorkCalendar({date(2027, 1, 1): False}, official_years_entered={2027})
        assert entered.warnings(date(2026, 12, 15)) == []
        assert [w[:4] for w in entered.warnings(date(2027, 3, 1))] == ["2028"]


# --- working hours --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        (at(2024, 9, 27, 15), 3, at(2024, 9, 27, 18)),  # used up exactly at the day's end
        (at(2024, 9, 27, 8, 30), 3.5, at(2024, 9, 27, 12)),  # at 12:00, not 14:30
        (at(2024, 9, 27, 11, 45), 0.5, at(2024, 9, 27, 14, 45)),  # over the lunch break
        (at(2024, 9, 27, 12, 30), 1, at(2024, 9, 27, 15, 30)),  # starts in the lunch break
        (at(2024, 9, 27, 7), 1, at(2024, 9, 27, 9, 30)),  # starts before the office opens
        (at(2024, 9, 27, 15), 10, at(2024, 9, 29, 18)),  # Sunday 09-29 is a working day
        (at(2024, 9, 27, 15), 11, at(2024, 9, 30, 9, 30)),
        (at(2024, 9, 27, 20), 1, at(2024, 9, 29, 9, 30)),  # after hours on Friday
        (at(2024, 9, 28, 10), 1, at(2024, 9, 29, 9, 30)),  # on an ordinary Saturday
        (at(2024, 9, 30, 17), 2, at(2024, 10, 8, 9, 30)),  # over the National Day week
        (at(2025, 1, 27, 17), 2, at(2025, 2, 5, 9, 30)),  # over the 2025 Spring Festival
        (at(2026, 9, 24, 17), 2, at(2026, 9, 28, 9, 30)),  # over the 2026 Mid-autumn days
        (at(2024, 9, 28, 10), 0, at(2024, 9, 28, 10)),  # a zero limit is due at once
    ],
)
def test_add_working_hours(start, hours, expected):
    result = add_working_hours(PLAIN, start, hours)
    assert result == expected
    assert result.tzinfo is SHANGHAI


def test_working_hours_accept_any_zone_and_answer_in_shanghai():
    start = datetime(2024, 9, 27, 7, 0, tzinfo=UTC)  # 15:00 in Shanghai
    result = add_working_hours(PLAIN, start, 3)
    assert result == at(2024, 9, 27, 18)
    assert (result.tzinfo, result.hour) == (SHANGHAI, 18)


def test_custom_working_hours():
    continuous = WorkHours(morning=(time(9), time(13)), afternoon=(time(13), time(17)))
    assert add_working_hours(PLAIN, at(2024, 9, 27, 12), 2, continuous) == at(2024, 9, 27, 14)
    assert add_working_days(PLAIN, at(2024, 9, 27, 12), 1, continuous) == at(2024, 9, 29, 17)


@pytest.mark.parametrize(
    ("morning", "afternoon"),
    [
        ((time(12), time(8, 30)), (time(14, 30), time(18))),
        ((time(8, 30), time(15)), (time(14, 30), time(18))),
        ((time(8, 30), time(12)), (time(14, 30), time(14, 30))),
        ((time(8, 30, tzinfo=UTC), time(12)), (time(14, 30), time(18))),
    ],
)
def test_working_hours_must_be_ordered_wall_clock_times(morning, afternoon):
    with pytest.raises(ValueError):
        WorkHours(morning=morning, afternoon=afternoon)


@pytest.mark.parametrize("hours", [-1, float("nan"), float("inf")])
def test_bad_amounts_raise(hours):
    with pytest.raises(ValueError):
        add_working_hours(PLAIN, at(2024, 9, 27, 9), hours)
    with pytest.raises(ValueError):
        add_calendar_hours(at(2024, 9, 27, 9), hours)


def test_naive_datetimes_raise():
    naive = datetime(2024, 9, 27, 9)
    for call in (
        lambda: add_working_hours(PLAIN, naive, 1),
        lambda: add_working_days(PLAIN, naive, 1),
        lambda: add_calendar_hours(naive, 1),
        lambda: elapsed_fraction(PLAIN, at(2024, 9, 27), at(2024, 9, 28), naive, "working_hours"),
    ):
        with pytest.raises(ValueError):
            call()


def test_working_time_between():
    assert working_time_between(PLAIN, at(2024, 9, 27, 15), at(2024, 10, 8, 18)) == 24 * H
    assert working_time_between(PLAIN, at(2024, 10, 1), at(2024, 10, 7, 23)) == timedelta(0)
    assert working_time_between(PLAIN, at(2024, 9, 30, 18), at(2024, 9, 27)) == timedelta(0)


# --- working days ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Friday afternoon before National Day 2024: Sunday 09-29 is day 1, Monday 09-30 day 2,
        # 10-01..07 are skipped, Tuesday 10-08 is day 3.
        (at(2024, 9, 27, 15), 3, at(2024, 10, 8, 18)),
        (at(2024, 9, 27, 15), 1, at(2024, 9, 29, 18)),
        (at(2024, 9, 27, 20), 1, at(2024, 9, 29, 18)),  # the hour of the start day is irrelevant
        (at(2024, 9, 28, 10), 1, at(2024, 9, 29, 18)),  # Saturday: next working day is day 1
        (at(2024, 9, 30, 9), 1, at(2024, 10, 8, 18)),
        (at(2024, 10, 11, 9), 1, at(2024, 10, 12, 18)),  # Saturday 10-12 is a working day
        # 2025 Spring Festival (01-28..02-04 off; Saturday 02-08 worked).
        (at(2025, 1, 27, 10), 1, at(2025, 2, 5, 18)),
        (at(2025, 1, 27, 10), 4, at(2025, 2, 8, 18)),
        (at(2025, 1, 27, 10), 5, at(2025, 2, 10, 18)),
        # 2026 Mid-autumn (09-25..27) and National Day (10-01..07; Saturday 10-10 worked).
        (at(2026, 9, 24, 10), 3, at(2026, 9, 30, 18)),
        (at(2026, 9, 30, 10), 1, at(2026, 10, 8, 18)),
        (at(2026, 9, 30, 10), 3, at(2026, 10, 10, 18)),
        # Zero days (当日办结): today if it is a working day and still open, else the next one.
        (at(2024, 9, 27, 9), 0, at(2024, 9, 27, 18)),
        (at(2024, 9, 27, 18), 0, at(2024, 9, 29, 18)),
        (at(2024, 9, 28, 9), 0, at(2024, 9, 29, 18)),
    ],
)
def test_add_working_days(start, n, expected):
    result = add_working_days(PLAIN, start, n)
    assert result == expected
    assert result.tzinfo is SHANGHAI


def test_working_days_count_the_shanghai_date_of_the_start():
    # 2024-09-27 17:00 UTC is Saturday 01:00 in Shanghai.
    assert add_working_days(PLAIN, datetime(2024, 9, 27, 17, tzinfo=UTC), 1) == at(2024, 9, 29, 18)


def test_negative_working_days_raise():
    with pytest.raises(ValueError):
        add_working_days(PLAIN, at(2024, 9, 27, 9), -1)


# --- calendar hours and due() ---------------------------------------------------------------------


def test_calendar_hours_run_through_nights_and_holidays():
    assert add_calendar_hours(at(2024, 9, 30, 17), 72) == at(2024, 10, 3, 17)
    assert add_calendar_hours(at(2024, 9, 30, 17), 1.5) == at(2024, 9, 30, 18, 30)
    assert add_calendar_hours(datetime(2024, 9, 30, 9, tzinfo=UTC), 0).tzinfo is SHANGHAI


def test_calendar_hours_are_real_time_across_historic_daylight_saving():
    # China kept summer time 1986-1991; on 1988-04-17 the clocks jumped forward an hour.
    result = add_calendar_hours(at(1988, 4, 16, 12), 24)
    assert (result.day, result.hour, result.utcoffset()) == (17, 13, 9 * H)


def test_due_dispatches_on_the_unit():
    start = at(2024, 9, 27, 15)
    assert due(PLAIN, start, 3, LimitUnit.WORKING_DAYS) == at(2024, 10, 8, 18)
    assert due(PLAIN, start, 3.0, "working_days") == at(2024, 10, 8, 18)
    assert due(PLAIN, start, 10, "working_hours") == at(2024, 9, 29, 18)
    assert due(PLAIN, start, 24, "calendar_hours") == at(2024, 9, 28, 15)


@pytest.mark.parametrize(
    ("amount", "unit"),
    [(2.5, "working_days"), (float("nan"), "working_days"), (-1, "working_days"), (1, "weeks")],
)
def test_due_refuses_what_it_cannot_count(amount, unit):
    with pytest.raises(ValueError):
        due(PLAIN, at(2024, 9, 27, 15), amount, unit)


# --- crossing into a year the package does not know ----------------------------------------------


def test_a_december_2026_limit_runs_into_2027_on_plain_weekdays():
    start = at(2026, 12, 30, 10)  # Wednesday
    # 12-31 is day 1, Friday 2027-01-01 (no official schedule: a plain weekday) day 2, 01-04 day 3.
    assert due(PLAIN, start, 3, "working_days") == at(2027, 1, 4, 18)
    assert due(PLAIN, at(2026, 12, 31, 17), 8, "working_hours") == at(2027, 1, 1, 18)
    fraction = elapsed_fraction(
        PLAIN, start, at(2027, 1, 4, 18), at(2027, 1, 2, 12), "working_days"
    )
    assert fraction == pytest.approx(19.5 / 26.5)


def test_an_admin_override_for_2027_shifts_the_due_time():
    cal = WorkCalendar({date(2027, 1, 1): False})
    assert due(cal, at(2026, 12, 30, 10), 3, "working_days") == at(2027, 1, 5, 18)
    assert due(cal, at(2026, 12, 31, 17), 8, "working_hours") == at(2027, 1, 4, 18)


def test_2027_is_warned_about_until_the_schedule_is_entered():
    today = date(2026, 12, 28)
    with translation.override("zh-hans"):
        assert any("2027" in w for w in WorkCalendar({date(2027, 1, 1): False}).warnings(today))
        entered = WorkCalendar({date(2027, 1, 1): False}, official_years_entered={2027})
        assert entered.warnings(today) == []


# --- elapsed fraction: travelling through the 2024 National Day holiday --------------------------

# A 3-working-day limit received Friday 2024-09-27 15:00 is due Tuesday 2024-10-08 18:00; the
# working time in it is Fri 3 h + Sun 09-29 7 h + Mon 09-30 7 h + Tue 10-08 7 h = 24 h.
START, DUE = at(2024, 9, 27, 15), at(2024, 10, 8, 18)


@pytest.mark.parametrize(
    ("now", "fraction"),
    [
        (at(2024, 9, 27, 9), 0.0),  # before the start
        (START, 0.0),
        (at(2024, 9, 28, 12), 3 / 24),  # ordinary Saturday: nothing used
        (at(2024, 9, 29, 18), 10 / 24),  # adjusted Sunday: a full day used
        (at(2024, 9, 30, 10, 30), 0.5),  # the 50% reminder
        (at(2024, 9, 30, 18), 17 / 24),
        *[(at(2024, 10, d, 12), 17 / 24) for d in range(1, 8)],  # the holiday uses nothing
        (at(2024, 10, 8, 9, 30), 0.75),  # the 75% reminder
        (at(2024, 10, 8, 12), 20.5 / 24),
        (DUE, 1.0),
        (at(2024, 10, 8, 23), 1.0),  # past due, but no working time since
        (at(2024, 10, 9, 9, 30), 25 / 24),
    ],
)
def test_elapsed_fraction_through_a_holiday(now, fraction):
    assert add_working_days(PLAIN, START, 3) == DUE
    assert elapsed_fraction(PLAIN, START, DUE, now, "working_days") == pytest.approx(fraction)


def test_elapsed_fraction_in_calendar_hours():
    start, end = at(2024, 9, 30, 17), at(2024, 10, 3, 17)
    assert elapsed_fraction(PLAIN, start, end, at(2024, 10, 2, 5), "calendar_hours") == 0.5
    assert (
        elapsed_fraction(PLAIN, start, end, datetime(2024, 10, 3, 9, tzinfo=UTC), "calendar_hours")
        == 1.0
    )
    assert elapsed_fraction(PLAIN, start, end, at(2024, 9, 1), "calendar_hours") == 0.0


def test_elapsed_fraction_of_an_empty_limit_is_0_before_and_1_from_due():
    start = at(2024, 10, 2, 10)
    assert elapsed_fraction(PLAIN, start, start, at(2024, 10, 2, 9), "working_hours") == 0.0
    assert elapsed_fraction(PLAIN, start, start, start, "working_hours") == 1.0
    assert elapsed_fraction(PLAIN, start, start, at(2024, 10, 9), "calendar_hours") == 1.0


# --- properties -----------------------------------------------------------------------------------

ZONES = st.sampled_from(
    [
        SHANGHAI,
        UTC,
        ZoneInfo("America/New_York"),
        ZoneInfo("Europe/London"),
        timezone(timedelta(hours=5, minutes=45)),
    ]
)
MOMENTS = st.datetimes(
    min_value=datetime(2023, 1, 1),
    max_value=datetime(2028, 12, 31),
    timezones=ZONES,
    allow_imaginary=False,
)
CALENDARS = st.builds(
    WorkCalendar,
    overrides=st.dictionaries(
        st.dates(date(2023, 1, 1), date(2029, 12, 31)), st.booleans(), max_size=40
    ),
    official_years_entered=st.sets(st.integers(2020, 2030), max_size=3),
)
# Whole seconds, so that float hours convert to durations exactly.
HOURS = st.integers(0, 200 * 3600).map(lambda s: s / 3600)
WORKING_DAYS = st.integers(0, 40)
LIMITS = st.one_of(
    st.tuples(HOURS, st.just("working_hours")),
    st.tuples(WORKING_DAYS, st.just("working_days")),
    st.tuples(HOURS, st.just("calendar_hours")),
)


def _inside_working_time(cal: WorkCalendar, moment: datetime) -> bool:
    wall = moment.astimezone(SHANGHAI).replace(tzinfo=None)
    return cal.is_workday(wall.date()) and any(
        start < wall <= end for start, end in DEFAULT_WORK_HOURS.periods(wall.date())
    )


@settings(deadline=None)
@given(cal=CALENDARS, start=MOMENTS, limit=LIMITS)
def test_due_is_never_before_start_and_is_in_shanghai(cal, start, limit):
    amount, unit = limit
    result = due(cal, start, amount, unit)
    assert result >= start
    assert result.tzinfo is SHANGHAI


@settings(deadline=None)
@given(cal=CALENDARS, start=MOMENTS, a=HOURS, b=HOURS)
def test_working_hours_add_up(cal, start, a, b):
    assert add_working_hours(cal, add_working_hours(cal, start, a), b) == add_working_hours(
        cal, start, a + b
    )


@settings(deadline=None)
@given(cal=CALENDARS, start=MOMENTS, hours=HOURS.filter(lambda h: h > 0))
def test_working_hours_land_inside_working_time_and_use_exactly_the_limit(cal, start, hours):
    result = add_working_hours(cal, start, hours)
    # Inside a working period or exactly at its end; never at a period's start.
    assert _inside_working_time(cal, result)
    assert working_time_between(cal, start, result) == timedelta(hours=hours)


@settings(deadline=None)
@given(cal=CALENDARS, start=MOMENTS, n=WORKING_DAYS)
def test_working_days_end_on_a_working_day_after_exactly_n_working_days(cal, start, n):
    result = add_working_days(cal, start, n)
    assert result.timetz() == time(18, tzinfo=SHANGHAI)
    assert cal.is_workday(result.date())
    start_day = start.astimezone(SHANGHAI).date()
    counted = sum(cal.is_workday(d) for d in days(start_day + timedelta(days=1), result.date()))
    if n == 0:  # today if still open, else the next working day
        assert result.date() in (start_day, cal.next_workday(start_day))
    else:
        assert counted == n


@settings(deadline=None)
@given(cal=CALENDARS, start=MOMENTS, limit=LIMITS, nows=st.lists(MOMENTS, min_size=2, max_size=5))
def test_elapsed_fraction_is_one_at_due_and_monotonic(cal, start, limit, nows):
    amount, unit = limit
    end = due(cal, start, amount, unit)
    assert elapsed_fraction(cal, start, end, end, unit) == 1.0
    fractions = [elapsed_fraction(cal, start, end, now, unit) for now in sorted(nows)]
    assert fractions == sorted(fractions)
    assert all(f >= 0 for f in fractions)
