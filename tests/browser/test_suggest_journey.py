"""Journey: the operator types the caller's own words, the desk suggests matters with the words
that drove them, one click picks one, and the call is registered with that matter."""

import pytest
from playwright.sync_api import expect

from grassroots.cases import services as case_services
from grassroots.cases.models import Case
from grassroots.cases.suggest import store, training
from tests.browser.conftest import shot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

HISTORY = [
    ("M001", "小区门口的灯坏了，黑咕隆咚"),
    ("M001", "楼下路灯不亮好几天"),
    ("M002", "想给家里老人交养老保险"),
    ("M003", "两家人为院墙吵起来了"),
]


def test_one_click_on_a_suggestion_picks_the_matter(desktop, world, catalogue):
    # given the county's model, trained on a few closed cases
    for code, text in HISTORY:
        case_services.case_intake(
            actor=None,
            intake=case_services.Intake(
                matter=code,
                channel="hotline",
                description=text,
                area=world.grid3a.pk,
                answer="已答复",
            ),
        )
    store.save(training.train_county())
    # when the operator types what the caller says
    sign_in(desktop, "hotline")
    desktop.goto("/cases/desk/")
    desktop.get_by_label("诉求内容").fill("我们单元门口的灯不亮了，晚上黑咕隆咚的")
    # then the suggestions show, best first, with the words that drove them
    first = desktop.locator("[data-suggest]").first
    expect(first).to_contain_text("路灯不亮")
    expect(first).to_contain_text("依据")
    shot(desktop, "hotline-suggest")
    # when one is clicked, it is the chosen matter and the route follows
    first.click()
    expect(desktop.get_by_role("radio", name="路灯不亮")).to_be_checked()
    desktop.get_by_role("button", name="登记并派单").click()
    expect(desktop.get_by_text("晚上黑咕隆咚的").first).to_be_visible()
    # then the call is registered with the picked matter
    assert Case.objects.get(description__contains="单元门口").matter.code == "M001"
