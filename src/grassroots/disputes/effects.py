"""What each dispute action does besides moving the state: one function per action.

Each runs inside `workflow.dispute_apply`, under the dispute's row lock, on the locked row; it
checks its own details (raising writes nothing) and returns the event's data. Files it stores are
listed in `Outcome.files` so that a later failure removes them.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.cases.attachments import EXTENSIONS, CleanFile
from grassroots.cases.choices import Channel
from grassroots.cases.services import Intake, case_intake
from grassroots.core.models import User
from grassroots.disputes import rules
from grassroots.disputes.choices import FoundVia, MediatorKind, Outcome
from grassroots.disputes.errors import DisputeConflict, DisputeError
from grassroots.disputes.errors import DisputeErrorCode as E
from grassroots.disputes.models import Dispute, FollowUp, Mediation

# Follow-up visits are due this many days after a settlement (回访).
FOLLOW_UP_DAYS = 30
MAX_MEDIATORS = 12
# The channel of the case a referral opens, by how the dispute was found.
CHANNEL_OF = {
    FoundVia.VISIT: Channel.VISIT,
    FoundVia.PATROL: Channel.PATROL,
    FoundVia.HOTLINE: Channel.HOTLINE,
    FoundVia.STATION: Channel.STATION,
    FoundVia.OTHER: Channel.PATROL,
}


@dataclass(frozen=True)
class Session:
    """A mediation session as handed in by a form or the API (checked by `mediate`)."""

    held_on: datetime.date
    mediators: list[dict[str, str]]
    outcome: str
    agreement_text: str = ""
    agreement_file: CleanFile | None = None
    notes: str = ""


@dataclass
class Effect:
    """The event's data, and files written (removed again if the transaction fails)."""

    data: dict[str, Any] = field(default_factory=dict)
    files: list[Any] = field(default_factory=list)


def check_date(value: datetime.date, name: str, *, not_before: datetime.date | None = None) -> None:
    """Refuse a date in the future (local date) or before `not_before`, naming the field."""
    if value > timezone.localdate():
        raise DisputeError(E.INVALID_DATE, _("日期不能晚于今天"), field=name)
    if not_before is not None and value < not_before:
        raise DisputeError(
            E.INVALID_DATE,
            _("日期不能早于 %(d)s") % {"d": not_before.isoformat()},
            field=name,
        )


def _mediators(given: list[dict[str, str]]) -> list[dict[str, str]]:
    people = []
    for row in given:
        name = " ".join(str(row.get("name", "")).split())[:40]
        kind = str(row.get("kind") or MediatorKind.OTHER)
        if not name:
            continue
        if kind not in MediatorKind.values:
            raise DisputeError(
                E.INVALID_VALUE, _("未知的调解人类别：%(k)s") % {"k": kind}, field="mediators"
            )
        people.append({"name": name, "kind": kind})
    if not people:
        raise DisputeError(E.INVALID_VALUE, _("请填写调解人"), field="mediators")
    if len(people) > MAX_MEDIATORS:
        raise DisputeError(E.INVALID_VALUE, _("调解人过多"), field="mediators")
    return people


def mediate(dispute: Dispute, actor: User | None, details: dict[str, Any]) -> Effect:
    """Record a session. A settled one needs its agreement text (the signed scan is kept when
    given); it sets the settled level and date and schedules the follow-up visit."""
    session: Session | None = details.get("session")
    if session is None:
        raise DisputeError(E.INVALID_VALUE, _("缺少调解记录"), field="session")
    if session.outcome not in Outcome.values:
        raise DisputeError(E.INVALID_VALUE, _("未知的调解结果"), field="outcome")
    check_date(session.held_on, "held_on", not_before=dispute.found_on)
    mediators = _mediators(session.mediators)
    text = session.agreement_text.strip()
    settled = session.outcome == Outcome.SETTLED
    if settled and not text:
        raise DisputeError(
            E.AGREEMENT_REQUIRED, _("调解成功须记录调解协议内容"), field="agreement_text"
        )
    mediation = Mediation(
        dispute=dispute,
        held_on=session.held_on,
        level=dispute.level,
        mediators=mediators,
        outcome=session.outcome,
        agreement_text=text[:8000],
        notes=session.notes.strip()[:8000],
        recorded_by=actor,
    )
    out = Effect()
    scan = session.agreement_file
    if scan is not None:
        mediation.agreement_name = scan.name
        mediation.agreement_type = scan.content_type
        mediation.agreement_sha256 = hashlib.sha256(scan.data).hexdigest()
        name = uuid.uuid4().hex + EXTENSIONS[scan.content_type]
        mediation.agreement_file.save(name, ContentFile(scan.data), save=False)
        out.files.append(mediation.agreement_file)
    mediation.save(force_insert=True)
    out.data = {"mediation": mediation.pk, "outcome": session.outcome}
    if mediation.agreement_sha256:
        out.data["sha256"] = mediation.agreement_sha256
    if settled:
        dispute.settled_level = dispute.level
        dispute.settled_on = session.held_on
        follow = FollowUp.objects.create(
            dispute=dispute, due_on=session.held_on + datetime.timedelta(days=FOLLOW_UP_DAYS)
        )
        out.data["follow_up"] = follow.pk
    return out


def escalate(dispute: Dispute, actor: User | None, details: dict[str, Any]) -> Effect:
    """Hand the dispute to the next level up; refused at the county."""
    above = rules.next_level(dispute.level)
    if above is None:
        raise DisputeConflict(
            E.NO_HIGHER_LEVEL, _("已在县级调解，不能再提级"), field="level", level=dispute.level
        )
    dispute.level = above
    dispute.escalations += 1
    return Effect()


def refer(dispute: Dispute, actor: User | None, details: dict[str, Any]) -> Effect:
    """Open a case through `case_intake` (the matter names the department that must act), in the
    dispute's area, on the channel it was found by; the case carries the dispute's number."""
    matter = str(details.get("matter") or "").strip()
    if not matter:
        raise DisputeError(E.INVALID_VALUE, _("请选择须由部门办理的职能事项"), field="matter")
    note = str(details.get("note") or "").strip()
    description = dispute.summary if not note else f"{dispute.summary}\n{note}"
    case, _created = case_intake(
        actor=actor,
        intake=Intake(
            matter=matter,
            channel=CHANNEL_OF[FoundVia(dispute.found_via)],
            description=description,
            area=dispute.area_id,
            extra={"dispute": dispute.number, "dispute_id": dispute.pk},
        ),
    )
    dispute.referred_case = case
    return Effect(data={"case": case.pk, "case_number": case.number})


def close(dispute: Dispute, actor: User | None, details: dict[str, Any]) -> Effect:
    """Close it (withdrawn, not a dispute, taken to court): the reason is the event's note."""
    dispute.closed_on = timezone.localdate()
    return Effect()


def follow_up(dispute: Dispute, actor: User | None, details: dict[str, Any]) -> Effect:
    """Record a due follow-up visit as done: on a date not in the future nor before the
    settlement, with what was found."""
    pk = details.get("follow_up")
    row = (
        FollowUp.objects.select_for_update().filter(pk=int(pk), dispute=dispute).first()
        if pk
        else None
    )
    if row is None:
        raise DisputeError(E.INVALID_VALUE, _("没有这条回访"), field="follow_up")
    if row.done_on is not None:
        raise DisputeConflict(E.FOLLOW_UP_DONE, _("这次回访已经记录过"), field="follow_up")
    done_on = details.get("done_on") or timezone.localdate()
    check_date(done_on, "done_on", not_before=dispute.settled_on)
    notes = str(details.get("notes") or "").strip()
    if not notes:
        raise DisputeError(E.INVALID_VALUE, _("请填写回访情况"), field="notes")
    row.done_on, row.done_by, row.notes = done_on, actor, notes[:4000]
    row.save(update_fields=["done_on", "done_by", "notes"])
    return Effect(data={"follow_up": row.pk})
