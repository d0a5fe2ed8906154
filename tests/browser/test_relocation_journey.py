"""Journey: the grid worker on a 390 px phone works a relocated household's entitlement list."""

import importlib

import pytest
from playwright.sync_api import expect

from grassroots.relocation.models import EntitlementItem
from tests.browser.conftest import no_horizontal_scroll, shot, sign_in
from tests.conftest import build_registry
from tests.relocation_support import relocate

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalogue_seeded(transactional_db) -> None:
    """The default catalogue, again: a transactional test's flush empties what migrations seed."""
    seeded = importlib.import_module("grassroots.relocation.migrations.0002_default_catalogue")
    from django.apps import apps

    seeded.create(apps, None)


def test_grid_worker_moves_an_item_and_fulfils_it_on_a_phone(phone, world, catalogue_seeded):
    # given a relocated household of the grid worker's micro grid
    reg = build_registry(world)
    home = relocate(world, reg.home_a)
    item = EntitlementItem.objects.filter(relocated=home).order_by("pk").first()
    sign_in(phone, "gridworker")

    # when they open its list on a phone
    phone.goto(f"/relocation/households/{home.pk}/")
    expect(phone.get_by_text("有人管")).to_be_visible()
    no_horizontal_scroll(phone)
    row = phone.locator(f"tr[data-item='{item.pk}']")

    # and record that work started, then try to fulfil it without evidence
    row.locator("select[name=action]").select_option("start")
    row.locator("input[name=note]").fill("已联系医保站")
    row.get_by_role("button", name="提交").click()
    expect(phone.locator(f"tr[data-item='{item.pk}']")).to_have_attribute(
        "data-state", "in_progress"
    )
    row = phone.locator(f"tr[data-item='{item.pk}']")
    row.locator("select[name=action]").select_option("fulfil")
    row.get_by_role("button", name="提交").click()
    expect(phone.get_by_role("alert")).to_contain_text("佐证")

    # then with the evidence it is fulfilled
    row = phone.locator(f"tr[data-item='{item.pk}']")
    row.locator("select[name=action]").select_option("fulfil")
    row.locator("input[name=evidence]").fill("参保凭证 2026-001")
    shot(phone, "relocation-household-phone")
    row.get_by_role("button", name="提交").click()
    expect(phone.locator(f"tr[data-item='{item.pk}']")).to_have_attribute("data-state", "fulfilled")
    no_horizontal_scroll(phone)
    item.refresh_from_db()
    assert item.state == "fulfilled" and item.evidence == "参保凭证 2026-001"
