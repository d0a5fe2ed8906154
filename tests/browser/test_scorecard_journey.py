"""Journey: the county leader opens the scorecard at a desk, picks a quarter, follows a figure
to its rows, goes down to a township and exports the scorecard."""

import pytest
from playwright.sync_api import expect

from grassroots.figures.counts import counts_refresh
from tests.browser.conftest import no_horizontal_scroll, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_leader_reads_the_scorecard_and_follows_a_figure_to_its_rows(desktop, world):
    # given the county's grids counted into the rollups
    counts_refresh()
    sign_in(desktop, "leader")

    # when the leader opens the scorecard from the navigation
    desktop.goto("/")
    desktop.get_by_role("link", name="三化三力指标").first.click()
    expect(desktop.get_by_role("heading", name="社区建设规范化 → 基层保障力")).to_be_visible()
    expect(desktop.get_by_role("heading", name="易地后帮扶长效化 → 发展持久力")).to_be_visible()
    no_horizontal_scroll(desktop)

    # and picks a quarter
    desktop.locator("#period-picker select[name='span']").select_option("quarter")
    desktop.locator("#period-picker button").click()
    expect(desktop.locator("h1")).to_contain_text("季度")

    # then the micro grids read 3, and their link lists three grids
    row = desktop.locator("tr[data-indicator='grids_level3']")
    expect(row.locator("td[data-value]")).to_have_attribute("data-value", "3")
    row.locator("a[data-link]").first.click()
    expect(desktop.locator("tr[data-row]")).to_have_count(3)

    # and the township's scorecard is one click down, and exports
    desktop.go_back()
    desktop.get_by_role("link", name="灵泉镇").first.click()
    expect(desktop.locator("h1")).to_contain_text("灵泉镇")
    with desktop.expect_download() as download:
        desktop.locator("#export-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
