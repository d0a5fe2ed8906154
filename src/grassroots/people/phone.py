"""Mainland phone numbers: normalise and validate. Pure functions.

A valid number is either a mobile (11 digits starting 13-19), kept as bare digits, or a landline
with its area code, kept as ``AREA-LOCAL`` (``0358-5212345``). Area codes follow the mainland
plan: 010 and 020-029 have two digits after the 0, 03xx-09xx have three. Messages never
repeat the number (SECURITY.md 16).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from grassroots.people.errors import PeopleErrorCode, PhoneError

MOBILE = re.compile(r"1[3-9][0-9]{9}")
LANDLINE = re.compile(r"0(?:10|2[0-9]|[3-9][0-9]{2})-[0-9]{7,8}")

# Full-width digits and plus made ASCII; separators people type (spaces are removed apart).
_FULL_WIDTH = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)}, "＋": "+"}
    | dict.fromkeys("-－‐‑‒–—―−()（）", "")
)
_DIGITS = re.compile(r"[0-9]+")


def _fail(code: PeopleErrorCode, message: str) -> PhoneError:
    return PhoneError(code, message, field="phone")


def _area_length(s: str) -> int:
    """How many leading characters of `s` (starting 0) are an area code with its 0; 0 if none."""
    if s[:3] == "010" or s[:2] == "02":
        return 3
    if len(s) > 1 and s[0] == "0" and s[1] in "3456789":
        return 4
    return 0


def _strip_country(s: str) -> str:
    """`s` without a leading +86, 0086 or 86; a landline written internationally gets its 0."""
    for prefix in ("+86", "0086"):
        if s.startswith(prefix):
            rest = s[len(prefix) :]
            if _area_length("0" + rest) and not MOBILE.fullmatch(rest):
                rest = "0" + rest
            return rest
    if s.startswith("86") and (MOBILE.fullmatch(s[2:]) or (s[2:].startswith("0") and len(s) >= 12)):
        return s[2:]
    return s


def normalise_phone(raw: str) -> str:
    """`raw` as stored: a mobile's 11 digits, or ``AREA-LOCAL`` for a landline.

    Whitespace, dashes and brackets go, full-width digits become ASCII, a leading +86, 0086 or 86
    goes. Total: anything that is neither shape comes back with only that cleaning done, for
    `check_phone` to explain.
    """
    s = _strip_country("".join(raw.split()).translate(_FULL_WIDTH))
    if not _DIGITS.fullmatch(s) or MOBILE.fullmatch(s):
        return s
    area = _area_length(s)
    if area and 7 <= len(s) - area <= 8:
        return f"{s[:area]}-{s[area:]}"
    return s


def check_phone(raw: str) -> str:
    """The normalised number (see `normalise_phone`), or PhoneError with a stable `code`.

    Codes: ``phone_empty``, ``phone_chars`` (not only digits), ``phone_length`` (a mobile without
    11 digits), ``phone_no_area_code`` (a local number alone), ``phone_invalid`` (anything else).
    For any input at all, the only exception raised is PhoneError.
    """
    if not isinstance(raw, str):
        raise _fail(
            PeopleErrorCode.PHONE_CHARS, _("电话号码只能包含数字，可带空格、短横线和开头的+86")
        )
    s = normalise_phone(raw)
    if not s:
        raise _fail(PeopleErrorCode.PHONE_EMPTY, _("请填写电话号码"))
    if MOBILE.fullmatch(s) or LANDLINE.fullmatch(s):
        return s
    if not _DIGITS.fullmatch(s):
        raise _fail(
            PeopleErrorCode.PHONE_CHARS, _("电话号码只能包含数字，可带空格、短横线和开头的+86")
        )
    if s.startswith("1"):
        if len(s) != 11:
            raise _fail(
                PeopleErrorCode.PHONE_LENGTH,
                _("手机号码应为11位数字，当前为%(count)d位") % {"count": len(s)},
            )
        raise _fail(PeopleErrorCode.PHONE_INVALID, _("手机号码应以13至19开头"))
    if s.startswith("0"):
        raise _fail(
            PeopleErrorCode.PHONE_INVALID, _("固定电话应为区号加7至8位号码，例如 0358-5212345")
        )
    if 7 <= len(s) <= 8:
        raise _fail(PeopleErrorCode.PHONE_NO_AREA_CODE, _("固定电话请加上区号，例如 0358-5212345"))
    raise _fail(
        PeopleErrorCode.PHONE_INVALID,
        _("电话号码格式不正确：手机号码为11位，固定电话为区号加7至8位号码，例如 0358-5212345"),
    )
