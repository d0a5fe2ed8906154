"""The visit plan's rules, editable by a community (or a township, or the county)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from grassroots.areas.choices import Level
from grassroots.areas.models import Area
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.people.models import Tag
from grassroots.visits.auditlog import VisitAuditAction
from grassroots.visits.errors import VisitError
from grassroots.visits.errors import VisitErrorCode as E
from grassroots.visits.models import PlanRule
from grassroots.visits.services.base import audit, require_area

# Plans are set for a community (village) or above, never for a single grid.
PLAN_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.COMMUNITY, Level.VILLAGE)
MAX_INTERVAL = 3660


def _checked(*, actor: User | None, area: Area, tag: str, interval_days: int) -> str:
    """The rule's tag code once every value passed (see `plan_rule_set`), else the error."""
    require_area(actor, Perm.EDIT_PEOPLE, area, "area")
    if area.level not in PLAN_LEVELS:
        raise VisitError(E.INVALID_VALUE, _("走访计划只能按社区（村）及以上设置"), field="area")
    code = (tag or "").strip()
    if code and not Tag.objects.filter(code=code).exists():
        raise VisitError(E.INVALID_VALUE, _("未知标签：%(t)s") % {"t": code[:20]}, field="tag")
    if not isinstance(interval_days, int) or not 1 <= interval_days <= MAX_INTERVAL:
        raise VisitError(
            E.INVALID_VALUE,
            _("走访间隔须在 1 到 %(m)s 天之间") % {"m": MAX_INTERVAL},
            field="interval_days",
        )
    return code


def _audited(actor: User | None, rule: PlanRule) -> PlanRule:
    audit(
        actor,
        VisitAuditAction.PLAN_RULE_SET,
        "plan_rule",
        rule.pk,
        {"area": rule.area_id, "tag": rule.tag, "interval_days": rule.interval_days},
    )
    return rule


def plan_rule_set(*, actor: User | None, area: Area, tag: str, interval_days: int) -> PlanRule:
    """Set (create or change) `area`'s rule for `tag` ("" = every household).

    Guarantees: the actor may edit people over `area` (NotFound outside scope), `area` is a
    community, village, township or county (field `area`), `tag` is a defined tag (field `tag`),
    the interval is 1 … 3660 days (field `interval_days`).
    """
    code = _checked(actor=actor, area=area, tag=tag, interval_days=interval_days)
    with transaction.atomic():
        rule, _created = PlanRule.objects.select_for_update().update_or_create(
            area=area, tag=code, defaults={"interval_days": interval_days}
        )
        return _audited(actor, rule)


def plan_rule_add(*, actor: User | None, area: Area, tag: str, interval_days: int) -> PlanRule:
    """Add a new rule for `tag` to `area`: as `plan_rule_set`, but refused (400 `duplicate`,
    field `tag`) when `area` already has a rule for that tag — change that one instead. Two
    concurrent adds of the same tag give one rule and one refusal (the unique constraint)."""
    code = _checked(actor=actor, area=area, tag=tag, interval_days=interval_days)
    duplicate = VisitError(E.DUPLICATE, _("本区域已有这个标签的规则，请直接修改"), field="tag")
    if PlanRule.objects.filter(area=area, tag=code).exists():
        raise duplicate
    try:
        with transaction.atomic():
            rule = PlanRule.objects.create(area=area, tag=code, interval_days=interval_days)
            return _audited(actor, rule)
    except IntegrityError:
        raise duplicate from None


def plan_rule_remove(*, actor: User | None, rule: PlanRule) -> None:
    """Remove an area's rule (the rules above it apply again). County-wide defaults (no area)
    are changed, not removed: refused with field `rule`."""
    if rule.area is None:
        raise VisitError(E.INVALID_VALUE, _("全县默认规则只能修改，不能删除"), field="rule")
    require_area(actor, Perm.EDIT_PEOPLE, rule.area, "plan_rule")
    with transaction.atomic():
        audit(
            actor,
            VisitAuditAction.PLAN_RULE_REMOVE,
            "plan_rule",
            rule.pk,
            {"area": rule.area_id, "tag": rule.tag},
        )
        rule.delete()
