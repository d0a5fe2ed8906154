"""Pages of account administration (security administrator) and of changing one's own password.

Views parse the form, call one service and render; refusals of a form's input come back on the
same page, out-of-scope accounts answer 404 and missing rights 403 (DomainErrorMiddleware).
Every page works without JavaScript. One-time passwords are rendered once, sent no-store, and
never put in a URL, a message or the session.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.dateparse import parse_date
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from grassroots.areas import services as area_services
from grassroots.areas.accounts import selectors as accounts_selectors
from grassroots.areas.accounts import services as accounts
from grassroots.areas.accounts.selectors import STATE_FILTERS, AccountState, account_state
from grassroots.areas.models import Area, PostType, Unit
from grassroots.areas.scope import scope_for
from grassroots.core import params
from grassroots.core.accounts import password_change_required
from grassroots.core.actors import actor_of
from grassroots.core.errors import DomainError, NotFound
from grassroots.core.models import User
from grassroots.core.otp import confirmed_device
from grassroots.core.roles import Perm, Role


def _no_store(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    return response


@login_required
def account_list(request: HttpRequest) -> HttpResponse:
    """Accounts in scope, searchable by name or username and filterable by state."""
    q = request.GET.get("q", "").strip()
    state = request.GET.get("state", "")
    qs = accounts_selectors.account_list(actor=actor_of(request), q=q, state=state)
    page = Paginator(qs.order_by("username"), 50).get_page(request.GET.get("page"))
    for user in page:
        user.state = account_state(user)  # type: ignore[attr-defined]
        user.state_label = AccountState.LABELS[user.state]  # type: ignore[attr-defined]
    query = urlencode({k: v for k, v in (("q", q), ("state", state)) if v})
    return render(
        request,
        "areas/accounts/list.html",
        {
            "page_obj": page,
            "q": q,
            "state": state,
            "states": [(s, AccountState.LABELS[s]) for s in STATE_FILTERS],
            "labels": AccountState.LABELS,
            "query": f"{query}&" if query else "",
        },
    )


def _password_page(request: HttpRequest, account: User, password: str, created: bool) -> Any:
    context = {"account": account, "password": password, "created": created}
    return _no_store(render(request, "areas/accounts/password_issued.html", context))


@login_required
@require_http_methods(["GET", "POST"])
def account_new(request: HttpRequest) -> HttpResponse:
    """Create an account for a person; the one-time password is shown on the next page, once."""
    scope_for(request.user).require(Perm.MANAGE_POSTS)
    form = {"username": "", "full_name": ""}
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in form}
        try:
            account, password = accounts.account_open(actor=actor_of(request), **form)
        except DomainError as exc:
            if exc.status != 400:
                raise
            errors[str(exc.detail.get("field", "form"))] = str(exc.message)
        else:
            return _password_page(request, account, password, created=True)
    status = 400 if errors else 200
    return render(
        request, "areas/accounts/new.html", {"form": form, "errors": errors}, status=status
    )


def _assign_choices(actor: User) -> dict[str, Any]:
    """Post types, the areas above the grids and the units an administrator may assign posts in."""

    scope = scope_for(actor)
    perm = Perm.MANAGE_POSTS
    post_types = PostType.objects.exclude(role=Role.API_CLIENT).order_by("role", "code")
    areas = Area.objects.filter(scope.area_q(perm), depth__lte=3).order_by("code")
    units = Unit.objects.filter(
        scope.area_q(perm, "area__") | scope.unit_q(perm, "pk"), active=True
    ).order_by("level", "code")
    return {"post_types": post_types, "areas": areas, "units": units}


def _detail(
    request: HttpRequest,
    account: User,
    *,
    assign: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    posts = list(accounts_selectors.account_posts(account=account))
    context = {
        "account": account,
        "state": account_state(account),
        "labels": AccountState.LABELS,
        "must_change": password_change_required(account),
        "own": account.pk == request.user.pk,
        "current": [p for p in posts if p.ended_on is None or p.ended_on > today],
        "ended": [p for p in posts if p.ended_on is not None and p.ended_on <= today],
        "sessions": accounts_selectors.account_sessions(account=account),
        "tokens": accounts_selectors.account_tokens(account=account),
        "otp_enrolled": confirmed_device(account) is not None,
        "assign": assign or {"started_on": today.isoformat()},
        "errors": errors or {},
        **_assign_choices(actor_of(request)),
    }
    return render(request, "areas/accounts/detail.html", context, status=400 if errors else 200)


@login_required
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One account: state, actions, posts (current and ended), sessions and API tokens."""
    return _detail(request, accounts_selectors.account_get(actor=actor_of(request), pk=pk))


ACTIONS = {
    "disable": (accounts.account_disable, gettext_lazy("账号已停用，其登录会话和接口令牌已结束")),
    "enable": (accounts.account_enable, gettext_lazy("账号已启用")),
}


@login_required
@require_POST
def account_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Disable, enable or unlock the account, then back to its page with a message."""
    account = accounts_selectors.account_get(actor=actor_of(request), pk=pk)
    try:
        if action == "unlock":
            accounts.account_unlock(actor=actor_of(request), username=account.username)
            messages.success(request, _("已解除登录锁定"))
        elif action in ACTIONS:
            service, done = ACTIONS[action]
            service(actor=actor_of(request), account=account)
            messages.success(request, str(done))
        else:
            raise NotFound("action")
    except DomainError as exc:
        if exc.status != 400:
            raise
        messages.error(request, str(exc.message))
    return redirect("accounts:detail", pk=account.pk)


@login_required
@require_POST
def account_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    """Reset the password: the new one-time password is shown on this response only."""
    account = accounts_selectors.account_get(actor=actor_of(request), pk=pk)
    password = accounts.account_reset_password(actor=actor_of(request), account=account)
    return _password_page(request, account, password, created=False)


@login_required
@require_POST
def post_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the account a post: a post type over an area (by code) and/or a unit."""

    account = accounts_selectors.account_get(actor=actor_of(request), pk=pk)
    fields = ("post_type", "area_code", "unit", "title", "started_on")
    form = {k: request.POST.get(k, "").strip() for k in fields}
    errors: dict[str, str] = {}
    post_type = PostType.objects.filter(pk=_int(form["post_type"])).first()
    if post_type is None:
        errors["post_type"] = _("请选择岗位类型")
    area = Area.objects.filter(code=form["area_code"]).first() if form["area_code"] else None
    if form["area_code"] and area is None:
        errors["area"] = _("没有代码为 %(c)s 的区域") % {"c": form["area_code"][:20]}
    unit = None
    if form["unit"]:
        unit = Unit.objects.select_related("area").filter(pk=_int(form["unit"])).first()
        if unit is None:
            errors["unit"] = _("请选择单位")
    started_on = parse_date(form["started_on"]) if form["started_on"] else timezone.localdate()
    if started_on is None:
        errors["started_on"] = _("日期格式应为 2026-01-31")
    if not errors and post_type is not None and started_on is not None:
        try:
            area_services.post_create(
                actor=actor_of(request),
                person=account,
                post_type=post_type,
                area=area,
                unit=unit,
                title=form["title"][:60],
                started_on=started_on,
            )
        except DomainError as exc:
            if exc.status == 403:
                raise
            field = str(exc.detail.get("field", "form"))
            errors["area" if exc.status == 404 else field] = (
                _("该区域或单位不在您的管理范围内") if exc.status == 404 else str(exc.message)
            )
        else:
            messages.success(request, _("已设置岗位：%(p)s") % {"p": post_type.name})
            return redirect("accounts:detail", pk=account.pk)
    return _detail(request, account, assign=form, errors=errors)


def _int(value: str) -> int:
    return params.id_or_none(value) or 0


@login_required
@require_POST
def post_end(request: HttpRequest, pk: int, post_pk: int) -> HttpResponse:
    """End one of the account's posts today."""

    account = accounts_selectors.account_get(actor=actor_of(request), pk=pk)
    post = accounts_selectors.account_posts(account=account).filter(pk=post_pk).first()
    if post is None:
        raise NotFound("post")
    ended_on: datetime.date = timezone.localdate()
    try:
        area_services.post_end(actor=actor_of(request), post=post, ended_on=ended_on)
        messages.success(request, _("岗位已结束"))
    except DomainError as exc:
        if exc.status != 400:
            raise
        messages.error(request, str(exc.message))
    return redirect("accounts:detail", pk=account.pk)


@login_required
@require_POST
def session_end(request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
    account = accounts_selectors.account_get(actor=actor_of(request), pk=pk)
    accounts.session_end(actor=actor_of(request), account=account, session_id=session_pk)
    messages.success(request, _("登录会话已结束"))
    return redirect("accounts:detail", pk=account.pk)


@login_required
@require_POST
def token_end(request: HttpRequest, pk: int, token_pk: int) -> HttpResponse:
    account = accounts_selectors.account_get(actor=actor_of(request), pk=pk)
    accounts.token_end(actor=actor_of(request), account=account, token_id=token_pk)
    messages.success(request, _("接口令牌已吊销"))
    return redirect("accounts:detail", pk=account.pk)


@login_required
@require_POST
def tokens_end(request: HttpRequest, pk: int) -> HttpResponse:
    account = accounts_selectors.account_get(actor=actor_of(request), pk=pk)
    accounts.tokens_end(actor=actor_of(request), account=account)
    messages.success(request, _("接口令牌已吊销"))
    return redirect("accounts:detail", pk=account.pk)
