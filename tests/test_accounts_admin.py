"""Account administration by the security administrator: pages and API (SECURITY.md 1, 3, 6, 7)."""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from grassroots.areas import services as area_services
from grassroots.areas.accounts import services as accounts
from grassroots.areas.models import PostType
from grassroots.core.accounts import one_time_password
from grassroots.core.errors import DomainError
from grassroots.core.models import AuditEvent, LoginSession, LoginThrottle, User
from grassroots.core.tokens import token_issue, tokens_active
from tests.conftest import PASSWORD, signed_in
from tests.otp_support import secret_code

OTP = re.compile(r'id="one-time-password">([^<]+)<')


def lock(username: str) -> None:
    LoginThrottle.objects.create(
        username=username, locked_until=timezone.now() + timezone.timedelta(minutes=30)
    )


@pytest.fixture
def localsec(world):
    """A security administrator of 罗村镇 only."""
    user = User.objects.create(username="localsec", full_name="罗村安全员")
    user.set_password(PASSWORD)
    user.save()
    area_services.post_create(
        actor=None,
        person=user,
        post_type=PostType.objects.get(code="security_admin"),
        area=world.luocun,
        started_on=timezone.localdate(),
    )
    return user


# --- who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["admin", "auditor", "leader", "gridworker", "nobody"])
def test_other_roles_get_403(world, api, persona):
    assert signed_in(persona).get("/accounts/").status_code == 403
    assert api(persona).get("/api/v1/accounts/").status_code == 403
    resp = api(persona).post(
        f"/api/v1/accounts/{world.users['leader'].pk}/reset-password/", format="json"
    )
    assert resp.status_code == 403
    assert resp.json()["code"] == "forbidden"


def test_out_of_scope_accounts_are_404(world, localsec, api):
    client = signed_in("localsec")
    leader = world.users["leader"]  # a county post, not inside 罗村镇
    assert client.get(f"/accounts/{leader.pk}/").status_code == 404
    assert client.post(f"/accounts/{leader.pk}/disable/").status_code == 404
    resp = api("localsec").post(f"/api/v1/accounts/{leader.pk}/disable/", format="json")
    assert resp.status_code == 404 and resp.json()["code"] == "not_found"
    assert api("localsec").get("/api/v1/accounts/999999/").status_code == 404
    assert User.objects.get(pk=leader.pk).is_active


def test_list_shows_only_accounts_in_scope(world, localsec, api):
    villager = User.objects.create(username="luocun_worker", full_name="罗村网格员")
    area_services.post_create(
        actor=None,
        person=villager,
        post_type=PostType.objects.get(code="grid3_worker"),
        area=world.luocun_grid3,
        started_on=timezone.localdate(),
    )
    names = {r["username"] for r in api("localsec").get("/api/v1/accounts/").json()["results"]}
    assert names == {"localsec", "luocun_worker", "nobody"}  # nobody holds no post yet
    county = {r["username"] for r in api("secadmin").get("/api/v1/accounts/").json()["results"]}
    assert {"leader", "gridworker", "nobody", "luocun_worker", "localsec"} <= county


def test_a_township_admin_gives_a_new_account_its_first_post(world, localsec, api):
    client = api("localsec")
    pk = client.post(
        "/api/v1/accounts/", {"username": "lc1", "full_name": "罗村新人"}, format="json"
    ).json()["id"]
    resp = client.post(
        f"/api/v1/accounts/{pk}/posts/",
        {"post_type": "grid3_worker", "area": world.luocun_grid3.pk},
        format="json",
    )
    assert resp.status_code == 201
    # but not over an area outside their township
    resp = client.post(
        f"/api/v1/accounts/{pk}/posts/",
        {"post_type": "grid3_worker", "area": world.grid3a.pk},
        format="json",
    )
    assert resp.status_code == 404


# --- the pages, end to end (the journey the integrator will drive in a browser) ---------------


def test_secadmin_creates_an_account_and_the_new_user_must_change_the_password(world):
    admin = signed_in("secadmin")
    page = admin.get("/accounts/")
    assert "账号管理" in page.content.decode() and 'id="account-new"' in page.content.decode()
    # create
    resp = admin.post("/accounts/new/", {"username": "wanghong", "full_name": "王红"})
    assert resp.status_code == 200
    assert "no-store" in resp["Cache-Control"]
    password = OTP.search(resp.content.decode()).group(1)
    account = User.objects.get(username="wanghong")
    assert account.must_change_password and account.check_password(password)
    # assign a post
    resp = admin.post(
        f"/accounts/{account.pk}/posts/",
        {
            "post_type": PostType.objects.get(code="grid3_worker").pk,
            "area_code": world.grid3b.code,
            "started_on": timezone.localdate().isoformat(),
        },
    )
    assert resp.status_code == 302
    assert account.posts.get().area == world.grid3b
    # the new user signs in; a grid worker sees unmasked data, so they enrol a second factor
    # first, then change the password before anything else
    user = Client()
    resp = user.post("/login/", {"username": "wanghong", "password": password})
    assert user.get("/").headers["Location"].startswith("/login/otp/enrol/")
    secret = re.search(
        r'id="otp-secret">([A-Z2-7 ]+)<', user.get("/login/otp/enrol/").content.decode()
    )
    assert user.post("/login/otp/enrol/", {"code": secret_code(secret.group(1))}).status_code == 200
    assert user.get("/").status_code == 302
    assert user.get("/").headers["Location"].startswith("/password/")
    assert user.get("/people/").headers["Location"].startswith("/password/")
    page = user.get("/password/").content.decode()
    assert "请先修改密码" in page and 'id="password-policy"' in page
    resp = user.post(
        "/password/",
        {
            "old_password": password,
            "new_password": "Grid-wang-2026",
            "new_password2": "Grid-wang-2026",
        },
    )
    assert resp.status_code == 302
    assert user.get("/").status_code == 200
    account.refresh_from_db()
    assert not account.must_change_password
    # the audit holds the actions, never the password
    rows = AuditEvent.objects.filter(object_type="user", object_id=str(account.pk))
    assert {"account.create", "account.password_change"} <= set(
        rows.values_list("action", flat=True)
    )
    assert not any(password in str(r.changes) for r in AuditEvent.objects.all())


def test_create_refuses_a_taken_username_on_the_form(world):
    resp = signed_in("secadmin").post("/accounts/new/", {"username": "leader", "full_name": "重名"})
    assert resp.status_code == 400
    assert "已存在" in resp.content.decode()


def test_list_search_and_states(world):
    lock("leader")
    User.objects.filter(username="dept").update(is_active=False)
    client = signed_in("secadmin")
    page = client.get("/accounts/", {"q": "测试lead"}).content.decode()
    assert "测试leader" in page and "测试dept" not in page and "已锁定" in page
    page = client.get("/accounts/", {"state": "disabled"}).content.decode()
    assert "测试dept" in page and "测试leader" not in page
    assert client.get("/accounts/", {"state": "bogus"}).status_code == 400


def test_account_list_query_count_does_not_grow(world, django_assert_max_num_queries):
    client = signed_in("secadmin")
    client.get("/accounts/")
    for n in range(15):
        User.objects.create(username=f"extra{n}", full_name=f"新人{n}")
    with django_assert_max_num_queries(12):
        assert client.get("/accounts/").status_code == 200


def test_disable_ends_sessions_and_tokens_and_enable_restores(world, api):
    leader = world.users["leader"]
    leader_client = signed_in("leader")
    token_issue(user=leader)
    admin = signed_in("secadmin")
    detail = admin.get(f"/accounts/{leader.pk}/").content.decode()
    assert "登录会话" in detail and "停用账号" in detail
    assert admin.post(f"/accounts/{leader.pk}/disable/").status_code == 302
    assert leader_client.get("/").status_code == 302  # signed out
    assert not tokens_active(user=leader).exists()
    assert not LoginSession.objects.filter(user=leader).exists()
    assert Client().post("/login/", {"username": "leader", "password": PASSWORD}).status_code == 200
    assert admin.post(f"/accounts/{leader.pk}/enable/").status_code == 302
    assert signed_in("leader").get("/").status_code == 200


def test_unlock_from_the_page(world):
    lock("leader")
    client = signed_in("secadmin")
    assert "解除锁定" in client.get(f"/accounts/{world.users['leader'].pk}/").content.decode()
    client.post(f"/accounts/{world.users['leader'].pk}/unlock/")
    assert not LoginThrottle.objects.filter(username="leader").exists()
    assert AuditEvent.objects.filter(action="account.unlock", actor_name="secadmin").exists()
    signed_in("leader")


def test_reset_password_shows_it_once_and_forces_a_change(world, api):
    leader = world.users["leader"]
    token_issue(user=leader)
    lock("leader")
    resp = api("secadmin").post(f"/api/v1/accounts/{leader.pk}/reset-password/", format="json")
    assert resp.status_code == 200 and "no-store" in resp["Cache-Control"]
    body = resp.json()
    assert body["must_change_password"] is True and body["state"] == "must_change"
    password = body["one_time_password"]
    leader.refresh_from_db()
    assert leader.check_password(password) and not leader.check_password(PASSWORD)
    assert not tokens_active(user=leader).exists()
    assert not LoginThrottle.objects.filter(username="leader").exists()
    # the account is shown without the password afterwards
    again = api("secadmin").get(f"/api/v1/accounts/{leader.pk}/").json()
    assert "one_time_password" not in again


def test_admin_cannot_administer_their_own_account(world, api):
    me = world.users["secadmin"]
    for action in ("disable", "reset-password", "unlock"):
        resp = api("secadmin").post(f"/api/v1/accounts/{me.pk}/{action}/", format="json")
        assert resp.status_code == 403, action
        assert resp.json()["code"] == "own_account"
    page = signed_in("secadmin").get(f"/accounts/{me.pk}/").content.decode()
    assert "管理员不能管理自己的账号" in page and "重置密码</button>" not in page


# --- the API ------------------------------------------------------------------------------------


def test_api_create_assign_and_end_a_post(world, api):
    client = api("secadmin")
    resp = client.post(
        "/api/v1/accounts/", {"username": "lisi", "full_name": "李四"}, format="json"
    )
    assert resp.status_code == 201
    body = resp.json()
    assert body["state"] == "must_change" and body["posts"] == []
    assert len(body["one_time_password"]) >= 12
    pk = body["id"]
    resp = client.post(
        f"/api/v1/accounts/{pk}/posts/",
        {
            "post_type": "community_secretary",
            "area": world.xiaozhen.pk,
            "unit": world.xiaozhen_station.pk,
        },
        format="json",
    )
    assert resp.status_code == 201
    post_id = resp.json()["id"]
    listed = client.get("/api/v1/accounts/", {"q": "lisi"}).json()
    assert listed["count"] == 1 and listed["results"][0]["posts"][0]["id"] == post_id
    resp = client.post(f"/api/v1/accounts/{pk}/posts/{post_id}/end/", {}, format="json")
    assert resp.status_code == 200 and resp.json()["ended_on"]
    assert client.get(f"/api/v1/accounts/{pk}/").json()["posts"] == []


def test_api_inputs_are_strict(world, api):
    client = api("secadmin")
    resp = client.post(
        "/api/v1/accounts/",
        {"username": "x1", "full_name": "某", "is_superuser": True},
        format="json",
    )
    assert resp.status_code == 400 and resp.json()["code"] == "invalid"
    resp = client.post(
        f"/api/v1/accounts/{world.users['leader'].pk}/disable/", {"why": 1}, format="json"
    )
    assert resp.status_code == 400
    assert client.get("/api/v1/accounts/", {"state": "weird"}).json()["code"] == "invalid_filter"


def test_api_sessions_and_tokens(world, api):
    leader = world.users["leader"]
    browser = signed_in("leader")
    token_issue(user=leader)
    client = api("secadmin")
    sessions = client.get(f"/api/v1/accounts/{leader.pk}/sessions/").json()
    assert len(sessions) == 1
    tokens = client.get(f"/api/v1/accounts/{leader.pk}/tokens/").json()
    assert len(tokens) == 1 and len(tokens[0]["prefix"]) == 8
    resp = client.delete(f"/api/v1/accounts/{leader.pk}/sessions/{sessions[0]['id']}/")
    assert resp.status_code == 204
    assert browser.get("/").status_code == 302
    assert client.delete(f"/api/v1/accounts/{leader.pk}/tokens/").status_code == 204
    assert not tokens_active(user=leader).exists()
    assert client.get(f"/api/v1/accounts/{leader.pk}/sessions/").json() == []


def test_logout_forgets_the_session_record(world):
    client = signed_in("leader")
    assert LoginSession.objects.filter(user=world.users["leader"]).count() == 1
    client.post("/logout/")
    assert not LoginSession.objects.filter(user=world.users["leader"]).exists()
    assert not Session.objects.exists()


def test_services_without_a_request_are_audited(world):
    user, _password = accounts.account_open(actor=None, username="cmd1", full_name="命令")
    accounts.account_disable(actor=None, account=user)
    with pytest.raises(DomainError) as err:
        accounts.account_disable(actor=None, account=user)
    assert err.value.code == "wrong_state"
    rows = AuditEvent.objects.filter(object_type="user", object_id=str(user.pk))
    actions = rows.values_list("action", flat=True)
    assert list(actions) == ["account.create", "account.disable"]


def test_one_time_passwords_pass_the_policy(db):
    from django.contrib.auth.password_validation import validate_password

    seen = set()
    for _ in range(50):
        password = one_time_password()
        validate_password(password, User(username="someone"))
        seen.add(password)
    assert len(seen) == 50


def test_django_admin_lists_accounts_read_only(world):
    # the User admin was registered on a site Django then discarded: /admin/core/user/ was 404
    client = signed_in("secadmin")
    page = client.get("/admin/core/user/")
    assert page.status_code == 200 and "测试leader" in page.content.decode()
    assert client.get("/admin/core/user/add/").status_code == 403
    leader = world.users["leader"]
    resp = client.post(f"/admin/core/user/{leader.pk}/change/", {"full_name": "改名"})
    assert resp.status_code in (200, 403)
    assert User.objects.get(pk=leader.pk).full_name == "测试leader"
    assert signed_in("leader").get("/admin/core/user/").status_code == 302


def test_the_admin_login_form_cannot_bypass_the_lockout(world):
    lock("secadmin")
    client = Client()
    resp = client.post("/admin/login/?next=/admin/", {"username": "secadmin", "password": PASSWORD})
    assert resp.status_code == 302 and resp["Location"].startswith("/login/")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_the_admin_post_list_is_scoped(world, localsec):
    page = signed_in("localsec").get("/admin/areas/post/").content.decode()
    assert "罗村镇" in page and "测试gridworker" not in page


def test_sessions_that_ended_without_logout_are_pruned_at_the_next_login(world, settings):
    settings.SESSION_IDLE_SECONDS = -1
    client = signed_in("leader")
    client.get("/")
    client.get("/")  # idle too long: signed out without the logout page
    settings.SESSION_IDLE_SECONDS = 1800
    signed_in("leader")
    assert LoginSession.objects.filter(user=world.users["leader"]).count() == 1
