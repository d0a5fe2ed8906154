"""The community figures, registered once with the figures registry (docs/community.md).

| name | counts … |
|---|---|
| service_centre_area | m² of the recorded party-and-public service centres (a sum, now) |
| enrolled_pupils | registry children enrolled at a school or kindergarten, now |
| medical_staff | staff working at a clinic, now |
| activity_participations | participations in activities (人次), on the session's day |
| class630_households | households reached by the 6:30 class (distinct, over a period) |
| class630_pupils | pupils reached by the 6:30 class (distinct, over a period) |
| liaison_visits | county leaders' visits to liaison stations, on the visit's day |
| liaison_issues | issues collected at those visits, on the visit's day |
| liaison_issues_closed | of those, the ones whose case is closed |
| liaison_closure_rate | rate: liaison_issues_closed ÷ liaison_issues |
| compliance_communities | communities and villages assessed against their county's standard, now |
| compliance_communities_met | of those, the ones meeting every line of it (达标社区数), now |
| compliance_gaps | lines of the standard not met, over the communities assessed (未达标项), now |

The compliance figures count the kept state `ComplianceLine` (`community.compliance_state`:
every line of every community's checklist, plus one line for the whole standard), rebuilt by
`refresh-figures` and compared with a recomputation by `verify-figures`.

Each source's rows carry the community's `AreaPath`; their list is `/community/rows/?figure=…`,
which applies exactly the figure's filter (`Figure.q`), so a figure equals its list.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Max, Q
from django.utils.translation import gettext_lazy as _

from grassroots.cases.choices import State
from grassroots.cases.models import Case
from grassroots.community import compliance_state
from grassroots.community.choices import SCHOOL_KINDS, ActivityKind, CheckKind, FacilityKind
from grassroots.community.models import (
    ComplianceLine,
    Enrolment,
    Facility,
    FacilityStaff,
    LiaisonIssue,
    LiaisonVisit,
    Participant,
)
from grassroots.figures import registry
from grassroots.figures.choices import Unit
from grassroots.figures.states import rebuilt_stamp

LIST_URL = "community:rows"


def _stamp(model: Any, changed: str = "") -> Any:
    def stamp() -> tuple[Any, ...]:
        agg = {"n": Count("pk"), "hi": Max("pk")}
        if changed:
            agg["at"] = Max(changed)
        row = model.objects.aggregate(**agg)
        return tuple(row[k] for k in sorted(row))

    return stamp


def _active(start: str, end: str) -> Any:
    def q(today: datetime.date) -> Q:
        return Q(**{f"{start}__lte": today}) & (
            Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": today})
        )

    return q


def _issues_stamp() -> tuple[Any, ...]:
    """Issues, and the state changes of their cases (closure happens in the case engine)."""
    own = _stamp(LiaisonIssue)()
    cases = Case.objects.filter(liaison_issue__isnull=False).aggregate(at=Max("updated_at"))
    return (*own, cases["at"])


registry.register_count_source(
    registry.CountSource(
        name="community_facilities",
        rows=Facility.objects.all,
        counters=(
            registry.Counter(
                "service_centre_area",
                "recorded_on",
                lambda today: Q(kind=FacilityKind.SERVICE_CENTRE),
                total="area_sqm",
            ),
        ),
        stamp=_stamp(Facility, "updated_at"),
        list_url=LIST_URL,
    )
)
registry.register_count_source(
    registry.CountSource(
        name="community_enrolments",
        rows=Enrolment.objects.all,
        counters=(
            registry.Counter(
                "enrolled_pupils",
                "enrolled_on",
                lambda today: (
                    _active("enrolled_on", "left_on")(today) & Q(facility__kind__in=SCHOOL_KINDS)
                ),
            ),
        ),
        stamp=_stamp(Enrolment, "updated_at"),
        list_url=LIST_URL,
    )
)
registry.register_count_source(
    registry.CountSource(
        name="community_facility_staff",
        rows=FacilityStaff.objects.all,
        counters=(
            registry.Counter(
                "medical_staff",
                "started_on",
                lambda today: (
                    _active("started_on", "ended_on")(today) & Q(facility__kind=FacilityKind.CLINIC)
                ),
            ),
        ),
        stamp=_stamp(FacilityStaff, "updated_at"),
        list_url=LIST_URL,
    )
)
registry.register_count_source(
    registry.CountSource(
        name="community_participants",
        rows=Participant.objects.all,
        counters=(
            registry.Counter("activity_participations", "activity__held_on", lambda t: Q()),
            registry.Counter(
                "class630_participations",
                "activity__held_on",
                lambda today: Q(activity__kind=ActivityKind.CLASS_630),
            ),
            registry.Counter(
                "class630_pupil_participations",
                "activity__held_on",
                lambda today: Q(activity__kind=ActivityKind.CLASS_630, pupil=True),
            ),
        ),
        stamp=_stamp(Participant),
        list_url=LIST_URL,
    )
)
registry.register_count_source(
    registry.CountSource(
        name="community_liaison_visits",
        rows=LiaisonVisit.objects.all,
        counters=(registry.Counter("liaison_visits", "visited_on", lambda t: Q()),),
        stamp=_stamp(LiaisonVisit),
        list_url=LIST_URL,
    )
)
registry.register_count_source(
    registry.CountSource(
        name="community_liaison_issues",
        rows=LiaisonIssue.objects.all,
        counters=(
            registry.Counter("liaison_issues", "collected_on", lambda t: Q()),
            registry.Counter(
                "liaison_issues_closed", "collected_on", lambda t: Q(case__state=State.CLOSED)
            ),
        ),
        stamp=_issues_stamp,
        list_url=LIST_URL,
    )
)
registry.register_state(
    registry.KeptState(
        name=compliance_state.STATE,
        stamp=compliance_state.stamp,
        rebuild=compliance_state.rebuild,
        expected=compliance_state.expected,
        stored=compliance_state.stored,
    )
)
WHOLE = Q(kind=CheckKind.WHOLE)
registry.register_count_source(
    registry.CountSource(
        name=compliance_state.SOURCE,
        rows=ComplianceLine.objects.all,
        # every row carries the date of its rebuild (`as_of`): one day per row
        counters=(
            registry.Counter("compliance_communities", "as_of", lambda t: WHOLE),
            registry.Counter("compliance_communities_met", "as_of", lambda t: WHOLE & Q(ok=True)),
            registry.Counter("compliance_gaps", "as_of", lambda t: ~WHOLE & Q(ok=False)),
        ),
        stamp=lambda: rebuilt_stamp(compliance_state.STATE),
        list_url=LIST_URL,
    )
)

registry.register(
    registry.Figure(
        name="service_centre_area",
        label=_("党群服务中心面积"),
        source="community_facilities",
        unit=Unit.SQUARE_METRES,
        current=True,
    ),
    registry.Figure(
        name="enrolled_pupils",
        label=_("在校学生"),
        source="community_enrolments",
        current=True,
    ),
    registry.Figure(
        name="medical_staff",
        label=_("卫生室医护人员"),
        source="community_facility_staff",
        current=True,
    ),
    registry.Figure(
        name="activity_participations", label=_("活动参与人次"), source="community_participants"
    ),
    registry.Figure(
        name="class630_households",
        label=_("六点半课堂覆盖户数"),
        source="community_participants",
        of="class630_participations",
        distinct="household_id",
    ),
    registry.Figure(
        name="class630_pupils",
        label=_("六点半课堂覆盖学生"),
        source="community_participants",
        of="class630_pupil_participations",
        distinct="resident_id",
    ),
    registry.Figure(
        name="liaison_visits", label=_("县领导进站次数"), source="community_liaison_visits"
    ),
    registry.Figure(name="liaison_issues", label=_("收集问题"), source="community_liaison_issues"),
    registry.Figure(
        name="liaison_issues_closed", label=_("办结问题"), source="community_liaison_issues"
    ),
    registry.Figure(
        name="liaison_closure_rate",
        label=_("问题办结率"),
        source="community_liaison_issues",
        unit=Unit.RATE,
        numerator="liaison_issues_closed",
        denominator="liaison_issues",
    ),
    registry.Figure(
        name="compliance_communities",
        label=_("参评社区数"),
        source=compliance_state.SOURCE,
        current=True,
    ),
    registry.Figure(
        name="compliance_communities_met",
        label=_("达标社区数"),
        source=compliance_state.SOURCE,
        current=True,
    ),
    registry.Figure(
        name="compliance_gaps",
        label=_("未达标项"),
        source=compliance_state.SOURCE,
        current=True,
    ),
)
