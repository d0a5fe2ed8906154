"""Turn ``DATABASE_URL`` into Django's DATABASES entry, or fail with a message naming it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

SUPPORTED = {"sqlite", "postgres", "postgresql", "pgsql"}

# SQLite is the embedded default: WAL lets readers run beside the one writer, and the busy
# timeout makes a second writer wait instead of failing at once. A 64 MiB page cache per
# connection (SQLite's default: 2 MiB) keeps a county's hot index pages in memory. (A 256 MiB
# memory map was tried too: it counted in every process's resident memory and brought the
# 100,000-resident import to 497 MB, at the edge of its 500 MB budget, for no measured gain.)
CONN_MAX_AGE = 60  # seconds a worker keeps its database connection
SQLITE_INIT = (
    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
    "PRAGMA busy_timeout=10000;PRAGMA cache_size=-65536;PRAGMA temp_store=MEMORY;"
)


def parse_database_url(url: str, *, var_dir: Path) -> dict[str, Any]:
    """Return the settings for ``url`` (empty: the SQLite file ``var_dir/grassroots.sqlite3``).

    Raises ImproperlyConfigured whose message starts with ``DATABASE_URL`` for an unknown
    scheme, a PostgreSQL URL without a database name, or anything the parser rejects.
    """
    url = url.strip()
    if not url:
        var_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        url = f"sqlite:///{var_dir / 'grassroots.sqlite3'}"
    scheme = urlsplit(url).scheme.lower()
    if scheme not in SUPPORTED:
        raise ImproperlyConfigured(
            f"DATABASE_URL: unsupported scheme {scheme or '(none)'!r}; "
            "use sqlite:///path/to/file.sqlite3 or postgres://user@host:5432/name"
        )
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url))
    except Exception as exc:  # the parser raises several types for malformed URLs
        raise ImproperlyConfigured(f"DATABASE_URL: cannot be parsed ({exc})") from None
    if scheme == "sqlite":
        name = str(config.get("NAME") or "")
        if not name or name == ":memory:":
            raise ImproperlyConfigured("DATABASE_URL: a SQLite URL needs a file path")
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        # Django's backend, with the database and its WAL files kept at mode 600.
        config["ENGINE"] = "grassroots.db.sqlite3"
        config["OPTIONS"] = {"init_command": SQLITE_INIT, "transaction_mode": "IMMEDIATE"}
        # Tests use a file too: an in-memory database locks whole tables and cannot show how
        # concurrent writers queue on the busy timeout, as they do in production.
        # One file per test process, so that parallel runs never share a test database.
        test_name = f"test_{os.getpid()}_{Path(name).name}"
        config["TEST"] = {"NAME": str(Path(name).with_name(test_name))}
    else:
        if not config.get("NAME"):
            raise ImproperlyConfigured("DATABASE_URL: a PostgreSQL URL needs a database name")
        config["ENGINE"] = "django.db.backends.postgresql"
        config["CONN_HEALTH_CHECKS"] = True
    # Keep each worker's connection between requests (dj_database_url's default, 0, closed it
    # after every request: a new PostgreSQL backend per request, and SQLite's page cache and
    # pragmas lost each time; PostgreSQL's intake ran at 57 cases/s, the bare reference at 129).
    config["CONN_MAX_AGE"] = CONN_MAX_AGE
    return config
