"""REST API of pairings: party members and staff paired with households, bulk and re-pairing.

Every write needs EDIT_PEOPLE somewhere (`method_perms`, checked before the body is read); the
services then require it over the household's, pairing's or grid's area.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.areas.selectors import area_get
from grassroots.core import params
from grassroots.core.actors import actor_of
from grassroots.core.errors import NotFound
from grassroots.core.models import User
from grassroots.core.rest import strict_data
from grassroots.core.roles import Perm
from grassroots.people.selectors import household_get, resident_get
from grassroots.visits import selectors, services
from grassroots.visits.choices import EndReason
from grassroots.visits.models import Pairing

EDIT = {"POST": Perm.EDIT_PEOPLE}


class PairingSerializer(serializers.ModelSerializer[Pairing]):
    household_number = serializers.CharField(source="household.number", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    partner = serializers.CharField(source="partner_name", read_only=True)

    class Meta:
        model = Pairing
        fields = [
            "id", "household", "household_number", "area", "area_name", "member", "staff",
            "partner", "primary", "started_on", "ended_on", "end_reason",
        ]  # fmt: skip
        read_only_fields = fields


class PairingCreateSerializer(serializers.Serializer[dict[str, Any]]):
    writes = "visits.Pairing"  # docs/forms-inventory.md

    household = serializers.IntegerField(min_value=1)
    member = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    staff = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    primary = serializers.BooleanField(required=False, default=True)
    started_on = serializers.DateField(required=False, allow_null=True, default=None)


def _staff(actor: User, pk: int | None) -> User | None:
    if pk is None:
        return None
    user = User.objects.filter(pk=pk).first()
    if user is None:
        raise NotFound("staff")
    return user


@extend_schema(
    parameters=[
        OpenApiParameter("within", int, description="Area subtree"),
        OpenApiParameter("household", int),
        OpenApiParameter("active", bool, description="Default: active only"),
    ]
)
class PairingList(generics.ListCreateAPIView[Pairing]):
    """Pairings in the caller's scope; POST pairs a household (409 when it already has one)."""

    method_perms = EDIT

    serializer_class = PairingSerializer

    def get_queryset(self) -> Any:
        p = self.request.query_params
        return selectors.pairing_list(
            actor=actor_of(self.request),
            within=params.row_id("within", p.get("within")),
            household=p.get("household"),
            active=p.get("active", "1"),
        )

    @extend_schema(request=PairingCreateSerializer, responses={201: PairingSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = strict_data(PairingCreateSerializer, request.data)
        actor = actor_of(request)
        household = household_get(actor=actor, pk=data["household"])
        member = resident_get(actor=actor, pk=data["member"]) if data["member"] else None
        pairing = services.pairing_create(
            actor=actor,
            household=household,
            member=member,
            staff=_staff(actor, data["staff"]),
            primary=data["primary"],
            started_on=data["started_on"],
        )
        pairing = selectors.pairing_get(actor=actor, pk=pairing.pk)
        return Response(PairingSerializer(pairing).data, status=status.HTTP_201_CREATED)


class PairingEndSerializer(serializers.Serializer[dict[str, Any]]):
    reason = serializers.ChoiceField(choices=EndReason.choices)
    ended_on = serializers.DateField(required=False, allow_null=True, default=None)


class PairingEnd(APIView):
    method_perms = EDIT

    @extend_schema(request=PairingEndSerializer, responses=PairingSerializer)
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        pairing = selectors.pairing_get(actor=actor, pk=pk)
        data = strict_data(PairingEndSerializer, request.data)
        pairing = services.pairing_end(
            actor=actor, pairing=pairing, reason=data["reason"], ended_on=data["ended_on"]
        )
        return Response(PairingSerializer(selectors.pairing_get(actor=actor, pk=pairing.pk)).data)


class PairingBulkSerializer(serializers.Serializer[dict[str, Any]]):
    area = serializers.IntegerField(min_value=1)
    cap = serializers.IntegerField(min_value=1, max_value=services.pairings.MAX_CAP)
    members = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=500
    )


class PairingBulk(APIView):
    """Pair a grid's unpaired households with its party members, balanced, under a cap."""

    method_perms = EDIT

    @extend_schema(request=PairingBulkSerializer, responses={201: PairingSerializer(many=True)})
    def post(self, request: Request) -> Response:
        actor = actor_of(request)
        data = strict_data(PairingBulkSerializer, request.data)
        area = area_get(actor=actor, pk=data["area"])
        members = data.get("members")
        chosen = [resident_get(actor=actor, pk=m) for m in members] if members else None
        made = services.pairing_bulk(actor=actor, area=area, cap=data["cap"], members=chosen)
        return Response(PairingSerializer(made, many=True).data, status=status.HTTP_201_CREATED)


class PairingRepairSerializer(serializers.Serializer[dict[str, Any]]):
    member = serializers.IntegerField(min_value=1)
    cap = serializers.IntegerField(min_value=1, max_value=services.pairings.MAX_CAP)


class PairingRepair(APIView):
    """A party member leaves: end their pairings and re-pair the households."""

    method_perms = EDIT

    @extend_schema(
        request=PairingRepairSerializer,
        responses=inline_serializer(
            "PairingRepaired",
            {
                "pairings": PairingSerializer(many=True),
                "unpaired_households": serializers.ListField(child=serializers.IntegerField()),
            },
        ),
    )
    def post(self, request: Request) -> Response:
        actor = actor_of(request)
        data = strict_data(PairingRepairSerializer, request.data)
        member = resident_get(actor=actor, pk=data["member"])
        made, left = services.pairing_repair(actor=actor, member=member, cap=data["cap"])
        return Response(
            {"pairings": PairingSerializer(made, many=True).data, "unpaired_households": left}
        )
