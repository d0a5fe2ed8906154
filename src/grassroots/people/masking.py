"""Masked display forms of ID numbers, phones and names, and finders for unmasked ones. Pure.

Masking is the default everywhere (SECURITY.md 10): ``1****************4``, ``138****5678``,
``张**``. Every mask function is total: it accepts any string (or None), returns "" for empty
input, and stars a value too short to mask partly in full.

An ID number keeps its first and last character only (GB/T 35273 shows "first 1, last 1"): the
area code, birth date and sequence are all hidden, so with the age band shown beside it
(`age_band`) a guess cannot be narrowed to a handful of candidates. A phone keeps the usual
3-4 pattern (carrier prefix and last 4): a mobile's middle 4 digits alone leave 10,000
candidates, and exact phone searches are audited and rate-limited (`people.services.search`).
Ages are shown as bands (`age_band`), never as years, beside any mask.

The finders let tests scan responses for leaks. A hit must stand alone (no ASCII letter or digit
either side, and not the digits of a decimal fraction) and, for an ID, pass the checksum with a
real birth date, so area codes (12 to 19 digits), hashes and coordinates are not reported.
"""

from __future__ import annotations

import datetime
import re

from grassroots.people.idnumber import IdNumberError, check_id, normalise_id
from grassroots.people.phone import LANDLINE, MOBILE, normalise_phone

STAR = "*"
# An ID shorter than this is starred in full: a partial mask would show most of it.
_ID_MIN_PARTIAL = 15
# How many characters of an ID number a mask keeps at each end.
ID_KEEP_HEAD = 1
ID_KEEP_TAIL = 1
# Ages are shown in bands this many years wide; from AGE_BAND_TOP on, one open band.
AGE_BAND_WIDTH = 10
AGE_BAND_TOP = 80

_BEFORE = r"(?<![0-9A-Za-z])(?<![0-9]\.)"
_AFTER = r"(?![0-9A-Za-z])(?!\.[0-9])"
FULL_ID_PATTERN = re.compile(_BEFORE + r"[0-9]{17}[0-9Xx]" + _AFTER)
# A mobile, optionally after +86/0086/86 and with a space or dash in the 3-4-4 grouping.
FULL_PHONE_PATTERN = re.compile(
    _BEFORE + r"(?:(?:\+|00)?86[ -]?)?(1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4})" + _AFTER
)


def mask_id(value: str | None) -> str:
    """First and last character kept, the rest starred: 18 characters give 16 stars.

    The value is normalised first (spaces, full-width digits); under 15 characters it is starred
    in full. This is the only place the ID mask is defined.
    """
    v = normalise_id(value or "")
    if len(v) < _ID_MIN_PARTIAL:
        return STAR * len(v)
    return v[:ID_KEEP_HEAD] + STAR * (len(v) - ID_KEEP_HEAD - ID_KEEP_TAIL) + v[-ID_KEEP_TAIL:]


def remask_id(masked: str) -> str:
    """A mask of the older, wider form (``141***********0002``) narrowed to today's.

    Stored masks are re-derived from themselves, without decrypting: the characters kept today
    are a subset of those kept before. A value already in today's form is returned unchanged.
    """
    if len(masked) < _ID_MIN_PARTIAL or set(masked) == {STAR}:
        return masked
    hidden = len(masked) - ID_KEEP_HEAD - ID_KEEP_TAIL
    return masked[:ID_KEEP_HEAD] + STAR * hidden + masked[-ID_KEEP_TAIL:]


def age_on(birth: datetime.date, today: datetime.date) -> int:
    """Whole years from `birth` to `today` (for rules and bands; never shown beside a mask)."""
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def age_band(birth: datetime.date, today: datetime.date) -> str:
    """The age shown beside a masked ID: a band of AGE_BAND_WIDTH years (``40-49``), or
    ``80+`` from AGE_BAND_TOP on. A band leaves the birth year uncertain by ten years, where an
    exact age with the old mask pinned it to two."""
    age = max(age_on(birth, today), 0)
    if age >= AGE_BAND_TOP:
        return f"{AGE_BAND_TOP}+"
    low = age - age % AGE_BAND_WIDTH
    return f"{low}-{low + AGE_BAND_WIDTH - 1}"


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
