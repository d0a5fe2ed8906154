"""Master keys kept apart from the database (the field key, the audit key): where each is read
from, how a local one is made outside production, and the sub-keys derived from it.

A master key is url-safe base64 of 32 bytes (make one with
``python -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())"``),
read from (first found): its environment variable; the file its ``…_FILE`` variable names (which
must exist); outside production only, ``VAR_DIR/<name>``, generated once (mode 600). In
production a missing key is a configuration error. Messages never contain a key.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def decode_key(text: str, source: str) -> bytes:
    """The 32 bytes of url-safe base64 `text` (padding optional); ImproperlyConfigured naming
    `source` (never echoing the text) otherwise."""
    try:
        key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise ImproperlyConfigured(f"{source} must be url-safe base64 of exactly 32 bytes")
    return key


def create_key_file(path: Path) -> None:
    """Write a fresh key to `path` atomically with mode 600 (never left to the umask); if
    another process won the race, its key is the one kept (link() never replaces)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode() + "\n")
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def derive(master: bytes, info: bytes) -> bytes:
    """A 32-byte sub-key of `master` for the purpose `info` (HKDF-SHA256)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)


@dataclass(frozen=True)
class MasterKey:
    """One master key: `env_var` holds it, `file_env_var` names a file holding it, `file_name`
    is the local file under VAR_DIR outside production."""

    env_var: str
    file_env_var: str
    file_name: str

    def file(self) -> Path | None:
        """The file the key is read from, or None when it comes from the environment itself
        (or is missing in production)."""
        if os.environ.get(self.env_var, "").strip():
            return None
        named = os.environ.get(self.file_env_var, "").strip()
        if named:
            return Path(named).resolve()
        if getattr(settings, "PRODUCTION", False):
            return None
        return Path(settings.VAR_DIR) / self.file_name

    def read(self) -> bytes:
        """The 32 key bytes (a local key file is created on first use outside production)."""
        text = os.environ.get(self.env_var, "").strip()
        if text:
            return decode_key(text, self.env_var)
        path = self.file()
        if path is None:
            raise ImproperlyConfigured(
                f"{self.env_var} or {self.file_env_var} must be set when GRASSROOTS_PRODUCTION=1"
            )
        if not path.exists():
            if os.environ.get(self.file_env_var, "").strip():
                raise ImproperlyConfigured(f"{self.file_env_var}: {path} does not exist")
            create_key_file(path)
        return decode_key(path.read_text().strip(), str(path))
