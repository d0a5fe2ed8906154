"""grassroots' own `check --deploy` checks (core/checks_deploy.py), one test each."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from grassroots.core import audit_key, checks_deploy, crypto


def ids(messages) -> list[str]:
    return [m.id for m in messages]


@pytest.fixture
def sqlite_in(tmp_path, monkeypatch):
    """The database as a SQLite file in tmp/db (mode 700), var/ in tmp/var (mode 700)."""
    db_dir = tmp_path / "db"
    db_dir.mkdir(mode=0o700)
    db = db_dir / "grassroots.sqlite3"
    db.write_bytes(b"")
    db.chmod(0o600)
    var = tmp_path / "var"
    var.mkdir(mode=0o700)
    default = django_settings.DATABASES["default"]
    monkeypatch.setitem(default, "ENGINE", "django.db.backends.sqlite3")
    monkeypatch.setitem(default, "NAME", str(db))
    monkeypatch.setattr(django_settings, "VAR_DIR", var)
    monkeypatch.setattr(django_settings, "MEDIA_ROOT", var / "media")
    monkeypatch.setattr(django_settings, "AUDIT_CHECKPOINT_FILE", var / "checkpoints.jsonl")
    monkeypatch.delenv("PGDATA", raising=False)
    return db


def _key(path, mode=0o600):
    path.parent.mkdir(mode=0o700, exist_ok=True)
    path.write_text("x\n")
    path.chmod(mode)
    return path


@pytest.mark.parametrize("module", [crypto, audit_key])
def test_a_key_file_beside_the_database_is_refused(sqlite_in, monkeypatch, module):
    monkeypatch.delenv(module.ENV_VAR, raising=False)
    monkeypatch.setenv(module.FILE_ENV_VAR, str(_key(sqlite_in.parent / "key")))
    assert ids(checks_deploy.check_key_files()) == ["grassroots.E101"]


@pytest.mark.parametrize("module", [crypto, audit_key])
def test_a_key_file_inside_the_database_directory_is_refused(sqlite_in, monkeypatch, module):
    monkeypatch.delenv(module.ENV_VAR, raising=False)
    monkeypatch.setenv(module.FILE_ENV_VAR, str(_key(sqlite_in.parent / "keys" / "key")))
    assert ids(checks_deploy.check_key_files()) == ["grassroots.E101"]


@pytest.mark.parametrize("module", [crypto, audit_key])
def test_a_key_file_others_may_read_is_refused(sqlite_in, monkeypatch, tmp_path, module):
    monkeypatch.delenv(module.ENV_VAR, raising=False)
    monkeypatch.setenv(module.FILE_ENV_VAR, str(_key(tmp_path / "etc" / "key", 0o640)))
    assert ids(checks_deploy.check_key_files()) == ["grassroots.E102"]


def test_key_files_apart_and_private_pass(sqlite_in, monkeypatch, tmp_path):
    for module in (crypto, audit_key):
        monkeypatch.delenv(module.ENV_VAR, raising=False)
        monkeypatch.setenv(module.FILE_ENV_VAR, str(_key(tmp_path / "etc" / module.__name__)))
    assert checks_deploy.check_key_files() == []


def test_pgdata_counts_as_the_database_directory(sqlite_in, monkeypatch, tmp_path):
    monkeypatch.setenv("PGDATA", str(tmp_path / "pg"))
    monkeypatch.delenv(audit_key.ENV_VAR, raising=False)
    monkeypatch.setenv(audit_key.FILE_ENV_VAR, str(_key(tmp_path / "pg" / "audit_key")))
    assert "grassroots.E101" in ids(checks_deploy.check_key_files())


@pytest.mark.parametrize("which", ["db", "wal", "var", "checkpoints"])
def test_state_others_may_read_is_refused(sqlite_in, which):
    var = django_settings.VAR_DIR
    path = {
        "db": sqlite_in,
        "wal": _key(sqlite_in.with_name(sqlite_in.name + "-wal")),
        "var": var,
        "checkpoints": _key(var / "checkpoints.jsonl"),
    }[which]
    assert checks_deploy.check_state_files() == []
    path.chmod(0o755 if path.is_dir() else 0o644)
    messages = checks_deploy.check_state_files()
    assert ids(messages) == ["grassroots.E103"] and str(path) in messages[0].msg


def test_debug_is_refused(settings):
    settings.DEBUG = True
    assert ids(checks_deploy.check_debug()) == ["grassroots.E104"]
    settings.DEBUG = False
    assert checks_deploy.check_debug() == []


def test_short_audit_retention_is_refused(settings):
    settings.AUDIT_RETENTION_DAYS = 90
    assert ids(checks_deploy.check_audit()) == ["grassroots.E105"]
    settings.AUDIT_RETENTION_DAYS = 180
    assert checks_deploy.check_audit() == []


def test_production_without_an_audit_key_is_refused(settings, monkeypatch):
    settings.PRODUCTION = True
    monkeypatch.delenv(audit_key.ENV_VAR, raising=False)
    monkeypatch.delenv(audit_key.FILE_ENV_VAR, raising=False)
    assert ids(checks_deploy.check_audit()) == ["grassroots.E106"]


def test_check_deploy_fails_with_the_audit_key_beside_the_database(tmp_path):
    _key(tmp_path / "audit_key")
    env = {
        **os.environ,
        "GRASSROOTS_PRODUCTION": "1",
        "GRASSROOTS_SECRET_KEY": "x" * 60 + "-Production-Key-For-The-Check-0123456789",
        "GRASSROOTS_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "GRASSROOTS_AUDIT_KEY_FILE": str(tmp_path / "audit_key"),
    }
    env.pop("GRASSROOTS_AUDIT_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "grassroots", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "grassroots.E101" in result.stderr + result.stdout
