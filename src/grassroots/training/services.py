"""Writes of the training app: sessions, enrolment from the cadre registry, attendance.

Each service checks MANAGE_TRAINING over the session's area (out of scope is 404, as missing),
runs in one transaction and writes its audit row. `actor=None` is the system (the demo loader,
a command): audited, not scoped. Bad input raises `TrainingError` naming the field (and the
row of a roll call); nothing is half-written.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.areas.choices import ANCESTOR_COLUMNS as _COLS
from grassroots.areas.choices import Level
from grassroots.areas.models import Area, path_of
from grassroots.areas.scope import scope_for
from grassroots.cadres import pay as pay_rules
from grassroots.cadres.models import Cadre
from grassroots.core.audit import audit_record
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.people.models import Resident
from grassroots.training.auditlog import TrainingAuditAction as A
from grassroots.training.choices import Attendance, Delivery, Mode, Target
from grassroots.training.errors import TrainingError
from grassroots.training.errors import TrainingErrorCode as E
from grassroots.training.models import Enrolment, Session, SignInCode, SignInUse

# the posts each target group takes from the registry
TARGET_POSTS: dict[str, frozenset[str]] = {
    Target.SECRETARIES: frozenset({"secretary"}),
    Target.TWO_COMMITTEES: frozenset({"secretary", "director", "member"}),
    Target.ALL_CADRES: frozenset({"secretary", "director", "member", "reserve"}),
    Target.PARTY_MEMBERS: frozenset({"secretary", "director", "member", "reserve"}),
}
ORGANISING_LEVELS = (Level.COUNTY, Level.TOWNSHIP)


def _require_area(actor: User | None, area: Area) -> None:
    if actor is not None:
        scope_for(actor).require_area(Perm.MANAGE_TRAINING, area, "training_session")


def _text(value: str, field: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise TrainingError(E.INVALID_VALUE, _("必填"), field=field)
    return value[:limit]


def session_create(
    *,
    actor: User | None,
    area: Area,
    title: str,
    theme: str,
    mode: str,
    delivery: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    hours: int,
    organiser: str,
    target: str,
    venue: str,
    series: str = "",
) -> Session:
    """A session for the cadres of `area` (the county or a township)."""
    _require_area(actor, area)
    if area.level not in ORGANISING_LEVELS:
        raise TrainingError(E.INVALID_VALUE, _("须为县或乡镇"), field="area")
    for field, value, choices in (
        ("mode", mode, Mode),
        ("delivery", delivery, Delivery),
        ("target", target, Target),
    ):
        if value not in choices.values:
            raise TrainingError(E.INVALID_VALUE, _("未知的%(f)s") % {"f": field}, field=field)
    if ends_on < starts_on:
        raise TrainingError(E.ENDS_BEFORE_START, _("结束日期早于开始日期"), field="ends_on")
    if not 1 <= int(hours) <= 500:
        raise TrainingError(E.INVALID_VALUE, _("学时须在 1–500 之间"), field="hours")
    with transaction.atomic():
        session = Session.objects.create(
            area=area,
            title=_text(title, "title", 120),
            theme=_text(theme, "theme", 120),
            series=(series or "").strip()[:120],
            mode=mode,
            delivery=delivery,
            starts_on=starts_on,
            ends_on=ends_on,
            hours=int(hours),
            organiser=_text(organiser, "organiser", 100),
            target=target,
            venue=_text(venue, "venue", 120),
            **path_of(area),
        )
        audit_record(
            actor=actor,
            action=A.SESSION_CREATE,
            object_type="training_session",
            object_id=session.pk,
            changes={"title": session.title, "target": target, "hours": session.hours},
        )
    return session


def target_group(session: Session) -> list[Enrolment]:
    """The session's target group, unsaved: the registry's cadres in its area holding one of
    the target's posts on its first day (read from `cadres`: nothing retyped), and for a
    party-member session every active party member of the people registry living there."""
    posts = TARGET_POSTS[session.target]
    cadres = Cadre.objects.filter(session.area.subtree_q()).prefetch_related("terms")
    out: dict[int, Enrolment] = {}
    for cadre in cadres.order_by("id"):
        terms = [pay_rules.Term(t.post, t.started_on, t.ended_on) for t in cadre.terms.all()]
        if pay_rules.posts_on(terms, session.starts_on) & posts:
            out[cadre.resident_id] = Enrolment(
                session=session,
                resident_id=cadre.resident_id,
                cadre=cadre,
                area_id=cadre.area_id,
                **{col: getattr(cadre, col) for col in _COLS},
            )
    if session.target == Target.PARTY_MEMBERS:
        members = Resident.objects.filter(
            session.area.subtree_q("area__"), politics="party", status="active"
        ).select_related("area")
        for r in members.order_by("id"):
            if r.pk not in out:
                out[r.pk] = Enrolment(
                    session=session, resident_id=r.pk, area_id=r.area_id, **path_of(r.area)
                )
    return list(out.values())


def enrol_target_group(*, actor: User | None, session: Session) -> int:
    """Enrol the whole target group in one action (those already enrolled stay as they are);
    returns how many were added."""
    _require_area(actor, session.area)
    with transaction.atomic():
        Session.objects.select_for_update().get(pk=session.pk)
        have = set(session.enrolments.values_list("resident_id", flat=True))
        new = [e for e in target_group(session) if e.resident_id not in have]
        Enrolment.objects.bulk_create(new, batch_size=1000)
        audit_record(
            actor=actor,
            action=A.ENROL,
            object_type="training_session",
            object_id=session.pk,
            changes={"added": len(new)},
        )
    return len(new)


def enrol_remove(*, actor: User | None, session: Session, cadre_id: int) -> None:
    """Take one cadre off a session's roll (their attendance there goes with it; audited with
    what it was)."""
    _require_area(actor, session.area)
    with transaction.atomic():
        row = session.enrolments.select_for_update().filter(cadre_id=cadre_id).first()
        if row is None:
            raise TrainingError(E.NOT_ENROLLED, _("未报名本期培训"), field="cadre")
        audit_record(
            actor=actor,
            action=A.UNENROL,
            object_type="training_session",
            object_id=session.pk,
            changes={"cadre": cadre_id, "status": row.status, "hours": row.hours},
        )
        row.delete()


def attendance_record(
    *, actor: User | None, session: Session, rows: Sequence[Mapping[str, Any]]
) -> int:
    """A roll call: each row `{"cadre" | "resident", "status", "hours"?}` (a cadre by their
    cadre id, anyone by their resident id). Present credits the session's hours unless fewer
    are given; leave and absence credit none. All rows or none: a person not enrolled, an
    unknown status or hours above the session's are refused naming the row."""
    _require_area(actor, session.area)
    with transaction.atomic():
        enrolled = list(session.enrolments.select_for_update())
        rolls = {
            "cadre": {e.cadre_id: e for e in enrolled if e.cadre_id},
            "resident": {e.resident_id: e for e in enrolled},
        }
        changed = []
        now = timezone.now()
        for i, row in enumerate(rows):
            key = "cadre" if row.get("cadre") is not None else "resident"
            try:
                person = int(row.get(key))  # type: ignore[arg-type]
            except (TypeError, ValueError):
                raise TrainingError(E.INVALID_VALUE, _("须为编号"), field=key, row=i) from None
            entry = rolls[key].get(person)
            if entry is None:
                raise TrainingError(E.NOT_ENROLLED, _("未报名本期培训"), field=key, row=i)
            status = row.get("status")
            if status not in (Attendance.PRESENT, Attendance.LEAVE, Attendance.ABSENT):
                raise TrainingError(
                    E.INVALID_VALUE, _("须为出勤、请假或缺勤"), field="status", row=i
                )
            hours = row.get("hours")
            hours = session.hours if hours is None else hours
            if not isinstance(hours, int) or isinstance(hours, bool) or hours < 0:
                raise TrainingError(E.INVALID_VALUE, _("学时须为非负整数"), field="hours", row=i)
            if hours > session.hours:
                raise TrainingError(
                    E.HOURS_EXCEED_SESSION,
                    _("最多为本期的 %(n)s 学时") % {"n": session.hours},
                    field="hours",
                    row=i,
                )
            entry.status = status
            entry.hours = hours if status == Attendance.PRESENT else 0
            entry.updated_at = now
            changed.append(entry)
        Enrolment.objects.bulk_update(changed, ["status", "hours", "updated_at"], batch_size=1000)
        audit_record(
            actor=actor,
            action=A.ATTENDANCE,
            object_type="training_session",
            object_id=session.pk,
            changes={
                "rows": len(changed),
                "present": sum(1 for e in changed if e.status == Attendance.PRESENT),
            },
        )
    return len(changed)


# no 0/O, 1/I/L: read aloud in a hall and typed on a phone
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6
CODE_MINUTES_MAX = 24 * 60


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def signin_code_open(
    *, actor: User | None, session: Session, day: datetime.date, minutes: int = 30
) -> tuple[SignInCode, str]:
    """Open a sign-in code for one day of the session, valid `minutes` from now; only its hash
    is kept. Returns the row and the code (shown once to the organiser)."""
    _require_area(actor, session.area)
    if not session.starts_on <= day <= session.ends_on:
        raise TrainingError(E.INVALID_VALUE, _("须为培训期间的某一天"), field="day")
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise TrainingError(E.INVALID_VALUE, _("须为整数分钟"), field="minutes")
    if not 1 <= minutes <= CODE_MINUTES_MAX:
        raise TrainingError(E.INVALID_VALUE, _("有效时长须在 1–1440 分钟之间"), field="minutes")
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    now = timezone.now()
    with transaction.atomic():
        row = SignInCode.objects.create(
            session=session,
            day=day,
            code_hash=_code_hash(code),
            opens_at=now,
            expires_at=now + datetime.timedelta(minutes=minutes),
        )
        audit_record(
            actor=actor,
            action=A.SIGNIN_CODE,
            object_type="training_session",
            object_id=session.pk,
            changes={"day": day.isoformat(), "minutes": minutes, "code": row.pk},
        )
    return row, code


def sign_in_with_code(*, actor: User | None, session: Session, code: str, cadre_id: int) -> int:
    """An enrolled cadre signs in with the code of the day (the organiser entering it on their
    behalf): marked present with the session's hours, through `attendance_record` (scoped and
    audited there). A wrong code (`code_invalid`), one out of its window (`code_expired`), one
    already taken for this person (`code_used`) or someone not enrolled (`not_enrolled`) is
    refused; nothing is written."""
    _require_area(actor, session.area)
    text = (code or "").strip().upper()
    if not text or len(text) > 32:
        raise TrainingError(E.CODE_INVALID, _("请输入当天的签到码"), field="code")
    with transaction.atomic():
        row = (
            SignInCode.objects.select_for_update()
            .filter(session=session, code_hash=_code_hash(text))
            .first()
        )
        if row is None:
            raise TrainingError(E.CODE_INVALID, _("本期培训没有这个签到码"), field="code")
        now = timezone.now()
        if not row.opens_at <= now <= row.expires_at:
            raise TrainingError(E.CODE_EXPIRED, _("签到码已过期"), field="code")
        entry = session.enrolments.filter(cadre_id=cadre_id).first()
        if entry is None:
            raise TrainingError(E.NOT_ENROLLED, _("未报名本期培训"), field="cadre")
        if SignInUse.objects.filter(code=row, enrolment=entry).exists():
            raise TrainingError(E.CODE_USED, _("已用此签到码签到"), field="code")
        attendance_record(
            actor=actor, session=session, rows=[{"cadre": cadre_id, "status": "present"}]
        )
        SignInUse.objects.create(code=row, enrolment=entry, at=now)
    return session.hours
