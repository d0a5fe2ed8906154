"""`grassroots import-residents`: the same job in the foreground, with a bar and exit codes."""

from __future__ import annotations

import datetime
import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_tasks import task
from openpyxl import load_workbook

from grassroots.core.models import AuditEvent
from grassroots.core.tasks import ThreadBackend
from grassroots.people.models import Household, Resident
from grassroots.people.models_ledger import ImportJob, ImportStatus
from tests.test_ledger_support import (  # noqa: F401
    GRID_LUOCUN,
    family,
    ledger,
    ledger_settings,
    pid,
    res,
)


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import-residents", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_and_prints_counts(world, tmp_path):
    households, residents = family()
    out, _err = _run(ledger(tmp_path / "a.xlsx", households, residents), "--yes")
    assert "imported: rows 4, created 3, updated 0" in out
    assert Household.objects.get(number="T-1").members.count() == 3
    job = ImportJob.objects.get()
    assert job.actor is None and job.source == "command:import-residents"
    assert AuditEvent.objects.get(action="people.import").source == "command:import-residents"


def test_the_command_reports_errors_and_exits_1(world, tmp_path, settings):
    households, residents = family()
    residents[1][2] = "12345"
    with pytest.raises(CommandError) as caught:
        _run(ledger(tmp_path / "a.xlsx", households, residents))
    text = str(caught.value)
    assert "人 row 3, 身份证号: 身份证号码应为18位，当前为5位" in text
    assert f"error report: {settings.MEDIA_ROOT}" in text
    assert caught.value.returncode == 1
    assert Resident.objects.count() == 0


def test_the_command_shows_the_preview_and_applies_with_yes(world, registry, tmp_path):
    rows = [
        res("H001", "王建国", pid(11, datetime.date(1980, 5, 17)), "户主", 联系电话="13987654321")
    ]
    out, _err = _run(ledger(tmp_path / "u.xlsx", [], rows), "--yes", "--as", "community")
    assert "1 registered records would change:" in out
    assert "联系电话: 138****5678 -> 139****4321" in out
    assert "updated 1" in out
    registry.father.refresh_from_db()
    assert registry.father.phone_masked == "139****4321"
    assert ImportJob.objects.get().actor == world.users["community"]


def test_the_command_without_yes_and_without_a_terminal_writes_nothing(world, registry, tmp_path):
    rows = [
        res("H001", "王建国", pid(11, datetime.date(1980, 5, 17)), "户主", 联系电话="13987654321")
    ]
    with pytest.raises(CommandError, match="cancelled"):
        _run(ledger(tmp_path / "u.xlsx", [], rows))
    registry.father.refresh_from_db()
    assert registry.father.phone_masked == "138****5678"
    assert ImportJob.objects.get().status == ImportStatus.FAILED


def test_the_command_acts_within_the_accounts_scope(world, tmp_path):
    households, residents = family(grid=GRID_LUOCUN)
    with pytest.raises(CommandError) as caught:
        _run(ledger(tmp_path / "a.xlsx", households, residents), "--as", "township")
    assert "不在您的管辖范围内" in str(caught.value)


def test_the_command_draws_a_progress_bar(world, tmp_path):
    households, residents = [], []
    for n in range(40):
        h, r = family(f"P{n}", 100 + n * 3)
        households += h
        residents += r
    _out, err = _run(ledger(tmp_path / "a.xlsx", households, residents), "--area", "141126100001")
    assert "\r" in err and "[" in err


# -- the in-process task backend ------------------------------------------------------------

RAN = threading.Event()
SEEN: list[bool] = []


@task()
def _probe(flag: str) -> str:
    SEEN.append(flag == "after-commit")
    RAN.set()
    return flag


def test_the_thread_backend_runs_after_commit_in_another_thread(
    db, django_capture_on_commit_callbacks
):
    backend = ThreadBackend("threads", {})
    RAN.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = backend.enqueue(_probe, ["after-commit"], {})
        assert not RAN.is_set()  # nothing runs before the transaction commits
    assert len(callbacks) == 1 and result.status == "READY"
    callbacks[0]()
    assert RAN.wait(5) and SEEN == [True]
    assert connection.in_atomic_block  # the test's own connection is untouched


def test_the_export_command_is_masked_and_audited(world, registry, tmp_path):
    out_path = tmp_path / "out.xlsx"
    out = io.StringIO()
    call_command("export-residents", str(out_path), "--as", "community", stdout=out)
    assert "4 rows written" in out.getvalue()
    rows = load_workbook(out_path)["人"]
    assert registry.father.id_number_masked in {c.value for c in rows["C"]}
    audit = AuditEvent.objects.get(action="people.export")
    assert audit.source == "command:export-residents" and audit.changes["masked"] is True


def test_the_export_command_refuses_unmasked_without_the_right(world, registry, tmp_path):
    with pytest.raises(CommandError, match="没有执行此操作的权限"):
        call_command(
            "export-residents", str(tmp_path / "o.xlsx"), "--as", "community", "--unmasked"
        )
