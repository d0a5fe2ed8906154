"""Query parameters, parsed once for the API, the pages and Open311: flags, numbers, ids, dates.

Every parser takes the parameter's name and its raw value and returns the parsed value, None
when the parameter is absent or blank, or raises the 400 `invalid_filter` DomainError whose
`detail["field"]` and message name that parameter. Nothing else escapes: whatever string comes
in, the answer is a value or that error (property-tested in tests/test_params.py).

Numbers stay inside what the database stores: ids are 1..2**63-1 (a 64-bit key), other whole
numbers a 32-bit integer, dates and times between the years 1000 and 9998 (so that a few days'
arithmetic and the shift to UTC never overflow).
"""

from __future__ import annotations

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core.errors import CoreErrorCode, DomainError, invalid_filter

ID_MAX = 2**63 - 1
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
YEAR_MIN, YEAR_MAX = 1000, 9998
TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off"})
# An optional sign and at most 20 ASCII digits (Python's int() would take "١٢" and "1_000").
_WHOLE = re.compile(r"[+-]?[0-9]{1,20}", re.ASCII)


def _text(value: object) -> str | None:
    """`value` stripped, or None when absent or blank."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def flag(field: str, value: object) -> bool | None:
    """A yes/no parameter: 1/true/yes/on or 0/false/no/off, in any case."""
    text = _text(value)
    if text is None:
        return None
    if text.lower() in TRUE:
        return True
    if text.lower() in FALSE:
        return False
    raise invalid_filter(field, value)


def integer(field: str, value: object, *, low: int = INT_MIN, high: int = INT_MAX) -> int | None:
    """A whole number in [low, high] (by default a 32-bit integer)."""
    text = _text(value)
    if text is None:
        return None
    if not _WHOLE.fullmatch(text):
        raise invalid_filter(field, value)
    number = int(text)
    if not low <= number <= high:
        raise invalid_filter(field, value)
    return number


def row_id(field: str, value: object) -> int | None:
    """A row id (1..2**63-1), or None when absent."""
    return integer(field, value, low=1, high=ID_MAX)


def id_or_none(value: object) -> int | None:
    """`value` as a row id when it is one (1..2**63-1), else None, never an error: for a choice
    echoed back by a form or a filter where anything else simply matches nothing."""
    try:
        return row_id("id", value)
    except DomainError:
        return None


def positive_id(field: str, value: object) -> int:
    """A row id that must be there: absent or blank is the invalid-filter error too."""
    number = row_id(field, value)
    if number is None:
        raise invalid_filter(field, value)
    return number


def row_ids(field: str, value: object) -> list[int] | None:
    """A comma-separated list of row ids (blanks between commas skipped); None when absent."""
    text = _text(value)
    if text is None:
        return None
    parts = [part for part in text.split(",") if part.strip()]
    if not parts:
        raise invalid_filter(field, value)
    return [positive_id(field, part) for part in parts]


def _in_range(field: str, value: object, year: int) -> None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise invalid_filter(field, value)


def day(field: str, value: object) -> datetime.date | None:
    """A calendar date, YYYY-MM-DD (ISO 8601)."""
    text = _text(value)
    if text is None:
        return None
    try:
        parsed = datetime.date.fromisoformat(text)
    except ValueError:
        message = _("筛选条件 %(f)s 的日期格式应为 YYYY-MM-DD：%(v)s")
        raise DomainError(
            CoreErrorCode.INVALID_FILTER, message % {"f": field, "v": str(value)[:60]}, field=field
        ) from None
    _in_range(field, value, parsed.year)
    return parsed


def moment(field: str, value: object) -> datetime.datetime | None:
    """An aware date-time (ISO 8601 / W3C, "Z" for UTC); without an offset, in local time."""
    text = _text(value)
    if text is None:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        message = _("筛选条件 %(f)s 的时间格式应为 ISO 8601（如 2026-01-31T08:00:00+08:00）：%(v)s")
        raise DomainError(
            CoreErrorCode.INVALID_FILTER, message % {"f": field, "v": str(value)[:60]}, field=field
        ) from None
    _in_range(field, value, parsed.year)
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
