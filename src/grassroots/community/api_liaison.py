"""REST API of the community's deputies' liaison stations: stations, county leaders' visits and
the issues collected at them (each a case), under `/api/v1/community/{id}/…`."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.community import selectors, services
from grassroots.community.api import community_of
from grassroots.community.models import LiaisonIssue, LiaisonVisit, Station
from grassroots.core.actors import actor_of
from grassroots.core.params import ID_MAX, INT_MAX, INT_MIN
from grassroots.core.rest import strict_data
from grassroots.core.roles import Perm


class StationSerializer(serializers.ModelSerializer[Station]):
    class Meta:
        model = Station
        fields = ["id", "name", "address", "deputies", "opening_days"]
        read_only_fields = fields


class StationInSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField(max_length=100)
    address = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    deputies = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    opening_days = serializers.CharField(
        max_length=100, required=False, default="", allow_blank=True
    )


class StationList(APIView):
    """The community's deputies' liaison stations; POST sets one up."""

    method_perms = {"POST": Perm.EDIT_COMMUNITY}

    @extend_schema(responses=StationSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        rows = selectors.stations_of(community_of(request, pk))
        return Response(StationSerializer(rows, many=True).data)

    @extend_schema(request=StationInSerializer, responses={201: StationSerializer})
    def post(self, request: Request, pk: int) -> Response:
        community = community_of(request, pk)
        data = strict_data(StationInSerializer, request.data)
        station = services.station_create(actor=actor_of(request), community=community, **data)
        return Response(StationSerializer(station).data, status=status.HTTP_201_CREATED)


class LiaisonVisitSerializer(serializers.ModelSerializer[LiaisonVisit]):
    station_name = serializers.CharField(source="station.name", read_only=True)
    issue_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = LiaisonVisit
        fields = [
            "id", "station", "station_name", "visited_on", "leader", "residents_met", "topics",
            "issue_count",
        ]  # fmt: skip
        read_only_fields = fields


class LiaisonVisitInSerializer(serializers.Serializer[dict[str, Any]]):
    station = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    visited_on = serializers.DateField()
    leader = serializers.CharField(max_length=60)
    residents_met = serializers.IntegerField(
        min_value=INT_MIN, max_value=INT_MAX, required=False, default=0
    )
    topics = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class LiaisonVisitList(APIView):
    """County leaders' visits to the community's liaison station; POST records one."""

    method_perms = {"POST": Perm.EDIT_COMMUNITY}

    @extend_schema(responses=LiaisonVisitSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        rows = selectors.liaison_visits_of(community_of(request, pk))[:500]
        return Response(LiaisonVisitSerializer(rows, many=True).data)

    @extend_schema(request=LiaisonVisitInSerializer, responses={201: LiaisonVisitSerializer})
    def post(self, request: Request, pk: int) -> Response:
        community = community_of(request, pk)
        data = strict_data(LiaisonVisitInSerializer, request.data)
        station = selectors.station_get(community=community, pk=data.pop("station"))
        visit = services.liaison_visit_record(actor=actor_of(request), station=station, **data)
        row = selectors.liaison_visits_of(community).get(pk=visit.pk)
        return Response(LiaisonVisitSerializer(row).data, status=status.HTTP_201_CREATED)


class LiaisonIssueSerializer(serializers.ModelSerializer[LiaisonIssue]):
    case_number = serializers.CharField(source="case.number", read_only=True)
    case_state = serializers.CharField(source="case.state", read_only=True)

    class Meta:
        model = LiaisonIssue
        fields = ["id", "visit", "summary", "collected_on", "case", "case_number", "case_state"]
        read_only_fields = fields


class LiaisonIssueInSerializer(serializers.Serializer[dict[str, Any]]):
    visit = serializers.IntegerField(
        min_value=1, max_value=ID_MAX, required=False, allow_null=True, default=None
    )
    summary = serializers.CharField(max_length=300)
    matter = serializers.CharField(max_length=20)


class LiaisonIssueList(APIView):
    """Issues collected at the station's visits with their cases; POST collects one at a visit,
    registering its case (channel 代表联络站)."""

    method_perms = {"POST": Perm.EDIT_COMMUNITY}

    @extend_schema(responses=LiaisonIssueSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        community = community_of(request, pk)
        rows = selectors.liaison_issues_of(actor=actor_of(request), community=community)[:500]
        return Response(LiaisonIssueSerializer(rows, many=True).data)

    @extend_schema(request=LiaisonIssueInSerializer, responses={201: LiaisonIssueSerializer})
    def post(self, request: Request, pk: int) -> Response:
        community = community_of(request, pk)
        data = strict_data(LiaisonIssueInSerializer, request.data)
        visit = data["visit"]
        if visit is not None:
            visit = selectors.liaison_visit_get(community=community, pk=visit)
        issue = services.liaison_issue_collect(
            actor=actor_of(request), visit=visit, summary=data["summary"], matter=data["matter"]
        )
        return Response(LiaisonIssueSerializer(issue).data, status=status.HTTP_201_CREATED)
