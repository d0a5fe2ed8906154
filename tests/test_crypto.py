"""Field encryption and blind indexes (SECURITY.md 15): round trips, tampering, key handling."""

import base64
import os
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from grassroots.core import crypto
from grassroots.core.crypto import CryptoError, blind_index, decrypt, encrypt, reset_keys

KEY = base64.urlsafe_b64encode(bytes(range(32))).decode()
OTHER_KEY = base64.urlsafe_b64encode(bytes(range(1, 33))).decode()
ID = "110101199003071233"


@pytest.fixture(autouse=True)
def _fixed_key(monkeypatch):
    """Every test starts from a known key in the environment and leaves no cached key behind."""
    monkeypatch.setenv(crypto.ENV_VAR, KEY)
    reset_keys()
    yield
    reset_keys()


def _use_key(monkeypatch, key: str | None) -> None:
    if key is None:
        monkeypatch.delenv(crypto.ENV_VAR, raising=False)
    else:
        monkeypatch.setenv(crypto.ENV_VAR, key)
    reset_keys()


# --- encryption ------------------------------------------------------------------------------


@given(st.text())
def test_round_trip(plaintext):
    assert decrypt(encrypt(plaintext)) == plaintext


def test_token_shape():
    token = encrypt(ID)
    assert token.startswith("v1:")
    raw = base64.urlsafe_b64decode(token[3:])
    assert len(raw) == 12 + len(ID) + 16
    assert len(token) == crypto.encrypted_length(len(ID.encode()))
    assert ID not in token


def test_empty_stays_empty():
    assert encrypt("") == ""
    assert decrypt("") == ""


def test_each_encryption_uses_a_fresh_nonce():
    assert encrypt(ID) != encrypt(ID)


def test_any_changed_character_is_detected():
    token = encrypt(ID)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=:v"
    for i in range(len(token)):
        for c in alphabet:
            if c != token[i]:
                with pytest.raises(CryptoError):
                    decrypt(token[:i] + c + token[i + 1 :])


@pytest.mark.parametrize(
    "token",
    [
        "v2:AAAA",
        "plain text",
        "v1:",
        "v1:not base64!",
        "v1:AAAA",  # shorter than nonce and tag
        "v1:" + base64.urlsafe_b64encode(bytes(40)).decode(),  # right size, wrong tag
    ],
)
def test_malformed_tokens_are_crypto_errors(token):
    with pytest.raises(CryptoError):
        decrypt(token)


def test_truncated_and_extended_tokens_are_detected():
    token = encrypt(ID)
    raw = base64.urlsafe_b64decode(token[3:])
    for changed in (raw[:-1], raw + b"\0", raw[:12] + raw[13:]):
        with pytest.raises(CryptoError):
            decrypt("v1:" + base64.urlsafe_b64encode(changed).decode())


def test_a_token_under_another_key_is_rejected_without_leaking(monkeypatch):
    token = encrypt(ID)
    _use_key(monkeypatch, OTHER_KEY)
    with pytest.raises(CryptoError) as caught:
        decrypt(token)
    assert "another key" in str(caught.value)
    assert token not in str(caught.value) and ID not in str(caught.value)


# --- blind index -----------------------------------------------------------------------------


def test_blind_index_is_stable_and_short():
    index = blind_index(ID, kind="id")
    assert index == blind_index(ID, kind="id")
    assert len(index) == 32 and all(c in "0123456789abcdef" for c in index)
    assert ID not in index


def test_blind_index_separates_kinds_and_values():
    assert blind_index("13812345678", kind="id") != blind_index("13812345678", kind="phone")
    assert blind_index(ID, kind="id") != blind_index(ID[:-1] + "4", kind="id")
    # The NUL separator keeps ("ab", "c") and ("a", "bc") apart.
    assert blind_index("c", kind="ab") != blind_index("bc", kind="a")


def test_blind_index_depends_on_the_key(monkeypatch):
    before = blind_index(ID, kind="id")
    _use_key(monkeypatch, OTHER_KEY)
    assert blind_index(ID, kind="id") != before


def test_blind_index_of_nothing_is_empty():
    assert blind_index("", kind="id") == ""


@pytest.mark.parametrize("kind", ["", "a\0b"])
def test_blind_index_needs_a_kind(kind):
    with pytest.raises(ValueError):
        blind_index(ID, kind=kind)


def test_index_and_encryption_keys_differ():
    keys = crypto._keys()
    master = base64.urlsafe_b64decode(KEY)
    assert keys.index != master
    assert keys.index != crypto._derive(master, b"grassroots-field-enc-v1")


# --- keys ------------------------------------------------------------------------------------


def test_key_from_the_environment_writes_no_file(monkeypatch, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    _use_key(monkeypatch, KEY)
    assert decrypt(encrypt(ID)) == ID
    assert not (tmp_path / "field_key").exists()


def test_missing_key_is_generated_once_with_mode_600(monkeypatch, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    _use_key(monkeypatch, None)
    token = encrypt(ID)
    path = tmp_path / "var" / "field_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(base64.urlsafe_b64decode(path.read_text().strip())) == 32
    content = path.read_text()
    reset_keys()  # a new process: reads the same file
    assert decrypt(token) == ID
    assert path.read_text() == content
    assert [p.name for p in (tmp_path / "var").iterdir()] == ["field_key"]


def test_generated_key_differs_from_an_environment_key(monkeypatch, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    _use_key(monkeypatch, None)
    token = encrypt(ID)
    _use_key(monkeypatch, KEY)
    with pytest.raises(CryptoError):
        decrypt(token)


def test_an_existing_key_file_is_used(monkeypatch, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    (tmp_path / "field_key").write_text(KEY + "\n")
    _use_key(monkeypatch, None)
    token = encrypt(ID)
    _use_key(monkeypatch, KEY)
    assert decrypt(token) == ID


def test_production_requires_the_environment_key(monkeypatch, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.PRODUCTION = True
    _use_key(monkeypatch, None)
    with pytest.raises(ImproperlyConfigured, match=crypto.ENV_VAR):
        encrypt(ID)
    assert not (tmp_path / "field_key").exists()
    _use_key(monkeypatch, KEY)
    assert decrypt(encrypt(ID)) == ID


@pytest.mark.parametrize(
    "bad",
    [
        "short",
        base64.urlsafe_b64encode(bytes(16)).decode(),
        base64.urlsafe_b64encode(bytes(33)).decode(),
        "!!!!" * 11,
    ],
)
def test_a_malformed_key_is_a_configuration_error_that_does_not_echo_it(monkeypatch, bad):
    _use_key(monkeypatch, bad)
    with pytest.raises(ImproperlyConfigured) as caught:
        encrypt(ID)
    assert bad not in str(caught.value)


def test_an_unpadded_key_is_accepted(monkeypatch):
    token = encrypt(ID)
    _use_key(monkeypatch, KEY.rstrip("="))
    assert decrypt(token) == ID


def test_keys_are_cached_until_reset(monkeypatch):
    token = encrypt(ID)
    monkeypatch.setenv(crypto.ENV_VAR, OTHER_KEY)
    assert decrypt(token) == ID  # still the cached key
    reset_keys()
    with pytest.raises(CryptoError):
        decrypt(token)


def test_key_file_mode_is_not_left_to_the_umask(monkeypatch, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    _use_key(monkeypatch, None)
    old = os.umask(0)
    try:
        encrypt(ID)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "field_key").stat().st_mode) == 0o600
