"""Writes of the cadres registry, the year's scheme and pay rule, and the pay sheets.

Each service checks the actor's right over the area (out of scope is 404, as missing), runs in
one transaction, and writes its audit row; the appraisal state machine is `cadres.workflow`.
`actor=None` is the system (the demo loader, a command): audited, not scoped.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.areas.choices import Level
from grassroots.areas.models import Area, path_of
from grassroots.areas.scope import scope_for
from grassroots.cadres import pay as pay_rules
from grassroots.cadres import scoring
from grassroots.cadres.auditlog import CadreAuditAction as A
from grassroots.cadres.choices import LineKind, Origin, Period, Post, SheetKind, SheetState
from grassroots.cadres.errors import CadreConflict, CadreError, CadreErrorCode
from grassroots.cadres.models import Appraisal, Cadre, PayLine, PayRule, PaySheet, Scheme, Term
from grassroots.core.audit import audit_record
from grassroots.core.errors import NotFound
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.people.models import Resident
from grassroots.people.services.reveal import sealed_reveal

PLACES = (Level.VILLAGE, Level.COMMUNITY)


def require_area(actor: User | None, perm: str, area: Area, what: str = "cadre") -> None:
    """403 without `perm`, 404 when `area` is outside the actor's subtrees; the system passes."""
    if actor is not None:
        scope_for(actor).require_area(perm, area, what)


def require(actor: User | None, perm: str) -> None:
    if actor is not None:
        scope_for(actor).require(perm)


def terms_of(cadre: Cadre) -> list[pay_rules.Term]:
    return [pay_rules.Term(t.post, t.started_on, t.ended_on) for t in cadre.terms.all()]


# --- registry -------------------------------------------------------------------------------


def cadre_register(
    *, actor: User | None, resident: Resident, area: Area, origin: str, origin_unit: str = ""
) -> Cadre:
    """A resident becomes a cadre of a village or community (once)."""
    require_area(actor, Perm.MANAGE_CADRES, area, "area")
    if area.level not in PLACES:
        raise CadreError(CadreErrorCode.INVALID_VALUE, "a village or a community", field="area")
    if origin not in Origin.values:
        raise CadreError(CadreErrorCode.INVALID_VALUE, "unknown origin", field="origin")
    with transaction.atomic():
        if Cadre.objects.filter(resident=resident).exists():
            raise CadreError(CadreErrorCode.DUPLICATE, "already a cadre", field="resident")
        cadre = Cadre.objects.create(
            resident=resident,
            area=area,
            origin=origin,
            origin_unit=origin_unit.strip()[:100],
            **path_of(area),
        )
        audit_record(
            actor=actor,
            action=A.CADRE_REGISTER,
            object_type="cadre",
            object_id=cadre.pk,
            changes={"area": area.pk, "origin": origin, "resident": resident.pk},
        )
    return cadre


def term_add(
    *,
    actor: User | None,
    cadre: Cadre,
    post: str,
    started_on: datetime.date,
    ended_on: datetime.date | None = None,
) -> Term:
    """A term in a post; a second running term in the same post is refused (end it first)."""
    require_area(actor, Perm.MANAGE_CADRES, cadre.area)
    if post not in Post.values:
        raise CadreError(CadreErrorCode.INVALID_VALUE, "unknown post", field="post")
    if ended_on is not None and ended_on < started_on:
        raise CadreError(CadreErrorCode.INVALID_VALUE, "ends before it starts", field="ended_on")
    with transaction.atomic():
        Cadre.objects.select_for_update().get(pk=cadre.pk)
        for other in cadre.terms.filter(post=post):
            if other.started_on <= (ended_on or datetime.date.max) and started_on <= (
                other.ended_on or datetime.date.max
            ):
                raise CadreError(
                    CadreErrorCode.INVALID_VALUE,
                    "overlaps a term in the same post",
                    field="started_on",
                )
        term = Term.objects.create(cadre=cadre, post=post, started_on=started_on, ended_on=ended_on)
        audit_record(
            actor=actor,
            action=A.CADRE_TERM,
            object_type="cadre",
            object_id=cadre.pk,
            changes={
                "post": post,
                "started_on": started_on.isoformat(),
                "ended_on": ended_on.isoformat() if ended_on else None,
            },
        )
    return term


def cadre_account_link(*, actor: User | None, cadre: Cadre, account: User | None) -> Cadre:
    """Link the cadre to their own sign-in account (None: unlink); MANAGE_CADRES over the
    cadre's village. An account is one cadre's at most (`duplicate`). Audited as
    `cadre.account` with the account before and after."""
    require_area(actor, Perm.MANAGE_CADRES, cadre.area)
    with transaction.atomic():
        locked = Cadre.objects.select_for_update().get(pk=cadre.pk)
        if account is not None and (
            Cadre.objects.filter(account=account).exclude(pk=cadre.pk).exists()
        ):
            raise CadreError(
                CadreErrorCode.DUPLICATE, "the account is another cadre's", field="account"
            )
        before = locked.account_id
        locked.account = account
        locked.save(update_fields=["account", "updated_at"])
        audit_record(
            actor=actor,
            action=A.CADRE_ACCOUNT,
            object_type="cadre",
            object_id=cadre.pk,
            changes={"account": [before, account.pk if account else None]},
        )
    return locked


def term_end(*, actor: User | None, term: Term, ended_on: datetime.date) -> Term:
    require_area(actor, Perm.MANAGE_CADRES, term.cadre.area)
    if ended_on < term.started_on:
        raise CadreError(CadreErrorCode.INVALID_VALUE, "ends before it starts", field="ended_on")
    with transaction.atomic():
        before = term.ended_on
        Term.objects.filter(pk=term.pk).update(ended_on=ended_on)
        term.ended_on = ended_on
        audit_record(
            actor=actor,
            action=A.CADRE_TERM,
            object_type="cadre",
            object_id=term.cadre_id,
            changes={
                "post": term.post,
                "ended_on": [before.isoformat() if before else None, ended_on.isoformat()],
            },
        )
    return term


def cadre_reveal_phone(*, actor: User, cadre: Cadre, purpose: str) -> str:
    """The cadre's full phone through the people app's audited reveal (REVEAL_PEOPLE over the
    cadre's village; a purpose of at least four characters), audited as `cadre.reveal`."""
    require_area(actor, Perm.VIEW_CADRES, cadre.area)
    require_area(actor, Perm.REVEAL_PEOPLE, cadre.area)
    return sealed_reveal(
        actor=actor,
        sealed=cadre.resident.phone_enc,
        field="phone",
        purpose=purpose,
        object_type="cadre",
        object_id=cadre.pk,
    )


# --- the year's scheme and pay rule -----------------------------------------------------------


def scheme_for(year: int) -> scoring.Scheme:
    """The year's scheme (the defaults when none is set)."""
    row = Scheme.objects.filter(year=year).first()
    return scoring.scheme_from_config(row.config) if row else scoring.DEFAULT_SCHEME


def pay_rule_for(year: int) -> pay_rules.PayRule:
    row = PayRule.objects.filter(year=year).first()
    return pay_rules.pay_rule_from_config(row.config) if row else pay_rules.DEFAULT_PAY_RULE


def scheme_set(*, actor: User | None, year: int, config: Mapping[str, Any]) -> Scheme:
    """Set the year's scheme (validated first: nothing is written when it is refused). A year
    with a confirmed annual appraisal keeps its scheme."""
    require(actor, Perm.CONFIGURE_CADRES)
    scoring.scheme_from_config(config)
    with transaction.atomic():
        if Appraisal.objects.filter(year=year, state="confirmed").exists():
            raise CadreConflict(
                CadreErrorCode.LOCKED, "the year has confirmed results", field="year"
            )
        row, _created = Scheme.objects.update_or_create(
            year=year, defaults={"config": dict(config)}
        )
        audit_record(actor=actor, action=A.SCHEME_SET, object_type="cadre_scheme", object_id=year)
    return row


def pay_rule_set(*, actor: User | None, year: int, config: Mapping[str, Any]) -> PayRule:
    """Set the year's pay rule (validated first). A year with a confirmed sheet keeps its rule."""
    require(actor, Perm.CONFIGURE_CADRES)
    pay_rules.pay_rule_from_config(config)
    with transaction.atomic():
        if PaySheet.objects.filter(year=year, state=SheetState.CONFIRMED).exists():
            raise CadreConflict(
                CadreErrorCode.LOCKED, "the year has confirmed sheets", field="year"
            )
        row, _created = PayRule.objects.update_or_create(
            year=year, defaults={"config": dict(config)}
        )
        audit_record(
            actor=actor, action=A.PAY_RULE_SET, object_type="cadre_pay_rule", object_id=year
        )
    return row


# --- pay sheets -----------------------------------------------------------------------------


def _month_end(year: int, month: int) -> datetime.date:
    first_next = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return first_next - datetime.timedelta(days=1)


def sheet_draw(*, actor: User | None, area: Area, year: int, month: int | None = None) -> PaySheet:
    """A village's sheet: for a month, one base line per cadre holding a post on the month's last
    day; for the year (month None), one performance line per cadre with a confirmed annual
    appraisal. Every line's explanation lists its parts; the sheet is drawn once."""
    require_area(actor, Perm.MANAGE_CADRE_PAY, area, "area")
    if area.level not in PLACES:
        raise CadreError(CadreErrorCode.INVALID_VALUE, "a village or a community", field="area")
    if month is not None and not 1 <= month <= 12:
        raise CadreError(CadreErrorCode.INVALID_VALUE, "1–12", field="month")
    rule = pay_rule_for(year)
    kind = SheetKind.MONTHLY if month else SheetKind.ANNUAL
    cadres = list(Cadre.objects.filter(area=area).prefetch_related("terms").order_by("id"))
    lines: list[tuple[Cadre, str, pay_rules.PayLine]] = []
    if month:
        day = _month_end(year, month)
        for cadre in cadres:
            terms = terms_of(cadre)
            post = pay_rules.main_post(terms, day)
            if post is None:
                continue
            line = pay_rules.monthly_base(
                rule,
                post=post,
                tenure_years=pay_rules.tenure_years(terms, day),
                both_posts=pay_rules.holds_both_posts(terms, day),
            )
            lines.append((cadre, LineKind.BASE, line))
    else:
        results = {
            a.cadre_id: a
            for a in Appraisal.objects.filter(
                cadre__in=cadres, year=year, period=Period.ANNUAL, state="confirmed"
            )
        }
        for cadre in cadres:
            a = results.get(cadre.pk)
            if a is None or a.stars is None:
                continue
            line = pay_rules.annual_performance(rule, stars=a.stars, grade=a.grade)
            lines.append((cadre, LineKind.PERFORMANCE, line))
    try:
        with transaction.atomic():
            sheet = PaySheet.objects.create(
                area=area, year=year, month=month, kind=kind, **path_of(area)
            )
            PayLine.objects.bulk_create(
                PayLine(
                    sheet=sheet,
                    cadre=cadre,
                    kind=lk,
                    amount=line.amount,
                    explanation=line.as_json(),
                    created_by=actor,
                )
                for cadre, lk, line in lines
            )
            audit_record(
                actor=actor,
                action=A.SHEET_DRAW,
                object_type="pay_sheet",
                object_id=sheet.pk,
                changes={"area": area.pk, "year": year, "month": month, "lines": len(lines)},
            )
    except IntegrityError:
        raise CadreError(
            CadreErrorCode.DUPLICATE, "the sheet is drawn already", field="month"
        ) from None
    return sheet


def sheet_adjust(
    *,
    actor: User | None,
    sheet: PaySheet,
    cadre: Cadre,
    amount: Any,
    reason: str,
    approver: str,
    correction: bool = False,
) -> PayLine:
    """A reward (amount > 0) or penalty (< 0) on a draft sheet, or a correction line on a
    confirmed one. A reward or penalty on a confirmed sheet is refused (LOCKED); a correction
    on a draft one too (change the draft instead). Each needs a reason and an approver."""
    require_area(actor, Perm.MANAGE_CADRE_PAY, sheet.area, "pay_sheet")
    adj = pay_rules.adjustment_of(amount, reason, approver)
    with transaction.atomic():
        locked = PaySheet.objects.select_for_update().get(pk=sheet.pk)
        confirmed = locked.state == SheetState.CONFIRMED
        if confirmed and not correction:
            raise CadreConflict(
                CadreErrorCode.LOCKED,
                "the sheet is confirmed: record a correction instead",
                field="sheet",
            )
        if correction and not confirmed:
            raise CadreConflict(
                CadreErrorCode.INVALID_TRANSITION,
                "corrections are for confirmed sheets",
                field="sheet",
            )
        if not locked.lines.filter(cadre=cadre).exists():
            raise NotFound("cadre")
        if correction:
            kind = LineKind.CORRECTION
        else:
            kind = LineKind.REWARD if adj.amount > 0 else LineKind.PENALTY
        line = PayLine.objects.create(
            sheet=locked,
            cadre=cadre,
            kind=kind,
            amount=adj.amount,
            explanation={
                "amount": str(adj.amount),
                "parts": [{"label": kind, "amount": str(adj.amount), "note": adj.reason}],
            },
            reason=adj.reason[:200],
            approver=adj.approver[:60],
            created_by=actor,
        )
        PaySheet.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
        audit_record(
            actor=actor,
            action=A.SHEET_LINE,
            object_type="pay_sheet",
            object_id=locked.pk,
            changes={"cadre": cadre.pk, "kind": kind, "amount": str(adj.amount)},
        )
    return line


def sheet_confirm(*, actor: User | None, sheet: PaySheet) -> PaySheet:
    """Lock a draft sheet; a confirmed one is a conflict."""
    require_area(actor, Perm.MANAGE_CADRE_PAY, sheet.area, "pay_sheet")
    with transaction.atomic():
        locked = PaySheet.objects.select_for_update().get(pk=sheet.pk)
        if locked.state != SheetState.DRAFT:
            raise CadreConflict(
                CadreErrorCode.INVALID_TRANSITION, "already confirmed", field="state"
            )
        locked.state = SheetState.CONFIRMED
        locked.confirmed_on = timezone.localdate()
        locked.save(update_fields=["state", "confirmed_on", "updated_at"])
        audit_record(
            actor=actor,
            action=A.SHEET_CONFIRM,
            object_type="pay_sheet",
            object_id=locked.pk,
            changes={"state": [SheetState.DRAFT, SheetState.CONFIRMED]},
        )
    return locked


def sheet_total(sheet: PaySheet) -> Decimal:
    return sum((line.amount for line in sheet.lines.all()), Decimal(0))
