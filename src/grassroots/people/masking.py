"""Masked display forms of ID numbers, phones and names, and finders for unmasked ones. Pure.

Masking is the default everywhere (SECURITY.md 10): ``110***********1234``, ``138****5678``,
``张**``. Every mask function is total: it accepts any string (or None), returns "" for empty
input, and stars a value too short to mask partly in full.

The finders let tests scan responses for leaks. A hit must stand alone (no ASCII letter or digit
either side, and not the digits of a decimal fraction) and, for an ID, pass the checksum with a
real birth date, so area codes (12 to 19 digits), hashes and coordinates are not reported.
"""

from __future__ import annotations

import re

from grassroots.people.idnumber import IdNumberError, check_id, normalise_id
from grassroots.people.phone import LANDLINE, MOBILE, normalise_phone

STAR = "*"
# An ID shorter than this is starred in full: a partial mask would show most of it.
_ID_MIN_PARTIAL = 15

_BEFORE = r"(?<![0-9A-Za-z])(?<![0-9]\.)"
_AFTER = r"(?![0-9A-Za-z])(?!\.[0-9])"
FULL_ID_PATTERN = re.compile(_BEFORE + r"[0-9]{17}[0-9Xx]" + _AFTER)
# A mobile, optionally after +86/0086/86 and with a space or dash in the 3-4-4 grouping.
FULL_PHONE_PATTERN = re.compile(
    _BEFORE + r"(?:(?:\+|00)?86[ -]?)?(1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4})" + _AFTER
)


def mask_id(value: str | None) -> str:
    """First 3 and last 4 characters kept, the rest starred: 18 characters give 11 stars.

    The value is normalised first (spaces, full-width digits); under 15 characters it is starred
    in full.
    """
    v = normalise_id(value or "")
    if len(v) < _ID_MIN_PARTIAL:
        return STAR * len(v)
    return v[:3] + STAR * (len(v) - 7) + v[-4:]


def mask_phone(value: str | None) -> str:
    """A mobile as ``138****5678``; a landline keeps its area code and the last 3-4 digits.

    The value is normalised first (see `normalise_phone`); anything that is not a valid mobile or
    landline is starred in full.
    """
    v = normalise_phone(value or "")
    if MOBILE.fullmatch(v):
        return v[:3] + STAR * 4 + v[-4:]
    if LANDLINE.fullmatch(v):
        area, local = v.split("-")
        keep = len(local) // 2  # 3 of 7 digits, 4 of 8
        return f"{area}-{STAR * (len(local) - keep)}{local[-keep:]}"
    return STAR * len(v)


def mask_name(value: str | None) -> str:
    """The first character kept, one star for each other: ``张三丰`` gives ``张**``.

    Surrounding whitespace goes; a one-character name is starred in full.
    """
    v = (value or "").strip()
    if len(v) < 2:
        return STAR * len(v)
    return v[0] + STAR * (len(v) - 1)


def find_full_ids(text: str) -> list[str]:
    """Every unmasked valid ID number in `text` (normalised, in order of appearance).

    A hit passes `check_id`: a real birth date from 1900 to today and the right check character.
    """
    found = []
    for m in FULL_ID_PATTERN.finditer(text):
        try:
            found.append(check_id(m.group()).number)
        except IdNumberError:
            continue
    return found


def find_full_phones(text: str) -> list[str]:
    """Every unmasked mobile number in `text`, as 11 digits, in order of appearance."""
    return [normalise_phone(m.group(1)) for m in FULL_PHONE_PATTERN.finditer(text)]
