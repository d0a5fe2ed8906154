"""Changing one's own password, and the hold on accounts that must change it (SECURITY.md 2)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from grassroots.core import accounts
from grassroots.core.models import AuditEvent, User
from grassroots.core.otp import confirmed_device
from tests.conftest import PASSWORD, signed_in
from tests.otp_support import fresh_code

NEW = "Fresh-pass-2026"


def must_change(username: str) -> User:
    User.objects.filter(username=username).update(must_change_password=True)
    return User.objects.get(username=username)


def change(client, old=PASSWORD, new=NEW, again=None, **extra):
    data = {"old_password": old, "new_password": new, "new_password2": again or new, **extra}
    return client.post("/password/", data)


def test_everyone_can_change_their_password_from_the_top_bar(world):
    client = signed_in("gridworker")
    home = client.get("/").content.decode()
    assert 'id="password-change-link"' in home and "修改密码" in home
    page = client.get("/password/").content.decode()
    assert "至少" in page  # the minimum length rule, from the configured validators
    assert "三类" in page  # the character-class rule
    assert "90" in page  # the expiry
    resp = change(client)
    assert resp.status_code == 302 and resp["Location"] == "/"
    assert client.get("/").status_code == 200  # the current session survives
    assert Client().post("/login/", {"username": "gridworker", "password": NEW}).status_code == 302
    assert AuditEvent.objects.filter(action="account.password_change", result="ok").exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"old": "wrong"}, "当前密码不正确"),
        ({"new": "short1A"}, "密码"),
        ({"new": PASSWORD}, "不能与当前密码相同"),
        ({"again": "Other-pass-2026"}, "两次输入的新密码不一致"),
    ],
)
def test_bad_changes_are_refused_on_the_page(world, kwargs, message):
    client = signed_in("gridworker")
    resp = change(client, **kwargs)
    assert resp.status_code == 400
    assert message in resp.content.decode()
    assert User.objects.get(username="gridworker").check_password(PASSWORD)


def test_a_must_change_account_is_held_on_the_change_page(world):
    must_change("leader")
    client = Client()
    resp = client.post("/login/", {"username": "leader", "password": PASSWORD})
    assert resp.status_code == 302
    for path in ("/", "/cases/", "/dashboard/", "/admin/", "/accounts/"):
        resp = client.get(path)
        assert resp.status_code == 302, path
        assert resp["Location"].startswith("/password/?next="), path
    # what stays open
    assert client.get("/password/").status_code == 200
    assert "Location" not in client.get("/health/")  # answered (200 or 503), not held
    resp = client.get("/api/v1/me/")
    assert resp.status_code == 403 and resp.json()["code"] == "password_change_required"
    # after the change, the page asked for first
    resp = change(client, next="/cases/")
    assert resp.status_code == 302 and resp["Location"] == "/cases/"
    assert client.get("/").status_code == 200


def test_logout_stays_open_while_held(world):
    must_change("leader")
    client = signed_in("leader")
    assert client.post("/logout/").status_code == 302
    assert client.get("/").headers["Location"].startswith("/login/")


def test_api_holds_token_callers_until_they_change_it(world, api):
    must_change("hotline")
    client = api("hotline")
    resp = client.get("/api/v1/cases/")
    assert resp.status_code == 403
    assert resp.json()["code"] == "password_change_required"
    resp = client.post(
        "/api/v1/me/password/",
        {"old_password": PASSWORD, "new_password": NEW},
        format="json",
    )
    assert resp.status_code == 204
    assert client.get("/api/v1/cases/").status_code == 200


def test_api_password_change_refuses_bad_input(world, api):
    resp = api("hotline").post(
        "/api/v1/me/password/",
        {"old_password": "nope", "new_password": NEW},
        format="json",
    )
    assert resp.status_code == 400 and resp.json()["code"] == "wrong_password"
    resp = api("hotline").post(
        "/api/v1/me/password/",
        {"old_password": PASSWORD, "new_password": NEW, "username": "x"},
        format="json",
    )
    assert resp.status_code == 400 and resp.json()["code"] == "invalid"


def test_token_can_still_be_obtained_while_held(world, api):
    must_change("hotline")
    code = fresh_code(confirmed_device(world.users["hotline"]))
    resp = api().post(
        "/api/v1/auth/token/", {"username": "hotline", "password": PASSWORD, "otp": code}
    )
    assert resp.status_code == 200


def test_an_expired_password_must_be_changed(world, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    old = timezone.now() - datetime.timedelta(days=91)
    User.objects.filter(username="leader").update(password_changed_at=old)
    client = signed_in("leader")
    resp = client.get("/")
    assert resp["Location"].startswith("/password/")
    assert "已过期" in client.get("/password/").content.decode()
    change(client)
    assert client.get("/").status_code == 200


def test_expiry_can_be_switched_off(world, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 0
    old = timezone.now() - datetime.timedelta(days=900)
    User.objects.filter(username="leader").update(password_changed_at=old)
    assert not accounts.password_change_required(User.objects.get(username="leader"))
    assert signed_in("leader").get("/").status_code == 200


def test_login_lockout_still_applies(world):
    # failures from three addresses: one address alone cannot lock an account (defect 7)
    for n in range(5):
        Client(REMOTE_ADDR=f"10.0.0.{n // 2}").post(
            "/login/", {"username": "leader", "password": "wrong"}
        )
    resp = Client().post("/login/", {"username": "leader", "password": PASSWORD})
    assert resp.status_code == 200 and "锁定" in resp.content.decode()


def test_next_cannot_leave_the_site(world):
    must_change("leader")
    client = signed_in("leader")
    resp = change(client, next="https://evil.example/")
    assert resp["Location"] == "/"
