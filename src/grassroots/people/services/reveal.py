"""Revealing one full ID number or phone: permitted, purposeful, audited."""

from __future__ import annotations

from django.utils.translation import gettext as _

from grassroots.areas.scope import scope_for
from grassroots.core import crypto
from grassroots.core.audit import audit_record
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.people.choices import RevealField
from grassroots.people.errors import PeopleError, PeopleErrorCode
from grassroots.people.models import Resident

MIN_PURPOSE = 4


def resident_reveal(*, actor: User, resident: Resident, field: str, purpose: str) -> str:
    """One full ID number or phone, for a permitted actor with a stated purpose; audited.

    Raises 403 without the permission, NotFound out of scope, a field error for an unknown field
    or a purpose shorter than four characters.
    """
    scope_for(actor).require_area(Perm.REVEAL_PEOPLE, resident.area, "resident")
    if field not in RevealField.values:
        raise PeopleError(
            PeopleErrorCode.INVALID_CHOICE, _("只能查看身份证号或联系电话"), field="field"
        )
    token = resident.id_number_enc if field == RevealField.ID_NUMBER else resident.phone_enc
    return sealed_reveal(
        actor=actor,
        sealed=token,
        field=field,
        purpose=purpose,
        object_type="resident",
        object_id=resident.pk,
    )


def sealed_reveal(
    *, actor: User, sealed: str, field: str, purpose: str, object_type: str, object_id: object
) -> str:
    """The plain value of one sealed ID number or phone, audited as `<object_type>.reveal` with
    the field and the purpose (the one reveal audit of every app). The caller has checked the
    actor's right; a purpose shorter than four characters is a field error, nothing audited."""
    purpose = (purpose or "").strip()
    if len(purpose) < MIN_PURPOSE:
        raise PeopleError(
            PeopleErrorCode.PURPOSE_REQUIRED,
            _("请说明查看用途（至少 4 个字）"),
            field="purpose",
        )
    value = crypto.decrypt(sealed) if sealed else ""
    audit_record(
        actor=actor,
        # "resident.reveal" (PeopleAuditAction.RESIDENT_REVEAL) here; other apps reveal their own
        action=f"{object_type}.reveal",
        object_type=object_type,
        object_id=object_id,
        changes={"field": field, "purpose": purpose[:200]},
    )
    return value
