"""Concurrent writes to one area, in real transactions: `area_update` loses no update."""

from collections.abc import Callable
from typing import Any

import pytest

from grassroots.areas import services
from grassroots.areas.models import Area
from grassroots.core.models import AuditEvent, User
from tests.concurrency import Job, at_once


def race(*, pk: int, actor_pk: int, changes: list[dict[str, Any]]) -> list[str]:
    """Each change in its own thread and transaction, all released at once; their outcomes.

    Every editor reads the area before any writes, as two people with the same form open do.
    """
    copies = [Area.objects.get(pk=pk) for _ in changes]

    def editor(area: Area, change: dict[str, Any]) -> Job:
        def job(ready: Callable[[], None]) -> None:
            actor = User.objects.get(pk=actor_pk)
            ready()
            services.area_update(actor=actor, area=area, **change)

        return job

    return at_once([editor(a, c) for a, c in zip(copies, changes, strict=True)])


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
