"""Reads of cadres, appraisals and pay, scoped (SECURITY.md 7, 8).

A township sees its villages' cadres, the organisation department the county; a grid worker
none. The registry needs VIEW_CADRES, scores VIEW_CADRE_SCORES (entering them SCORE_CADRES),
pay VIEW_CADRE_PAY: separate rights. Out of scope answers exactly like missing (404). Each
filter is one test of the row's own `AreaPath` columns.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from grassroots.areas.models import Area
from grassroots.areas.scope import get_in_scope, scope_for
from grassroots.areas.selectors import area_get
from grassroots.cadres import pay as pay_rules
from grassroots.cadres.choices import Period, SheetState, State
from grassroots.cadres.models import Appraisal, Cadre, PayLine, PaySheet
from grassroots.cadres.services import terms_of
from grassroots.core.errors import NotFound, invalid_filter
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.people.masking import age_on


def _key(pk: Any, what: str) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise invalid_filter("id", pk) from None


def cadres_visible(*, actor: User) -> QuerySet[Cadre]:
    scope = scope_for(actor)
    scope.require(Perm.VIEW_CADRES)
    return Cadre.objects.filter(scope.area_q(Perm.VIEW_CADRES))


def cadre_list(*, actor: User, within: int | None = None) -> QuerySet[Cadre]:
    qs = cadres_visible(actor=actor).select_related("resident", "area").prefetch_related("terms")
    if within is not None:
        qs = qs.filter(area_get(actor=actor, pk=within).subtree_q())
    return qs.order_by("area__code", "id")


def cadre_get(*, actor: User, pk: Any) -> Cadre:
    qs = cadres_visible(actor=actor).select_related("resident", "area")
    return get_in_scope(qs.prefetch_related("terms"), "cadre", pk=_key(pk, "cadre"))


def appraisals_visible(*, actor: User) -> QuerySet[Appraisal]:
    scope = scope_for(actor)
    scope.require(Perm.VIEW_CADRE_SCORES)
    return Appraisal.objects.filter(scope.area_q(Perm.VIEW_CADRE_SCORES))


def appraisal_list(
    *, actor: User, year: int | None = None, period: str | None = None, cadre: int | None = None
) -> QuerySet[Appraisal]:
    qs = appraisals_visible(actor=actor).select_related("cadre__resident", "area")
    if year is not None:
        qs = qs.filter(year=year)
    if period:
        if period not in Period.values:
            raise invalid_filter("period", period)
        qs = qs.filter(period=period)
    if cadre is not None:
        qs = qs.filter(cadre_id=cadre)
    return qs.order_by("area__code", "cadre_id", "year", "period")


def appraisal_get(*, actor: User, pk: Any) -> Appraisal:
    qs = appraisals_visible(actor=actor).select_related("cadre__resident", "area")
    return get_in_scope(qs, "appraisal", pk=_key(pk, "appraisal"))


def sheets_visible(*, actor: User) -> QuerySet[PaySheet]:
    scope = scope_for(actor)
    scope.require(Perm.VIEW_CADRE_PAY)
    return PaySheet.objects.filter(scope.area_q(Perm.VIEW_CADRE_PAY))


def sheet_list(*, actor: User, year: int | None = None) -> QuerySet[PaySheet]:
    qs = sheets_visible(actor=actor).select_related("area")
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("area__code", "year", "kind", "month")


def sheet_get(*, actor: User, pk: Any) -> PaySheet:
    qs = sheets_visible(actor=actor).select_related("area")
    return get_in_scope(qs, "pay_sheet", pk=_key(pk, "pay_sheet"))


def pay_lines_visible(*, actor: User) -> QuerySet[PayLine]:
    """Pay lines of the sheets in scope, each with its sheet's place and its amount in fen (the
    rows the pay totals add up, `figures.pay_rows`)."""
    from grassroots.cadres.figures import pay_rows

    scope = scope_for(actor)
    scope.require(Perm.VIEW_CADRE_PAY)
    return pay_rows().filter(scope.area_q(Perm.VIEW_CADRE_PAY, prefix="sheet__"))


def townships_visible(*, actor: User, perm: str) -> QuerySet[Area]:
    """The townships in the actor's scope for `perm`, by code."""
    scope = scope_for(actor)
    return Area.objects.filter(scope.area_q(perm), level="township").order_by("code")


def sheet_lines(*, sheet: PaySheet) -> list[PayLine]:
    return list(sheet.lines.select_related("cadre__resident").order_by("cadre_id", "id"))


def own_record(*, user: User) -> tuple[Cadre, list[Appraisal], list[PayLine]]:
    """The signed-in cadre's own record: the cadre linked to the account, their confirmed
    appraisals and the lines of their confirmed pay sheets. No right is needed, and no one
    else's record is reachable; an account linked to no cadre is NotFound (404)."""
    cadre = (
        Cadre.objects.select_related("resident", "area").filter(account_id=user.pk).first()
        if user.pk
        else None
    )
    if cadre is None:
        raise NotFound("cadre")
    appraisals = list(cadre.appraisals.filter(state=State.CONFIRMED).order_by("-year", "period"))
    lines = list(
        cadre.pay_lines.filter(sheet__state=SheetState.CONFIRMED)
        .select_related("sheet")
        .order_by("-sheet__year", "-sheet__month", "id")
    )
    return cadre, appraisals, lines


# --- the two committees -----------------------------------------------------------------------


@dataclass(frozen=True)
class Committee:
    """A village's two committees on a day: who holds which post, and what is vacant."""

    area: Area
    members: list[dict[str, Any]]
    vacancies: list[str]
    both_posts: bool


def committee_of(*, actor: User, area_pk: Any, day: datetime.date) -> Committee:
    """The two committees of one village or community in the actor's scope."""
    cadres = list(cadre_list(actor=actor).filter(area_id=_key(area_pk, "area")))
    area = cadres[0].area if cadres else area_get(actor=actor, pk=area_pk)
    scope_for(actor).require_area(Perm.VIEW_CADRES, area, "area")
    members, held = [], set()
    both = False
    for cadre in cadres:
        terms = terms_of(cadre)
        posts = pay_rules.posts_on(terms, day)
        if not posts:
            continue
        held |= posts
        both = both or pay_rules.holds_both_posts(terms, day)
        members.append(
            {
                "cadre": cadre,
                "posts": sorted(posts, key=pay_rules.POSTS.index),
                "tenure_years": pay_rules.tenure_years(terms, day),
                "both_posts": pay_rules.holds_both_posts(terms, day),
                "age": age_on(cadre.resident.birth_date, day),
            }
        )
    vacancies = [p for p in ("secretary", "director") if p not in held]
    return Committee(area, members, vacancies, both)


def structure_by_township(*, actor: User, day: datetime.date) -> list[dict[str, Any]]:
    """Per township: cadres in post, 一肩挑 count, age bands and education levels, and the
    villages with a vacant secretary or director post."""
    rows: dict[int, dict[str, Any]] = {}
    by_village: dict[int, set[str]] = {}
    cadres = cadre_list(actor=actor).select_related("area__parent")
    for cadre in cadres:
        terms = terms_of(cadre)
        posts = pay_rules.posts_on(terms, day)
        by_village.setdefault(cadre.area_id, set())
        if not posts:
            continue
        by_village[cadre.area_id] |= posts
        t = cadre.area.parent
        row = rows.setdefault(
            cadre.township or 0,
            {
                "township": t.name if t else "",
                "cadres": 0,
                "both_posts": 0,
                "ages": Counter(),
                "education": Counter(),
                "villages": set(),
            },
        )
        row["cadres"] += 1
        row["both_posts"] += pay_rules.holds_both_posts(terms, day)
        age = age_on(cadre.resident.birth_date, day)
        row["ages"]["<35" if age < 35 else "35–50" if age <= 50 else ">50"] += 1
        row["education"][cadre.resident.education or "unknown"] += 1
        row["villages"].add(cadre.area_id)
    for row in rows.values():
        row["vacant"] = sum(
            1 for v in row["villages"] if not {"secretary", "director"} <= by_village[v]
        )
        row["villages"] = len(row["villages"])
        # plain (name, count) pairs: a template reads `.items` of a Counter as a missing key
        row["ages"] = sorted(row["ages"].items())
        row["education"] = sorted(row["education"].items())
    return sorted(rows.values(), key=lambda r: r["township"])


def star_distribution(*, actor: User, year: int) -> dict[str, Counter[int]]:
    """Confirmed annual stars per township name."""
    out: dict[str, Counter[int]] = {}
    qs = appraisal_list(actor=actor, year=year, period=Period.ANNUAL).filter(state=State.CONFIRMED)
    names = dict(Area.objects.filter(level="township").values_list("pk", "name"))
    for township, stars in qs.values_list("township", "stars"):
        out.setdefault(names.get(township or 0, ""), Counter())[stars or 0] += 1
    return out
