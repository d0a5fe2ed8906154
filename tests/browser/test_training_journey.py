"""Journey: a township officer on a phone calls the roll of the township's session, and the
training page then shows the secretary covered."""

import pytest
from playwright.sync_api import expect

from grassroots.training import services
from tests.browser.conftest import no_horizontal_scroll, sign_in
from tests.conftest import build_registry
from tests.training_support import scene, session

pytestmark = pytest.mark.django_db(transaction=True)


def test_township_calls_the_roll_and_the_secretary_is_covered(phone, world):
    # given 灵泉镇's session for its two committees, 胡家峪村's secretary and a member enrolled
    reg = build_registry(world)
    sc = scene(world, reg)
    s = session(world, area=world.lingquan, target="two_committees", hours=8)
    services.enrol_target_group(actor=None, session=s)
    sign_in(phone, "township")

    # when the officer opens the training page: the secretary is not yet covered
    phone.goto("/training/")
    expect(
        phone.locator(f"[data-not-covered] [data-cadre='{sc.hjy_secretary.pk}']")
    ).to_be_visible()
    no_horizontal_scroll(phone)

    # and calls the roll: the secretary present, the member on leave
    phone.get_by_role("link", name=s.title).first.click()
    phone.locator(f"select[name='status-{reg.father.pk}']").select_option("present")
    phone.locator(f"select[name='status-{reg.mother.pk}']").select_option("leave")
    no_horizontal_scroll(phone)
    phone.get_by_role("button", name="保存考勤").click()
    expect(phone.get_by_text("已记录考勤 2 人")).to_be_visible()

    # then the training page lists no secretary left to train
    phone.goto("/training/")
    expect(phone.get_by_text("书记已全部培训")).to_be_visible()
