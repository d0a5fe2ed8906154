"""The omission check (不漏项、不悬空、有人管、有人帮): what each relocated household should have,
against what it has.

`find` computes the findings from the registry and the rules as of a day; `omission_check`
records a run: new findings open an `Omission`, findings no longer found are closed, and the
run keeps its counts so that a leader sees the number fall. Run by `grassroots
check-entitlements` and the nightly job of the same name.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.areas.models import path_of
from grassroots.cases.choices import OPEN_STATES as CASE_OPEN
from grassroots.core.audit import audit_record
from grassroots.relocation import facts
from grassroots.relocation.auditlog import RelocationAuditAction as AA
from grassroots.relocation.choices import OPEN_STATES, ItemState, OmissionKind
from grassroots.relocation.models import (
    Entitlement,
    EntitlementItem,
    Omission,
    OmissionRun,
    RelocatedHousehold,
)

# An open item with no progress for this many days hangs (悬空), unless its linked case is open
# (the case's own time limits then watch it).
STALE_DAYS = 30


@dataclass(frozen=True)
class Finding:
    """One omission: its kind, a stable key (the same omission on the next run has the same
    key), the household and, where known, the entitlement, member and item."""

    kind: str
    key: str
    relocated: int
    entitlement: int | None
    member: int | None
    item: int | None
    detail: str


def find(today: datetime.date | None = None) -> list[Finding]:
    """Every omission as of `today`, over every relocated household."""
    today = today or timezone.localdate()
    out: list[Finding] = []
    households = list(RelocatedHousehold.objects.order_by("pk"))
    known = facts.load(households, today)
    entries = [
        facts.Entry(pk, subject, rule)
        for pk, subject, rule in Entitlement.objects.filter(active=True).values_list(
            "pk", "subject", "rule"
        )
    ]
    names = dict(Entitlement.objects.values_list("pk", "name"))
    have: dict[int, set[tuple[int, int]]] = {r.pk: set() for r in households}
    for rid, eid, member in EntitlementItem.objects.values_list(
        "relocated_id", "entitlement_id", "member_key"
    ):
        have.setdefault(rid, set()).add((eid, member))
    for r in households:
        for eid, member in sorted(facts.required(entries, known[r.pk]) - have[r.pk]):
            out.append(
                Finding(
                    OmissionKind.MISSING,
                    f"missing:{r.pk}:{eid}:{member}",
                    r.pk,
                    eid,
                    member or None,
                    None,
                    _("规则要求“%(e)s”，但没有这一事项") % {"e": names[eid]},
                )
            )
    stale = today - datetime.timedelta(days=STALE_DAYS)
    open_items = EntitlementItem.objects.filter(state__in=OPEN_STATES).values_list(
        "pk",
        "relocated_id",
        "entitlement_id",
        "member_id",
        "owner_id",
        "helper_id",
        "owner__ended_on",
        "progressed_on",
        "case__state",
    )
    for pk, rid, eid, member, owner, helper, ended, progressed, case_state in open_items:

        def hit(
            kind: str, detail: str, pk: int = pk, rid: int = rid, eid: int = eid, m: int = member
        ) -> None:
            out.append(Finding(kind, f"{kind}:{pk}", rid, eid, m, pk, detail))

        if owner is None:
            hit(OmissionKind.NO_OWNER, _("没有责任人"))
        elif ended is not None and ended <= today:
            hit(OmissionKind.OWNER_ENDED, _("责任人已于 %(d)s 离岗") % {"d": ended.isoformat()})
        if helper is None:
            hit(OmissionKind.NO_HELPER, _("没有帮扶人"))
        if progressed < stale and case_state not in CASE_OPEN:
            hit(
                OmissionKind.STALE,
                _("自 %(d)s 起没有进展") % {"d": progressed.isoformat()},
            )
    bare = EntitlementItem.objects.filter(state=ItemState.FULFILLED).filter(
        Q(evidence="") | Q(evidence__isnull=True)
    )
    for pk, rid, eid, member in bare.values_list(
        "pk", "relocated_id", "entitlement_id", "member_id"
    ):
        out.append(
            Finding(
                OmissionKind.NO_EVIDENCE,
                f"no_evidence:{pk}",
                rid,
                eid,
                member,
                pk,
                _("已落实但没有佐证"),
            )
        )
    return out


def omission_check(*, today: datetime.date | None = None) -> OmissionRun:
    """Run the check and record it: open an `Omission` for each new finding, close each open one
    no longer found, and keep the run's counts (one audit row)."""
    today = today or timezone.localdate()
    findings = find(today)
    with transaction.atomic():
        open_rows = {o.key: o for o in Omission.objects.select_for_update().filter(closed_on=None)}
        area_rows = {
            r.pk: r.area
            for r in RelocatedHousehold.objects.select_related("area").filter(
                pk__in={f.relocated for f in findings}
            )
        }
        found_keys = set()
        opened = 0
        for f in findings:
            found_keys.add(f.key)
            if f.key in open_rows:
                continue
            area = area_rows[f.relocated]
            Omission.objects.create(
                kind=f.kind,
                key=f.key,
                relocated_id=f.relocated,
                area=area,
                **path_of(area),
                entitlement_id=f.entitlement,
                member_id=f.member,
                item_id=f.item,
                detail=f.detail[:300],
                found_on=today,
            )
            opened += 1
        gone = [o.pk for key, o in open_rows.items() if key not in found_keys]
        Omission.objects.filter(pk__in=gone).update(closed_on=today, updated_at=timezone.now())
        by_kind: dict[str, int] = {}
        for f in findings:
            by_kind[f.kind] = by_kind.get(f.kind, 0) + 1
        run = OmissionRun.objects.create(
            at=timezone.now(),
            found=len(findings),
            opened=opened,
            closed=len(gone),
            by_kind=by_kind,
        )
        audit_record(
            actor=None,
            action=AA.OMISSION_CHECK,
            object_type="omission_run",
            object_id=run.pk,
            changes={"found": len(findings), "opened": opened, "closed": len(gone)},
        )
    return run
