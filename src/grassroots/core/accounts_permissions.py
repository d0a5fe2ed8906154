"""The API's hold on accounts that must change their password (PasswordChangeRequiredMiddleware).

Kept apart from the API views: DRF imports its default permission classes while
`rest_framework.views` itself is loading, so this module imports nothing from the views.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.request import Request

from grassroots.core import accounts
from grassroots.core.errors import AccountErrorCode
from grassroots.core.models import User


class PasswordCurrent(permissions.BasePermission):
    """Refuses every API call (403 ``password_change_required``) of an account that must change
    its password first; `POST /api/v1/me/password/` and the token exchange stay open."""

    code = AccountErrorCode.PASSWORD_CHANGE_REQUIRED
    message = _("请先修改密码")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not isinstance(user, User) or not user.is_authenticated:
            return True
        return not accounts.password_change_required(user)
