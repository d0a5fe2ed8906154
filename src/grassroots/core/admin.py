"""The configuration site (/admin/), opened by role instead of Django's is_staff/superuser flags.

System admins configure areas, units and matters; security admins manage accounts and posts;
auditors read the audit log. Each ModelAdmin names the permission it needs (`ScopedAdmin.perm`)
and saves through the services, so admin edits are validated and audited like any other.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from grassroots.core.adminsite import ADMIN_PERMS, Site
from grassroots.core.models import AuditEvent
from grassroots.core.perms import has_perm
from grassroots.core.roles import Perm


class ScopedAdmin(admin.ModelAdmin[Any]):
    """Visible and editable with `perm`; deletion only where a subclass allows it."""

    perm: str = Perm.MANAGE_AREAS

    def _allowed(self, request: HttpRequest) -> bool:
        return has_perm(request.user, self.perm)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ScopedAdmin):
    perm = Perm.VIEW_AUDIT
    list_display = ["at", "actor_name", "action", "object_type", "object_id", "result", "source"]
    list_filter = ["action", "result"]
    search_fields = ["actor_name", "object_id"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


__all__ = ["ADMIN_PERMS", "ScopedAdmin", "Site"]
