"""REST API of visits: visit logs (Idempotency-Key), need → case, due visits, plan rules.

Pairings live in `visits.api_pairing`; a visit's dispute and registry proposals in
`visits.api_links`.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.areas.selectors import area_get
from grassroots.core import params
from grassroots.core.actors import actor_of
from grassroots.core.errors import invalid_filter
from grassroots.core.models import User
from grassroots.core.rest import strict_data
from grassroots.core.roles import Perm
from grassroots.visits import due, selectors, services
from grassroots.visits.models import PlanRule, Visit


class VisitSerializer(serializers.ModelSerializer[Visit]):
    household_number = serializers.CharField(source="household.number", read_only=True)
    address = serializers.CharField(source="household.dwelling.address", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    visitor_name = serializers.CharField(source="visitor.__str__", read_only=True)
    member_name = serializers.CharField(source="member.name", read_only=True, default=None)
    case_number = serializers.CharField(source="case.number", read_only=True, default=None)
    dispute_number = serializers.CharField(source="dispute.number", read_only=True, default=None)
    met = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = [
            "id", "household", "household_number", "address", "area", "area_name", "visitor",
            "visitor_name", "member", "member_name", "visited_on", "met", "all_well", "needs",
            "risks", "opinions", "lat", "lon", "case", "case_number", "dispute", "dispute_number",
            "photos", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_met(self, obj: Visit) -> list[dict[str, Any]]:
        return [{"id": r.pk, "name": r.name} for r in obj.met.all()]

    def get_photos(self, obj: Visit) -> list[dict[str, Any]]:
        """Each photo's id and its scoped address (`/visits/photos/{id}/`)."""
        return [
            {"id": p.pk, "url": reverse("visits:photo", args=[p.pk]), "type": p.content_type}
            for p in obj.photos.all()
        ]


class ProposalInSerializer(serializers.Serializer[dict[str, Any]]):
    writes = "visits.RegistryProposal"  # docs/forms-inventory.md
    reasons = {
        "phone": "a member's new number, proposed: the form shows the registry's (masked) and asks "
        "only a changed one; people.Resident.phone is written when the community accepts it"
    }

    resident = serializers.IntegerField(min_value=1)
    kind = serializers.CharField(max_length=20)
    phone = serializers.CharField(max_length=30, required=False, default="", allow_blank=True)
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class VisitLocationSerializer(serializers.Serializer[dict[str, float]]):
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lon = serializers.FloatField(min_value=-180, max_value=180)


class VisitCreateSerializer(serializers.Serializer[dict[str, Any]]):
    subject = "people.Household"  # docs/forms-inventory.md
    subject_from = "household"
    writes = "visits.Visit"

    household = serializers.IntegerField(min_value=1)
    visited_on = serializers.DateField(required=False)
    met = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list, max_length=30
    )
    all_well = serializers.BooleanField(required=False, default=False)
    needs = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)
    risks = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)
    opinions = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)
    member = serializers.IntegerField(required=False, min_value=1, allow_null=True, default=None)
    location = VisitLocationSerializer(required=False)
    proposals = serializers.ListField(
        child=ProposalInSerializer(), required=False, default=list, max_length=10
    )


def visit_input(data: dict[str, Any]) -> services.VisitInput:
    """The service's input from a validated VisitCreateSerializer body."""
    where = data.get("location") or {}
    return services.VisitInput(
        household=data["household"],
        visited_on=data.get("visited_on") or timezone.localdate(),
        met=tuple(data["met"]),
        all_well=data["all_well"],
        needs=data["needs"],
        risks=data["risks"],
        opinions=data["opinions"],
        member=data["member"],
        lat=where.get("lat"),
        lon=where.get("lon"),
        proposals=tuple(services.ProposalIn(**p) for p in data["proposals"]),
    )


def _visits(qs: Any) -> Any:
    return qs.prefetch_related("met", "photos")


@extend_schema(
    parameters=[
        OpenApiParameter("within", int, description="Area subtree"),
        OpenApiParameter("household", int),
        OpenApiParameter("visitor", int),
        OpenApiParameter("from", str, description="YYYY-MM-DD"),
        OpenApiParameter("to", str, description="YYYY-MM-DD"),
    ]
)
class VisitList(generics.ListCreateAPIView[Visit]):
    """Visits in the caller's scope, newest first; POST logs a visit (Idempotency-Key)."""

    method_perms = {"POST": Perm.EDIT_PEOPLE}

    serializer_class = VisitSerializer

    def get_queryset(self) -> Any:
        p = self.request.query_params
        return _visits(
            selectors.visit_list(
                actor=actor_of(self.request),
                within=params.row_id("within", p.get("within")),
                household=p.get("household"),
                visitor=p.get("visitor"),
                date_from=p.get("from"),
                date_to=p.get("to"),
                figure=p.get("figure"),
            )
        )

    @extend_schema(
        request=VisitCreateSerializer,
        responses={201: VisitSerializer, 200: VisitSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = strict_data(VisitCreateSerializer, request.data)
        actor = actor_of(request)
        visit, created = services.visit_log(
            actor=actor,
            data=visit_input(data),
            idempotency_key=request.headers.get("Idempotency-Key", ""),
        )
        visit = selectors.visit_get(actor=actor, pk=visit.pk)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(VisitSerializer(visit).data, status=code)


class VisitDetail(APIView):
    @extend_schema(responses=VisitSerializer)
    def get(self, request: Request, pk: int) -> Response:
        visit = selectors.visit_get(actor=actor_of(request), pk=pk)
        return Response(VisitSerializer(visit).data)


class ToCaseSerializer(serializers.Serializer[dict[str, str]]):
    matter = serializers.CharField(max_length=20)
    description = serializers.CharField(
        max_length=4000, required=False, default="", allow_blank=True
    )


class VisitToCase(APIView):
    """Turn the visit's need into a case (channel 入户走访), linked both ways."""

    method_perms = {"POST": Perm.CREATE_CASES}

    @extend_schema(request=ToCaseSerializer, responses={201: VisitSerializer})
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        visit = selectors.visit_get(actor=actor, pk=pk)
        data = strict_data(ToCaseSerializer, request.data)
        visit, _case = services.visit_to_case(
            actor=actor, visit=visit, matter=data["matter"], description=data["description"]
        )
        visit = selectors.visit_get(actor=actor, pk=visit.pk)
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)


class DueSerializer(serializers.Serializer[due.DueRow]):
    household = serializers.IntegerField(source="household_id")
    number = serializers.CharField()
    address = serializers.CharField()
    area = serializers.IntegerField(source="area_id")
    area_name = serializers.CharField()
    last_visit = serializers.DateField(allow_null=True)
    interval_days = serializers.IntegerField()
    rule_tag = serializers.CharField(allow_null=True)
    due_on = serializers.DateField()
    overdue = serializers.BooleanField()
    overdue_days = serializers.IntegerField()
    partner = serializers.CharField()
    distance_km = serializers.FloatField(allow_null=True)


def due_from(request: Any, actor: User) -> list[due.DueRow]:
    """The due rows for the query parameters of a page or API request."""
    p = request.GET if hasattr(request, "GET") else request.query_params
    where = _location(p.get("lat"), p.get("lon"))
    return due.due_rows(
        actor=actor,
        within=params.row_id("within", p.get("within")),
        mine=p.get("mine"),
        horizon=p.get("horizon"),
        overdue=p.get("overdue"),
        lat=where[0] if where else None,
        lon=where[1] if where else None,
    )


def _coordinate(field: str, value: Any, bound: float) -> float | None:
    """A latitude or longitude parameter, or None when absent; else the 400 naming it."""
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise invalid_filter(field, value) from None
    if not -bound <= number <= bound:
        raise invalid_filter(field, value)
    return number


def _location(lat: Any, lon: Any) -> tuple[float, float] | None:
    """The phone's position when both coordinates are given."""
    a, b = _coordinate("lat", lat, 90), _coordinate("lon", lon, 180)
    return (a, b) if a is not None and b is not None else None


@extend_schema(
    parameters=[
        OpenApiParameter("within", int, description="Area subtree"),
        OpenApiParameter("mine", bool, description="Only households paired with the caller"),
        OpenApiParameter("overdue", bool, description="Only overdue households"),
        OpenApiParameter("horizon", int, description="Days ahead (default 30)"),
        OpenApiParameter("lat", float),
        OpenApiParameter("lon", float),
    ]
)
class DueList(generics.ListAPIView[Any]):
    """Households whose planned visit is due or overdue, overdue (then nearest) first."""

    serializer_class = DueSerializer

    def get_queryset(self) -> Any:
        return due_from(self.request, actor_of(self.request))


class PlanRuleSerializer(serializers.ModelSerializer[PlanRule]):
    area_name = serializers.CharField(source="area.name", read_only=True, default=None)

    class Meta:
        model = PlanRule
        fields = ["id", "area", "area_name", "tag", "interval_days"]
        read_only_fields = fields


class PlanRuleSetSerializer(serializers.Serializer[dict[str, Any]]):
    area = serializers.IntegerField(min_value=1)
    tag = serializers.CharField(max_length=40, required=False, default="", allow_blank=True)
    interval_days = serializers.IntegerField()


class PlanRuleList(generics.ListCreateAPIView[PlanRule]):
    """The visit plan: county-wide defaults and the rules of areas in scope; POST sets one."""

    method_perms = {"POST": Perm.EDIT_PEOPLE}

    serializer_class = PlanRuleSerializer

    def get_queryset(self) -> Any:
        return selectors.plan_rules(actor=actor_of(self.request))

    @extend_schema(request=PlanRuleSetSerializer, responses={201: PlanRuleSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        actor = actor_of(request)
        data = strict_data(PlanRuleSetSerializer, request.data)
        area = area_get(actor=actor, pk=data["area"])
        rule = services.plan_rule_set(
            actor=actor, area=area, tag=data["tag"], interval_days=data["interval_days"]
        )
        return Response(PlanRuleSerializer(rule).data, status=status.HTTP_201_CREATED)
