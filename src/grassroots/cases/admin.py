"""Configuration of matters, knowledge-base articles and the working calendar.

Saves go through `cases.catalogue`, so every change is validated and audited (history).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext as _

from grassroots.cases import catalogue
from grassroots.cases.choices import LimitUnit
from grassroots.cases.models import Article, CalendarDay, Matter, OfficialYear
from grassroots.core.actors import actor_of
from grassroots.core.admin import ScopedAdmin


class MatterForm(forms.ModelForm[Matter]):
    class Meta:
        model = Matter
        fields = [
            "code", "name", "category", "keywords", "unit", "level", "response_amount",
            "response_unit", "resolution_amount", "resolution_unit", "materials", "description",
            "public", "needs_site_check", "attributes", "escalate_when_overdue", "active",
        ]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for kind in ("response", "resolution"):
            amount, unit = data.get(f"{kind}_amount"), data.get(f"{kind}_unit")
            if unit == LimitUnit.WORKING_DAYS and amount is not None and amount != int(amount):
                self.add_error(f"{kind}_amount", _("工作日时限须为整数"))
        return data


@admin.register(Matter)
class MatterAdmin(ScopedAdmin):
    form = MatterForm
    list_display = ["code", "name", "category", "unit", "level", "public", "active"]
    list_filter = ["level", "category", "public", "active"]
    search_fields = ["code", "name", "keywords", "pinyin"]
    list_select_related = ["unit"]
    raw_id_fields = ["unit"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["code"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Matter, form: Any, change: bool) -> None:
        d = form.cleaned_data
        saved = catalogue.matter_define(
            actor=actor_of(request),
            code=obj.code,
            name=d["name"],
            category=d["category"],
            unit=d["unit"],
            level=d["level"],
            response=(d["response_amount"], d["response_unit"]),
            resolution=(d["resolution_amount"], d["resolution_unit"]),
            keywords=(d.get("keywords") or "").split(),
            materials=d.get("materials") or [],
            description=d.get("description", ""),
            public=d["public"],
            needs_site_check=d["needs_site_check"],
            escalate_when_overdue=d["escalate_when_overdue"],
            active=d["active"],
            attributes=d.get("attributes") or [],
        )
        obj.pk = saved.pk


@admin.register(Article)
class ArticleAdmin(ScopedAdmin):
    list_display = ["title", "matter", "owner", "review_on"]
    search_fields = ["title", "body", "pinyin"]
    list_select_related = ["matter", "owner"]
    raw_id_fields = ["matter"]
    exclude = ["pinyin", "owner"]

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        d = form.cleaned_data
        saved = catalogue.article_define(
            actor=actor_of(request),
            matter=d["matter"],
            title=d["title"],
            body=d["body"],
            review_on=d["review_on"],
            materials=d.get("materials") or [],
            office=d.get("office", ""),
            hours=d.get("hours", ""),
            fees=d.get("fees", ""),
        )
        obj.pk = saved.pk


@admin.register(CalendarDay)
class CalendarDayAdmin(ScopedAdmin):
    """Corrections of the working calendar; years the official data lacks are warned about."""

    list_display = ["date", "is_workday", "note"]
    date_hierarchy = "date"

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        from django.contrib import messages
        from django.utils import timezone

        from grassroots.cases import sla

        for warning in sla.calendar().warnings(timezone.localdate()):
            messages.warning(request, warning)
        return super().changelist_view(request, extra_context)

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: Any, change: bool) -> None:
        d = form.cleaned_data
        saved = catalogue.calendar_set_day(
            actor=actor_of(request),
            date=d["date"],
            is_workday=d["is_workday"],
            note=d.get("note", ""),
        )
        obj.pk = saved.pk


@admin.register(OfficialYear)
class OfficialYearAdmin(ScopedAdmin):
    list_display = ["year"]

    def save_model(self, request: HttpRequest, obj: OfficialYear, form: Any, change: bool) -> None:
        catalogue.calendar_mark_year(actor=actor_of(request), year=form.cleaned_data["year"])
        saved = OfficialYear.objects.get(year=form.cleaned_data["year"])
        obj.pk = saved.pk
