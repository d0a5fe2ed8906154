"""Training coverage (覆盖率): who of the cadres in post has been trained this year.

One definition, used by the page, the API and the figures alike: a cadre **in post** on a day
holds a running term (`cadres.pay.posts_on`); they are **covered** in that day's year when
they were present (出勤) at one or more sessions starting in that year; their **hours** are the
hours credited on those attendances, against the yearly requirement
(`settings.TRAINING_REQUIRED_HOURS`, 24 by default).

`CadreTrainingYear` keeps these rows for the figures (a kept state: `refresh-figures` rebuilds
it whenever a cadre, term, session or enrolment changed, or the date did; `verify-figures`
compares it with a recomputation).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, QuerySet, Sum

from grassroots.areas.choices import ANCESTOR_COLUMNS
from grassroots.cadres import pay as pay_rules
from grassroots.cadres.models import Cadre, Term
from grassroots.cadres.scoring import HUNDRED, q2
from grassroots.figures import registry
from grassroots.figures.kept import rows_replaced
from grassroots.training.choices import Attendance
from grassroots.training.models import CadreTrainingYear, Enrolment, Session

STATE = "training_year"
SOURCE = "training_coverage"
COMMITTEE = frozenset({"secretary", "director", "member"})
FIELDS = (
    "area_id",
    *ANCESTOR_COLUMNS,
    "year",
    "secretary",
    "committee",
    "sessions",
    "hours",
    "required",
    "as_of",
)


def required_hours() -> int:
    """The yearly hours a cadre is asked to complete (configurable in settings)."""
    return int(getattr(settings, "TRAINING_REQUIRED_HOURS", 24))


def stamp() -> tuple[Any, ...]:
    """Changes with any write to a cadre, a term, a session or an enrolment."""
    out: list[Any] = []
    for model, changed in (
        (Cadre, "updated_at"),
        (Session, "updated_at"),
        (Enrolment, "updated_at"),
        (Term, "pk"),
    ):
        row = model.objects.aggregate(n=Count("pk"), hi=Max(changed))
        out += [row["n"], str(row["hi"])]
    return tuple(out)


def attended(cadre_ids: Iterable[int] | None, year: int) -> dict[int, tuple[int, int]]:
    """cadre id → (sessions attended, hours credited) in `year` (one GROUP BY)."""
    qs = Enrolment.objects.filter(
        status=Attendance.PRESENT, session__starts_on__year=year, cadre__isnull=False
    )
    if cadre_ids is not None:
        qs = qs.filter(cadre_id__in=list(cadre_ids))
    rows = qs.values("cadre_id").annotate(n=Count("pk"), h=Sum("hours")).order_by()
    return {r["cadre_id"]: (r["n"], int(r["h"] or 0)) for r in rows}


def computed(cadres: QuerySet[Cadre], day: datetime.date) -> Iterator[dict[str, Any]]:
    """A row per cadre of `cadres` in post on `day`: posts, sessions, hours (three queries)."""
    cadres = cadres.prefetch_related("terms").order_by("id")
    done = attended(None, day.year)
    need = required_hours()
    for cadre in cadres:
        posts = pay_rules.posts_on(
            [pay_rules.Term(t.post, t.started_on, t.ended_on) for t in cadre.terms.all()], day
        )
        if not posts:
            continue
        n, hours = done.get(cadre.pk, (0, 0))
        yield {
            "cadre_id": cadre.pk,
            "area_id": cadre.area_id,
            **{col: getattr(cadre, col) for col in ANCESTOR_COLUMNS},
            "year": day.year,
            "secretary": "secretary" in posts,
            "committee": bool(posts & COMMITTEE),
            "sessions": n,
            "hours": hours,
            "required": need,
            "as_of": day,
        }


def rebuild(today: datetime.date) -> int:
    """Make the state hold the cadres' rows as of `today`, writing only the rows that differ
    (`figures.kept.rows_replaced`); returns the rows written."""
    rows = list(computed(Cadre.objects.all(), today))
    return rows_replaced(CadreTrainingYear, ("cadre_id",), FIELDS, rows)


def expected(today: datetime.date) -> registry.Stored:
    return {
        (r["cadre_id"],): {f: r[f] for f in FIELDS} for r in computed(Cadre.objects.all(), today)
    }


def stored() -> registry.Stored:
    rows = CadreTrainingYear.objects.values("cadre_id", *FIELDS)
    return {(r["cadre_id"],): {f: r[f] for f in FIELDS} for r in rows}


def hours_score(
    cadre_id: int | None, area: Any, start: datetime.date, end: datetime.date
) -> Decimal | None:
    """The cadres' `training_hours` measure: hours credited to the cadre at sessions starting
    from 1 January of `start`'s year up to `end` (exclusive), as a share of the yearly
    requirement, capped at 100. None for no cadre or no requirement."""
    need = required_hours()
    if cadre_id is None or need <= 0:
        return None
    hours = Enrolment.objects.filter(
        cadre_id=cadre_id,
        status=Attendance.PRESENT,
        session__starts_on__gte=datetime.date(start.year, 1, 1),
        session__starts_on__lt=end,
    ).aggregate(h=Sum("hours"))["h"]
    done = min(int(hours or 0), need)
    return q2(Decimal(done) * HUNDRED / need)
