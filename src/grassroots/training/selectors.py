"""Reads of sessions, rolls and coverage, scoped (SECURITY.md 7).

Training records are cadre records: reading them needs VIEW_CADRES over the cadre's village.
A session is seen by those whose scope covers its area, or covers a village with a cadre on
its roll (a township sees the county's sessions through its own cadres, and only their rows
of the roll). Out of scope answers exactly like missing (404).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from grassroots.areas.models import Area
from grassroots.areas.scope import get_in_scope, scope_for
from grassroots.areas.selectors import area_get
from grassroots.cadres.models import Cadre
from grassroots.cadres.selectors import cadres_visible
from grassroots.core.errors import invalid_filter
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.figures import registry
from grassroots.training import coverage
from grassroots.training.choices import Attendance
from grassroots.training.models import Enrolment, Session


def _key(pk: Any, what: str) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise invalid_filter(what, pk) from None


def enrolments_visible(*, actor: User) -> QuerySet[Enrolment]:
    scope = scope_for(actor)
    scope.require(Perm.VIEW_CADRES)
    return Enrolment.objects.filter(scope.area_q(Perm.VIEW_CADRES))


def sessions_visible(*, actor: User) -> QuerySet[Session]:
    scope = scope_for(actor)
    scope.require(Perm.VIEW_CADRES)
    reached = enrolments_visible(actor=actor).values("session_id")
    return Session.objects.filter(scope.area_q(Perm.VIEW_CADRES) | Q(pk__in=reached))


def session_list(*, actor: User, year: int | None = None) -> QuerySet[Session]:
    qs = sessions_visible(actor=actor).select_related("area")
    if year is not None:
        qs = qs.filter(starts_on__year=year)
    return qs.order_by("starts_on", "id")


def session_get(*, actor: User, pk: Any) -> Session:
    qs = sessions_visible(actor=actor).select_related("area")
    return get_in_scope(qs, "training_session", pk=_key(pk, "training_session"))


def session_roll(*, actor: User, session: Session) -> QuerySet[Enrolment]:
    """The session's roll, limited to the actor's villages."""
    qs = enrolments_visible(actor=actor).filter(session=session)
    return qs.select_related("resident", "area").order_by("area__code", "cadre_id", "resident_id")


def certificate_get(*, actor: User, pk: Any) -> Enrolment:
    """An enrolment whose person completed the session (present, hours credited), in scope;
    any other — enrolled, on leave, absent, out of scope or missing — answers 404."""
    qs = enrolments_visible(actor=actor).filter(status=Attendance.PRESENT, hours__gt=0)
    qs = qs.select_related("session", "resident", "area")
    return get_in_scope(qs, "training_enrolment", pk=_key(pk, "training_enrolment"))


def person_times(*, actor: User, year: int) -> dict[str, int]:
    """Person-times (人次: attendances marked present) and hours credited in `year`."""
    qs = enrolments_visible(actor=actor).filter(
        session__starts_on__year=year, status=Attendance.PRESENT
    )
    rows = list(qs.values_list("hours", flat=True))
    return {"person_times": len(rows), "hours": sum(rows)}


def coverage_rows(
    *, actor: User, day: datetime.date | None = None, within: Any = None
) -> list[dict[str, Any]]:
    """Every cadre in post in the actor's scope, with their training in `day`'s year
    (`training.coverage`: the figures' definition), computed live."""
    day = day or timezone.localdate()
    qs = cadres_visible(actor=actor)
    if within:
        qs = qs.filter(area_get(actor=actor, pk=within).subtree_q())
    return list(coverage.computed(qs.select_related("resident", "area"), day))


def coverage_by_township(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per township: secretaries and those covered, two-committee members and those covered,
    person-times and hours, and the share of secretaries covered (None when there are none)."""
    names = dict(Area.objects.filter(level="township").values_list("pk", "name"))
    out: dict[int, dict[str, Any]] = {}
    for r in rows:
        t = out.setdefault(
            r["township"] or 0,
            {
                "township": names.get(r["township"] or 0, ""),
                "secretaries": 0,
                "secretaries_covered": 0,
                "committee": 0,
                "committee_covered": 0,
                "person_times": 0,
                "hours": 0,
                "short": 0,
            },
        )
        covered = r["sessions"] > 0
        t["secretaries"] += r["secretary"]
        t["secretaries_covered"] += r["secretary"] and covered
        t["committee"] += r["committee"]
        t["committee_covered"] += r["committee"] and covered
        t["person_times"] += r["sessions"]
        t["hours"] += r["hours"]
        t["short"] += r["hours"] < r["required"]
    for t in out.values():
        t["share"] = (
            round(100 * t["secretaries_covered"] / t["secretaries"], 1)
            if t["secretaries"]
            else None
        )
    return sorted(out.values(), key=lambda t: t["township"])


def not_covered(
    *, actor: User, rows: list[dict[str, Any]], secretaries_only: bool = True
) -> list[dict[str, Any]]:
    """The cadres of `rows` not yet trained this year, each with the sessions still to come
    this year whose area reaches their village (the sessions that would cover them)."""
    missing = [r for r in rows if r["sessions"] == 0 and (r["secretary"] or not secretaries_only)]
    if not missing:
        return []
    cadres = Cadre.objects.select_related("resident", "area").in_bulk(
        [r["cadre_id"] for r in missing]
    )
    day = rows[0]["as_of"]
    upcoming = list(
        Session.objects.filter(starts_on__gte=day, starts_on__year=day.year).select_related("area")
    )
    out = []
    for r in missing:
        cadre = cadres[r["cadre_id"]]
        # a session reaches the cadre when its area (county or township) is on their path
        would = [s for s in upcoming if getattr(cadre, s.area.level, None) == s.area_id]
        out.append({"cadre": cadre, "row": r, "sessions": would})
    return out


def figure_rows(
    *, actor: User, figure: Any, within: Any = None
) -> tuple[registry.Figure, QuerySet[Any]]:
    """The rows a training figure counts, in the actor's scope: exactly its filter."""
    fig = registry.figure(str(figure or ""))
    if fig is None or not fig.source.startswith("training"):
        raise invalid_filter("figure", figure)
    src = registry.count_source(fig.source)
    scope = scope_for(actor)
    scope.require(Perm.VIEW_CADRES)
    rows = src.rows().filter(scope.area_q(Perm.VIEW_CADRES))
    if within:
        rows = rows.filter(area_get(actor=actor, pk=within).subtree_q())
    return fig, rows.filter(fig.q(timezone.now())).order_by("pk")
