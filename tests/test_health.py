"""`/health/`: no login, no personal data; 200 when every check passes, 503 naming what fails."""

from __future__ import annotations

import datetime
import socket

import pytest
import time_machine
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from grassroots.core import health
from grassroots.core.scheduler.lease import lease_hold

MINUTE = datetime.timedelta(minutes=1)


def beat(ago: datetime.timedelta = datetime.timedelta(0)) -> None:
    """A scheduler's tick `ago` before now (its heartbeat)."""
    lease_hold(holder="server-a", now=timezone.now() - ago, seconds=45)


def queued(waited: datetime.timedelta, run_after: datetime.datetime | None = None) -> None:
    """A task in the database queue, enqueued `waited` ago, not yet picked up by a worker."""
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="grassroots.people.ledger.tasks.validate_import",
        backend_name="default",
        run_after=run_after or get_date_max(),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - waited)


def get() -> tuple[int, dict]:
    resp = Client().get("/health/")
    assert resp["Content-Type"] == "application/json"
    assert "no-cache" in resp["Cache-Control"]
    return resp.status_code, resp.json()


def test_all_checks_pass_without_login(db):
    # The clock stands still: a slow request on a busy machine once aged the beat past 121 s.
    with time_machine.travel(timezone.now(), tick=False):
        beat(2 * MINUTE)
        status, body = get()
    assert status == 200
    assert body["status"] == "ok" and "failing" not in body
    assert list(body["checks"]) == ["database", "migrations", "scheduler", "tasks"]
    assert all(c["ok"] for c in body["checks"].values())
    assert body["checks"]["migrations"]["unapplied"] == 0
    assert body["checks"]["scheduler"]["age_seconds"] == 120
    assert body["checks"]["tasks"] == {"ok": True, "waiting": 0, "late": 0, "limit_seconds": 600}


def test_a_stopped_scheduler_fails_after_five_minutes(db):
    beat(5 * MINUTE - datetime.timedelta(seconds=5))
    assert get()[0] == 200
    beat(5 * MINUTE + datetime.timedelta(seconds=5))
    status, body = get()
    assert status == 503
    assert body["status"] == "failing" and body["failing"] == ["scheduler"]
    assert body["checks"]["scheduler"]["ok"] is False


def test_a_scheduler_that_never_ran_fails(db):
    status, body = get()
    assert status == 503 and body["failing"] == ["scheduler"]
    assert body["checks"]["scheduler"]["last_heartbeat"] is None


def test_an_unapplied_migration_fails(db):
    beat()
    MigrationRecorder(connection).migration_qs.filter(app="core", name="0002_scheduler").delete()
    status, body = get()
    assert status == 503 and body["failing"] == ["migrations"]
    assert body["checks"]["migrations"]["unapplied"] >= 1


def test_tasks_waiting_too_long_fail(db, settings):
    beat()
    queued(waited=MINUTE)
    assert get()[1]["checks"]["tasks"] == {
        "ok": True,
        "waiting": 1,
        "late": 0,
        "limit_seconds": 600,
    }
    queued(waited=11 * MINUTE)
    # a task asked to run later waits from then on, not from its enqueueing
    queued(waited=60 * MINUTE, run_after=timezone.now() - MINUTE)
    status, body = get()
    assert status == 503 and body["failing"] == ["tasks"]
    assert body["checks"]["tasks"]["waiting"] == 3 and body["checks"]["tasks"]["late"] == 1
    settings.TASK_BACKLOG_SECONDS = 12 * 60
    assert get()[0] == 200


def test_tasks_running_or_finished_are_no_backlog(db):
    beat()
    queued(waited=30 * MINUTE)
    DBTaskResult.objects.update(status="RUNNING")
    assert get()[0] == 200


def test_an_unreachable_database_fails_every_check(db, monkeypatch):
    class Down:
        def cursor(self):
            raise OperationalError("could not connect to server")

    monkeypatch.setattr(health, "connection", Down())
    status, body = get()
    assert status == 503
    assert body["failing"] == ["database", "migrations", "scheduler", "tasks"]


def test_several_failures_are_all_named(db):
    queued(waited=30 * MINUTE)
    status, body = get()
    assert status == 503 and body["failing"] == ["scheduler", "tasks"]


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_only_get(db, method):
    assert getattr(Client(), method)("/health/").status_code == 405


def test_the_answer_holds_no_host_or_holder_name(db):
    lease_hold(holder=f"{socket.gethostname()}:123:abcdef", now=timezone.now(), seconds=45)
    content = Client().get("/health/").content.decode()
    assert socket.gethostname() not in content and "abcdef" not in content


def test_health_costs_a_fixed_number_of_queries(db, django_assert_max_num_queries):
    beat()
    with django_assert_max_num_queries(6):
        assert Client().get("/health/").status_code == 200
