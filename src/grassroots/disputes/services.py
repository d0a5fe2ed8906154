"""Screening and configuration of disputes: the write paths besides the workflow's actions.

`dispute_screen` records a dispute found on a visit, a patrol, from a hotline case or at a
liaison station, with its parties, the risk its rules give and the level its area gives; every
later change goes through `disputes.workflow.dispute_apply`. `mediation_record` is the workflow's
"mediate" or "settle", chosen by the session's outcome.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.areas.models import Area, path_of
from grassroots.areas.scope import scope_for
from grassroots.cases import selectors as case_selectors
from grassroots.cases.models import Case
from grassroots.core.audit import audit_record
from grassroots.core.errors import NotFound
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.disputes import rules, workflow
from grassroots.disputes.auditlog import DisputeAuditAction
from grassroots.disputes.choices import (
    LEVEL_OF_AREA,
    Action,
    FoundVia,
    Kind,
    Outcome,
    PartyRole,
    Risk,
)
from grassroots.disputes.effects import Session, check_date
from grassroots.disputes.errors import DisputeError
from grassroots.disputes.errors import DisputeErrorCode as E
from grassroots.disputes.models import Dispute, DisputeEvent, Party, RiskRule
from grassroots.people import selectors as people_selectors
from grassroots.people.errors import IdNumberError, PhoneError
from grassroots.people.models import Resident
from grassroots.people.privacy import EMPTY, sealed_id, sealed_phone

MAX_PARTIES = 50


@dataclass(frozen=True)
class PartyIn:
    """A party as handed in: a resident of the registry (by id), or an outsider by name."""

    role: str
    resident: int | None = None
    name: str = ""
    id_number: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Screening:
    """What a screener hands in (a form, the API, or later the visits app)."""

    area: int
    kind: str
    summary: str
    found_via: str
    found_on: datetime.date
    parties: tuple[PartyIn, ...]
    # The screener's own judgement: the rules may raise it, never lower it.
    risk: str = ""
    # The hotline case it came from (found_via = hotline).
    case: int | None = None
    # A plain reference of the source: a visit's number, a station log entry.
    source_ref: str = ""


def _choice(value: str, allowed: list[str], field: str) -> str:
    if value not in allowed:
        raise DisputeError(E.INVALID_VALUE, _("无效的取值：%(v)s") % {"v": value[:40]}, field=field)
    return value


def _area(actor: User | None, pk: int) -> Area:
    area = Area.objects.defer("polygon").filter(pk=pk).first()
    if area is None:
        raise NotFound("area")
    if actor is not None and not scope_for(actor).covers_area(Perm.HANDLE_DISPUTES, area):
        raise NotFound("area")
    return area


def _source_case(actor: User | None, s: Screening) -> Case | None:
    if s.found_via == FoundVia.HOTLINE and s.case is None:
        raise DisputeError(E.INVALID_VALUE, _("来自热线诉求的纠纷须关联诉求"), field="case")
    if s.case is None:
        return None
    if s.found_via != FoundVia.HOTLINE:
        raise DisputeError(E.INVALID_VALUE, _("只有来自热线诉求的纠纷关联诉求"), field="case")
    if actor is None:
        found = Case.objects.filter(pk=s.case).first()
        if found is None:
            raise NotFound("case")
        return found
    return case_selectors.case_get(actor=actor, pk=s.case)


def _party(actor: User | None, i: int, p: PartyIn, dispute: Dispute) -> Party:
    """An unsaved party, checked: the resident in the actor's registry scope (else 404), or an
    outsider with a name, their ID number and phone validated and sealed."""
    where = f"parties.{i}"
    role = _choice(p.role, PartyRole.values, f"{where}.role")
    if p.resident is not None:
        found: Resident | None = (
            people_selectors.resident_get(actor=actor, pk=p.resident)
            if actor is not None
            else Resident.objects.filter(pk=p.resident).first()
        )
        if found is None:
            raise NotFound("resident")
        resident = found
        return Party(dispute=dispute, resident=resident, role=role)
    name = " ".join(p.name.split())[:60]
    if not name:
        raise DisputeError(E.PARTY_REQUIRED, _("请选择居民或填写当事人姓名"), field=f"{where}.name")
    ident, phone = EMPTY, EMPTY
    try:
        if p.id_number.strip():
            ident = sealed_id(p.id_number)[1]
    except IdNumberError as exc:
        raise DisputeError(exc.code, exc.message, field=f"{where}.id_number") from None
    try:
        phone = sealed_phone(p.phone)
    except PhoneError as exc:
        raise DisputeError(exc.code, exc.message, field=f"{where}.phone") from None
    return Party(
        dispute=dispute,
        name=name,
        role=role,
        id_number_enc=ident.enc,
        id_number_index=ident.index,
        id_number_masked=ident.masked,
        phone_enc=phone.enc,
        phone_index=phone.index,
        phone_masked=phone.masked,
    )


def active_rules() -> list[rules.Rule]:
    """The active risk rules as plain values."""
    return [
        rules.Rule(kind, parties, risk)
        for kind, parties, risk in RiskRule.objects.filter(active=True).values_list(
            "kind", "min_parties", "risk"
        )
    ]


def dispute_screen(*, actor: User | None, screening: Screening) -> Dispute:
    """Record a dispute found by screening, in one transaction; returns it, open.

    Guarantees: 403 without HANDLE_DISPUTES; the area, the source case and each resident party
    lie in the actor's scope (else NotFound, as if missing); the date is not in the future; the
    kind, source and roles are known values; at least one party, each a resident or a named
    outsider whose ID number and phone are valid (sealed, shown masked); the risk is the highest
    of the screener's and the matching rules'; the level is the area's (grid, community,
    township, county). One "screen" event and one audit row are written. `None` is the system.
    """
    s = screening
    if actor is not None:
        scope_for(actor).require(Perm.HANDLE_DISPUTES)
    kind = _choice(s.kind, Kind.values, "kind")
    found_via = _choice(s.found_via, FoundVia.values, "found_via")
    summary = s.summary.strip()
    if not summary:
        raise DisputeError(E.INVALID_VALUE, _("请填写纠纷概要"), field="summary")
    check_date(s.found_on, "found_on")
    if s.risk:
        _choice(s.risk, Risk.values, "risk")
    if not s.parties:
        raise DisputeError(E.PARTY_REQUIRED, _("至少登记一位当事人"), field="parties")
    if len(s.parties) > MAX_PARTIES:
        raise DisputeError(E.INVALID_VALUE, _("当事人过多"), field="parties")
    area = _area(actor, s.area)
    case = _source_case(actor, s)
    dispute = Dispute(
        area=area,
        **path_of(area),
        kind=kind,
        summary=summary[:8000],
        risk=rules.risk_of(
            active_rules(), kind=kind, parties=len(s.parties), floor=s.risk or Risk.GREEN
        ),
        found_by=actor,
        found_via=found_via,
        case=case,
        source_ref=s.source_ref.strip()[:60],
        found_on=s.found_on,
        level=LEVEL_OF_AREA[area.level],
        created_at=timezone.now(),
    )
    parties = [_party(actor, i, p, dispute) for i, p in enumerate(s.parties)]
    with transaction.atomic():
        workflow.dispute_open(dispute=dispute, actor=actor)
        for party in parties:
            party.dispute = dispute
        Party.objects.bulk_create(parties)
    return dispute


def mediation_record(
    *, dispute_id: int, actor: User | None, session: Session
) -> tuple[Dispute, DisputeEvent]:
    """Record a mediation session: "settle" when it settled the dispute (its agreement is
    required), "mediate" otherwise. See `workflow.dispute_apply` for the guarantees."""
    action = Action.SETTLE if session.outcome == Outcome.SETTLED else Action.MEDIATE
    return workflow.dispute_apply(
        dispute_id=dispute_id, action=action, actor=actor, note=session.notes, session=session
    )


def risk_rule_define(
    *,
    actor: User | None,
    risk: str,
    kind: str = "",
    min_parties: int | None = None,
    note: str = "",
    active: bool = True,
    pk: int | None = None,
) -> RiskRule:
    """Create (or, with `pk`, change) a risk rule; 403 without CONFIGURE_DISPUTES. A rule must
    name a kind or a minimum number of parties (a rule matching everything would paint every
    dispute one colour). Audited with the rule before and after."""
    if actor is not None:
        scope_for(actor).require(Perm.CONFIGURE_DISPUTES)
    _choice(risk, Risk.values, "risk")
    if kind:
        _choice(kind, Kind.values, "kind")
    if min_parties is not None and not 1 <= min_parties <= MAX_PARTIES:
        raise DisputeError(E.INVALID_VALUE, _("当事人数应在 1 到 50 之间"), field="min_parties")
    if not kind and min_parties is None:
        raise DisputeError(E.INVALID_VALUE, _("规则须指定纠纷类型或当事人数"), field="kind")
    with transaction.atomic():
        rule = (
            RiskRule() if pk is None else RiskRule.objects.select_for_update().filter(pk=pk).first()
        )
        if rule is None:
            raise NotFound("dispute_rule")
        before: dict[str, Any] = {} if pk is None else _rule_values(rule)
        rule.kind, rule.min_parties, rule.risk = kind, min_parties, risk
        rule.note, rule.active = note.strip()[:200], active
        rule.save()
        audit_record(
            actor=actor,
            action=DisputeAuditAction.RULE_DEFINE,
            object_type="dispute_rule",
            object_id=rule.pk,
            changes={"before": before, "after": _rule_values(rule)},
        )
    return rule


def _rule_values(rule: RiskRule) -> dict[str, Any]:
    return {
        "kind": rule.kind,
        "min_parties": rule.min_parties,
        "risk": rule.risk,
        "active": rule.active,
    }
