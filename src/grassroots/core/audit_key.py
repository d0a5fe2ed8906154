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

import functools
import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path

from grassroots.core.keys import MasterKey, derive

ENV_VAR = "GRASSROOTS_AUDIT_KEY"
FILE_ENV_VAR = "GRASSROOTS_AUDIT_KEY_FILE"
KEY_FILE = "audit_key"
_CHAIN_INFO = b"grassroots-audit-chain-v2"
_CHECKPOINT_INFO = b"grassroots-audit-checkpoint-v1"


@dataclass(frozen=True)
class _Keys:
    chain: bytes
    checkpoint: bytes


AUDIT_KEY = MasterKey(ENV_VAR, FILE_ENV_VAR, KEY_FILE)


def key_file() -> Path | None:
    """The file the audit key is read from, or None when it comes from the environment."""
    return AUDIT_KEY.file()


def _master_key() -> bytes:
    return AUDIT_KEY.read()


@functools.lru_cache(maxsize=1)
def _keys() -> _Keys:
    master = _master_key()
    return _Keys(chain=derive(master, _CHAIN_INFO), checkpoint=derive(master, _CHECKPOINT_INFO))


def reset_keys() -> None:
    """Forget the cached keys, so the next call reads the environment or key file again."""
    _keys.cache_clear()


def chain_mac(message: bytes) -> str:
    """64 hex characters of HMAC-SHA256(chain key, message)."""
    return hmac.new(_keys().chain, message, hashlib.sha256).hexdigest()


def checkpoint_mac(message: bytes) -> str:
    """64 hex characters of HMAC-SHA256(checkpoint key, message)."""
    return hmac.new(_keys().checkpoint, message, hashlib.sha256).hexdigest()
