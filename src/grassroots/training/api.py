"""REST API of the training app: sessions, enrolment, roll call, coverage.

Reads go through `training.selectors` (VIEW_CADRES, scoped: out of scope is 404); writes
through `training.services`, each naming MANAGE_TRAINING in `method_perms`.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.areas.selectors import area_get
from grassroots.core import params
from grassroots.core.actors import actor_of
from grassroots.core.rest import strict_data
from grassroots.core.roles import Perm
from grassroots.training import selectors, services
from grassroots.training.attendance_import import MAX_BYTES as IMPORT_MAX_BYTES
from grassroots.training.attendance_import import attendance_import
from grassroots.training.choices import Delivery, Mode, Target
from grassroots.training.models import Enrolment, Session


def session_json(s: Session) -> dict[str, Any]:
    return {
        "id": s.pk,
        "area": s.area_id,
        "title": s.title,
        "theme": s.theme,
        "series": s.series,
        "mode": s.mode,
        "delivery": s.delivery,
        "starts_on": s.starts_on.isoformat(),
        "ends_on": s.ends_on.isoformat(),
        "hours": s.hours,
        "organiser": s.organiser,
        "target": s.target,
        "venue": s.venue,
    }


def enrolment_json(e: Enrolment) -> dict[str, Any]:
    return {
        "resident": e.resident_id,
        "cadre": e.cadre_id,
        "name": e.resident.name,
        "area": e.area_id,
        "area_name": e.area.name,
        "status": e.status,
        "hours": e.hours,
    }


class SessionSerializer(serializers.Serializer[dict[str, Any]]):
    area = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=120)
    theme = serializers.CharField(max_length=120)
    series = serializers.CharField(max_length=120, required=False, default="", allow_blank=True)
    mode = serializers.ChoiceField(choices=Mode.choices)
    delivery = serializers.ChoiceField(choices=Delivery.choices)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    hours = serializers.IntegerField(min_value=1, max_value=500)
    organiser = serializers.CharField(max_length=100)
    target = serializers.ChoiceField(choices=Target.choices)
    venue = serializers.CharField(max_length=120)


class SessionList(APIView):
    """Sessions the caller sees (VIEW_CADRES); POST creates one (MANAGE_TRAINING)."""

    method_perms = {"POST": Perm.MANAGE_TRAINING}

    @extend_schema(
        operation_id="training_sessions_list",
        parameters=[OpenApiParameter("year", int)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        year = params.integer("year", request.query_params.get("year"), low=2000, high=2100)
        rows = selectors.session_list(actor=actor_of(request), year=year)
        return Response([session_json(s) for s in rows])

    @extend_schema(request=SessionSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        actor = actor_of(request)
        data = strict_data(SessionSerializer, request.data)
        data["area"] = area_get(actor=actor, pk=data["area"])
        session = services.session_create(actor=actor, **data)
        return Response(session_json(session), status=status.HTTP_201_CREATED)


class SessionDetail(APIView):
    """One session with its roll (the caller's villages only)."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        session = selectors.session_get(actor=actor, pk=pk)
        body = session_json(session)
        body["roll"] = [
            enrolment_json(e) for e in selectors.session_roll(actor=actor, session=session)
        ]
        return Response(body)


class SessionEnrol(APIView):
    """Enrol the session's whole target group from the cadre registry, in one action."""

    method_perms = {"POST": Perm.MANAGE_TRAINING}

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        session = selectors.session_get(actor=actor, pk=pk)
        added = services.enrol_target_group(actor=actor, session=session)
        return Response({"added": added})


class UnenrolSerializer(serializers.Serializer[dict[str, Any]]):
    cadre = serializers.IntegerField(min_value=1)


class SessionUnenrol(APIView):
    """Take one cadre off the session's roll."""

    method_perms = {"POST": Perm.MANAGE_TRAINING}

    @extend_schema(request=UnenrolSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        session = selectors.session_get(actor=actor, pk=pk)
        data = strict_data(UnenrolSerializer, request.data)
        services.enrol_remove(actor=actor, session=session, cadre_id=data["cadre"])
        return Response({"removed": data["cadre"]})


class AttendanceRowSerializer(serializers.Serializer[dict[str, Any]]):
    cadre = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    resident = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    status = serializers.CharField(max_length=10)
    hours = serializers.IntegerField(required=False, allow_null=True, default=None)


class AttendanceSerializer(serializers.Serializer[dict[str, Any]]):
    rows = AttendanceRowSerializer(many=True)


class SessionAttendance(APIView):
    """A roll call: present / leave / absent per enrolled cadre, all rows or none."""

    method_perms = {"POST": Perm.MANAGE_TRAINING}

    @extend_schema(request=AttendanceSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        session = selectors.session_get(actor=actor, pk=pk)
        data = strict_data(AttendanceSerializer, request.data)
        n = services.attendance_record(actor=actor, session=session, rows=data["rows"])
        return Response({"recorded": n})


class SignInCodeSerializer(serializers.Serializer[dict[str, Any]]):
    day = serializers.DateField()
    minutes = serializers.IntegerField(min_value=1, max_value=services.CODE_MINUTES_MAX, default=30)


class SessionSignInCode(APIView):
    """Open a sign-in code for a day of the session; the code is answered once, kept hashed."""

    method_perms = {"POST": Perm.MANAGE_TRAINING}

    @extend_schema(request=SignInCodeSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        session = selectors.session_get(actor=actor, pk=pk)
        data = strict_data(SignInCodeSerializer, request.data)
        row, code = services.signin_code_open(
            actor=actor, session=session, day=data["day"], minutes=data["minutes"]
        )
        return Response(
            {"code": code, "day": row.day.isoformat(), "expires_at": row.expires_at.isoformat()},
            status=status.HTTP_201_CREATED,
        )


class SignInSerializer(serializers.Serializer[dict[str, Any]]):
    code = serializers.CharField(max_length=32)
    cadre = serializers.IntegerField(min_value=1)


class SessionSignIn(APIView):
    """Sign an enrolled cadre in with the code of the day: present, the session's hours."""

    method_perms = {"POST": Perm.MANAGE_TRAINING}

    @extend_schema(request=SignInSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        session = selectors.session_get(actor=actor, pk=pk)
        data = strict_data(SignInSerializer, request.data)
        hours = services.sign_in_with_code(
            actor=actor, session=session, code=data["code"], cadre_id=data["cadre"]
        )
        return Response({"cadre": data["cadre"], "status": "present", "hours": hours})


class AttendanceFileSerializer(serializers.Serializer[dict[str, Any]]):
    file = serializers.FileField()


class SessionAttendanceImport(APIView):
    """Attendance from the online platform's Excel export (姓名 or 身份证号, 学时): all or none."""

    method_perms = {"POST": Perm.MANAGE_TRAINING}

    @extend_schema(
        request={"multipart/form-data": AttendanceFileSerializer},
        responses=OpenApiTypes.OBJECT,
    )
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        session = selectors.session_get(actor=actor, pk=pk)
        data = strict_data(AttendanceFileSerializer, request.data)
        content = data["file"].read(IMPORT_MAX_BYTES + 1)
        return Response(
            {"recorded": attendance_import(actor=actor, session=session, content=content)}
        )


class Coverage(APIView):
    """This year's coverage by township, person-times and hours, and who is not covered."""

    @extend_schema(
        operation_id="training_coverage",
        parameters=[OpenApiParameter("within", int)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        actor = actor_of(request)
        within = params.row_id("within", request.query_params.get("within"))
        day = timezone.localdate()
        rows = selectors.coverage_rows(actor=actor, day=day, within=within)
        missing = selectors.not_covered(actor=actor, rows=rows)
        return Response(
            {
                "year": day.year,
                "townships": selectors.coverage_by_township(rows),
                "not_covered": [
                    {
                        "cadre": m["cadre"].pk,
                        "name": m["cadre"].resident.name,
                        "area": m["cadre"].area_id,
                        "area_name": m["cadre"].area.name,
                        "sessions": [s.pk for s in m["sessions"]],
                    }
                    for m in missing
                ],
                "short_of_hours": [
                    {
                        "cadre": r["cadre_id"],
                        "area": r["area_id"],
                        "hours": r["hours"],
                        "required": r["required"],
                    }
                    for r in rows
                    if r["hours"] < r["required"]
                ],
            }
        )
