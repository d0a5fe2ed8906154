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


# Connection pooling (docs/deploy.md "Scale-out"): GRASSROOTS_DB_POOL=N keeps a psycopg pool
# of at most N connections per process (Django closes nothing, the pool lends them out);
# GRASSROOTS_PGBOUNCER=1 says connections go through PgBouncer in transaction mode, where a
# server connection changes between transactions: no server-side (named) cursors, and no
# prepared statements unless GRASSROOTS_DB_PREPARE=1 says the PgBouncer can keep them.
def pooling_options(env: dict[str, str]) -> dict[str, Any]:
    """The extra PostgreSQL settings the pooling variables ask for (may be empty).

    Raises ImproperlyConfigured naming ``GRASSROOTS_DB_POOL`` when it is not a positive integer.
    """
    extra: dict[str, Any] = {}
    raw = env.get("GRASSROOTS_DB_POOL", "").strip()
    if raw:
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ImproperlyConfigured(
                f"GRASSROOTS_DB_POOL: {raw!r} is not a positive number of connections"
            )
        # Django requires persistent connections off when its pool is on.
        extra["CONN_MAX_AGE"] = 0
        extra["OPTIONS"] = {"pool": {"min_size": 1, "max_size": size, "timeout": 10}}
    pgbouncer = _flag(env, "GRASSROOTS_PGBOUNCER", default=False)
    if pgbouncer:
        extra["DISABLE_SERVER_SIDE_CURSORS"] = True
    if _flag(env, "GRASSROOTS_DB_PREPARE", default=not pgbouncer):
        extra["OPTIONS"] = {**extra.get("OPTIONS", {}), **PREPARED}
    return extra


# Server-side binding, and a statement run PREPARE_AFTER times on a connection is prepared
# (psycopg's prepare_threshold): PostgreSQL then skips parsing and planning it. Measured on
# intake (in-process, 400 requests, the backend's own CPU from /proc): 4.4 → 2.6 ms of server
# CPU per case. Off by default behind PgBouncer (before 1.21, or without
# max_prepared_statements, it cannot follow protocol-level prepared statements).
PREPARE_AFTER = 5
PREPARED = {"server_side_binding": True, "prepare_threshold": PREPARE_AFTER}


def _flag(env: dict[str, str], name: str, *, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}: {raw!r} is not one of 1, 0, true, false, yes, no, on, off")


def apply_pooling(config: dict[str, Any], env: dict[str, str]) -> dict[str, Any]:
    """``config`` (a PostgreSQL entry) with `pooling_options` merged in; SQLite unchanged."""
    if config.get("ENGINE") != "django.db.backends.postgresql":
        return config
    extra = pooling_options(env)
    options = {**config.get("OPTIONS", {}), **extra.pop("OPTIONS", {})}
    merged = {**config, **extra}
    if options:
        merged["OPTIONS"] = options
    return merged


def parse_replica_url(url: str, *, primary: dict[str, Any]) -> dict[str, Any]:
    """The ``replica`` alias for ``DATABASE_REPLICA_URL`` (a PostgreSQL standby of ``primary``).

    Raises ImproperlyConfigured whose message starts with ``DATABASE_REPLICA_URL`` when the URL
    is not PostgreSQL or the primary is not PostgreSQL (SQLite has no replicas).
    """
    scheme = urlsplit(url.strip()).scheme.lower()
    if scheme not in SUPPORTED - {"sqlite"}:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL: a replica must be postgres://user@host:5432/name"
        )
    if primary.get("ENGINE") != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL: needs a PostgreSQL primary in DATABASE_URL"
        )
    try:
        config = parse_database_url(url, var_dir=Path("."))
    except ImproperlyConfigured as exc:
        raise ImproperlyConfigured(
            str(exc).replace("DATABASE_URL", "DATABASE_REPLICA_URL")
        ) from None
    # A standby that does not answer is skipped, not waited for (routing.health).
    config["OPTIONS"] = {**config.get("OPTIONS", {}), "connect_timeout": 3}
    # Tests run against one database: the replica alias mirrors the primary's test database.
    config["TEST"] = {"MIRROR": "default"}
    return config
