"""Writes sent together (db.pipeline): held INSERTs go as one statement, before anything that
runs after them; `written_at_once` writes all or none, with or without a transaction around it,
and its commit callbacks run only once the writes are in."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from grassroots.cases import notify
from grassroots.cases.models import Case, IdempotencyKey, Notification
from grassroots.db.compiled import insert
from grassroots.db.pipeline import on_commit, pipelined, written_at_once
from tests.test_cases_flow import intake

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="statements are held on PostgreSQL only"
)


def _case(world, api) -> Case:
    return Case.objects.get(pk=intake(api("hotline"), area=world.grid3a.pk).json()["id"])


def _note(case: Case, text: str) -> Notification:
    return Notification(unit_id=case.unit_id, case=case, kind="dispatch", text=text)


@postgres_only
def test_held_inserts_go_as_one_statement_one_per_table_in_their_order(world, catalogue, api):
    case = _case(world, api)
    with CaptureQueriesContext(connection) as seen, transaction.atomic(), pipelined(Case):
        insert([_note(case, "一")], read_ids=False)
        key = IdempotencyKey(key="k1", actor=world.users["hotline"], body_hash="h", case=case)
        insert([key], read_ids=False)
        insert([_note(case, "二"), _note(case, "三")], read_ids=False)  # the table again
    writes = [q["sql"] for q in seen.captured_queries if "INSERT" in q["sql"]]
    assert len(writes) == 2 and writes[0].startswith("WITH w0 AS (INSERT")
    assert writes[0].count("INSERT") == 2 and writes[1].count("INSERT") == 1
    texts = Notification.objects.filter(case=case, text__in="一二三").order_by("id")
    assert [n.text for n in texts] == ["一", "二", "三"]
    assert IdempotencyKey.objects.filter(key="k1", case=case).exists()


def test_a_statement_after_held_inserts_sees_them(world, catalogue, api):
    case = _case(world, api)
    with transaction.atomic(), pipelined(Case):
        insert([_note(case, "先写")], read_ids=False)
        assert Notification.objects.filter(case=case, text="先写").count() == 1
        insert([_note(case, "后写")], read_ids=False)
    assert Notification.objects.filter(case=case, text__in=["先写", "后写"]).count() == 2


def test_one_held_insert_failing_writes_none_of_them(world, catalogue, api):
    case = _case(world, api)
    user = world.users["hotline"]
    before = Notification.objects.count()
    with pytest.raises(IntegrityError), written_at_once(Case):
        insert([_note(case, "不应留下")], read_ids=False)
        insert([IdempotencyKey(key="k", actor=user, body_hash="h", case=case)], read_ids=False)
        insert([IdempotencyKey(key="k", actor=user, body_hash="h", case=case)], read_ids=False)
    assert Notification.objects.count() == before
    assert not IdempotencyKey.objects.filter(key="k").exists()


@pytest.mark.django_db(transaction=True)
def test_written_at_once_outside_a_transaction(world, catalogue, api):
    """On PostgreSQL one statement with no transaction around it; on SQLite a transaction.
    Either way all or none, the callbacks after the rows are in and only then."""
    case = _case(world, api)
    user = world.users["hotline"]
    ran: list[int] = []
    with CaptureQueriesContext(connection) as seen, written_at_once(Case):
        insert([_note(case, "甲")], read_ids=False)
        insert([IdempotencyKey(key="once", actor=user, body_hash="h", case=case)], read_ids=False)
        on_commit(lambda: ran.append(Notification.objects.filter(text="甲").count()))
        assert ran == []
    assert ran == [1]
    if connection.vendor == "postgresql":  # the statement, then the callback's count
        assert [q["sql"][:4] for q in seen.captured_queries] == ["WITH", "SELE"]
    failed: list[int] = []
    with pytest.raises(IntegrityError), written_at_once(Case):
        insert([_note(case, "乙")], read_ids=False)
        on_commit(lambda: failed.append(1))
        insert([IdempotencyKey(key="once", actor=user, body_hash="h", case=case)], read_ids=False)
    assert failed == [] and not Notification.objects.filter(text="乙").exists()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_another_write_in_the_block_is_refused(world, catalogue, api):
    case = _case(world, api)
    with pytest.raises(RuntimeError, match="written_at_once"), written_at_once(Case):
        insert([_note(case, "丙")], read_ids=False)
        assert Case.objects.filter(pk=case.pk).exists()  # a read runs
        Case.objects.filter(pk=case.pk).update(title="改")
    with pytest.raises(RuntimeError, match="second INSERT"), written_at_once(Case):
        insert([_note(case, "丙")], read_ids=False)
        insert([_note(case, "丁")], read_ids=False)
    assert not Notification.objects.filter(text__in="丙丁").exists()
    assert Case.objects.get(pk=case.pk).title != "改"


@pytest.mark.django_db(transaction=True)
def test_an_intake_outside_a_transaction_replays_and_tells_its_handler_once(
    world, catalogue, api, settings
):
    settings.SMS_BACKEND = "grassroots.cases.notify.OutboxSmsBackend"
    notify.OutboxSmsBackend.outbox.clear()
    client = api("hotline")
    body = {
        "matter": "M001",
        "channel": "hotline",
        "description": "路灯不亮",
        "area": world.grid3a.pk,
    }
    first = client.post("/api/v1/cases/", body, format="json", HTTP_IDEMPOTENCY_KEY="t-1")
    again = client.post("/api/v1/cases/", body, format="json", HTTP_IDEMPOTENCY_KEY="t-1")
    other = {**body, "description": "另一件事"}
    clash = client.post("/api/v1/cases/", other, format="json", HTTP_IDEMPOTENCY_KEY="t-1")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"] and clash.status_code == 422
    case = Case.objects.get(pk=first.json()["id"])
    assert case.events.count() == 2
    assert Notification.objects.filter(case=case, unit=world.xiaozhen_station).count() == 1
    assert [n for _u, n, _t in notify.OutboxSmsBackend.outbox] == [case.number]
