"""Journey: the security administrator opens an account; its person enrols a second factor
and must change the password first."""

import pytest
from playwright.sync_api import expect

from grassroots.areas.models import Post
from grassroots.core.models import User
from tests.browser.conftest import shot, sign_in
from tests.browser.test_otp_journey import enrol_here

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "Wangge-2026-new"


def test_secadmin_opens_an_account_and_the_new_user_must_change_the_password(
    desktop, browser, live_server, world
):
    # given the security administrator on the account pages
    sign_in(desktop, "secadmin")
    desktop.get_by_role("link", name="账号管理").first.click()
    desktop.get_by_role("link", name="新建账号").click()

    # when they open an account for a new grid worker and give it a micro grid's post
    desktop.get_by_label("账号").fill("wangxiaohong")
    desktop.get_by_label("姓名").fill("王小红")
    desktop.get_by_role("button", name="创建账号").click()
    one_time = desktop.locator("#one-time-password").inner_text().strip()
    assert len(one_time) >= 8
    desktop.get_by_role("link", name="设置岗位").click()
    desktop.get_by_label("岗位类型").select_option(label="grid3_worker（网格员）")
    desktop.get_by_label("负责区域代码").fill(world.grid3b.code)
    desktop.get_by_role("button", name="设置岗位").click()

    # then the account holds the post and is marked as having to change its password
    expect(desktop.locator("#account-state")).to_contain_text("须修改密码")
    expect(desktop.get_by_role("cell", name="微网格B")).to_be_visible()
    shot(desktop, "account-detail")
    assert Post.objects.filter(person__username="wangxiaohong", area=world.grid3b).exists()

    # when the new grid worker signs in with the one-time password (on their own phone)
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844}
    )
    phone = context.new_page()
    sign_in(phone, "wangxiaohong", one_time)

    # then a grid worker, who may reveal full numbers, enrols a second factor first
    enrol_here(phone)
    phone.get_by_role("link", name="我已保存，继续").click()

    # then every page sends them to change the password first
    expect(phone.locator("#password-required")).to_be_visible()
    phone.goto("/cases/")
    assert "/password/" in phone.url
    phone.get_by_label("当前密码").fill(one_time)
    phone.get_by_label("新密码", exact=True).fill(NEW_PASSWORD)
    phone.get_by_label("再次输入新密码").fill(NEW_PASSWORD)
    phone.get_by_role("button", name="修改密码").click()

    # and once changed they reach their work
    phone.goto("/cases/")
    assert "/password/" not in phone.url
    expect(phone.get_by_role("heading").first).to_be_visible()
    assert not User.objects.get(username="wangxiaohong").must_change_password
    context.close()
