"""psycopg's connection pool (GRASSROOTS_DB_POOL): many threads share at most N connections.

Runs a process with the pool on against the test database: six threads each run a query that
holds its connection for 0.2 s; they all succeed, through at most two server backends.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.test_scheduler_serve import database_url

REPO = Path(__file__).resolve().parents[2]
SCRIPT = """
import json, threading, django
django.setup()
from django.db import connections
pids, errors = [], []
def work():
    try:
        with connections["default"].cursor() as cur:
            cur.execute("SELECT pg_backend_pid(), pg_sleep(0.2)")
            pids.append(cur.fetchone()[0])
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connections.close_all()  # gives the connection back to the pool
threads = [threading.Thread(target=work) for _ in range(6)]
[t.start() for t in threads]; [t.join() for t in threads]
print(json.dumps({"pool": connections["default"].pool is not None, "pids": pids, "errors": errors}))
"""


@pytest.mark.django_db
def test_six_threads_share_a_pool_of_two(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the pool is PostgreSQL's (psycopg_pool)")
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "src"),
        "DJANGO_SETTINGS_MODULE": "grassroots.settings",
        "DATABASE_URL": database_url(),
        "GRASSROOTS_DB_POOL": "2",
        "GRASSROOTS_VAR_DIR": str(tmp_path),
    }
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["pool"] and not out["errors"]
    assert len(out["pids"]) == 6 and len(set(out["pids"])) <= 2
