"""Journey: a grid worker on a 390 px phone, without a signal, logs two home visits; when the
network returns the outbox sends each, and the server has each exactly once (issue 14)."""

import pytest
from playwright.sync_api import expect

from grassroots.people import services as people
from grassroots.visits import services
from grassroots.visits.models import Visit
from tests.browser.conftest import kept, no_horizontal_scroll, sign_in, wait_until
from tests.conftest import person_id

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_visits_logged_offline_reach_the_server_once_each(phone, world, registry):
    # given two households of the worker's grid due a visit, and the worker's pages kept
    services.plan_rule_set(actor=None, area=world.county, tag="", interval_days=30)
    dwelling = people.dwelling_create(actor=None, area=world.grid3a, address="石楼小镇1号楼2单元")
    second = people.household_create(actor=None, number="H004", dwelling=dwelling)
    people.resident_register(
        actor=None, household=second, name="刘桂兰", id_number=person_id(77), relation="head"
    )
    sign_in(phone, "gridworker")
    phone.goto("/visits/")
    wait_until(phone, "() => navigator.serviceWorker && navigator.serviceWorker.controller")
    phone.reload()  # now under the service worker: the due list and its households' forms kept
    for pk in (registry.home_a.pk, second.pk):
        wait_until(phone, kept(f"/visits/new/?household={pk}"))
    waiting = phone.locator("[data-offline-outbox-list] li")

    # when the signal goes, the due list and each form still open, and take two visits
    phone.context.set_offline(True)
    for number in ("H001", "H004"):
        phone.goto("/visits/")
        phone.locator("a.due", has_text=number).click()
        expect(phone.get_by_role("heading", name=f"入户走访 · {number}")).to_be_visible()
        phone.get_by_role("button", name="一切正常，保存").click()
        expect(phone.get_by_text("已保存到待发送，网络恢复后自动上报")).to_be_visible()
        no_horizontal_scroll(phone)
    expect(waiting).to_have_count(2)
    assert Visit.objects.count() == 0

    # then, back online, the outbox sends both and empties; each visit is there once, all well
    phone.context.set_offline(False)
    expect(waiting).to_have_count(0, timeout=30_000)
    visits = Visit.objects.order_by("household__number")
    assert [v.household.number for v in visits] == ["H001", "H004"]
    assert all(v.all_well for v in visits)
