"""A community's compliance with its county's standard: a checklist computed from what the
platform holds (posts held, facilities recorded, team members, grids staffed), never a form.

`checklist` is pure: it takes the standard's lines and the community's facts as plain values
and says, line by line, what is required, what was found and the gap. `community_facts` (in
`selectors`) gathers the facts in a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from grassroots.community.choices import CheckKind, FacilityKind, TeamKind


@dataclass(frozen=True)
class Rules:
    """A standard's lines: post type code → (name, count); facility kind → minimum area (m²);
    required team kinds; whether every grid must be staffed."""

    posts: dict[str, tuple[str, int]]
    facilities: dict[str, int]
    services: tuple[str, ...]
    grids_staffed: bool


@dataclass(frozen=True)
class Facts:
    """What the platform holds for one community: active posts held at the community by post
    type code; the largest recorded area of each facility kind; active team kinds; grids with
    no active post (names); post types held in the community without a duty list (names)."""

    posts: dict[str, int]
    facilities: dict[str, int]
    services: frozenset[str]
    unstaffed_grids: tuple[str, ...] = ()
    no_duties: tuple[str, ...] = ()


@dataclass(frozen=True)
class Check:
    """One line of the checklist: met, or the gap in words."""

    kind: str
    key: str
    label: str
    required: str
    found: str
    ok: bool
    gap: str = ""


@dataclass(frozen=True)
class Checklist:
    checks: list[Check] = field(default_factory=list)

    @property
    def gaps(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    @property
    def met(self) -> int:
        return sum(1 for c in self.checks if c.ok)


def checklist(rules: Rules, facts: Facts) -> Checklist:
    """Every line of `rules` against `facts`, in the standard's order: posts, facilities,
    service team, grids."""
    out: list[Check] = []
    for code, (name, count) in rules.posts.items():
        held = facts.posts.get(code, 0)
        out.append(
            Check(
                CheckKind.POST,
                code,
                name,
                _("%(n)s 人") % {"n": count},
                _("%(n)s 人") % {"n": held},
                held >= count,
                "" if held >= count else _("缺 %(n)s 人") % {"n": count - held},
            )
        )
    for kind, minimum in rules.facilities.items():
        label = str(FacilityKind(kind).label)
        area = facts.facilities.get(kind)
        if area is None:
            found, ok, gap = _("未登记"), False, _("未登记该设施")
        elif area < minimum:
            found, ok = _("%(a)s 平方米") % {"a": area}, False
            gap = _("面积差 %(d)s 平方米") % {"d": minimum - area}
        else:
            found, ok, gap = _("%(a)s 平方米") % {"a": area}, True, ""
        need = _("≥ %(a)s 平方米") % {"a": minimum} if minimum else _("有")
        out.append(Check(CheckKind.FACILITY, kind, label, need, found, ok, gap))
    for kind in rules.services:
        ok = kind in facts.services
        out.append(
            Check(
                CheckKind.SERVICE,
                kind,
                str(TeamKind(kind).label),
                _("有"),
                _("有") if ok else _("无"),
                ok,
                "" if ok else _("综合服务队缺该项服务"),
            )
        )
    if rules.grids_staffed:
        gaps = list(facts.unstaffed_grids)
        out.append(
            Check(
                CheckKind.GRIDS,
                "grids",
                _("网格长和网格员配齐"),
                _("每个网格"),
                _("%(n)s 个网格缺人") % {"n": len(gaps)} if gaps else _("已配齐"),
                not gaps,
                "、".join(gaps[:10]) + ("…" if len(gaps) > 10 else ""),
            )
        )
        missing = list(facts.no_duties)
        out.append(
            Check(
                CheckKind.GRIDS,
                "duties",
                _("岗位职责清单"),
                _("每个岗位类型"),
                _("%(n)s 类岗位缺清单") % {"n": len(missing)} if missing else _("已填写"),
                not missing,
                "、".join(missing),
            )
        )
    return Checklist(out)
