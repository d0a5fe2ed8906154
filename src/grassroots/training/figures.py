"""The training figures, registered once with the figures registry (docs/training.md).

| name | counts … |
|---|---|
| training_sessions | sessions, on their first day, in their area (county or township) |
| training_person_times | attendances marked present (人次), on the session's first day, where |
| | the person is placed (a cadre's village, a party member's grid) |
| training_hours | hours credited on those attendances (a sum) |
| training_secretaries | party secretaries of villages and communities in post, now |
| training_secretaries_covered | of those, the ones present at a session this year |
| training_secretary_coverage | rate: covered ÷ secretaries (书记培训覆盖率) |
| training_committee / _covered / _coverage | the same for every two-committee member |
| training_short_of_hours | cadres in post whose hours this year are below the requirement |

The coverage figures count the kept state `CadreTrainingYear` (`training.coverage`), rebuilt
by `refresh-figures` and compared with a recomputation by `verify-figures`. Each figure's list
is `/training/rows/?figure=<name>`, which applies exactly the figure's filter.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Max, Q
from django.utils.translation import gettext_lazy as _

from grassroots.figures import registry
from grassroots.figures.choices import Unit
from grassroots.figures.states import rebuilt_stamp
from grassroots.training import coverage
from grassroots.training.choices import Attendance
from grassroots.training.models import CadreTrainingYear, Enrolment, Session

LIST_URL = "training:rows"


def _stamp(model: Any) -> Any:
    def stamp() -> tuple[Any, ...]:
        row = model.objects.aggregate(n=Count("pk"), hi=Max("updated_at"))
        return (row["n"], str(row["hi"]))

    return stamp


def _q(q: Q) -> Any:
    return lambda today: q


def _this_year(q: Q) -> Any:
    return lambda today: q & Q(year=today.year)


PRESENT = Q(status=Attendance.PRESENT)
COVERED = Q(sessions__gt=0)

registry.register_count_source(
    registry.CountSource(
        name="training_sessions",
        rows=Session.objects.all,
        counters=(registry.Counter("training_sessions", "starts_on", _q(Q())),),
        stamp=_stamp(Session),
        list_url=LIST_URL,
    )
)
registry.register_count_source(
    registry.CountSource(
        name="training_enrolments",
        rows=Enrolment.objects.all,
        counters=(
            registry.Counter("training_person_times", "session__starts_on", _q(PRESENT)),
            registry.Counter("training_hours", "session__starts_on", _q(PRESENT), total="hours"),
        ),
        stamp=_stamp(Enrolment),
        list_url=LIST_URL,
    )
)
registry.register_state(
    registry.KeptState(
        name=coverage.STATE,
        stamp=coverage.stamp,
        rebuild=coverage.rebuild,
        expected=coverage.expected,
        stored=coverage.stored,
    )
)
registry.register_count_source(
    registry.CountSource(
        name=coverage.SOURCE,
        rows=CadreTrainingYear.objects.all,
        # every row carries the date of its rebuild (`as_of`): one day per row
        counters=(
            registry.Counter("training_secretaries", "as_of", _this_year(Q(secretary=True))),
            registry.Counter(
                "training_secretaries_covered", "as_of", _this_year(Q(secretary=True) & COVERED)
            ),
            registry.Counter("training_committee", "as_of", _this_year(Q(committee=True))),
            registry.Counter(
                "training_committee_covered", "as_of", _this_year(Q(committee=True) & COVERED)
            ),
            registry.Counter(
                "training_short_of_hours", "as_of", _this_year(Q(hours__lt=F("required")))
            ),
        ),
        stamp=lambda: rebuilt_stamp(coverage.STATE),
        list_url=LIST_URL,
    )
)

registry.register(
    registry.Figure(name="training_sessions", label=_("培训班次"), source="training_sessions"),
    registry.Figure(
        name="training_person_times", label=_("培训人次"), source="training_enrolments"
    ),
    registry.Figure(
        name="training_hours",
        label=_("培训学时"),
        source="training_enrolments",
        unit=Unit.HOURS,
    ),
    *(
        registry.Figure(name=n, label=label, source=coverage.SOURCE, current=True)
        for n, label in (
            ("training_secretaries", _("村（社区）党组织书记")),
            ("training_secretaries_covered", _("已培训书记")),
            ("training_committee", _("两委成员")),
            ("training_committee_covered", _("已培训两委成员")),
            ("training_short_of_hours", _("学时未达标干部")),
        )
    ),
    registry.Figure(
        name="training_secretary_coverage",
        label=_("书记培训覆盖率"),
        source=coverage.SOURCE,
        unit=Unit.RATE,
        numerator="training_secretaries_covered",
        denominator="training_secretaries",
        current=True,
    ),
    registry.Figure(
        name="training_committee_coverage",
        label=_("两委成员培训覆盖率"),
        source=coverage.SOURCE,
        unit=Unit.RATE,
        numerator="training_committee_covered",
        denominator="training_committee",
        current=True,
    ),
)


def figure_names() -> list[str]:
    return [f.name for f in registry.figures() if f.source.startswith("training")]
