"""Row sources of the pillar apps' casework: home visits, disputes and village cadres (their
appraisal and training hours); the support programmes are in `sources_support`.

Counts over related rows are annotations of the one ledger query (`Count(..., distinct=True)`
so two counts on one row never multiply each other); lists of related rows are prefetched.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grassroots.cadres.choices import Period as AppraisalPeriod
from grassroots.cadres.choices import Post as CadrePost
from grassroots.cadres.models import Appraisal, Cadre, Term
from grassroots.core.roles import Perm
from grassroots.disputes.choices import Risk
from grassroots.disputes.choices import State as DisputeState
from grassroots.disputes.models import Dispute
from grassroots.reports.catalogue import (
    Column,
    Ctx,
    Filter,
    RowSource,
    attr,
    choice_column,
    count_column,
    display,
    register,
    yes_no,
)
from grassroots.training.choices import Attendance
from grassroots.visits.models import Visit

_choice = choice_column


register(
    RowSource(
        name="visits",
        label=_("入户走访（按次）"),
        perm=Perm.VIEW_PEOPLE,
        rows=lambda ctx: Visit.objects.select_related(
            "household__dwelling", "household__head", "area", "visitor", "member", "case"
        ),
        period_field="visited_on",
        order=("visited_on", "pk"),
        record=lambda r: reverse("visits:visit", args=[r.pk]),
        columns={
            "visited_on": Column(_("走访日期"), attr("visited_on")),
            "household": Column(_("户号"), attr("household.number"), text=True),
            "head": Column(_("户主"), attr("household.head.name")),
            "address": Column(_("住址"), attr("household.dwelling.address")),
            "area": Column(_("所属网格"), attr("area.name")),
            "visitor": Column(_("走访人"), attr("visitor.full_name")),
            "member": Column(_("联户党员"), attr("member.name")),
            "met": count_column("n_met", _("见面人数"), Count("met", distinct=True), unit=_("人")),
            "all_well": Column(_("情况正常"), lambda r, c: yes_no(r.all_well)),
            "needs": Column(_("群众诉求"), attr("needs")),
            "risks": Column(_("风险隐患"), attr("risks")),
            "opinions": Column(_("意见建议"), attr("opinions")),
            "case": Column(_("转办诉求编号"), attr("case.number"), text=True),
        },
    )
)


register(
    RowSource(
        name="disputes",
        label=_("矛盾纠纷（按件）"),
        perm=Perm.VIEW_DISPUTES,
        rows=lambda ctx: Dispute.objects.select_related("area"),
        period_field="found_on",
        order=("found_on", "pk"),
        record=lambda r: reverse("disputes:dispute", args=[r.pk]),
        filters={
            "state": Filter(_("状态"), dict(DisputeState.choices), lambda v, c: Q(state=v)),
            "risk": Filter(_("风险等级"), dict(Risk.choices), lambda v, c: Q(risk=v)),
        },
        columns={
            "number": Column(_("编号"), attr("number"), text=True),
            "found_on": Column(_("排查日期"), attr("found_on")),
            "area": Column(_("所在村（社区）"), attr("area.name")),
            "kind": _choice("kind", _("纠纷类型")),
            "summary": Column(_("简要情况"), attr("summary")),
            "parties": count_column(
                "n_parties", _("当事人数"), Count("parties", distinct=True), _("人")
            ),
            "risk": _choice("risk", _("风险等级")),
            "found_via": _choice("found_via", _("发现途径")),
            "mediations": count_column(
                "n_mediations", _("调解次数"), Count("mediations", distinct=True), _("次")
            ),
            "level": _choice("level", _("当前层级")),
            "state": _choice("state", _("化解状态")),
            "settled_level": _choice("settled_level", _("化解层级")),
            "settled_on": Column(_("化解日期"), attr("settled_on")),
            "closed_on": Column(_("终结日期"), attr("closed_on")),
        },
    )
)


def _as_of(ctx: Ctx) -> datetime.date:
    """The day a "who holds the post" question is asked for: the period's last day, or today
    when the period has not ended."""
    today = ctx.clock.date()
    if ctx.period.end is None:
        return today
    return min(today, ctx.period.end - datetime.timedelta(days=1))


def _in_post(ctx: Ctx, post: str) -> Q:
    day = _as_of(ctx)
    terms = Term.objects.filter(cadre=OuterRef("pk"), post=post, started_on__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day)
    )
    return Q(Exists(terms))


def _annual(ctx: Ctx, field: str) -> dict[str, Any]:
    year = ctx.period.year or ctx.clock.year
    rows = Appraisal.objects.filter(
        cadre=OuterRef("pk"), year=year, period=AppraisalPeriod.ANNUAL
    ).order_by("-pk")
    return {f"annual_{field}": Subquery(rows.values(field)[:1])}


def _grade(row: Any, ctx: Ctx) -> str:
    from grassroots.cadres.choices import Grade

    value = getattr(row, "annual_grade", None)
    return str(dict(Grade.choices).get(value, "")) if value else ""


def _trained_hours(ctx: Ctx) -> dict[str, Any]:
    q = Q(enrolments__status=Attendance.PRESENT)
    if ctx.period.start is not None:
        q &= Q(enrolments__session__starts_on__gte=ctx.period.start)
        q &= Q(enrolments__session__starts_on__lt=ctx.period.end)
    return {"trained_hours": Coalesce(Sum("enrolments__hours", filter=q), 0)}


def _both_posts(row: Any, ctx: Ctx) -> str:
    return yes_no(bool(row.is_secretary and row.is_director))


def _cadre_rows(ctx: Ctx) -> Any:
    return Cadre.objects.select_related("resident", "area").annotate(
        is_secretary=_in_post(ctx, CadrePost.SECRETARY),
        is_director=_in_post(ctx, CadrePost.DIRECTOR),
    )


register(
    RowSource(
        name="cadres",
        label=_("村（社区）干部（按人）"),
        perm=Perm.VIEW_CADRES,
        rows=_cadre_rows,
        order=("area__code", "pk"),
        period_field="-",  # the period chooses the appraisal year and the training, not rows
        record=lambda r: reverse("cadres:cadre", args=[r.pk]),
        filters={
            "post": Filter(
                _("现任职务"),
                {k: v for k, v in CadrePost.choices},
                lambda v, c: _in_post(c, v),
            ),
        },
        columns={
            "name": Column(_("姓名"), attr("resident.name")),
            "sex": Column(_("性别"), lambda r, c: display(r.resident, "sex")),
            "birth_date": Column(_("出生日期"), attr("resident.birth_date")),
            "politics": Column(_("政治面貌"), lambda r, c: display(r.resident, "politics")),
            "education": Column(_("文化程度"), lambda r, c: display(r.resident, "education")),
            "area": Column(_("村（社区）"), attr("area.name")),
            "origin": _choice("origin", _("来源")),
            "both_posts": Column(_("是否“一肩挑”"), _both_posts),
            "annual_total": Column(
                _("年度考核得分"),
                attr("annual_total"),
                unit=_("分"),
                annotate=lambda c: _annual(c, "total"),
                perm=Perm.VIEW_CADRE_SCORES,
            ),
            "annual_grade": Column(
                _("年度考核等次"),
                _grade,
                annotate=lambda c: _annual(c, "grade"),
                perm=Perm.VIEW_CADRE_SCORES,
            ),
            "annual_stars": Column(
                _("星级"),
                attr("annual_stars"),
                unit=_("星"),
                annotate=lambda c: _annual(c, "stars"),
                perm=Perm.VIEW_CADRE_SCORES,
            ),
            "trained_hours": Column(
                _("参训学时"),
                attr("trained_hours"),
                unit=_("学时"),
                annotate=_trained_hours,
                number=True,
            ),
        },
    )
)
