"""REST API of the community app under `/api/v1/community/{id}/…` (id: the community's area)
and `/api/v1/community-standards/{id}/` (id: the county's area); the liaison station's endpoints
are in `community.api_liaison`.

Reads need VIEW_AREAS over the community (pupils and participants are never listed here: only
their counts); writes name their right (`method_perms`) and call one service each.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.community import selectors, services
from grassroots.community.choices import ActivityKind, FacilityKind, TeamKind
from grassroots.community.models import (
    Activity,
    Facility,
    Standard,
    TeamMember,
)
from grassroots.core.actors import actor_of
from grassroots.core.params import ID_MAX, INT_MAX, INT_MIN
from grassroots.core.rest import strict_data
from grassroots.core.roles import Perm


class RoomSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField(max_length=60)
    area_sqm = serializers.IntegerField(min_value=INT_MIN, max_value=INT_MAX)
    use = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)


class FacilitySerializer(serializers.ModelSerializer[Facility]):
    rooms = RoomSerializer(many=True, read_only=True)
    pupils = serializers.IntegerField(read_only=True)
    staff_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Facility
        fields = [
            "id", "area", "kind", "name", "area_sqm", "places", "opening_hours", "run_by",
            "recorded_on", "rooms", "pupils", "staff_count",
        ]  # fmt: skip
        read_only_fields = fields


class FacilityInSerializer(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=FacilityKind.choices)
    name = serializers.CharField(max_length=100)
    # Signed on purpose: the service refuses a negative area naming the field.
    area_sqm = serializers.IntegerField(
        min_value=INT_MIN, max_value=INT_MAX, required=False, default=0
    )
    places = serializers.IntegerField(
        min_value=INT_MIN, max_value=INT_MAX, required=False, default=0
    )
    opening_hours = serializers.CharField(
        max_length=100, required=False, default="", allow_blank=True
    )
    run_by = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, required=False, allow_null=True, default=None
    )
    rooms = RoomSerializer(many=True, required=False, default=list)


def community_of(request: Request, pk: int) -> Any:
    """The community `pk` of the URL, if the caller sees it (else 404)."""
    return selectors.community_get(actor=actor_of(request), pk=pk)


class CommunitySummary(APIView):
    """A community at a glance: its registered figures (each with the link to its rows) and its
    compliance checklist against the county's standard."""

    @extend_schema(responses=dict[str, Any])
    def get(self, request: Request, pk: int) -> Response:
        community = community_of(request, pk)
        checklist = selectors.community_compliance(community)
        figures = selectors.community_figures(community)
        return Response(
            {
                "id": community.pk,
                "name": community.name,
                "figures": {
                    n: {"label": str(f["label"]), "value": f["value"], "link": f["link"]}
                    for n, f in figures.items()
                },
                "compliance": None
                if checklist is None
                else {
                    "met": checklist.met,
                    "checks": [
                        {
                            "kind": c.kind,
                            "key": c.key,
                            "label": c.label,
                            "required": c.required,
                            "found": c.found,
                            "ok": c.ok,
                            "gap": c.gap,
                        }
                        for c in checklist.checks
                    ],
                },
            }
        )


class FacilityList(APIView):
    """The community's facilities; POST records one with its rooms."""

    method_perms = {"POST": Perm.EDIT_COMMUNITY}

    @extend_schema(responses=FacilitySerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        rows = selectors.facilities_of(community_of(request, pk))
        return Response(FacilitySerializer(rows, many=True).data)

    @extend_schema(request=FacilityInSerializer, responses={201: FacilitySerializer})
    def post(self, request: Request, pk: int) -> Response:
        community = community_of(request, pk)
        data = strict_data(FacilityInSerializer, request.data)
        facility = services.facility_create(
            actor=actor_of(request),
            community=community,
            data=services.FacilityIn(
                kind=data["kind"],
                name=data["name"],
                area_sqm=data["area_sqm"],
                places=data["places"],
                opening_hours=data["opening_hours"],
                run_by=data["run_by"],
                rooms=tuple(services.RoomIn(**r) for r in data["rooms"]),
            ),
        )
        row = selectors.facilities_of(community).get(pk=facility.pk)
        return Response(FacilitySerializer(row).data, status=status.HTTP_201_CREATED)


class EnrolInSerializer(serializers.Serializer[dict[str, Any]]):
    residents = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX), min_length=1, max_length=500
    )
    enrolled_on = serializers.DateField()


class FacilityEnrol(APIView):
    """Enrol registry children at the community's school or kindergarten (all or none)."""

    method_perms = {"POST": Perm.EDIT_COMMUNITY}

    @extend_schema(request=EnrolInSerializer, responses={201: FacilitySerializer})
    def post(self, request: Request, pk: int, facility_pk: int) -> Response:
        community = community_of(request, pk)
        facility = selectors.facility_get(community=community, pk=facility_pk)
        data = strict_data(EnrolInSerializer, request.data)
        services.enrolment_create(
            actor=actor_of(request),
            facility=facility,
            residents=tuple(data["residents"]),
            enrolled_on=data["enrolled_on"],
        )
        row = selectors.facilities_of(community).get(pk=facility.pk)
        return Response(FacilitySerializer(row).data, status=status.HTTP_201_CREATED)


class StaffInSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField(max_length=60)
    role = serializers.CharField(max_length=60)
    started_on = serializers.DateField()


class FacilityStaffAdd(APIView):
    """Add a person working at the facility (a clinic's doctor or nurse)."""

    method_perms = {"POST": Perm.EDIT_COMMUNITY}

    @extend_schema(request=StaffInSerializer, responses={201: FacilitySerializer})
    def post(self, request: Request, pk: int, facility_pk: int) -> Response:
        community = community_of(request, pk)
        facility = selectors.facility_get(community=community, pk=facility_pk)
        data = strict_data(StaffInSerializer, request.data)
        services.facility_staff_add(actor=actor_of(request), facility=facility, **data)
        row = selectors.facilities_of(community).get(pk=facility.pk)
        return Response(FacilitySerializer(row).data, status=status.HTTP_201_CREATED)


class TeamMemberSerializer(serializers.ModelSerializer[TeamMember]):
    unit_name = serializers.CharField(source="unit.name", read_only=True, default=None)

    class Meta:
        model = TeamMember
        fields = ["id", "kind", "name", "unit", "unit_name", "duties", "started_on", "ended_on"]
        read_only_fields = fields


class TeamInSerializer(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=TeamKind.choices)
    name = serializers.CharField(max_length=100)
    unit = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, required=False, allow_null=True, default=None
    )
    duties = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    started_on = serializers.DateField(required=False, default=None)


class TeamList(APIView):
    """The community's integrated service team; POST adds a member."""

    method_perms = {"POST": Perm.EDIT_COMMUNITY}

    @extend_schema(responses=TeamMemberSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        return Response(
            TeamMemberSerializer(selectors.team_of(community_of(request, pk)), many=True).data
        )

    @extend_schema(request=TeamInSerializer, responses={201: TeamMemberSerializer})
    def post(self, request: Request, pk: int) -> Response:
        community = community_of(request, pk)
        data = strict_data(TeamInSerializer, request.data)
        member = services.team_member_add(actor=actor_of(request), community=community, **data)
        return Response(TeamMemberSerializer(member).data, status=status.HTTP_201_CREATED)


class ActivitySerializer(serializers.ModelSerializer[Activity]):
    households = serializers.IntegerField(read_only=True)
    pupils = serializers.IntegerField(read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id", "kind", "title", "series", "held_on", "place", "organiser", "open_count",
            "households", "pupils",
        ]  # fmt: skip
        read_only_fields = fields


class ParticipantInSerializer(serializers.Serializer[dict[str, Any]]):
    household = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    resident = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, required=False, allow_null=True, default=None
    )
    pupil = serializers.BooleanField(required=False, default=False)
    volunteer_hours = serializers.CharField(max_length=8, required=False, default="0")


class ActivityInSerializer(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    title = serializers.CharField(max_length=100)
    held_on = serializers.DateField()
    series = serializers.CharField(max_length=60, required=False, default="", allow_blank=True)
    place = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    organiser = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    open_count = serializers.IntegerField(
        min_value=INT_MIN, max_value=INT_MAX, required=False, default=0
    )
    participants = ParticipantInSerializer(many=True, required=False, default=list)


class ActivityList(APIView):
    """The community's activity sessions, newest first; POST records one with participants."""

    method_perms = {"POST": Perm.EDIT_COMMUNITY}

    @extend_schema(responses=ActivitySerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        rows = selectors.activities_of(community_of(request, pk))[:200]
        return Response(ActivitySerializer(rows, many=True).data)

    @extend_schema(request=ActivityInSerializer, responses={201: ActivitySerializer})
    def post(self, request: Request, pk: int) -> Response:
        community = community_of(request, pk)
        data = strict_data(ActivityInSerializer, request.data)
        people = tuple(services.ParticipantIn(**p) for p in data.pop("participants"))
        activity = services.activity_record(
            actor=actor_of(request),
            community=community,
            data=services.ActivityIn(**data, participants=people),
        )
        row = selectors.activities_of(community).get(pk=activity.pk)
        return Response(ActivitySerializer(row).data, status=status.HTTP_201_CREATED)


class StandardPostSerializer(serializers.Serializer[dict[str, Any]]):
    post_type = serializers.CharField(max_length=40)
    count = serializers.IntegerField(min_value=INT_MIN, max_value=INT_MAX)


class StandardFacilitySerializer(serializers.Serializer[dict[str, Any]]):
    kind = serializers.CharField(max_length=20)
    min_area_sqm = serializers.IntegerField(
        min_value=INT_MIN, max_value=INT_MAX, required=False, default=0
    )


class StandardSerializer(serializers.Serializer[dict[str, Any]]):
    posts = StandardPostSerializer(many=True)
    facilities = StandardFacilitySerializer(many=True)
    services = serializers.ListField(child=serializers.CharField(max_length=20))
    grids_staffed = serializers.BooleanField(required=False, default=True)


def _standard_data(standard: Standard | None) -> dict[str, Any]:
    if standard is None:
        return {"posts": [], "facilities": [], "services": [], "grids_staffed": False}
    return {
        "posts": [{"post_type": p.post_type.code, "count": p.count} for p in standard.posts.all()],
        "facilities": [
            {"kind": f.kind, "min_area_sqm": f.min_area_sqm} for f in standard.facilities.all()
        ],
        "services": [s.kind for s in standard.services.all()],
        "grids_staffed": standard.grids_staffed,
    }


class StandardDetail(APIView):
    """The county's community standard; PUT replaces it whole (the organisation department)."""

    method_perms = {"PUT": Perm.MANAGE_STANDARD}

    @extend_schema(responses=StandardSerializer)
    def get(self, request: Request, pk: int) -> Response:
        county = selectors.standard_get(actor=actor_of(request), pk=pk)
        return Response(_standard_data(selectors.standard_of(county.pk)))

    @extend_schema(request=StandardSerializer, responses=StandardSerializer)
    def put(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        county = selectors.standard_get(actor=actor, pk=pk)
        data = strict_data(StandardSerializer, request.data)
        services.standard_set(
            actor=actor,
            county=county,
            data=services.StandardIn(
                posts=tuple((p["post_type"], p["count"]) for p in data["posts"]),
                facilities=tuple((f["kind"], f["min_area_sqm"]) for f in data["facilities"]),
                services=tuple(data["services"]),
                grids_staffed=data["grids_staffed"],
            ),
        )
        return Response(_standard_data(selectors.standard_of(county.pk)))
