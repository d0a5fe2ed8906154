"""The community API: rights on writes (403 before the body), scope (404), the field named in a
400, the standard replaced whole by the organisation department."""

from __future__ import annotations

from typing import Any

import pytest

from grassroots.community.models import Facility, Standard
from tests.community_support import build_scene

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_summary_shows_figures_and_the_checklist(world: Any, registry: Any, api: Any) -> None:
    build_scene(world, registry)
    body = api("leader").get(f"{API}/community/{world.xiaozhen.pk}/").json()
    assert body["figures"]["service_centre_area"]["value"] == 1000
    assert body["figures"]["medical_staff"]["link"].startswith("/community/rows/")
    keys = {c["key"]: c["ok"] for c in body["compliance"]["checks"]}
    assert keys == {
        "community_secretary": True,
        "service_centre": True,
        "school": True,
        "clinic": True,
        "police": False,
    }


def test_facility_post_needs_the_right_and_the_scope(world: Any, api: Any) -> None:
    body = {"kind": "clinic", "name": "卫生室", "area_sqm": 80}
    url = f"{API}/community/{world.xiaozhen.pk}/facilities/"
    assert api("leader").post(url, body, format="json").status_code == 403
    assert api("gridworker").post(url, body, format="json").status_code == 403
    other = f"{API}/community/{world.hujiayu.pk}/facilities/"
    assert api("community").post(other, body, format="json").status_code == 404
    made = api("community").post(url, body, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["area_sqm"] == 80
    assert api("township").get(url).json()[0]["name"] == "卫生室"


def test_negative_area_is_a_400_naming_the_field(world: Any, api: Any) -> None:
    url = f"{API}/community/{world.xiaozhen.pk}/facilities/"
    body = {"kind": "clinic", "name": "卫生室", "area_sqm": -1}
    resp = api("community").post(url, body, format="json")
    assert resp.status_code == 400
    assert resp.json()["detail"]["field"] == "area_sqm"
    assert not Facility.objects.exists()


def test_enrolment_and_activity_through_the_api(world: Any, registry: Any, api: Any) -> None:
    scene = build_scene(world, registry)
    client = api("community")
    base = f"{API}/community/{world.xiaozhen.pk}"
    again = client.post(
        f"{base}/facilities/{scene.school.pk}/enrolments/",
        {"residents": [registry.father.pk], "enrolled_on": "2026-09-01"},
        format="json",
    )
    assert again.status_code == 400 and again.json()["detail"]["field"] == "residents[0]"
    activity = client.post(
        f"{base}/activities/",
        {
            "kind": "performance",
            "title": "春节晋剧演出",
            "held_on": "2026-02-17",
            "open_count": 300,
            "participants": [{"household": registry.home_b.pk}],
        },
        format="json",
    )
    assert activity.status_code == 201, activity.content
    assert activity.json()["households"] == 1


def test_liaison_visit_and_issue(world: Any, registry: Any, catalogue: Any, api: Any) -> None:
    scene = build_scene(world, registry)
    client = api("community")
    base = f"{API}/community/{world.xiaozhen.pk}"
    made = client.post(f"{base}/stations/", {"name": "第二联络站"}, format="json")
    assert made.status_code == 201, made.content
    assert [s["name"] for s in client.get(f"{base}/stations/").json()][-1] == "第二联络站"
    visit = client.post(
        f"{base}/liaison-visits/",
        {"station": scene.station.pk, "visited_on": "2026-03-02", "leader": "县长"},
        format="json",
    )
    assert visit.status_code == 201, visit.content
    missing = client.post(
        f"{base}/liaison-issues/", {"summary": "路灯", "matter": "M001"}, format="json"
    )
    assert missing.status_code == 400 and missing.json()["detail"]["field"] == "visit"
    issue = client.post(
        f"{base}/liaison-issues/",
        {"visit": visit.json()["id"], "summary": "路灯", "matter": "M001"},
        format="json",
    )
    assert issue.status_code == 201, issue.content
    assert issue.json()["case_number"]
    rows = client.get(f"{base}/liaison-visits/").json()
    assert sorted(r["issue_count"] for r in rows) == [0, 1]


def test_standard_is_replaced_by_the_organisation_department(world: Any, api: Any) -> None:
    url = f"{API}/community-standards/{world.county.pk}/"
    body = {
        "posts": [{"post_type": "community_secretary", "count": 1}],
        "facilities": [{"kind": "service_centre", "min_area_sqm": 1000}],
        "services": ["police", "property"],
    }
    assert api("community").put(url, body, format="json").status_code == 403
    assert api("nobody").get(url).status_code == 403
    done = api("orgdept").put(url, body, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["services"] == ["police", "property"]
    # staff anywhere in the county read it; a county that is not theirs is not found
    assert api("gridworker").get(url).json()["posts"][0]["count"] == 1
    assert (
        api("gridworker").get(f"{API}/community-standards/{world.lingquan.pk}/").status_code == 404
    )
    bad = {**body, "posts": [{"post_type": "nope", "count": 1}]}
    resp = api("orgdept").put(url, bad, format="json")
    assert resp.status_code == 400 and resp.json()["detail"]["field"] == "posts[0].post_type"
    assert Standard.objects.get().posts.get().post_type.code == "community_secretary"


def test_the_community_page_and_its_gaps(world: Any, registry: Any) -> None:
    from tests.conftest import signed_in

    build_scene(world, registry)
    page = signed_in("township").get(f"/community/{world.xiaozhen.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-figure="service_centre_area"' in html
    assert 'class="gap" data-check="service:police"' in html
    assert signed_in("gridworker").get(f"/community/{world.xiaozhen.pk}/").status_code == 404


def test_the_index_lists_the_communities_in_scope(world: Any) -> None:
    from tests.conftest import signed_in

    page = signed_in("township").get("/community/")
    names = [c.name for c in page.context["communities"]]
    assert names == ["石楼小镇社区", "胡家峪村"]
    assert b'href="/community/"' in page.content  # in the navigation
    assert list(signed_in("gridworker").get("/community/").context["communities"]) == []


def test_the_page_costs_a_fixed_number_of_queries(
    world: Any, registry: Any, django_assert_max_num_queries: Any
) -> None:
    from tests.conftest import signed_in

    build_scene(world, registry)
    client = signed_in("township")
    url = f"/community/{world.xiaozhen.pk}/"
    client.get(url)
    with django_assert_max_num_queries(60) as first:
        client.get(url)
    # more rows of every kind, the same queries
    build_more(world, registry)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url)


def build_more(world: Any, registry: Any) -> None:
    from django.utils import timezone

    from grassroots.community import services as cs

    day = timezone.localdate()
    for n in range(3):
        clinic = cs.facility_create(
            actor=None, community=world.xiaozhen, data=cs.FacilityIn(kind="clinic", name=f"站{n}")
        )
        cs.facility_staff_add(actor=None, facility=clinic, name="医生", role="医生", started_on=day)
        cs.activity_record(
            actor=None,
            community=world.xiaozhen,
            data=cs.ActivityIn(
                kind="team_day",
                title=f"团日{n}",
                held_on=day,
                participants=(cs.ParticipantIn(household=registry.home_b.pk),),
            ),
        )


def test_liaison_issues_are_shown_to_those_who_see_cases(
    world: Any, registry: Any, api: Any
) -> None:
    build_scene(world, registry)
    url = f"{API}/community/{world.xiaozhen.pk}/liaison-issues/"
    assert api("orgdept").get(url).status_code == 403  # no VIEW_CASES
    assert api("leader").get(url).status_code == 200
