"""What every registry service shares: the permission check, field checks, change rows."""

from __future__ import annotations

from typing import Any

from grassroots.areas.models import Area
from grassroots.areas.scope import scope_for
from grassroots.core.audit import audit_record
from grassroots.core.models import User
from grassroots.people.auditlog import PeopleAuditAction
from grassroots.people.choices import Education, Employment, Politics, Relation
from grassroots.people.errors import PeopleError
from grassroots.people.models import Resident
from grassroots.people.rules import Refusal, resident_refusals

# Fields a registry change may touch, and the choices each must come from (None: free text).
EDITABLE: dict[str, Any] = {
    "name": None,
    "relation": Relation,
    "ethnicity": None,
    "education": Education,
    "employment": Employment,
    "occupation": None,
    "politics": Politics,
    "party_branch": None,
    "notes": None,
}


def require(actor: User | None, perm: str, area: Area, what: str) -> None:
    """The actor's `perm` over `area` (403 without it, NotFound outside scope); None: the system."""
    if actor is not None:
        scope_for(actor).require_area(perm, area, what)


def refuse(refusals: list[Refusal]) -> None:
    """Raise the first refusal as a PeopleError naming its field; nothing when there is none."""
    if refusals:
        first = refusals[0]
        raise PeopleError(first.code, first.message, field=first.field)


def clean(field: str, value: Any) -> str:
    """One EDITABLE field's value, stripped, or the PeopleError of the rule it breaks."""
    text = str(value if value is not None else "").strip()
    refuse(resident_refusals(values={field: text}))
    return text


def resident_snapshot(resident: Resident) -> dict[str, Any]:
    """What a change row records of a resident: masked identifiers, never full ones."""
    return {
        "name": resident.name,
        "id_number": resident.id_number_masked,
        "phone": resident.phone_masked,
        "household": resident.household_id,
        "area": resident.area_id,
        "relation": resident.relation,
        "status": resident.status,
        **{
            f: getattr(resident, f)
            for f in (
                "ethnicity",
                "education",
                "employment",
                "occupation",
                "politics",
                "party_branch",
            )
        },
    }


def audit_resident(
    actor: User | None, action: PeopleAuditAction, resident: Resident, before: dict[str, Any] | None
) -> None:
    """One change row for `resident`: its snapshot, or only what differs from `before`."""
    after = resident_snapshot(resident)
    changes: dict[str, Any] = {"after": after}
    if before is not None:
        changes["before"] = {k: v for k, v in before.items() if after.get(k) != v}
        changes["after"] = {k: v for k, v in after.items() if before.get(k) != v}
    audit_record(
        actor=actor, action=action, object_type="resident", object_id=resident.pk, changes=changes
    )
