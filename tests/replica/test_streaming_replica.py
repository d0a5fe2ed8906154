"""Reads through a real PostgreSQL streaming replica (issue 21; docs/deploy.md "Scale-out").

Starts a throwaway primary (``initdb``, ``wal_level=replica``) and a hot standby made from it
with ``pg_basebackup -R``, each on a free port in a temporary directory; loads the test
database's schema into the primary; then runs tests/replica/inner_reads.py in a subprocess
whose Django points ``default`` at the primary and ``replica`` at the standby. That file checks
that the read paths read from the standby, that a writer reads its own write from the primary,
that a lag beyond the bound and a stopped standby are skipped with a warning and nothing fails.
The clusters are always stopped and deleted.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.replica import clusters

REPO = Path(__file__).resolve().parents[2]
INNER_DB = "grassroots"


def _skip_reason() -> str:
    if connection.vendor != "postgresql":
        return "the replica test needs DATABASE_URL=postgres://..."
    return clusters.available()


@pytest.fixture
def primary_and_standby(django_db_setup, django_db_blocker):
    """A primary holding the test database's schema, and its streaming standby."""
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    made: list[clusters.Cluster] = []
    try:
        primary = clusters.make_primary()
        made.append(primary)
        # The schema and the migrations' rows, as the outer run's migrations left them (the
        # inner run reuses them instead of migrating again).
        s = connection.settings_dict
        test_db = f"test_{INNER_DB}"
        primary.sql(f'CREATE DATABASE "{test_db}"')
        dump = subprocess.run(  # noqa: S603
            [
                str(clusters.BIN / "pg_dump"),
                "-h",
                s["HOST"] or "127.0.0.1",
                "-p",
                str(s["PORT"] or 5432),
                "-U",
                s["USER"],
                "--no-owner",
                "--no-privileges",
                s["NAME"],
            ],
            capture_output=True,
            check=True,
            timeout=120,
        )
        subprocess.run(  # noqa: S603
            [
                str(clusters.BIN / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(primary.port),
                "-U",
                "postgres",
                "-d",
                test_db,
                "-Xq",
                "-v",
                "ON_ERROR_STOP=1",
            ],
            input=dump.stdout,
            capture_output=True,
            check=True,
            timeout=120,
        )
        standby = clusters.make_standby(primary)
        made.append(standby)
        yield primary, standby
    finally:
        for cluster in reversed(made):
            clusters.destroy(cluster)


@pytest.mark.django_db
def test_reads_through_a_streaming_replica(primary_and_standby, tmp_path):
    primary, standby = primary_and_standby
    assert standby.sql("SELECT pg_is_in_recovery()") == "t"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)]),
        "DATABASE_URL": primary.url(INNER_DB),
        "DATABASE_REPLICA_URL": standby.url(INNER_DB),
        "GR_PRIMARY_PORT": str(primary.port),
        "GR_STANDBY_DATA": str(standby.data),
        "GR_STANDBY_PORT": str(standby.port),
        "GRASSROOTS_VAR_DIR": str(tmp_path / "var"),
    }
    done = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-n",
            "0",
            "-p",
            "no:randomly",
            "--reuse-db",
            "-o",
            "addopts=--strict-markers -p no:cacheprovider",
            str(REPO / "tests" / "replica" / "inner_reads.py"),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    assert re.search(r"\b4 passed\b", done.stdout), done.stdout[-3000:]
