"""Login throttling per address, with a progressive delay (issue 15, defect 7).

The per-account lockout (SECURITY.md 3, `LoginThrottle`) stops distributed guessing, but if every
failure counted, six POSTs from anywhere would lock anybody out for 30 minutes. So:

- one address adds at most `LOCKOUT_PER_ADDRESS` (2) failures to an account's lockout count in
  `LOCKOUT_MINUTES`: locking an account (`LOCKOUT_FAILURES`, 5) takes ≥ 3 addresses;
- after `LOGIN_FREE_FAILURES` (3) failures of one address at one account, each further attempt
  from there must wait 2^(n−3) s (1, 2, 4 … at most `LOGIN_DELAY_MAX_SECONDS`, 300);
- an address with `LOGIN_ADDRESS_FAILURES` (20) failures over any accounts within
  `LOGIN_ADDRESS_WINDOW_SECONDS` (900) waits until that window ends.

An attempt made while waiting is refused at once with "try again in N s" (`LoginThrottled`, 429
with Retry-After in the API): no password is checked, nothing is counted, no worker sleeps.
The counters live in `core.throttle`'s shared store (the database, or Redis).
"""

from __future__ import annotations

from django.conf import settings

from grassroots.core import throttle
from grassroots.core.errors import LoginThrottled


def _pair(username: str, address: str) -> str:
    return f"login:pair:{username.lower()}:{address}"


def _pair_wait(username: str, address: str) -> str:
    return f"login:wait:{username.lower()}:{address}"


def _address(address: str) -> str:
    return f"login:addr:{address}"


def _address_wait(address: str) -> str:
    return f"login:addr-wait:{address}"


def delay_after(failures: int) -> int:
    """Seconds to wait after the `failures`-th failure of one address at one account (pure)."""
    free = settings.LOGIN_FREE_FAILURES
    if failures < free:
        return 0
    return int(min(2 ** min(failures - free, 30), settings.LOGIN_DELAY_MAX_SECONDS))


def login_gate(*, username: str, address: str) -> None:
    """Raise LoginThrottled when `address` must still wait before trying `username` again."""
    wait = max(
        throttle.blocked_for(_pair_wait(username, address)),
        throttle.blocked_for(_address_wait(address)),
    )
    if wait > 0:
        raise LoginThrottled(wait)


def login_failed(*, username: str, address: str) -> bool:
    """Count a failure of `address` at `username`; whether it counts toward the account lockout."""
    pair = throttle.hit(
        _pair(username, address),
        limit=settings.LOCKOUT_PER_ADDRESS,
        window=settings.LOCKOUT_MINUTES * 60,
    )
    delay = delay_after(pair.count)
    if delay:
        throttle.block(_pair_wait(username, address), delay)
    overall = throttle.hit(
        _address(address),
        limit=settings.LOGIN_ADDRESS_FAILURES,
        window=settings.LOGIN_ADDRESS_WINDOW_SECONDS,
    )
    if overall.count >= overall.limit:
        throttle.block(_address_wait(address), overall.reset_in)
    return pair.allowed


def login_forget(*, username: str, address: str) -> None:
    """Forget the failures and the delay of `address` at `username` (a success, an unlock)."""
    throttle.clear(_pair(username, address))
    throttle.clear(_pair_wait(username, address))
