"""Reads to a PostgreSQL streaming replica, everything else to the primary (docs/deploy.md).

When ``DATABASE_REPLICA_URL`` configures the ``replica`` alias, a request is *read-routed* if
all of these hold (decided once, at the start of the view, by `ReplicaMiddleware`):

- its method is GET or HEAD and its view is one of `READ_VIEWS` (dashboards, scorecards,
  exports, lists, searches);
- the client has not written within ``GRASSROOTS_REPLICA_STICKY_SECONDS`` (read-your-writes:
  every unsafe request stamps the ``STICKY_COOKIE`` cookie with the time until which that
  browser reads from the primary, and an API client's Authorization header in the shared
  throttle store: `wrote_lately`);
- the replica is up and its lag is at most ``GRASSROOTS_REPLICA_MAX_LAG_SECONDS`` (`health`,
  measured at most every ``GRASSROOTS_REPLICA_CHECK_SECONDS`` per process and cached).

Within a read-routed request, `ReplicaRouter` sends reads of the models outside
`PRIMARY_APPS` to the replica, unless the primary connection is inside a transaction (a read in
``atomic()`` belongs to that transaction). Writes always go to the primary. Accounts, sessions,
tokens, throttles, the audit log, the scheduler and the task queue are always read from the
primary: they decide who may do what, and a lagging copy must not decide that.

A replica that is down, or lags beyond the bound, is skipped with a logged warning, and the
request reads from the primary. A page read from the replica says "数据截至 HH:MM:SS" (the
moment up to which the replica is known to hold every commit; `grassroots.db.context`), and
every response read from it carries that moment in ``X-Data-As-Of``.
"""

from __future__ import annotations

import contextvars
import datetime
import fnmatch
import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
PRIMARY = "default"
STICKY_COOKIE = "gr_primary_until"

# Views (``namespace:name``, shell-style patterns) whose GET/HEAD may read from the replica.
READ_VIEWS: tuple[str, ...] = (
    "dashboard:*",
    "cases:queue",
    "cases:overdue",
    "cases:supervised",
    "cases:figures",
    "people:search",
    "people:households",
    "ledger:export-residents",
    "ledger:export-households",
    "visits:due",
    "visits:log",
    "visits:coverage",
    "disputes:list",
    "disputes:figures",
    "scorecard:home",
    "scorecard:area",
    "scorecard:rows",
    "scorecard:export",
    # the API's lists, searches and figures (a token client reads its own writes: see
    # `wrote_lately`)
    "api:cases",
    "api:case-metrics",
    "api:dashboard-metrics",
    "api:households",
    "api:residents",
    "api:visits",
    "api:visits-due",
    "api:disputes",
    "api:dispute-figures",
)
# Apps whose tables are always read from the primary (see the module docstring).
PRIMARY_APPS = frozenset(
    {"core", "sessions", "auth", "contenttypes", "django_tasks_db", "otp_totp", "admin"}
)

# The alias this request's routable reads use (None: the primary, the router stays out).
READ_ALIAS: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "grassroots_read_alias", default=None
)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def view_is_read_routable(view_name: str | None) -> bool:
    if not view_name:
        return False
    return any(fnmatch.fnmatchcase(view_name, pattern) for pattern in READ_VIEWS)


def current_read_alias() -> str | None:
    """The alias the current request reads from when it is read-routed; None otherwise."""
    return READ_ALIAS.get()


class ReplicaRouter:
    """Django database router: see the module docstring.

    Returns None (Django's default: the primary, or the alias an instance came from) whenever
    no read-routed request is in progress, so that a site without a replica behaves as before.
    """

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        alias = READ_ALIAS.get()
        if alias is None:
            return None
        if model._meta.app_label in PRIMARY_APPS:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return alias

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # Both aliases hold the same database.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


# ---- the replica's health: up, and how far behind --------------------------------------------


@dataclass(frozen=True)
class Health:
    """What the last check saw: whether reads may go to the replica, and as of when.

    `as_of`: every commit up to this moment is on the replica (None when it is not usable).
    `lag`: seconds between now and `as_of` at the check (None when down).
    """

    usable: bool
    checked: float
    as_of: datetime.datetime | None
    lag: float | None
    reason: str = ""


_lock = threading.Lock()
_health: Health | None = None


def reset_health() -> None:
    """Forget the cached health (tests; and after a failover the operator signals)."""
    global _health
    with _lock:
        _health = None


def _measure() -> Health:
    """Compare the replica's replayed WAL position with the primary's current one.

    Caught up (replayed ≥ the primary's position read just before): as of the moment that
    position was read. Behind: as of the replica's last replayed commit
    (``pg_last_xact_replay_timestamp``); the lag is now minus that.
    """
    now = time.time()
    max_lag = float(settings.REPLICA_MAX_LAG_SECONDS)
    try:
        with connections[PRIMARY].cursor() as cur:
            cur.execute("SELECT pg_current_wal_lsn(), clock_timestamp()")
            primary_lsn, primary_at = cur.fetchone()
    except DatabaseError as exc:
        # The primary is the primary's own problem; reads go there and fail there.
        return Health(False, now, None, None, f"primary position unknown ({type(exc).__name__})")
    try:
        with connections[REPLICA].cursor() as cur:
            cur.execute(
                "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn() >= %s::pg_lsn,"
                " pg_last_xact_replay_timestamp(), clock_timestamp()",
                [primary_lsn],
            )
            in_recovery, caught_up, replayed_at, replica_now = cur.fetchone()
    except DatabaseError as exc:
        connections[REPLICA].close()
        return Health(False, now, None, None, f"down ({type(exc).__name__}: {exc})".strip())
    if not in_recovery:
        # A promoted former replica, or a misconfigured URL: not a copy of this primary.
        return Health(False, now, None, None, "not in recovery (not a standby)")
    if caught_up:
        return Health(True, now, primary_at, 0.0)
    if replayed_at is None:
        return Health(False, now, None, None, "has replayed nothing yet")
    lag = max(0.0, (replica_now - replayed_at).total_seconds())
    if lag > max_lag:
        return Health(False, now, replayed_at, lag, f"lags {lag:.1f} s > {max_lag:g} s")
    return Health(True, now, replayed_at, lag)


def health(*, now: float | None = None) -> Health:
    """The replica's health, measured at most every ``REPLICA_CHECK_SECONDS`` per process."""
    global _health
    now = time.time() if now is None else now
    with _lock:
        cached = _health
        if cached is not None and now - cached.checked < float(settings.REPLICA_CHECK_SECONDS):
            return cached
        fresh = _measure()
        if not fresh.usable and (cached is None or cached.usable or cached.reason != fresh.reason):
            logger.warning("replica skipped, reads go to the primary: %s", fresh.reason)
        elif fresh.usable and cached is not None and not cached.usable:
            logger.warning("replica usable again (lag %.1f s)", fresh.lag or 0.0)
        _health = fresh
        return fresh


def mark_down(reason: str) -> None:
    """Record that the replica failed just now: skipped until the next check is due."""
    global _health
    with _lock:
        _health = Health(False, time.time(), None, None, reason)
    logger.warning("replica skipped, reads go to the primary: %s", reason)


def choose_read_alias(request: Any, view_name: str | None) -> str | None:
    """The alias a request's routable reads use (`REPLICA`), or None for the primary."""
    if not replica_configured():
        return None
    if request.method not in ("GET", "HEAD") or not view_is_read_routable(view_name):
        return None
    if wrote_lately(request):
        return None
    state = health()
    if not state.usable:
        return None
    # A persistent connection the replica dropped (restart, stop) is found here, before the
    # view runs: Django's health check pings it and reconnects, or fails at once.
    try:
        connections[REPLICA].ensure_connection()
        with connections[REPLICA].cursor() as cur:
            cur.execute("SELECT 1")
    except DatabaseError as exc:
        connections[REPLICA].close()
        mark_down(f"down ({type(exc).__name__})")
        return None
    # What the page says: the replica held every commit up to this moment when it was chosen.
    request.replica_as_of = state.as_of
    return REPLICA


def wrote_lately(request: Any) -> bool:
    """Whether this client wrote in the last ``REPLICA_STICKY_SECONDS``: a browser by its
    cookie (`sticky_until`), an API client by its Authorization header (`stamp_writer`)."""
    if sticky_until(request) > time.time():
        return True
    from grassroots.core import throttle  # an app's module: not imported with the router

    key = _writer_key(request)
    return key is not None and throttle.blocked_for(key) > 0


def stamp_writer(request: Any, seconds: float) -> None:
    """After an unsafe request with an Authorization header (an API token, which sends no
    cookie): its reads go to the primary for `seconds`, across every web server (the stamp is
    kept in the shared throttle store: Redis, else the database)."""
    from grassroots.core import throttle

    key = _writer_key(request)
    if key is not None:
        throttle.block(key, seconds)


def _writer_key(request: Any) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        return None
    return "replica-sticky:" + hashlib.sha256(header.encode("utf-8", "replace")).hexdigest()


def sticky_until(request: Any) -> float:
    """Until when (epoch seconds) this client reads from the primary after its own write."""
    raw = request.COOKIES.get(STICKY_COOKIE, "")
    try:
        value = float(raw)
    except ValueError:
        return 0.0
    # A cookie from the future beyond the configured window is not believed.
    return min(value, time.time() + float(settings.REPLICA_STICKY_SECONDS))
