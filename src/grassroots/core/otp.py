"""The second factor (SECURITY.md 4): TOTP devices (django-otp), recovery codes, who needs one.

Guarantees:
- an account needs a second factor when one of its posts grants an administrator's power or the
  right to see unmasked data (`SECOND_FACTOR_PERMS`), or when it has enrolled one anyway;
- a TOTP code verifies once: django-otp keeps the last accepted time step per device and refuses
  any code of that step or an earlier one (replay), and slows down guessing after failures;
- recovery codes are shown once, kept only as keyed hashes (HMAC-SHA256 with SECRET_KEY), and
  each verifies once;
- every enrolment, verification, reset and unlock is audited, without any code or secret.

Pages are in `core.otp_views`; the hold on unverified sessions in `core.otp_middleware`.
"""

from __future__ import annotations

import base64
import io
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from grassroots.core.audit import audit_record
from grassroots.core.auditlog import CoreAuditAction as A
from grassroots.core.errors import SecondFactorError, SecondFactorNotEnrolled
from grassroots.core.errors import SecondFactorErrorCode as E
from grassroots.core.models import RecoveryCode, User
from grassroots.core.perms import perms_of
from grassroots.core.roles import ADMIN_ROLES, ROLE_PERMS, Perm

RECOVERY_CODES = 10
# Letters and digits that cannot be misread for one another: 31 symbols, 10 per code (≈ 49 bits).
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_HMAC_SALT = "grassroots.core.otp.recovery"


def admin_only_perms() -> frozenset[str]:
    """The permissions only the three administrators hold (not the shared viewing rights)."""
    admin = frozenset().union(*(ROLE_PERMS[r] for r in ADMIN_ROLES))
    others = frozenset().union(*(p for r, p in ROLE_PERMS.items() if r not in ADMIN_ROLES))
    return admin - others


# Holding any of these through a post makes the second factor compulsory.
SECOND_FACTOR_PERMS: frozenset[str] = admin_only_perms() | {
    Perm.REVEAL_PEOPLE,
    Perm.EXPORT_UNMASKED,
}


def second_factor_required(user: User) -> bool:
    """Whether `user`'s posts (or a superuser flag) make a second factor compulsory."""
    return bool(user.is_superuser) or bool(perms_of(user) & SECOND_FACTOR_PERMS)


def confirmed_device(user: User) -> TOTPDevice | None:
    """The account's enrolled TOTP device, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def second_factor_needed(user: User) -> bool:
    """Whether signing in as `user` asks for a second factor (compulsory, or enrolled anyway)."""
    return confirmed_device(user) is not None or second_factor_required(user)


def otp_enrol_start(*, user: User) -> TOTPDevice:
    """The unconfirmed device `user` is enrolling (created with a fresh secret if none).

    Refused when a device is already enrolled: replacing it takes the security administrator's
    reset, so a stolen password alone can never enrol an attacker's phone.
    """
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        if confirmed_device(user) is not None:
            raise SecondFactorError(
                E.ALREADY_ENROLLED, _("已绑定两步验证，如需更换请联系安全管理员")
            )
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="totp", confirmed=False)
    return device


def otp_enrol_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the device being enrolled with a code it shows; return it and fresh recovery codes.

    A wrong code leaves the device unconfirmed (and is audited as a failure).
    """
    device = otp_enrol_start(user=user)
    with transaction.atomic():
        if verify_token(user, device.persistent_id, _digits(code)) is None:
            audit_record(
                actor=user,
                action=A.OTP_ENROL,
                object_type="user",
                object_id=user.pk,
                result="failed",
            )
            raise SecondFactorError(E.INVALID_CODE, _("动态码不正确或已使用"), field="code")
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
        audit_record(actor=user, action=A.OTP_ENROL, object_type="user", object_id=user.pk)
        codes = _issue(user)
    return device, codes


def otp_verify(*, user: User, code: str) -> TOTPDevice:
    """The enrolled device, once `code` (a TOTP code or an unused recovery code) verifies.

    Raises SecondFactorError for a wrong, replayed or throttled code; every attempt is audited.
    """
    device = confirmed_device(user)
    if device is None:
        raise SecondFactorNotEnrolled(E.NOT_ENROLLED, _("请先绑定两步验证"))
    digits = _digits(code)
    if digits.isdigit() and len(digits) == device.digits:
        ok = verify_token(user, device.persistent_id, digits) is not None
        action = A.OTP_VERIFY
    else:
        ok = _spend_recovery_code(user, code)
        action = A.OTP_RECOVERY_USE
    audit_record(
        actor=user,
        action=action,
        object_type="user",
        object_id=user.pk,
        result="ok" if ok else "failed",
    )
    if not ok:
        raise SecondFactorError(E.INVALID_CODE, _("动态码不正确或已使用"), field="code")
    return device


def require_second_factor(user: User, code: str | None) -> None:
    """Refuse (SecondFactorError) unless `user` needs no second factor or `code` verifies.

    The API's token exchange calls this after the password: tokens of accounts that need a
    second factor are issued only with a valid code.
    """
    if not second_factor_needed(user):
        return
    otp_verify(user=user, code=code or "")


def recovery_codes_issue(*, user: User) -> list[str]:
    """Replace `user`'s recovery codes with a fresh batch; return them (to be shown once)."""
    if confirmed_device(user) is None:
        raise SecondFactorNotEnrolled(E.NOT_ENROLLED, _("请先绑定两步验证"))
    with transaction.atomic():
        return _issue(user)


def recovery_codes_left(user: User) -> int:
    """How many of `user`'s recovery codes are still unused."""
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def otp_reset(*, actor: User | None, account: User) -> int:
    """Remove `account`'s devices and recovery codes; it enrols again at its next sign-in.

    The caller has authorised `actor` (account administration). Sessions verified with the
    removed device stop counting as verified at their next request. Returns the devices removed.
    """
    with transaction.atomic():
        devices, _d = TOTPDevice.objects.filter(user=account).delete()
        RecoveryCode.objects.filter(user=account).delete()
        audit_record(
            actor=actor,
            action=A.OTP_RESET,
            object_type="user",
            object_id=account.pk,
            changes={"devices": devices},
        )
    return devices


def otp_unlock(*, username: str, code: str, address: str = "") -> None:
    """Lift the login lockout of `username` with a valid TOTP code of its enrolled device.

    An unknown account, one without a device and a wrong code get the same refusal; the code is
    spent (no replay) and the device's own throttle slows guessing. The password is still needed
    to sign in afterwards.
    """
    username = (username or "").strip()[:150]
    user = User.objects.filter(username=username, is_active=True).first()
    device = confirmed_device(user) if user is not None else None
    digits = _digits(code)
    ok = (
        user is not None
        and device is not None
        and verify_token(user, device.persistent_id, digits) is not None
    )
    if ok:
        # the one unlock of the lockout's own module (it also forgets `address`'s delay)
        from grassroots.core.services import unlock_account

        unlock_account(username=username, actor=user, via="totp", address=address)
        return
    audit_record(
        actor=None,
        actor_name=username,
        action=A.OTP_UNLOCK,
        object_type="user",
        object_id=user.pk if user else "",
        result="failed",
    )
    raise SecondFactorError(E.INVALID_CODE, _("账号或动态码不正确"), field="code")


def secret_text(device: TOTPDevice) -> str:
    """The device's secret in base32, grouped by four, for typing into an authenticator app."""
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def qr_svg(text: str) -> bytes:
    """`text` (the otpauth:// address) as a QR code in SVG, drawn here: nothing leaves the app."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()


def _digits(code: str) -> str:
    return "".join((code or "").split())[:64]


def _normalise(code: str) -> str:
    return "".join(c for c in (code or "").lower() if c.isalnum())[:64]


def _digest(code: str) -> str:
    return salted_hmac(_HMAC_SALT, _normalise(code), algorithm="sha256").hexdigest()


def _issue(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    now = timezone.now()
    codes = []
    for _i in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _j in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, digest=_digest(c), created_at=now) for c in codes
    )
    audit_record(
        actor=user,
        action=A.OTP_RECOVERY_ISSUE,
        object_type="user",
        object_id=user.pk,
        changes={"count": len(codes)},
    )
    return codes


def _spend_recovery_code(user: User, code: str) -> bool:
    if not _normalise(code):
        return False
    with transaction.atomic():
        row = (
            RecoveryCode.objects.select_for_update()
            .filter(user=user, digest=_digest(code), used_at__isnull=True)
            .first()
        )
        if row is None:
            return False
        row.used_at = timezone.now()
        row.save(update_fields=["used_at"])
    return True
