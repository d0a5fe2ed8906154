"""Writes to the configuration of cases: matters, knowledge-base articles, the calendar.

Admin-editable with history: each write records an audit row with before/after values.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from grassroots.areas.models import Unit
from grassroots.areas.scope import scope_for
from grassroots.cases import sla
from grassroots.cases.auditlog import CaseAuditAction
from grassroots.cases.choices import Level, LimitUnit
from grassroots.cases.errors import CaseError
from grassroots.cases.errors import CaseErrorCode as E
from grassroots.cases.models import Article, CalendarDay, Matter, OfficialYear
from grassroots.core.audit import audit_record
from grassroots.core.models import User
from grassroots.core.roles import Perm


def initials(*texts: str) -> str:
    """Pinyin initials of each text, space-separated: ("路灯不亮", "路灯") → "ldbl ld"."""
    return " ".join(
        "".join(lazy_pinyin(t, style=Style.FIRST_LETTER, errors="ignore")).lower()
        for t in texts
        if t
    )


def _admin(actor: User | None) -> None:
    if actor is not None:
        scope_for(actor).require(Perm.MANAGE_AREAS)


def _limit(field: str, amount: Any, unit: Any) -> tuple[float, str]:
    try:
        value = float(amount)
    except (TypeError, ValueError):
        value = 0
    if value <= 0:
        raise CaseError(E.INVALID_VALUE, _("时限必须大于零"), field=field)
    if unit not in LimitUnit.values:
        raise CaseError(E.INVALID_VALUE, _("时限单位无效：%(u)s") % {"u": unit}, field=field)
    return value, str(unit)


def matter_define(
    *,
    actor: User | None,
    code: str,
    name: str,
    category: str,
    unit: Unit,
    level: str,
    response: tuple[float, str],
    resolution: tuple[float, str],
    keywords: Sequence[str] = (),
    materials: Sequence[str] = (),
    description: str = "",
    public: bool = True,
    needs_site_check: bool = False,
    escalate_when_overdue: bool = True,
    active: bool = True,
    attributes: Sequence[dict[str, Any]] = (),
) -> Matter:
    """Create or change a matter; limits must be positive in a known unit, the level known."""
    _admin(actor)
    if level not in Level.values:
        raise CaseError(E.INVALID_VALUE, _("承办层级无效：%(l)s") % {"l": level}, field="level")
    if not code.strip() or not name.strip():
        raise CaseError(E.INVALID_VALUE, _("事项编码和名称不能为空"), field="code")
    r_amount, r_unit = _limit("response", *response)
    s_amount, s_unit = _limit("resolution", *resolution)
    values = {
        "name": name.strip(),
        "category": category.strip(),
        "unit": unit,
        "level": level,
        "response_amount": r_amount,
        "response_unit": r_unit,
        "resolution_amount": s_amount,
        "resolution_unit": s_unit,
        "keywords": " ".join(keywords),
        "pinyin": initials(name, *keywords),
        "materials": list(materials),
        "description": description,
        "public": public,
        "needs_site_check": needs_site_check,
        "escalate_when_overdue": escalate_when_overdue,
        "active": active,
        "attributes": [dict(a) for a in attributes],
    }
    with transaction.atomic():
        existing = Matter.objects.filter(code=code.strip()).first()
        before = {k: str(getattr(existing, k)) for k in values if k != "unit"} if existing else None
        matter, _created = Matter.objects.update_or_create(code=code.strip(), defaults=values)
        after = {k: str(getattr(matter, k)) for k in values if k != "unit"}
        audit_record(
            actor=actor,
            action=CaseAuditAction.MATTER_DEFINE,
            object_type="matter",
            object_id=matter.code,
            changes={"before": before, "after": after, "unit": unit.pk},
        )
    return matter


def article_define(
    *,
    actor: User | None,
    matter: Matter,
    title: str,
    body: str,
    review_on: datetime.date,
    materials: Sequence[str] = (),
    office: str = "",
    hours: str = "",
    fees: str = "",
) -> Article:
    """Create or change (by matter and title) an article, owned by the matter's unit."""
    _admin(actor)
    if not title.strip() or not body.strip():
        raise CaseError(E.INVALID_VALUE, _("标题和正文不能为空"), field="title")
    with transaction.atomic():
        article, _created = Article.objects.update_or_create(
            matter=matter,
            title=title.strip(),
            defaults={
                "body": body.strip(),
                "materials": list(materials),
                "office": office,
                "hours": hours,
                "fees": fees,
                "owner": matter.unit,
                "review_on": review_on,
                "pinyin": initials(title),
            },
        )
        audit_record(
            actor=actor,
            action=CaseAuditAction.ARTICLE_DEFINE,
            object_type="article",
            object_id=article.pk,
            changes={"after": {"title": article.title, "matter": matter.code}},
        )
    return article


def calendar_set_day(
    *, actor: User | None, date: datetime.date, is_workday: bool, note: str = ""
) -> CalendarDay:
    """Correct one date of the working calendar; every time limit computed later follows it."""
    _admin(actor)
    with transaction.atomic():
        day, _created = CalendarDay.objects.update_or_create(
            date=date, defaults={"is_workday": is_workday, "note": note}
        )
        audit_record(
            actor=actor,
            action=CaseAuditAction.CALENDAR_SET,
            object_type="calendar_day",
            object_id=date.isoformat(),
            changes={"after": {"is_workday": is_workday, "note": note}},
        )
        transaction.on_commit(sla.calendar_changed)
    sla.calendar_changed()
    return day


def calendar_mark_year(*, actor: User | None, year: int) -> None:
    """Record that `year`'s official schedule has been entered (ends the admin warning)."""
    _admin(actor)
    with transaction.atomic():
        OfficialYear.objects.get_or_create(year=year)
        audit_record(
            actor=actor, action=CaseAuditAction.CALENDAR_YEAR, object_type="year", object_id=year
        )
        transaction.on_commit(sla.calendar_changed)
    sla.calendar_changed()
