"""The visit plan page: the rules in force for a community (own, inherited, which wins), its
staff's edits through the services (audited), bad input named per field, and scope (a community
edits only its own rules; another area's rule is 404, as missing)."""

import pytest

from grassroots.core.models import AuditEvent, User
from grassroots.visits import services
from grassroots.visits.models import PlanRule
from tests.concurrency import at_once
from tests.conftest import build_world, signed_in

PAGE = "/visits/plans/"
MISSING = 987654


@pytest.fixture
def rules(world):
    """The township 灵泉镇 visits every household half-yearly; 石楼小镇社区 its elderly fortnightly;
    罗村 (another township's village) every household monthly."""
    return {
        "township": services.plan_rule_set(
            actor=None, area=world.lingquan, tag="", interval_days=180
        ),
        "own": services.plan_rule_set(
            actor=None, area=world.xiaozhen, tag="elderly_alone", interval_days=14
        ),
        "other": services.plan_rule_set(
            actor=None, area=world.luocun_village, tag="", interval_days=30
        ),
    }


def _rows(resp):
    return {
        (r["rule"].tag, r["source"]): (r["rule"].interval_days, r["wins"])
        for r in resp.context["rows"]
    }


def test_community_sees_its_own_inherited_and_default_rules_and_which_wins(rules, world):
    resp = signed_in("community").get(PAGE)
    assert resp.status_code == 200
    assert resp.context["area"] == world.xiaozhen and resp.context["may_edit"]
    rows = _rows(resp)
    # every household: the township's 180 days beats the county default of 365
    assert rows[("", "灵泉镇")] == (180, True)
    assert rows[("", "全县默认")] == (365, False)
    # the elderly living alone: the community's own 14 days beats the county's 30
    assert rows[("elderly_alone", "石楼小镇社区")] == (14, True)
    assert rows[("elderly_alone", "全县默认")] == (30, False)
    # another township's rule does not reach the community
    assert ("", "罗村") not in rows
    html = resp.content.decode()
    assert "被下级规则取代" in html and "独居老人" in html and 'id="plan-add"' in html


def test_the_due_page_links_the_plan(world):
    assert 'href="/visits/plans/"' in signed_in("community").get("/visits/").content.decode()


def test_add_a_rule_is_audited(rules, world):
    client = signed_in("community")
    events = AuditEvent.objects.filter(action="plan_rule.set").count()
    resp = client.post(
        "/visits/plans/add/", {"area": world.xiaozhen.pk, "tag": "disabled", "interval_days": "21"}
    )
    assert resp.status_code == 302 and resp["Location"] == f"{PAGE}?area={world.xiaozhen.pk}"
    rule = PlanRule.objects.get(area=world.xiaozhen, tag="disabled")
    assert rule.interval_days == 21
    assert AuditEvent.objects.filter(action="plan_rule.set").count() == events + 1
    assert _rows(client.get(resp["Location"]))[("disabled", "石楼小镇社区")] == (21, True)


@pytest.mark.parametrize(
    ("tag", "interval", "field", "says"),
    [
        ("disabled", "0", "interval_days", "1 到 3660"),
        ("disabled", "3661", "interval_days", "1 到 3660"),
        ("disabled", "七", "interval_days", "1 到 3660"),
        ("disabled", "", "interval_days", "1 到 3660"),
        ("no_such_tag", "30", "tag", "未知标签"),
        ("elderly_alone", "30", "tag", "已有"),
    ],
)
def test_bad_input_is_named_by_field_and_writes_nothing(rules, world, tag, interval, field, says):
    client = signed_in("community")
    before = (PlanRule.objects.count(), AuditEvent.objects.count())
    resp = client.post(
        "/visits/plans/add/", {"area": world.xiaozhen.pk, "tag": tag, "interval_days": interval}
    )
    assert resp.status_code == 400
    assert list(resp.context["errors"]) == [field]
    assert says in resp.context["errors"][field]
    assert f'data-field="{field}"' in resp.content.decode()
    assert (PlanRule.objects.count(), AuditEvent.objects.count()) == before
    assert PlanRule.objects.get(area=world.xiaozhen, tag="elderly_alone").interval_days == 14


def test_change_and_remove_an_own_rule(rules):
    client = signed_in("community")
    own = rules["own"]
    assert client.post(f"/visits/plans/{own.pk}/", {"interval_days": "10"}).status_code == 302
    own.refresh_from_db()
    assert own.interval_days == 10
    bad = client.post(f"/visits/plans/{own.pk}/", {"interval_days": "99999"})
    assert bad.status_code == 400 and "1 到 3660" in bad.content.decode()
    own.refresh_from_db()
    assert own.interval_days == 10
    assert client.post(f"/visits/plans/{own.pk}/remove/").status_code == 302
    assert not PlanRule.objects.filter(pk=own.pk).exists()
    assert AuditEvent.objects.filter(action="plan_rule.remove", object_id=str(own.pk)).exists()


def test_a_community_edits_only_its_own_rules(rules, world):
    client = signed_in("community")
    assert client.post(f"/visits/plans/{MISSING}/", {"interval_days": "10"}).status_code == 404
    default = PlanRule.objects.get(area__isnull=True, tag="")
    # the township's rule, another township's, the county default: each 404, as missing
    for rule in (rules["township"], rules["other"], default):
        for url in (f"/visits/plans/{rule.pk}/", f"/visits/plans/{rule.pk}/remove/"):
            resp = client.post(url, {"interval_days": "10"})
            assert resp.status_code == 404, url
    assert PlanRule.objects.get(pk=rules["township"].pk).interval_days == 180
    assert PlanRule.objects.get(pk=rules["other"].pk).interval_days == 30
    # an area out of scope: the page and an add are 404 too
    assert client.get(PAGE, {"area": world.luocun_village.pk}).status_code == 404
    assert client.get(PAGE, {"area": MISSING}).status_code == 404
    add = {"area": world.luocun_village.pk, "tag": "disabled", "interval_days": "5"}
    assert client.post("/visits/plans/add/", add).status_code == 404
    assert not PlanRule.objects.filter(area=world.luocun_village, tag="disabled").exists()


def test_a_township_sets_a_community_s_rule(rules, world):
    client = signed_in("township")
    resp = client.get(PAGE)
    assert resp.context["area"] == world.lingquan
    assert world.xiaozhen in resp.context["places"]
    assert client.get(PAGE, {"area": world.xiaozhen.pk}).context["may_edit"]
    add = {"area": world.xiaozhen.pk, "tag": "relocated", "interval_days": "60"}
    assert client.post("/visits/plans/add/", add).status_code == 302
    assert PlanRule.objects.get(area=world.xiaozhen, tag="relocated").interval_days == 60


def test_a_grid_worker_reads_the_plan_of_its_grid_without_editing(rules, world):
    resp = signed_in("gridworker").get(PAGE)
    assert resp.status_code == 200 and resp.context["area"] == world.grid3a
    assert not resp.context["may_edit"] and 'id="plan-add"' not in resp.content.decode()
    assert _rows(resp)[("elderly_alone", "石楼小镇社区")] == (14, True)
    own = rules["own"]
    assert signed_in("gridworker").post(f"/visits/plans/{own.pk}/remove/").status_code == 404


def test_without_people_rights_the_page_is_refused(world):
    assert signed_in("auditor").get(PAGE).status_code == 403


def test_the_page_in_english(rules):
    client = signed_in("community")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(PAGE).content.decode()
    assert "Visit plan" in html and "All households" in html and "County default" in html


@pytest.mark.django_db(transaction=True)
def test_two_adds_of_the_same_tag_at_once_give_one_rule_and_one_refusal(builtin_tags):
    world = build_world()
    secretary = User.objects.get(username="community")

    def add(ready):
        ready()
        services.plan_rule_add(
            actor=secretary, area=world.xiaozhen, tag="veteran", interval_days=60
        )

    outcomes = sorted(at_once([add, add]))
    assert outcomes[1] == "ok" and outcomes[0].startswith("error:VisitError:")
    assert PlanRule.objects.filter(area=world.xiaozhen, tag="veteran").count() == 1
