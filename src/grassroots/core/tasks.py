"""An in-process task backend for django_tasks: each task runs in its own daemon thread.

`ThreadBackend` behaves like django_tasks' ImmediateBackend (same result bookkeeping, same
signals), except that the task starts in a new daemon thread once the enqueuing transaction has
committed (at once outside a transaction), so a request returns while the task runs and the task
sees the rows the request wrote. The thread closes its database connections when it ends.

It suits a single server process. A task dies with its process (a restart breaks it off; import
jobs notice and say so). For production use django_tasks_db's DatabaseBackend and run
``grassroots db_worker``::

    INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
"""

from __future__ import annotations

import threading
from typing import Any, TypeVar

from django.db import connections, transaction
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id
from typing_extensions import ParamSpec

T = TypeVar("T")
P = ParamSpec("P")


class ThreadBackend(ImmediateBackend):
    """Runs each enqueued task in a daemon thread after the current transaction commits."""

    def enqueue(self, task: Task[P, T], args: Any, kwargs: Any) -> TaskResult[T]:
        self.validate_task(task)
        result: TaskResult[T] = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        thread = threading.Thread(
            target=self._run, args=(result,), name=f"task-{result.id}", daemon=True
        )
        transaction.on_commit(thread.start)
        return result

    def _run(self, result: TaskResult[Any]) -> None:
        try:
            self._execute_task(result)
        finally:
            connections.close_all()
