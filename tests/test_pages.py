"""Server-rendered pages: each persona's home, the area browser, units, posts, admin, language."""

import pytest
from django.test import Client

from grassroots.areas.models import Post
from tests.conftest import signed_in

PERSONAS = [
    "gridworker",
    "community",
    "township",
    "dept",
    "hotline",
    "orgdept",
    "leader",
    "admin",
    "secadmin",
    "auditor",
    "nobody",
]


@pytest.mark.parametrize("username", PERSONAS)
def test_every_persona_has_a_home_page(world, username):
    resp = signed_in(username).get("/")
    assert resp.status_code == 200
    assert "基层治理平台" in resp.content.decode()


def test_anonymous_is_sent_to_login(world):
    resp = Client().get("/areas/")
    assert resp.status_code == 302 and resp["Location"].startswith("/login/")


def test_gridworker_home_shows_its_grid(world):
    page = signed_in("gridworker").get("/").content.decode()
    assert "微网格A" in page
    assert "grid3_worker" in page


def test_area_page_triad(world):
    community = signed_in("community")
    page = community.get(f"/areas/{world.xiaozhen.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "一网格" in html and "<svg" in html
    assert community.get(f"/areas/{world.luocun.pk}/").status_code == 404
    assert community.get("/areas/99999/").status_code == 404
    assert signed_in("auditor").get(f"/areas/{world.xiaozhen.pk}/").status_code == 403


def test_browser_opens_the_single_root(world):
    html = signed_in("township").get("/areas/").content.decode()
    assert "灵泉镇" in html and "石楼小镇社区" in html and "罗村镇" not in html


def test_area_page_query_count_does_not_grow_with_children(world, django_assert_max_num_queries):
    client = signed_in("leader")
    with django_assert_max_num_queries(14):
        assert client.get(f"/areas/{world.county.pk}/").status_code == 200


def test_units_and_posts_pages(world):
    leader = signed_in("leader")
    assert "县民政局" in leader.get("/areas/units/?level=county").content.decode()
    assert "测试gridworker" in leader.get("/areas/posts/").content.decode()
    post = Post.objects.get(person__username="gridworker")
    page = leader.get(f"/areas/posts/{post.pk}/").content.decode()
    assert "grid3_worker的职责一" in page
    assert signed_in("dept").get(f"/areas/posts/{post.pk}/").status_code == 404


def test_audit_page_is_the_auditors(world):
    assert signed_in("auditor").get("/audit/?verify=1").status_code == 200
    assert signed_in("leader").get("/audit/").status_code == 403


def test_admin_opens_by_role(world):
    assert signed_in("admin").get("/admin/areas/area/").status_code == 200
    assert signed_in("secadmin").get("/admin/areas/post/").status_code == 200
    assert signed_in("secadmin").get("/admin/areas/area/").status_code == 403
    assert signed_in("leader").get("/admin/").status_code == 302  # to the admin login


def test_admin_creates_an_area_through_the_service(world):
    from grassroots.areas.models import Area
    from grassroots.core.models import AuditEvent

    client = signed_in("admin")
    resp = client.post(
        "/admin/areas/area/add/",
        {
            "code": "141126100002",
            "name": "新社区",
            "level": "community",
            "parent": world.lingquan.pk,
            "polygon": "null",
            "centre_lon": "",
            "centre_lat": "",
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    area = Area.objects.get(code="141126100002")
    assert area.community_id == area.pk and area.township_id == world.lingquan.pk
    assert AuditEvent.objects.filter(action="area.create", actor_name="admin").exists()
    # a wrong level is a form error, not a crash
    resp = client.post(
        "/admin/areas/area/add/",
        {
            "code": "141126100003",
            "name": "坏",
            "level": "grid3",
            "parent": world.lingquan.pk,
            "polygon": "null",
            "centre_lon": "",
            "centre_lat": "",
        },
    )
    assert resp.status_code == 200
    assert not Area.objects.filter(code="141126100003").exists()


def test_chinese_by_default_and_english_on_request(world):
    client = signed_in("leader")
    assert "区划网格" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert "Areas and grids" in html
    assert "区划网格" not in html


def test_security_headers(world):
    resp = signed_in("leader").get("/")
    assert "default-src 'self'" in resp["Content-Security-Policy"]
    assert resp["X-Frame-Options"] == "DENY"
    assert "<script>" not in resp.content.decode()  # no inline script


def test_static_assets_are_local(world):
    html = signed_in("leader").get("/").content.decode()
    assert "http://" not in html and "https://" not in html


def test_health(db):
    # every check of /health/ is in tests/test_health.py
    assert Client().get("/health/").json()["checks"]["database"] == {"ok": True}


def test_browser_language_does_not_override_chinese(world):
    client = signed_in("leader")
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "区划网格" in html


@pytest.mark.parametrize("username", PERSONAS)
def test_every_link_in_the_navigation_works_for_its_persona(world, username):
    # given the home page of a persona
    client = signed_in(username)
    home = client.get("/")
    links = [i["url"] for i in home.context["nav"]] + [s["url"] for s in home.context["shortcuts"]]
    # then every link it offers opens for that persona
    broken = {url: client.get(url).status_code for url in links}
    assert {u: s for u, s in broken.items() if s != 200} == {}


def test_the_navigation_offers_only_what_the_role_can_use(world):
    dept = signed_in("dept").get("/").content.decode()
    # a department sees people and figures only through its cases: no area-wide pages
    assert "领导驾驶舱" not in dept and "人口与房屋" not in dept and "台账导入导出" not in dept
    assert "我的待办" in dept
    assert "领导驾驶舱" in signed_in("leader").get("/").content.decode()
    for username in ("gridworker", "leader", "auditor", "secadmin", "nobody"):
        assert "接口文档" not in signed_in(username).get("/").content.decode(), username
    assert "接口文档" in signed_in("admin").get("/").content.decode()
