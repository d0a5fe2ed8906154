"""Field encryption and blind indexes for personal data (SECURITY.md 15).

One master key, from ``GRASSROOTS_FIELD_KEY`` (url-safe base64 of 32 bytes; make one with
``python -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())"``)
or from the file ``GRASSROOTS_FIELD_KEY_FILE`` names, never from the database. Outside
production a missing key is generated once into ``VAR_DIR/field_key`` (mode 600), like the
secret key; in production it is a configuration error. ``grassroots check --deploy`` refuses a
key file beside the database or readable by others (core/checks_deploy.py).
Two sub-keys are derived from it with HKDF-SHA256: one for AES-256-GCM, one for HMAC-SHA256.

Losing the key loses every encrypted value: back it up apart from the database.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from grassroots.core.keys import MasterKey, derive

ENV_VAR = "GRASSROOTS_FIELD_KEY"
FILE_ENV_VAR = "GRASSROOTS_FIELD_KEY_FILE"
KEY_FILE = "field_key"
VERSION = "v1"
_PREFIX = VERSION + ":"
_NONCE_BYTES = 12
_TAG_BYTES = 16
_INDEX_HEX = 32
_ENC_INFO = b"grassroots-field-enc-v1"
_INDEX_INFO = b"grassroots-blind-index-v1"
# The version is authenticated with the ciphertext, so a token cannot be relabelled.
_AAD = VERSION.encode()
_B64URL = re.compile(r"[A-Za-z0-9_-]*={0,2}")


class CryptoError(Exception):
    """A ciphertext that cannot be decrypted: malformed, tampered with, or under another key.

    Its message never contains the token or any plaintext.
    """


@dataclass(frozen=True)
class _Keys:
    aead: AESGCM
    index: bytes


FIELD_KEY = MasterKey(ENV_VAR, FILE_ENV_VAR, KEY_FILE)


def key_file() -> Path | None:
    """The file the field key is read from, or None when it comes from the environment."""
    return FIELD_KEY.file()


def _master_key() -> bytes:
    return FIELD_KEY.read()


_derive = derive


@functools.lru_cache(maxsize=1)
def _keys() -> _Keys:
    master = _master_key()
    return _Keys(aead=AESGCM(_derive(master, _ENC_INFO)), index=_derive(master, _INDEX_INFO))


def derived_key(purpose: bytes) -> bytes:
    """A 32-byte key for `purpose` (e.g. b"grassroots-backup-v1"), derived from the master key
    with HKDF: whoever holds the field key can derive it; the key itself is never stored."""
    return _derive(_master_key(), purpose)


def reset_keys() -> None:
    """Forget the cached keys, so the next call reads the environment or key file again."""
    _keys.cache_clear()


def encrypted_length(plain_bytes: int) -> int:
    """The length of `encrypt`'s token for a plaintext of `plain_bytes` UTF-8 bytes (> 0)."""
    return len(_PREFIX) + 4 * -(-(_NONCE_BYTES + plain_bytes + _TAG_BYTES) // 3)


def encrypt(plaintext: str) -> str:
    """``v1:`` + url-safe base64 of a fresh 12-byte nonce and the AES-256-GCM ciphertext.

    Two encryptions of one value differ (random nonce); "" stays "".
    """
    if not plaintext:
        return ""
    nonce = os.urandom(_NONCE_BYTES)
    sealed = _keys().aead.encrypt(nonce, plaintext.encode("utf-8"), _AAD)
    return _PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def decrypt(token: str) -> str:
    """The plaintext of an `encrypt` token; "" for "". CryptoError if it does not authenticate.

    Any change to the token, however small, is detected: the base64 must be canonical and the
    AES-GCM tag must verify under the current key.
    """
    if not token:
        return ""
    if not token.startswith(_PREFIX):
        raise CryptoError("not a v1 field ciphertext")
    body = token[len(_PREFIX) :]
    if not _B64URL.fullmatch(body):
        raise CryptoError("field ciphertext is not url-safe base64")
    try:
        raw = base64.urlsafe_b64decode(body)
    except (binascii.Error, ValueError):
        raise CryptoError("field ciphertext is not url-safe base64") from None
    if base64.urlsafe_b64encode(raw).decode("ascii") != body:
        raise CryptoError("field ciphertext is not canonical base64")
    if len(raw) < _NONCE_BYTES + _TAG_BYTES:
        raise CryptoError("field ciphertext is truncated")
    try:
        plain = _keys().aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _AAD)
    except InvalidTag:
        raise CryptoError(
            "field ciphertext failed authentication: tampered with, or encrypted under another key"
        ) from None
    return plain.decode("utf-8")


def blind_index(value: str, *, kind: str) -> str:
    """32 hex characters of HMAC-SHA256(index key, kind NUL value); "" for an empty value.

    Equal (value, kind) give equal indexes under one key, so exact-match search works on them;
    `kind` ("id", "phone", "tag" ...) keeps namespaces apart. Callers pass normalised values.
    """
    if not kind or "\0" in kind:
        raise ValueError("kind must be a non-empty string without NUL")
    if not value:
        return ""
    message = kind.encode("utf-8") + b"\0" + value.encode("utf-8")
    return hmac.new(_keys().index, message, hashlib.sha256).hexdigest()[:_INDEX_HEX]
