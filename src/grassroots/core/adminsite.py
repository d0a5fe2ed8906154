"""The configuration site (/admin/), opened by role instead of Django's is_staff/superuser flags.

It lives apart from `core.admin`: Django imports the default site's module while building
`admin.site`, so registrations made in that same module would land on a site that is then
thrown away (the User and AuditEvent admins were lost that way).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grassroots.core.perms import perms_of
from grassroots.core.roles import Perm

ADMIN_PERMS = (Perm.MANAGE_AREAS, Perm.MANAGE_POSTS, Perm.VIEW_AUDIT)


class Site(admin.AdminSite):
    site_header = _("基层治理平台 · 系统配置")
    site_title = _("系统配置")
    index_title = _("系统配置")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        if not (user.is_active and user.is_authenticated):
            return False
        return not perms_of(user).isdisjoint(ADMIN_PERMS)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """Sign-in goes through the product's login page, so the lockout and audit apply
        (Django's own admin login form would bypass both)."""
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))
