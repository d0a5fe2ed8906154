"""Configuration of group tags (the registry itself is kept through its pages and imports)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from grassroots.core.actors import actor_of
from grassroots.core.admin import ScopedAdmin
from grassroots.people import services
from grassroots.people.models import Tag


@admin.register(Tag)
class TagAdmin(ScopedAdmin):
    list_display = ["code", "name", "vulnerable", "builtin"]
    readonly_fields = ["builtin"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["code", "builtin"] if obj is not None else ["builtin"]

    def save_model(self, request: HttpRequest, obj: Tag, form: Any, change: bool) -> None:
        d = form.cleaned_data
        saved = services.tag_define(
            actor=actor_of(request),
            code=obj.code,
            name=d["name"],
            vulnerable=d["vulnerable"],
            description=d.get("description", ""),
        )
        obj.pk = saved.pk
