"""The configuration site (/admin/), opened by role instead of Django's is_staff/superuser flags.

System admins configure areas, units and matters; security admins manage accounts and posts;
auditors read the audit log. Each ModelAdmin names the permission it needs (`ScopedAdmin.perm`)
and saves through the services, so admin edits are validated and audited like any other.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from grassroots.areas.scope import scope_for
from grassroots.core.adminsite import ADMIN_PERMS, Site
from grassroots.core.models import AuditEvent, User
from grassroots.core.roles import Perm
from grassroots.core.services import account_unlock


class ScopedAdmin(admin.ModelAdmin[Any]):
    """Visible and editable with `perm`; deletion only where a subclass allows it."""

    perm: str = Perm.MANAGE_AREAS

    def _allowed(self, request: HttpRequest) -> bool:
        return scope_for(request.user).has(self.perm)

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


@admin.register(User)
class UserAdmin(ScopedAdmin):
    """Accounts, read only: they are managed on the /accounts/ pages (`core.accounts`)."""

    perm = Perm.MANAGE_POSTS
    list_display = ["username", "full_name", "is_active", "last_login"]
    search_fields = ["username", "full_name"]
    fields = ["username", "full_name", "is_active", "last_login", "password_changed_at"]
    readonly_fields = ["username", "full_name", "is_active", "last_login", "password_changed_at"]
    actions = ["unlock"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # accounts are created on /accounts/new/ (`core.accounts.account_open`)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> Any:
        from grassroots.core.accounts_selectors import accounts_visible

        return accounts_visible(actor=request.user)  # type: ignore[arg-type]

    @admin.action(description=_("解除登录锁定"))
    def unlock(self, request: HttpRequest, queryset: Any) -> None:
        for user in queryset:
            account_unlock(actor=request.user, username=user.username)  # type: ignore[arg-type]


__all__ = ["ADMIN_PERMS", "ScopedAdmin", "Site"]
