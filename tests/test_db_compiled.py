"""ORM prepared statements (db.compiled) answer what their querysets answer, with one query;
a case's id is drawn before its INSERT (db.ids)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from grassroots.areas.models import Area, Unit
from grassroots.cases import routing, services
from grassroots.cases.models import Case
from grassroots.core import tokens
from grassroots.db import compiled, ids
from grassroots.db.compiled import CompiledQuery, insert
from grassroots.db.pipeline import pipelined
from tests.test_cases_flow import intake

pytestmark = pytest.mark.django_db


def test_every_compiled_query_of_the_code_compiles_here():
    # importing the modules above defined them; each marker must land among the parameters
    ours = [q for q in compiled.ALL if q.build.__module__.startswith("grassroots.")]
    assert len(ours) >= 7
    for query in ours:
        query.plan("default")


def test_models_and_rows_equal_the_querysets(world):
    by_parent = CompiledQuery(
        lambda parent, name: (
            Area.objects.filter(parent_id=parent)
            .exclude(name=name)
            .select_related("parent")
            .order_by("id")
        ),
        parent=-(2**40),
        name="marker:name",
    )
    names = CompiledQuery(
        lambda level, before: (
            Area.objects.filter(level=level, created_at__lt=before)
            .order_by("code")
            .values_list("code", "name")
        ),
        level="marker:level",
        before=datetime.datetime(1901, 2, 3, tzinfo=datetime.UTC),
    )
    later = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)
    for area in Area.objects.all():
        for skip in ("", area.name):
            expected = list(
                Area.objects.filter(parent_id=area.pk)
                .exclude(name=skip)
                .select_related("parent")
                .order_by("id")
            )
            with CaptureQueriesContext(connection) as ran:
                got = by_parent.rows(parent=area.pk, name=skip)
                assert [a.parent.name for a in got] == [a.parent.name for a in expected]
            assert got == expected and len(ran) == 1  # the parent came with the row
        expected_rows = list(
            Area.objects.filter(level=area.level).order_by("code").values_list("code", "name")
        )
        assert names.rows(level=area.level, before=later) == expected_rows
    assert by_parent.first(parent=-1, name="") is None


def test_a_marker_that_does_not_land_is_refused():
    # `contains` wraps its text in %…%: the marker's value never reaches the parameters as given
    query = CompiledQuery(lambda text: Area.objects.filter(name__contains=text), text="marker:x")
    with pytest.raises(ValueError, match="'text' is not among the parameters"):
        query.rows(text="镇")
    with pytest.raises(TypeError):
        tokens._BY_HASH.rows(key="x")


def test_the_code_s_compiled_lookups_answer_like_their_querysets(world, catalogue):
    unit = Unit.objects.filter(area__isnull=False, level="community").order_by("id").first()
    assert unit is not None
    assert routing._unit_for(unit.area_id, unit.level) == (
        Unit.objects.filter(area_id=unit.area_id, level=unit.level, active=True)
        .order_by("id")
        .first()
    )
    assert services._AREA.first(pk=world.grid3a.pk) == world.grid3a
    assert services._MATTER.first(code="M001").code == "M001"


def test_a_case_s_number_goes_in_with_its_drawn_id(world, catalogue, api):
    case = Case.objects.get(pk=intake(api("hotline"), area=world.grid3a.pk).json()["id"])
    assert case.number == case.make_number()
    with transaction.atomic():
        assert ids.next_id(Case) > case.pk


@pytest.mark.django_db(transaction=True)
def test_an_id_is_drawn_only_inside_a_transaction():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        ids.next_id(Case)


def test_an_insert_writes_what_the_orm_writes(world, catalogue, api):
    from grassroots.cases.models import CaseEvent, Notification

    created = intake(api("hotline"), area=world.grid3a.pk)
    case = Case.objects.get(pk=created.json()["id"])
    at = datetime.datetime(2026, 3, 4, 5, 6, 7, 890000, tzinfo=datetime.UTC)

    def event(note: str) -> CaseEvent:
        return CaseEvent(
            case=case, at=at, action="note", note=note, data={"数": [1, "二"], "ok": True}
        )

    ours, theirs = [event("甲"), event("乙")], [event("甲"), event("乙")]
    compiled.insert(ours)  # one statement, ids read back
    CaseEvent.objects.bulk_create(theirs)
    assert all(e.pk is not None and not e._state.adding for e in ours)
    fields = [f.attname for f in CaseEvent._meta.concrete_fields if f.attname != "id"]
    rows = CaseEvent.objects.filter(pk__in=[e.pk for e in ours + theirs]).order_by("id")
    got = [tuple(r) for r in rows.values_list(*fields)]
    assert got[:2] == got[2:] and got[0][fields.index("note")] == "甲"
    note = Notification(unit_id=case.unit_id, case=case, kind="dispatch", text="x")
    compiled.insert([note])
    assert Notification.objects.get(pk=note.pk).created_at is not None  # auto_now_add held


def test_queries_sent_together_each_answer_their_own(world, catalogue):
    with pipelined(Case):
        area = services._AREA.send(pk=world.grid3a.pk)
        matter = services._MATTER.send(code="M001")
        unknown = services._MATTER.send(code="NO-SUCH")
    assert area.first() == world.grid3a
    assert matter.first().code == "M001"
    assert unknown.first() is None


def test_an_error_sent_in_a_pipeline_is_djangos_and_rolls_the_block_back(world, catalogue, api):
    from django.db import IntegrityError

    from grassroots.cases.models import IdempotencyKey, Notification

    case = Case.objects.get(pk=intake(api("hotline"), area=world.grid3a.pk).json()["id"])
    before = Notification.objects.count()
    user = world.users["hotline"]
    with pytest.raises(IntegrityError), transaction.atomic(), pipelined(Case):
        insert([Notification(unit_id=case.unit_id, case=case, kind="dispatch", text="x")])
        insert([IdempotencyKey(key="k", actor=user, body_hash="h", case=case)], read_ids=False)
        insert([IdempotencyKey(key="k", actor=user, body_hash="h", case=case)], read_ids=False)
    assert Notification.objects.count() == before
    assert not IdempotencyKey.objects.filter(key="k").exists()
