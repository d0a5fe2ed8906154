"""The second factor in tests, through the real mechanism (no switch turns it off).

`enrol(user)` enrols a TOTP device through the services, confirming it with a code computed
from its secret (as an authenticator app would); `fresh_code(device)` is a code the device will
accept now and has not accepted before (waiting for the next time step when the window is used
up, as a person would); `verify_session(client, user)` marks a test client's signed-in session
verified with django-otp's own `login` on the user's device (enrolling one if the role needs it).
"""

from __future__ import annotations

import time
from typing import Any

from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from grassroots.core import otp


def code_at(device: TOTPDevice, t: int) -> str:
    """The device's code of time step `t`, zero-padded like an authenticator app shows it."""
    return str(hotp(device.bin_key, t, digits=device.digits)).zfill(device.digits)


def secret_code(secret: str, t: int | None = None) -> str:
    """The code of a base32 `secret` (as shown on the enrolment page) at step `t` (now)."""
    import base64

    raw = secret.replace(" ", "").upper()
    key = base64.b32decode(raw + "=" * (-len(raw) % 8))
    step = int(time.time()) // 30 if t is None else t
    return str(hotp(key, step, digits=6)).zfill(6)


def secret_code_after(secret: str, last_t: int, tolerance: int = 1) -> str:
    """A code of a base32 `secret` that a device which last accepted step `last_t` takes now
    (no replay): the current step if after `last_t`, else the next within `tolerance`, else
    wait for the next step — as `fresh_code`, for a device only known by its secret."""
    while True:
        now = time.time()
        current = int(now) // 30
        for t in (current, current + 1):
            if t > last_t and t <= current + tolerance:
                return secret_code(secret, t)
        time.sleep(30 - now % 30 + 0.05)


def fresh_code(device: TOTPDevice) -> str:
    """A code `device` accepts now and has never accepted (no replay): the current step if
    unused, else the next one within its tolerance, else wait for the next step."""
    while True:
        device.refresh_from_db()
        now = time.time()
        current = int(now - device.t0) // device.step + device.drift
        for t in (current, current + 1):
            if t > device.last_t and t <= current + device.tolerance:
                return code_at(device, t)
        time.sleep(device.step - (now - device.t0) % device.step + 0.05)


def enrol(user: Any) -> TOTPDevice:
    """Enrol a TOTP device for `user` through the services; returns the confirmed device."""
    device = otp.otp_enrol_start(user=user)
    device, _codes = otp.otp_enrol_confirm(user=user, code=fresh_code(device))
    return device


def verify_session(client: Any, user: Any) -> None:
    """Mark the test client's session verified by `user`'s device (django-otp's `login`);
    a user whose role requires a second factor and who has none enrols one first."""
    device = otp.confirmed_device(user)
    if device is None and otp.second_factor_required(user):
        device = enrol(user)
    if device is None:
        return
    session = client.session
    request = HttpRequest()
    request.session = session
    request.user = user
    otp_login(request, device)
    session.save()
