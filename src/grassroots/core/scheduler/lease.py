"""The scheduler's lease: at most one holder per database at any moment, on SQLite and PostgreSQL.

Taking and renewing are the same single UPDATE::

    UPDATE core_schedulerlease SET holder = me, expires_at = now + ttl, heartbeat_at = now, ...
     WHERE name = 'default' AND (holder = me OR expires_at <= now)

The database evaluates the condition and writes the row atomically (PostgreSQL re-checks it
after waiting for a concurrent writer of the row; SQLite has one writer at a time), so of any
number of schedulers ticking at once exactly one sees a row count of 1. A holder that stops
renewing loses the lease `ttl` seconds after its last tick; a holder that stops cleanly gives
it up at once (`lease_release`). Times come from the callers' clocks: keep servers on NTP (a
skew of a few seconds against a TTL of 45 s is harmless).
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When

from grassroots.core.scheduler.models import SchedulerLease

LEASE = "default"


def _take_or_renew(*, name: str, holder: str, now: datetime.datetime, seconds: int) -> bool:
    count = (
        SchedulerLease.objects.filter(name=name)
        .filter(Q(holder=holder) | Q(expires_at__lte=now))
        .update(
            holder=holder,
            expires_at=now + datetime.timedelta(seconds=seconds),
            heartbeat_at=now,
            acquired_at=Case(When(holder=holder, then=F("acquired_at")), default=Value(now)),
        )
    )
    return count == 1


def lease_hold(*, holder: str, now: datetime.datetime, seconds: int, name: str = LEASE) -> bool:
    """Take the lease if it is free or expired, or renew it if `holder` has it; True if held.

    Holding it records `now` as the heartbeat. Creates the lease row the first time.
    """
    if _take_or_renew(name=name, holder=holder, now=now, seconds=seconds):
        return True
    if SchedulerLease.objects.filter(name=name).exists():
        return False
    try:
        with transaction.atomic():
            SchedulerLease.objects.create(name=name, holder="", expires_at=now)
    except IntegrityError:  # another scheduler created it first: the UPDATE decides
        pass
    return _take_or_renew(name=name, holder=holder, now=now, seconds=seconds)


def lease_release(*, holder: str, now: datetime.datetime, name: str = LEASE) -> None:
    """Give the lease up at once if `holder` has it, so a standby takes over on its next tick."""
    SchedulerLease.objects.filter(name=name, holder=holder).update(expires_at=now)
