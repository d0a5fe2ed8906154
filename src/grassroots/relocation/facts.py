"""What the rules see: a relocated household's facts and its members', read from the registry.

Pure functions (`member_facts`, `household_facts`, `required`) over plain values, and one
loader (`load`) that reads the registry in three queries for any number of households.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from grassroots.people.choices import Employment, ResidentStatus
from grassroots.people.privacy import tag_token
from grassroots.relocation import rules
from grassroots.relocation.choices import Subject

# Employment values that count as employed (在业): wages, migrant work, own business, farming.
EMPLOYED = {Employment.EMPLOYED, Employment.MIGRANT, Employment.SELF_EMPLOYED, Employment.FARMING}


def age_on(birth: datetime.date, day: datetime.date) -> int:
    """Whole years from `birth` to `day` (a 29 February birthday counts on 1 March)."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


def member_facts(
    *,
    birth_date: datetime.date,
    sex: str,
    relation: str,
    employment: str,
    education: str,
    disabled: bool,
    today: datetime.date,
) -> dict[str, Any]:
    """A member's facts as of `today`. `school_age` is the age on 31 August of this year: the
    age that decides this school year's enrolment (入学年龄), known before September."""
    return {
        "age": age_on(birth_date, today),
        "school_age": age_on(birth_date, datetime.date(today.year, 8, 31)),
        "sex": sex,
        "relation": relation,
        "employment": employment,
        "employed": employment in EMPLOYED,
        "able_to_work": employment != Employment.UNABLE,
        "disabled": disabled,
        "education": education,
    }


@dataclass(frozen=True)
class Facts:
    """One relocated household's facts: the household's, and each member's by resident id."""

    household: dict[str, Any]
    members: dict[int, dict[str, Any]]


def household_facts(
    *,
    members: list[dict[str, Any]],
    land_kept: bool,
    land_mu: float,
    land_trustee: str,
    homestead: bool,
    homestead_agreement: str,
    relocated_year: int,
    today: datetime.date,
) -> dict[str, Any]:
    return {
        "members": members,
        "size": len(members),
        "land_kept": land_kept,
        "land_mu": land_mu,
        "land_trusteeship": bool(land_trustee.strip()),
        "homestead": homestead,
        "homestead_vacated": bool(homestead_agreement.strip()),
        "years_since_move": today.year - relocated_year,
        "relocated_year": relocated_year,
    }


@dataclass(frozen=True)
class Entry:
    """What `required` needs of a catalogue entry."""

    pk: int
    subject: str
    rule: str


def required(entries: Iterable[Entry], facts: Facts) -> set[tuple[int, int]]:
    """(entitlement id, member id or 0) for every item the rules require of the household."""
    out: set[tuple[int, int]] = set()
    for entry in entries:
        tree = rules.compile_rule(entry.rule, entry.subject)
        if entry.subject == Subject.MEMBER:
            out.update(
                (entry.pk, member)
                for member, mf in facts.members.items()
                if rules.evaluate(tree, mf)
            )
        elif rules.evaluate(tree, facts.household):
            out.add((entry.pk, 0))
    return out


def load(relocated: Iterable[Any], today: datetime.date) -> dict[int, Facts]:
    """The facts of each relocated household (by its id), from the registry: the active
    residents of its household, their disability certificates (the `disabled` tag)."""
    from grassroots.people.models import Resident, ResidentTag

    rows = list(relocated)
    by_household = {r.household_id: r for r in rows}
    residents = list(
        Resident.objects.filter(household_id__in=by_household, status=ResidentStatus.ACTIVE).values(
            "pk", "household_id", "birth_date", "sex", "relation", "employment", "education"
        )
    )
    disabled = set(
        ResidentTag.objects.filter(
            resident_id__in=[r["pk"] for r in residents], token=tag_token("disabled")
        ).values_list("resident_id", flat=True)
    )
    members: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
    for r in residents:
        members[r["household_id"]][r["pk"]] = member_facts(
            birth_date=r["birth_date"],
            sex=r["sex"],
            relation=r["relation"],
            employment=r["employment"],
            education=r["education"],
            disabled=r["pk"] in disabled,
            today=today,
        )
    out = {}
    for r in rows:
        mine = members.get(r.household_id, {})
        out[r.pk] = Facts(
            household=household_facts(
                members=list(mine.values()),
                land_kept=r.land_kept,
                land_mu=float(r.land_mu),
                land_trustee=r.land_trustee,
                homestead=r.homestead,
                homestead_agreement=r.homestead_agreement,
                relocated_year=r.relocated_year,
                today=today,
            ),
            members=mine,
        )
    return out
