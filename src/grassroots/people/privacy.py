"""The encrypted, indexed and masked forms of personal values, computed in one place.

Every write of an ID number or phone goes through `sealed_id` / `sealed_phone`; every exact-match
search through `id_index` / `phone_index`, so search and storage can never disagree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from grassroots.core import crypto
from grassroots.people.idnumber import IdInfo, check_id
from grassroots.people.masking import mask_id, mask_phone
from grassroots.people.phone import check_phone

ID_KIND = "id"
PHONE_KIND = "phone"
TAG_KIND = "tag"


@dataclass(frozen=True)
class Sealed:
    """A value as stored: ciphertext, blind index, masked display form."""

    enc: str
    index: str
    masked: str


EMPTY = Sealed("", "", "")


def sealed_id(raw: str, *, today: datetime.date | None = None) -> tuple[IdInfo, Sealed]:
    """Validate an ID number (IdNumberError otherwise; a birth date after `today`, default the
    local date, is one) and seal it."""
    info = check_id(raw, today=today)
    return info, Sealed(
        crypto.encrypt(info.number),
        crypto.blind_index(info.number, kind=ID_KIND),
        mask_id(info.number),
    )


def sealed_phone(raw: str) -> Sealed:
    """Validate a phone (PhoneError otherwise) and seal it; empty stays empty."""
    if not (raw or "").strip():
        return EMPTY
    phone = check_phone(raw)
    return Sealed(
        crypto.encrypt(phone), crypto.blind_index(phone, kind=PHONE_KIND), mask_phone(phone)
    )


def id_index(raw: str) -> str:
    """The blind index of a searched ID number (validated first, so a typo is a clear error)."""
    return crypto.blind_index(check_id(raw).number, kind=ID_KIND)


def phone_index(raw: str) -> str:
    """The blind index of a searched phone."""
    return crypto.blind_index(check_phone(raw), kind=PHONE_KIND)


def tag_token(code: str) -> str:
    """The keyed token stored for a tag code (the database never says which tag it is)."""
    return crypto.blind_index(code, kind=TAG_KIND)
