"""State files at rest (issue 15, defect 9): private modes, and old import files purged."""

from __future__ import annotations

import datetime
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from grassroots.core.models import AuditEvent
from grassroots.core.scheduler.registry import registry
from grassroots.db.sqlite3.base import make_private
from grassroots.people.ledger import jobs
from grassroots.people.ledger.purge import imports_purge
from grassroots.people.models_ledger import ImportJob
from tests.test_ledger_support import family, ledger, ledger_settings, res, run_import  # noqa: F401

REPO = Path(__file__).resolve().parent.parent


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


# --- modes ----------------------------------------------------------------------------------


@pytest.fixture
def open_umask():
    """The usual umask (022), under which files were created world-readable before."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_sqlite_database_and_its_wal_are_private(tmp_path, open_umask):
    # given no database yet, and a umask that makes files world-readable
    name = str(tmp_path / "grassroots.sqlite3")
    # when the backend opens it, in WAL mode, and writes
    make_private(name)
    db = sqlite3.connect(name)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE t (x)")
    db.execute("INSERT INTO t VALUES (1)")
    db.commit()
    # then the database and the WAL and shared-memory files SQLite made are the owner's only
    for suffix in ("", "-wal", "-shm"):
        assert mode(Path(name + suffix)) == 0o600, suffix
    db.close()


def test_existing_world_readable_database_files_are_made_private(tmp_path):
    name = tmp_path / "old.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{name}{suffix}").write_bytes(b"")
        Path(f"{name}{suffix}").chmod(0o644)
    make_private(str(name))
    assert [mode(Path(f"{name}{s}")) for s in ("", "-wal", "-shm")] == [0o600] * 3


@pytest.mark.django_db
def test_the_test_database_itself_is_private():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps its files itself")
    connection.ensure_connection()
    name = Path(connection.settings_dict["NAME"])
    assert mode(name) == 0o600
    for extra in (Path(f"{name}-wal"), Path(f"{name}-shm")):
        if extra.exists():
            assert mode(extra) == 0o600


def test_uploaded_media_and_their_folders_are_private(settings, tmp_path, open_umask):
    settings.MEDIA_ROOT = tmp_path / "media"
    name = default_storage.save("attachments/2026/x.jpg", ContentFile(b"data"))
    stored = Path(default_storage.path(name))
    assert mode(stored) == 0o600
    assert mode(stored.parent) == 0o700 and mode(stored.parent.parent) == 0o700


def test_the_imports_folder_and_media_root_are_private(settings, tmp_path, open_umask):
    settings.MEDIA_ROOT = tmp_path / "fresh" / "media"
    assert mode(jobs.imports_dir()) == 0o700 and mode(settings.MEDIA_ROOT) == 0o700


def test_generated_keys_and_the_var_folder_are_private(tmp_path):
    # given a fresh var/ folder and the usual umask, in a new process that loads the settings
    var = tmp_path / "var"
    code = (
        "import os; os.umask(0o022); import django; django.setup();"
        "from grassroots.core import crypto; crypto.encrypt('x')"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "grassroots.settings",
        "GRASSROOTS_VAR_DIR": str(var),
        "DATABASE_URL": "",
    }
    env.pop("GRASSROOTS_SECRET_KEY", None)
    env.pop("GRASSROOTS_FIELD_KEY", None)
    subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, check=True)  # noqa: S603
    # then the folder, the secret key and the field key are the owner's only
    assert mode(var) == 0o700
    assert mode(var / "secret_key") == 0o600 and mode(var / "field_key") == 0o600


def test_the_console_command_writes_private_files(tmp_path):
    # given the usual umask in the shell that starts `grassroots`
    made = tmp_path / "made.txt"
    env = {**os.environ, "GRASSROOTS_VAR_DIR": str(tmp_path / "var"), "DATABASE_URL": ""}
    code = f"open({str(made)!r}, 'w').write('x')"
    # when a command writes a file
    subprocess.run(  # noqa: S603 (our own command, fixed arguments)
        [str(Path(sys.executable).with_name("grassroots")), "shell", "-c", code],
        env=env,
        cwd=REPO,
        check=True,
        preexec_fn=lambda: os.umask(0o022),
    )
    # then it is the owner's only
    assert mode(made) == 0o600


# --- the purge ------------------------------------------------------------------------------


def _age(job: ImportJob, days: int) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_old_jobs_go_with_their_files_and_recent_ones_stay(world, tmp_path, settings):
    # given a failed import with an error report (full ID numbers inside) eight days old,
    households, residents = family()
    residents[1][2] = "12345"
    old = run_import(ledger(tmp_path / "bad.xlsx", households, residents))
    report = settings.MEDIA_ROOT / old.report_path
    assert report.exists()
    _age(old, 8)
    # a recent one, and a stray upload left by a crash nine days ago
    recent = run_import(ledger(tmp_path / "bad2.xlsx", households, residents))
    stray = jobs.imports_dir() / "0123abcd.xlsx"
    stray.write_bytes(b"PK")
    nine_days = (timezone.now() - datetime.timedelta(days=9)).timestamp()
    os.utime(stray, (nine_days, nine_days))
    # when the purge runs with the default retention (7 days)
    purged = imports_purge()
    # then the old job, its report and the stray file are gone; the recent job is kept whole
    assert (purged.jobs, purged.files) == (1, 2)
    assert not report.exists() and not stray.exists()
    assert list(ImportJob.objects.values_list("pk", flat=True)) == [recent.pk]
    assert (settings.MEDIA_ROOT / recent.report_path).exists()
    # and one audit row says how many, nothing about whose
    event = AuditEvent.objects.get(action="people.import_purge")
    assert event.changes == {"jobs": 1, "files": 2, "days": 7}


def test_the_retention_is_configurable_and_nothing_to_do_is_not_audited(world, tmp_path, settings):
    households, residents = family()
    job = run_import(ledger(tmp_path / "ok.xlsx", households, residents))
    _age(job, 3)
    assert imports_purge().jobs == 0
    assert not AuditEvent.objects.filter(action="people.import_purge").exists()
    settings.PEOPLE_IMPORT_RETENTION_DAYS = 2
    call_command("purge-imports")
    assert not ImportJob.objects.exists()


def test_the_purge_is_a_nightly_job():
    spec = next(j for j in registry.jobs() if j.name == "purge-imports")
    assert spec.command == "purge-imports" and spec.schedule == "30 3 * * *"
