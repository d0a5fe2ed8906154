"""Due and overdue visits, from the plan rules and each household's last visit (scoped reads).

One pass over the households in scope: their last visit (one GROUP BY), the planned tags their
active members carry (one query on the keyed tag tokens), the rules, the active primary
pairings. The tag that decided a household's interval is shown only where the actor may see
vulnerability over the household's grid (SECURITY.md 8); otherwise only the interval is.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, QuerySet
from django.utils import timezone

from grassroots.areas.choices import ANCESTOR_COLUMNS
from grassroots.areas.models import Area
from grassroots.areas.scope import scope_for
from grassroots.areas.selectors import area_get
from grassroots.core.models import User
from grassroots.core.params import flag, integer
from grassroots.core.roles import Perm
from grassroots.people.choices import ResidentStatus
from grassroots.people.models import Household, ResidentTag, Tag
from grassroots.people.privacy import tag_token
from grassroots.visits import plans
from grassroots.visits.models import Pairing, PlanRule, Visit

DEFAULT_HORIZON = 30
MAX_HORIZON = 400


@dataclass
class DueRow:
    """One household's next planned visit."""

    household_id: int
    number: str
    address: str
    area_id: int
    area_name: str
    last_visit: datetime.date | None
    interval_days: int
    rule_tag: str | None  # None: hidden (vulnerable tag, no permission) ; "": every household
    due_on: datetime.date
    overdue_days: int
    partner: str
    partner_staff_id: int | None
    distance_km: float | None = None

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


def _rules() -> list[plans.Rule]:
    rows = PlanRule.objects.select_related("area").values_list(
        "area_id", "area__depth", "tag", "interval_days"
    )
    return [plans.Rule(a, d or 0, t, i) for a, d, t, i in rows]


@dataclass
class PlanInputs:
    """What decides the planned visits of a set of households: the rules, the planned tags
    each household's active members carry and each household's last visit."""

    rules: list[plans.Rule]
    tags: dict[int, set[str]]
    last: dict[int, datetime.date]

    def plan_of(
        self, pk: int, created: datetime.datetime, ancestors: Iterable[int | None]
    ) -> tuple[int, str, datetime.date | None, datetime.date] | None:
        """The household's plan: (interval, deciding tag ("" for every household), last
        visit, next due date), None when no rule applies. The one definition of "due" (the
        due list and the kept visit state, `visits.coverage`, both call it)."""
        decided = plans.interval_for(
            ancestors={a for a in ancestors if a}, tags=self.tags.get(pk, ()), rules=self.rules
        )
        if decided is None:
            return None
        interval, tag = decided
        last = self.last.get(pk)
        due = plans.due_on(last_visit=last, since=timezone.localdate(created), interval=interval)
        return interval, tag, last, due


def plan_inputs(households: QuerySet[Household]) -> PlanInputs:
    """The plan inputs of `households` (three queries: the rules, the tags, the last visits)."""
    rules = _rules()
    planned = {r.tag for r in rules if r.tag}
    token_of = {tag_token(code): code for code in planned}
    tags: dict[int, set[str]] = defaultdict(set)
    for hid, token in ResidentTag.objects.filter(
        token__in=list(token_of),
        resident__status=ResidentStatus.ACTIVE,
        resident__household__in=households.values("pk"),
    ).values_list("resident__household_id", "token"):
        tags[hid].add(token_of[token])
    last = dict(
        Visit.objects.filter(household__in=households.values("pk"))
        .values("household_id")
        .annotate(last=Max("visited_on"))
        .values_list("household_id", "last")
    )
    return PlanInputs(rules, tags, last)


def due_rows(
    *,
    actor: User,
    within: Any = None,
    mine: Any = None,
    horizon: Any = None,
    overdue: Any = None,
    lat: float | None = None,
    lon: float | None = None,
    today: datetime.date | None = None,
) -> list[DueRow]:
    """The households in the actor's scope (VIEW_PEOPLE) whose next visit falls within
    `horizon` days (default 30), overdue first (most overdue first), then nearest to
    (`lat`, `lon`) when given, then soonest due. `mine`: only households paired with the actor;
    `overdue`: only overdue ones. Bad parameters are 400s naming them."""
    today = today or timezone.localdate()
    days = integer("horizon", horizon, low=0, high=MAX_HORIZON)
    limit = today + datetime.timedelta(days=DEFAULT_HORIZON if days is None else days)
    scope = scope_for(actor)
    households = scope.filter(Household.objects.all(), Perm.VIEW_PEOPLE, area="area__")
    if within:
        households = households.filter(area_get(actor=actor, pk=within).subtree_q("area__"))
    pairings = Pairing.objects.filter(
        ended_on__isnull=True, primary=True, household__in=households.values("pk")
    )
    if flag("mine", mine):
        households = households.filter(
            pk__in=Pairing.objects.filter(staff=actor, ended_on__isnull=True).values("household_id")
        )
    inputs = plan_inputs(households)
    partners: dict[int, tuple[str, int | None]] = {}
    for p in pairings.select_related("member", "staff"):
        partners[p.household_id] = (p.partner_name, p.staff_id)
    vulnerable = set(Tag.objects.filter(vulnerable=True).values_list("code", flat=True))
    cols = [f"area__{c}_id" for c in ANCESTOR_COLUMNS]
    rows = households.values_list(
        "pk", "number", "dwelling__address", "area_id", "area__name", "created_at",
        "area__centre_lat", "area__centre_lon", *cols,
    )  # fmt: skip
    areas: dict[int, Area] = {}
    out: list[DueRow] = []
    for pk, number, address, area_id, area_name, created, clat, clon, *ancestors in rows:
        decided = inputs.plan_of(pk, created, ancestors)
        if decided is None:
            continue
        interval, tag, last_visit, due = decided
        if due > limit:
            continue
        if tag in vulnerable:
            area = areas.get(area_id)
            if area is None:
                area = areas[area_id] = Area(
                    pk=area_id,
                    **{f"{c}_id": a for c, a in zip(ANCESTOR_COLUMNS, ancestors, strict=True)},
                )
            shown: str | None = tag if scope.covers_area(Perm.VIEW_VULNERABLE, area) else None
        else:
            shown = tag
        partner, staff_id = partners.get(pk, ("", None))
        distance = None
        if lat is not None and lon is not None and clat is not None and clon is not None:
            distance = round(plans.distance_km(lat, lon, clat, clon), 2)
        out.append(
            DueRow(
                pk,
                number,
                address,
                area_id,
                area_name,
                last_visit,
                interval,
                shown,
                due,
                max((today - due).days, 0),
                partner,
                staff_id,
                distance,
            )
        )
    if flag("overdue", overdue):
        out = [r for r in out if r.overdue]
    out.sort(
        key=lambda r: (
            not r.overdue,
            -r.overdue_days,
            r.distance_km if r.distance_km is not None else 0.0,
            r.due_on,
            r.number,
        )
    )
    return out


@dataclass
class DueSummary:
    """Due and overdue households of one grid or one partner."""

    key: str
    label: str
    due: int
    overdue: int


def due_summary(*, rows: list[DueRow], by: str) -> list[DueSummary]:
    """`rows` counted per grid (`by="grid"`) or per paired partner (`by="person"`; households
    without a primary pairing under "未结对")."""
    counts: dict[tuple[str, str], list[int]] = {}
    for r in rows:
        if by == "grid":
            key = (str(r.area_id), r.area_name)
        else:
            key = (r.partner or "-", r.partner or "未结对")
        c = counts.setdefault(key, [0, 0])
        c[0] += 1
        c[1] += r.overdue
    return [
        DueSummary(k, label, due, over)
        for (k, label), (due, over) in sorted(counts.items(), key=lambda kv: (-kv[1][1], kv[0][1]))
    ]
