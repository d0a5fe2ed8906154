"""Row sources of the support programmes: relocated households with their entitlements,
training (sessions and attendance), collective-asset problems (清化收) and community
activities. Counts over related rows are annotations of the one ledger query."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from grassroots.assets.choices import Status as AssetStatus
from grassroots.assets.models import Problem
from grassroots.community.choices import ActivityKind
from grassroots.community.models import Activity
from grassroots.core.roles import Perm
from grassroots.relocation.choices import ItemState
from grassroots.relocation.models import RelocatedHousehold
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
)
from grassroots.training.choices import Attendance
from grassroots.training.models import Enrolment, Session

_choice = choice_column
PEOPLE = _("人")


def _items(alias: str, label: Any, q: Q) -> Column:
    return count_column(alias, label, Count("items", filter=q, distinct=True), unit=_("项"))


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
            "members": count_column(
                "n_members", _("户内人数"), Count("household__members", distinct=True), _("人")
            ),
            "items": _items("n_items", _("应享权益"), ~Q(items__state=ItemState.NOT_APPLICABLE)),
            "fulfilled": _items("n_fulfilled", _("已落实"), Q(items__state=ItemState.FULFILLED)),
            "in_progress": _items(
                "n_in_progress", _("落实中"), Q(items__state=ItemState.IN_PROGRESS)
            ),
            "pending": _items("n_pending", _("待落实"), Q(items__state=ItemState.PENDING)),
            "open_items": Column(_("未落实事项"), _open_items, prefetch=("items__entitlement",)),
            "omissions": count_column(
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
    return count_column(alias, label, Count("enrolments", filter=q, distinct=True), unit=unit)


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
            "actions": count_column(
                "n_actions", _("清理措施"), Count("actions", distinct=True), _("次")
            ),
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
            "participants": count_column(
                "n_participants", _("参与人次"), Count("participants", distinct=True), _("人次")
            ),
            "households": count_column(
                "n_households",
                _("参与户数"),
                Count("participants__household", distinct=True),
                _("户"),
            ),
        },
    )
)
