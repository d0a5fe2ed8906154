"""The communities' compliance with their county's standard, kept as rows for the figures
(`ComplianceLine`, a kept state; docs/community.md).

One computation: every row is a line of `compliance.checklist(rules_of(standard),
community_facts(community, today))` — the very checklist the community's page shows — for each
community and village whose county has a standard, plus one `whole` line per community (the
whole standard: met when every other line is; its gap names how many lines are not met). A
community whose county has no standard, or whose standard has no line, is not assessed and has
no row.

`refresh-figures` rebuilds the table whole (`rebuild`) when its stamp changed — the standard or
its lines, a post (held, ended, moved), a post type or its duty list, a facility, a service
team member, an area (grids added, moved, renamed) — or the date did (posts and team members
start and end on dates); `verify-figures` compares it with a recomputation (`expected`): a
row that differs under an unchanged stamp is corruption, a changed stamp is lag.

The lines are written in the platform's source language (zh-hans), whatever the language
of the process that rebuilds or verifies them, so a recomputation compares alike.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Min, Sum
from django.utils import translation
from django.utils.translation import gettext as _

from grassroots.areas.choices import ANCESTOR_COLUMNS
from grassroots.areas.models import Area, Duty, Post, PostType
from grassroots.community import compliance
from grassroots.community.choices import CheckKind
from grassroots.community.models import (
    ComplianceLine,
    Facility,
    Standard,
    StandardFacility,
    StandardPost,
    StandardService,
    TeamMember,
)
from grassroots.community.selectors import community_facts, rules_of
from grassroots.community.services.base import COMMUNITY_LEVELS
from grassroots.figures import registry
from grassroots.figures.kept import rows_replaced

STATE = "community_compliance_lines"
SOURCE = "community_compliance"
WHOLE_KEY = "standard"
FIELDS = (
    *ANCESTOR_COLUMNS,
    "position",
    "label",
    "required",
    "found",
    "ok",
    "gap",
    "as_of",
)


def _digest(rows: Any) -> str:
    """A short digest of a small table's rows (the standards' lines, the post types)."""
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()[:16]


def stamp() -> tuple[Any, ...]:
    """Changes with anything the checklist reads: the standards and their lines, the posts
    (count, newest, ended, their places and types), the post types and their duty lists,
    the facilities, the service team, the areas."""
    out: list[Any] = [
        _digest(Standard.objects.order_by("pk").values_list("pk", "county_id", "grids_staffed")),
        _digest(
            StandardPost.objects.order_by("pk").values_list("standard_id", "post_type_id", "count")
        ),
        _digest(
            StandardFacility.objects.order_by("pk").values_list(
                "standard_id", "kind", "min_area_sqm"
            )
        ),
        _digest(StandardService.objects.order_by("pk").values_list("standard_id", "kind")),
        _digest(PostType.objects.order_by("pk").values_list("pk", "code", "name", "role")),
    ]
    p = Post.objects.aggregate(
        n=Count("pk"),
        hi=Max("pk"),
        ended=Count("ended_on"),
        last_end=Max("ended_on"),
        first_end=Min("ended_on"),
        last_start=Max("started_on"),
        areas=Sum("area_id"),
        types=Sum("post_type_id"),
    )
    out += [p[k] for k in sorted(p)]
    d = Duty.objects.aggregate(n=Count("pk"), hi=Max("pk"))
    out += [d["n"], d["hi"]]
    t = TeamMember.objects.aggregate(
        n=Count("pk"),
        hi=Max("pk"),
        ended=Count("ended_on"),
        last_end=Max("ended_on"),
        last_start=Max("started_on"),
    )
    out += [t[k] for k in sorted(t)]
    for model in (Facility, Area):
        row = model.objects.aggregate(n=Count("pk"), hi=Max("updated_at"))
        out += [row["n"], str(row["hi"])]
    return tuple(out)


def lines_of(checklist: compliance.Checklist) -> list[tuple[str, str, str, str, str, bool, str]]:
    """A checklist as rows: (kind, key, label, required, found, ok, gap), its lines in the
    standard's order and then the whole standard's line."""
    rows = [(c.kind, c.key, c.label, c.required, c.found, c.ok, c.gap) for c in checklist.checks]
    total, unmet = len(checklist.checks), len(checklist.gaps)
    rows.append(
        (
            CheckKind.WHOLE,
            WHOLE_KEY,
            _("符合社区建设规范"),
            _("全部 %(n)s 项") % {"n": total},
            _("达标 %(n)s 项") % {"n": checklist.met},
            not unmet,
            _("%(n)s 项未达标") % {"n": unmet} if unmet else "",
        )
    )
    return rows


def computed(today: datetime.date) -> Iterator[dict[str, Any]]:
    """The state's rows as of `today`: every line of every assessed community's checklist
    (one query per county's standard and `community_facts`' five per community)."""
    standards: dict[int | None, compliance.Rules] = {
        s.county_id: rules_of(s)
        for s in Standard.objects.prefetch_related("posts__post_type", "facilities", "services")
    }
    communities = Area.objects.filter(
        level__in=COMMUNITY_LEVELS, county_id__in=list(standards)
    ).order_by("code")
    with translation.override(settings.LANGUAGE_CODE):
        for community in communities:
            checklist = compliance.checklist(
                standards[community.county_id], community_facts(community, today)
            )
            if not checklist.checks:
                continue
            path = {col: getattr(community, f"{col}_id") for col in ANCESTOR_COLUMNS}
            for position, line in enumerate(lines_of(checklist)):
                kind, key, label, required, found, ok, gap = line
                yield {
                    "area_id": community.pk,
                    **path,
                    "position": position,
                    "kind": str(kind),
                    "key": key,
                    "label": str(label)[:100],
                    "required": str(required)[:60],
                    "found": str(found)[:100],
                    "ok": ok,
                    "gap": str(gap),
                    "as_of": today,
                }


def rebuild(today: datetime.date) -> int:
    """Make the state hold `computed(today)`, writing only the rows that differ
    (`figures.kept.rows_replaced`); returns the rows written."""
    return rows_replaced(ComplianceLine, ("area_id", "kind", "key"), FIELDS, list(computed(today)))


def expected(today: datetime.date) -> registry.Stored:
    return {(r["area_id"], r["kind"], r["key"]): {f: r[f] for f in FIELDS} for r in computed(today)}


def stored() -> registry.Stored:
    rows = ComplianceLine.objects.values("area_id", "kind", "key", *FIELDS)
    return {(r["area_id"], r["kind"], r["key"]): {f: r[f] for f in FIELDS} for r in rows}
