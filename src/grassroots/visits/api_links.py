"""REST API around a visit: what was found → a dispute, and the registry proposals made at the
door (listed for the grids the caller edits; accepted or rejected)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.core import params
from grassroots.core.actors import actor_of
from grassroots.core.rest import strict_data
from grassroots.core.roles import Perm
from grassroots.disputes.choices import Kind, PartyRole, Risk
from grassroots.disputes.forms import OUTSIDER
from grassroots.visits import selectors, services
from grassroots.visits.api import VisitSerializer
from grassroots.visits.models import RegistryProposal


class PartyInSerializer(serializers.Serializer[dict[str, Any]]):
    writes = "disputes.Party"  # docs/forms-inventory.md
    reasons = {k: OUTSIDER for k in ("name", "id_number", "phone")}

    role = serializers.ChoiceField(choices=PartyRole.choices)
    resident = serializers.IntegerField(required=False, min_value=1, default=None)
    name = serializers.CharField(max_length=60, required=False, default="", allow_blank=True)
    id_number = serializers.CharField(max_length=30, required=False, default="", allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, default="", allow_blank=True)


class ToDisputeSerializer(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=Kind.choices)
    summary = serializers.CharField(max_length=8000, required=False, default="", allow_blank=True)
    risk = serializers.ChoiceField(choices=Risk.choices, required=False, default="")
    # absent: the household's members (those met, else all) as applicants
    parties = serializers.ListField(child=PartyInSerializer(), required=False, max_length=50)
    found_on = serializers.DateField(required=False, default=None)


class VisitToDispute(APIView):
    """What the visit found becomes a dispute (found via 入户走访), linked both ways; 409 twice."""

    method_perms = {"POST": Perm.HANDLE_DISPUTES}

    @extend_schema(request=ToDisputeSerializer, responses={201: VisitSerializer})
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        visit = selectors.visit_get(actor=actor, pk=pk)
        data = strict_data(ToDisputeSerializer, request.data)
        parties = (
            tuple(services.PartyIn(**p) for p in data["parties"]) if "parties" in data else None
        )
        visit, _dispute = services.visit_to_dispute(
            actor=actor,
            visit=visit,
            kind=data["kind"],
            summary=data["summary"],
            risk=data["risk"],
            parties=parties,
            found_on=data["found_on"],
        )
        visit = selectors.visit_get(actor=actor, pk=visit.pk)
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)


class ProposalSerializer(serializers.ModelSerializer[RegistryProposal]):
    """A proposal as shown: the new phone only masked (the sealed value never leaves)."""

    resident_name = serializers.CharField(source="resident.name", read_only=True)
    household = serializers.IntegerField(source="visit.household_id", read_only=True)
    visited_on = serializers.DateField(source="visit.visited_on", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = RegistryProposal
        fields = [
            "id", "visit", "visited_on", "household", "area", "area_name", "resident",
            "resident_name", "kind", "phone_masked", "note", "state", "reason", "proposed_by",
            "decided_by", "decided_at", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


@extend_schema(
    parameters=[
        OpenApiParameter("state", str, description="pending (default), accepted, rejected, all"),
        OpenApiParameter("within", int, description="Area subtree"),
    ]
)
class ProposalList(generics.ListAPIView[RegistryProposal]):
    """Registry proposals of the grids the caller edits (EDIT_PEOPLE), newest first."""

    serializer_class = ProposalSerializer

    def get_queryset(self) -> Any:
        p = self.request.query_params
        return selectors.proposal_list(
            actor=actor_of(self.request),
            state=p.get("state"),
            within=params.row_id("within", p.get("within")),
        )


class DecideSerializer(serializers.Serializer[dict[str, str]]):
    reason = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class _Decide(APIView):
    method_perms = {"POST": Perm.EDIT_PEOPLE}
    accept = True

    @extend_schema(request=DecideSerializer, responses=ProposalSerializer)
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        proposal = selectors.proposal_get(actor=actor, pk=pk)
        data = strict_data(DecideSerializer, request.data)
        services.proposal_decide(
            actor=actor, proposal=proposal, accept=self.accept, reason=data["reason"]
        )
        return Response(ProposalSerializer(selectors.proposal_get(actor=actor, pk=pk)).data)


class ProposalAccept(_Decide):
    """Apply the proposal to the registry (people services); 409 when already decided."""

    accept = True


class ProposalReject(_Decide):
    """Reject the proposal (`reason` required); 409 when already decided."""

    accept = False
