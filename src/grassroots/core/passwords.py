"""Password rules of SECURITY.md 2: characters from at least 3 of the 4 classes; no reuse of
the latest passwords (their hashes are kept in `PasswordHistory`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def character_classes(password: str) -> int:
    """How many of lower case, upper case, digits and other characters `password` uses."""
    return sum(
        [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
    )


class CharacterClassValidator:
    """Requires 3 of the 4 classes: lower case, upper case, digits, other characters."""

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < 3:
            raise ValidationError(
                _("密码须包含小写字母、大写字母、数字、符号中的至少三类"),
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("密码须包含小写字母、大写字母、数字、符号中的至少三类。")


class PasswordHistoryValidator:
    """Refuses the account's current password and its `PASSWORD_HISTORY` latest ones.

    Django calls `password_changed` whenever a user with a new password is saved, whatever the
    path (own change, administrator's reset, demo): the hash is recorded there, and only the
    newest `PASSWORD_HISTORY` rows per account are kept. Only hashes are stored.
    """

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        from django.contrib.auth.hashers import check_password

        from grassroots.core.models import PasswordHistory

        hashes = [user.password] if user.password else []
        hashes += PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[
            : settings.PASSWORD_HISTORY
        ]
        if any(check_password(password, h) for h in hashes):
            raise ValidationError(
                _("不能使用最近 %(n)d 次用过的密码") % {"n": settings.PASSWORD_HISTORY},
                code="password_reused",
            )

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None or not user.has_usable_password():
            return
        from django.utils import timezone

        from grassroots.core.models import PasswordHistory

        PasswordHistory.objects.create(user=user, password=user.password, set_at=timezone.now())
        keep = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[
            : settings.PASSWORD_HISTORY
        ]
        PasswordHistory.objects.filter(user=user).exclude(pk__in=list(keep)).delete()

    def get_help_text(self) -> str:
        return _("不能使用最近 %(n)d 次用过的密码。") % {"n": settings.PASSWORD_HISTORY}
