"""The Shilou demo: the article's figures, the demo accounts and their scopes, through the API.

The demo is loaded once for this module inside a transaction that is rolled back at the end.
"""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from rest_framework.test import APIClient

from grassroots.areas.models import Area, Post, Unit
from grassroots.core.audit import audit_verify
from grassroots.core.models import User
from grassroots.demo.loader import DEMO_USERNAMES, load_demo

PASSWORD = "Demo-test-2026"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with (
        django_db_blocker.unblock(),
        override_settings(
            VAR_DIR=tmp_path_factory.mktemp("var"),
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        transaction.atomic(),
    ):
        result = load_demo(password=PASSWORD, seed=1)
        yield result
        transaction.set_rollback(True)


def client_for(username):
    client = APIClient()
    resp = client.post("/api/v1/auth/token/", {"username": username, "password": PASSWORD})
    assert resp.status_code == 200, resp.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {resp.json()['token']}")
    return client


@pytest.mark.slow
@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("/api/v1/areas/?level=grid1", 60),
        ("/api/v1/areas/?level=grid2", 214),
        ("/api/v1/areas/?level=grid3", 1116),
        ("/api/v1/areas/?level=township", 9),
        ("/api/v1/units/?level=county", 27),
    ],
)
def test_the_articles_figures_through_the_api(demo, db, query, count):
    assert client_for("leader").get(query).json()["count"] == count


@pytest.mark.slow
def test_seven_communities_under_the_county_seat(demo, db):
    seat = Area.objects.get(name="灵泉镇")
    communities = Area.objects.filter(parent=seat, level="community")
    assert communities.count() == 7
    assert communities.filter(name="石楼小镇社区").exists()
    assert Area.objects.filter(name="胡家峪村", parent=seat, level="village").exists()
    assert not Area.objects.filter(polygon__isnull=True).exists()


@pytest.mark.slow
def test_every_community_has_15_to_18_posts_and_every_grid_a_worker(demo, db):
    for community in Area.objects.filter(level="community"):
        n = Post.objects.filter(area=community).count()
        assert 15 <= n <= 18, community.name
    grid3 = Area.objects.filter(level="grid3")
    assert (
        Post.objects.filter(area__level="grid3").values("area").distinct().count() == grid3.count()
    )
    assert Post.objects.filter(area__level="grid1").values("area").distinct().count() == 60


@pytest.mark.slow
def test_only_the_demo_accounts_can_log_in(demo, db):
    can_login = {u.username for u in User.objects.all() if u.has_usable_password()}
    assert can_login == set(DEMO_USERNAMES)


@pytest.mark.slow
def test_gridworker_sees_only_its_micro_grid(demo, db):
    body = client_for("gridworker").get("/api/v1/areas/").json()
    assert body["count"] == 1
    grid = Area.objects.get(pk=body["results"][0]["id"])
    assert grid.level == "grid3"
    assert Area.objects.get(pk=grid.community_id).name == "石楼小镇社区"


@pytest.mark.slow
def test_township_sees_only_lingquan(demo, db):
    seat = Area.objects.get(name="灵泉镇")
    client = client_for("township")
    assert (
        client.get("/api/v1/areas/").json()["count"] == Area.objects.filter(township=seat).count()
    )
    townships = client.get("/api/v1/areas/?level=township").json()["results"]
    assert [t["name"] for t in townships] == ["灵泉镇"]
    other = Area.objects.get(name="罗村镇")
    assert client.get(f"/api/v1/areas/{other.pk}/").status_code == 404


@pytest.mark.slow
def test_dept_sees_its_unit_and_no_area(demo, db):
    client = client_for("dept")
    assert client.get("/api/v1/areas/").json()["count"] == 0
    units = client.get("/api/v1/units/").json()["results"]
    assert [u["name"] for u in units] == ["县人力资源和社会保障局"]


@pytest.mark.slow
def test_loading_is_audited_and_the_chain_holds(demo, db):
    report = audit_verify()
    assert report.broken_at is None and not report.reason and report.checked > 1000


@pytest.mark.slow
def test_second_load_reuses(demo, db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    again = load_demo(password=PASSWORD, seed=1)
    assert not again.created
    assert Unit.objects.filter(level="county").count() == 27


@pytest.mark.slow
def test_loaddemo_command_prints_the_accounts(demo, db, capsys, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("loaddemo", "--password", PASSWORD)
    out = capsys.readouterr().out
    assert "沿用" in out
    for username in DEMO_USERNAMES:
        assert username in out
