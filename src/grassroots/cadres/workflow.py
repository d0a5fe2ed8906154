"""The appraisal state machine: the only module that assigns `Appraisal.state`.

    draft ─collect→ collecting ─score→ scored ─confirm→ confirmed ─correct→ confirmed
                        ↑                 │
                        └──── reopen ─────┘

(`correct` takes new inputs, a reason and an approver.)

Inputs change in draft and collecting only; `score` computes the result with `cadres.scoring`
(an annual appraisal from its four quarters, scored or confirmed, its pledges, the township's
assessment and the three reviews: paper tallies plus the ballots cast with one-time codes). A
confirmed appraisal is locked: `correct` recomputes it from new inputs and records the before
and after with a reason and an approver. Every change writes one `AppraisalEvent` and one audit
row.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from grassroots.cadres import scoring
from grassroots.cadres.auditlog import CadreAuditAction as A
from grassroots.cadres.choices import QUARTERS, Action, Period, RaterGroup, State
from grassroots.cadres.errors import CadreConflict, CadreError, CadreErrorCode
from grassroots.cadres.models import Appraisal, AppraisalEvent, Ballot, BallotCode, Cadre
from grassroots.cadres.services import require_area, scheme_for
from grassroots.core.audit import audit_record
from grassroots.core.models import User
from grassroots.core.roles import Perm

TRANSITIONS: dict[tuple[str, str], str] = {
    (State.DRAFT, Action.COLLECT): State.COLLECTING,
    (State.COLLECTING, Action.SCORE): State.SCORED,
    (State.SCORED, Action.REOPEN): State.COLLECTING,
    (State.SCORED, Action.CONFIRM): State.CONFIRMED,
    (State.CONFIRMED, Action.CORRECT): State.CONFIRMED,
}
EDITABLE = (State.DRAFT, State.COLLECTING)
# A code handed to a rater: 10 characters of an alphabet without look-alikes.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
MAX_CODES = 500


def appraisal_open(*, actor: User | None, cadre: Cadre, year: int, period: str) -> Appraisal:
    """The cadre's appraisal for the period, in draft (the existing one when already opened)."""
    require_area(actor, Perm.SCORE_CADRES, cadre.area)
    if period not in Period.values:
        raise CadreError(CadreErrorCode.INVALID_VALUE, "unknown period", field="period")
    if not 2000 <= year <= 2100:
        raise CadreError(CadreErrorCode.INVALID_VALUE, "a year", field="year")
    with transaction.atomic():
        appraisal, created = Appraisal.objects.get_or_create(
            cadre=cadre,
            year=year,
            period=period,
            defaults={
                "area": cadre.area,
                **{c: getattr(cadre, c) for c in ("county", "township", "community")},
            },
        )
        if created:
            _event(appraisal, actor, "open", "", State.DRAFT)
    return appraisal


def _event(
    appraisal: Appraisal,
    actor: User | None,
    action: str,
    from_state: str,
    to_state: str,
    *,
    reason: str = "",
    approver: str = "",
    changes: Mapping[str, Any] | None = None,
) -> None:
    AppraisalEvent.objects.create(
        appraisal=appraisal,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        approver=approver,
        changes=dict(changes or {}),
    )
    audit_record(
        actor=actor,
        action=A.APPRAISAL_CORRECT if action == Action.CORRECT else A.APPRAISAL_ACT,
        object_type="appraisal",
        object_id=appraisal.pk,
        changes={"state": [from_state, to_state], "action": action, **(changes or {})},
    )


def check_inputs(appraisal: Appraisal, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """Inputs checked against the year's scheme (every refusal names its field). A quarter:
    ``{indicator: score}``; the year: ``{"pledges": [...], "township": {...}, "penalty": bool,
    "reviews": {group: {"scores": [...], "votes": {...}}}}`` (paper ballots)."""
    scheme = scheme_for(appraisal.year)
    if appraisal.period in QUARTERS:
        scoring.weighted(scheme.quarterly, inputs, "inputs")
        return {k: str(scoring.decimal_of(v, k)) for k, v in inputs.items()}
    allowed = {"pledges", "township", "penalty", "reviews"}
    extra = sorted(set(inputs) - allowed)
    if extra:
        raise CadreError(CadreErrorCode.INVALID_VALUE, "unknown input", field=f"inputs.{extra[0]}")
    pledges = inputs.get("pledges") or []
    if not isinstance(pledges, list):
        raise CadreError(CadreErrorCode.INVALID_VALUE, "a list of pledges", field="pledges")
    scoring.pledge_score(scheme, [_verdict(p) for p in pledges])
    scoring.weighted(scheme.township, inputs.get("township") or {}, "township")
    reviews = inputs.get("reviews") or {}
    if not isinstance(reviews, Mapping):
        raise CadreError(CadreErrorCode.INVALID_VALUE, "ballots per group", field="reviews")
    for group, raw in reviews.items():
        if group not in RaterGroup.values:
            raise CadreError(
                CadreErrorCode.INVALID_VALUE, "unknown group", field=f"reviews.{group}"
            )
        ballots = scoring.ballots_from_json(raw, f"reviews.{group}")
        for vote, n in ballots.votes.items():
            if vote not in scoring.VOTES or not isinstance(n, int) or n < 0:
                raise CadreError(
                    CadreErrorCode.INVALID_VALUE,
                    "a count of votes",
                    field=f"reviews.{group}.{vote}",
                )
    return dict(inputs)


def _verdict(pledge: Any) -> str:
    return str(pledge.get("verdict") if isinstance(pledge, Mapping) else pledge)


def appraisal_input(
    *, actor: User | None, appraisal: Appraisal, inputs: Mapping[str, Any]
) -> Appraisal:
    """Replace the inputs of a draft or collecting appraisal (a confirmed one is LOCKED)."""
    require_area(actor, Perm.SCORE_CADRES, appraisal.area, "appraisal")
    with transaction.atomic():
        locked = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
        if locked.state not in EDITABLE:
            code = (
                CadreErrorCode.LOCKED
                if locked.state == State.CONFIRMED
                else (CadreErrorCode.INVALID_TRANSITION)
            )
            raise CadreConflict(code, "inputs change in draft or collecting only", field="state")
        locked.inputs = check_inputs(locked, inputs)
        locked.save(update_fields=["inputs", "updated_at"])
        audit_record(
            actor=actor, action=A.APPRAISAL_INPUT, object_type="appraisal", object_id=locked.pk
        )
    return locked


def appraisal_prefill(*, actor: User | None, appraisal: Appraisal) -> dict[str, str]:
    """Fill the scores of the indicators that read an outcome the platform records
    (`cadres.measures`) into a draft or collecting appraisal; manual ones are left as entered.
    Returns the scores filled, by indicator code (none where there was nothing to measure)."""
    from grassroots.cadres import measures

    require_area(actor, Perm.SCORE_CADRES, appraisal.area, "appraisal")
    scheme = scheme_for(appraisal.year)
    quarter = appraisal.period in QUARTERS
    indicators = scheme.quarterly if quarter else scheme.township
    start, end = measures.period_bounds(appraisal.year, appraisal.period)
    filled = {}
    for ind in indicators:
        if ind.measure != "manual":
            value = measures.measure_score(
                ind.measure, appraisal.area, start, end, appraisal.cadre_id
            )
            if value is not None:
                filled[ind.code] = str(value)
    with transaction.atomic():
        locked = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
        if locked.state not in EDITABLE:
            raise CadreConflict(
                CadreErrorCode.LOCKED
                if locked.state == State.CONFIRMED
                else (CadreErrorCode.INVALID_TRANSITION),
                "inputs change in draft or collecting only",
                field="state",
            )
        inputs = dict(locked.inputs)
        if quarter:
            inputs.update(filled)
        else:
            inputs["township"] = {**(inputs.get("township") or {}), **filled}
        locked.inputs = inputs
        locked.save(update_fields=["inputs", "updated_at"])
        audit_record(
            actor=actor,
            action=A.APPRAISAL_INPUT,
            object_type="appraisal",
            object_id=locked.pk,
            changes={"measured": filled},
        )
    return filled


def _reviews(appraisal: Appraisal, paper: Mapping[str, Any]) -> dict[str, scoring.Ballots]:
    """Paper tallies plus the ballots cast with codes, per rater group."""
    out: dict[str, scoring.Ballots] = {}
    cast = list(appraisal.ballots.values_list("group", "score", "vote"))
    for group in scoring.GROUPS:
        base = scoring.ballots_from_json(paper.get(group) or {}, f"reviews.{group}")
        scores = list(base.scores) + [s for g, s, _v in cast if g == group and s is not None]
        votes = dict(base.votes)
        for g, _s, v in cast:
            if g == group and v:
                votes[v] = votes.get(v, 0) + 1
        out[group] = scoring.Ballots(tuple(scores), votes)
    return out


def compute(appraisal: Appraisal, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The result fields of an appraisal from `inputs` (pure but for reading its quarters and
    ballots): total, grade, stars, warning_talk and the explanation."""
    scheme = scheme_for(appraisal.year)
    if appraisal.period in QUARTERS:
        value, lines = scoring.weighted(scheme.quarterly, inputs, "inputs")
        total = scoring.q2(value)
        return {
            "total": total,
            "grade": scoring.grade_of(scheme, total),
            "stars": None,
            "warning_talk": False,
            "result": {"total": str(total), "lines": [line.as_json() for line in lines]},
        }
    quarters = {
        a.period: a.inputs
        for a in Appraisal.objects.filter(
            cadre_id=appraisal.cadre_id,
            year=appraisal.year,
            period__in=QUARTERS,
            state__in=(State.SCORED, State.CONFIRMED),
        )
    }
    missing = [q for q in QUARTERS if q not in quarters]
    if missing:
        raise CadreError(
            CadreErrorCode.INVALID_VALUE,
            "the four quarters are scored first",
            field=f"quarters.{missing[0]}",
        )
    result = scoring.annual_score(
        scheme,
        scoring.AnnualInput(
            quarters=tuple(quarters[q] for q in QUARTERS),
            pledges=tuple(_verdict(p) for p in inputs.get("pledges") or []),
            township=inputs.get("township") or {},
            reviews=_reviews(appraisal, inputs.get("reviews") or {}),
            penalty=bool(inputs.get("penalty")),
        ),
    )
    return {
        "total": result.total,
        "grade": result.grade,
        "stars": result.stars,
        "warning_talk": result.warning_talk,
        "result": result.as_json(),
    }


def appraisal_apply(
    *,
    appraisal_id: int,
    action: str,
    actor: User | None,
    inputs: Mapping[str, Any] | None = None,
    reason: str = "",
    approver: str = "",
) -> Appraisal:
    """Apply `action`, or raise CadreConflict(INVALID_TRANSITION). `correct` takes new
    `inputs`, a `reason` and an `approver` and records the result before and after."""
    with transaction.atomic():
        appraisal = (
            Appraisal.objects.select_for_update().select_related("area").get(pk=appraisal_id)
        )
        require_area(actor, Perm.SCORE_CADRES, appraisal.area, "appraisal")
        new_state = TRANSITIONS.get((appraisal.state, action))
        if new_state is None:
            raise CadreConflict(
                CadreErrorCode.INVALID_TRANSITION,
                "the action does not fit the state",
                field="action",
                state=appraisal.state,
                action=action,
            )
        changes: dict[str, Any] = {}
        if action == Action.CORRECT:
            if not reason.strip() or not approver.strip():
                raise CadreError(
                    CadreErrorCode.REASON_REQUIRED,
                    "a correction needs a reason and an approver",
                    field="reason" if not reason.strip() else "approver",
                )
            if inputs is None:
                raise CadreError(
                    CadreErrorCode.INVALID_VALUE, "the corrected inputs", field="inputs"
                )
            before = _summary(appraisal)
            appraisal.inputs = check_inputs(appraisal, inputs)
            _set_result(appraisal, compute(appraisal, appraisal.inputs))
            changes = {"before": before, "after": _summary(appraisal)}
        elif action == Action.SCORE:
            _set_result(appraisal, compute(appraisal, appraisal.inputs))
            changes = {"after": _summary(appraisal)}
        elif action == Action.CONFIRM:
            appraisal.confirmed_on = timezone.localdate()
        old = appraisal.state
        appraisal.state = new_state
        appraisal.save()
        _event(
            appraisal,
            actor,
            action,
            old,
            new_state,
            reason=reason,
            approver=approver,
            changes=changes,
        )
    return appraisal


def _summary(a: Appraisal) -> dict[str, Any]:
    return {"total": None if a.total is None else str(a.total), "grade": a.grade, "stars": a.stars}


def _set_result(appraisal: Appraisal, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        setattr(appraisal, name, value)


def allowed_actions(appraisal: Appraisal) -> list[str]:
    return [a for (s, a) in TRANSITIONS if s == appraisal.state]


# --- one-time ballot codes ----------------------------------------------------------------


def _digest(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def codes_issue(*, actor: User | None, appraisal: Appraisal, group: str, count: int) -> list[str]:
    """`count` one-time codes for raters of `group`, for an annual appraisal being collected.
    Only their hashes are kept: the list returned is the only copy."""
    require_area(actor, Perm.SCORE_CADRES, appraisal.area, "appraisal")
    if group not in RaterGroup.values:
        raise CadreError(CadreErrorCode.INVALID_VALUE, "unknown group", field="group")
    if not 1 <= count <= MAX_CODES:
        raise CadreError(CadreErrorCode.INVALID_VALUE, f"1–{MAX_CODES}", field="count")
    codes = [
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)) for _ in range(count)
    ]
    with transaction.atomic():
        # the state as stored, not as the caller's copy last saw it
        locked = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
        if locked.period != Period.ANNUAL or locked.state != State.COLLECTING:
            raise CadreConflict(
                CadreErrorCode.INVALID_TRANSITION,
                "an annual appraisal being collected",
                field="state",
            )
        BallotCode.objects.bulk_create(
            BallotCode(appraisal=appraisal, group=group, digest=_digest(c)) for c in codes
        )
        audit_record(
            actor=actor,
            action=A.CODES_ISSUE,
            object_type="appraisal",
            object_id=appraisal.pk,
            changes={"group": group, "count": count},
        )
    return codes


def ballot_cast(*, code: str, score: Any = None, vote: str = "") -> Ballot:
    """One rater's ballot with a one-time code: a score (0–100) or a vote. The code is spent in
    the same transaction, so a second use (or a race of two) is CODE_USED; the ballot keeps no
    link to its code. Unknown codes answer the same as used ones."""
    if (score is None) == (not vote):
        raise CadreError(CadreErrorCode.INVALID_VALUE, "a score or a vote", field="score")
    value: Decimal | None = None
    if score is not None:
        value = scoring.score_of(score, "score")
    elif vote not in scoring.VOTES:
        raise CadreError(CadreErrorCode.INVALID_VALUE, "unknown vote", field="vote")
    with transaction.atomic():
        row = (
            BallotCode.objects.select_for_update()
            .select_related("appraisal")
            .filter(digest=_digest(code or ""), used_at__isnull=True)
            .first()
        )
        if row is None:
            raise CadreConflict(CadreErrorCode.CODE_USED, "unknown or used code", field="code")
        if row.appraisal.state != State.COLLECTING:
            raise CadreConflict(
                CadreErrorCode.INVALID_TRANSITION, "the review is closed", field="code"
            )
        row.used_at = timezone.now()
        row.save(update_fields=["used_at"])
        ballot = Ballot.objects.create(
            appraisal=row.appraisal, group=row.group, score=value, vote=vote, via="code"
        )
        audit_record(
            actor=None,
            actor_name="rater",
            action=A.BALLOT_CAST,
            object_type="appraisal",
            object_id=row.appraisal_id,
            changes={"group": row.group},
        )
    return ballot
