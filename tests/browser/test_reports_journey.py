"""Journey (一表通): the county leader issues the monthly 12345 report to every township; the
township's officer opens the generated ledger, prints it, and confirms it without typing a
figure; the leader then sees who confirmed and who has not."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_request_is_issued_generated_printed_and_confirmed(desktop, browser, live_server, world):
    # given the leader issues the hotline report for October to every township
    sign_in(desktop, "leader")
    desktop.goto("/reports/requests/new/")
    desktop.get_by_label("台账模板").select_option("hotline-12345-monthly")
    desktop.get_by_label("报表期（如 2026-11、2026-Q4、2026；不分期的留空）").fill("2026-10")
    desktop.get_by_role("button", name="下发").click()
    expect(desktop.locator("[data-progress]")).to_have_text("已确认 0 个，未确认 2 个")
    request_url = desktop.url

    # when the township's officer opens it, previews the ledger and prints it
    officer = browser.new_page(base_url=live_server.url)
    sign_in(officer, "township")
    officer.goto(request_url)
    expect(officer.locator("[data-answer]")).to_have_count(1)
    officer.get_by_role("link", name="灵泉镇").click()
    expect(officer.locator("[data-unknown-note]")).to_contain_text("省级平台转办件数")
    expect(officer.locator(".ledger-table tbody tr")).to_have_count(3)  # two areas and 合计
    officer.emulate_media(media="print")
    expect(officer.locator(".topbar")).to_be_hidden()
    expect(officer.locator("[data-ledger-controls]")).to_be_hidden()
    expect(officer.locator(".ledger-table")).to_be_visible()
    officer.emulate_media(media="screen")

    # and confirms its answer: generated from records, the file's hash kept
    officer.goto(request_url)
    officer.get_by_role("button", name="生成并确认上报").click()
    expect(officer.get_by_text("已确认上报，文件 SHA-256：")).to_be_visible()

    # then the leader sees 灵泉镇 confirmed and 罗村镇 not yet
    desktop.reload()
    expect(desktop.locator("[data-progress]")).to_have_text("已确认 1 个，未确认 1 个")
    expect(desktop.locator("[data-state='confirmed']")).to_contain_text("灵泉镇")
    expect(desktop.locator("[data-state='pending']")).to_contain_text("罗村镇")
    officer.close()
