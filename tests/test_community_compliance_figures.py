"""The communities' compliance as registered figures: a kept state (`ComplianceLine`, one row
per community and line of its checklist, plus the whole standard's line) rebuilt from the very
checklist the community's page shows, its figures equal to their rows, its stamp following
every input of the checklist, a tampered row told from lag, and the scoped list behind it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from grassroots.areas.models import Post
from grassroots.areas.posts import post_end
from grassroots.community import compliance_state, selectors
from grassroots.community import services as cs
from grassroots.community.choices import CheckKind
from grassroots.community.models import ComplianceLine
from grassroots.figures import counts, registry
from grassroots.figures.states import states_refresh, states_verify
from tests.community_support import STANDARD, build_scene
from tests.conftest import signed_in
from tests.scorecard.test_pages import list_count

pytestmark = pytest.mark.django_db

NAMES = ("compliance_communities", "compliance_communities_met", "compliance_gaps")
STATE = f"state:{compliance_state.STATE}"


def _refresh() -> None:
    states_refresh()
    counts.counts_refresh()


def _figures(area: Any) -> dict[str, int]:
    figs = [registry.figure(n) for n in NAMES]
    return counts.figure_counts([f for f in figs if f is not None], area=area)


def _rows(area: Any, name: str) -> list[ComplianceLine]:
    fig = registry.figure(name)
    assert fig is not None
    qs = ComplianceLine.objects.filter(fig.q(timezone.now()), area.subtree_q())
    return list(qs.order_by("area__code", "position"))


def _state_check() -> Any:
    return next(c for c in states_verify() if c.source == STATE)


def _compliant_scene(world: Any, registry_: Any) -> None:
    """The scene's standard and community; 石楼小镇社区 adds the police it lacks, so it meets
    every line."""
    build_scene(world, registry_)
    cs.team_member_add(actor=None, community=world.xiaozhen, kind="police", name="社区民警")


def test_rows_are_the_page_s_checklist_and_each_figure_equals_its_rows(
    world: Any, registry: Any
) -> None:
    _compliant_scene(world, registry)
    _refresh()
    # the rows of 石楼小镇社区 are its page's checklist, line by line, then the whole line
    page = selectors.community_compliance(world.xiaozhen)
    assert page is not None and not page.gaps
    rows = list(ComplianceLine.objects.filter(area=world.xiaozhen).order_by("position"))
    assert [(r.kind, r.key, r.ok, r.gap) for r in rows[:-1]] == [
        (c.kind, c.key, c.ok, c.gap) for c in page.checks
    ]
    assert (rows[-1].kind, rows[-1].ok) == (CheckKind.WHOLE, True)
    # every figure, for the community, its township and the county, equals its rows
    for area in (world.xiaozhen, world.lingquan, world.county):
        got = _figures(area)
        for name in NAMES:
            assert got[name] == len(_rows(area, name)), (area.name, name)
    # the county's three communities and villages are assessed; the villages lack everything
    county = _figures(world.county)
    assert county["compliance_communities"] == 3
    met = {r.area_id for r in _rows(world.county, "compliance_communities_met")}
    assert world.xiaozhen.pk in met
    assert world.hujiayu.pk not in met and world.luocun_village.pk not in met
    assert _figures(world.xiaozhen) == {
        "compliance_communities": 1,
        "compliance_communities_met": 1,
        "compliance_gaps": 0,
    }
    check = _state_check()
    assert not check.lag and not check.differences


def test_removing_a_required_post_turns_the_community_non_compliant_after_refresh(
    world: Any, registry: Any
) -> None:
    # given: 石楼小镇社区 meets its standard, the figures refreshed
    _compliant_scene(world, registry)
    _refresh()
    assert _figures(world.xiaozhen)["compliance_communities_met"] == 1
    # when: its secretary's post ends
    post = Post.objects.get(person=world.users["community"])
    post_end(actor=None, post=post, ended_on=timezone.localdate())
    # then: the kept rows lag (the stamp changed) until the refresh, which rebuilds them
    assert _state_check().lag
    _refresh()
    got = _figures(world.xiaozhen)
    assert got["compliance_communities"] == 1
    assert got["compliance_communities_met"] == 0
    gaps = _rows(world.xiaozhen, "compliance_gaps")
    assert [(g.key, g.ok) for g in gaps] == [("community_secretary", False)]
    assert "1" in gaps[0].gap
    whole = ComplianceLine.objects.get(area=world.xiaozhen, kind=CheckKind.WHOLE)
    assert not whole.ok and "1" in whole.gap
    assert got["compliance_gaps"] == len(gaps) == 1
    check = _state_check()
    assert not check.lag and not check.differences


@pytest.mark.parametrize("change", ["facility", "team", "standard", "grid", "duties"])
def test_the_stamp_changes_with_every_input_of_the_checklist(
    world: Any, registry: Any, change: str
) -> None:
    build_scene(world, registry)
    before = compliance_state.stamp()
    if change == "facility":
        cs.facility_create(
            actor=None,
            community=world.hujiayu,
            data=cs.FacilityIn(kind="clinic", name="村卫生室"),
        )
    elif change == "team":
        cs.team_member_add(actor=None, community=world.xiaozhen, kind="police", name="民警")
    elif change == "standard":
        lines = cs.StandardIn(
            STANDARD.posts, STANDARD.facilities[:1], STANDARD.services, grids_staffed=False
        )
        cs.standard_set(actor=None, county=world.county, data=lines)
    elif change == "grid":
        from grassroots.areas.models import Area

        Area.objects.filter(pk=world.grid3b.pk).update(name="微网格乙", updated_at=timezone.now())
    else:
        from grassroots.areas.posts import post_type_define

        post_type_define(
            actor=None,
            code="community_secretary",
            name="社区书记",
            role="community_staff",
            duties=["新职责"],
        )
    assert compliance_state.stamp() != before


def test_a_tampered_row_is_corruption_and_verify_figures_fails(world: Any, registry: Any) -> None:
    _compliant_scene(world, registry)
    call_command("refresh-figures")
    assert not _state_check().differences
    # a gap row marked met by hand, with nothing else changed: not lag but a difference
    ComplianceLine.objects.filter(area=world.hujiayu, kind=CheckKind.FACILITY).update(ok=True)
    check = _state_check()
    assert not check.lag
    assert check.differences and {d.field for d in check.differences} == {"ok"}
    with pytest.raises(SystemExit):
        call_command("verify-figures")


def test_the_list_is_scoped_and_equals_the_figure(world: Any, registry: Any) -> None:
    build_scene(world, registry)
    _refresh()
    values = _figures(world.xiaozhen)
    community = signed_in("community")
    for name in NAMES:
        url = f"/community/rows/?figure={name}&within={world.xiaozhen.pk}"
        resp = community.get(url)
        assert resp.status_code == 200, name
        assert resp.context["count"] == values[name], name
    page = community.get(f"/community/rows/?figure=compliance_gaps&within={world.xiaozhen.pk}")
    assert [row[0] for row in page.context["cells"]] == ["石楼小镇社区"]
    assert page.context["cells"][0][2] == "警务"  # the service team lacks the police
    # a village outside the community staff's scope, and a grid worker: 404
    out = f"/community/rows/?figure=compliance_gaps&within={world.hujiayu.pk}"
    assert community.get(out).status_code == 404
    mine = f"/community/rows/?figure=compliance_gaps&within={world.xiaozhen.pk}"
    assert signed_in("gridworker").get(mine).status_code == 404
    # the county's staff see every community's gaps
    county = signed_in("orgdept").get(
        f"/community/rows/?figure=compliance_gaps&within={world.county.pk}"
    )
    assert county.status_code == 200
    assert county.context["count"] == _figures(world.county)["compliance_gaps"]


def test_the_scorecard_shows_the_rate_and_the_gaps_each_equal_to_its_rows(
    world: Any, registry: Any
) -> None:
    _compliant_scene(world, registry)
    _refresh()
    client = signed_in("leader")
    resp = client.get(f"/scorecard/{world.county.pk}/")
    assert resp.status_code == 200
    rows = {r.indicator.code: r for p in resp.context["pillars"] for r in p["rows"]}
    rate = rows["community_compliance"]
    assert (rate.numerator, rate.denominator) == (1, 3)
    for n, link in zip([rate.numerator, rate.denominator], rate.links, strict=True):
        assert n == list_count(client, link["url"])
    gaps = rows["community_compliance_gaps"]
    assert gaps.value == _figures(world.county)["compliance_gaps"] > 0
    assert [list_count(client, link["url"]) for link in gaps.links] == [gaps.value]


def test_a_community_with_no_standard_is_not_assessed(world: Any) -> None:
    states_refresh(now=timezone.now() + datetime.timedelta(seconds=1))
    assert not ComplianceLine.objects.exists()
