"""REST API of the areas app: areas, units, posts and the caller's own scope (`/api/v1/me/`)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.areas import selectors
from grassroots.areas.choices import Level, UnitLevel
from grassroots.areas.models import Area, Duty, Post, Unit
from grassroots.areas.scope import scope_for
from grassroots.core import params
from grassroots.core.actors import actor_of
from grassroots.core.roles import Role


class AreaSerializer(serializers.ModelSerializer[Area]):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    centre = serializers.SerializerMethodField()

    class Meta:
        model = Area
        fields = ["id", "code", "name", "level", "level_display", "parent", "depth", "centre"]

    def get_centre(self, obj: Area) -> dict[str, float] | None:
        if obj.centre_lon is None or obj.centre_lat is None:
            return None
        return {"lon": obj.centre_lon, "lat": obj.centre_lat}


class AreaDetailSerializer(AreaSerializer):
    ancestors = serializers.SerializerMethodField()

    class Meta(AreaSerializer.Meta):
        fields = [*AreaSerializer.Meta.fields, "polygon", "ancestors"]

    def get_ancestors(self, obj: Area) -> list[dict[str, Any]]:
        return [
            {"id": a.pk, "code": a.code, "name": a.name, "level": a.level}
            for a in selectors.area_ancestors(obj)
        ]


LEVEL_PARAM = OpenApiParameter("level", str, enum=Level.values, description="Area level")
PARENT_PARAM = OpenApiParameter("parent", int, description="Direct children of this area id")
WITHIN_PARAM = OpenApiParameter("within", int, description="The whole subtree of this area id")


@extend_schema(parameters=[LEVEL_PARAM, PARENT_PARAM, WITHIN_PARAM])
class AreaList(generics.ListAPIView[Area]):
    """Areas in the caller's scope. `within` selects a whole subtree, `parent` direct children."""

    serializer_class = AreaSerializer

    def get_queryset(self) -> Any:
        p = self.request.query_params
        return selectors.area_list(
            actor=actor_of(self.request),
            level=p.get("level"),
            parent=params.row_id("parent", p.get("parent")),
            within=params.row_id("within", p.get("within")),
        )


class AreaDetail(APIView):
    """One area with its polygon and ancestors; 404 outside the caller's scope."""

    @extend_schema(responses=AreaDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        area = selectors.area_get(actor=actor_of(request), pk=pk)
        return Response(AreaDetailSerializer(area).data)


class UnitSerializer(serializers.ModelSerializer[Unit]):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "level",
            "level_display",
            "area",
            "area_name",
            "office_phone",
            "address",
            "active",
        ]


@extend_schema(
    parameters=[
        OpenApiParameter("level", str, enum=UnitLevel.values, description="Unit level"),
        OpenApiParameter("area", int, description="Units serving this area id"),
    ]
)
class UnitList(generics.ListAPIView[Unit]):
    """Units in the caller's scope."""

    serializer_class = UnitSerializer

    def get_queryset(self) -> Any:
        p = self.request.query_params
        return selectors.unit_list(
            actor=actor_of(self.request),
            level=p.get("level"),
            area=params.row_id("area", p.get("area")),
        )


class UnitDetail(APIView):
    @extend_schema(responses=UnitSerializer)
    def get(self, request: Request, pk: int) -> Response:
        unit = selectors.unit_get(actor=actor_of(request), pk=pk)
        return Response(UnitSerializer(unit).data)


class DutySerializer(serializers.ModelSerializer[Duty]):
    class Meta:
        model = Duty
        fields = ["order", "text"]


class PostSerializer(serializers.ModelSerializer[Post]):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    post_type = serializers.CharField(source="post_type.code", read_only=True)
    post_type_name = serializers.CharField(source="post_type.name", read_only=True)
    role = serializers.CharField(source="post_type.role", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True, default=None)
    unit_name = serializers.CharField(source="unit.name", read_only=True, default=None)

    class Meta:
        model = Post
        fields = [
            "id",
            "person_name",
            "post_type",
            "post_type_name",
            "role",
            "title",
            "area",
            "area_name",
            "unit",
            "unit_name",
            "started_on",
            "ended_on",
        ]


class PostDetailSerializer(PostSerializer):
    duties = DutySerializer(source="post_type.duties", many=True, read_only=True)

    class Meta(PostSerializer.Meta):
        fields = [*PostSerializer.Meta.fields, "duties"]


@extend_schema(
    parameters=[
        OpenApiParameter("area", int, description="Posts over this area's subtree"),
        OpenApiParameter("unit", int, description="Posts in this unit"),
        OpenApiParameter("role", str, enum=Role.values, description="Posts of this role"),
    ]
)
class PostList(generics.ListAPIView[Post]):
    """Posts in the caller's scope, with the person's name and the post's role."""

    serializer_class = PostSerializer

    def get_queryset(self) -> Any:
        p = self.request.query_params
        return selectors.post_list(
            actor=actor_of(self.request),
            area=params.row_id("area", p.get("area")),
            unit=params.row_id("unit", p.get("unit")),
            role=p.get("role"),
        )


class PostDetail(APIView):
    @extend_schema(responses=PostDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        post = selectors.post_get(actor=actor_of(request), pk=pk)
        return Response(PostDetailSerializer(post).data)


class Me(APIView):
    """The caller: account, posts, roles, permissions and the roots of their scope."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        user = actor_of(request)
        scope = scope_for(user)
        posts = selectors.my_posts(actor=user)
        area_ids = sorted({g.area_id for g in scope.grants if g.area_id})
        areas = Area.objects.filter(pk__in=area_ids).order_by("code")
        unit_ids = sorted({g.unit_id for g in scope.grants if g.unit_id})
        units = Unit.objects.filter(pk__in=unit_ids).order_by("code")
        return Response(
            {
                "id": user.pk,
                "username": user.get_username(),
                "full_name": getattr(user, "full_name", ""),
                "roles": sorted(scope.roles),
                "permissions": sorted(scope.perms),
                "posts": PostSerializer(posts, many=True).data,
                "scope": {
                    "areas": [
                        {"id": a.pk, "code": a.code, "name": a.name, "level": a.level}
                        for a in areas
                    ],
                    "units": [{"id": u.pk, "code": u.code, "name": u.name} for u in units],
                },
            }
        )
