"""The one query-parameter parser: any string in, a value or the invalid-filter error naming the
field out — never another exception."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from grassroots.core import params
from grassroots.core.errors import DomainError

PARSERS = [
    params.flag,
    params.integer,
    params.row_id,
    params.positive_id,
    params.row_ids,
    params.day,
    params.moment,
]
# Text that looks like the values the parsers take, and anything else.
LIKELY = st.one_of(
    st.text(),
    st.text(alphabet="0123456789+-,TZ:. ", max_size=30),
    st.integers().map(str),
    st.dates().map(str),
    st.datetimes().map(lambda d: d.isoformat()),
    st.sampled_from(["", " ", "1", "0", "true", "NO", "on", "2**63", "9" * 5000, "1_000", "١٢"]),
)


@pytest.mark.parametrize("parse", PARSERS, ids=lambda p: p.__name__)
@given(value=LIKELY)
def test_any_text_gives_a_value_or_an_error_naming_the_field(parse, value):
    try:
        parse("wanted", value)
    except DomainError as exc:
        assert exc.status == 400 and exc.code == "invalid_filter"
        assert exc.detail["field"] == "wanted" and "wanted" in str(exc.message)


@given(number=st.integers(min_value=1, max_value=params.ID_MAX))
def test_every_id_in_the_database_range_round_trips(number):
    assert params.row_id("id", str(number)) == number
    assert params.positive_id("id", f" {number} ") == number


@given(number=st.one_of(st.integers(max_value=0), st.integers(min_value=params.ID_MAX + 1)))
def test_ids_outside_the_database_range_are_refused(number):
    with pytest.raises(DomainError):
        params.row_id("id", str(number))


@given(number=st.integers())
def test_integers_stay_within_32_bits(number):
    inside = params.INT_MIN <= number <= params.INT_MAX
    try:
        assert params.integer("n", str(number)) == number and inside
    except DomainError:
        assert not inside


@given(day=st.dates(min_value=datetime.date(1000, 1, 1), max_value=datetime.date(9998, 12, 31)))
def test_dates_round_trip(day):
    assert params.day("from", day.isoformat()) == day


# within the accepted years (params.YEAR_MAX: hypothesis once drew 9999-01-01, refused as it
# should be, and the test failed)
@given(
    moment=st.datetimes(
        min_value=datetime.datetime(1000, 1, 2), max_value=datetime.datetime(9998, 12, 31)
    )
)
def test_times_are_aware(moment):
    parsed = params.moment("start_date", moment.isoformat())
    assert parsed is not None and timezone.is_aware(parsed)
    # the shift to UTC and a few days either way never overflow
    parsed.astimezone(datetime.UTC) - datetime.timedelta(days=90)


def test_absent_and_blank_are_none():
    for parse in (params.flag, params.integer, params.row_id, params.day, params.moment):
        assert parse("x", None) is None and parse("x", "  ") is None


def test_flags():
    assert [params.flag("f", v) for v in ("1", "TRUE", "yes", "On")] == [True] * 4
    assert [params.flag("f", v) for v in ("0", "false", "No", "off")] == [False] * 4
    with pytest.raises(DomainError) as err:
        params.flag("supervised", "maybe")
    assert err.value.detail == {"field": "supervised"}


def test_a_required_id_must_be_there():
    with pytest.raises(DomainError):
        params.positive_id("id", None)
    assert params.row_ids("ids", "3, 4,,5") == [3, 4, 5]
    with pytest.raises(DomainError):
        params.row_ids("ids", "3,abc")
    with pytest.raises(DomainError):
        params.row_ids("ids", ",")


def test_utc_z_and_local_times():
    utc = params.moment("t", "2026-01-01T00:00:00Z")
    assert utc == datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    local = params.moment("t", "2026-01-01T08:00:00")
    assert local == utc
