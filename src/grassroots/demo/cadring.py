"""Village and community cadres (村干部), a year of appraisals and its pay, through the cadres
services and workflow.

Every village gets its two committees: a party secretary — 一肩挑 (also the committee's director)
in about four villages of ten and always in 胡家峪村 — or a separate director, two or three
members and a reserve cadre. Every community of the county seat gets a secretary sent down from
a county unit and seven recruited staff (49 in all, as in the article). The demo's villages keep
no registry of their own, so their cadres are adults of the county seat's registry.

The village and community secretaries are appraised over last year: four quarters (scored),
pledges, the township's assessment and the three reviews (paper tallies), scored and confirmed,
giving a realistic spread of stars (a few capped by a 不称职 share or a penalty). Every village
and community then gets last year's December base sheet (confirmed) and its performance sheet
(draft); the other months are left out to keep the load cheap (each is drawn the same way).

Deterministic for a seed: it draws from its own `random.Random`.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from grassroots.areas.choices import Level
from grassroots.areas.models import Area, Unit
from grassroots.cadres import services, workflow
from grassroots.cadres.choices import Origin
from grassroots.cadres.models import Cadre
from grassroots.demo.case_plan import Clock
from grassroots.people.models import Resident

PLEDGES = ["硬化村道", "发展特色种植", "整治人居环境", "壮大集体经济", "化解信访积案"]


@dataclass
class Cadring:
    cadres: int = 0
    both_posts: int = 0
    appraised: int = 0
    stars: dict[int, int] | None = None
    sheets: int = 0


def _adults(today: datetime.date) -> list[Resident]:
    young = today.replace(year=today.year - 25)
    old = today.replace(year=today.year - 60)
    return list(
        Resident.objects.filter(birth_date__lte=young, birth_date__gte=old, status="active")
        .order_by("id")
        .only("id", "area_id")
    )


def _since(rng: random.Random, today: datetime.date) -> datetime.date:
    return datetime.date(rng.randint(today.year - 16, today.year - 1), rng.choice((1, 4, 7)), 1)


def _cadre(
    rng: random.Random,
    pool: list[Resident],
    area: Area,
    posts: tuple[str, ...],
    today: datetime.date,
    origin: str = Origin.LOCAL,
    origin_unit: str = "",
) -> Cadre:
    cadre = services.cadre_register(
        actor=None, resident=pool.pop(), area=area, origin=origin, origin_unit=origin_unit
    )
    since = _since(rng, today)
    for post in posts:
        services.term_add(actor=None, cadre=cadre, post=post, started_on=since)
    return cadre


def _ballots(rng: random.Random, quality: float, unfit: float) -> dict[str, object]:
    n = rng.randint(20, 40)
    bad = round(n * unfit)
    good = n - bad
    excellent = max(0, min(good, round(good * (quality - 70) / 30)))
    basic = rng.randint(0, max(0, (good - excellent) // 4))
    return {
        "votes": {
            "excellent": excellent,
            "competent": good - excellent - basic,
            "basic": basic,
            "incompetent": bad,
        }
    }


def _score(rng: random.Random, quality: float) -> int:
    return max(40, min(100, round(rng.gauss(quality, 4))))


def _appraise(rng: random.Random, cadre: Cadre, year: int) -> int:
    """Four quarters and the annual assessment, scored and confirmed; the stars."""
    quality = rng.gauss(85, 6)
    for period in ("q1", "q2", "q3", "q4"):
        scores = {
            k: _score(rng, quality)
            for k in ("party_building", "development", "governance", "service", "integrity")
        }
        a = workflow.appraisal_open(actor=None, cadre=cadre, year=year, period=period)
        workflow.appraisal_input(actor=None, appraisal=a, inputs=scores)
        workflow.appraisal_apply(appraisal_id=a.pk, action="collect", actor=None)
        workflow.appraisal_apply(appraisal_id=a.pk, action="score", actor=None)
    unfit = 0.35 if rng.random() < 0.05 else rng.choice((0.0, 0.0, 0.03, 0.06))
    verdicts = ["fulfilled", "fulfilled", "partly", "unfulfilled"]
    inputs = {
        "pledges": [
            {"title": rng.choice(PLEDGES), "verdict": rng.choice(verdicts[: 2 + (quality < 85)])}
            for _ in range(3)
        ],
        "township": {k: _score(rng, quality) for k in ("tasks", "collective_economy", "stability")},
        "reviews": {
            "party_members": _ballots(rng, quality, unfit),
            "representatives": _ballots(rng, quality, unfit / 2),
            "township_committee": {"scores": [_score(rng, quality) for _ in range(5)]},
        },
        "penalty": rng.random() < 0.03,
    }
    a = workflow.appraisal_open(actor=None, cadre=cadre, year=year, period="annual")
    workflow.appraisal_input(actor=None, appraisal=a, inputs=inputs)
    workflow.appraisal_apply(appraisal_id=a.pk, action="collect", actor=None)
    workflow.appraisal_apply(appraisal_id=a.pk, action="score", actor=None)
    a = workflow.appraisal_apply(appraisal_id=a.pk, action="confirm", actor=None)
    return int(a.stars or 1)


def load_cadres(*, seed: int, clock: Clock) -> Cadring:
    rng = random.Random(seed * 16 + 1)
    today = clock.today
    year = today.year - 1
    pool = _adults(today)
    rng.shuffle(pool)
    units = [u.name for u in Unit.objects.filter(level="county").order_by("code")]
    out = Cadring()
    places = list(Area.objects.filter(level__in=(Level.VILLAGE, Level.COMMUNITY)).order_by("code"))
    secretaries: list[Cadre] = []
    for place in places:
        if place.level == Level.VILLAGE:
            both = place.name == "胡家峪村" or rng.random() < 0.4
            posts = ("secretary", "director") if both else ("secretary",)
            secretaries.append(_cadre(rng, pool, place, posts, today))
            out.both_posts += both
            if not both:
                _cadre(rng, pool, place, ("director",), today)
            for _ in range(rng.randint(2, 3)):
                _cadre(rng, pool, place, ("member",), today)
            _cadre(rng, pool, place, ("reserve",), today)
        else:
            unit = rng.choice(units) if units else "县直单位"
            secretaries.append(
                _cadre(rng, pool, place, ("secretary",), today, Origin.SENT_DOWN, unit)
            )
            for _ in range(7):
                _cadre(rng, pool, place, ("member",), today, Origin.RECRUITED, f"{year - 1}年招聘")
    out.cadres = Cadre.objects.count()
    stars = {n: 0 for n in range(1, 6)}
    for cadre in secretaries:
        stars[_appraise(rng, cadre, year)] += 1
        out.appraised += 1
    out.stars = stars
    for place in places:
        sheet = services.sheet_draw(actor=None, area=place, year=year, month=12)
        services.sheet_confirm(actor=None, sheet=sheet)
        services.sheet_draw(actor=None, area=place, year=year)
        out.sheets += 2
    return out
