"""The grid worker's pages fit a 390 px phone: no horizontal scrolling, a compact navigation.

The household and home pages are measured by the document's scroll width; the case pages (patrol
form, queue, case page) by the right edge of the widest element under <main>.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from grassroots.cases import services, workflow
from grassroots.core.models import User
from tests.browser.conftest import PHONE, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

# The right edge of the widest element under <main>, and the viewport's width.
WIDEST = """() => {
  let right = 0, name = "";
  for (const el of document.querySelectorAll("main *")) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > right) { right = r.right; name = el.tagName + "." + el.className; }
  }
  return [Math.ceil(right), window.innerWidth, name,
          document.querySelector("main").scrollWidth];
}"""


def _fits(page: Page, url: str) -> None:
    page.goto(url)
    right, width, name, scroll = page.evaluate(WIDEST)
    assert right <= width and scroll <= width, f"{url}: {name} reaches {right}px of {width}px"


def test_the_grid_workers_case_pages_fit_a_phone(world, catalogue, phone):
    sign_in(phone, "gridworker")
    worker = User.objects.get(username="gridworker")
    case, _ = services.case_intake(
        actor=worker,
        intake=services.Intake(
            matter="M001",
            channel="patrol",
            description="三号楼东侧路灯不亮，夜间行人看不清台阶，已有老人摔倒，请尽快维修处理" * 2,
            area=world.grid3a.pk,
            address="石楼小镇3号楼东侧路口往北二十米",
        ),
    )
    community = User.objects.get(username="community")
    workflow.case_apply(case_id=case.pk, action="accept", actor=community)
    workflow.case_apply(
        case_id=case.pk,
        action="note",
        actor=community,
        note="已联系物业电工，明天上午到现场检查线路和灯具，如需更换灯杆另行报告",
    )
    _fits(phone, "/cases/report/")
    _fits(phone, "/cases/")
    _fits(phone, "/cases/?all=1")
    _fits(phone, f"/cases/{case.pk}/")


def _width(page: Page, path: str) -> int:
    page.goto(path)
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_grid_workers_pages_fit_a_phone(phone, registry):
    sign_in(phone, "gridworker")
    pages = {
        "home": "/",
        "search": "/people/",
        "households": "/people/households/",
        "household card": f"/people/households/{registry.home_a.pk}/",
        "resident": f"/people/residents/{registry.father.pk}/",
    }
    widths = {name: _width(phone, path) for name, path in pages.items()}
    assert all(w <= PHONE["width"] for w in widths.values()), widths


def test_search_results_fit_a_phone(phone, registry):
    sign_in(phone, "gridworker")
    phone.goto("/people/")
    phone.fill("input[name=q]", "王")
    phone.click("form[role=search] button.primary")
    phone.wait_for_load_state()
    assert "王建国" in phone.content()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width


def test_the_navigation_is_one_line_on_a_phone(phone, world):
    sign_in(phone, "gridworker")
    phone.goto("/")
    header = phone.locator("header.topbar").bounding_box()
    # the brand and a menu button: one line of the header, not four lines of links
    assert header is not None and header["height"] < 70, header
    links = phone.locator("header nav a")
    assert not any(links.nth(i).is_visible() for i in range(links.count()))
    phone.locator("header .menu > summary").click()
    assert links.first.is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_wide_screen_keeps_the_full_navigation(phone, world):
    sign_in(phone, "gridworker")
    phone.set_viewport_size({"width": 1280, "height": 800})
    phone.goto("/")
    assert not phone.locator("header .menu > summary").is_visible()
    assert phone.locator("header nav a").first.is_visible()
