"""Helpers for the cadres tests: a cadre with terms, a year of appraisals, a drawn sheet — all
through the real services."""

from __future__ import annotations

import datetime
from typing import Any

from grassroots.cadres import services, workflow
from grassroots.cadres.models import Appraisal, Cadre, PaySheet

YEAR = 2025
QUARTER = {
    "party_building": 90,
    "development": 85,
    "governance": 88,
    "service": 92,
    "integrity": 95,
}
ANNUAL: dict[str, Any] = {
    "pledges": [{"title": "硬化村道2公里", "verdict": "fulfilled"}],
    "township": {"tasks": 90, "collective_economy": 80, "stability": 85},
    "reviews": {
        "party_members": {
            "votes": {"excellent": 20, "competent": 15, "basic": 3, "incompetent": 2}
        },
        "representatives": {"scores": [90, 85]},
        "township_committee": {"scores": [88]},
    },
}


def cadre_with_terms(
    resident: Any, area: Any, *posts: str, since: datetime.date = datetime.date(2018, 1, 1)
) -> Cadre:
    cadre = services.cadre_register(actor=None, resident=resident, area=area, origin="local")
    for post in posts or ("secretary",):
        services.term_add(actor=None, cadre=cadre, post=post, started_on=since)
    return cadre


def scored(actor: Any, cadre: Cadre, year: int, period: str, inputs: dict[str, Any]) -> Appraisal:
    a = workflow.appraisal_open(actor=actor, cadre=cadre, year=year, period=period)
    workflow.appraisal_input(actor=actor, appraisal=a, inputs=inputs)
    for action in ("collect", "score"):
        a = workflow.appraisal_apply(appraisal_id=a.pk, action=action, actor=actor)
    return a


def year_confirmed(
    actor: Any, cadre: Cadre, year: int = YEAR, quarter=QUARTER, annual=ANNUAL
) -> Appraisal:
    """Four scored quarters and a confirmed annual appraisal."""
    for q in ("q1", "q2", "q3", "q4"):
        scored(actor, cadre, year, q, quarter)
    a = scored(actor, cadre, year, "annual", annual)
    return workflow.appraisal_apply(appraisal_id=a.pk, action="confirm", actor=actor)


def cadre_scene(resident: Any, area: Any) -> tuple[Cadre, Appraisal, PaySheet]:
    """A cadre of `area`, an open appraisal and a drawn monthly sheet (the API scope tests)."""
    cadre = cadre_with_terms(resident, area, "secretary")
    appraisal = workflow.appraisal_open(actor=None, cadre=cadre, year=YEAR, period="q1")
    sheet = services.sheet_draw(actor=None, area=area, year=YEAR, month=1)
    return cadre, appraisal, sheet
