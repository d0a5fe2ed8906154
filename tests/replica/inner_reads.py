"""Run by test_streaming_replica.py in a subprocess, against a real primary and standby.

Not collected on its own (its name does not start with ``test_``): the outer test starts the
two clusters and runs this file with ``DATABASE_URL`` (the primary), ``DATABASE_REPLICA_URL``
(the standby) and ``GR_STANDBY_DATA`` / ``GR_STANDBY_PORT`` / ``GR_PRIMARY_PORT`` set.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connections
from django.utils import timezone

from grassroots.db import routing
from tests.conftest import inside, signed_in
from tests.replica.clusters import Cluster
from tests.test_dashboard_support import build_scenario

if "GR_STANDBY_DATA" not in os.environ:
    pytest.skip("run by tests/replica/test_streaming_replica.py", allow_module_level=True)

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
STANDBY = Cluster(Path(os.environ["GR_STANDBY_DATA"]), int(os.environ["GR_STANDBY_PORT"]))
PRIMARY = Cluster(Path("/nonexistent"), int(os.environ["GR_PRIMARY_PORT"]))
# The tables the read paths list and count: read from the replica, never from the primary.
# (Who the user is, and the posts that scope them, are always read from the primary.)
PILLAR_TABLES = (
    '"cases_case"',
    '"people_household"',
    '"people_resident"',
    '"figures_sourcecount"',
    '"figures_',
)


@contextmanager
def queries() -> Iterator[dict[str, list[str]]]:
    """The SQL each alias ran inside the block."""
    seen: dict[str, list[str]] = {"default": [], "replica": []}

    def recorder(alias: str):
        def wrapper(execute, sql, params, many, context):
            seen[alias].append(sql)
            return execute(sql, params, many, context)

        return wrapper

    with (
        connections["default"].execute_wrapper(recorder("default")),
        connections["replica"].execute_wrapper(recorder("replica")),
    ):
        yield seen


def caught_up(timeout: float = 15.0) -> None:
    """Wait until the standby has replayed everything the primary has written so far."""
    with connections["default"].cursor() as cur:
        cur.execute("SELECT pg_current_wal_lsn()")
        (lsn,) = cur.fetchone()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if STANDBY.sql(f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn") == "t":
            routing.reset_health()
            return
        time.sleep(0.05)
    raise AssertionError("the standby did not catch up in time")


def pillar_reads(sql: list[str]) -> list[str]:
    return [
        s
        for s in sql
        if s.lstrip().upper().startswith("SELECT") and any(t in s for t in PILLAR_TABLES)
    ]


@pytest.fixture
def reads(world, catalogue, registry):
    """The read paths of the suite: (client, url) for the dashboard, an export, the case list
    and its search, the people search, the household list and its export, and the API's case
    list, search, figures and household list."""
    build_scenario(world, catalogue)
    leader, community = signed_in("leader"), signed_in("community")
    for c in (leader, community):  # signed in a while ago: no read-your-writes stamp left
        c.cookies.pop(routing.STICKY_COOKIE, None)
    county, grid = world.county.pk, world.grid3b.pk
    return [
        (leader, "/dashboard/"),
        (leader, f"/dashboard/area/{county}/export/matters.xlsx"),
        (leader, "/cases/"),
        (leader, "/cases/?q=测试"),
        (community, "/people/?q=王"),
        (community, f"/people/households/?within={grid}"),
        (community, f"/people/ledger/export/households/?within={grid}"),
        (leader, "/api/v1/cases/"),
        (leader, "/api/v1/cases/?q=测试"),
        (leader, f"/api/v1/metrics/cases/?within={county}"),
        (community, f"/api/v1/households/?within={grid}"),
    ]


def test_read_paths_come_from_the_replica(reads, settings):
    settings.REPLICA_CHECK_SECONDS = 0
    caught_up()
    for client, url in reads:
        with queries() as seen:
            resp = client.get(url)
        assert resp.status_code == 200, url
        replica, primary = pillar_reads(seen["replica"]), pillar_reads(seen["default"])
        assert replica, f"{url}: nothing read from the replica"
        assert not primary, f"{url}: read from the primary: {primary[:2]}"
        if resp["Content-Type"].startswith("text/html"):
            assert 'id="replica-as-of"' in resp.content.decode(), url
        assert resp["X-Data-As-Of"], url
    # the replica alias is the standby itself
    assert connections["replica"].settings_dict["PORT"] == STANDBY.port
    with connections["replica"].cursor() as cur:
        cur.execute("SELECT pg_is_in_recovery(), current_setting('port')::int")
        assert cur.fetchone() == (True, STANDBY.port)


def test_a_write_is_read_back_from_the_primary_and_others_wait_at_most_the_bound(
    world, catalogue, settings, caplog
):
    settings.REPLICA_CHECK_SECONDS = 0
    settings.REPLICA_MAX_LAG_SECONDS = 1.5
    hotline, other = signed_in("hotline"), signed_in("hotline")
    other.cookies.pop(routing.STICKY_COOKIE, None)
    hotline.cookies.pop(routing.STICKY_COOKIE, None)
    caught_up()
    STANDBY.sql("SELECT pg_wal_replay_pause()")
    paused_at = timezone.localtime()
    try:
        resp = hotline.post(
            "/api/v1/cases/",
            {
                "matter": "M001",
                "channel": "hotline",
                "description": "副本延迟测试",
                "location": inside(world.grid3a),
            },
            content_type="application/json",
        )
        assert resp.status_code == 201, resp.content
        number = resp.json()["number"]
        assert routing.STICKY_COOKIE in resp.cookies
        # the writer reads its own write (the primary), at once
        with queries() as seen:
            mine = hotline.get("/cases/?q=副本延迟测试").content.decode()
        assert number in mine and not pillar_reads(seen["replica"])
        # another user within the bound reads the replica: not there yet, and the page says so
        with queries() as seen:
            theirs = other.get("/cases/?q=副本延迟测试").content.decode()
        assert pillar_reads(seen["replica"]) and number not in theirs
        # ... and says as of when: no later than the pause (seconds shown; not across midnight)
        shown = re.search(r'id="replica-as-of">数据截至 (\d\d:\d\d:\d\d)<', theirs)
        assert shown, theirs[-600:]
        if paused_at.date() == timezone.localdate():
            assert shown.group(1) <= paused_at.strftime("%H:%M:%S")
        # past the bound the replica is skipped with a warning: the primary answers
        time.sleep(settings.REPLICA_MAX_LAG_SECONDS + 0.3)
        with caplog.at_level(logging.WARNING, logger="grassroots.db.routing"), queries() as seen:
            late = other.get("/cases/?q=副本延迟测试").content.decode()
        assert number in late and not pillar_reads(seen["replica"])
        assert 'id="replica-as-of"' not in late
        assert any(
            "replica skipped" in r.getMessage() and "lags" in r.getMessage() for r in caplog.records
        )
    finally:
        STANDBY.sql("SELECT pg_wal_replay_resume()")
    caught_up()
    with queries() as seen:
        again = other.get("/cases/?q=副本延迟测试").content.decode()
    assert number in again and pillar_reads(seen["replica"])


def test_an_api_token_reads_its_own_writes_and_other_tokens_read_the_replica(
    world, catalogue, api, settings
):
    settings.REPLICA_CHECK_SECONDS = 0
    settings.REPLICA_MAX_LAG_SECONDS = 30
    writer, other = api("hotline"), api("hotline")
    caught_up()
    STANDBY.sql("SELECT pg_wal_replay_pause()")
    try:
        body = {"matter": "M001", "channel": "hotline", "description": "令牌副本测试"}
        resp = writer.post("/api/v1/cases/", {**body, "area": world.grid3a.pk}, format="json")
        assert resp.status_code == 201, resp.content
        number = resp.json()["number"]
        writer.cookies.pop(routing.STICKY_COOKIE, None)  # a token client keeps no cookie
        with queries() as seen:
            mine = writer.get("/api/v1/cases/", {"q": "令牌副本测试"})
        assert number in mine.content.decode() and not pillar_reads(seen["replica"])
        assert "X-Data-As-Of" not in mine
        with queries() as seen:
            theirs = other.get("/api/v1/cases/", {"q": "令牌副本测试"})
        assert pillar_reads(seen["replica"]) and number not in theirs.content.decode()
        assert theirs["X-Data-As-Of"]
    finally:
        STANDBY.sql("SELECT pg_wal_replay_resume()")
    caught_up()


def test_a_stopped_replica_is_skipped_and_nothing_fails(reads, settings, caplog):
    settings.REPLICA_CHECK_SECONDS = 0
    caught_up()
    client, url = reads[2]
    with queries() as seen:
        assert client.get(url).status_code == 200
    assert pillar_reads(seen["replica"])  # the connection to the replica is open
    STANDBY.stop()
    with caplog.at_level(logging.WARNING, logger="grassroots.db.routing"):
        for client, url in reads:
            with queries() as seen:
                resp = client.get(url)
            assert resp.status_code == 200, url
            assert pillar_reads(seen["default"]) and not pillar_reads(seen["replica"]), url
    assert any(
        "replica skipped" in r.getMessage() and "down" in r.getMessage() for r in caplog.records
    )
