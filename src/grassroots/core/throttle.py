"""Rate limits counted in a store every worker shares (issue 15, defect 3).

A limit is "at most `limit` hits per `window` seconds of one key" (a key names who is counted:
an Open311 key, an API token, a client address, a username). The window of a key opens at its
first hit and closes `window` seconds later; the next hit after that opens a new one. Each hit
is one atomic operation on the store, so N workers (processes, threads, machines) that hit the
same key at once are counted exactly: the first `limit` hits of a window pass, the others are
refused with the seconds until the window closes (`Retry-After`).

The store is the database by default (`ThrottleCounter`: one `INSERT … ON CONFLICT DO UPDATE …
RETURNING` per hit, no read-modify-write), or Redis when `GRASSROOTS_REDIS_URL` is set (one Lua
script per hit). Keys are hashed before they are stored: no address or username in the table.

Besides counting, a key can be *blocked* until a moment (`block`, `blocked_for`): the login's
progressive delay uses that.
"""

from __future__ import annotations

import hashlib
import logging
import math
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from django.conf import settings
from django.db import connection
from django.utils import timezone

from grassroots.core.models import ThrottleCounter

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Hit:
    """The outcome of one counted hit: the count in the current window and when it closes."""

    count: int
    limit: int
    # Seconds until the window closes (at least 1).
    reset_in: int

    @property
    def allowed(self) -> bool:
        return self.count <= self.limit


class Store(Protocol):
    def hit(self, key: str, window: int) -> tuple[int, float]: ...
    def block(self, key: str, seconds: float) -> None: ...
    def blocked_for(self, key: str) -> float: ...
    def clear(self, key: str) -> None: ...


def _now() -> float:
    return timezone.now().timestamp()


def _hashed(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class SentHit:
    """A database hit sent: `answer()` reads its count and the seconds its window has left."""

    def __init__(self, cursor: Any, now: float) -> None:
        self._cursor, self._now = cursor, now

    def answer(self) -> tuple[int, float] | None:
        try:
            row = self._cursor.fetchone()
        finally:
            self._cursor.close()
        if row is None:
            return None
        count, expires_at = row
        return int(count), float(expires_at) - self._now


class DatabaseStore:
    """Counters in `core_throttlecounter`, one atomic upsert per hit (SQLite ≥ 3.35, PostgreSQL)."""

    table = ThrottleCounter._meta.db_table

    def hit(self, key: str, window: int) -> tuple[int, float]:
        answer = self.send_hit(key, window, connection).answer()
        if answer is None:  # unconditional, the upsert always returns its row
            raise RuntimeError("rate-limit hit wrote no counter")
        return answer

    def send_hit(
        self, key: str, window: int, conn: Any, *, only_if: tuple[str, list[Any]] | None = None
    ) -> SentHit:
        """The hit's statement sent on `conn` (inside `db.pipelined` it travels with the
        others), answered by `SentHit.answer`. `only_if` (SQL, parameters): a condition the hit
        counts under; when it fails nothing is written and the answer is None."""
        now = _now()
        condition, extra = only_if or ("TRUE", [])
        # Every SET expression reads the row as it was before the update (SQL semantics on both
        # engines), so the count and the window's end are decided together, atomically.
        sql = (
            f"INSERT INTO {self.table} (bucket, hits, expires_at) "
            f"SELECT %s, 1, %s WHERE {condition} "
            "ON CONFLICT (bucket) DO UPDATE SET "
            f"hits = CASE WHEN {self.table}.expires_at > %s THEN {self.table}.hits + 1 ELSE 1 END, "
            f"expires_at = CASE WHEN {self.table}.expires_at > %s "
            f"THEN {self.table}.expires_at ELSE %s END "
            "RETURNING hits, expires_at"
        )
        cursor = conn.cursor()
        try:
            cursor.execute(sql, [_hashed(key), now + window, *extra, now, now, now + window])
        except Exception:
            cursor.close()
            raise
        return SentHit(cursor, now)

    def block(self, key: str, seconds: float) -> None:
        now = _now()
        sql = (
            f"INSERT INTO {self.table} (bucket, hits, expires_at) VALUES (%s, 1, %s) "  # noqa: S608
            "ON CONFLICT (bucket) DO UPDATE SET hits = 1, expires_at = "
            f"CASE WHEN {self.table}.expires_at > %s THEN {self.table}.expires_at ELSE %s END"
        )
        self._write(sql, [_hashed(key), now + seconds, now + seconds, now + seconds])

    @staticmethod
    def _write(sql: str, params: list[Any]) -> None:
        """Run one counting statement.

        On PostgreSQL the table is UNLOGGED (migration core 0007): the statement writes no WAL,
        so it never waits for a flush, and on its own it is one round trip. A counter lost in a
        crash costs a few requests' worth of limit; waiting for the disk would cost every request
        a flush.
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    def blocked_for(self, key: str) -> float:
        row = ThrottleCounter.objects.filter(bucket=_hashed(key)).values_list("expires_at").first()
        return max(0.0, row[0] - _now()) if row else 0.0

    def clear(self, key: str) -> None:
        ThrottleCounter.objects.filter(bucket=_hashed(key)).delete()

    def purge(self) -> int:
        """Delete the counters whose window closed; how many (the scheduler's `throttle-purge`)."""
        deleted, _d = ThrottleCounter.objects.filter(expires_at__lte=_now()).delete()
        return deleted


# INCR, setting the expiry on the window's first hit; answers the count and milliseconds left.
_HIT = """
local c = redis.call('INCR', KEYS[1])
if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {c, ttl}
"""
# Block until now + ARGV[1] ms unless already blocked for longer.
_BLOCK = """
local ttl = redis.call('PTTL', KEYS[1])
if ttl < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], 1, 'PX', ARGV[1]) end
return 1
"""


class RedisStore:
    """Counters in Redis (`GRASSROOTS_REDIS_URL`), one Lua script per hit.

    When Redis cannot be reached the call is answered by the database store instead (logged as
    a warning), so the limits keep holding — counted apart until Redis is back — rather than
    every request failing or every limit lapsing.
    """

    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self.client: Any = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.unreachable = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
        self.prefix = prefix
        self.fallback = DatabaseStore()
        self._hit = self.client.register_script(_HIT)
        self._block = self.client.register_script(_BLOCK)

    def _key(self, key: str) -> str:
        return f"{self.prefix}{_hashed(key)}"

    def _down(self, exc: Exception) -> None:
        logger.warning("rate-limit store unreachable, counting in the database: %s", type(exc))

    def hit(self, key: str, window: int) -> tuple[int, float]:
        try:
            count, ttl_ms = self._hit(keys=[self._key(key)], args=[int(window * 1000)])
        except self.unreachable as exc:
            self._down(exc)
            return self.fallback.hit(key, window)
        return int(count), int(ttl_ms) / 1000

    def block(self, key: str, seconds: float) -> None:
        try:
            self._block(keys=[self._key(key)], args=[max(1, int(seconds * 1000))])
        except self.unreachable as exc:
            self._down(exc)
            self.fallback.block(key, seconds)

    def blocked_for(self, key: str) -> float:
        try:
            ttl_ms = int(self.client.pttl(self._key(key)))
        except self.unreachable as exc:
            self._down(exc)
            return self.fallback.blocked_for(key)
        return ttl_ms / 1000 if ttl_ms > 0 else 0.0

    def clear(self, key: str) -> None:
        try:
            self.client.delete(self._key(key))
        except self.unreachable as exc:
            self._down(exc)
        self.fallback.clear(key)


@cache
def _store_for(url: str, prefix: str) -> Store:
    return RedisStore(url, prefix) if url else DatabaseStore()


def store() -> Store:
    """The configured store: Redis when `REDIS_URL` is set, else the database."""
    return _store_for(settings.REDIS_URL, settings.THROTTLE_KEY_PREFIX)


def hit(key: str, *, limit: int, window: int) -> Hit:
    """Count one hit of `key`; `Hit.allowed` is False beyond `limit` hits in the window."""
    count, left = store().hit(key, window)
    return counted(count, left, limit=limit, window=window)


def counted(count: int, left: float, *, limit: int, window: int) -> Hit:
    """The `Hit` of a store's answer (the count, the seconds left in the window)."""
    # A hit that waited for a lock read its clock before the window's first hit was written
    # by another worker: `left` can then exceed the window by the wait. Never more than it.
    return Hit(count=count, limit=limit, reset_in=min(window, max(1, math.ceil(left))))


def block(key: str, seconds: float) -> None:
    """Block `key` for `seconds` from now (a longer block already in place is kept)."""
    store().block(key, seconds)


def blocked_for(key: str) -> int:
    """Whole seconds `key` stays blocked (0: not blocked)."""
    return math.ceil(store().blocked_for(key))


def clear(key: str) -> None:
    """Forget `key`'s count or block."""
    store().clear(key)


def client_address(request: Any) -> str:
    """The address a request came from, as the audit records it (REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"
