"""The demo accounts' shared password: generated, kept in ``VAR_DIR/demo_password``, reset."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.conf import settings

from grassroots.core.models import User
from grassroots.core.services import account_set_password

FILE_NAME = "demo_password"
# Letters and digits that cannot be misread for one another when read off a screen.
_LETTERS = "abcdefghjkmnpqrstuvwxyz"
_DIGITS = "23456789"


def password_path() -> Path:
    """Where the demo password is kept (read from settings on each call)."""
    return Path(settings.VAR_DIR) / FILE_NAME


def generate_password() -> str:
    """A fresh random password like ``Demo-kxqt4821``: 13 characters, all 4 character classes."""
    letters = "".join(secrets.choice(_LETTERS) for _ in range(4))
    digits = "".join(secrets.choice(_DIGITS) for _ in range(4))
    return f"Demo-{letters}{digits}"


def read_password() -> str | None:
    """The stored demo password, or None when there is none (or the file is empty)."""
    try:
        value = password_path().read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return value or None


def store_password(password: str) -> Path:
    """Write `password` to the password file, readable by its owner only (mode 600)."""
    path = password_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(password + "\n")
    path.chmod(0o600)
    return path


def set_demo_passwords(usernames: tuple[str, ...], password: str) -> int:
    """Give the named accounts `password`; every change is audited. Returns how many changed.

    Only for the demo's own accounts: the password is not checked against the validators.
    """
    changed = 0
    for user in User.objects.filter(username__in=usernames).order_by("username"):
        account_set_password(actor=None, user=user, password=password, check_password=False)
        changed += 1
    return changed
