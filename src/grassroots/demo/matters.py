"""The matter catalogue (87 matters of 27 units), its knowledge base and the working calendar.

Written through `cases.catalogue` (actor: the system), from the plain data of
`cases.catalogue_data`. The official holiday schedules of 2024–2026 are packaged with
`chinese_calendar`, so those years are recorded as entered; 2027 is left open, so the admins see
the warning to enter it once the State Council publishes it.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.utils import timezone

from grassroots.areas.models import Unit
from grassroots.cases import catalogue_data as cd
from grassroots.cases.catalogue import article_define, calendar_mark_year, matter_define
from grassroots.cases.models import Article, Matter

ENTERED_YEARS = (2024, 2025, 2026)


@dataclass
class Catalogue:
    """The loaded matters and articles, by matter code."""

    matters: dict[str, Matter] = field(default_factory=dict)
    articles: dict[str, list[Article]] = field(default_factory=dict)


def _review_day(rng: random.Random, year: int) -> datetime.date:
    return datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))


def load_catalogue(
    *, county_units: list[Unit], rng: random.Random, review_year: int | None = None
) -> Catalogue:
    """Every matter of `catalogue_data.MATTERS`, owned by the county unit with its short name,
    every article of `ARTICLES` (due for review in `review_year`, by default next year), and
    the entered calendar years.

    Raises KeyError when a matter names a unit that is not among `county_units`.
    """
    cd.check_catalogue()
    if review_year is None:
        review_year = timezone.localdate().year + 1
    units = {u.short_name: u for u in county_units}
    catalogue = Catalogue()
    for spec in cd.MATTERS:
        catalogue.matters[spec.code] = matter_define(
            actor=None,
            code=spec.code,
            name=spec.name,
            category=spec.category,
            unit=units[spec.unit],
            level=spec.level,
            response=(float(spec.response_limit[0]), spec.response_limit[1]),
            resolution=(float(spec.resolution_limit[0]), spec.resolution_limit[1]),
            keywords=spec.keywords,
            materials=spec.materials,
            description=spec.description,
            public=spec.public,
            needs_site_check=spec.needs_site_check,
        )
    for a in cd.ARTICLES:
        article = article_define(
            actor=None,
            matter=catalogue.matters[a.matter],
            title=a.title,
            body=a.body,
            review_on=_review_day(rng, review_year),
            materials=a.materials,
            office=a.office,
            hours=a.hours,
            fees=a.fees,
        )
        catalogue.articles.setdefault(a.matter, []).append(article)
    for year in ENTERED_YEARS:
        calendar_mark_year(actor=None, year=year)
    return catalogue
