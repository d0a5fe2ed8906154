"""REST API of relocation: relocated households and their items, the omission list, the
catalogue, the figures. Reads go through `relocation.selectors` (scoped; out of scope is 404),
writes through `relocation.services` and `relocation.workflow`, each naming its right."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.core import params
from grassroots.core.actors import actor_of
from grassroots.core.rest import strict_data
from grassroots.core.roles import Perm
from grassroots.relocation import figures, selectors, services, workflow
from grassroots.relocation.choices import Action, ItemState, Level, OmissionKind, Subject
from grassroots.relocation.models import EntitlementItem, Omission, RelocatedHousehold

MAX_ID = 2**63 - 1


class RelocatedSerializer(serializers.ModelSerializer[RelocatedHousehold]):
    number = serializers.CharField(source="household.number", read_only=True)
    origin_village_name = serializers.CharField(source="origin_village.name", read_only=True)

    class Meta:
        model = RelocatedHousehold
        fields = [
            "id", "household", "number", "area", "origin_village", "origin_village_name",
            "batch", "relocated_year", "land_mu", "land_kept", "land_trustee", "homestead",
            "homestead_agreement", "helper", "registered_on",
        ]  # fmt: skip
        read_only_fields = fields


class RelocatedInSerializer(serializers.Serializer[dict[str, Any]]):
    writes = "relocation.RelocatedHousehold"  # docs/forms-inventory.md

    household = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    origin_village = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    batch = serializers.CharField(max_length=40)
    relocated_year = serializers.IntegerField(min_value=1900, max_value=2200)
    land_mu = serializers.DecimalField(
        max_digits=8, decimal_places=2, required=False, default=Decimal(0)
    )
    land_kept = serializers.BooleanField(required=False, default=False)
    land_trustee = serializers.CharField(
        max_length=100, required=False, default="", allow_blank=True
    )
    homestead = serializers.BooleanField(required=False, default=False)
    homestead_agreement = serializers.CharField(
        max_length=60, required=False, default="", allow_blank=True
    )
    helper = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True, default=None
    )


class ItemSerializer(serializers.ModelSerializer[EntitlementItem]):
    entitlement_name = serializers.CharField(source="entitlement.name", read_only=True)
    member_name = serializers.CharField(source="member.name", read_only=True, default="")
    case_number = serializers.CharField(source="case.number", read_only=True, default="")

    class Meta:
        model = EntitlementItem
        fields = [
            "id", "relocated", "area", "entitlement", "entitlement_name", "member", "member_name",
            "state", "level", "owner", "helper", "due_on", "progressed_on", "evidence",
            "fulfilled_on", "reason", "approved_by", "case", "case_number", "escalated_on",
        ]  # fmt: skip
        read_only_fields = fields


class OmissionSerializer(serializers.ModelSerializer[Omission]):
    number = serializers.CharField(source="relocated.household.number", read_only=True)
    entitlement_name = serializers.CharField(source="entitlement.name", read_only=True, default="")

    class Meta:
        model = Omission
        fields = [
            "id", "kind", "relocated", "number", "area", "entitlement", "entitlement_name",
            "member", "item", "detail", "found_on", "closed_on",
        ]  # fmt: skip
        read_only_fields = fields


def filters_of(p: Any) -> selectors.Filters:
    """List filters from query parameters (each bad value a 400 naming it)."""
    return selectors.Filters(
        within=params.row_id("within", p.get("within")),
        batch=p.get("batch") or None,
        state=p.get("state") or None,
        kind=p.get("kind") or None,
        open=params.flag("open", p.get("open")),
        figure=p.get("figure") or None,
    )


LIST_PARAMS = [
    OpenApiParameter("within", int, description="Area subtree"),
    OpenApiParameter("figure", str),
]


@extend_schema(parameters=[*LIST_PARAMS, OpenApiParameter("batch", str)])
class RelocatedList(generics.ListCreateAPIView[RelocatedHousehold]):
    """Relocated households in the caller's scope; POST registers one (its items generated)."""

    method_perms = {"POST": Perm.EDIT_PEOPLE}
    serializer_class = RelocatedSerializer

    def get_queryset(self) -> Any:
        return selectors.relocated_list(
            actor=actor_of(self.request), filters=filters_of(self.request.query_params)
        )

    @extend_schema(request=RelocatedInSerializer, responses={201: RelocatedSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = strict_data(RelocatedInSerializer, request.data)
        relocated = services.relocated_register(
            actor=actor_of(request), data=services.RelocationInput(**data)
        )
        return Response(RelocatedSerializer(relocated).data, status=status.HTTP_201_CREATED)


def detail_json(actor: Any, relocated: RelocatedHousehold) -> dict[str, Any]:
    body: dict[str, Any] = dict(RelocatedSerializer(relocated).data)
    items = list(selectors.items_of(relocated=relocated))
    body["glance"] = selectors.glance(items)
    body["items"] = [
        {**ItemSerializer(i).data, "actions": workflow.allowed_actions(actor, i)} for i in items
    ]
    return body


class RelocatedDetail(APIView):
    """One relocated household with its items at a glance and the actions the caller may take."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        return Response(detail_json(actor, selectors.relocated_get(actor=actor, pk=pk)))


class RelocatedGenerate(APIView):
    """Bring the household's items in line with the rules now (idempotent: a second run creates
    nothing); answers the counts created and lapsed."""

    method_perms = {"POST": Perm.EDIT_PEOPLE}

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        relocated = selectors.relocated_get(actor=actor, pk=pk)
        out = services.items_generate(relocated=relocated, actor=actor)
        return Response({"created": out.created, "lapsed": out.lapsed})


PERSON_ACTIONS = [
    a for a in Action.values if a in workflow.EFFECTS and a not in workflow.SYSTEM_ONLY
]


class ItemActionSerializer(serializers.Serializer[dict[str, Any]]):
    action = serializers.ChoiceField(choices=PERSON_ACTIONS)
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=4000)
    evidence = serializers.CharField(required=False, default="", allow_blank=True, max_length=4000)
    owner = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, allow_null=True)
    helper = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, allow_null=True
    )


class ItemActions(APIView):
    """Apply one action to an item of the household: 200 with the item; 409 when its state does
    not allow it (escalating a fulfilled item, no level above the county); 400 naming the field
    (a missing reason or evidence, an owner outside the community)."""

    method_perms = {"POST": Perm.EDIT_PEOPLE}

    @extend_schema(request=ItemActionSerializer, responses=ItemSerializer)
    def post(self, request: Request, pk: int, item_pk: int) -> Response:
        actor = actor_of(request)
        relocated = selectors.relocated_get(actor=actor, pk=pk)
        item = selectors.item_get(relocated=relocated, pk=item_pk)
        data = strict_data(ItemActionSerializer, request.data)
        details = {k: data[k] for k in ("owner", "helper") if k in data}
        item, _event = workflow.item_apply(
            item_id=item.pk,
            action=data["action"],
            actor=actor,
            note=data["note"],
            evidence=data["evidence"],
            **details,
        )
        return Response(ItemSerializer(item).data)


@extend_schema(parameters=[*LIST_PARAMS, OpenApiParameter("state", str, enum=ItemState.values)])
class ItemList(generics.ListAPIView[EntitlementItem]):
    """Entitlement items in the caller's scope (the rows behind the item figures)."""

    serializer_class = ItemSerializer

    def get_queryset(self) -> Any:
        return selectors.item_list(
            actor=actor_of(self.request), filters=filters_of(self.request.query_params)
        )


@extend_schema(
    parameters=[
        *LIST_PARAMS,
        OpenApiParameter("kind", str, enum=OmissionKind.values),
        OpenApiParameter("open", bool),
    ]
)
class OmissionList(generics.ListAPIView[Omission]):
    """The omission check's findings in the caller's scope, open ones first."""

    serializer_class = OmissionSerializer

    def get_queryset(self) -> Any:
        return selectors.omission_list(
            actor=actor_of(self.request), filters=filters_of(self.request.query_params)
        )


class EntitlementInSerializer(serializers.Serializer[dict[str, Any]]):
    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=60)
    subject = serializers.ChoiceField(choices=Subject.choices)
    rule = serializers.CharField(max_length=500)
    owner_level = serializers.ChoiceField(
        choices=Level.choices, required=False, default=Level.COMMUNITY
    )
    matter = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
    due_days = serializers.IntegerField(required=False, default=30, min_value=1, max_value=3650)
    order = serializers.IntegerField(required=False, default=0, min_value=0, max_value=32000)
    active = serializers.BooleanField(required=False, default=True)


def entitlement_json(e: Any) -> dict[str, Any]:
    return {
        "id": e.pk,
        "code": e.code,
        "name": e.name,
        "subject": e.subject,
        "rule": e.rule,
        "in_words": e.in_words,
        "owner_level": e.owner_level,
        "matter": e.matter,
        "due_days": e.due_days,
        "active": e.active,
    }


class EntitlementList(APIView):
    """The entitlement catalogue with each rule in words; POST defines or changes an entry
    (its rule checked: 400 `invalid_rule` on `rule`)."""

    method_perms = {"GET": Perm.VIEW_PEOPLE, "POST": Perm.MANAGE_AREAS}

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        return Response([entitlement_json(e) for e in selectors.entitlement_list()])

    @extend_schema(request=EntitlementInSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request) -> Response:
        data = strict_data(EntitlementInSerializer, request.data)
        entry = services.entitlement_define(actor=actor_of(request), **data)
        return Response(entitlement_json(entry), status=status.HTTP_201_CREATED)


class RelocationFigures(APIView):
    """The relocation figures over the caller's scope, each with the list giving its rows."""

    method_perms = {"GET": Perm.VIEW_PEOPLE}

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        return Response({"figures": figures_json(actor_of(request))})


def figures_json(actor: Any) -> list[dict[str, Any]]:
    return [
        {"code": f.code, "label": str(f.label), "value": f.value, "link": f.link}
        for f in figures.relocation_figures(actor=actor)
    ]
