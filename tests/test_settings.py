"""DATABASE_URL and settings from the environment."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from grassroots.dburl import parse_database_url


def test_default_is_sqlite_under_var(tmp_path):
    config = parse_database_url("", var_dir=tmp_path)
    assert config["ENGINE"] == "grassroots.db.sqlite3"
    assert config["NAME"] == str(tmp_path / "grassroots.sqlite3")
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert "busy_timeout" in config["OPTIONS"]["init_command"]


def test_postgres_url(tmp_path):
    config = parse_database_url("postgres://app:pw@db.example:5433/gr", var_dir=tmp_path)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.example", 5433, "gr")


@pytest.mark.parametrize("url", ["", "postgres://app@db.example:5432/gr"])
def test_connections_are_kept_between_requests(tmp_path, url):
    """Regression: the URL parser's CONN_MAX_AGE of 0 closed the connection after every request."""
    assert parse_database_url(url, var_dir=tmp_path)["CONN_MAX_AGE"] == 60


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("mysql://root@localhost/x", "unsupported scheme 'mysql'"),
        ("nonsense", "unsupported scheme"),
        ("postgres://localhost:5432/", "needs a database name"),
        ("postgres://localhost:notaport/db", "cannot be parsed"),
        ("sqlite://", "needs a file path"),
    ],
)
def test_bad_database_url_names_the_setting(tmp_path, url, fragment):
    with pytest.raises(ImproperlyConfigured) as err:
        parse_database_url(url, var_dir=tmp_path)
    assert str(err.value).startswith("DATABASE_URL")
    assert fragment in str(err.value)


def test_time_zone_and_language(settings):
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.LANGUAGE_CODE == "zh-hans"


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "GRASSROOTS_PRODUCTION": "1",
        "GRASSROOTS_SECRET_KEY": "x" * 60 + "-Production-Key-For-The-Check-0123456789",
        "GRASSROOTS_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-m", "grassroots", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "GRASSROOTS_PRODUCTION": "1", "GRASSROOTS_VAR_DIR": str(tmp_path)}
    env.pop("GRASSROOTS_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "grassroots", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "GRASSROOTS_SECRET_KEY" in result.stderr
