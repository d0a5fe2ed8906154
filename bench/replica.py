"""Reads through a streaming replica under a concurrent intake load (PostgreSQL only).

The bench's own server has no replication, so this stage copies the county-scale database
(pg_dump) into a throwaway primary (tests/replica/clusters.py: initdb, ``wal_level=replica``,
a free port, a temporary directory), makes a hot standby of it (``pg_basebackup -R``) and
serves the product from the primary under gunicorn twice: without ``DATABASE_REPLICA_URL``,
then with it pointing at the standby. Each time the load process POSTs intake while this
process, as a signed-in leader (a browser session: the API is never read-routed), GETs the
county's dashboard page and the case list page (dispatched, within a township) over HTTP in
turn. A read went to the standby when its page carries the replica's "数据截至" stamp (the
router's own mark, `grassroots.db.context`); the standby's committed transactions
(``pg_stat_database``, our one counting query included) are counted beside it.
"""

from __future__ import annotations

import http.client
import subprocess
import time
from typing import Any

import generate as gen
from serve import CONCURRENCY, drive_in_background, say
from timing import summary
from workloads import intake_bodies, serving, token_for

NAME = "grassroots"
# the foot of a page read from the replica ("数据截至 HH:MM:SS", core/base.html)
STAMP = 'id="replica-as-of"'


def _clusters() -> Any:
    # One copy of the cluster code: the replica tests' (the repo root is on sys.path).
    from tests.replica import clusters

    return clusters


def leader_session() -> tuple[str, str]:
    """The session cookie (name, value) of the leader signed in through the login page."""
    from django.conf import settings
    from django.test import Client

    browser = Client(HTTP_HOST="127.0.0.1")
    signed = browser.post("/login/", {"username": "leader", "password": gen.PASSWORD})
    if signed.status_code != 302:
        raise RuntimeError(f"login failed: {signed.status_code}")
    name = settings.SESSION_COOKIE_NAME
    return name, browser.cookies[name].value


def copy_database(source_url: str, primary: Any) -> float:
    """pg_dump the bench's database into `primary` (database NAME); seconds taken."""
    clusters = _clusters()
    t0 = time.perf_counter()
    primary.sql(f'CREATE DATABASE "{NAME}"')
    dump = subprocess.Popen(  # noqa: S603
        [str(clusters.BIN / "pg_dump"), "--no-owner", "--no-privileges", "-d", source_url],
        stdout=subprocess.PIPE,
    )
    subprocess.run(  # noqa: S603
        [str(clusters.BIN / "psql"), "-Xq", "-v", "ON_ERROR_STOP=1", "-d", primary.url(NAME)],
        stdin=dump.stdout,
        stdout=subprocess.DEVNULL,
        check=True,
        timeout=1800,
    )
    if dump.wait(60):
        raise RuntimeError("pg_dump failed")
    primary.sql("VACUUM ANALYZE", db=NAME)
    return round(time.perf_counter() - t0, 1)


def standby_xacts(standby: Any) -> int:
    return int(standby.sql("SELECT xact_commit FROM pg_stat_database WHERE datname = 'grassroots'"))


def reads_under_intake(
    port: int, cookie: tuple[str, str], token: str, pages: dict[str, str], secs: float
) -> dict[str, Any]:
    """The load process's intake for `secs` (after its warm-up) while this process GETs `pages`
    in turn over one keep-alive connection; latencies of the reads made during the measured
    window, how many carried the replica's stamp, and the intake's result."""
    from serve import WARMUP_SECONDS

    load = drive_in_background(port, "/api/v1/cases/", token, intake_bodies(), secs)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": f"{cookie[0]}={cookie[1]}"}
    samples: dict[str, list[float]] = {name: [] for name in pages}
    stamped = 0
    measure_from = time.monotonic() + WARMUP_SECONDS
    try:
        while time.monotonic() < load.ends:
            for name, path in pages.items():
                t0 = time.monotonic()
                conn.request("GET", path, headers=headers)
                resp = conn.getresponse()
                body = resp.read()
                took = (time.monotonic() - t0) * 1000
                if resp.status != 200:
                    raise RuntimeError(f"{path}: status {resp.status}")
                if t0 >= measure_from and t0 < load.ends:
                    samples[name].append(took)
                    stamped += STAMP in body.decode("utf-8", "replace")
    finally:
        conn.close()
        intake = load.result()
    reads = {name: summary(values) for name, values in samples.items() if values}
    return {**reads, "stamped": stamped, "intake": intake}


def replica_workload(env: dict[str, str], url: str, secs: float) -> dict[str, Any]:
    """Both runs (without, then with the replica) on a copy of the database at `url`."""
    from grassroots.areas.models import Area

    clusters = _clusters()
    reason = clusters.available()
    if reason:
        return {"skipped": reason}
    county = Area.objects.get(code="141126000000")
    township = Area.objects.filter(level="township", county=county).order_by("code").first()
    assert township is not None
    pages = {
        "dashboard_page": f"/dashboard/area/{county.pk}/",
        "case_list_page": f"/cases/?state=dispatched&within={township.pk}",
    }
    cookie = leader_session()
    token = token_for("hotline")  # made before the copy: the copy holds it
    res: dict[str, Any] = {
        "seconds": secs,
        "concurrency": CONCURRENCY,
        "cases": gen.counts()["cases"],
    }
    primary = standby = None
    try:
        say("  replica: a throwaway primary, the county database copied into it, a standby")
        primary = clusters.make_primary()
        res["copy_s"] = copy_database(url, primary)
        t0 = time.perf_counter()
        standby = clusters.make_standby(primary)
        res["standby_s"] = round(time.perf_counter() - t0, 1)
        for label, extra in (
            ("primary_only", {}),
            ("with_replica", {"DATABASE_REPLICA_URL": standby.url(NAME)}),
        ):
            say(f"  replica: reads under intake, {label.replace('_', ' ')}, {secs:g} s")
            served = {**env, "DATABASE_URL": primary.url(NAME), **extra}
            before = standby_xacts(standby)
            with serving(served, "grassroots.settings") as port:
                res[label] = reads_under_intake(port, cookie, token, pages, secs)
            res[label]["standby_xacts"] = standby_xacts(standby) - before
    finally:
        clusters.destroy(standby)
        clusters.destroy(primary)
    return res
