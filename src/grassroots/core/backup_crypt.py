"""The backup archive's encryption: AES-256-GCM over a stream, in authenticated chunks.

Layout: ``MAGIC`` (8 bytes), a random nonce prefix (8 bytes), then chunks, each a 4-byte
big-endian length and the ciphertext of up to ``CHUNK`` bytes. A chunk's nonce is the prefix and
its index (4 bytes); its associated data says whether it is the last one, so that a truncated,
reordered or extended archive fails to decrypt instead of restoring part of a database.

The key is derived from the field key (``crypto.derived_key``): the archive never holds it, and
whoever can restore can also read the restored data's encrypted fields — one secret to keep
apart from the backups, not two.
"""

from __future__ import annotations

import io
import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from grassroots.core import crypto

MAGIC = b"GRBAK01\n"
PURPOSE = b"grassroots-backup-v1"
CHUNK = 1 << 20
_PREFIX = 8
_LAST = b"last"
_MORE = b"more"


class ArchiveError(Exception):
    """An archive that is not ours, was cut short, altered, or made under another field key."""


def _aead() -> AESGCM:
    return AESGCM(crypto.derived_key(PURPOSE))


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


class EncryptingWriter(io.RawIOBase):
    """A write-only stream that encrypts what it is given into `sink`; `close()` writes the
    last chunk (an archive without it does not decrypt)."""

    def __init__(self, sink: BinaryIO) -> None:
        self._sink = sink
        self._aead = _aead()
        self._prefix = os.urandom(_PREFIX)
        self._index = 0
        self._buffer = bytearray()
        sink.write(MAGIC + self._prefix)

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._emit(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _emit(self, plain: bytes, *, last: bool) -> None:
        sealed = self._aead.encrypt(
            _nonce(self._prefix, self._index), plain, _LAST if last else _MORE
        )
        self._sink.write(struct.pack(">I", len(sealed)) + sealed)
        self._index += 1

    def close(self) -> None:
        if not self.closed:
            self._emit(bytes(self._buffer), last=True)
            self._buffer.clear()
        super().close()


class DecryptingReader(io.RawIOBase):
    """A read-only stream of what `EncryptingWriter` wrote; raises ArchiveError on anything
    else (wrong key, a changed byte, a missing or extra chunk)."""

    def __init__(self, source: BinaryIO) -> None:
        head = source.read(len(MAGIC) + _PREFIX)
        if len(head) != len(MAGIC) + _PREFIX or not head.startswith(MAGIC):
            raise ArchiveError("not a grassroots backup archive")
        self._source = source
        self._aead = _aead()
        self._prefix = head[len(MAGIC) :]
        self._index = 0
        self._plain = b""
        self._done = False

    def readable(self) -> bool:
        return True

    def _next(self) -> None:
        size = self._source.read(4)
        if len(size) != 4:
            raise ArchiveError("the archive is cut short")
        (length,) = struct.unpack(">I", size)
        sealed = self._source.read(length)
        if len(sealed) != length:
            raise ArchiveError("the archive is cut short")
        nonce = _nonce(self._prefix, self._index)
        for aad in (_MORE, _LAST):
            try:
                self._plain = self._aead.decrypt(nonce, sealed, aad)
            except InvalidTag:
                continue
            self._index += 1
            if aad == _LAST:
                self._done = True
                if self._source.read(1):
                    raise ArchiveError("the archive has data after its end")
            return
        raise ArchiveError("the archive was altered or made with another field key")

    def readinto(self, out: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._plain and not self._done:
            self._next()
        n = min(len(out), len(self._plain))
        out[:n] = self._plain[:n]
        self._plain = self._plain[n:]
        return n
