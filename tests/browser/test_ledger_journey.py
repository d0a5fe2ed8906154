"""Journey: a community secretary imports a ledger with an error, reads it, fixes it, imports it."""

import re

import pytest
from playwright.sync_api import Page, expect

from grassroots.people.models import Household, Resident
from tests.browser.conftest import shot, sign_in
from tests.test_ledger_support import family, ledger, pid, res

pytestmark = pytest.mark.django_db(transaction=True)


def _upload(page: Page, path) -> None:
    page.goto("/people/ledger/")
    page.get_by_label("文件").set_input_files(str(path))
    page.get_by_role("button", name="上传并校验").click()
    # The import runs in the background; the page shows its progress and then its outcome.
    expect(page.get_by_text(re.compile("状态：(未导入|已完成|待确认)"))).to_be_visible(
        timeout=30_000
    )


def test_community_imports_a_ledger_with_errors_then_fixes_it(desktop, world, tmp_path):
    # given a ledger of one household whose spouse's ID number has a wrong check digit
    households, residents = family("J", 300)
    good = pid(301, sex="female")
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    residents[1] = res("J-1", "陈二", bad, "配偶")
    broken = ledger(tmp_path / "石楼小镇台账.xlsx", households, residents)
    sign_in(desktop, "community")

    # when it is uploaded all-or-nothing
    _upload(desktop, broken)

    # then the page says nothing was imported and names the sheet, row and column at fault
    expect(desktop.get_by_text("状态：未导入")).to_be_visible()
    problem = desktop.locator("table tr", has_text="身份证号").filter(has_text="人")
    expect(problem.first).to_be_visible()
    expect(problem.first.locator("td").nth(1)).to_have_text("3")
    expect(desktop.get_by_role("link", name="下载错误报告")).to_be_visible()
    shot(desktop, "ledger-errors")
    assert Resident.objects.count() == 0 and Household.objects.count() == 0

    # when the corrected ledger is uploaded
    residents[1] = res("J-1", "陈二", good, "配偶")
    fixed = ledger(tmp_path / "石楼小镇台账-改.xlsx", households, residents)
    _upload(desktop, fixed)

    # then it is imported: one household of three, and no problems are listed
    expect(desktop.get_by_text("状态：已完成")).to_be_visible()
    expect(desktop.get_by_role("heading", name="问题")).to_have_count(0)
    assert Household.objects.count() == 1 and Resident.objects.count() == 3
