"""Writes of the assets app: assets, problems, and actions (the one way a problem's status
and recoveries change).

Each service checks MANAGE_ASSETS over the village (out of scope is 404, as missing), runs in
one transaction and writes its audit row with before/after values. `actor=None` is the
system (the demo loader): audited, not scoped. Bad input raises `AssetError` naming the field;
nothing is half-written (an evidence file stored for a refused action is removed again).
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.areas.choices import Level
from grassroots.areas.models import Area, path_of
from grassroots.areas.scope import scope_for
from grassroots.assets.auditlog import AssetAuditAction as A
from grassroots.assets.choices import AssetKind, LandType, ProblemKind, Status
from grassroots.assets.errors import AssetConflict, AssetError
from grassroots.assets.errors import AssetErrorCode as E
from grassroots.assets.models import CollectiveAsset, Problem, ProblemAction
from grassroots.cases.attachments import CleanFile
from grassroots.core.audit import audit_record
from grassroots.core.models import User
from grassroots.core.roles import Perm

PLACES = (Level.VILLAGE, Level.COMMUNITY)
# the status changes an action may make (staying in the same status is always allowed)
TRANSITIONS = {
    (Status.OPEN, Status.IN_PROGRESS),
    (Status.OPEN, Status.RESOLVED),
    (Status.IN_PROGRESS, Status.RESOLVED),
    # a resolved problem found not to be over (the land taken again)
    (Status.RESOLVED, Status.IN_PROGRESS),
}
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


def _require(actor: User | None, area: Area, what: str) -> None:
    if actor is not None:
        scope_for(actor).require_area(Perm.MANAGE_ASSETS, area, what)


def _place(area: Area) -> None:
    if area.level not in PLACES:
        raise AssetError(E.INVALID_VALUE, _("须为村或社区"), field="area")


def _required(value: str, field: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise AssetError(E.INVALID_VALUE, _("必填"), field=field)
    return value[:limit]


def asset_record(
    *,
    actor: User | None,
    area: Area,
    kind: str,
    name: str,
    land_type: str = "",
    area_mu: int | None = None,
    value_yuan: int | None = None,
    party: str = "",
    term_from: datetime.date | None = None,
    term_to: datetime.date | None = None,
    fee_yuan: int | None = None,
) -> CollectiveAsset:
    """An asset or resource of a village collective (land needs its type and area)."""
    _require(actor, area, "area")
    _place(area)
    if kind not in AssetKind.values:
        raise AssetError(E.INVALID_VALUE, _("未知类别"), field="kind")
    if kind == AssetKind.LAND:
        if land_type not in LandType.values:
            raise AssetError(E.INVALID_VALUE, _("请填写土地类型"), field="land_type")
        if not area_mu:
            raise AssetError(E.INVALID_VALUE, _("请填写土地面积（亩）"), field="area_mu")
    elif land_type:
        raise AssetError(E.INVALID_VALUE, _("只有土地才有土地类型"), field="land_type")
    if term_from and term_to and term_to < term_from:
        raise AssetError(E.INVALID_VALUE, _("结束日期早于开始日期"), field="term_to")
    with transaction.atomic():
        asset = CollectiveAsset.objects.create(
            area=area,
            kind=kind,
            name=_required(name, "name", 120),
            land_type=land_type,
            area_mu=area_mu,
            value_yuan=value_yuan,
            party=(party or "").strip()[:100],
            term_from=term_from,
            term_to=term_to,
            fee_yuan=fee_yuan,
            **path_of(area),
        )
        audit_record(
            actor=actor,
            action=A.ASSET_RECORD,
            object_type="collective_asset",
            object_id=asset.pk,
            changes={
                "after": {
                    "kind": kind,
                    "name": asset.name,
                    "land_type": land_type,
                    "area_mu": area_mu,
                    "value_yuan": value_yuan,
                }
            },
        )
    return asset


def problem_record(
    *,
    actor: User | None,
    area: Area,
    kind: str,
    title: str,
    found_on: datetime.date,
    description: str = "",
    asset: CollectiveAsset | None = None,
    area_mu: int = 0,
    amount_yuan: int = 0,
) -> Problem:
    """A problem found with a village's assets; open until an action with evidence moves it."""
    _require(actor, area, "area")
    _place(area)
    if kind not in ProblemKind.values:
        raise AssetError(E.INVALID_VALUE, _("未知类别"), field="kind")
    if asset is not None and asset.area_id != area.pk:
        raise AssetError(E.INVALID_VALUE, _("须为同一村的资产"), field="asset")
    if area_mu < 0 or amount_yuan < 0:
        raise AssetError(
            E.INVALID_VALUE, _("不能为负数"), field="area_mu" if area_mu < 0 else "amount_yuan"
        )
    with transaction.atomic():
        problem = Problem.objects.create(
            area=area,
            asset=asset,
            kind=kind,
            title=_required(title, "title", 200),
            description=(description or "").strip()[:4000],
            found_on=found_on,
            area_mu=area_mu,
            amount_yuan=amount_yuan,
            **path_of(area),
        )
        audit_record(
            actor=actor,
            action=A.PROBLEM_RECORD,
            object_type="asset_problem",
            object_id=problem.pk,
            changes={
                "after": {
                    "kind": kind,
                    "title": problem.title,
                    "area_mu": area_mu,
                    "amount_yuan": amount_yuan,
                    "status": Status.OPEN,
                }
            },
        )
    return problem


def problem_act(
    *,
    actor: User | None,
    problem_id: int,
    taken_on: datetime.date,
    description: str,
    status: str | None = None,
    recovered_mu: int = 0,
    recovered_yuan: int = 0,
    evidence: CleanFile | None = None,
) -> ProblemAction:
    """Record one action on a problem. A status change or a recovery needs its evidence file
    (`evidence_required`); what is recovered in all never exceeds the problem's area or amount
    (`recovered_exceeds`); the status moves only as `TRANSITIONS` allows (409)."""
    description = _required(description, "description", 4000)
    if recovered_mu < 0 or recovered_yuan < 0:
        field = "recovered_mu" if recovered_mu < 0 else "recovered_yuan"
        raise AssetError(E.INVALID_VALUE, _("不能为负数"), field=field)
    if status is not None and status not in Status.values:
        raise AssetError(E.INVALID_VALUE, _("未知状态"), field="status")
    stored: Any = None
    try:
        with transaction.atomic():
            problem = Problem.objects.select_for_update().get(pk=problem_id)
            _require(actor, problem.area, "asset_problem")
            before = problem.status
            after = status or before
            if after != before and (before, after) not in TRANSITIONS:
                raise AssetConflict(E.INVALID_TRANSITION, f"{before} → {after}", field="status")
            if evidence is None and (after != before or recovered_mu or recovered_yuan):
                raise AssetError(
                    E.EVIDENCE_REQUIRED,
                    _("变更状态或登记收回须附佐证材料"),
                    field="evidence",
                )
            if problem.recovered_mu + recovered_mu > problem.area_mu:
                raise AssetError(
                    E.RECOVERED_EXCEEDS,
                    _("收回面积合计不能超过问题涉及的 %(a)s 亩（已收回 %(r)s 亩）")
                    % {"a": problem.area_mu, "r": problem.recovered_mu},
                    field="recovered_mu",
                )
            if problem.recovered_yuan + recovered_yuan > problem.amount_yuan:
                raise AssetError(
                    E.RECOVERED_EXCEEDS,
                    _("收回金额合计不能超过问题涉及的 %(a)s 元（已收回 %(r)s 元）")
                    % {"a": problem.amount_yuan, "r": problem.recovered_yuan},
                    field="recovered_yuan",
                )
            action = ProblemAction(
                problem=problem,
                area=problem.area,
                taken_on=taken_on,
                description=description,
                from_status=before,
                to_status=after,
                recovered_mu=recovered_mu,
                recovered_yuan=recovered_yuan,
                actor=actor,
                **path_of(problem.area),
            )
            if evidence is not None:
                action.evidence_name = evidence.name[:120]
                action.evidence_type = evidence.content_type
                action.evidence_sha256 = hashlib.sha256(evidence.data).hexdigest()
                ext = EXTENSIONS.get(evidence.content_type, "")
                action.evidence.save(uuid.uuid4().hex + ext, ContentFile(evidence.data), save=False)
                stored = action.evidence
            action.save(force_insert=True)
            old = {
                "status": before,
                "recovered_mu": problem.recovered_mu,
                "recovered_yuan": problem.recovered_yuan,
            }
            problem.status = after
            problem.recovered_mu += recovered_mu
            problem.recovered_yuan += recovered_yuan
            if after == Status.RESOLVED and before != Status.RESOLVED:
                problem.resolved_on = taken_on
            elif after != Status.RESOLVED:
                problem.resolved_on = None
            problem.save()
            audit_record(
                actor=actor,
                action=A.PROBLEM_ACT,
                object_type="asset_problem",
                object_id=problem.pk,
                changes={
                    "before": old,
                    "after": {
                        "status": after,
                        "recovered_mu": problem.recovered_mu,
                        "recovered_yuan": problem.recovered_yuan,
                    },
                    "action": action.pk,
                    "evidence_sha256": action.evidence_sha256,
                },
            )
    except Exception:
        if stored:
            stored.delete(save=False)
        raise
    return action
