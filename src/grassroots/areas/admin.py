"""Configuration of the tree, units, post types and posts; every save goes through the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.areas import services
from grassroots.areas.models import Area, Duty, Post, PostType, Unit
from grassroots.areas.scope import scope_for
from grassroots.core.actors import actor_of
from grassroots.core.admin import ScopedAdmin
from grassroots.core.errors import DomainError
from grassroots.core.roles import Perm


class AreaForm(forms.ModelForm[Area]):
    class Meta:
        model = Area
        fields = ["code", "name", "level", "parent", "polygon", "centre_lon", "centre_lat"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            if self.instance.pk is None:
                services.area_validate(
                    code=data.get("code") or "",
                    level=data.get("level") or "",
                    parent=data.get("parent"),
                    polygon=data.get("polygon"),
                )
            else:
                services.area_validate_polygon(data.get("polygon"))
        except DomainError as exc:
            field = str(exc.detail.get("field", "")) or None
            self.add_error(field if field in self.fields else None, str(exc.message))
        return data


@admin.register(Area)
class AreaAdmin(ScopedAdmin):
    form = AreaForm
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    list_select_related = ["parent"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["code", "level"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Area, form: Any, change: bool) -> None:
        d = form.cleaned_data
        centre = (
            (d["centre_lon"], d["centre_lat"])
            if d.get("centre_lon") is not None and d.get("centre_lat") is not None
            else None
        )
        if not change:
            created = services.area_create(
                actor=actor_of(request),
                code=d["code"],
                name=d["name"],
                level=d["level"],
                parent=d.get("parent"),
                polygon=d.get("polygon"),
                centre=centre,
            )
            obj.pk = created.pk
            return
        current = Area.objects.get(pk=obj.pk)
        if "parent" in form.changed_data and d.get("parent") is not None:
            current = services.area_move(
                actor=actor_of(request), area=current, new_parent=d["parent"]
            )
        services.area_update(
            actor=actor_of(request),
            area=current,
            name=d["name"],
            polygon=d.get("polygon") if "polygon" in form.changed_data else ...,
            centre=centre,
        )


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    list_display = ["code", "name", "level", "area", "active"]
    list_filter = ["level", "active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["area"]
    list_select_related = ["area"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["code", "level", "area"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        d = form.cleaned_data
        fields = {k: d.get(k, "") for k in ("name", "short_name", "office_phone", "address")}
        if change:
            services.unit_update(actor=actor_of(request), unit=obj, active=d["active"], **fields)
            return
        created = services.unit_create(
            actor=actor_of(request),
            code=d["code"],
            level=d["level"],
            area=d["area"],
            **fields,
        )
        obj.pk = created.pk


class DutyInline(admin.TabularInline[Duty, PostType]):
    model = Duty
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PostType)
class PostTypeAdmin(ScopedAdmin):
    """Post types and their duty lists (read here; defined with `post_type_define`)."""

    perm = Perm.MANAGE_POSTS
    list_display = ["code", "name", "role"]
    inlines = [DutyInline]
    readonly_fields = ["code", "name", "role", "description"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class PostForm(forms.ModelForm[Post]):
    """Checks a new post with `post_validate` (scope, own posts, 三员分立) before saving."""

    class Meta:
        model = Post
        fields = ["person", "post_type", "area", "unit", "title", "started_on"]

    actor: Any = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk is not None or self.errors:
            return data
        try:
            services.post_validate(
                actor=self.actor,
                person=data["person"],
                post_type=data["post_type"],
                area=data.get("area"),
                unit=data.get("unit"),
                started_on=data["started_on"],
            )
        except DomainError as exc:
            field = str(exc.detail.get("field", "")) or None
            message = str(exc.message)
            if exc.status == 404:
                field, message = None, _("该人员、区域或单位不在您的管理范围内")
            self.add_error(field if field in self.fields else None, message)
        return data


@admin.register(Post)
class PostAdmin(ScopedAdmin):
    """Posts: created and ended only through `post_create` / `post_end` (the same rules as the
    account pages and the API); never edited."""

    perm = Perm.MANAGE_POSTS
    form = PostForm

    def get_queryset(self, request: HttpRequest) -> Any:
        scope = scope_for(request.user)
        posts = super().get_queryset(request)
        return scope.filter(posts, Perm.MANAGE_POSTS, area="area__", unit="unit")

    list_display = ["person", "post_type", "title", "area", "unit", "started_on", "ended_on"]
    list_filter = ["post_type__role", "post_type"]
    search_fields = ["person__username", "person__full_name", "title"]
    raw_id_fields = ["person", "area", "unit"]
    list_select_related = ["person", "post_type", "area", "unit"]
    actions = ["end_today"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return ["ended_on"]
        return ["person", "post_type", "area", "unit", "title", "started_on", "ended_on"]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user  # type: ignore[attr-defined]
        return form

    def save_model(self, request: HttpRequest, obj: Post, form: Any, change: bool) -> None:
        if change:
            return  # a post is ended, never edited: see the "end today" action
        d = form.cleaned_data
        created = services.post_create(
            actor=actor_of(request),
            person=d["person"],
            post_type=d["post_type"],
            area=d.get("area"),
            unit=d.get("unit"),
            title=d.get("title", ""),
            started_on=d["started_on"],
        )
        obj.pk = created.pk

    @admin.action(description=_("结束所选岗位（今日离任）"))
    def end_today(self, request: HttpRequest, queryset: Any) -> None:
        for post in queryset.filter(ended_on__isnull=True).select_related("person", "area", "unit"):
            try:
                services.post_end(actor=actor_of(request), post=post, ended_on=timezone.localdate())
            except DomainError as exc:
                self.message_user(request, f"{post.person}: {exc.message}", messages.ERROR)


# Accounts are configured beside posts; their admin registers itself on import.
from grassroots.areas.accounts import admin as accounts_admin  # noqa: E402, F401
