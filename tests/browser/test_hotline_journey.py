"""Journey: a call from a registered resident, dispatched, handled, reviewed — and the county's
figures on the leader's dashboard move with it, each number equal to the list behind it."""

import pytest
from playwright.sync_api import Browser, Page, expect

from grassroots.cases.models import Case
from tests.browser.conftest import DESKTOP, shot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _as(browser: Browser, live_server, username: str) -> Page:
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=DESKTOP)
    page = context.new_page()
    sign_in(page, username)
    return page


def _act(page: Page, case: Case, action: str, note: str | None = None) -> None:
    """Open the case and take one action from its action panel."""
    page.goto(f"/cases/{case.pk}/")
    panel = page.locator("details", has=page.locator("summary", has_text=action))
    panel.locator("summary").click()
    if note is not None:
        panel.locator("textarea[name=note]").fill(note)
    panel.get_by_role("button", name=action).click()
    page.wait_for_load_state()


def _kpi(page: Page, label: str):
    return page.locator(".kpi", has=page.locator("span", has_text=label))


def test_hotline_call_to_review_moves_the_county_figures(
    desktop, browser, live_server, world, registry, catalogue
):
    # given the leader's county dashboard before the call
    leader = _as(browser, live_server, "leader")
    leader.goto("/dashboard/")
    expect(_kpi(leader, "今日受理").locator("b")).to_have_text("0")

    # when the hotline operator finds the caller by phone and picks his household
    sign_in(desktop, "hotline")
    desktop.goto("/cases/desk/")
    desktop.get_by_label("来电号码").fill("13812345678")
    desktop.get_by_role("button", name="查找来电人").click()
    desktop.get_by_role("radio", name="王建国").check()
    # then the reporter's name is filled in from the registry
    expect(desktop.get_by_label("诉求人")).to_have_value("王建国")

    # when the matter is found by keyword and the call registered and dispatched
    desktop.get_by_label("职能事项（名称、关键词或拼音首字母）").fill("路灯")
    desktop.get_by_role("radio", name="路灯不亮").check()
    desktop.get_by_label("诉求内容").fill("1号楼门口路灯坏了三天")
    shot(desktop, "hotline-desk")
    desktop.get_by_role("button", name="登记并派单").click()

    # then the case shows its reporter and where it lies, and is with the community station
    expect(desktop.get_by_text("1号楼门口路灯坏了三天").first).to_be_visible()
    case = Case.objects.get()
    assert case.household_id == registry.home_a.pk and case.state == "dispatched"
    expect(desktop.locator("dd", has_text="王建国").first).to_be_visible()
    expect(desktop.get_by_text("石楼小镇社区").first).to_be_visible()

    # when the community station accepts and resolves it with a note
    community = _as(browser, live_server, "community")
    _act(community, case, "签收")
    _act(community, case, "办结", note="已更换灯泡，路灯恢复照明")
    case.refresh_from_db()
    assert case.state == "resolved"

    # and the hotline's review visit records the caller as satisfied
    desktop.goto(f"/cases/{case.pk}/")
    panel = desktop.locator("details", has=desktop.locator("summary", has_text="回访"))
    panel.locator("summary").click()
    expect(panel.get_by_text("已更换灯泡，路灯恢复照明")).to_be_visible()
    panel.get_by_role("radio", name="满意", exact=True).check()
    panel.get_by_role("button", name="回访").click()
    case.refresh_from_db()
    assert case.state == "closed"

    # then the county dashboard counts it: today's intake, and 满意率 1 of 1 reviewed
    leader.goto("/dashboard/")
    expect(_kpi(leader, "今日受理").locator("b")).to_have_text("1")
    satisfaction = _kpi(leader, "满意率")
    expect(satisfaction.locator("b")).to_have_text("100%")
    expect(satisfaction.locator("small a").first).to_have_text("1")
    shot(leader, "dashboard-county")

    # and the number links to the list that holds exactly that case
    satisfaction.locator("small a").first.click()
    expect(leader.get_by_text(case.number).first).to_be_visible()

    # and the map draws the county's grids with no tile server
    leader.goto("/dashboard/map/")
    expect(leader.locator(".leaflet-interactive").first).to_be_visible()
    shot(leader, "map-county")
    leader.context.close()
    community.context.close()
