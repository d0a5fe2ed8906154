"""Journey: an administrator enrols a second factor, then signs in with codes — a wrong code and
a replayed one are refused, a recovery code works once (SECURITY.md 4)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from grassroots.core.otp import confirmed_device, otp_reset
from tests.browser.conftest import shot, sign_in
from tests.otp_support import fresh_code, secret_code

pytestmark = pytest.mark.django_db(transaction=True)


def enrol_here(page: Page) -> tuple[str, list[str]]:
    """On the enrolment page: type the code computed from the secret shown, as an authenticator
    app would; return the code used and the recovery codes shown once."""
    expect(page.locator("#otp-qr")).to_be_visible()
    secret = page.locator("#otp-secret").inner_text()
    code = secret_code(secret)
    page.get_by_label("动态码").fill(code)
    page.get_by_role("button", name="绑定").click()
    # all_inner_texts() does not wait: read only once the answer page has replaced the form
    # (CI on PostgreSQL read the old page and found no codes)
    expect(page.locator("#recovery-codes code")).to_have_count(10)
    codes = [c.strip() for c in page.locator("#recovery-codes code").all_inner_texts()]
    return code, codes


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="退出").first.click()
    page.wait_for_url("**/login/**")


def password_step(page: Page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("账号").fill(username)
    page.get_by_label("密码").fill("Test-pass-2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/login/otp/**")


def code_step(page: Page, code: str) -> None:
    page.get_by_label("动态码或恢复码").fill(code)
    page.get_by_role("button", name="验证").click()
    page.wait_for_load_state()


def test_an_administrator_enrols_and_signs_in_with_a_code(desktop, world):
    # given a system administrator who has no second factor yet
    admin = world.users["admin"]
    otp_reset(actor=None, account=admin)

    # when they sign in with their password they are sent to enrolment, and nothing else opens
    sign_in(desktop, "admin")
    assert "/login/otp/enrol/" in desktop.url
    expect(desktop.locator("#otp-required")).to_be_visible()
    desktop.goto("/areas/")
    assert "/login/otp/enrol/" in desktop.url
    shot(desktop, "otp-enrol")
    used, recovery = enrol_here(desktop)
    desktop.get_by_role("link", name="我已保存，继续").click()
    desktop.wait_for_url("**/areas/")  # where they were going
    assert confirmed_device(admin) is not None

    # then the next sign-in asks for a code: a wrong one and a replayed one are refused
    sign_out(desktop)
    password_step(desktop, "admin")
    code_step(desktop, "000000")
    expect(desktop.get_by_role("alert")).to_contain_text("动态码不正确")
    code_step(desktop, used)
    expect(desktop.get_by_role("alert")).to_contain_text("动态码不正确")
    desktop.goto("/areas/")
    assert "/login/otp/" in desktop.url
    desktop.wait_for_timeout(2500)  # django-otp slows down guessing after failures
    code_step(desktop, fresh_code(confirmed_device(admin)))
    assert "/login/" not in desktop.url
    desktop.goto("/areas/")
    assert "/areas/" in desktop.url

    # and a recovery code stands in for the phone once
    sign_out(desktop)
    password_step(desktop, "admin")
    code_step(desktop, recovery[0])
    assert "/login/" not in desktop.url
    sign_out(desktop)
    password_step(desktop, "admin")
    code_step(desktop, recovery[0])
    expect(desktop.get_by_role("alert")).to_contain_text("动态码不正确")
