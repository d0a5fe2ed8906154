"""The API's first gate: the right a write needs, checked before its body is read.

An API view names, per HTTP method, the permission (`core.roles.Perm`) that a caller must hold
through some post to use it at all (`method_perms = {"POST": Perm.EDIT_PEOPLE}`). `HoldsRight`,
one of the API's default permission classes, refuses a caller who holds it nowhere with the
same 403 `forbidden` a service raises — before the body is parsed, so a persona without the right
learns nothing from field errors (SECURITY.md 9; "403 before 400"). Whether the right reaches the
object (its area or unit) is still the selector's and the service's to decide: out of scope stays
404.

Kept apart from the API views: DRF imports its default permission classes while
`rest_framework.views` itself is loading, so this module imports nothing from the views.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import permissions
from rest_framework.request import Request

from grassroots.core.perms import require_perm


def method_perm(view: Any, method: str) -> str | None:
    """The permission `view` names for `method`, or None when it names none."""
    table: Mapping[str, str] = getattr(view, "method_perms", None) or {}
    return table.get(method.upper())


class HoldsRight(permissions.BasePermission):
    """Raises Forbidden (403) unless the caller holds the view's permission for the method."""

    def has_permission(self, request: Request, view: Any) -> bool:
        perm = method_perm(view, request.method or "")
        if perm is not None:
            require_perm(request.user, perm)
        return True
