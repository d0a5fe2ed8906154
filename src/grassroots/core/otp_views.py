"""Pages of the second factor, under /login/otp/ (open to a session that passed the password).

- `otp_verify_view`: the code asked after the password (a TOTP code or a recovery code);
- `otp_enrol_view`: scan the QR code (drawn by the app, `otp_qr`) or type the secret, confirm with
  a code; the recovery codes are then shown once;
- `otp_status` (/account/second-factor/, itself behind the second factor): one's own second
  factor (enrol, how many recovery codes are left, new ones);
- `otp_unlock_view`: lift one's own lockout with a code, without a session.

Every page is sent no-store; secrets and recovery codes never go into a URL, a message or the log.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login

from grassroots.core import otp
from grassroots.core.actors import actor_of
from grassroots.core.errors import DomainError
from grassroots.core.throttle import client_address


def _next(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(url, {request.get_host()}) or url.startswith("/login/"):
        return ""
    return url


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_verify_view(request: HttpRequest) -> HttpResponse:
    """After the password: the code of the enrolled device (or a recovery code)."""
    user = actor_of(request)
    next_url = _next(request)
    if otp.confirmed_device(user) is None:
        return redirect(
            reverse("otp_enrol") + (f"?{urlencode({'next': next_url})}" if next_url else "")
        )
    error = ""
    if request.method == "POST":
        try:
            device = otp.otp_verify(user=user, code=request.POST.get("code", ""))
        except DomainError as exc:
            error = str(exc.message)
        else:
            otp_login(request, device)
            return redirect(next_url or reverse("home"))
    context = {"next": next_url, "error": error}
    return render(request, "core/otp/verify.html", context, status=400 if error else 200)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_enrol_view(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app; on success the session is verified and the codes shown once."""
    user = actor_of(request)
    next_url = _next(request)
    if otp.confirmed_device(user) is not None:
        return redirect("otp_status")
    error = ""
    if request.method == "POST":
        try:
            device, codes = otp.otp_enrol_confirm(user=user, code=request.POST.get("code", ""))
        except DomainError as exc:
            error = str(exc.message)
        else:
            otp_login(request, device)
            return render(
                request,
                "core/otp/recovery_codes.html",
                {"codes": codes, "next": next_url or reverse("home"), "enrolled": True},
            )
    device = otp.otp_enrol_start(user=user)
    context = {
        "next": next_url,
        "error": error,
        "secret": otp.secret_text(device),
        "required": otp.second_factor_required(user),
    }
    return render(request, "core/otp/enrol.html", context, status=400 if error else 200)


@never_cache
@login_required
@require_GET
def otp_qr(request: HttpRequest) -> HttpResponse:
    """The QR code of the device being enrolled, as SVG (404 once enrolled)."""
    user = actor_of(request)
    if otp.confirmed_device(user) is not None:
        return HttpResponse(status=404)
    device = otp.otp_enrol_start(user=user)
    return HttpResponse(otp.qr_svg(device.config_url), content_type="image/svg+xml")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_status(request: HttpRequest) -> HttpResponse:
    """One's own second factor: enrolled or not, recovery codes left; POST issues new codes."""
    user = actor_of(request)
    if request.method == "POST":
        codes = otp.recovery_codes_issue(user=user)
        return render(
            request,
            "core/otp/recovery_codes.html",
            {"codes": codes, "next": reverse("otp_status"), "enrolled": False},
        )
    device = otp.confirmed_device(user)
    context = {
        "device": device,
        "required": otp.second_factor_required(user),
        "codes_left": otp.recovery_codes_left(user) if device else 0,
    }
    return render(request, "core/otp/status.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def otp_unlock_view(request: HttpRequest) -> HttpResponse:
    """A locked-out account lifts its own lockout with a code of its enrolled device."""
    error = ""
    username = request.POST.get("username", "")
    if request.method == "POST":
        try:
            otp.otp_unlock(
                username=username,
                code=request.POST.get("code", ""),
                address=client_address(request),
            )
        except DomainError as exc:
            error = str(exc.message)
        else:
            context = {"done": True, "username": username}
            return render(request, "core/otp/unlock.html", context)
    context = {"error": error, "username": username}
    return render(request, "core/otp/unlock.html", context, status=400 if error else 200)
