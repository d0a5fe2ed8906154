"""Journey: a township officer on a phone opens a village's two committees, then its secretary's
file with how the year's score and stars were computed, then the village's pay sheet."""

import pytest
from playwright.sync_api import expect

from grassroots.cadres import services
from tests.browser.conftest import no_horizontal_scroll, sign_in
from tests.cadres_support import YEAR, cadre_with_terms, year_confirmed
from tests.conftest import build_registry

pytestmark = pytest.mark.django_db(transaction=True)


def test_township_reads_a_secretary_s_file_and_pay_sheet(phone, world):
    # given 石楼小镇社区's secretary, also its director (一肩挑), appraised and paid
    reg = build_registry(world)
    cadre = cadre_with_terms(reg.father, world.xiaozhen, "secretary", "director")
    year_confirmed(None, cadre)
    services.sheet_draw(actor=None, area=world.xiaozhen, year=YEAR, month=12)
    sign_in(phone, "township")

    # when the officer opens the cadres page and the community's two committees
    phone.goto("/cadres/")
    phone.get_by_role("link", name="石楼小镇社区").click()
    expect(phone.get_by_role("heading", name="石楼小镇社区两委班子")).to_be_visible()
    no_horizontal_scroll(phone)

    # then the secretary's file shows the year's score, its explanation and the stars
    phone.get_by_role("link", name=reg.father.name).click()
    expect(phone.get_by_text("89.88").first).to_be_visible()
    expect(phone.get_by_text("reviews.party_members")).to_be_visible()
    expect(phone.get_by_text("4★").first).to_be_visible()
    no_horizontal_scroll(phone)

    # and the pay line links to the sheet, whose total is the sum of its lines
    phone.get_by_role("link", name=f"{YEAR}-12").click()
    expect(phone.locator("[data-total]")).to_have_text("3500.00")
