"""The home page: what the signed-in person works on — their posts, their areas' sizes and
the shortcuts their permissions open."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from grassroots.areas import selectors as area_selectors
from grassroots.areas.choices import Level
from grassroots.areas.scope import scope_for
from grassroots.core.accounts import account_security
from grassroots.core.actors import actor_of
from grassroots.core.roles import Perm


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What the signed-in person works on: their posts, their areas' sizes and shortcuts."""
    user = actor_of(request)
    scope = scope_for(user)
    posts = area_selectors.my_posts(actor=user)
    levels = [(lv.value, lv.label) for lv in Level if lv != Level.COUNTY]
    roots = []
    if scope.has(Perm.VIEW_AREAS):
        counted = [
            (area, area_selectors.area_level_counts(area=area))
            for area in area_selectors.area_roots(actor=user)[:10]
        ]
        # Only levels that occur below some root: a micro grid's worker gets no empty columns,
        # so the table fits a phone.
        levels = [(lv, label) for lv, label in levels if any(c.get(lv) for _a, c in counted)]
        roots = [
            {"area": area, "cells": [(label, counts.get(lv, 0)) for lv, label in levels]}
            for area, counts in counted
        ]
    shortcuts = []
    if scope.has(Perm.VIEW_AREAS):
        shortcuts.append({"url": reverse("areas:browser"), "label": _("浏览区划网格")})
    if scope.has(Perm.VIEW_POSTS):
        shortcuts.append({"url": reverse("areas:posts"), "label": _("岗位与职责清单")})
    if scope.has(Perm.VIEW_AUDIT):
        shortcuts.append({"url": reverse("audit"), "label": _("审计日志")})
    if scope.has(Perm.MANAGE_POSTS):
        shortcuts.append({"url": reverse("accounts:list"), "label": _("账号管理")})
    if scope.has(Perm.MANAGE_AREAS) or scope.has(Perm.MANAGE_POSTS):
        shortcuts.append({"url": reverse("admin:index"), "label": _("系统配置")})
    if scope.has(Perm.MANAGE_AREAS):
        # The system administrator connects other systems (and issues Open311 keys).
        shortcuts.append({"url": reverse("api:docs"), "label": _("接口文档")})
    return render(
        request,
        "areas/home.html",
        {
            "posts": posts,
            "roots": roots,
            "levels": levels,
            "shortcuts": shortcuts,
            "account_security": account_security(user),
        },
    )
