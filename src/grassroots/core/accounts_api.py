"""The API's own-password endpoint, `POST /api/v1/me/password/` (open while a change is required).

Account administration's endpoints are `areas.accounts.api`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import update_session_auth_hash
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.core import accounts
from grassroots.core.actors import actor_of
from grassroots.core.rest import strict_data


class PasswordChangeSerializer(serializers.Serializer[dict[str, Any]]):
    old_password = serializers.CharField(max_length=256, trim_whitespace=False)
    new_password = serializers.CharField(max_length=256, trim_whitespace=False)


class MyPassword(APIView):
    """Change the caller's own password (open even while a change is required)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=PasswordChangeSerializer, responses={204: None})
    def post(self, request: Request) -> Response:
        data = strict_data(PasswordChangeSerializer, request.data)
        user = actor_of(request)
        accounts.password_change(user=user, **data)
        if request._request.session.session_key:
            update_session_auth_hash(request._request, user)
        return Response(status=status.HTTP_204_NO_CONTENT)
