"""The audit key: it keys the audit chain and signs its checkpoints (SECURITY.md 18).

One master key, never in the database, read from (first found):

1. ``GRASSROOTS_AUDIT_KEY``: url-safe base64 of 32 bytes (make one as for the field key:
   ``python -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())"``);
2. ``GRASSROOTS_AUDIT_KEY_FILE``: a file holding that text (mode 600, outside the database's
   directory and outside backups; ``grassroots check --deploy`` refuses anything else);
3. outside production only, ``VAR_DIR/audit_key``, generated once (mode 600) like the field key.

In production a missing key is a configuration error. Two sub-keys are derived from it with
HKDF-SHA256: one for the chain's HMACs, one for the checkpoints' HMACs. Whoever holds the key can
write a chain that verifies: keep it from the people who administer the database.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ENV_VAR = "GRASSROOTS_AUDIT_KEY"
FILE_ENV_VAR = "GRASSROOTS_AUDIT_KEY_FILE"
KEY_FILE = "audit_key"
_CHAIN_INFO = b"grassroots-audit-chain-v2"
_CHECKPOINT_INFO = b"grassroots-audit-checkpoint-v1"


@dataclass(frozen=True)
class _Keys:
    chain: bytes
    checkpoint: bytes


def _decode(text: str, source: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise ImproperlyConfigured(f"{source} must be url-safe base64 of exactly 32 bytes")
    return key


def key_file() -> Path | None:
    """The file the key is read from, or None when it comes from the environment itself.

    Outside production, with neither variable set, this is ``VAR_DIR/audit_key`` (which
    `_master_key` creates on first use).
    """
    if os.environ.get(ENV_VAR, "").strip():
        return None
    named = os.environ.get(FILE_ENV_VAR, "").strip()
    if named:
        return Path(named).resolve()
    if getattr(settings, "PRODUCTION", False):
        return None
    return Path(settings.VAR_DIR) / KEY_FILE


def _create(path: Path) -> None:
    """Write a fresh key to `path` atomically (mode 600); a concurrent winner's key is kept."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode() + "\n")
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _master_key() -> bytes:
    text = os.environ.get(ENV_VAR, "").strip()
    if text:
        return _decode(text, ENV_VAR)
    path = key_file()
    if path is None:
        raise ImproperlyConfigured(
            f"{ENV_VAR} or {FILE_ENV_VAR} must be set when GRASSROOTS_PRODUCTION=1"
        )
    if not path.exists():
        if os.environ.get(FILE_ENV_VAR, "").strip():
            raise ImproperlyConfigured(f"{FILE_ENV_VAR}: {path} does not exist")
        _create(path)
    return _decode(path.read_text().strip(), str(path))


def _derive(master: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(master)


@functools.lru_cache(maxsize=1)
def _keys() -> _Keys:
    master = _master_key()
    return _Keys(chain=_derive(master, _CHAIN_INFO), checkpoint=_derive(master, _CHECKPOINT_INFO))


def reset_keys() -> None:
    """Forget the cached keys, so the next call reads the environment or key file again."""
    _keys.cache_clear()


def chain_mac(message: bytes) -> str:
    """64 hex characters of HMAC-SHA256(chain key, message)."""
    return hmac.new(_keys().chain, message, hashlib.sha256).hexdigest()


def checkpoint_mac(message: bytes) -> str:
    """64 hex characters of HMAC-SHA256(checkpoint key, message)."""
    return hmac.new(_keys().checkpoint, message, hashlib.sha256).hexdigest()
