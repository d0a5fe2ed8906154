"""Resident ID numbers (居民身份证号码, GB 11643-1999): normalise, validate, build. Pure functions.

An 18-character number is 6 digits of region, 8 of birth date (YYYYMMDD), 3 of order code (the
last of them odd for men, even for women) and a check character computed by ISO 7064 MOD 11-2
(SECURITY.md 14). Messages never repeat the number or the birth date (SECURITY.md 16).
"""

from __future__ import annotations

import datetime
import operator
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.people.errors import IdNumberError, PeopleErrorCode

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
MALE = "male"
FEMALE = "female"
EARLIEST_YEAR = 1900

# Full-width digits and X as typed with a Chinese input method, and a lower-case x.
_FULL_WIDTH = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)}, "Ｘ": "X", "ｘ": "X", "x": "X"}
)
_DIGITS17 = re.compile(r"[0-9]{17}")
_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_OLD15 = re.compile(r"[0-9]{15}")
_REGION = re.compile(r"[0-9]{6}")


@dataclass(frozen=True, slots=True)
class IdInfo:
    """A valid ID number (normalised) and what it encodes."""

    number: str
    birth_date: datetime.date
    sex: str  # MALE or FEMALE
    region: str  # the first 6 digits: the region of first registration


def _fail(code: PeopleErrorCode, message: str) -> IdNumberError:
    return IdNumberError(code, message, field="id_number")


def normalise_id(raw: str) -> str:
    """`raw` without any whitespace, full-width digits and X made ASCII, x made X.

    Total: never raises, and never changes anything else (validation is `check_id`'s job).
    """
    if raw.isdigit() and raw.isascii():  # the common case: nothing to change
        return raw
    return "".join(raw.split()).translate(_FULL_WIDTH)


def check_digit(first17: str) -> str:
    """The check character ("0"-"9" or "X") of the 17 ASCII digits `first17`; ValueError else."""
    if not _DIGITS17.fullmatch(first17):
        raise ValueError("check_digit needs exactly 17 ASCII digits")
    total = sum(map(operator.mul, map(int, first17), WEIGHTS))
    return CHECK_CHARS[total % 11]


def _birth_date(number: str, today: datetime.date) -> datetime.date:
    year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
    if year < EARLIEST_YEAR:
        raise _fail(PeopleErrorCode.ID_BIRTH_DATE, _("身份证号码中的出生年份不能早于1900年"))
    try:
        born = datetime.date(year, month, day)
    except ValueError:
        raise _fail(
            PeopleErrorCode.ID_BIRTH_DATE,
            _("身份证号码中的出生日期不存在，请核对第7至14位的年月日"),
        ) from None
    if born > today:
        raise _fail(PeopleErrorCode.ID_BIRTH_DATE, _("身份证号码中的出生日期晚于今天"))
    return born


def check_id(raw: str, *, today: datetime.date | None = None) -> IdInfo:
    """The normalised number and what it encodes, or IdNumberError with a stable `code`.

    Codes, checked in this order: ``id_empty``, ``id_old_15`` (a 15-digit first-generation
    number), ``id_length``, ``id_chars`` (anything but digits and a final X), ``id_birth_date``
    (no such date, before 1900 or after `today`, default the local date), ``id_checksum``.
    For any input at all, the only exception raised is IdNumberError.
    """
    if not isinstance(raw, str):
        raise _fail(PeopleErrorCode.ID_CHARS, _("身份证号码只能包含数字，最后一位可以是X"))
    number = normalise_id(raw)
    if not number:
        raise _fail(PeopleErrorCode.ID_EMPTY, _("请填写身份证号码"))
    if len(number) != 18:
        if _OLD15.fullmatch(number):
            raise _fail(
                PeopleErrorCode.ID_OLD_15,
                _("不再接受15位的一代身份证号码，请填写18位的二代身份证号码"),
            )
        raise _fail(
            PeopleErrorCode.ID_LENGTH,
            _("身份证号码应为18位，当前为%(count)d位") % {"count": len(number)},
        )
    if not _SHAPE.fullmatch(number):
        raise _fail(PeopleErrorCode.ID_CHARS, _("身份证号码只能包含数字，最后一位可以是X"))
    born = _birth_date(number, today or timezone.localdate())
    expected = check_digit(number[:17])
    if number[17] != expected:
        raise _fail(
            PeopleErrorCode.ID_CHECKSUM,
            _("身份证号码校验位不符：最后一位应为%(expected)s，请核对是否有数字录错")
            % {"expected": expected},
        )
    sex = MALE if int(number[16]) % 2 else FEMALE
    return IdInfo(number=number, birth_date=born, sex=sex, region=number[:6])


def make_id(region: str, birth: datetime.date, seq: int, sex: str) -> str:
    """A valid 18-character number: `region` (6 digits), `birth`, order code from `seq` and `sex`.

    `seq` in 0..499 picks the order code (2*seq, plus 1 for a man), so distinct (seq, sex) give
    distinct numbers. ValueError for arguments outside those ranges. For demo data and tests.
    """
    if not _REGION.fullmatch(region):
        raise ValueError("region must be 6 ASCII digits")
    if not 0 <= seq <= 499:
        raise ValueError("seq must be in 0..499")
    if sex not in (MALE, FEMALE):
        raise ValueError("sex must be 'male' or 'female'")
    if birth.year < EARLIEST_YEAR:
        raise ValueError("birth must be in 1900 or later")
    order = 2 * seq + (1 if sex == MALE else 0)
    first17 = f"{region}{birth:%Y%m%d}{order:03d}"
    return first17 + check_digit(first17)
