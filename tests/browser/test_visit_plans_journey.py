"""Journey: a community secretary at a desktop reads the visit plan in force for the community
and sets the community's own rule, with a duplicate refused next to its field."""

import pytest
from playwright.sync_api import expect

from grassroots.visits import services
from grassroots.visits.models import PlanRule
from tests.browser.conftest import shot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_community_sets_its_own_visit_plan_rule(desktop, world):
    # given the township visits the disabled monthly and the community its elderly fortnightly
    services.plan_rule_set(actor=None, area=world.lingquan, tag="disabled", interval_days=30)
    services.plan_rule_set(actor=None, area=world.xiaozhen, tag="elderly_alone", interval_days=14)
    sign_in(desktop, "community")

    # when the secretary opens the plan from the visits page
    desktop.goto("/visits/")
    desktop.get_by_role("link", name="走访计划").click()

    # then both rules are in force, the township's shown as set by the township
    expect(desktop.get_by_role("heading", name="走访计划：石楼小镇社区")).to_be_visible()
    table = desktop.locator("#plan-rules")
    expect(table.get_by_role("row", name="残疾人 30 灵泉镇 生效")).to_be_visible()
    expect(table.locator("tr.wins[data-tag=elderly_alone]")).to_contain_text("本区域")

    # when they add a second rule for the elderly: refused next to the group, nothing written
    form = desktop.locator("#plan-add")
    form.get_by_label("人群").select_option(label="独居老人")
    form.get_by_label("走访间隔（天）").fill("7")
    form.get_by_role("button", name="添加").click()
    expect(desktop.locator("[data-field=tag]")).to_contain_text("本区域已有这个标签的规则")
    assert PlanRule.objects.get(area=world.xiaozhen, tag="elderly_alone").interval_days == 14

    # when they set the community's own rule for the disabled: every three weeks
    form = desktop.locator("#plan-add")
    form.get_by_label("人群").select_option(label="残疾人")
    form.get_by_label("走访间隔（天）").fill("21")
    form.get_by_role("button", name="添加").click()

    # then the community's rule wins and the township's is shown replaced
    expect(desktop.get_by_text("已添加走访计划规则")).to_be_visible()
    own = desktop.locator("tr[data-tag=disabled][data-own='1']")
    expect(own).to_contain_text("21")
    expect(own).to_contain_text("生效")
    expect(table.get_by_role("row", name="残疾人 30 灵泉镇 被下级规则取代")).to_be_visible()
    shot(desktop, "visit-plan-desktop")

    # when they remove it again, the township's rule is in force once more
    own.get_by_role("button", name="删除").click()
    expect(desktop.get_by_text("上级规则重新适用")).to_be_visible()
    expect(table.get_by_role("row", name="残疾人 30 灵泉镇 生效")).to_be_visible()
    assert not PlanRule.objects.filter(area=world.xiaozhen, tag="disabled").exists()
