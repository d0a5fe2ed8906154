"""Browser journeys: Playwright for Python driving Debian's chromium against the live server.

Playwright's own browser download cannot work on a closed network, so the browser is the
system's (`GRASSROOTS_CHROMIUM`, default /usr/bin/chromium), installed by `make browser`
(part of `make test`) and by `.ci/run`. Journeys run in real transactions against
pytest-django's live server, signed in through the real login page, and assert what a person
sees; `desktop` is a 1366×900 window, `phone` a 390×844 touch screen (the grid worker's).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from tests.conftest import PASSWORD

CHROMIUM = os.environ.get("GRASSROOTS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Where journeys leave their screenshots (`make screenshots` copies the README's from here).
SHOTS = Path(os.environ.get("GRASSROOTS_SHOTS_DIR", "var/screenshots"))
# Chromium flags for a closed network (no background fetches, no first-run) and a root user.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
DESKTOP = {"width": 1366, "height": 900}
# How long an action or an assertion waits for the page: as long for both, since on a loaded
# two-core CI machine a form's post, its redirect and the next page can take more than the
# assertions' own default of 5 s (the wait ends as soon as the page shows what is asserted).
WAIT_MS = 15_000
expect.set_options(timeout=WAIT_MS)


@pytest.fixture(autouse=True)
def _seeded(builtin_tags) -> None:
    """Journeys run in real transactions whose flush empties what migrations seed."""


PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"chromium not found at {CHROMIUM}: run `make browser` (Debian's chromium)")
    # Playwright's sync API keeps an event loop in this thread while it runs; Django's ORM
    # refuses to run in a thread with a running loop unless told the code is synchronous (it
    # is). Only for the journeys: the flag goes when the browser does.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            yield p
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
    yield browser
    browser.close()


def _page(browser: Browser, live_server, **options) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **options)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


@pytest.fixture
def desktop(browser: Browser, live_server) -> Iterator[Page]:
    """A desktop browser window on the live server."""
    yield from _page(browser, live_server, viewport=DESKTOP)


@pytest.fixture
def phone(browser: Browser, live_server) -> Iterator[Page]:
    """A 390×844 phone (touch, mobile viewport) on the live server."""
    yield from _page(
        browser, live_server, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login page as a person would; an account with a second factor types
    the code its authenticator app would show. One that must enrol first is left on the
    enrolment page (`tests/browser/test_otp_journey.enrol_here`)."""
    page.goto("/login/")
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    if "/login/otp/enrol/" in page.url:
        return
    if "/login/otp/" in page.url:
        from grassroots.core.models import User
        from grassroots.core.otp import confirmed_device
        from tests.otp_support import fresh_code

        device = confirmed_device(User.objects.get(username=username))
        assert device is not None
        # A code can be refused for reasons that are not the code's: the time step turned
        # while a loaded machine answered, or the device's own throttle after a slow retry.
        # A person types the next code their app shows; so does this helper, twice at most.
        for attempt in range(3):
            if attempt:
                time.sleep(2)  # the device's throttle: one failure holds it for a second
            page.get_by_label("动态码或恢复码").fill(fresh_code(device))
            page.get_by_role("button", name="验证").click()
            with contextlib.suppress(PlaywrightError):  # refused: the assertion below says why
                page.wait_for_url(lambda url: "/login/otp/" not in url, timeout=30_000)
            if "/login/otp/" not in page.url:
                break
    assert "/login/" not in page.url, page.locator("body").inner_text()


def no_horizontal_scroll(page: Page) -> None:
    """The page fits its viewport's width: nothing to scroll sideways.

    Measured once the document has loaded: called just after a click, a
    navigation may still be replacing the document (no documentElement yet).
    """
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url}: {width}px wide in a {viewport}px viewport"


def shot(page: Page, name: str) -> Path:
    """Save a full-page screenshot under SHOTS (the README's pictures come from here)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_until(page: Any, predicate: str, timeout: float = 30.0) -> None:
    """Poll the JavaScript function `predicate` (e.g. "() => navigator.onLine") until it is
    truthy. Not `wait_for_function`: it re-evaluates a string through `eval`, which the app's
    Content-Security-Policy (script-src 'self') refuses once the first check fails."""
    deadline = time.monotonic() + timeout
    while not _holds(page, predicate):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {predicate}")
        page.wait_for_timeout(200)


def _holds(page: Any, predicate: str) -> bool:
    try:
        # `!!` in the page: a truthy object (a ServiceWorker) would come back as an empty dict
        return bool(page.evaluate(f"async () => !!(await ({predicate})())"))
    except PlaywrightError:  # a navigation replaced the page under the check: ask again
        return False


def kept(url: str) -> str:
    """A `wait_until` predicate: the service worker's page cache holds `url`."""
    return f"() => caches.open('fieldwork-pages-v1').then(c => c.match({url!r})).then(Boolean)"
