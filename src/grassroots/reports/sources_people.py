"""Row sources of the registry and the hotline: residents (by person), households, cases.

Personal numbers are only ever the masked copies (SECURITY.md 10); a ledger needing full ID
numbers is the people app's unmasked export, with its own permission and audit.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grassroots.cases.choices import Channel, State
from grassroots.cases.models import Case
from grassroots.core.roles import Perm
from grassroots.people.models import Household, Resident
from grassroots.reports.catalogue import (
    Column,
    Ctx,
    Filter,
    RowSource,
    attr,
    day,
    display,
    register,
    yes_no,
)


def _choice(name: str, label: Any) -> Column:
    return Column(label, lambda r, c: display(r, name))


register(
    RowSource(
        name="residents",
        label=_("居民（按人）"),
        perm=Perm.VIEW_PEOPLE,
        rows=lambda ctx: Resident.objects.select_related("household", "area"),
        area_prefix="area__",
        order=("area__code", "household__number", "pk"),
        record=lambda r: reverse("people:resident", args=[r.pk]),
        columns={
            "name": Column(_("姓名"), attr("name")),
            "sex": _choice("sex", _("性别")),
            "birth_date": Column(_("出生日期"), attr("birth_date")),
            "id_number": Column(_("公民身份号码（脱敏）"), attr("id_number_masked"), text=True),
            "phone": Column(_("联系电话（脱敏）"), attr("phone_masked"), text=True),
            "household": Column(_("户号"), attr("household.number"), text=True),
            "relation": _choice("relation", _("与户主关系")),
            "ethnicity": Column(_("民族"), attr("ethnicity")),
            "education": _choice("education", _("文化程度")),
            "politics": _choice("politics", _("政治面貌")),
            "employment": _choice("employment", _("就业状况")),
            "status": _choice("status", _("人口状态")),
            "area": Column(_("所属网格"), attr("area.name")),
        },
    )
)


def _members(ctx: Ctx) -> dict[str, Any]:
    return {"n_members": Count("members", distinct=True)}


register(
    RowSource(
        name="households",
        label=_("户"),
        perm=Perm.VIEW_PEOPLE,
        rows=lambda ctx: Household.objects.select_related("head", "dwelling", "area"),
        area_prefix="area__",
        order=("area__code", "number", "pk"),
        record=lambda r: reverse("people:household", args=[r.pk]),
        columns={
            "number": Column(_("户号"), attr("number"), text=True),
            "head": Column(_("户主"), attr("head.name")),
            "address": Column(_("住址"), attr("dwelling.address")),
            "members": Column(
                _("户内人数"), attr("n_members"), unit=_("人"), annotate=_members, number=True
            ),
            "area": Column(_("所属网格"), attr("area.name")),
        },
    )
)


register(
    RowSource(
        name="cases",
        label=_("诉求（按件）"),
        perm=Perm.VIEW_CASES,
        rows=lambda ctx: Case.objects.select_related("matter", "area", "unit"),
        period_field="created_at",
        period_datetime=True,
        order=("created_at", "pk"),
        record=lambda r: reverse("cases:case", args=[r.pk]),
        filters={
            "channel": Filter(_("来源渠道"), dict(Channel.choices), lambda v, c: Q(channel=v)),
            "state": Filter(_("状态"), dict(State.choices), lambda v, c: Q(state=v)),
        },
        columns={
            "number": Column(_("编号"), attr("number"), text=True),
            "created_on": Column(_("登记日期"), lambda r, c: day(r.created_at)),
            "title": Column(_("诉求内容"), attr("title")),
            "matter": Column(_("事项"), attr("matter.name")),
            "channel": _choice("channel", _("来源渠道")),
            "area": Column(_("所在区域"), attr("area.name")),
            "unit": Column(_("承办单位"), attr("unit.name")),
            "state": _choice("state", _("状态")),
            "accepted_on": Column(_("签收日期"), lambda r, c: day(r.accepted_at)),
            "resolved_on": Column(_("办结日期"), lambda r, c: day(r.resolved_at)),
            "overdue": Column(_("是否超期"), lambda r, c: yes_no(r.overdue)),
            "satisfaction": _choice("satisfaction", _("回访满意度")),
        },
    )
)
