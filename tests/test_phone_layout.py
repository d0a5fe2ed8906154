"""The grid worker's pages fit a 390 px phone: no horizontal scrolling, a compact navigation.

Measured in Debian's Chromium (``/usr/bin/chromium``) driven by Playwright, at 390×844, against
pytest-django's live server with the fixed personas.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import PASSWORD

CHROMIUM = os.environ.get("GRASSROOTS_CHROMIUM", "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}

# The live server reads committed rows. Chromium is installed by `make browser`.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the module (Playwright never downloads a browser here)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests touch rows only
    # before the browser acts, through fixtures.
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--headless"]
            )
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if before is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def phone(chromium, live_server, builtin_tags, registry) -> Iterator[Any]:
    """A 390×844 page, signed in as the grid worker (of 微网格A)."""
    context = chromium.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "gridworker")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button.primary")
    page.wait_for_url(f"{live_server.url}/")
    page.base_url = live_server.url
    try:
        yield page
    finally:
        context.close()


def _width(page: Any, path: str) -> int:
    page.goto(page.base_url + path)
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_grid_workers_pages_fit_a_phone(phone, registry):
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
    phone.goto(phone.base_url + "/people/")
    phone.fill("input[name=q]", "王")
    phone.click("form[role=search] button.primary")
    phone.wait_for_load_state()
    assert "王建国" in phone.content()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width


def test_the_navigation_is_one_line_on_a_phone(phone):
    phone.goto(phone.base_url + "/")
    header = phone.locator("header.topbar").bounding_box()
    # the brand and a menu button: one line of the header, not four lines of links
    assert header is not None and header["height"] < 70, header
    links = phone.locator("header nav a")
    assert not any(links.nth(i).is_visible() for i in range(links.count()))
    phone.locator("header .menu > summary").click()
    assert links.first.is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_wide_screen_keeps_the_full_navigation(phone):
    phone.set_viewport_size({"width": 1280, "height": 800})
    phone.goto(phone.base_url + "/")
    assert not phone.locator("header .menu > summary").is_visible()
    assert phone.locator("header nav a").first.is_visible()
