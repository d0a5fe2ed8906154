"""The standardised community: the standard, compliance computed from the platform's rows, the
services' refusals (naming the field, writing nothing), and the registered figures."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from grassroots.areas.models import Post
from grassroots.areas.posts import post_end
from grassroots.cases.choices import Channel, State
from grassroots.community import compliance, selectors
from grassroots.community import services as cs
from grassroots.community.errors import CommunityConflict, CommunityError
from grassroots.community.models import (
    Activity,
    Enrolment,
    Facility,
    LiaisonIssue,
    Participant,
    Room,
    Standard,
)
from grassroots.core.errors import Forbidden, NotFound
from grassroots.figures import counts, registry
from grassroots.figures.models import SourceCount
from tests.community_support import STANDARD, answered_station_case, build_scene
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def _check(community: Any, key: str) -> compliance.Check:
    checklist = selectors.community_compliance(community)
    assert checklist is not None
    return next(c for c in checklist.checks if c.key == key)


# --- compliance ---------------------------------------------------------------------------


def test_removing_a_required_post_shows_as_a_gap(world: Any, registry: Any) -> None:
    # given: the standard asks for one secretary, and the community persona holds the post
    build_scene(world, registry)
    assert _check(world.xiaozhen, "community_secretary").ok
    # when: the post ends
    post = Post.objects.get(person=world.users["community"])
    post_end(actor=None, post=post, ended_on=timezone.localdate())
    # then: the checklist shows the gap, computed from the posts
    check = _check(world.xiaozhen, "community_secretary")
    assert not check.ok
    assert "1" in check.gap


def test_facility_below_the_minimum_area_and_a_missing_service_are_gaps(
    world: Any, registry: Any
) -> None:
    cs.standard_set(actor=None, county=world.county, data=STANDARD)
    cs.facility_create(
        actor=None,
        community=world.xiaozhen,
        data=cs.FacilityIn(kind="service_centre", name="中心", area_sqm=800),
    )
    centre = _check(world.xiaozhen, "service_centre")
    assert not centre.ok and "200" in centre.gap
    assert not _check(world.xiaozhen, "clinic").ok
    assert not _check(world.xiaozhen, "police").ok
    cs.team_member_add(actor=None, community=world.xiaozhen, kind="police", name="社区民警")
    assert _check(world.xiaozhen, "police").ok


def test_grid_staffing_names_the_grids_without_a_post(world: Any, registry: Any) -> None:
    cs.standard_set(
        actor=None, county=world.county, data=cs.StandardIn((), (), (), grids_staffed=True)
    )
    check = _check(world.xiaozhen, "grids")
    # 微网格A has its grid worker; 一网格 (no 网格长) and 微网格B have nobody
    assert not check.ok
    assert "微网格B" in check.gap and "一网格" in check.gap and "微网格A" not in check.gap


def test_checklist_is_pure() -> None:
    rules = compliance.Rules({"a": ("甲", 2)}, {"clinic": 50}, ("police",), False)
    facts = compliance.Facts({"a": 2}, {"clinic": 40}, frozenset())
    got = compliance.checklist(rules, facts)
    assert [c.ok for c in got.checks] == [True, False, False]
    assert got.met == 1 and len(got.gaps) == 2


# --- the standard ---------------------------------------------------------------------------


def test_standard_with_a_post_type_that_does_not_exist_names_it_and_writes_nothing(
    world: Any,
) -> None:
    bad = cs.StandardIn(
        posts=(("community_secretary", 1), ("no_such_type", 2)), facilities=(), services=()
    )
    with pytest.raises(CommunityError) as err:
        cs.standard_set(actor=world.users["orgdept"], county=world.county, data=bad)
    assert err.value.detail == {"field": "posts[1].post_type", "row": 1}
    assert not Standard.objects.exists()


def test_only_the_organisation_department_edits_the_standard(world: Any) -> None:
    with pytest.raises(Forbidden):
        cs.standard_set(actor=world.users["community"], county=world.county, data=STANDARD)
    cs.standard_set(actor=world.users["orgdept"], county=world.county, data=STANDARD)
    assert Standard.objects.get().posts.count() == 1


# --- bad input ------------------------------------------------------------------------------


def test_negative_area_names_the_room_and_writes_nothing(world: Any) -> None:
    data = cs.FacilityIn(
        kind="service_centre", name="中心", area_sqm=500, rooms=(cs.RoomIn("大厅", -5),)
    )
    with pytest.raises(CommunityError) as err:
        cs.facility_create(actor=world.users["community"], community=world.xiaozhen, data=data)
    assert err.value.detail == {"field": "rooms[0].area_sqm"}
    assert not Facility.objects.exists() and not Room.objects.exists()


def test_a_pupil_must_be_a_resident_of_school_age(world: Any, registry: Any) -> None:
    school = cs.facility_create(
        actor=None, community=world.xiaozhen, data=cs.FacilityIn(kind="school", name="小学")
    )
    today = timezone.localdate()
    for resident, field in ((registry.father, "residents[1]"), (registry.villager, "residents[1]")):
        with pytest.raises(CommunityError) as err:
            cs.enrolment_create(
                actor=None,
                facility=school,
                residents=(registry.child.pk, resident.pk),
                enrolled_on=today,
            )
        assert err.value.detail["field"] == field
    assert not Enrolment.objects.exists()
    cs.enrolment_create(
        actor=None, facility=school, residents=(registry.child.pk,), enrolled_on=today
    )
    with pytest.raises(CommunityConflict):
        cs.enrolment_create(
            actor=None, facility=school, residents=(registry.child.pk,), enrolled_on=today
        )


def test_an_activity_participant_outside_the_community_names_the_row(
    world: Any, registry: Any
) -> None:
    data = cs.ActivityIn(
        kind="team_day",
        title="主题团日",
        held_on=timezone.localdate(),
        participants=(
            cs.ParticipantIn(household=registry.home_a.pk),
            cs.ParticipantIn(household=registry.home_luocun.pk),
        ),
    )
    with pytest.raises(CommunityError) as err:
        cs.activity_record(actor=world.users["community"], community=world.xiaozhen, data=data)
    assert err.value.detail == {"field": "participants[1].household", "row": 1}
    assert not Activity.objects.exists() and not Participant.objects.exists()


def test_writes_outside_the_actor_s_community_are_not_found(world: Any) -> None:
    data = cs.FacilityIn(kind="clinic", name="卫生室")
    with pytest.raises(NotFound):
        cs.facility_create(actor=world.users["community"], community=world.hujiayu, data=data)


def test_a_liaison_issue_needs_a_visit_and_becomes_a_case(
    world: Any, registry: Any, catalogue: Any
) -> None:
    scene = build_scene(world, registry)
    with pytest.raises(CommunityError) as err:
        cs.liaison_issue_collect(actor=None, visit=None, summary="路灯", matter="M001")
    assert err.value.detail == {"field": "visit"}
    assert not LiaisonIssue.objects.exists()
    issue = cs.liaison_issue_collect(
        actor=world.users["community"],
        visit=scene.visit.pk,
        summary="小区路灯不亮",
        matter="M001",
    )
    assert issue.case.channel == Channel.STATION
    assert issue.case.community == world.xiaozhen.pk
    assert issue.case.state != State.CLOSED


# --- figures --------------------------------------------------------------------------------


def _values(community: Any) -> dict[str, int]:
    return {n: f["value"] for n, f in selectors.community_figures(community).items()}


def test_figures_are_counted_from_rows_and_verified(
    world: Any, registry: Any, catalogue: Any
) -> None:
    scene = build_scene(world, registry)
    cs.liaison_issue_collect(
        actor=None, visit=scene.visit, summary="路灯", case=answered_station_case(world)
    )
    cs.liaison_issue_collect(actor=None, visit=scene.visit, summary="井盖", matter="M001")
    live = _values(world.xiaozhen)
    assert live["service_centre_area"] == 1000
    assert live["enrolled_pupils"] == 1
    assert live["medical_staff"] == 2
    assert live["class630_households"] == 2 and live["class630_pupils"] == 1
    assert live["liaison_visits"] == 1
    assert live["liaison_issues"] == 2 and live["liaison_issues_closed"] == 1
    # the rollup, once refreshed, says the same; verify compares it with the rows
    counts.counts_refresh(full=True)
    assert _values(world.xiaozhen) == live
    checks = {c.source: c for c in counts.counts_verify() if c.source.startswith("community_")}
    assert len(checks) == 7  # six sources of rows, and the kept compliance lines
    assert all(not c.lag and not c.differences for c in checks.values())
    # a rollup row changed by hand is corruption, found by recomputing from the rows
    SourceCount.objects.filter(figure="enrolled_pupils").update(count=230)
    found = next(c for c in counts.counts_verify() if c.source == "community_enrolments")
    assert [d.field for d in found.differences] == ["count"]
    with pytest.raises(SystemExit):
        call_command("verify-figures")


def test_each_figure_equals_its_list(world: Any, registry: Any) -> None:
    build_scene(world, registry)
    values = selectors.community_figures(world.xiaozhen)
    browser = signed_in("community")
    for name, fig in values.items():
        page = browser.get(fig["link"])
        assert page.status_code == 200, name
        if name == "service_centre_area":  # a sum of the listed rows' areas
            assert sum(row[2] for row in page.context["cells"]) == fig["value"]
        else:
            assert page.context["count"] == fig["value"], name
    # the grid worker does not see the community's rows
    assert signed_in("gridworker").get(values["medical_staff"]["link"]).status_code == 404


def test_a_period_figure_counts_only_its_period(world: Any, registry: Any) -> None:
    build_scene(world, registry)
    fig = registry_figure("class630_households")
    today = timezone.localdate()
    later = today + datetime.timedelta(days=1)
    assert counts.figure_count(fig, area=world.xiaozhen, start=later, end=later) == 0
    assert (
        counts.figure_count(
            fig, area=world.xiaozhen, start=today - datetime.timedelta(days=7), end=later
        )
        == 2
    )


def registry_figure(name: str) -> registry.Figure:
    fig = registry.figure(name)
    assert fig is not None
    return fig


def test_a_pupil_who_left_is_no_longer_counted(world: Any, registry: Any) -> None:
    build_scene(world, registry)
    enrolment = Enrolment.objects.get()
    with pytest.raises(CommunityError) as err:
        cs.enrolment_end(
            actor=None, enrolment=enrolment, left_on=enrolment.enrolled_on - datetime.timedelta(1)
        )
    assert err.value.detail == {"field": "left_on"}
    cs.enrolment_end(
        actor=world.users["community"], enrolment=enrolment, left_on=timezone.localdate()
    )
    assert _values(world.xiaozhen)["enrolled_pupils"] == 0
