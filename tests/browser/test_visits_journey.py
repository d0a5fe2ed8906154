"""Journey: a grid worker on a 390 px phone logs a routine "all well" home visit in ≤ 6 taps
from the home page, starting from their own due list (issue 14)."""

import pytest
from playwright.sync_api import expect

from grassroots.visits import services
from grassroots.visits.models import Visit
from tests.browser.conftest import no_horizontal_scroll, shot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

MAX_TAPS = 6


def test_all_well_visit_in_six_taps_on_a_phone(phone, world, registry):
    # given the plan (a transactional test's flush empties the seeded defaults: set them again)
    services.plan_rule_set(actor=None, area=world.county, tag="disabled", interval_days=30)
    services.plan_rule_set(actor=None, area=world.county, tag="", interval_days=365)
    sign_in(phone, "gridworker")
    phone.goto("/")
    taps = 0

    def tap(locator):
        nonlocal taps
        taps += 1
        locator.click()

    # when the worker opens the menu, their due list, the household, and taps "all well"
    tap(phone.get_by_text("菜单"))
    tap(phone.get_by_role("link", name="入户走访"))
    expect(phone.get_by_role("heading", name="待走访")).to_be_visible()
    no_horizontal_scroll(phone)
    shot(phone, "visits-due-phone")
    tap(phone.locator("a.due", has_text="H001"))
    expect(phone.get_by_role("heading", name="入户走访 · H001")).to_be_visible()
    expect(phone.get_by_role("checkbox", name="王建国")).to_be_checked()
    no_horizontal_scroll(phone)
    shot(phone, "visits-form-phone")
    tap(phone.get_by_role("button", name="一切正常，保存"))

    # then the visit is saved, the worker is back on the due list, and it took ≤ 6 taps
    expect(phone.get_by_text("已记录 H001 的走访")).to_be_visible()
    no_horizontal_scroll(phone)
    visit = Visit.objects.get()
    assert visit.all_well and visit.household == registry.home_a
    assert [m.name for m in visit.met.all()] == ["王建国"]
    assert taps <= MAX_TAPS, f"{taps} taps"
