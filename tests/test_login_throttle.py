"""Lockout without denial of service (issue 15, defect 7; docs/security.md).

Before: any six unauthenticated POSTs locked any account for 30 minutes. Now one address adds at
most two failures to an account's lockout count and is slowed down on its own (a progressive
delay answered as "try again in N s", 429 + Retry-After in the API); the lockout still stops a
guess spread over many addresses.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from grassroots.core.login_throttle import delay_after
from grassroots.core.models import AuditEvent, LoginThrottle
from grassroots.core.services import unlock_account
from tests.conftest import PASSWORD

TOKEN_URL = "/api/v1/auth/token/"
ATTACKER = "203.0.113.66"
VICTIM = "198.51.100.10"


def attempt(password: str, address: str, username: str = "leader"):
    return APIClient().post(
        TOKEN_URL, {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_delay_doubles_after_the_free_failures_up_to_the_cap(settings):
    settings.LOGIN_FREE_FAILURES = 3
    settings.LOGIN_DELAY_MAX_SECONDS = 300
    assert [delay_after(n) for n in range(1, 8)] == [0, 0, 1, 2, 4, 8, 16]
    assert delay_after(40) == 300


def test_one_address_cannot_lock_an_account_out(world):
    # given an attacker who keeps guessing from one address, waiting out every delay
    now = timezone.now()
    for n in range(12):
        now += datetime.timedelta(seconds=delay_after(n) + 1)
        with time_machine.travel(now, tick=False):
            assert attempt("wrong", ATTACKER).status_code == 400
    # then the owner still signs in, from their own address, with the right password
    with time_machine.travel(now, tick=False):
        assert attempt(PASSWORD, VICTIM).status_code == 200
        assert (
            Client(REMOTE_ADDR=VICTIM)
            .post("/login/", {"username": "leader", "password": PASSWORD})
            .status_code
            == 302
        )


def test_the_progressive_delay_answers_try_again_without_checking(world):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        codes = [attempt("wrong", ATTACKER).status_code for _ in range(3)]
        refused = attempt(PASSWORD, ATTACKER)  # even the right password waits
    assert codes == [400, 400, 400]
    assert refused.status_code == 429 and refused.json()["code"] == "throttled"
    assert refused["Retry-After"] == "1"
    assert "1 秒后再试" in refused.json()["message"]
    assert AuditEvent.objects.filter(actor_name="leader", result="throttled").count() == 1
    with time_machine.travel(start + datetime.timedelta(seconds=1), tick=False):
        assert attempt("wrong", ATTACKER).status_code == 400  # the 4th failure: wait 2 s
        assert attempt("wrong", ATTACKER)["Retry-After"] == "2"
    # another address is not held up by the attacker's delay
    with time_machine.travel(start + datetime.timedelta(seconds=1), tick=False):
        assert attempt(PASSWORD, VICTIM).status_code == 200


def test_the_login_page_says_when_to_try_again(world):
    client = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(3):
        client.post("/login/", {"username": "leader", "password": "wrong"})
    page = client.post("/login/", {"username": "leader", "password": PASSWORD})
    assert "秒后再试" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_distributed_guessing_still_locks_the_account(world):
    # two failures from each of three addresses: the fifth counted failure locks the account
    for address in ["10.1.0.1", "10.1.0.2", "10.1.0.3"]:
        for _ in range(2):
            attempt("wrong", address)
    resp = attempt(PASSWORD, "10.1.0.9")
    assert resp.status_code == 400 and resp.json()["code"] == "locked"


@override_settings(LOGIN_ADDRESS_FAILURES=4, LOGIN_ADDRESS_WINDOW_SECONDS=600)
def test_an_address_spraying_many_accounts_is_stopped(world):
    names = ["gridworker", "community", "township", "county", "leader"]
    codes = [attempt("wrong", ATTACKER, username=u).status_code for u in names]
    assert codes == [400, 400, 400, 400, 429]
    assert 590 <= int(attempt("wrong", ATTACKER, username="admin")["Retry-After"]) <= 600
    # a victim elsewhere still signs in (one without a second factor to send)
    assert attempt(PASSWORD, VICTIM, username="dept").status_code == 200


def test_unlock_account_lifts_the_lock_and_the_address_delay_and_is_audited(world):
    for address in ["10.2.0.1", "10.2.0.2", "10.2.0.3"]:
        for _ in range(3):
            attempt("wrong", address)
    assert LoginThrottle.objects.get(username="leader").locked_until is not None
    assert attempt(PASSWORD, "10.2.0.3").status_code == 400
    # the second factor (helper `totp`) calls this for the user at their address
    assert unlock_account(username="leader", actor=None, via="totp", address="10.2.0.3")
    assert attempt(PASSWORD, "10.2.0.3").status_code == 200
    assert AuditEvent.objects.filter(action="account.unlock", changes__via="totp").exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_guesses_from_one_address_count_at_most_two(world):
    from tests.test_throttle import together

    outcomes = together(8, lambda: attempt("wrong", ATTACKER).status_code)
    assert set(outcomes) <= {400, 429}
    throttle_row = LoginThrottle.objects.filter(username="leader").first()
    assert throttle_row is not None and throttle_row.failures == 2
    assert throttle_row.locked_until is None
