"""What an uploaded workbook may unpack to, checked before anything is parsed (a "zip bomb").

An .xlsx is a ZIP of XML parts. Its central directory declares each part's unpacked size, and
Python's zipfile never returns more than the declared size (a lie ends in a CRC error), so the
declared sizes are a bound that holds while reading. `expansion_problem` refuses a workbook
whose parts together unpack to more than ``PEOPLE_IMPORT_MAX_EXPANDED_BYTES`` (default 256 MB),
or with one part larger than ``PEOPLE_IMPORT_RATIO_GRACE_BYTES`` (1 MB) that unpacks to more than
``PEOPLE_IMPORT_MAX_RATIO`` (default 100) times its packed size — Apache POI's default for the
same check. Real ledgers, mostly distinct names, ID numbers and addresses, pack about 4 to 10
times; the hostile workbook of issue 15 packed 400 times.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from django.conf import settings

DEFAULT_MAX_EXPANDED = 256 * 1024 * 1024
DEFAULT_MAX_RATIO = 100
DEFAULT_RATIO_GRACE = 1024 * 1024


@dataclass(frozen=True)
class Expansion:
    """Why a workbook is refused: ``total`` (all parts too large) or ``ratio`` (one part packs
    too tightly), with the limit that was passed."""

    reason: str
    limit: int


def max_expanded_bytes() -> int:
    return int(getattr(settings, "PEOPLE_IMPORT_MAX_EXPANDED_BYTES", DEFAULT_MAX_EXPANDED))


def max_ratio() -> int:
    return int(getattr(settings, "PEOPLE_IMPORT_MAX_RATIO", DEFAULT_MAX_RATIO))


def ratio_grace_bytes() -> int:
    return int(getattr(settings, "PEOPLE_IMPORT_RATIO_GRACE_BYTES", DEFAULT_RATIO_GRACE))


def expansion_problem(infos: list[zipfile.ZipInfo]) -> Expansion | None:
    """The reason the parts `infos` may not be unpacked, or None when they may."""
    total_cap, ratio, grace = max_expanded_bytes(), max_ratio(), ratio_grace_bytes()
    total = 0
    for info in infos:
        total += info.file_size
        if total > total_cap:
            return Expansion("total", total_cap)
        if info.file_size > grace and info.file_size > ratio * max(info.compress_size, 1):
            return Expansion("ratio", ratio)
    return None
