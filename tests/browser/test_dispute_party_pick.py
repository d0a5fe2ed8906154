"""Journey: a grid worker on a phone picks a dispute's party from the registry by searching for
the name, sees them masked as the registry shows them, and records the dispute with them."""

import pytest
from playwright.sync_api import expect

from grassroots.disputes.models import Dispute
from tests.browser.conftest import no_horizontal_scroll, shot, sign_in
from tests.conftest import build_registry, person_id

pytestmark = pytest.mark.django_db(transaction=True)


def test_grid_worker_picks_a_registry_resident_as_a_party(phone, world):
    registry = build_registry(world)
    sign_in(phone, "gridworker")
    phone.goto("/disputes/new/")

    # when they search the registry for 王建国 and pick him as the first party
    phone.get_by_label("从台账查找当事人（姓名或户编号）").fill("王建")
    result = phone.locator(f"#resident-results li[data-resident='{registry.father.pk}']")
    expect(result).to_contain_text("王建国")
    expect(result).to_contain_text(registry.father.id_number_masked)
    expect(phone.locator("#resident-results")).not_to_contain_text("赵大爷")
    result.get_by_role("link", name="选为当事人 1").click()

    # then the first party row holds him, masked, and the page fits the phone
    chosen = phone.locator("#party-0 .chosen-resident")
    expect(chosen).to_contain_text("王建国")
    expect(chosen).to_contain_text("H001")
    expect(phone.locator("#party-0 [name=party-0-name]")).to_have_count(0)
    assert person_id(11) not in phone.content()
    no_horizontal_scroll(phone)
    shot(phone, "dispute-party-pick-phone")

    # when they describe the dispute, name the other side and record it
    phone.get_by_label("纠纷概要").fill("楼道堆放杂物，邻里争执")
    phone.locator("[name=party-1-name]").fill("乙方")
    phone.get_by_role("button", name="登记").click()

    # then the dispute's applicant is the registry's 王建国
    dispute = Dispute.objects.get()
    expect(phone.get_by_text(dispute.number).first).to_be_visible()
    expect(phone.get_by_text("王建国").first).to_be_visible()
    assert dispute.parties.get(role="applicant").resident_id == registry.father.pk
