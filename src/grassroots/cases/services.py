"""Intake and configuration of cases: the one write path every channel uses.

`case_intake` validates, locates, routes, sets time limits and records events; the hotline desk,
the patrol form, the API and Open311 all call it. State changes after intake go through
`cases.workflow.case_apply`.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.areas.models import Area, path_of
from grassroots.areas.scope import scope_for
from grassroots.cases import routing, search, selectors, sla, workflow
from grassroots.cases.choices import Action, Channel, State
from grassroots.cases.errors import CaseError, IdempotencyMismatch
from grassroots.cases.errors import CaseErrorCode as E
from grassroots.cases.models import Case, IdempotencyKey, Matter
from grassroots.core.errors import DomainError, Forbidden, NotFound
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.db.compiled import CompiledQuery, Sent, insert
from grassroots.db.ids import Drawn, send_next_id
from grassroots.db.pipeline import pipelined, written_at_once
from grassroots.people import services as people_services
from grassroots.people.choices import RevealField
from grassroots.people.models import Household, Resident
from grassroots.people.privacy import EMPTY, sealed_phone

TITLE_LENGTH = 30


@dataclass(frozen=True)
class Intake:
    """What a channel hands in. Exactly one of location / area / household places the case."""

    matter: str
    channel: str
    description: str
    title: str = ""
    lat: float | None = None
    lon: float | None = None
    area: int | None = None
    household: int | None = None
    reporter_name: str = ""
    reporter_phone: str = ""
    address: str = ""
    # A question answered at the seat: the case is recorded and closed as "answered directly".
    answer: str = ""
    # Client metadata, kept on the case.
    extra: dict[str, Any] = field(default_factory=dict)
    # Answers to the matter's extra questions (`Matter.attributes`) by question code; None when
    # the channel gave none. Checked by `case_intake`, kept in `extra["attributes"]`.
    attributes: dict[str, Any] | None = None

    def fingerprint(self) -> str:
        body = dict(self.__dict__)
        if body["attributes"] is None:
            del body["attributes"]  # the fingerprints of intakes made before answers existed
        text = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


def shorten(text: str, length: int) -> str:
    """`text` on one line in at most `length` characters, ending in "…" when it was cut."""
    line = " ".join(text.split())
    return line if len(line) <= length else line[: length - 1].rstrip() + "…"


# Every intake reads its matter, its area and its reporter's resident: compiled once
# (db.compiled).
_MATTER: CompiledQuery[Matter] = CompiledQuery(
    lambda code: Matter.objects.select_related("unit").filter(code=code, active=True)[:1],
    code="marker:code",
)
# the polygon is not needed to place a case: not read (nor decoded) on every intake
_AREA: CompiledQuery[Area] = CompiledQuery(
    lambda pk: Area.objects.defer("polygon").filter(pk=pk)[:1], pk=-(2**40)
)
_RESIDENT_BY_PHONE: CompiledQuery[tuple[int]] = CompiledQuery(
    lambda index: Resident.objects.filter(phone_index=index).order_by("id").values_list("pk")[:1],
    index="marker:index",
)


ANSWER_LENGTH = 200


def matter_answers(*, matter: Matter, given: dict[str, Any] | None) -> dict[str, str]:
    """The answers to `matter`'s extra questions, checked: every required question answered,
    every answer to a question with listed values one of them. Answers are stripped and cut to
    ANSWER_LENGTH; answers to questions the matter does not ask are dropped. A refusal is a 400
    whose `field` is ``attributes.<code>`` and whose `question` is the code."""
    given = given or {}
    answers: dict[str, str] = {}
    for question in matter.attributes:
        code = str(question.get("code", ""))
        value = str(given.get(code) or "").strip()
        label = question.get("description") or code
        allowed = [str(v.get("key")) for v in question.get("values", [])]
        if question.get("required") and not value:
            raise CaseError(
                E.ANSWER_REQUIRED,
                _("请回答补充问题“%(q)s”（%(c)s）") % {"q": label, "c": code},
                field=f"attributes.{code}",
                question=code,
            )
        if value and allowed and value not in allowed:
            raise CaseError(
                E.INVALID_VALUE,
                _("补充问题“%(q)s”（%(c)s）的回答应为以下之一：%(v)s")
                % {"q": label, "c": code, "v": ", ".join(allowed)},
                field=f"attributes.{code}",
                question=code,
            )
        if value:
            answers[code] = value[:ANSWER_LENGTH]
    return answers


@dataclass
class _Lookups:
    """An intake's look-ups that depend on nothing but its body, sent together (inside
    `db.pipelined`, one round trip on PostgreSQL) and read when needed."""

    matter: Sent[Matter]
    area: Sent[Area] | None = None
    grids: Sent[Area] | None = None
    resident: Sent[tuple[int]] | None = None
    case_id: Drawn | None = None  # PostgreSQL draws the id here, SQLite in the transaction

    @classmethod
    def send(cls, intake: Intake, phone: Any) -> _Lookups:
        with pipelined(Case):
            found = cls(_MATTER.send(code=(intake.matter or "").strip()))
            found.case_id = send_next_id(Case)
            if phone.index:
                found.resident = _RESIDENT_BY_PHONE.send(index=phone.index)
            if intake.household is not None:
                return found
            if intake.area is not None:
                found.area = _AREA.send(pk=intake.area)
            elif intake.lat is not None and intake.lon is not None and _on_earth(intake):
                found.grids = routing.send_locate(intake.lon, intake.lat)
        return found


def _on_earth(intake: Intake) -> bool:
    """Whether the intake's location is a point on the earth (both given, within range)."""
    lat, lon = intake.lat, intake.lon
    return lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180


def _place(
    actor: User | None, intake: Intake, lookups: _Lookups
) -> tuple[Area | None, Household | None, bool]:
    """The case's area, household, and whether a given location matched no grid."""
    scope = scope_for(actor) if actor is not None else None
    if intake.household is not None:
        household = Household.objects.select_related("area").filter(pk=intake.household).first()
        if household is None or (
            scope is not None and not scope.covers_area(Perm.VIEW_PEOPLE, household.area)
        ):
            raise NotFound("household")
        return household.area, household, False
    if lookups.area is not None:
        area = lookups.area.first()
        if area is None or (scope is not None and not scope.covers_area(Perm.CREATE_CASES, area)):
            raise NotFound("area")
        return area, None, False
    if intake.lat is not None and intake.lon is not None:
        if lookups.grids is None:
            raise CaseError(E.INVALID_VALUE, _("坐标超出范围"), field="location")
        area = routing.located(lookups.grids, intake.lon, intake.lat)
        return area, None, area is None
    return None, None, True


def case_intake(
    *,
    actor: User | None,
    intake: Intake,
    idempotency_key: str = "",
    at: datetime.datetime | None = None,
) -> tuple[Case, bool]:
    """Register a case from any channel; returns (case, created).

    Guarantees: the matter exists; its extra questions are answered (`matter_answers`: the
    required ones, with allowed values), on every channel alike; the place is inside the actor's
    scope (else NotFound); a point outside every grid still lands, flagged, at the county desk;
    the case is dispatched at once when matter and area determine the handler; due times are
    set; a replay of the same `idempotency_key` returns the first case, while the key with
    another body raises 422.
    `at` back-dates the registration (imports of past cases and the demo).
    """
    if actor is not None:
        scope_for(actor).require(Perm.CREATE_CASES)
    if intake.channel not in Channel.values:
        raise CaseError(
            E.INVALID_VALUE, _("未知的来源渠道：%(c)s") % {"c": intake.channel}, field="channel"
        )
    description = (intake.description or "").strip()
    if not description:
        raise CaseError(E.INVALID_VALUE, _("诉求内容不能为空"), field="description")
    keyed = actor if idempotency_key and actor is not None else None
    fingerprint = intake.fingerprint()
    try:
        return _register(actor, intake, description, at, keyed, idempotency_key, fingerprint), True
    except (IntegrityError, DomainError):
        # The key's unique constraint is the look-up: a replay runs as a new request until its
        # key's INSERT meets the first one's (or, when the body would now be refused, until that
        # refusal) and answers as the first request did; a concurrent request with the same key
        # waits for the first's commit and answers the same way. Only then is the key read.
        replay = _replay(keyed, idempotency_key, fingerprint) if keyed is not None else None
        if replay is None:
            raise
        return replay, False


def _register(
    actor: User | None,
    intake: Intake,
    description: str,
    at: datetime.datetime | None,
    keyed: User | None,
    key: str,
    fingerprint: str,
) -> Case:
    """The case written: matter, answers, place, route, the reporter's resident, then the rows
    all or none (`db.pipeline.written_at_once`: on PostgreSQL one statement), the idempotency
    key (when `keyed`) last."""
    phone = sealed_phone(intake.reporter_phone) if intake.reporter_phone.strip() else EMPTY
    lookups = _Lookups.send(intake, phone)
    matter = lookups.matter.first()
    if matter is None:
        raise CaseError(
            E.UNKNOWN_MATTER, _("未知的职能事项：%(c)s") % {"c": intake.matter}, field="matter"
        )
    answers = matter_answers(matter=matter, given=intake.attributes)
    extra = dict(intake.extra)
    if intake.attributes is not None or matter.attributes:
        extra["attributes"] = answers
    area, household, unmatched = _place(actor, intake, lookups)
    route = routing.route(matter, area)
    found = lookups.resident.first() if lookups.resident is not None else None
    place = (area, household, unmatched)
    case = _build(intake, matter, place, route, phone, description, extra)
    if lookups.case_id is not None:
        case.pk = lookups.case_id.value()
    case.resident_id = found[0] if found is not None else None
    case.created_at = at or timezone.now()
    with written_at_once(Case):
        workflow.case_open(
            case=case,
            actor=actor,
            dispatched=route.dispatched,
            reason=route.reason,
            answer=intake.answer.strip(),
        )
        if keyed is not None:
            insert(
                [IdempotencyKey(key=key[:100], actor=keyed, body_hash=fingerprint, case=case)],
                read_ids=False,
            )
    return case


def _replay(actor: User, key: str, fingerprint: str) -> Case | None:
    found = (
        IdempotencyKey.objects.filter(actor=actor, key=key[:100])
        .values_list("body_hash", "case_id")
        .first()
    )
    if found is None:
        return None
    body_hash, case_id = found
    if body_hash != fingerprint:
        raise IdempotencyMismatch(
            E.IDEMPOTENCY_MISMATCH,
            _("同一个 Idempotency-Key 不能用于不同的请求内容"),
            field="Idempotency-Key",
        )
    return Case.objects.select_related("matter", "area", "unit").get(pk=case_id)


def _build(
    intake: Intake,
    matter: Matter,
    place: tuple[Area | None, Household | None, bool],
    route: routing.Route,
    phone: Any,
    description: str,
    extra: dict[str, Any],
) -> Case:
    """The new case, unsaved and not yet in a state: its text, place, handler, reporter and
    answers."""
    area, household, unmatched = place
    title = shorten(intake.title.strip() or description, TITLE_LENGTH) or matter.name
    return Case(
        title=title,
        description=description,
        terms=search.terms_for(title, description),
        matter=matter,
        channel=intake.channel,
        area=area,
        **path_of(area),
        unit=route.unit,
        level=route.level,
        household=household,
        reporter_name=intake.reporter_name.strip()[:60],
        reporter_phone_enc=phone.enc,
        reporter_phone_index=phone.index,
        reporter_phone_masked=phone.masked,
        lat=intake.lat,
        lon=intake.lon,
        address=intake.address.strip()[:200],
        location_unmatched=unmatched,
        extra=extra,
        needs_site_check=matter.needs_site_check and intake.channel == Channel.PATROL,
    )


def case_reveal_reporter(*, actor: User, pk: Any) -> str:
    """The reporter's full phone, for the case's current handler or its review operator
    (`workflow.may_reveal_reporter`), audited through the people app's reveal audit with the
    case number as the purpose. NotFound out of scope, Forbidden (403) for anyone else, a 400
    when the case has no phone."""
    case = selectors.case_get(actor=actor, pk=pk)
    if not workflow.may_reveal_reporter(actor, case):
        raise Forbidden("reveal_reporter")
    if not case.reporter_phone_enc:
        raise CaseError(E.INVALID_VALUE, _("这件诉求没有留联系电话"), field="phone")
    return people_services.sealed_reveal(
        actor=actor,
        sealed=case.reporter_phone_enc,
        field=RevealField.PHONE,
        purpose=case.number or str(case.pk),
        object_type="case",
        object_id=case.pk,
    )


def open_cases_for_sweep(now: datetime.datetime) -> tuple[int, list[int]]:
    """How many cases' clocks run (dispatched or accepted with a due time), and the ids of
    those owed a step at `now` (`workflow.time_steps`).

    One read of the running cases' clocks, the steps worked out here: a case with nothing due
    costs no transaction (the sweep runs every minute; taking each running case's row lock in
    turn cost ≈ 1 ms a case, 38 s a minute at 36,000 running cases, and on SQLite held the
    write lock in every one of them). A case found here is checked again under its lock."""
    running = Case.objects.filter(
        state__in=(State.DISPATCHED, State.ACCEPTED),
        resolution_due__isnull=False,
        limit_started_at__isnull=False,
    )
    rows = running.exclude(reminded__gte=100, overdue=True).values_list(
        "pk", "state", "matter__resolution_unit", "limit_started_at", "resolution_due",
        "response_due", "reminded", "overdue",
    )  # fmt: skip
    owed = []
    for pk, state, unit, start, due, response_due, reminded, overdue in rows.iterator(2000):
        if start is None or due is None:  # (excluded above: for the type checker)
            continue
        steps = workflow.time_steps(
            state=state,
            used=sla.used_fraction_in(unit, start, due, now),
            resolution_due=due,
            response_due=response_due,
            reminded=reminded,
            overdue=overdue,
            now=now,
        )
        if steps:
            owed.append(pk)
    return running.count(), owed


def case_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Reminders, overdue flags and escalations for every running case; idempotent.

    An overdue case whose matter escalates when overdue moves one level up (once per limit).
    """
    moment = now or timezone.now()
    checked, owed = open_cases_for_sweep(moment)
    counts = {"checked": checked, "reminded": 0, "overdue": 0, "escalated": 0}
    for case_id in owed:
        done = workflow.case_mark_time(case_id=case_id, now=moment)
        counts["reminded"] += sum(1 for d in done if d.startswith("remind"))
        counts["overdue"] += "late_response" in done
        if "overdue" in done:
            counts["overdue"] += 1
            case = Case.objects.select_related("matter").get(pk=case_id)
            if case.matter.escalate_when_overdue and case.level != "county":
                try:
                    workflow.case_apply(
                        case_id=case_id,
                        action=Action.ESCALATE,
                        actor=None,
                        note=_("超期自动提级"),
                        at=moment,
                    )
                    counts["escalated"] += 1
                except DomainError:
                    pass  # already at the top level, or changed meanwhile: the flag stays
    return counts
