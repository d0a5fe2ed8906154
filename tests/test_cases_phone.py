"""The grid worker's case pages at 390 px wide (a phone): nothing in the page's content reaches
past the right edge, so there is no horizontal scrolling — the patrol form, the queue and the
case page, measured in Debian's chromium through Playwright.

The top bar is the shell's (core/templates); what is measured here is the content under <main>.
"""

from __future__ import annotations

import shutil

import pytest
from django.conf import settings
from django.test import Client

from grassroots.cases import services, workflow
from grassroots.core.models import User

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium"),
    pytest.mark.django_db(transaction=True),
]

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


@pytest.fixture
def phone(live_server, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 390, "height": 844})
        client = Client()
        client.force_login(User.objects.get(username="gridworker"))
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
        yield context.new_page(), live_server.url
        browser.close()


def _fits(page, url: str) -> None:
    page.goto(url)
    right, width, name, scroll = page.evaluate(WIDEST)
    assert right <= width and scroll <= width, f"{url}: {name} reaches {right}px of {width}px"


def test_the_grid_workers_pages_fit_a_phone(world, catalogue, phone):
    page, base = phone
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
    _fits(page, f"{base}/cases/report/")
    _fits(page, f"{base}/cases/")
    _fits(page, f"{base}/cases/?all=1")
    _fits(page, f"{base}/cases/{case.pk}/")
