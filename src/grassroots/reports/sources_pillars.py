"""Row sources of the pillar apps: visits, disputes, cadres, relocated households and their
entitlements, training sessions, collective-asset problems (清化收) and community activities.

Counts over related rows are annotations of the one ledger query (`Count(..., distinct=True)`
so two counts on one row never multiply each other); lists of related rows are prefetched.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from grassroots.assets.choices import Status as AssetStatus
from grassroots.assets.models import Problem
from grassroots.cadres.choices import Period as AppraisalPeriod
from grassroots.cadres.choices import Post as CadrePost
from grassroots.cadres.models import Appraisal, Cadre, Term
from grassroots.community.choices import ActivityKind
from grassroots.community.models import Activity
from grassroots.core.roles import Perm
from grassroots.disputes.choices import Risk
from grassroots.disputes.choices import State as DisputeState
from grassroots.disputes.models import Dispute
from grassroots.relocation.choices import ItemState
from grassroots.relocation.models import RelocatedHousehold
from grassroots.reports.catalogue import (
    Column,
    Ctx,
    Filter,
    RowSource,
    attr,
    display,
    register,
    yes_no,
)
from grassroots.training.choices import Attendance
from grassroots.training.models import Enrolment, Session
from grassroots.visits.models import Visit


def _choice(name: str, label: Any) -> Column:
    return Column(label, lambda r, c: display(r, name))


PIECES, PEOPLE = _("件"), _("人")


def _count(alias: str, label: Any, expr: Any, unit: Any = PIECES) -> Column:
    """A column counting related rows: `expr` is the aggregate, read back as `alias`."""
    return Column(label, attr(alias), unit=unit, annotate=lambda c: {alias: expr}, number=True)


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
            "met": _count("n_met", _("见面人数"), Count("met", distinct=True), unit=_("人")),
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
            "parties": _count("n_parties", _("当事人数"), Count("parties", distinct=True), _("人")),
            "risk": _choice("risk", _("风险等级")),
            "found_via": _choice("found_via", _("发现途径")),
            "mediations": _count(
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


def _items(alias: str, label: Any, q: Q) -> Column:
    return _count(alias, label, Count("items", filter=q, distinct=True), unit=_("项"))


def _open_items(row: Any, ctx: Ctx) -> str:
    names = sorted(
        {
            str(i.entitlement.name)
            for i in row.items.all()
            if i.state in (ItemState.PENDING, ItemState.IN_PROGRESS)
        }
    )
    return "、".join(names)


register(
    RowSource(
        name="relocated_households",
        label=_("易地搬迁户（按户，含权益清单）"),
        perm=Perm.VIEW_PEOPLE,
        rows=lambda ctx: RelocatedHousehold.objects.select_related(
            "household__head", "household__dwelling", "origin_village", "area", "helper__person"
        ),
        order=("area__code", "household__number", "pk"),
        record=lambda r: reverse("relocation:household", args=[r.pk]),
        columns={
            "household": Column(_("户号"), attr("household.number"), text=True),
            "head": Column(_("户主"), attr("household.head.name")),
            "address": Column(_("安置住址"), attr("household.dwelling.address")),
            "origin": Column(_("迁出村"), attr("origin_village.name")),
            "year": Column(_("搬迁年度"), attr("relocated_year")),
            "batch": Column(_("批次"), attr("batch")),
            "members": _count(
                "n_members", _("户内人数"), Count("household__members", distinct=True), _("人")
            ),
            "items": _items("n_items", _("应享权益"), ~Q(items__state=ItemState.NOT_APPLICABLE)),
            "fulfilled": _items("n_fulfilled", _("已落实"), Q(items__state=ItemState.FULFILLED)),
            "in_progress": _items(
                "n_in_progress", _("落实中"), Q(items__state=ItemState.IN_PROGRESS)
            ),
            "pending": _items("n_pending", _("待落实"), Q(items__state=ItemState.PENDING)),
            "open_items": Column(_("未落实事项"), _open_items, prefetch=("items__entitlement",)),
            "omissions": _count(
                "n_omissions",
                _("未关闭漏项"),
                Count("omissions", filter=Q(omissions__closed_on__isnull=True), distinct=True),
                _("项"),
            ),
            "helper": Column(_("帮扶责任人"), attr("helper.person.full_name")),
            "land_mu": Column(_("原承包地（亩）"), attr("land_mu"), number=True),
            "land_trustee": Column(_("土地托管方"), attr("land_trustee")),
        },
    )
)


def _session_counts(alias: str, label: Any, q: Q, unit: Any = PEOPLE) -> Column:
    return _count(alias, label, Count("enrolments", filter=q, distinct=True), unit=unit)


register(
    RowSource(
        name="training_sessions",
        label=_("培训班次（按期）"),
        perm=Perm.VIEW_CADRES,
        rows=lambda ctx: Session.objects.select_related("area"),
        period_field="starts_on",
        order=("starts_on", "pk"),
        record=lambda r: reverse("training:session", args=[r.pk]),
        columns={
            "title": Column(_("培训名称"), attr("title")),
            "theme": Column(_("培训主题"), attr("theme")),
            "series": Column(_("系列"), attr("series")),
            "mode": _choice("mode", _("培训方式")),
            "delivery": _choice("delivery", _("线上/线下")),
            "starts_on": Column(_("开始日期"), attr("starts_on")),
            "ends_on": Column(_("结束日期"), attr("ends_on")),
            "hours": Column(_("学时"), attr("hours"), unit=_("学时")),
            "organiser": Column(_("主办单位"), attr("organiser")),
            "target": _choice("target", _("培训对象")),
            "venue": Column(_("培训地点"), attr("venue")),
            "enrolled": _session_counts("n_enrolled", _("应参训"), Q(enrolments__isnull=False)),
            "present": _session_counts(
                "n_present", _("实参训"), Q(enrolments__status=Attendance.PRESENT), _("人次")
            ),
            "leave": _session_counts("n_leave", _("请假"), Q(enrolments__status=Attendance.LEAVE)),
            "absent": _session_counts(
                "n_absent", _("缺勤"), Q(enrolments__status=Attendance.ABSENT)
            ),
        },
    )
)


register(
    RowSource(
        name="training_enrolments",
        label=_("参训记录（按人次）"),
        perm=Perm.VIEW_CADRES,
        rows=lambda ctx: Enrolment.objects.select_related("session", "resident", "area"),
        period_field="session__starts_on",
        order=("area__code", "resident__name", "session__starts_on", "pk"),
        record=lambda r: reverse("training:session", args=[r.session_id]),
        filters={
            "status": Filter(_("出勤情况"), dict(Attendance.choices), lambda v, c: Q(status=v)),
            "who": Filter(
                _("参训对象"),
                {"cadres": _("村（社区）干部"), "others": _("其他党员")},
                lambda v, c: Q(cadre__isnull=(v != "cadres")),
            ),
        },
        columns={
            "name": Column(_("姓名"), attr("resident.name")),
            "area": Column(_("村（社区）"), attr("area.name")),
            "session": Column(_("培训名称"), attr("session.title")),
            "mode": Column(_("培训方式"), lambda r, c: display(r.session, "mode")),
            "delivery": Column(_("线上/线下"), lambda r, c: display(r.session, "delivery")),
            "starts_on": Column(_("开始日期"), attr("session.starts_on")),
            "ends_on": Column(_("结束日期"), attr("session.ends_on")),
            "organiser": Column(_("主办单位"), attr("session.organiser")),
            "status": _choice("status", _("出勤情况")),
            "hours": Column(_("认定学时"), attr("hours"), unit=_("学时"), number=True),
        },
    )
)


def _township(row: Any, ctx: Ctx) -> str:
    return str(row.area.parent.name) if row.area.parent_id else ""


register(
    RowSource(
        name="asset_problems",
        label=_("集体资产问题（清化收，按项）"),
        perm=Perm.VIEW_ASSETS,
        rows=lambda ctx: Problem.objects.select_related("area__parent", "asset"),
        period_field="found_on",
        order=("area__code", "found_on", "pk"),
        record=lambda r: reverse("assets:home") + "?" + urlencode({"within": r.area_id}),
        filters={
            "status": Filter(_("清理状态"), dict(AssetStatus.choices), lambda v, c: Q(status=v)),
        },
        columns={
            "township": Column(_("乡镇"), _township),
            "area": Column(_("村（社区）"), attr("area.name")),
            "asset": Column(_("资产名称"), attr("asset.name")),
            "kind": _choice("kind", _("问题类型")),
            "title": Column(_("问题"), attr("title")),
            "found_on": Column(_("发现日期"), attr("found_on")),
            "area_mu": Column(_("涉及面积"), attr("area_mu"), unit=_("亩"), number=True),
            "amount_yuan": Column(_("涉及金额"), attr("amount_yuan"), unit=_("元"), number=True),
            "status": _choice("status", _("清理状态")),
            "actions": _count("n_actions", _("清理措施"), Count("actions", distinct=True), _("次")),
            "resolved_on": Column(_("化解日期"), attr("resolved_on")),
            "recovered_mu": Column(_("收回面积"), attr("recovered_mu"), unit=_("亩"), number=True),
            "recovered_yuan": Column(
                _("收回金额"), attr("recovered_yuan"), unit=_("元"), number=True
            ),
        },
    )
)


register(
    RowSource(
        name="activities",
        label=_("社区活动（按场）"),
        perm=Perm.VIEW_AREAS,
        rows=lambda ctx: Activity.objects.select_related("area"),
        period_field="held_on",
        order=("held_on", "pk"),
        record=lambda r: reverse("community:page", args=[r.area_id]),
        filters={"kind": Filter(_("活动类型"), dict(ActivityKind.choices), lambda v, c: Q(kind=v))},
        columns={
            "held_on": Column(_("活动日期"), attr("held_on")),
            "title": Column(_("活动名称"), attr("title")),
            "kind": _choice("kind", _("活动类型")),
            "area": Column(_("社区"), attr("area.name")),
            "place": Column(_("地点"), attr("place")),
            "organiser": Column(_("组织者"), attr("organiser")),
            "participants": _count(
                "n_participants", _("参与人次"), Count("participants", distinct=True), _("人次")
            ),
            "households": _count(
                "n_households",
                _("参与户数"),
                Count("participants__household", distinct=True),
                _("户"),
            ),
        },
    )
)
