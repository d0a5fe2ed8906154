"""Races in real transactions: several jobs, each in its own thread and database connection.

Each job reads what it needs, calls `ready()` (a barrier: nobody writes before everyone has
read, as people with the same form open), then writes through a service. Used by the tests
that show a service loses no update (tests need `django_db(transaction=True)`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from django.db import connections

Job = Callable[[Callable[[], None]], object]


def at_once(jobs: Sequence[Job]) -> list[str]:
    """Run `jobs` together; their outcomes ("ok" or "error:<type>:<message>"), as they end."""
    barrier = threading.Barrier(len(jobs))
    results: list[str] = []
    lock = threading.Lock()

    def ready() -> None:
        barrier.wait(timeout=10)

    def run(job: Job) -> None:
        try:
            job(ready)
            outcome = "ok"
        except Exception as exc:  # a database that cannot serialise would show here
            outcome = f"error:{type(exc).__name__}:{exc}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
