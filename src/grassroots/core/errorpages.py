"""The product's own error pages (404, 403, 400, 500 and a refused CSRF check), in the user's
language, instead of Django's bare English ones. Used when DEBUG is off.

They never show the exception's text: it may name internals or personal data (SECURITY.md 16).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ErrorPage:
    """What error.html shows: the status and one sentence for people."""

    status: int
    message: str | Promise


NOT_FOUND = ErrorPage(404, _("您要找的页面不存在，或不在您的权限范围内。"))
FORBIDDEN = ErrorPage(403, _("没有执行此操作的权限"))
BAD_REQUEST = ErrorPage(400, _("请求无效，请返回上一页重试。"))
CSRF_FAILED = ErrorPage(403, _("页面已过期或表单来源无法确认，请刷新页面后重新提交。"))
SERVER_ERROR = ErrorPage(500, _("系统出错了，问题已记录，请稍后再试。"))


def _page(request: HttpRequest, error: ErrorPage) -> HttpResponse:
    return render(request, "core/error.html", {"error": error}, status=error.status)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, NOT_FOUND)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, FORBIDDEN)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, BAD_REQUEST)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page(request, CSRF_FAILED)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request's context: the navigation reads the database, which may be
    what failed."""
    body: str
    try:
        body = loader.render_to_string("core/error.html", {"error": SERVER_ERROR})
    except Exception:  # the error page itself must not fail
        body = "<h1>500</h1>"
    return HttpResponse(body, status=500)
