"""Journey: a grid worker on a 390 px phone screens a dispute and records its settlement."""

import pytest
from playwright.sync_api import expect

from grassroots.disputes.models import Dispute
from tests.browser.conftest import no_horizontal_scroll, shot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_grid_worker_screens_and_settles_a_dispute_on_a_phone(phone, world):
    # given the grid worker signed in on a phone
    sign_in(phone, "gridworker")

    # when they screen a neighbours' dispute with two parties
    phone.goto("/disputes/new/")
    no_horizontal_scroll(phone)
    phone.get_by_label("纠纷概要").fill("楼上漏水，两家争执")
    phone.locator("[name=party-0-name]").fill("甲方")
    phone.locator("[name=party-0-phone]").fill("13600001111")
    phone.locator("[name=party-1-name]").fill("乙方")
    shot(phone, "dispute-screen-phone")
    phone.get_by_role("button", name="登记").click()

    # then the dispute page shows it, the phone masked, and fits the phone
    dispute = Dispute.objects.get()
    expect(phone.get_by_text(dispute.number).first).to_be_visible()
    expect(phone.get_by_text("136****1111")).to_be_visible()
    no_horizontal_scroll(phone)

    # when they record a settled session with its agreement
    phone.get_by_role("link", name="记录调解").click()
    expect(phone.get_by_role("radio", name="调解成功")).to_be_visible()
    no_horizontal_scroll(phone)
    phone.get_by_role("radio", name="调解成功").check()
    phone.locator("[name=mediator-0-name]").fill("老张")
    phone.locator("[name=mediator-0-kind]").select_option("sage")
    phone.get_by_label("调解协议内容（调解成功必填）").fill("乙方修好水管并赔偿 300 元")
    shot(phone, "dispute-mediate-phone")
    phone.get_by_role("button", name="保存").click()

    # then it is settled at the grid, with a follow-up due, and the page fits the phone
    expect(phone.get_by_text("乙方修好水管并赔偿 300 元")).to_be_visible()
    no_horizontal_scroll(phone)
    dispute.refresh_from_db()
    assert dispute.state == "settled" and dispute.settled_level == "grid"
    assert dispute.follow_ups.count() == 1

    # and the list fits the phone too
    phone.goto("/disputes/")
    expect(phone.get_by_text(dispute.number).first).to_be_visible()
    no_horizontal_scroll(phone)


def test_every_dispute_page_fits_a_phone_element_by_element(phone, world):
    from grassroots.disputes import services
    from tests.browser.test_phone_pages import _fits
    from tests.disputes_support import screen, session

    d = screen(world.users["gridworker"], world.grid3a, risk="red")
    services.mediation_record(dispute_id=d.pk, actor=world.users["gridworker"], session=session())
    sign_in(phone, "gridworker")
    for url in ("/disputes/", f"/disputes/{d.pk}/", "/disputes/new/", "/disputes/figures/"):
        _fits(phone, url)
    other = screen(world.users["gridworker"], world.grid3a)
    _fits(phone, f"/disputes/{other.pk}/mediate/")
