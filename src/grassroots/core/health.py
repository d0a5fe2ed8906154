"""The checks behind `/health/`: what an operator's monitor needs, and nothing personal.

Each check answers ok or not with a few numbers (ages in seconds, counts), never a name, an
address or a host: `/health/` needs no login.

- database: a ``SELECT 1`` answers (if not, the other checks are skipped: they need it).
- migrations: no migration of the running code is left unapplied.
- scheduler: the scheduler's last heartbeat is at most ``SCHEDULER_STALE_SECONDS`` (5 minutes)
  old (`scheduler_status`).
- tasks: no queued background task has waited longer than ``TASK_BACKLOG_SECONDS`` (the
  database queue of django_tasks_db, which ``grassroots db_worker`` empties).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Q
from django.utils import timezone

from grassroots.core.scheduler.selectors import scheduler_status


@dataclass(frozen=True)
class Check:
    """One check's verdict and the facts behind it (numbers and booleans only)."""

    name: str
    ok: bool
    facts: dict[str, Any] = field(default_factory=dict)


def check_database(now: datetime.datetime) -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return Check("database", False)
    return Check("database", True)


def check_migrations(now: datetime.datetime) -> Check:
    # Every migration of the graph, not only a plan to the leaves: Django's plan skips an
    # unapplied migration whose dependants are recorded as applied.
    loader = MigrationExecutor(connection).loader
    unapplied = [n for n in loader.graph.nodes if n not in loader.applied_migrations]
    return Check("migrations", not unapplied, {"unapplied": len(unapplied)})


def check_scheduler(now: datetime.datetime) -> Check:
    status = scheduler_status(now=now)
    return Check(
        "scheduler",
        not status.stale,
        {
            "last_heartbeat": status.last_heartbeat.isoformat() if status.last_heartbeat else None,
            "age_seconds": status.age_seconds,
            "stale_after_seconds": status.stale_after,
        },
    )


def check_tasks(now: datetime.datetime) -> Check:
    limit = settings.TASK_BACKLOG_SECONDS
    if not apps.is_installed("django_tasks_db"):
        return Check("tasks", True, {"waiting": 0, "limit_seconds": limit})
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    # A task waits from its enqueueing, or from the time it asked to run after.
    cutoff = now - datetime.timedelta(seconds=limit)
    never = get_date_max()
    counts = DBTaskResult.objects.filter(status=TaskResultStatus.READY).aggregate(
        waiting=Count("id", filter=Q(run_after=never) | Q(run_after__lte=now)),
        late=Count(
            "id", filter=Q(run_after=never, enqueued_at__lt=cutoff) | Q(run_after__lt=cutoff)
        ),
    )
    return Check(
        "tasks",
        counts["late"] == 0,
        {"waiting": counts["waiting"], "late": counts["late"], "limit_seconds": limit},
    )


CHECKS: tuple[Callable[[datetime.datetime], Check], ...] = (
    check_migrations,
    check_scheduler,
    check_tasks,
)


def health_report(*, now: datetime.datetime | None = None) -> list[Check]:
    """Every check, the database first; a check that cannot reach the database fails."""
    now = now or timezone.now()
    database = check_database(now)
    if not database.ok:
        return [database] + [Check(c.__name__.removeprefix("check_"), False) for c in CHECKS]
    results = [database]
    for check in CHECKS:
        try:
            results.append(check(now))
        except DatabaseError:
            results.append(Check(check.__name__.removeprefix("check_"), False))
    return results
