"""DRF's exception handler, answering every error as ``{"code", "message", "detail"}``."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from grassroots.core.errors import DomainError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        refused = Response(exc.as_dict(), status=exc.status)
        if "retry_after" in exc.detail:
            refused["Retry-After"] = str(exc.detail["retry_after"])
        return refused
    if isinstance(exc, Http404):
        return Response(
            {"code": "not_found", "message": _("未找到该对象"), "detail": {}},
            status=status.HTTP_404_NOT_FOUND,
        )
    response = drf_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        body = {"code": "invalid", "message": _("输入有误"), "detail": response.data}
    else:
        codes = exc.get_codes()
        body = {
            "code": codes if isinstance(codes, str) else "error",
            "message": str(exc.detail),
            "detail": {},
        }
    response.data = body
    return response
