"""The county's ledger templates in the admin: a definition the platform cannot fill is refused
naming the field (`LedgerTemplate.clean`); saves go through `services.template_save`, audited;
built-in templates are read only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from grassroots.core.actors import actor_of
from grassroots.core.admin import ScopedAdmin
from grassroots.core.roles import Perm
from grassroots.reports import services
from grassroots.reports.models import LedgerTemplate


@admin.register(LedgerTemplate)
class LedgerTemplateAdmin(ScopedAdmin):
    perm = Perm.MANAGE_REPORT_TEMPLATES
    list_display = ["code", "name", "issuer", "builtin", "active", "updated_at"]
    list_filter = ["builtin", "active"]
    search_fields = ["code", "name", "issuer"]
    fields = ["code", "name", "issuer", "description", "definition"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not (obj and obj.builtin)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["code"] if obj is not None else []

    def save_model(
        self, request: HttpRequest, obj: LedgerTemplate, form: Any, change: bool
    ) -> None:
        d = form.cleaned_data
        saved = services.template_save(
            actor=actor_of(request),
            code=obj.code,
            name=d["name"],
            definition=d["definition"],
            issuer=d.get("issuer", ""),
            description=d.get("description", ""),
        )
        obj.pk = saved.pk
