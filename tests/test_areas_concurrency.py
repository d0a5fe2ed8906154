"""Concurrent writes to one area, in real transactions: `area_update` loses no update."""

import threading
from typing import Any

import pytest
from django.db import connections

from grassroots.areas import services
from grassroots.areas.models import Area
from grassroots.core.models import AuditEvent, User


def race(*, pk: int, actor_pk: int, changes: list[dict[str, Any]]) -> list[str]:
    """Each change in its own thread and transaction, all released at once; their outcomes.

    Every editor reads the area before any writes, as two people with the same form open do.
    """
    copies = [Area.objects.get(pk=pk) for _ in changes]
    barrier = threading.Barrier(len(changes))
    results: list[str] = []
    lock = threading.Lock()

    def update(area: Area, change: dict[str, Any]) -> None:
        try:
            actor = User.objects.get(pk=actor_pk)
            barrier.wait(timeout=10)
            services.area_update(actor=actor, area=area, **change)
            outcome = "ok"
        except Exception as exc:  # a database that cannot serialise would show here
            outcome = f"error:{type(exc).__name__}:{exc}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [
        threading.Thread(target=update, args=pair) for pair in zip(copies, changes, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_updates_of_different_fields_both_survive(world):
    admin = User.objects.get(username="admin")
    pk = world.xiaozhen.pk
    rounds = 3
    for n in range(rounds):
        # given two editors of one area; when one renames it as the other moves its centre
        name, centre = f"石楼小镇社区{n}", (110.801 + n / 1000, 37.004)
        results = race(pk=pk, actor_pk=admin.pk, changes=[{"name": name}, {"centre": centre}])
        # then both changes are kept
        assert results == ["ok", "ok"], results
        saved = Area.objects.get(pk=pk)
        assert saved.name == name
        assert (saved.centre_lon, saved.centre_lat) == centre
    assert AuditEvent.objects.filter(action="area.update", object_id=str(pk)).count() == 2 * rounds
