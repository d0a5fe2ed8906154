"""Sign-in, sign-out, the home page of each role, the audit log page and a health check."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grassroots.areas import selectors as area_selectors
from grassroots.areas.choices import Level
from grassroots.areas.scope import scope_for
from grassroots.core.accounts import session_closed, session_opened
from grassroots.core.audit import audit_catalogue, audit_record, audit_verify
from grassroots.core.audit_log import (
    AuditFilterForm,
    actor_key,
    audit_entry,
    audit_rows,
    describe_actors,
)
from grassroots.core.errors import DomainError
from grassroots.core.health import health_report
from grassroots.core.roles import Perm
from grassroots.core.services import login_attempt


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    context = {"next": next_url, "username": "", "error": ""}
    if request.method == "POST":
        username = request.POST.get("username", "")
        context["username"] = username
        try:
            user = login_attempt(
                request=request, username=username, password=request.POST.get("password", "")
            )
        except DomainError as exc:
            context["error"] = str(exc.message)
            return render(request, "registration/login.html", context, status=200)
        login(request, user)  # cycles the session key: a new session on every login
        session_opened(user=user, key=request.session.session_key or "", source=_source_of(request))
        return redirect(next_url or reverse("home"))
    return render(request, "registration/login.html", context)


def _source_of(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record(actor=request.user, action="logout")
        session_closed(key=request.session.session_key)
    logout(request)
    return redirect("login")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What the signed-in person works on: their posts, their areas' sizes and shortcuts."""
    user = request.user
    scope = scope_for(user)
    posts = area_selectors.my_posts(actor=user)  # type: ignore[arg-type]
    levels = [(lv.value, lv.label) for lv in Level if lv != Level.COUNTY]
    roots = []
    if scope.has(Perm.VIEW_AREAS):
        counted = [
            (area, area_selectors.area_level_counts(area=area))
            for area in area_selectors.area_roots(actor=user)[:10]  # type: ignore[arg-type]
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
        "core/home.html",
        {"posts": posts, "roots": roots, "levels": levels, "shortcuts": shortcuts},
    )


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit log and the case workflow's events, newest first, filtered; auditor only.

    `?verify=1` re-checks the whole hash chain. An invalid filter answers 400 naming the field.
    """
    actor = request.user
    scope_for(actor).require(Perm.VIEW_AUDIT)
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("verify", None)
    form = AuditFilterForm(params)
    page: Page[Any] | None = None
    rows: list[dict[str, Any]] = []
    if form.is_valid():
        merged = audit_rows(actor=actor, f=form.to_filter())  # type: ignore[arg-type]
        page = Paginator(merged, 50).get_page(request.GET.get("page"))  # type: ignore[arg-type]
        cat = audit_catalogue()
        found: list[dict[str, Any]] = list(page.object_list)
        keys = {actor_key(r["r_actor"], r["r_actor_name"], r["r_at"]) for r in found}
        actors = describe_actors(keys)
        for r in found:
            group = cat.group_of(r["r_action"])
            rows.append(
                {
                    **r,
                    "actor": actors[actor_key(r["r_actor"], r["r_actor_name"], r["r_at"])],
                    "action_label": cat.action_label(r["r_action"]),
                    "group_label": group.label if group else "",
                    "object_label": cat.object_label(r["r_object_type"])
                    if r["r_object_type"]
                    else "",
                    "result_label": cat.result_label(r["r_result"]),
                }
            )
    report = audit_verify() if request.GET.get("verify") else None
    context = {
        "form": form,
        "page_obj": page,
        "rows": rows,
        "report": report,
        "query": params.urlencode() + "&" if params else "",
    }
    return render(request, "core/audit.html", context, status=200 if form.is_valid() else 400)


@login_required
def audit_entry_page(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """One audit entry in detail (a reveal shows its stated purpose, never the value)."""
    entry = audit_entry(actor=request.user, kind=kind, pk=pk)  # type: ignore[arg-type]
    cat = audit_catalogue()
    key = actor_key(entry.actor_id, entry.actor_name, entry.at)
    group = cat.group_of(entry.action)
    context = {
        "entry": entry,
        "actor": describe_actors({key})[key],
        "action_label": cat.action_label(entry.action),
        "group_label": group.label if group else "",
        "object_label": cat.object_label(entry.object_type) if entry.object_type else "",
        "result_label": cat.result_label(entry.result),
    }
    return render(request, "core/audit_entry.html", context)


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """The operator's monitor: 200 when every check passes, else 503 naming the failing ones.

    No login and no personal data: each check reports numbers only (`core.health`).
    """
    checks = health_report()
    failing = [c.name for c in checks if not c.ok]
    body: dict[str, object] = {"status": "failing" if failing else "ok"}
    if failing:
        body["failing"] = failing
    body["checks"] = {c.name: {"ok": c.ok, **c.facts} for c in checks}
    return JsonResponse(body, status=503 if failing else 200)
