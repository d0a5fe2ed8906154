"""The relocation API and pages: registering, a household's items and their actions, the
catalogue in words, the omission list, the figures (each equal to its list; verify-figures)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from grassroots.figures import counts
from grassroots.figures import registry as figure_registry
from grassroots.relocation.figures import DEFINITIONS
from grassroots.relocation.models import EntitlementItem, RelocatedHousehold
from tests.conftest import signed_in
from tests.relocation_support import helper_post, items, relocate

API = "/api/v1/relocation"


@pytest.fixture
def home(world, registry):
    return relocate(world, registry.home_a)


def test_registering_through_the_api_generates_the_items(world, registry, api):
    body = {
        "household": registry.home_a.pk,
        "origin_village": world.hujiayu.pk,
        "batch": "2019年第一批",
        "relocated_year": 2019,
        "helper": helper_post(world).pk,
    }
    resp = api("community").post(f"{API}/households/", body, format="json")
    assert resp.status_code == 201, resp.json()
    pk = resp.json()["id"]
    detail = api("gridworker").get(f"{API}/households/{pk}/").json()
    assert detail["glance"]["total"] == len(detail["items"]) > 0
    assert detail["glance"]["owned"] == detail["glance"]["helped"] == detail["glance"]["total"]
    again = api("community").post(f"{API}/households/", body, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_relocated"
    bad = api("community").post(
        f"{API}/households/", {**body, "household": registry.home_b.pk, "relocated_year": 1999},
        format="json",
    )  # fmt: skip
    assert bad.status_code == 400
    assert bad.json()["detail"]["field"] == "relocated_year"
    assert RelocatedHousehold.objects.count() == 1


def test_item_actions_through_the_api(world, home, api):
    item = items(home).first()
    url = f"{API}/households/{home.pk}/items/{item.pk}/actions/"
    client = api("community")
    bare = client.post(url, {"action": "fulfil"}, format="json")
    assert bare.status_code == 400 and bare.json()["detail"]["field"] == "evidence"
    done = client.post(url, {"action": "fulfil", "evidence": "参保凭证 2026-001"}, format="json")
    assert done.status_code == 200 and done.json()["state"] == "fulfilled"
    late = client.post(url, {"action": "escalate", "note": "x"}, format="json")
    assert late.status_code == 409 and late.json()["code"] == "invalid_transition"
    unknown = client.post(url, {"action": "lapse"}, format="json")
    assert unknown.status_code == 400
    generate = client.post(f"{API}/households/{home.pk}/generate/")
    assert generate.json() == {"created": 0, "lapsed": 0}


def test_the_catalogue_shows_rules_in_words_and_refuses_a_bad_rule(world, api):
    rows = api("gridworker").get(f"{API}/entitlements/").json()
    elderly = next(r for r in rows if r["code"] == "elderly_care")
    assert elderly["in_words"] == "年龄不小于70"
    bad = api("admin").post(
        f"{API}/entitlements/",
        {"code": "pets", "name": "宠物", "subject": "member", "rule": "pets > 0"},
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_rule" and bad.json()["detail"]["field"] == "rule"


def test_figures_equal_their_lists_and_verify(world, registry, home, api, capsys):
    EntitlementItem.objects.filter(pk=items(home).first().pk).delete()
    call_command("check-entitlements")
    assert "omissions: found 1, new 1" in capsys.readouterr().out
    for who in ("gridworker", "leader"):
        body = api(who).get("/api/v1/metrics/relocation/").json()
        shown = {f["code"]: f for f in body["figures"]}
        assert shown["relocation_omissions_open"]["value"] == 1
        for code, _label, _source in DEFINITIONS:
            path = shown[code]["link"].replace("/relocation/", f"{API}/", 1)
            assert api(who).get(path).json()["count"] == shown[code]["value"], (who, code)
    call_command("refresh-figures")
    call_command("verify-figures")
    out = capsys.readouterr().out
    for source in ("relocation_households", "relocation_items", "relocation_omissions"):
        assert f"{source}: figures consistent" in out
    county = world.county
    value = counts.figure_count(
        figure_registry.figure("relocation_items_due"), area=county, start=None, end=None
    )
    assert value == items(home).count()


def test_pages(world, registry, home):
    client = signed_in("community")
    overview = client.get("/relocation/")
    assert overview.status_code == 200
    assert "灵泉镇" in overview.content.decode() and "年龄不小于70" in overview.content.decode()
    page = client.get(f"/relocation/households/{home.pk}/")
    assert page.status_code == 200 and "有人管" in page.content.decode()
    item = items(home).first()
    refused = client.post(
        f"/relocation/households/{home.pk}/items/{item.pk}/", {"action": "fulfil"}
    )
    assert refused.status_code == 400 and "佐证" in refused.content.decode()
    ok = client.post(
        f"/relocation/households/{home.pk}/items/{item.pk}/",
        {"action": "start", "note": "已联系医保站"},
    )
    assert ok.status_code == 302
    call_command("check-entitlements")
    omissions = client.get("/relocation/omissions/")
    assert omissions.status_code == 200 and "没有漏项" in omissions.content.decode()
    assert client.get("/relocation/items/?figure=relocation_items_in_progress").status_code == 200
    assert client.get("/relocation/items/?figure=nope").status_code == 400
    other = signed_in("gridworker")
    assert other.get(f"/relocation/households/{home.pk}/").status_code == 200


def test_the_leaders_dashboard_shows_the_relocation_figures_linked_to_their_rows(world, home):
    import re

    call_command("check-entitlements")
    call_command("refresh-figures")
    client = signed_in("leader")
    page = client.get(f"/dashboard/area/{world.county.pk}/").content.decode()
    section = page[page.index('id="relocation"') :]
    for code, _label, _source in DEFINITIONS:
        link, value = re.search(
            rf'<a data-figure="{code}" href="([^"]+)">(\d+)</a>', section
        ).groups()
        rows = client.get(link.replace("&amp;", "&"))
        assert rows.status_code == 200
        assert f"共 {value} " in rows.content.decode(), code
    assert re.search(r'data-figure="relocated_households" href="[^"]+">1<', section)


def test_the_household_and_the_lists_take_a_fixed_number_of_queries(
    world, registry, home, api, django_assert_max_num_queries
):
    client = api("community")
    client.get(f"{API}/households/{home.pk}/")  # the token's first use is recorded once
    for path in (f"{API}/households/{home.pk}/", f"{API}/items/", f"{API}/omissions/"):
        with django_assert_max_num_queries(8):
            assert client.get(path).status_code == 200, path
    page = signed_in("community")
    page.get(f"/relocation/households/{home.pk}/")
    with django_assert_max_num_queries(12):
        assert page.get(f"/relocation/households/{home.pk}/").status_code == 200
