"""Accounts in the configuration site: read only, within the administrator's scope."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from grassroots.areas.accounts.selectors import accounts_visible
from grassroots.areas.accounts.services import account_unlock
from grassroots.core.actors import actor_of
from grassroots.core.admin import ScopedAdmin
from grassroots.core.models import User
from grassroots.core.roles import Perm


@admin.register(User)
class UserAdmin(ScopedAdmin):
    """Accounts, read only: they are managed on the /accounts/ pages (`areas.accounts`)."""

    perm = Perm.MANAGE_POSTS
    list_display = ["username", "full_name", "is_active", "last_login"]
    search_fields = ["username", "full_name"]
    fields = ["username", "full_name", "is_active", "last_login", "password_changed_at"]
    readonly_fields = ["username", "full_name", "is_active", "last_login", "password_changed_at"]
    actions = ["unlock"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # accounts are created on /accounts/new/ (`accounts.services.account_open`)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> Any:
        return accounts_visible(actor=actor_of(request))

    @admin.action(description=_("解除登录锁定"))
    def unlock(self, request: HttpRequest, queryset: Any) -> None:
        for user in queryset:
            account_unlock(actor=actor_of(request), username=user.username)
