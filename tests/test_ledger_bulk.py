"""The import writer's bulk helpers and its spool (SQLite here; PostgreSQL runs COPY instead)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from grassroots.areas.models import Area
from grassroots.people.ledger import bulk
from grassroots.people.ledger.layout import Problem
from grassroots.people.ledger.spool import decode, encode
from grassroots.people.ledger.validate import House, Person, Rejected
from grassroots.people.models import Dwelling, Household


@pytest.fixture
def grid(world) -> Area:
    return Area.objects.get(code="1411261000010101001")


def test_create_returns_the_new_pks_in_row_order_and_fills_defaults(grid):
    # given: a dwelling registered before, so the new rows' pks are not 1, 2, 3
    Dwelling.objects.create(area=grid, address="先有的房屋")
    now = timezone.now()
    rows = [(grid.pk, f"新房屋{i}", "", "", "") for i in (3, 1, 2)]
    # when
    pks = bulk.create(
        Dwelling,
        ("area", "address", "building", "unit", "room"),
        rows,
        now,
        key=("area", "address"),
    )
    # then
    assert [Dwelling.objects.get(pk=pk).address for pk in pks] == ["新房屋3", "新房屋1", "新房屋2"]
    assert {d.created_at for d in Dwelling.objects.filter(pk__in=pks)} == {now}


def test_create_fills_what_the_caller_leaves_out_as_django_would(grid):
    dwelling = Dwelling.objects.create(area=grid, address="东街1号")
    now = timezone.now()
    (pk,) = bulk.create(
        Household,
        ("number", "dwelling", "area"),
        [("H-9", dwelling.pk, grid.pk)],
        now,
        key=("number",),
    )
    household = Household.objects.get(pk=pk)
    assert (household.notes, household.head, household.created_at, household.updated_at) == (
        "",
        None,
        now,
        now,
    )


def test_among_gives_the_same_rows_and_names_only_two_types(db):
    from django.contrib.auth.models import Group
    from django.db import connection

    if connection.vendor == "sqlite":
        assert bulk.among(["a", "b"]) == ["a", "b"]  # SQLite: the values themselves
    Group.objects.bulk_create([Group(name="AMONG1"), Group(name="AMONG2")])
    found = Group.objects.filter(name__in=bulk.among(["AMONG1", "AMONG2", "NONE"]))
    assert sorted(found.values_list("name", flat=True)) == ["AMONG1", "AMONG2"]
    with pytest.raises(ValueError, match="text or bigint"):
        bulk.among([1], "integer); DROP TABLE x; --")


def test_day_gives_iso_text():
    assert bulk.day(datetime.date(2020, 1, 31)) == bulk.day("2020-01-31") == "2020-01-31"


def test_the_spool_gives_back_what_it_was_given():
    house = House("人", 3, "H-1", 7, "东街1号", "3号楼", "", "301", "")
    person = Person(
        "人", 3, "H-1", "王建国", "idx", "v1:enc", "141***********1234", "male", "1980-05-17",
        "head", phone_index="pidx", phone_enc="v1:p", phone_masked="138****5678",
        started_on="2020-01-01", tags=["elderly_alone"], house=house,
    )  # fmt: skip
    rejected = Rejected("户", 2, "H-2", [Problem("户", 2, "地址", "address", "required", "必填")])
    for record in (person, house, rejected, Person("人", 4, "H-1", "李", *"abcde", "spouse")):
        assert decode(encode(record)) == record
