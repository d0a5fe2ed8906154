"""REST API of transfer requests, for the holder's community (see `people.models_transfer`).

`GET /api/v1/transfer-requests/` lists the requests routed to the caller (residents living where
the caller may edit people); `POST …/{id}/decide/` accepts or declines one. Requesters are never
shown requests: their answer was the same "已提交，待核实" as for a free ID number.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.core.actors import actor_of
from grassroots.core.rest import strict_data
from grassroots.core.roles import Perm
from grassroots.people import selectors, services
from grassroots.people.choices import TransferState
from grassroots.people.models_transfer import TransferRequest


class TransferSerializer(serializers.ModelSerializer[TransferRequest]):
    resident_name = serializers.CharField(source="resident.name", read_only=True)
    id_number = serializers.CharField(source="resident.id_number_masked", read_only=True)
    household_number = serializers.CharField(source="household.number", read_only=True)
    household_area_name = serializers.CharField(source="household.area.name", read_only=True)

    class Meta:
        model = TransferRequest
        fields = [
            "id",
            "resident",
            "resident_name",
            "id_number",
            "name",
            "relation",
            "household",
            "household_number",
            "household_area_name",
            "source",
            "requested_at",
            "state",
            "decided_at",
            "note",
        ]
        read_only_fields = fields


class TransferDecideSerializer(serializers.Serializer[dict[str, Any]]):
    decision = serializers.ChoiceField(choices=["accept", "decline"])
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


@extend_schema(
    parameters=[OpenApiParameter("state", str, enum=TransferState.values, description="State")]
)
class TransferList(generics.ListAPIView[TransferRequest]):
    """Transfer requests routed to the caller's community, newest first."""

    serializer_class = TransferSerializer

    def get_queryset(self) -> Any:
        state = self.request.query_params.get("state")
        return selectors.transfer_list(actor=actor_of(self.request), state=state)


class TransferDecide(APIView):
    """Accept (the resident moves into the requested household) or decline one request."""

    method_perms = {"POST": Perm.EDIT_PEOPLE}

    @extend_schema(request=TransferDecideSerializer, responses=TransferSerializer)
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        transfer = selectors.transfer_get(actor=actor, pk=pk)
        data = strict_data(TransferDecideSerializer, request.data)
        transfer = services.transfer_decide(
            actor=actor, transfer=transfer, accept=data["decision"] == "accept", note=data["note"]
        )
        # once accepted the resident lives in the requester's grid: re-read without the scope
        transfer = TransferRequest.objects.select_related("resident", "household__area").get(
            pk=transfer.pk
        )
        return Response(TransferSerializer(transfer).data)
