"""The hold on sessions that passed the password but not yet the second factor.

Runs after django-otp's `OTPMiddleware` (which tells whether the session's device verified) and
before `PasswordChangeRequiredMiddleware`: the second factor completes the sign-in before anything
else, the password change included. An enrolled account is sent to the code page; an account whose
role requires a second factor and has none is sent to enrolment. Signing out, switching language,
static files, the health check and the sign-in pages (`/login/…`) stay open; session API calls
answer 403 ``second_factor_required``. Token API calls are unaffected: a token of such an account is
only issued with a code (`core.otp.require_second_factor`).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

Handler = Callable[[HttpRequest], HttpResponse]


class SecondFactorRequiredMiddleware:
    OPEN_PREFIXES = ("/static/", "/i18n/", "/jsi18n/", "/health/", "/login/", "/logout/")

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from grassroots.core.otp import confirmed_device, second_factor_required

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(self.OPEN_PREFIXES):
            return self.get_response(request)
        if user.is_verified():
            return self.get_response(request)
        if confirmed_device(user) is not None:
            target = reverse("otp_verify")
        elif second_factor_required(user):
            target = reverse("otp_enrol")
        else:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            from grassroots.core.errors import SecondFactorErrorCode

            return JsonResponse(
                {
                    "code": SecondFactorErrorCode.REQUIRED,
                    "message": _("请先完成两步验证"),
                    "detail": {},
                },
                status=403,
            )
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
