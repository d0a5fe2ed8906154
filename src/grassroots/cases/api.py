"""REST API of cases: the catalogue, intake, lists, the timeline, actions and the three rates."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.areas.models import Unit
from grassroots.cases import metrics, selectors, services, workflow
from grassroots.cases.choices import Action, Channel, Level, Satisfaction, State
from grassroots.cases.errors import CaseError
from grassroots.cases.errors import CaseErrorCode as E
from grassroots.cases.models import Case, CaseEvent, Matter
from grassroots.core import params
from grassroots.core.actors import actor_of
from grassroots.core.rest import strict_data
from grassroots.core.roles import Perm


class MatterSerializer(serializers.ModelSerializer[Matter]):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Matter
        fields = [
            "code", "name", "category", "keywords", "unit", "unit_name", "level",
            "response_amount", "response_unit", "resolution_amount", "resolution_unit",
            "materials", "description", "public", "needs_site_check",
        ]  # fmt: skip
        read_only_fields = fields


@extend_schema(
    parameters=[
        OpenApiParameter("level", str, enum=Level.values),
        OpenApiParameter("unit", int),
        OpenApiParameter("public", bool),
        OpenApiParameter("q", str, description="Name, keyword or pinyin initials"),
    ]
)
class MatterList(generics.ListAPIView[Matter]):
    """The catalogue of functional matters (职能事项)."""

    serializer_class = MatterSerializer

    def get_queryset(self) -> Any:
        p = self.request.query_params
        return selectors.matter_list(
            level=p.get("level"),
            unit=params.row_id("unit", p.get("unit")),
            public=params.flag("public", p.get("public")),
            q=p.get("q"),
        )


class CaseSerializer(serializers.ModelSerializer[Case]):
    matter = serializers.CharField(source="matter.code", read_only=True)
    matter_name = serializers.CharField(source="matter.name", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True, default=None)
    unit_name = serializers.CharField(source="unit.name", read_only=True, default=None)
    reporter_phone = serializers.CharField(source="reporter_phone_masked", read_only=True)

    class Meta:
        model = Case
        fields = [
            "id", "number", "title", "description", "state", "matter", "matter_name", "channel",
            "area", "area_name", "unit", "unit_name", "level", "household", "reporter_name",
            "reporter_phone", "lat", "lon", "address", "location_unmatched", "created_at",
            "dispatched_at", "accepted_at", "resolved_at", "closed_at", "response_due",
            "resolution_due", "overdue", "supervised", "urge_count", "reopen_count",
            "escalation_count", "satisfaction", "closure", "needs_site_check", "site_checked",
            "merged_into",
        ]  # fmt: skip
        read_only_fields = fields

    def to_representation(self, instance: Case) -> dict[str, Any]:
        """Meta.fields with DRF's values, built directly: DRF's generic field machinery cost
        ≈ 5 ms a case, a fifth of an intake (tests compare the two outputs)."""
        return case_json(instance)


_PLAIN = (
    "id", "number", "title", "description", "state", "channel", "level", "reporter_name", "lat",
    "lon", "address", "location_unmatched", "overdue", "supervised", "urge_count",
    "reopen_count", "escalation_count", "satisfaction", "closure", "needs_site_check",
    "site_checked",
)  # fmt: skip
_IDS = ("area", "unit", "household", "merged_into")
_TIMES = (
    "created_at", "dispatched_at", "accepted_at", "resolved_at", "closed_at", "response_due",
    "resolution_due",
)  # fmt: skip


def _iso(value: datetime.datetime | None) -> str | None:
    """A time as DRF writes it: ISO 8601 in the current time zone (UTC as "Z")."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def case_json(case: Case) -> dict[str, Any]:
    """One case as CaseSerializer's JSON (masked phone only), in Meta.fields order."""
    out: dict[str, Any] = {name: getattr(case, name) for name in _PLAIN}
    out.update({name: getattr(case, f"{name}_id") for name in _IDS})
    out.update({name: _iso(getattr(case, name)) for name in _TIMES})
    out["matter"], out["matter_name"] = case.matter.code, case.matter.name
    out["area_name"] = case.area.name if case.area is not None else None
    out["unit_name"] = case.unit.name if case.unit is not None else None
    out["reporter_phone"] = case.reporter_phone_masked
    return {name: out[name] for name in CaseSerializer.Meta.fields}


class LocationSerializer(serializers.Serializer[dict[str, float]]):
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lon = serializers.FloatField(min_value=-180, max_value=180)


class ReporterSerializer(serializers.Serializer[dict[str, str]]):
    name = serializers.CharField(max_length=60, required=False, default="", allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, default="", allow_blank=True)


class CaseCreateSerializer(serializers.Serializer[dict[str, Any]]):
    # What it fills and why it may ask the reporter (docs/forms-inventory.md).
    subject = "people.Household"
    subject_from = "household"
    writes = "cases.Case"
    fills = {
        "reporter.name": "cases.Case.reporter_name",
        "reporter.phone": "cases.Case.reporter_phone",
    }
    reasons = {
        "reporter.name": "the caller as the sending channel (12345, WeChat) knows them; a case "
        "placed by household links the household, whose members are read from the registry",
        "reporter.phone": "the number the report came from, as the sending channel knows it; "
        "never written to the registry",
    }

    matter = serializers.CharField(max_length=20)
    channel = serializers.ChoiceField(choices=Channel.choices)
    description = serializers.CharField(max_length=4000)
    title = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    location = LocationSerializer(required=False)
    area = serializers.IntegerField(required=False, min_value=1)
    household = serializers.IntegerField(required=False, min_value=1)
    reporter = ReporterSerializer(required=False)
    address = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    answer = serializers.CharField(
        max_length=2000,
        required=False,
        default="",
        allow_blank=True,
        help_text="Answered at the seat: the case is recorded and closed with this answer",
    )
    attributes = serializers.DictField(
        child=serializers.CharField(max_length=200, allow_blank=True),
        required=False,
        help_text="Answers to the matter's extra questions, by question code (required ones "
        "must be answered; a question with listed values takes one of their keys)",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        given = [k for k in ("location", "area", "household") if attrs.get(k) is not None]
        if len(given) > 1:
            raise serializers.ValidationError({given[1]: ["give one of location, area, household"]})
        return attrs


def intake_from(data: dict[str, Any]) -> services.Intake:
    location = data.get("location") or {}
    reporter = data.get("reporter") or {}
    return services.Intake(
        matter=data["matter"],
        channel=data["channel"],
        description=data["description"],
        title=data.get("title", ""),
        lat=location.get("lat"),
        lon=location.get("lon"),
        area=data.get("area"),
        household=data.get("household"),
        reporter_name=reporter.get("name", ""),
        reporter_phone=reporter.get("phone", ""),
        address=data.get("address", ""),
        answer=data.get("answer", ""),
        attributes=data.get("attributes"),
    )


@extend_schema(
    parameters=[
        OpenApiParameter("state", str, enum=State.values),
        OpenApiParameter("matter", str),
        OpenApiParameter("unit", int),
        OpenApiParameter("within", int, description="Area subtree"),
        OpenApiParameter("overdue", bool),
        OpenApiParameter("supervised", bool),
        OpenApiParameter("q", str, description="Text in title or description, or the number"),
        OpenApiParameter("ordering", str, enum=["due", "-created"]),
    ]
)
class CaseList(generics.ListCreateAPIView[Case]):
    """Cases in the caller's scope, soonest due first; POST registers a case (Idempotency-Key)."""

    method_perms = {"POST": Perm.CREATE_CASES}

    serializer_class = CaseSerializer

    def get_queryset(self) -> Any:
        p = self.request.query_params
        filters = selectors.CaseFilters(
            state=p.get("state"),
            matter=p.get("matter"),
            unit=params.row_id("unit", p.get("unit")),
            within=params.row_id("within", p.get("within")),
            overdue=params.flag("overdue", p.get("overdue")),
            supervised=params.flag("supervised", p.get("supervised")),
            q=p.get("q"),
        )
        return selectors.case_list(
            actor=actor_of(self.request),
            filters=filters,
            ordering=p.get("ordering", "due"),
            paged=True,
        )

    @extend_schema(
        request=CaseCreateSerializer,
        responses={201: CaseSerializer, 200: CaseSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = strict_data(CaseCreateSerializer, request.data)
        case, created = services.case_intake(
            actor=actor_of(request),
            intake=intake_from(data),
            idempotency_key=request.headers.get("Idempotency-Key", ""),
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(CaseSerializer(case).data, status=code)


class CaseDetail(APIView):
    @extend_schema(responses=CaseSerializer)
    def get(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        case = selectors.case_get(actor=actor, pk=pk)
        body = CaseSerializer(case).data
        body["actions"] = workflow.allowed_actions(actor, case)
        body["assists"] = list(case.assists.values_list("unit_id", flat=True))
        duplicates = selectors.duplicate_candidates(actor=actor, case=case)
        body["duplicates"] = [{"id": d.pk, "number": d.number} for d in duplicates[:5]]
        return Response(body)


class EventSerializer(serializers.ModelSerializer[CaseEvent]):
    from_unit_name = serializers.CharField(source="from_unit.name", default=None, read_only=True)
    to_unit_name = serializers.CharField(source="to_unit.name", default=None, read_only=True)
    actor_display = serializers.CharField(
        read_only=True, help_text="Name and post, e.g. 张三（石楼小镇社区 社区书记）"
    )

    class Meta:
        model = CaseEvent
        fields = [
            "id", "at", "actor_name", "actor_display", "actor_post", "action", "from_state",
            "to_state", "from_unit", "from_unit_name", "to_unit", "to_unit_name", "note",
            "public_note", "data",
        ]  # fmt: skip
        read_only_fields = fields


class CaseEvents(APIView):
    """The case's timeline, oldest first (every change is one immutable event)."""

    @extend_schema(responses=EventSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        case = selectors.case_get(actor=actor_of(request), pk=pk)
        return Response(EventSerializer(selectors.case_events(case=case), many=True).data)


class ActionSerializer(serializers.Serializer[dict[str, Any]]):
    action = serializers.ChoiceField(choices=[a for a in Action.values if a in workflow.NEEDS])
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)
    public_note = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=2000
    )
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, required=False)
    unit = serializers.IntegerField(required=False, min_value=1)
    into = serializers.IntegerField(required=False, min_value=1)


class CaseActions(APIView):
    """Apply one workflow action: 200 with the case, 409 when the state does not allow it (or
    another action won the race), 403 when the caller may not take it."""

    method_perms = {"POST": Perm.VIEW_CASES}

    @extend_schema(request=ActionSerializer, responses=CaseSerializer)
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        case = selectors.case_get(actor=actor, pk=pk)
        data = strict_data(ActionSerializer, request.data)
        details: dict[str, Any] = {}
        if "satisfaction" in data:
            details["satisfaction"] = data["satisfaction"]
        if "unit" in data:
            details["unit"] = Unit.objects.filter(pk=data["unit"], active=True).first()
            if details["unit"] is None:
                raise CaseError(E.INVALID_VALUE, "unit", field="unit")
        if "into" in data:
            details["into"] = selectors.case_get(actor=actor, pk=data["into"])
        case, _event = workflow.case_apply(
            case_id=case.pk,
            action=data["action"],
            actor=actor,
            note=data["note"],
            public_note=data["public_note"],
            **details,
        )
        return Response(CaseSerializer(case).data)


class CaseReveal(APIView):
    """The reporter's full phone, for the case's current handler or its review operator: audited
    with the case number as the purpose, never cached; 404 out of scope, 403 for anyone else."""

    method_perms = {"POST": Perm.VIEW_CASES}

    @extend_schema(
        request=None,
        responses=inline_serializer("RevealedPhone", {"phone": serializers.CharField()}),
    )
    def post(self, request: Request, pk: int) -> Response:
        phone = services.case_reveal_reporter(actor=actor_of(request), pk=pk)
        response = Response({"phone": phone})
        response["Cache-Control"] = "no-store"
        response["Pragma"] = "no-cache"
        return response


class CaseMetrics(APIView):
    """The three rates and the overdue count over the caller's scope (see docs/cases.md)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("within", int),
            OpenApiParameter("unit", int),
            OpenApiParameter("matter", str),
            OpenApiParameter("from", OpenApiTypes.DATE),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Exclusive"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        p = request.query_params
        figures = metrics.case_metrics(
            actor=actor_of(request),
            within=params.row_id("within", p.get("within")),
            unit=params.row_id("unit", p.get("unit")),
            matter=p.get("matter"),
            start=p.get("from"),
            end=p.get("to"),
        )
        return Response(figures)
