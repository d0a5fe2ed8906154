"""REST API of account administration (`/api/v1/accounts/…`) and `/api/v1/me/password/`.

The views parse named fields only, call the services in `core.accounts` and `areas.services`,
and answer in the one error shape. Out-of-scope accounts answer 404, callers without the right
403. One-time passwords appear once, in the response to the create or reset call, sent no-store.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.areas import services as area_services
from grassroots.areas.accounts import selectors as accounts_selectors
from grassroots.areas.accounts import services as accounts
from grassroots.areas.accounts.selectors import account_state
from grassroots.areas.models import Area, PostType, Unit
from grassroots.core.accounts import password_change_required
from grassroots.core.actors import actor_of
from grassroots.core.errors import NotFound
from grassroots.core.models import LoginSession, User
from grassroots.core.params import positive_id
from grassroots.core.rest import strict_data
from grassroots.core.roles import Perm


class AccountPostSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    post_type = serializers.CharField(source="post_type.code")
    post_type_name = serializers.CharField(source="post_type.name")
    role = serializers.CharField(source="post_type.role")
    title = serializers.CharField()
    area = serializers.IntegerField(source="area_id", allow_null=True)
    area_name = serializers.CharField(source="area.name", default=None)
    unit = serializers.IntegerField(source="unit_id", allow_null=True)
    unit_name = serializers.CharField(source="unit.name", default=None)
    started_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)


class AccountSerializer(serializers.Serializer[User]):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    state = serializers.SerializerMethodField()
    must_change_password = serializers.SerializerMethodField()
    last_login = serializers.DateTimeField(allow_null=True)
    posts = serializers.SerializerMethodField()

    def get_state(self, obj: User) -> str:
        return account_state(obj)

    def get_must_change_password(self, obj: User) -> bool:
        return password_change_required(obj)

    def get_posts(self, obj: User) -> list[dict[str, Any]]:
        posts = getattr(obj, "current_posts", None)
        if posts is None:
            today = timezone.localdate()
            posts = [
                p
                for p in accounts_selectors.account_posts(account=obj)
                if p.ended_on is None or p.ended_on > today
            ]
        return list(AccountPostSerializer(posts, many=True).data)


class AccountCreatedSerializer(AccountSerializer):
    one_time_password = serializers.CharField(
        help_text="Shown this once; the account must change it at its first sign-in"
    )


class AccountCreateSerializer(serializers.Serializer[dict[str, Any]]):
    username = serializers.CharField(max_length=150)
    full_name = serializers.CharField(max_length=60)


class PostAssignSerializer(serializers.Serializer[dict[str, Any]]):
    post_type = serializers.CharField(max_length=40, help_text="The post type's code")
    area = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    unit = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    title = serializers.CharField(max_length=60, required=False, default="", allow_blank=True)
    started_on = serializers.DateField(required=False)


class PostEndSerializer(serializers.Serializer[dict[str, Any]]):
    ended_on = serializers.DateField(required=False)


class SessionSerializer(serializers.ModelSerializer[LoginSession]):
    class Meta:
        model = LoginSession
        fields = ["id", "started_at", "source"]


# Every write here administers accounts: MANAGE_POSTS, checked before the body is read.
MANAGE = {"POST": Perm.MANAGE_POSTS, "DELETE": Perm.MANAGE_POSTS}


def _secret(data: dict[str, Any], code: int = status.HTTP_200_OK) -> Response:
    response = Response(data, status=code)
    add_never_cache_headers(response)
    return response


def _account(request: Request, pk: int) -> User:
    return accounts_selectors.account_get(actor=actor_of(request), pk=pk)


@extend_schema(
    parameters=[
        OpenApiParameter("q", str, description="Part of the username or name"),
        OpenApiParameter("state", str, enum=list(accounts_selectors.STATE_FILTERS)),
    ]
)
class AccountList(generics.ListAPIView[User]):
    """Accounts in the caller's scope (security administrator), with state and current posts.

    `POST` creates an account for a person; the response carries its one-time password.
    """

    method_perms = MANAGE

    serializer_class = AccountSerializer

    def get_queryset(self) -> Any:
        p = self.request.query_params
        return accounts_selectors.account_list(
            actor=actor_of(self.request),
            q=p.get("q", ""),
            state=p.get("state", ""),
        ).order_by("username")

    @extend_schema(request=AccountCreateSerializer, responses={201: AccountCreatedSerializer})
    def post(self, request: Request) -> Response:
        data = strict_data(AccountCreateSerializer, request.data)
        user, password = accounts.account_open(actor=actor_of(request), **data)
        body = dict(AccountSerializer(_account(request, user.pk)).data)
        return _secret({**body, "one_time_password": password}, status.HTTP_201_CREATED)


class AccountDetail(APIView):
    """One account in scope: state, current posts."""

    @extend_schema(responses=AccountSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(AccountSerializer(_account(request, pk)).data)


class AccountAction(APIView):
    """`POST` `disable`, `enable` or `unlock` (no body); answers the account afterwards."""

    method_perms = MANAGE

    action = ""

    @extend_schema(request=None, responses=AccountSerializer)
    def post(self, request: Request, pk: int) -> Response:
        strict_data(serializers.Serializer, request.data)
        account = _account(request, pk)
        actor = actor_of(request)
        if self.action == "disable":
            accounts.account_disable(actor=actor, account=account)
        elif self.action == "enable":
            accounts.account_enable(actor=actor, account=account)
        else:
            accounts.account_unlock(actor=actor, username=account.username)
        return Response(AccountSerializer(_account(request, pk)).data)


class AccountResetPassword(APIView):
    """A new one-time password (in the response, once); sessions and tokens of the account end."""

    method_perms = MANAGE

    @extend_schema(request=None, responses=AccountCreatedSerializer)
    def post(self, request: Request, pk: int) -> Response:
        strict_data(serializers.Serializer, request.data)
        account = _account(request, pk)
        password = accounts.account_reset_password(actor=actor_of(request), account=account)
        body = dict(AccountSerializer(_account(request, pk)).data)
        return _secret({**body, "one_time_password": password})


class AccountPosts(APIView):
    """Every post of the account (`GET`), or a new one (`POST`, checked by the post rules)."""

    method_perms = MANAGE

    @extend_schema(responses=AccountPostSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        posts = accounts_selectors.account_posts(account=_account(request, pk))
        return Response(AccountPostSerializer(posts, many=True).data)

    @extend_schema(request=PostAssignSerializer, responses={201: AccountPostSerializer})
    def post(self, request: Request, pk: int) -> Response:

        account = _account(request, pk)
        data = strict_data(PostAssignSerializer, request.data)
        post_type = PostType.objects.filter(code=data["post_type"]).first()
        if post_type is None:
            raise NotFound("post_type")
        area = unit = None
        if data.get("area"):
            area = Area.objects.filter(pk=data["area"]).first()
            if area is None:
                raise NotFound("area")
        if data.get("unit"):
            unit = Unit.objects.select_related("area").filter(pk=data["unit"]).first()
            if unit is None:
                raise NotFound("unit")
        post = area_services.post_create(
            actor=actor_of(request),
            person=account,
            post_type=post_type,
            area=area,
            unit=unit,
            title=data.get("title", ""),
            started_on=data.get("started_on") or timezone.localdate(),
        )
        return Response(AccountPostSerializer(post).data, status=status.HTTP_201_CREATED)


class AccountPostEnd(APIView):
    """End one of the account's posts (today unless `ended_on` is given)."""

    method_perms = MANAGE

    @extend_schema(request=PostEndSerializer, responses=AccountPostSerializer)
    def post(self, request: Request, pk: int, post_pk: int) -> Response:

        account = _account(request, pk)
        data = strict_data(PostEndSerializer, request.data)
        post = accounts_selectors.account_posts(account=account).filter(pk=post_pk).first()
        if post is None:
            raise NotFound("post")
        ended_on: datetime.date = data.get("ended_on") or timezone.localdate()
        post = area_services.post_end(actor=actor_of(request), post=post, ended_on=ended_on)
        return Response(AccountPostSerializer(post).data)


class AccountSessions(APIView):
    """The account's signed-in browser sessions."""

    @extend_schema(responses=SessionSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        rows = accounts_selectors.account_sessions(account=_account(request, pk))
        return Response(SessionSerializer(rows, many=True).data)


class AccountSessionEnd(APIView):
    """End one session of the account now."""

    method_perms = MANAGE

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, pk: int, session_pk: int) -> Response:
        accounts.session_end(
            actor=actor_of(request),
            account=_account(request, pk),
            session_id=positive_id("session", session_pk),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class AccountTokenSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    prefix = serializers.CharField()
    created = serializers.DateTimeField(source="created_at")
    expires = serializers.DateTimeField(source="expires_at")
    last_used = serializers.DateTimeField(source="last_used_at", allow_null=True)
    source = serializers.CharField()  # type: ignore[assignment]


class AccountTokens(APIView):
    """The account's API tokens that still answer (`GET`, by prefix) and revoking them all
    (`DELETE`)."""

    method_perms = MANAGE

    @extend_schema(responses=AccountTokenSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        rows = accounts_selectors.account_tokens(account=_account(request, pk))
        return Response(AccountTokenSerializer(rows, many=True).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        accounts.tokens_end(actor=actor_of(request), account=_account(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class AccountToken(APIView):
    """Revoke one API token of the account (`DELETE`); 404 when it has no such token."""

    method_perms = MANAGE

    @extend_schema(operation_id="accounts_token_destroy", request=None, responses={204: None})
    def delete(self, request: Request, pk: int, token_pk: int) -> Response:
        accounts.token_end(
            actor=actor_of(request),
            account=_account(request, pk),
            token_id=positive_id("token", token_pk),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
