"""Sign-in, sign-out, changing one's own password and the audit log page.

The home page of each role (its posts and areas) is `areas.home`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grassroots.core import accounts
from grassroots.core.accounts import session_closed, session_opened
from grassroots.core.actors import actor_of
from grassroots.core.audit import audit_catalogue, audit_record, audit_verify
from grassroots.core.audit_export import AuditExportForm, audit_export
from grassroots.core.audit_log import (
    AuditFilterForm,
    actor_key,
    audit_entry,
    audit_rows,
    describe_actors,
)
from grassroots.core.auditlog import CoreAuditAction
from grassroots.core.errors import DomainError
from grassroots.core.health import health_report
from grassroots.core.perms import require_perm
from grassroots.core.roles import Perm
from grassroots.core.services import login_attempt
from grassroots.core.tokens import tokens_revoke_for_session


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
        audit_record(actor=request.user, action=CoreAuditAction.LOGOUT)
        # The API tokens asked for while signed in with this session end with it (defect 6).
        tokens_revoke_for_session(user=actor_of(request), session_key=request.session.session_key)
        session_closed(key=request.session.session_key)
    logout(request)
    return redirect("login")


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit log and the case workflow's events, newest first, filtered; auditor only.

    `?verify=1` re-checks the whole hash chain. An invalid filter answers 400 naming the field.
    """
    actor = actor_of(request)
    require_perm(actor, Perm.VIEW_AUDIT)
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("verify", None)
    form = AuditFilterForm(params)
    page: Page[Any] | None = None
    rows: list[dict[str, Any]] = []
    if form.is_valid():
        merged = audit_rows(actor=actor, f=form.to_filter())
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
    entry = audit_entry(actor=actor_of(request), kind=kind, pk=pk)
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


@never_cache
@login_required
@require_GET
def audit_export_page(request: HttpRequest) -> HttpResponseBase:
    """The auditor's export of the log and its checkpoints for a period (audited).

    Without parameters: the form. An invalid period answers 400 naming the field.
    """
    actor = actor_of(request)
    require_perm(actor, Perm.VIEW_AUDIT)
    if not request.GET:
        return render(request, "core/audit_export.html", {"form": AuditExportForm()})
    form = AuditExportForm(request.GET)
    if not form.is_valid():
        return render(request, "core/audit_export.html", {"form": form}, status=400)
    data = form.cleaned_data
    result = audit_export(
        actor=actor, date_from=data["date_from"], date_to=data["date_to"], fmt=data["format"]
    )
    return FileResponse(
        result.handle,
        as_attachment=True,
        filename=result.filename,
        content_type=result.content_type,
    )


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


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own password; the policy is on the page. Required ones say why."""
    user = actor_of(request)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}) or next_url.startswith(
        reverse("password_change")
    ):
        next_url = ""
    errors: dict[str, str] = {}
    if request.method == "POST" and request.POST.get("new_password") != request.POST.get(
        "new_password2"
    ):
        errors["new_password2"] = _("两次输入的新密码不一致")
    elif request.method == "POST":
        try:
            accounts.password_change(
                user=user,
                old_password=request.POST.get("old_password", ""),
                new_password=request.POST.get("new_password", ""),
            )
        except DomainError as exc:
            errors[str(exc.detail.get("field", "form"))] = str(exc.message)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("密码已修改"))
            return redirect(next_url or reverse("home"))
    context = {
        "errors": errors,
        "next": next_url,
        "policy": accounts.password_policy(),
        "required": user.must_change_password,
        "expired": accounts.password_expired(user),
    }
    return render(
        request, "core/accounts/password_change.html", context, status=400 if errors else 200
    )
