"""`grassroots check --deploy`: administrators without an enrolled second factor (SECURITY.md 4).

An administrator (a post of the system, security or audit administrator, or a superuser) who
has not enrolled is sent to enrolment at their next sign-in anyway; the warning tells the operator
before that sign-in, while the account could still be taken over by its password alone.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning

ADMIN_WITHOUT_OTP = "grassroots.W101"


@register(Tags.security, deploy=True)
def administrators_without_second_factor(
    app_configs: Any = None, **kwargs: Any
) -> list[CheckMessage]:
    from django.db import DatabaseError
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from grassroots.core.models import User
    from grassroots.core.otp import admin_only_perms
    from grassroots.core.perms import perms_of

    admin_perms = admin_only_perms()
    try:
        enrolled = TOTPDevice.objects.filter(confirmed=True).values("user_id")
        candidates = User.objects.filter(is_active=True).exclude(pk__in=enrolled)
        missing = sorted(
            u.username for u in candidates if u.is_superuser or perms_of(u) & admin_perms
        )
    except DatabaseError:  # not migrated yet: nothing to say about accounts
        return []
    if not missing:
        return []
    return [
        CheckWarning(
            f"{len(missing)} administrator account(s) without an enrolled second factor: "
            + ", ".join(missing[:20]),
            hint="They enrol at their next sign-in; the security administrator can reset a "
            "lost device (docs/security.md).",
            id=ADMIN_WITHOUT_OTP,
        )
    ]
