"""`POST /api/v1/auth/token/`: exchange a username and password for an API token."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.core.otp import require_second_factor
from grassroots.core.services import login_attempt


class Credentials(serializers.Serializer[dict[str, str]]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False)
    otp = serializers.CharField(max_length=64, required=False, allow_blank=True)  # second factor


class ObtainToken(APIView):
    """The same checks as the login page: lockout after repeated failures, every attempt audited."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=Credentials,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
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
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key}, status=status.HTTP_200_OK)
