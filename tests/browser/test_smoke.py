"""The browser harness itself: a person signs in and sees their home page."""

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_leader_signs_in_and_sees_the_dashboard_link(desktop, world):
    sign_in(desktop, "leader")
    assert desktop.get_by_role("link", name="领导驾驶舱").first.is_visible()


def test_wrong_password_is_refused_on_the_page(desktop, world):
    desktop.goto("/login/")
    desktop.get_by_label("账号").fill("leader")
    desktop.get_by_label("密码").fill("wrong-password")
    desktop.get_by_role("button", name="登录").click()
    assert "/login/" in desktop.url
    assert desktop.locator(".messages, .error, .errorlist").first.is_visible()
