"""DATABASE_URL and settings from the environment."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from grassroots.dburl import parse_database_url


def test_default_is_sqlite_under_var(tmp_path):
    config = parse_database_url("", var_dir=tmp_path)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "grassroots.sqlite3")
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert "busy_timeout" in config["OPTIONS"]["init_command"]


def test_postgres_url(tmp_path):
    config = parse_database_url("postgres://app:pw@db.example:5433/gr", var_dir=tmp_path)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.example", 5433, "gr")


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
