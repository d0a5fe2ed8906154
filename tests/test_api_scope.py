"""Every endpoint: in scope → 200, out of scope → 404, no permission → 403, anonymous → 401."""

import pytest

from grassroots.areas.models import Post


def codes(resp):
    return {r["code"] for r in resp.json()["results"]}


def test_token_from_username_and_password(world, api):
    resp = api().post("/api/v1/auth/token/", {"username": "leader", "password": "Test-pass-2026"})
    assert resp.status_code == 200
    token = resp.json()["token"]
    me = api().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200
    assert me.json()["roles"] == ["leader"]


def test_wrong_password_gives_no_token(world, api):
    resp = api().post("/api/v1/auth/token/", {"username": "leader", "password": "wrong"})
    assert resp.status_code == 400
    assert resp.json()["code"] == "bad_credentials"
    assert "token" not in resp.json()


@pytest.mark.parametrize(
    "path", ["/api/v1/areas/", "/api/v1/units/", "/api/v1/posts/", "/api/v1/me/"]
)
def test_anonymous_is_refused(world, api, path):
    assert api().get(path).status_code == 401


def test_gridworker_sees_only_its_micro_grid(world, api):
    resp = api("gridworker").get("/api/v1/areas/")
    assert resp.status_code == 200
    assert codes(resp) == {world.grid3a.code}


def test_township_sees_only_its_township(world, api):
    resp = api("township").get("/api/v1/areas/?page_size=500")
    got = codes(resp)
    assert world.lingquan.code in got and world.grid3b.code in got and world.hujiayu.code in got
    assert world.county.code not in got and world.luocun.code not in got
    assert world.luocun_grid3.code not in got


def test_leader_sees_the_county_and_filters(world, api):
    client = api("leader")
    assert client.get("/api/v1/areas/?level=grid3").json()["count"] == 3
    assert client.get(f"/api/v1/areas/?within={world.lingquan.pk}&level=grid3").json()["count"] == 2
    assert codes(client.get(f"/api/v1/areas/?parent={world.county.pk}")) == {
        world.lingquan.code,
        world.luocun.code,
    }


@pytest.mark.parametrize(
    "query", ["level=planet", "parent=abc", "within=-1", "within=0", "page=999"]
)
def test_bad_filters_are_clear_errors(world, api, query):
    resp = api("leader").get(f"/api/v1/areas/?{query}")
    assert resp.status_code in (400, 404)
    body = resp.json()
    assert set(body) == {"code", "message", "detail"}


def test_filter_outside_scope_is_404(world, api):
    resp = api("township").get(f"/api/v1/areas/?within={world.luocun.pk}")
    assert resp.status_code == 404


def test_area_detail_triad(world, api):
    assert api("community").get(f"/api/v1/areas/{world.grid3a.pk}/").status_code == 200
    assert api("community").get(f"/api/v1/areas/{world.luocun.pk}/").status_code == 404
    assert api("community").get("/api/v1/areas/999999/").status_code == 404
    assert api("auditor").get(f"/api/v1/areas/{world.grid3a.pk}/").status_code == 403
    assert api("nobody").get(f"/api/v1/areas/{world.grid3a.pk}/").status_code == 403


def test_out_of_scope_answers_exactly_like_missing(world, api):
    out = api("gridworker").get(f"/api/v1/areas/{world.grid3b.pk}/")
    missing = api("gridworker").get("/api/v1/areas/987654/")
    assert out.status_code == missing.status_code == 404
    assert out.json() == missing.json()


def test_area_detail_carries_polygon_and_ancestors(world, api):
    body = api("leader").get(f"/api/v1/areas/{world.grid3a.pk}/").json()
    assert body["polygon"]["type"] == "Polygon"
    assert [a["level"] for a in body["ancestors"]] == [
        "county",
        "township",
        "community",
        "grid1",
        "grid2",
    ]


def test_units_scope(world, api):
    assert api("leader").get("/api/v1/units/?level=county").json()["count"] == 2
    assert codes(api("township").get("/api/v1/units/")) == {"T01", "S01"}
    assert codes(api("dept").get("/api/v1/units/")) == {"U01"}
    assert codes(api("gridworker").get("/api/v1/units/")) == set()
    assert api("auditor").get("/api/v1/units/").status_code == 403
    assert api("leader").get("/api/v1/units/?level=bogus").status_code == 400


def test_unit_detail_triad(world, api):
    assert api("dept").get(f"/api/v1/units/{world.hrss.pk}/").status_code == 200
    assert api("dept").get(f"/api/v1/units/{world.civil.pk}/").status_code == 404
    assert api("auditor").get(f"/api/v1/units/{world.hrss.pk}/").status_code == 403


def test_posts_scope(world, api):
    leader_sees = api("leader").get("/api/v1/posts/?page_size=100").json()["count"]
    assert leader_sees == Post.objects.filter(area__isnull=False).count()
    community = api("community").get("/api/v1/posts/").json()["results"]
    assert {p["role"] for p in community} == {"community_staff", "grid_worker"}
    own = api("dept").get("/api/v1/posts/").json()["results"]
    assert [p["role"] for p in own] == ["department_handler"]
    assert api("auditor").get("/api/v1/posts/").status_code == 403


def test_post_detail_has_duties(world, api):
    post = Post.objects.get(person__username="gridworker")
    body = api("community").get(f"/api/v1/posts/{post.pk}/").json()
    assert [d["text"] for d in body["duties"]] == ["grid3_worker的职责一", "grid3_worker的职责二"]
    other = Post.objects.get(person__username="township")
    assert api("community").get(f"/api/v1/posts/{other.pk}/").status_code == 404


def test_me_reports_scope(world, api):
    body = api("gridworker").get("/api/v1/me/").json()
    assert body["username"] == "gridworker"
    assert body["scope"]["areas"] == [
        {"id": world.grid3a.pk, "code": world.grid3a.code, "name": "微网格A", "level": "grid3"}
    ]
    assert "view_areas" in body["permissions"]


def test_ended_post_grants_nothing(world, api):
    import datetime

    from grassroots.areas import services

    post = Post.objects.get(person__username="township")
    services.post_end(actor=None, post=post, ended_on=datetime.date(2024, 6, 1))
    assert api("township").get("/api/v1/areas/").status_code == 403


def test_schema_and_docs_are_served(world, api):
    assert api().get("/api/v1/schema/").status_code == 200
    docs = api().get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
