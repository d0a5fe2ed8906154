"""Rate limits shared by every worker (issue 15, defect 3; docs/security.md).

Before: Open311 counted in each process's own cache, so three gunicorn workers let 3 × 5 POSTs
through a `per_minute=5` key, and reads had no limit. Now every counter lives in one store (the
database, or Redis with GRASSROOTS_REDIS_URL); each "worker" below is a thread with its own
database connection, all hitting at once, in real transactions.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
import time_machine
from django.db import connections
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from grassroots.core import throttle
from grassroots.core.models import ThrottleCounter
from grassroots.open311.services import apikey_issue
from tests.test_open311 import post

REDIS_URL = "redis://127.0.0.1:6379/0"


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except Exception:
        return False


@pytest.fixture(params=["database", "redis"])
def store(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each test runs against the database store and against Redis (skipped when Redis is down)."""
    if request.param == "redis":
        if not _redis_up():
            pytest.skip("Redis is not running at 127.0.0.1:6379")
        # A prefix of its own: tests (and other checkouts on this machine) never share counters.
        with override_settings(REDIS_URL=REDIS_URL, THROTTLE_KEY_PREFIX=f"t:{uuid.uuid4()}:"):
            yield request.param
    else:
        with override_settings(REDIS_URL=""):
            yield request.param


def together(n: int, job) -> list[object]:
    """Run `job` in `n` threads at once, each with its own database connection; the outcomes."""
    barrier = threading.Barrier(n)
    results: list[object] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            outcome = job()
        except Exception as exc:  # a lost or doubled count would show as a wrong total instead
            outcome = f"error:{type(exc).__name__}:{exc}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_a_window_counts_up_to_its_limit(store, db):
    hits = [throttle.hit("k", limit=2, window=60) for _ in range(3)]
    assert [h.allowed for h in hits] == [True, True, False]
    assert 1 <= hits[2].reset_in <= 60


def test_a_database_window_restarts_when_it_closes(db):
    start = timezone.now()
    with override_settings(REDIS_URL=""):
        with time_machine.travel(start, tick=False):
            assert [throttle.hit("k", limit=2, window=60).count for _ in range(3)] == [1, 2, 3]
        with time_machine.travel(start + timezone.timedelta(seconds=45), tick=False):
            late = throttle.hit("k", limit=2, window=60)
            assert not late.allowed and late.reset_in == 15
        with time_machine.travel(start + timezone.timedelta(seconds=61), tick=False):
            assert throttle.hit("k", limit=2, window=60).count == 1


def test_block_keeps_the_longer_and_clear_forgets(store, db):
    throttle.block("b", 30)
    throttle.block("b", 5)
    assert 29 <= throttle.blocked_for("b") <= 30
    throttle.clear("b")
    assert throttle.blocked_for("b") == 0


def test_the_database_stores_no_key_in_clear(db):
    with override_settings(REDIS_URL=""):
        throttle.hit("login:addr:203.0.113.9", limit=1, window=60)
    assert not ThrottleCounter.objects.filter(bucket__contains="203.0.113").exists()
    assert ThrottleCounter.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_hits_pass_exactly_the_limit(store):
    key = f"race:{uuid.uuid4()}"
    outcomes = together(20, lambda: throttle.hit(key, limit=5, window=60).allowed)
    assert sorted(map(str, outcomes)) == ["False"] * 15 + ["True"] * 5


@pytest.mark.django_db(transaction=True)
def test_open311_key_limit_holds_across_concurrent_workers(store, world, catalogue):
    # given a key allowing 5 requests a minute
    _key, raw = apikey_issue(actor=None, name="随手拍", per_minute=5)
    # when 20 clients ("workers", each with its own connection) POST at the same moment
    outcomes = together(20, lambda: post(Client(), "json", raw))
    # then exactly 5 are filed, the rest answer 429 with Retry-After
    codes = sorted(r.status_code for r in outcomes)  # type: ignore[attr-defined]
    assert codes == [201] * 5 + [429] * 15
    refused = [r for r in outcomes if r.status_code == 429]  # type: ignore[attr-defined]
    assert all(1 <= int(r["Retry-After"]) <= 60 for r in refused)
    assert "try again in" in refused[0].json()[0]["description"]


def test_open311_reads_are_limited_per_address(store, world):
    with override_settings(OPEN311_READS_PER_MINUTE=3):
        client = Client(REMOTE_ADDR="198.51.100.7")
        codes = [client.get("/open311/v2/services.json").status_code for _ in range(4)]
        other = Client(REMOTE_ADDR="198.51.100.8").get("/open311/v2/requests.xml")
    assert codes == [200, 200, 200, 429]
    assert other.status_code == 200


def test_open311_reads_with_a_key_are_counted_per_key(store, world):
    _key, raw = apikey_issue(actor=None, name="随手拍")
    with override_settings(OPEN311_READS_PER_MINUTE=2):
        codes = [
            Client(REMOTE_ADDR=f"198.51.100.{n}")
            .get("/open311/v2/services.json", {"api_key": raw})
            .status_code
            for n in range(3)
        ]
    assert codes == [200, 200, 429]


def test_api_reads_are_limited_per_token(store, world, api):
    client, other = api("leader"), api("leader")
    with override_settings(API_PER_MINUTE=3):
        codes = [client.get("/api/v1/me/").status_code for _ in range(4)]
        last = client.get("/api/v1/areas/")
        assert other.get("/api/v1/me/").status_code == 200  # another token of the same user
    assert codes == [200, 200, 200, 429]
    assert last.status_code == 429 and last.json()["code"] == "throttled"
    assert 1 <= int(last["Retry-After"]) <= 60


def test_a_token_s_hit_goes_with_its_look_up_and_a_key_no_token_has_counts_nothing(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from grassroots.core.models import User
    from grassroots.core.tokens import token_issue

    _token, raw = token_issue(user=User.objects.get(username="leader"))
    with override_settings(REDIS_URL="", API_PER_MINUTE=2):
        with CaptureQueriesContext(connection) as seen:
            first = APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {raw}")
        sqls = [q["sql"] for q in seen.captured_queries]  # before the next request resets them
        codes = [
            APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {raw}").status_code
            for _ in range(2)
        ]
        before = ThrottleCounter.objects.count()
        unknown = APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION="Token gr_no-such-key")
    hits = [i for i, sql in enumerate(sqls) if "core_throttlecounter" in sql]
    # once; on PostgreSQL right after the token's look-up, sent with it
    assert first.status_code == 200 and len(hits) == 1, sqls
    assert hits == [1] or connection.vendor == "sqlite"
    assert codes == [200, 429]
    assert unknown.status_code == 401 and ThrottleCounter.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_api_limit_holds_across_concurrent_workers(store, world):
    from grassroots.core.models import User
    from grassroots.core.tokens import token_issue

    _token, raw = token_issue(user=User.objects.get(username="leader"))

    def read():
        return Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {raw}").status_code

    with override_settings(API_PER_MINUTE=4):
        codes = sorted(together(12, read))  # type: ignore[type-var]
    assert codes == [200] * 4 + [429] * 8


def test_purge_drops_only_closed_windows(db):
    from django.core.management import call_command

    start = timezone.now()
    with override_settings(REDIS_URL=""):
        with time_machine.travel(start, tick=False):
            throttle.hit("old", limit=1, window=60)
            throttle.hit("new", limit=1, window=600)
        with time_machine.travel(start + timezone.timedelta(seconds=61), tick=False):
            call_command("throttle-purge")
    assert ThrottleCounter.objects.count() == 1


def test_an_unreachable_redis_falls_back_to_the_database(db):
    # nothing listens on port 1: every call is answered by the database store instead
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0", THROTTLE_KEY_PREFIX="down:"):
        hits = [throttle.hit("k", limit=1, window=60).allowed for _ in range(2)]
        throttle.block("b", 30)
        assert throttle.blocked_for("b") >= 29
    assert hits == [True, False]
    assert ThrottleCounter.objects.count() == 2


@pytest.mark.django_db
def test_retry_after_never_exceeds_the_window_when_a_hit_read_its_clock_before_the_first(
    monkeypatch,
):
    # given the window's first hit written at t=1000 by one worker
    with override_settings(REDIS_URL=""):
        monkeypatch.setattr(throttle, "_now", lambda: 1000.0)
        throttle.hit("stale-clock", limit=1, window=60)
        # when another worker's hit read its clock 10 s earlier (it waited for the lock)
        monkeypatch.setattr(throttle, "_now", lambda: 990.0)
        late = throttle.hit("stale-clock", limit=1, window=60)
    # then it is refused, with a wait no longer than the window itself (it said 70 s)
    assert not late.allowed and late.reset_in == 60


@pytest.mark.django_db
def test_the_counters_write_no_wal_on_postgresql():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no WAL-less tables; its counting statement is local anyway")
    with connection.cursor() as cur:
        cur.execute("SELECT relpersistence FROM pg_class WHERE relname = 'core_throttlecounter'")
        assert cur.fetchone()[0] == "u"  # UNLOGGED (migration core 0007)
