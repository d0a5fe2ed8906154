"""Request-wide concerns: clean text in, audit source, session timeout, CSP, errors."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from grassroots.core.audit import audit_source
from grassroots.core.errors import DomainError
from grassroots.core.text import clean_data

Handler = Callable[[HttpRequest], HttpResponse]

# Everything is served by the app itself (government intranets have no internet): no CDN, no
# inline script. Inline styles are allowed for the charts' and maps' computed colours.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'; object-src 'none'"
)


class AuditSourceMiddleware:
    """Audit rows written while handling a request record the client's address."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit_source(request.META.get("REMOTE_ADDR", "") or "unknown"):
            return self.get_response(request)


class CleanTextMiddleware:
    """Query strings and form bodies reach every view as `core.text.clean_text` leaves them:
    NFC, LF line ends, no control characters (JSON bodies are cleaned by `core.rest.strict_data`).
    The body is read only when it is a form, as the view would read it anyway."""

    FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.GET = clean_data(request.GET)
        if request.method == "POST" and request.content_type in self.FORMS:
            request.POST = clean_data(request.POST)
        return self.get_response(request)


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the user chose otherwise (the language cookie set by the switcher).

    The browser's Accept-Language is deliberately ignored: a county's machines are often set up in
    English while their users expect the Chinese interface.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = settings.LANGUAGE_CODE
        if chosen:
            with contextlib.suppress(LookupError):
                language = translation.get_supported_language_variant(chosen)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SessionTimeoutMiddleware:
    """Ends a session idle for `SESSION_IDLE_SECONDS` (the absolute limit is the cookie age)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last = request.session.get("last_seen")
            if last is not None and now - int(last) > settings.SESSION_IDLE_SECONDS:
                logout(request)
            else:
                request.session["last_seen"] = now
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Sends the content security policy with every response that has none."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        return response


class DomainErrorMiddleware:
    """Pages answer a service's refusal with its status: 404 (missing or out of scope), 403, 400."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not isinstance(exc, DomainError):
            return None
        return render(request, "core/error.html", {"error": exc}, status=exc.status)


class PasswordChangeRequiredMiddleware:
    """Until a user replaces a password set by an administrator (or an expired one), every page
    sends them to the change-password page and the API answers 403 ``password_change_required``.

    Signing out, switching language, static files and the health check stay open. Token-signed
    API calls are held by the API's own permission (`core.accounts_permissions.PasswordCurrent`).
    """

    OPEN_PREFIXES = ("/static/", "/i18n/", "/jsi18n/", "/health/", "/login/", "/logout/")
    API_OPEN = ("/api/v1/auth/token/", "/api/v1/me/password/")

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from grassroots.core.accounts import password_change_required

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not password_change_required(user):
            return self.get_response(request)
        path = request.path
        change_url = reverse("password_change")
        if path == change_url or path.startswith(self.OPEN_PREFIXES + self.API_OPEN):
            return self.get_response(request)
        if path.startswith("/api/"):
            from grassroots.core.errors import AccountErrorCode

            return JsonResponse(
                {
                    "code": AccountErrorCode.PASSWORD_CHANGE_REQUIRED,
                    "message": _("请先修改密码"),
                    "detail": {},
                },
                status=403,
            )
        return redirect(f"{change_url}?{urlencode({'next': request.get_full_path()})}")
