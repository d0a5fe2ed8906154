"""Concurrent changes of one resident, in real transactions: neither is lost (SECURITY.md 19)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from grassroots.core.models import AuditEvent, User
from grassroots.people import services
from grassroots.people.models import Resident
from tests.concurrency import Job, at_once
from tests.conftest import person_id


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_updates_of_different_fields_both_land(world, builtin_tags):
    # given: one resident, and two secretaries' sessions holding the same stale copy of it
    dwelling = services.dwelling_create(actor=None, area=world.grid3a, address="并发路1号")
    household = services.household_create(actor=None, number="R-1", dwelling=dwelling)
    resident = services.resident_register(
        actor=None, household=household, name="王并发", id_number=person_id(41), relation="head"
    )
    changes = [{"occupation": "木匠"}, {"phone": "13700001111"}, {"notes": "新迁入"}]

    def secretary(change: dict[str, str]) -> Job:
        def job(ready: Callable[[], None]) -> None:
            actor = User.objects.get(username="community")
            stale = Resident.objects.get(pk=resident.pk)
            ready()
            services.resident_update(actor=actor, resident=stale, changes=change)

        return job

    # when
    results = at_once([secretary(c) for c in changes])
    # then: every change is in the row, and each left its own change row
    assert results == ["ok"] * len(changes), results
    after = Resident.objects.get(pk=resident.pk)
    assert after.occupation == "木匠"
    assert after.phone_masked == "137****1111"
    assert after.notes == "新迁入"
    assert after.name == "王并发"
    assert (
        AuditEvent.objects.filter(action="resident.update", object_id=str(resident.pk)).count() == 3
    )
