"""Replica routing and pooling settings, without a replica (the real one: tests/replica/)."""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.test import RequestFactory

from grassroots.cases.models import Case
from grassroots.core.models import User
from grassroots.db import routing
from grassroots.dburl import (
    PREPARED,
    apply_pooling,
    parse_database_url,
    parse_replica_url,
    pooling_options,
)
from grassroots.people.models import Household

PG = {"ENGINE": "django.db.backends.postgresql", "NAME": "gr"}


def test_replica_url_mirrors_the_primary_in_tests_and_does_not_wait_long():
    config = parse_replica_url("postgres://reader@standby:5433/gr", primary=PG)
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("standby", 5433, "gr")
    assert config["TEST"] == {"MIRROR": "default"}
    assert config["OPTIONS"]["connect_timeout"] == 3


@pytest.mark.parametrize(
    ("url", "primary", "fragment"),
    [
        ("sqlite:///x.sqlite3", PG, "a replica must be postgres"),
        ("postgres://standby:5433/gr", {"ENGINE": "grassroots.db.sqlite3"}, "PostgreSQL primary"),
        ("postgres://standby:5433/", PG, "needs a database name"),
    ],
)
def test_a_bad_replica_url_names_its_variable(url, primary, fragment):
    with pytest.raises(ImproperlyConfigured) as err:
        parse_replica_url(url, primary=primary)
    assert str(err.value).startswith("DATABASE_REPLICA_URL") and fragment in str(err.value)


def test_pool_and_pgbouncer_options(tmp_path):
    assert pooling_options({}) == {"OPTIONS": PREPARED}  # prepared statements by default
    assert pooling_options({"GRASSROOTS_DB_PREPARE": "0"}) == {}
    pooled = apply_pooling(
        parse_database_url("postgres://app@db:5432/gr", var_dir=tmp_path),
        {"GRASSROOTS_DB_POOL": "8", "GRASSROOTS_PGBOUNCER": "1"},
    )
    assert pooled["OPTIONS"]["pool"]["max_size"] == 8
    assert pooled["CONN_MAX_AGE"] == 0  # Django refuses persistent connections with its pool
    assert pooled["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert "prepare_threshold" not in pooled["OPTIONS"]  # PgBouncer: none unless asked for
    asked = pooling_options({"GRASSROOTS_PGBOUNCER": "1", "GRASSROOTS_DB_PREPARE": "yes"})
    assert asked["OPTIONS"] == PREPARED
    sqlite = parse_database_url("", var_dir=tmp_path)
    assert apply_pooling(sqlite, {"GRASSROOTS_DB_POOL": "8"}) == sqlite


@pytest.mark.parametrize("raw", ["0", "-1", "many"])
def test_a_bad_pool_size_names_its_variable(raw):
    with pytest.raises(ImproperlyConfigured, match=r"^GRASSROOTS_DB_POOL: "):
        pooling_options({"GRASSROOTS_DB_POOL": raw})


def test_a_bad_flag_names_its_variable():
    with pytest.raises(ImproperlyConfigured, match=r"^GRASSROOTS_DB_PREPARE: 'maybe'"):
        pooling_options({"GRASSROOTS_DB_PREPARE": "maybe"})


@pytest.mark.parametrize(
    ("name", "routed"),
    [
        ("dashboard:home", True),
        ("dashboard:export", True),
        ("cases:queue", True),
        ("ledger:export-households", True),
        ("cases:case", False),  # a case's own page acts on it: the primary
        ("scorecard:area", True),
        ("api:cases", True),  # the API's case list and search (GET only: see below)
        ("api:dashboard-metrics", True),
        ("api:case", False),
        ("api:token", False),
        ("login", False),
        (None, False),
    ],
)
def test_which_views_may_read_from_the_replica(name, routed):
    assert routing.view_is_read_routable(name) is routed


def test_the_router_sends_only_routable_reads_outside_transactions_to_the_replica(monkeypatch):
    router = routing.ReplicaRouter()
    assert router.db_for_read(Case) is None  # no read-routed request: Django's default
    token = routing.READ_ALIAS.set(routing.REPLICA)
    try:
        assert router.db_for_read(Case) == routing.REPLICA
        assert router.db_for_read(Household) == routing.REPLICA
        assert router.db_for_read(User) == routing.PRIMARY  # who may do what: never stale
        # inside a transaction on the primary, reads belong to it
        monkeypatch.setattr(connections["default"], "in_atomic_block", True)
        assert router.db_for_read(Case) == routing.PRIMARY
        assert router.db_for_write(Case) == routing.PRIMARY
    finally:
        routing.READ_ALIAS.reset(token)
    assert router.allow_migrate("default", "cases") and not router.allow_migrate("replica", "cases")


def test_without_a_replica_nothing_is_routed(rf: RequestFactory):
    assert not routing.replica_configured()
    assert routing.choose_read_alias(rf.get("/dashboard/"), "dashboard:home") is None


def test_the_sticky_stamp_is_capped_and_bad_values_ignored(rf: RequestFactory, settings):
    settings.REPLICA_STICKY_SECONDS = 15
    request = rf.get("/cases/")
    request.COOKIES[routing.STICKY_COOKIE] = str(time.time() + 10_000)
    assert routing.sticky_until(request) <= time.time() + 15
    request.COOKIES[routing.STICKY_COOKIE] = "soon"
    assert routing.sticky_until(request) == 0.0


def test_a_replica_configured_routes_only_safe_unstamped_reads(rf, settings, monkeypatch):
    monkeypatch.setattr(routing, "replica_configured", lambda: True)
    monkeypatch.setattr(
        routing, "health", lambda: routing.Health(False, time.time(), None, None, "down")
    )
    # a down replica: the primary
    assert routing.choose_read_alias(rf.get("/cases/"), "cases:queue") is None
    assert routing.choose_read_alias(rf.post("/cases/"), "cases:queue") is None


@pytest.mark.django_db
def test_an_api_writer_reads_its_own_writes_by_its_authorization_header(rf, settings):
    settings.REPLICA_STICKY_SECONDS = 15
    mine, other = "Token abc", "Token xyz"
    assert not routing.wrote_lately(rf.get("/api/v1/cases/", HTTP_AUTHORIZATION=mine))
    routing.stamp_writer(rf.post("/api/v1/cases/", HTTP_AUTHORIZATION=mine), 15)
    assert routing.wrote_lately(rf.get("/api/v1/cases/", HTTP_AUTHORIZATION=mine))
    assert not routing.wrote_lately(rf.get("/api/v1/cases/", HTTP_AUTHORIZATION=other))
    assert not routing.wrote_lately(rf.get("/api/v1/cases/"))  # no header, no cookie
    routing.stamp_writer(rf.post("/cases/desk/"), 15)  # a browser's write: its cookie says so


def test_the_checks_want_the_sticky_window_to_cover_the_lag_bound(settings, monkeypatch):
    from grassroots.db.checks import replica_settings

    assert replica_settings() == []  # no replica: nothing to check
    monkeypatch.setattr("grassroots.db.checks.replica_configured", lambda: True)
    settings.REPLICA_MAX_LAG_SECONDS, settings.REPLICA_STICKY_SECONDS = 10, 15
    assert replica_settings() == []
    settings.REPLICA_STICKY_SECONDS = 5
    assert [m.id for m in replica_settings()] == ["grassroots.W201"]
    settings.REPLICA_MAX_LAG_SECONDS = 0
    assert [m.id for m in replica_settings()] == ["grassroots.E202"]
