"""Visit logs: record one visit (safe to retry offline), turn a found need into a case."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.areas.models import path_of
from grassroots.cases import services as case_services
from grassroots.cases.choices import Channel
from grassroots.core.errors import NotFound
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.people.choices import ResidentStatus
from grassroots.people.models import Resident
from grassroots.visits.auditlog import VisitAuditAction
from grassroots.visits.choices import PARTY_POLITICS
from grassroots.visits.errors import VisitConflict, VisitError, VisitIdempotencyMismatch
from grassroots.visits.errors import VisitErrorCode as E
from grassroots.visits.models import Visit
from grassroots.visits.services.base import audit, household_for, require_area
from grassroots.visits.services.photos import (
    photo_digests,
    photos_check,
    photos_discard,
    photos_store,
)
from grassroots.visits.services.proposals import (
    ProposalIn,
    fingerprint_phone,
    proposals_check,
    proposals_store,
)

TEXT_LENGTH = 2000
# Visits are logged within a year: an older date is a typing mistake.
OLDEST_DAYS = 366


@dataclass(frozen=True)
class VisitInput:
    """What a visitor hands in, from the phone form, the API or an offline outbox."""

    household: int
    visited_on: datetime.date
    met: tuple[int, ...] = ()
    all_well: bool = False
    needs: str = ""
    risks: str = ""
    opinions: str = ""
    member: int | None = None
    lat: float | None = None
    lon: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # changes noticed at the door, proposed to the registry (services/proposals.py)
    proposals: tuple[ProposalIn, ...] = ()

    def fingerprint(self, photos: Sequence[str] = ()) -> str:
        """A hash of the body (and the photos' SHA-256) for idempotent replays; a proposed phone
        enters only as a keyed index, so the stored hash says nothing of the number."""
        body = asdict(self)
        body["met"] = sorted(body["met"])
        body["proposals"] = [
            {**p, "phone": fingerprint_phone(p["phone"])} for p in body["proposals"]
        ]
        if photos:
            body["photos"] = list(photos)
        text = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


def _check(data: VisitInput) -> None:
    today = timezone.localdate()
    if data.visited_on > today:
        raise VisitError(E.INVALID_VALUE, _("走访日期不能晚于今天"), field="visited_on")
    if data.visited_on < today - datetime.timedelta(days=OLDEST_DAYS):
        raise VisitError(E.INVALID_VALUE, _("走访日期不能早于一年前"), field="visited_on")
    for name in ("needs", "risks", "opinions"):
        if len(getattr(data, name)) > TEXT_LENGTH:
            raise VisitError(
                E.INVALID_VALUE, _("内容过长（最多 %(n)s 字）") % {"n": TEXT_LENGTH}, field=name
            )
    found = any(getattr(data, n).strip() for n in ("needs", "risks", "opinions"))
    if not data.all_well and not found:
        raise VisitError(
            E.REQUIRED, _("请填写发现的需求、风险或意见，或选择“一切正常”"), field="needs"
        )
    if (data.lat is None) != (data.lon is None) or (
        data.lat is not None
        and data.lon is not None
        and not (-90 <= data.lat <= 90 and -180 <= data.lon <= 180)
    ):
        raise VisitError(E.INVALID_VALUE, _("坐标超出范围"), field="location")


def _replay(actor: User, key: str, fingerprint: str) -> Visit | None:
    found = Visit.objects.filter(visitor=actor, idempotency_key=key[:100]).first()
    if found is None:
        return None
    if found.body_hash != fingerprint:
        raise VisitIdempotencyMismatch(
            E.IDEMPOTENCY_MISMATCH,
            _("同一个 Idempotency-Key 不能用于不同的请求内容"),
            field="Idempotency-Key",
        )
    return found


def visit_log(
    *,
    actor: User,
    data: VisitInput,
    idempotency_key: str = "",
    photos: Sequence[Any] = (),
) -> tuple[Visit, bool]:
    """Record a visit with its photos and registry proposals; returns (visit, created).

    Guarantees: the household lies in the actor's scope (EDIT_PEOPLE over its grid; else
    NotFound, as missing); the date is not in the future nor over a year back (field
    `visited_on`); everyone met is an active member of the household (field `met`); the member
    who came along is an active party member in scope (field `member`); a visit that is not
    "all well" says what was found (field `needs`); photos are images re-encoded without EXIF
    (field `photos`, `photos_check`); proposals name active members of the household with a
    valid new phone or a move-out (fields `proposals.N.*`, `proposals_check`). A replay of
    `idempotency_key` with the same body (and photos) returns the first visit; with another
    body a 422. Nothing is written on any error (stored photo files are removed again).
    """
    clean_photos = photos_check(photos)
    fingerprint = data.fingerprint(photo_digests(clean_photos))
    key = (idempotency_key or "").strip()[:100]
    if key:
        replay = _replay(actor, key, fingerprint)
        if replay is not None:
            return replay, False
    household = household_for(actor, data.household)
    _check(data)
    met_ids = set(data.met)
    members = set(
        Resident.objects.filter(
            household=household, status=ResidentStatus.ACTIVE, pk__in=met_ids
        ).values_list("pk", flat=True)
    )
    if met_ids - members:
        raise VisitError(E.INVALID_VALUE, _("见到的人须是这一户的在册成员"), field="met")
    member = None
    if data.member is not None:
        member = Resident.objects.select_related("area").filter(pk=data.member).first()
        if member is None:
            raise NotFound("member")
        require_area(actor, Perm.VIEW_PEOPLE, member.area, "member")
        if member.status != ResidentStatus.ACTIVE or member.politics not in PARTY_POLITICS:
            raise VisitError(
                E.INVALID_VALUE, _("同行党员须是在册的中共党员或预备党员"), field="member"
            )
    checked = proposals_check(household, data.proposals)
    stored: list[Any] = []
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                household=household,
                area_id=household.area_id,
                **path_of(household.area),
                visitor=actor,
                member=member,
                visited_on=data.visited_on,
                all_well=data.all_well,
                needs=data.needs.strip(),
                risks=data.risks.strip(),
                opinions=data.opinions.strip(),
                lat=data.lat,
                lon=data.lon,
                idempotency_key=key,
                body_hash=fingerprint if key else "",
            )
            if met_ids:
                visit.met.set(sorted(met_ids))
            proposals_store(actor=actor, visit=visit, checked=checked)
            audit(
                actor,
                VisitAuditAction.VISIT_LOG,
                "visit",
                visit.pk,
                {"household": household.pk, "visited_on": str(data.visited_on),
                 "all_well": data.all_well, "photos": len(clean_photos),
                 "proposals": len(checked)},
            )  # fmt: skip
            photos_store(actor=actor, visit=visit, files=clean_photos, stored=stored)
    except IntegrityError:
        photos_discard(stored)
        # a concurrent retry with the same key won the race: answer as its replay
        replay = _replay(actor, key, fingerprint) if key else None
        if replay is None:
            raise
        return replay, False
    except BaseException:
        photos_discard(stored)
        raise
    return visit, True


def visit_to_case(
    *, actor: User, visit: Visit, matter: str, description: str = ""
) -> tuple[Visit, Any]:
    """Turn the need found on `visit` into a case in one action: channel 入户走访, the household
    (and so the grid) prefilled, the description from the need (or `description`); the visit
    links the case and the case links back (`case.visits`). Refused when the visit already
    became a case (409) or has no need written and none given (field `description`). Both are
    written or neither."""
    require_area(actor, Perm.VIEW_PEOPLE, visit.area, "visit")
    text = (description or "").strip() or visit.needs or visit.risks
    if not text:
        raise VisitError(E.REQUIRED, _("请填写需要办理的事项"), field="description")
    with transaction.atomic():
        locked = Visit.objects.select_for_update().get(pk=visit.pk)
        if locked.case_id is not None:
            raise VisitConflict(E.ALREADY_A_CASE, _("这次走访发现的需求已转为诉求"), field="case")
        case, _created = case_services.case_intake(
            actor=actor,
            intake=case_services.Intake(
                matter=matter,
                channel=Channel.VISIT,
                description=text,
                household=locked.household_id,
                extra={"visit": locked.pk},
            ),
        )
        locked.case = case
        locked.save(update_fields=["case"])
        audit(
            actor,
            VisitAuditAction.VISIT_TO_CASE,
            "visit",
            locked.pk,
            {"household": locked.household_id, "case": case.pk},
        )
    return locked, case
