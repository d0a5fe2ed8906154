"""Journey: a grid worker on a 390 px phone loses the signal, files two patrol reports, and the
outbox sends each exactly once when the network returns."""

import pytest
from playwright.sync_api import Page, expect

from grassroots.cases.models import Case
from tests.browser.conftest import kept, no_horizontal_scroll, sign_in, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def _file(phone: Page, text: str) -> None:
    phone.get_by_role("radio", name="路灯不亮").check()
    phone.get_by_label("问题描述").fill(text)
    phone.get_by_label("所在网格").select_option(label="微网格A")
    phone.get_by_role("button", name="上报").click()


def test_two_reports_filed_offline_reach_the_server_once_each(phone, world, catalogue):
    # given the grid worker signed in, with the report page kept by the service worker
    sign_in(phone, "gridworker")
    phone.goto("/cases/report/")
    wait_until(phone, "() => navigator.serviceWorker && navigator.serviceWorker.controller")
    wait_until(phone, kept("/cases/report/"))
    waiting = phone.locator("[data-offline-outbox-list] li")

    # when the signal goes, the page still opens (from the phone) and takes two reports
    phone.context.set_offline(True)
    phone.reload()
    expect(phone.get_by_role("heading", name="巡查上报")).to_be_visible()
    _file(phone, "地下车库入口积水，行人无法通过")
    expect(waiting).to_have_count(1)
    expect(phone.get_by_text("已保存到待发送，网络恢复后自动上报")).to_be_visible()
    _file(phone, "5号楼地下室照明损坏")
    expect(waiting).to_have_count(2)
    no_horizontal_scroll(phone)
    assert Case.objects.count() == 0

    # then, back online, the outbox sends both and empties, and the server has each once
    phone.context.set_offline(False)
    expect(waiting).to_have_count(0, timeout=30_000)
    expect(phone.locator("[data-offline-outbox-list]")).to_be_hidden()
    descriptions = sorted(Case.objects.values_list("description", flat=True))
    assert descriptions == ["5号楼地下室照明损坏", "地下车库入口积水，行人无法通过"]
    assert {c.channel for c in Case.objects.all()} == {"patrol"}


def test_signing_out_empties_the_kept_pages(phone, world, catalogue):
    # given the grid worker's pages kept on the phone
    sign_in(phone, "gridworker")
    phone.goto("/people/households/")
    wait_until(phone, kept("/cases/report/"))

    # when they sign out
    phone.locator("details.menu summary").click()  # on a phone the tools sit behind the menu
    phone.get_by_role("button", name="退出").click()
    phone.wait_for_url("**/login/**")

    # then nothing of their pages is left in the cache
    gone = "() => caches.keys().then(k => !k.some(n => n.startsWith('fieldwork-pages')))"
    wait_until(phone, gone)


def test_a_replayed_key_with_a_changed_body_is_422_and_registers_nothing(phone, world, catalogue):
    # given the report page of a signed-in grid worker
    sign_in(phone, "gridworker")
    phone.goto("/cases/report/")

    # when the same Idempotency-Key is sent, sent again, then sent with another description
    statuses = phone.evaluate(
        """async (area) => {
          const token = document.querySelector("[name=csrfmiddlewaretoken]").value;
          const post = async (text) => {
            const body = new FormData();
            const fields = [["csrfmiddlewaretoken", token], ["idem", "page-key"],
              ["matter", "M001"], ["description", text], ["area", String(area)]];
            for (const [k, v] of fields) body.append(k, v);
            const headers = { "Idempotency-Key": "replay-1", Accept: "application/json" };
            const r = await fetch("/cases/report/", { method: "POST", body, headers });
            return [r.status, (await r.json()).code || ""];
          };
          return [await post("路灯杆倾斜"), await post("路灯杆倾斜"), await post("井盖缺失")];
        }""",
        world.grid3a.pk,
    )

    # then the first registers, the replay answers the same case, the changed body is refused
    assert statuses == [[201, ""], [200, ""], [422, "idempotency_mismatch"]]
    assert list(Case.objects.values_list("description", flat=True)) == ["路灯杆倾斜"]


def test_the_own_grids_households_open_offline_masked(phone, world, catalogue, registry):
    # given the grid worker opened the household list of their grid once, online
    sign_in(phone, "gridworker")
    phone.goto("/people/households/")
    card = f"/people/households/{registry.home_a.pk}/"
    wait_until(phone, kept(card))

    # when the signal goes, the list and the household's card still open
    phone.context.set_offline(True)
    phone.goto("/people/households/")
    expect(phone.get_by_role("link", name="H001")).to_be_visible()
    expect(phone.get_by_text("H002")).to_have_count(0)
    phone.get_by_role("link", name="H001").click()
    expect(phone.get_by_text("王建国").first).to_be_visible()
    no_horizontal_scroll(phone)

    # then they show what was shown online: phones and ID numbers masked
    body = phone.content()
    assert "13812345678" not in body and "138****5678" in body
