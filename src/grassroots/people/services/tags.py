"""Writes of tags: define a tag, set the tags a resident carries."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.areas.models import Area
from grassroots.areas.scope import scope_for
from grassroots.core.audit import audit_record
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.people.auditlog import PeopleAuditAction
from grassroots.people.errors import PeopleError, PeopleErrorCode
from grassroots.people.models import Resident, ResidentTag, Tag
from grassroots.people.privacy import tag_token
from grassroots.people.rules import may_tag_vulnerable, resident_refusals
from grassroots.people.services.base import refuse, require


def tags_check(
    *, actor: User | None, area: Area, codes: Iterable[str]
) -> tuple[bool, list[Tag], list[str]]:
    """Refuse `codes` as `resident_set_tags` would for a resident of `area` (the PeopleError of
    the first refusal); else whether the actor may set vulnerable tags there, every tag, and the
    wanted codes, sorted."""
    may_see_vulnerable = may_tag_vulnerable(scope_for(actor) if actor is not None else None, area)
    tags = list(Tag.objects.all())
    wanted = sorted({c.strip() for c in codes if c and c.strip()})
    refuse(
        resident_refusals(
            tags=wanted,
            tag_names={t.code: t.name for t in tags},
            vulnerable=[t.code for t in tags if t.vulnerable],
            may_tag_vulnerable=may_see_vulnerable,
        )
    )
    return may_see_vulnerable, tags, wanted


def resident_set_tags(*, actor: User | None, resident: Resident, codes: Iterable[str]) -> list[str]:
    """Make the resident carry exactly `codes` among the tags the actor may see.

    Vulnerable tags need VIEW_VULNERABLE over the resident's grid to set (`people.rules`, as the
    ledger import); tags the actor cannot see are left as they are. Returns the codes now carried
    that the actor may see.
    """
    require(actor, Perm.EDIT_PEOPLE, resident.area, "resident")
    may_see_vulnerable, tags, wanted = tags_check(actor=actor, area=resident.area, codes=codes)
    visible = [t for t in tags if may_see_vulnerable or not t.vulnerable]
    token_of = {t.code: tag_token(t.code) for t in visible}
    sensitive = {t.code for t in visible if t.vulnerable}
    with transaction.atomic():
        current = set(ResidentTag.objects.filter(resident=resident).values_list("token", flat=True))
        keep = {token_of[c] for c in wanted}
        drop = (set(token_of.values()) & current) - keep
        ResidentTag.objects.filter(resident=resident, token__in=drop).delete()
        ResidentTag.objects.bulk_create(
            [ResidentTag(resident=resident, token=t) for t in keep - current], ignore_conflicts=True
        )
        if drop or keep - current:
            names = {v: k for k, v in token_of.items()}
            audit_record(
                actor=actor,
                action=PeopleAuditAction.RESIDENT_TAGS,
                object_type="resident",
                object_id=resident.pk,
                # vulnerable tags are themselves sensitive: the row says how many changed, not which
                changes={
                    "added": sorted(names[t] for t in keep - current if names[t] not in sensitive),
                    "removed": sorted(names[t] for t in drop if names[t] not in sensitive),
                    "sensitive_changed": sum(
                        1 for t in (keep - current) | drop if names[t] in sensitive
                    ),
                },
            )
    return wanted


def tag_define(
    *,
    actor: User | None,
    code: str,
    name: str,
    vulnerable: bool,
    description: str = "",
    builtin: bool = False,
) -> Tag:
    """Create or rename a tag (system admins; `builtin` only from the system)."""
    if actor is not None:
        scope_for(actor).require(Perm.MANAGE_AREAS)
    code = code.strip()
    if not code or not name.strip():
        raise PeopleError(PeopleErrorCode.REQUIRED, _("标签代码和名称不能为空"), field="code")
    with transaction.atomic():
        tag, _created = Tag.objects.update_or_create(
            code=code,
            defaults={
                "name": name.strip(),
                "vulnerable": vulnerable,
                "description": description,
                "builtin": builtin,
            },
        )
        audit_record(
            actor=actor,
            action=PeopleAuditAction.TAG_DEFINE,
            object_type="tag",
            object_id=tag.pk,
            changes={"after": {"code": code, "name": tag.name, "vulnerable": vulnerable}},
        )
    return tag
