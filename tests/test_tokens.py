"""API tokens that end (issue 15, defect 6; docs/security.md).

Before: DRF's authtoken with get_or_create — asking again returned the same token, it never
expired, logout left it answering /api/v1/me/, and nothing but disabling the account revoked it.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from grassroots.core.models import ApiToken, AuditEvent, User
from grassroots.core.tokens import token_issue, tokens_active
from tests.conftest import PASSWORD, signed_in

TOKEN_URL = "/api/v1/auth/token/"


def ask(client: APIClient | Client | None = None, username: str = "leader") -> dict:
    client = client or APIClient()
    resp = client.post(TOKEN_URL, {"username": username, "password": PASSWORD})
    assert resp.status_code == 200, resp.content
    assert resp["Cache-Control"] == "no-store"
    return resp.json()


def me(raw: str):
    return APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {raw}")


def test_each_request_issues_a_new_token_and_both_answer(world):
    first, second = ask(), ask()
    assert first["token"] != second["token"]
    assert me(first["token"]).status_code == 200 and me(second["token"]).status_code == 200
    assert tokens_active(user=world.users["leader"]).count() == 2
    assert AuditEvent.objects.filter(action="token.issue", actor_name="leader").count() == 2


def test_only_a_hash_and_a_prefix_are_stored(world):
    body = ask()
    row = ApiToken.objects.get(prefix=body["prefix"])
    assert body["token"].startswith("gr_" + body["prefix"])
    assert body["token"] not in (row.key_hash, row.prefix)
    assert len(row.key_hash) == 64


def test_a_token_expires_after_its_lifetime(world):
    issued = timezone.now()
    with time_machine.travel(issued, tick=False):
        body = ask()
    assert body["lifetime_hours"] == 12
    with time_machine.travel(issued + datetime.timedelta(hours=11, minutes=59), tick=False):
        assert me(body["token"]).status_code == 200
    with time_machine.travel(issued + datetime.timedelta(hours=12, seconds=1), tick=False):
        resp = me(body["token"])
    assert resp.status_code == 401
    assert resp.json()["code"] == "token_expired"
    assert resp["WWW-Authenticate"] == "Token"


def test_the_lifetime_comes_from_the_settings(world):
    issued = timezone.now()
    with override_settings(API_TOKEN_HOURS=1), time_machine.travel(issued, tick=False):
        body = ask()
    assert body["lifetime_hours"] == 1
    with time_machine.travel(issued + datetime.timedelta(minutes=61), tick=False):
        assert me(body["token"]).json()["code"] == "token_expired"


def test_delete_revokes_the_callers_token_only(world):
    kept, gone = ask(), ask()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {gone['token']}")
    assert client.delete(TOKEN_URL).status_code == 204
    resp = me(gone["token"])
    assert resp.status_code == 401 and resp.json()["code"] == "token_revoked"
    assert me(kept["token"]).status_code == 200
    assert AuditEvent.objects.filter(
        action="token.revoke", actor_name="leader", changes__reason="owner"
    ).exists()
    # revoking again: the token no longer signs anything in
    assert client.delete(TOKEN_URL).status_code == 401


def test_delete_without_a_token_says_so(world):
    browser = signed_in("leader")
    resp = browser.delete(TOKEN_URL)
    assert resp.status_code == 400 and resp.json()["code"] == "no_token"
    assert APIClient().delete(TOKEN_URL).status_code in (401, 403)


def test_an_unknown_token_is_401_invalid(world):
    resp = me("gr_not-a-real-token")
    assert resp.status_code == 401 and resp.json()["code"] == "token_invalid"


def test_a_stale_token_header_does_not_stop_signing_in(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token gr_expired-or-unknown")
    assert client.post(TOKEN_URL, {"username": "leader", "password": PASSWORD}).status_code == 200


def test_logout_revokes_the_tokens_issued_during_that_session(world):
    # given a browser session that asked for a token, and a token asked for elsewhere
    browser = signed_in("leader")
    from_session = ask(browser)
    elsewhere = ask()
    assert me(from_session["token"]).status_code == 200
    # when the browser signs out
    assert browser.post("/logout/").status_code == 302
    # then the session's token ends with it, the other still answers
    assert me(from_session["token"]).json()["code"] == "token_revoked"
    assert me(elsewhere["token"]).status_code == 200
    assert AuditEvent.objects.filter(action="token.revoke", changes__reason="logout").count() == 1


def test_a_session_of_another_user_does_not_bind_the_token(world):
    browser = signed_in("community")
    body = ask(browser, username="leader")
    assert ApiToken.objects.get(prefix=body["prefix"]).session_key == ""


def test_a_disabled_account_token_stops(world, api):
    body = ask()
    leader = world.users["leader"]
    User.objects.filter(pk=leader.pk).update(is_active=False)
    assert me(body["token"]).json()["code"] == "token_invalid"


def test_last_use_is_recorded_to_the_minute(world, django_assert_num_queries):
    body = ask()
    row = ApiToken.objects.get(prefix=body["prefix"])
    assert row.last_used_at is None
    me(body["token"])
    row.refresh_from_db()
    assert row.last_used_at is not None
    first = row.last_used_at
    me(body["token"])
    row.refresh_from_db()
    assert row.last_used_at == first


def test_security_admin_lists_and_revokes_one_token(world, api):
    leader = world.users["leader"]
    keep, _raw_keep = token_issue(user=leader)
    drop, raw_drop = token_issue(user=leader)
    admin = api("secadmin")
    rows = admin.get(f"/api/v1/accounts/{leader.pk}/tokens/").json()
    assert {r["prefix"] for r in rows} == {keep.prefix, drop.prefix}
    assert set(rows[0]) == {"id", "prefix", "created", "expires", "last_used", "source"}
    assert admin.delete(f"/api/v1/accounts/{leader.pk}/tokens/{drop.pk}/").status_code == 204
    assert me(raw_drop).json()["code"] == "token_revoked"
    rows = admin.get(f"/api/v1/accounts/{leader.pk}/tokens/").json()
    assert [r["prefix"] for r in rows] == [keep.prefix]
    assert AuditEvent.objects.filter(
        action="token.revoke", actor_name="secadmin", object_id=str(drop.pk)
    ).exists()
    # a token of another account, or a missing one: 404 alike
    other, _r = token_issue(user=world.users["community"])
    assert admin.delete(f"/api/v1/accounts/{leader.pk}/tokens/{other.pk}/").status_code == 404
    assert admin.delete(f"/api/v1/accounts/{leader.pk}/tokens/987654/").status_code == 404


def test_revoking_tokens_needs_the_security_admin(world, api):
    leader = world.users["leader"]
    token, _raw = token_issue(user=leader)
    for persona in ("admin", "community"):
        resp = api(persona).delete(f"/api/v1/accounts/{leader.pk}/tokens/{token.pk}/")
        assert resp.status_code in (403, 404), persona
    assert tokens_active(user=leader).count() == 1


def test_security_admin_revokes_one_token_from_the_page(world):
    leader = world.users["leader"]
    token, raw = token_issue(user=leader)
    admin = signed_in("secadmin")
    page = admin.get(f"/accounts/{leader.pk}/").content.decode()
    assert f"{token.prefix}…" in page and raw not in page
    resp = admin.post(f"/accounts/{leader.pk}/tokens/{token.pk}/end/")
    assert resp.status_code == 302
    assert me(raw).json()["code"] == "token_revoked"
    assert f"{token.prefix}…" not in admin.get(f"/accounts/{leader.pk}/").content.decode()


@pytest.mark.parametrize("action", ["disable", "reset-password"])
def test_disabling_or_resetting_revokes_every_token(world, api, action):
    leader = world.users["leader"]
    _t, raw = token_issue(user=leader)
    assert api("secadmin").post(f"/api/v1/accounts/{leader.pk}/{action}/").status_code == 200
    assert me(raw).status_code == 401
    assert not tokens_active(user=leader).exists()


def test_the_posts_are_read_with_the_token_and_not_again(world):
    # given a token of the township leader, used once (its last use recorded)
    raw = ask()["token"]
    me(raw)
    # when a case list is asked for with it
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seen:
        resp = APIClient().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {raw}")
    assert resp.status_code == 200
    # then the posts are read once, by the token's hash, with the token itself (after it, with
    # at most the rate-limit hit between: core.throttle_api)
    sqls = [q["sql"] for q in seen.captured_queries]
    posts = [i for i, sql in enumerate(sqls) if '"areas_post"' in sql]
    assert len(posts) == 1, sqls
    assert '"core_apitoken"' in sqls[0] and "key_hash" in sqls[posts[0]]
    assert all("core_throttlecounter" in sql for sql in sqls[1 : posts[0]]), sqls


def test_a_refused_token_grants_nothing_it_read(world):
    # given the leader's token, revoked
    raw = ask()["token"]
    ApiToken.objects.filter(prefix=raw[3:11]).update(revoked_at=timezone.now())
    # when it asks for cases, then it is refused before any scope is kept
    resp = APIClient().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {raw}")
    assert resp.status_code == 401
    assert resp.json()["code"] == "token_revoked"


def test_a_post_ended_today_no_longer_grants_through_a_token(world):
    # given the leader's token and their posts ended as of today
    from grassroots.areas.models import Post

    raw = ask()["token"]
    leader = world.users["leader"]
    Post.objects.filter(person=leader).update(ended_on=timezone.localdate())
    # when the token asks for the cases, then it holds no right to them
    resp = APIClient().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {raw}")
    assert resp.status_code == 403
