"""Password history (no reuse of the last 5), the expiry warning on the home page, and the forced
change of passwords set by an administrator (SECURITY.md 2)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from grassroots.areas.accounts import services as accounts_admin
from grassroots.core import accounts
from grassroots.core.errors import DomainError
from grassroots.core.models import PasswordHistory, User
from tests.conftest import PASSWORD, signed_in

pytestmark = pytest.mark.django_db

NEW = ["Fresh-pass-201", "Fresh-pass-202", "Fresh-pass-203", "Fresh-pass-204", "Fresh-pass-205"]


def change(user: User, old: str, new: str) -> None:
    accounts.password_change(user=user, old_password=old, new_password=new)


def test_history_keeps_only_hashes_of_the_latest_five(world):
    user = world.users["leader"]
    old = PASSWORD
    for new in NEW:
        change(user, old, new)
        old = new
    rows = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True))
    assert len(rows) == 5
    assert not any(p in row for row in rows for p in [PASSWORD, *NEW])  # hashes, never clear
    assert user.password in rows


def test_none_of_the_last_five_passwords_may_be_chosen_again(world):
    user = world.users["leader"]
    old = PASSWORD
    for new in NEW[:4]:
        change(user, old, new)
        old = new
    for reused in [PASSWORD, *NEW[:3]]:  # the initial one and three earlier ones
        with pytest.raises(DomainError) as exc:
            change(user, old, reused)
        assert exc.value.code == "weak_password" and "最近 5 次" in str(exc.value.message)


def test_a_password_older_than_the_last_five_may_come_back(world):
    user = world.users["leader"]
    old = PASSWORD
    for new in NEW:
        change(user, old, new)
        old = new
    change(user, old, PASSWORD)  # the initial one is now the sixth-latest


def test_the_history_counts_passwords_set_by_an_administrator_too(world):
    user = world.users["leader"]
    one_time = accounts_admin.account_reset_password(actor=world.users["secadmin"], account=user)
    with pytest.raises(DomainError):
        change(user, one_time, PASSWORD)
    user.refresh_from_db()
    assert user.must_change_password  # the reset password must be replaced


def test_the_policy_page_names_the_history_rule(world):
    page = signed_in("leader").get("/password/").content.decode()
    assert "不能使用最近 5 次用过的密码" in page


@pytest.mark.parametrize(
    "age_days, warned",
    [(0, False), (82, False), (84, True), (89, True), (91, False)],
)
def test_the_home_page_warns_a_week_before_expiry(world, age_days, warned):
    User.objects.filter(username="leader").update(
        password_changed_at=timezone.now() - datetime.timedelta(days=age_days, minutes=1)
    )
    client = signed_in("leader")
    resp = client.get("/")
    if age_days > 90:  # expired: sent to change it instead
        assert resp["Location"].startswith("/password/")
        return
    assert ('id="password-expiry-warning"' in resp.content.decode()) is warned


def test_the_warning_says_how_many_days_are_left(world):
    user = world.users["leader"]
    User.objects.filter(pk=user.pk).update(
        password_changed_at=timezone.now() - datetime.timedelta(days=87, hours=1)
    )
    user.refresh_from_db()
    assert accounts.password_expiry_warning(user) == 2
    assert "2 天后过期" in signed_in("leader").get("/").content.decode()


def test_no_warning_when_passwords_never_expire(world, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 0
    assert accounts.password_expiry_warning(world.users["leader"]) is None


def test_an_account_opened_by_the_security_admin_must_change_its_password(world):
    user, _password = accounts_admin.account_open(
        actor=world.users["secadmin"], username="newbie", full_name="新人"
    )
    assert user.must_change_password and accounts.password_change_required(user)
