"""The second factor (SECURITY.md 4): who needs it, enrolment, codes, replay, recovery codes,
the security administrator's reset, tokens, and unlocking oneself with a code."""

from __future__ import annotations

import contextlib
import datetime
import re
from collections.abc import Iterator

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from grassroots.areas.accounts.otp import second_factor_reset
from grassroots.core import otp
from grassroots.core.errors import DomainError, SecondFactorError
from grassroots.core.models import AuditEvent, LoginThrottle, RecoveryCode, User
from grassroots.core.roles import Perm
from tests.conftest import PASSWORD, signed_in
from tests.otp_support import code_at, enrol, fresh_code, secret_code

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def after_the_throttle() -> Iterator[None]:
    """A few seconds later: django-otp slows down guessing after a wrong code (1 s, 2 s, …)."""
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=3)):
        yield


def password_only(username: str) -> Client:
    client = Client()
    assert client.post("/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def test_the_rule_covers_the_three_administrators_and_unmasked_data():
    assert {Perm.MANAGE_AREAS, Perm.MANAGE_POSTS, Perm.VIEW_AUDIT} <= otp.SECOND_FACTOR_PERMS
    assert {Perm.REVEAL_PEOPLE, Perm.EXPORT_UNMASKED} <= otp.SECOND_FACTOR_PERMS
    # the viewing rights every post holds do not make it compulsory
    assert Perm.VIEW_AREAS not in otp.SECOND_FACTOR_PERMS


@pytest.mark.parametrize(
    "username, required",
    [
        ("admin", True),
        ("secadmin", True),
        ("auditor", True),
        ("township", True),  # exports unmasked ledgers
        ("gridworker", True),  # reveals full numbers
        ("hotline", True),
        ("leader", False),
        ("dept", False),
        ("nobody", False),
    ],
)
def test_who_must_have_a_second_factor(world, username, required):
    assert otp.second_factor_required(User.objects.get(username=username)) is required


def test_an_enrolled_user_is_asked_for_the_code_after_the_password(world):
    client = password_only("admin")
    resp = client.get("/areas/")
    assert resp.status_code == 302 and resp["Location"].startswith("/login/otp/?next=")
    # the session API is held too
    assert client.get("/api/v1/me/").json()["code"] == "second_factor_required"
    device = otp.confirmed_device(world.users["admin"])
    assert client.post("/login/otp/", {"code": fresh_code(device), "next": "/areas/"})[
        "Location"
    ] == ("/areas/")
    assert client.get("/areas/").status_code == 200


def test_a_wrong_code_is_refused_and_audited(world):
    client = password_only("admin")
    resp = client.post("/login/otp/", {"code": "000000"})
    assert resp.status_code == 400 and "动态码不正确" in resp.content.decode()
    assert client.get("/areas/").status_code == 302
    assert AuditEvent.objects.filter(action="otp.verify", result="failed").exists()


def test_a_code_is_accepted_once(world):
    device = otp.confirmed_device(world.users["admin"])
    code = fresh_code(device)
    first = password_only("admin")
    assert first.post("/login/otp/", {"code": code}).status_code == 302
    second = password_only("admin")
    assert second.post("/login/otp/", {"code": code}).status_code == 400
    assert second.get("/areas/").status_code == 302


def test_a_code_older_than_the_last_accepted_is_refused(world):
    device = otp.confirmed_device(world.users["admin"])
    fresh_code(device)
    device.refresh_from_db()
    with pytest.raises(SecondFactorError):
        otp.otp_verify(user=world.users["admin"], code=code_at(device, device.last_t))


def test_enrolment_shows_the_secret_and_a_local_qr_code_and_confirms_with_a_code(world):
    user = world.users["leader"]  # optional for a leader: enrols from the account page
    client = signed_in("leader")
    assert "未绑定" in client.get("/account/second-factor/").content.decode()
    page = client.get("/login/otp/enrol/")
    assert "no-store" in page["Cache-Control"]
    secret = re.search(r'id="otp-secret">([A-Z2-7 ]+)<', page.content.decode()).group(1)
    qr = client.get("/login/otp/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml" and qr.content.startswith(b"<?xml")
    assert client.post("/login/otp/enrol/", {"code": "123"}).status_code == 400
    assert otp.confirmed_device(user) is None
    resp = client.post("/login/otp/enrol/", {"code": secret_code(secret)})
    assert resp.status_code == 200
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", resp.content.decode())
    assert len(codes) == otp.RECOVERY_CODES
    # stored hashed: no code appears in the table
    stored = set(RecoveryCode.objects.filter(user=user).values_list("digest", flat=True))
    assert len(stored) == otp.RECOVERY_CODES and not stored & set(codes)
    assert otp.confirmed_device(user) is not None
    # the QR code of an enrolled device is gone; a second enrolment is refused
    assert client.get("/login/otp/qr.svg").status_code == 404
    with pytest.raises(SecondFactorError):
        otp.otp_enrol_start(user=user)
    # from now on the leader is asked for a code too
    assert password_only("leader").get("/").status_code == 302


def test_a_required_user_without_a_device_is_sent_to_enrolment_and_nothing_else(world):
    TOTPDevice.objects.filter(user=world.users["auditor"]).delete()
    client = password_only("auditor")
    for path in ("/", "/audit/", "/password/", "/account/second-factor/"):
        assert client.get(path)["Location"].startswith("/login/otp/enrol/"), path
    assert client.get("/login/otp/enrol/").status_code == 200


def test_an_unverified_session_cannot_enrol_another_device(world):
    client = password_only("admin")
    assert client.get("/login/otp/enrol/")["Location"] == "/account/second-factor/"
    assert client.get("/login/otp/qr.svg").status_code == 404
    assert client.post("/account/second-factor/").status_code == 302  # no new recovery codes


def test_a_recovery_code_works_once(world):
    user = world.users["leader"]
    enrol(user)
    codes = otp.recovery_codes_issue(user=user)
    client = password_only("leader")
    assert client.post("/login/otp/", {"code": codes[0].upper()}).status_code == 302
    assert client.get("/").status_code == 200
    again = password_only("leader")
    assert again.post("/login/otp/", {"code": codes[0]}).status_code == 400
    assert otp.recovery_codes_left(user) == otp.RECOVERY_CODES - 1
    assert AuditEvent.objects.filter(action="otp.recovery_use", result="ok").count() == 1


def test_new_recovery_codes_replace_the_old_ones(world):
    user = world.users["admin"]
    old = otp.recovery_codes_issue(user=user)
    client = signed_in("admin")
    resp = client.post("/account/second-factor/")
    assert resp.status_code == 200 and "no-store" in resp["Cache-Control"]
    with pytest.raises(SecondFactorError):
        otp.otp_verify(user=user, code=old[0])


def test_the_security_admin_resets_a_second_factor_audited(world):
    target = world.users["admin"]
    assert otp.recovery_codes_issue(user=target)
    client = signed_in("secadmin")
    assert "重置两步验证" in client.get(f"/accounts/{target.pk}/").content.decode()
    assert client.post(f"/accounts/{target.pk}/second-factor/reset/").status_code == 302
    assert otp.confirmed_device(target) is None
    assert not RecoveryCode.objects.filter(user=target).exists()
    row = AuditEvent.objects.get(action="otp.reset")
    assert row.actor == world.users["secadmin"] and row.object_id == str(target.pk)
    # the admin's next sign-in goes to enrolment
    assert password_only("admin").get("/")["Location"].startswith("/login/otp/enrol/")


def test_only_the_security_admin_resets_and_never_their_own(world):
    with pytest.raises(DomainError) as exc:
        second_factor_reset(actor=world.users["admin"], account=world.users["auditor"])
    assert exc.value.status == 403
    with pytest.raises(DomainError) as exc:
        second_factor_reset(actor=world.users["secadmin"], account=world.users["secadmin"])
    assert exc.value.status == 403
    assert signed_in("admin").post(f"/accounts/{world.users['auditor'].pk}/second-factor/reset/")
    assert otp.confirmed_device(world.users["auditor"]) is not None


def test_a_token_for_a_required_role_needs_a_valid_code(world, api):
    url = "/api/v1/auth/token/"
    creds = {"username": "gridworker", "password": PASSWORD}
    resp = api().post(url, creds)
    assert resp.status_code == 400 and resp.json()["code"] == "second_factor_invalid"
    assert api().post(url, {**creds, "otp": "000000"}).status_code == 400
    device = otp.confirmed_device(world.users["gridworker"])
    code = fresh_code(device)
    with after_the_throttle():
        resp = api().post(url, {**creds, "otp": code})
    assert resp.status_code == 200 and resp.json()["token"]
    assert api().post(url, {**creds, "otp": code}).status_code == 400  # replay


def test_a_token_for_a_required_role_without_a_device_is_refused(world, api):
    TOTPDevice.objects.filter(user=world.users["auditor"]).delete()
    resp = api().post("/api/v1/auth/token/", {"username": "auditor", "password": PASSWORD})
    assert resp.status_code == 403 and resp.json()["code"] == "second_factor_not_enrolled"


def test_a_token_for_an_optional_role_needs_no_code(world, api):
    resp = api().post("/api/v1/auth/token/", {"username": "leader", "password": PASSWORD})
    assert resp.status_code == 200


def test_a_locked_user_unlocks_with_a_code(world, settings):
    # failures from as many addresses (one address alone cannot lock an account)
    for i in range(settings.LOCKOUT_FAILURES):
        Client(REMOTE_ADDR=f"10.9.0.{i}").post(
            "/login/", {"username": "admin", "password": "wrong"}
        )
    assert (
        "锁定"
        in Client().post("/login/", {"username": "admin", "password": PASSWORD}).content.decode()
    )
    resp = Client().post("/login/unlock/", {"username": "admin", "code": "000000"})
    assert resp.status_code == 400
    assert LoginThrottle.objects.get(username="admin").locked_until is not None
    code = fresh_code(otp.confirmed_device(world.users["admin"]))
    with after_the_throttle():
        resp = Client().post("/login/unlock/", {"username": "admin", "code": code})
    assert resp.status_code == 200 and 'id="unlocked"' in resp.content.decode()
    assert not LoginThrottle.objects.filter(username="admin").exists()
    [unlocked] = AuditEvent.objects.filter(action="account.unlock", result="ok")
    assert unlocked.changes["via"] == "totp" and unlocked.actor == world.users["admin"]
    # the password and a second (fresh) code are still needed to sign in
    assert password_only("admin").get("/").status_code == 302


def test_unlock_answers_alike_for_unknown_and_unenrolled_accounts(world):
    answers = {
        re.sub(
            r'value="[^"]*"',
            "",
            Client().post("/login/unlock/", {"username": u, "code": "123456"}).content.decode(),
        )
        for u in ("nosuchuser", "dept")
    }
    assert len(answers) == 1 and "账号或动态码不正确" in answers.pop()


def test_after_a_wrong_code_even_the_right_one_waits(world):
    user = world.users["admin"]
    code = fresh_code(otp.confirmed_device(user))
    with pytest.raises(SecondFactorError):
        otp.otp_verify(user=user, code="000000")
    with pytest.raises(SecondFactorError):
        otp.otp_verify(user=user, code=code)  # throttled: guessing is slowed down
    with after_the_throttle():
        otp.otp_verify(user=user, code=code)


def test_the_deploy_check_warns_of_administrators_without_a_second_factor(world, capsys):
    from grassroots.core.checks_otp import administrators_without_second_factor

    assert administrators_without_second_factor() == []
    TOTPDevice.objects.filter(user=world.users["auditor"]).delete()
    [warning] = administrators_without_second_factor()
    assert warning.id == "grassroots.W101" and "auditor" in warning.msg
    # a grid worker without a device is not an administrator: not in this warning
    TOTPDevice.objects.filter(user=world.users["gridworker"]).delete()
    assert "gridworker" not in administrators_without_second_factor()[0].msg
    # (other deploy checks may judge this machine's var/ folder: only the warning matters here)
    call_command("check", "--deploy", "--tag", "security", "--fail-level", "CRITICAL")
    assert "grassroots.W101" in capsys.readouterr().err
