"""What the visits services share: scope checks and the audit helper."""

from __future__ import annotations

from typing import Any

from grassroots.areas.models import Area
from grassroots.areas.scope import scope_for
from grassroots.core.audit import audit_record
from grassroots.core.errors import NotFound
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.people.models import Household
from grassroots.visits.auditlog import VisitAuditAction


def require_area(actor: User | None, perm: str, area: Area, what: str) -> None:
    """`perm` over `area` (403 without it anywhere, NotFound outside scope); None: the system."""
    if actor is not None:
        scope_for(actor).require_area(perm, area, what)


def household_for(actor: User | None, pk: Any, perm: str = Perm.EDIT_PEOPLE) -> Household:
    """The household `pk` with its grid, if `actor` holds `perm` over it; else NotFound (404)."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise NotFound("household") from None
    household = Household.objects.select_related("area", "dwelling").filter(pk=key).first()
    if household is None:
        raise NotFound("household")
    require_area(actor, perm, household.area, "household")
    return household


def audit(
    actor: User | None,
    action: VisitAuditAction,
    object_type: str,
    object_id: object,
    changes: dict[str, Any],
) -> None:
    """One audit row; `changes` holds ids and plain values, never names, ID numbers or phones."""
    audit_record(
        actor=actor, action=action, object_type=object_type, object_id=object_id, changes=changes
    )
