"""A workbook's shared-string table, kept in an unnamed temporary file rather than in memory.

Excel writes every text cell as an index into ``xl/sharedStrings.xml``. Held as a Python list,
each string costs some 60 bytes besides its text: a 126 MB table of short strings took a worker
from 124 MB to 698 MB (issue 15). `SharedStrings` writes the UTF-8 text of each string to one
temporary file and its end offset to another, and reads a string back with two ``pread`` calls;
memory stays the same whatever the table's size. The files are created beside the upload (same
directory, same protection), unlinked at once, and gone when the store is closed.

Lookups of short strings (the repeated values of a ledger: 汉族, 男, 户主) are cached. A long
string is read again at each use, so `chars_read` counts what was handed out, and the sheet
reader refuses a part of a sheet that asks for more than it can hold (`xlsx.CHUNK_CHARS`).
"""

from __future__ import annotations

import os
import struct
import tempfile
from pathlib import Path

_END = struct.Struct("<Q")
_CACHED_LENGTH = 256
_CACHE_SIZE = 8192


class SharedStrings:
    """Append-only while the table is read, then indexable: ``store[i]`` is string ``i``.

    IndexError for an index outside the table, as a list would raise.
    """

    def __init__(self, directory: Path | None = None) -> None:
        where = str(directory) if directory is not None else None
        # Closed by close(), not a with block: the store outlives this call.
        self._text = tempfile.TemporaryFile(dir=where)  # noqa: SIM115
        self._ends = tempfile.TemporaryFile(dir=where)  # noqa: SIM115
        self._count = 0
        self._size = 0
        self.chars_read = 0
        self._cache: dict[int, str] = {}

    def __len__(self) -> int:
        return self._count

    def append(self, text: str) -> None:
        data = text.encode("utf-8", "surrogatepass")
        self._text.write(data)
        self._size += len(data)
        self._ends.write(_END.pack(self._size))
        self._count += 1

    def finish(self) -> None:
        """Make what was appended readable (flushes the buffered writes)."""
        self._text.flush()
        self._ends.flush()

    def _load(self, index: int) -> str:
        if not 0 <= index < self._count:
            raise IndexError("shared string index out of range")
        if index == 0:
            start, (end,) = 0, _END.unpack(os.pread(self._ends.fileno(), 8, 0))
        else:
            start, end = struct.unpack("<QQ", os.pread(self._ends.fileno(), 16, (index - 1) * 8))
        return os.pread(self._text.fileno(), end - start, start).decode("utf-8", "surrogatepass")

    def __getitem__(self, index: int) -> str:
        value = self._cache.get(index)
        if value is None:
            value = self._load(index)
            if len(value) <= _CACHED_LENGTH:
                if len(self._cache) >= _CACHE_SIZE:
                    self._cache.clear()
                self._cache[index] = value
        self.chars_read += len(value)
        return value

    def close(self) -> None:
        self._cache.clear()
        self._text.close()
        self._ends.close()
