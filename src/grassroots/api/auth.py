"""`/api/v1/auth/token/`: `POST` exchanges a username and password for a new API token,
`DELETE` revokes the token the request is signed with (docs/security.md, defect 6)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.core.actors import actor_of
from grassroots.core.errors import AccountError
from grassroots.core.errors import AccountErrorCode as E
from grassroots.core.models import ApiToken
from grassroots.core.otp import require_second_factor
from grassroots.core.services import login_attempt
from grassroots.core.throttle import client_address
from grassroots.core.tokens import token_issue, token_revoke


class Credentials(serializers.Serializer[dict[str, str]]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False)
    otp = serializers.CharField(max_length=64, required=False, allow_blank=True)  # second factor


def _session_key_of(request: Request, user_pk: int) -> str:
    """The browser session signed in as the same user, if the request carries one."""
    django_request = request._request
    # Read from the session itself: DRF replaced `request.user` (no authenticator on POST).
    signed_in = get_user(django_request)
    if not signed_in.is_authenticated or signed_in.pk != user_pk:
        return ""
    return django_request.session.session_key or ""


class ObtainToken(APIView):
    """POST: the same checks as the login page (lockout, address throttle, every attempt
    audited), then a new token each time. DELETE: revoke the caller's own token."""

    def get_authenticators(self) -> list[Any]:
        # Signing in reads no credentials but the body's: a stale token header must not stop it.
        if getattr(self, "request", None) is not None and self.request.method == "POST":
            return []
        return super().get_authenticators()

    def get_permissions(self) -> list[Any]:
        if getattr(self, "request", None) is not None and self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        request=Credentials,
        responses={
            200: inline_serializer(
                "TokenResponse",
                {
                    "token": serializers.CharField(),
                    "prefix": serializers.CharField(),
                    "expires_at": serializers.DateTimeField(),
                    "lifetime_hours": serializers.FloatField(),
                },
            )
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = Credentials(data=request.data)
        data.is_valid(raise_exception=True)
        user = login_attempt(
            request=request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        require_second_factor(user, data.validated_data.get("otp"))
        token, raw = token_issue(
            user=user,
            session_key=_session_key_of(request, user.pk),
            source=client_address(request._request),
        )
        body = {
            "token": raw,
            "prefix": token.prefix,
            "expires_at": token.expires_at,
            "lifetime_hours": settings.API_TOKEN_HOURS,
        }
        response = Response(body, status=status.HTTP_200_OK)
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        if not isinstance(request.auth, ApiToken):
            raise AccountError(
                E.NO_TOKEN, _("请求未使用接口令牌，没有可吊销的令牌"), field="Authorization"
            )
        token_revoke(actor=actor_of(request), token=request.auth, reason="owner")
        return Response(status=status.HTTP_204_NO_CONTENT)
