"""REST API of the registry: households, residents, one-value reveal. Masked unless revealed.

Responses carry masked ID numbers and phones and the resident's age band (``40-49``), never the
birth date or the exact age (see `people.masking`). Exact ID and phone searches are audited and
rate-limited (`people.services.search`).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.areas.scope import scope_for
from grassroots.areas.selectors import area_get
from grassroots.core import params
from grassroots.core.actors import actor_of
from grassroots.core.rest import strict_data
from grassroots.core.roles import Perm
from grassroots.people import selectors, services
from grassroots.people.choices import (
    Education,
    Employment,
    Politics,
    Relation,
    ResidentStatus,
    RevealField,
)
from grassroots.people.masking import age_band
from grassroots.people.models import Household, Resident
from grassroots.people.privacy import tag_token


class HouseholdSerializer(serializers.ModelSerializer[Household]):
    address = serializers.CharField(source="dwelling.address", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    head_name = serializers.CharField(source="head.name", read_only=True, default=None)

    class Meta:
        model = Household
        fields = ["id", "number", "area", "area_name", "address", "head", "head_name", "notes"]
        read_only_fields = fields


class HouseholdCreateSerializer(serializers.Serializer[dict[str, Any]]):
    writes = "people.Household"  # docs/forms-inventory.md
    fills = {k: f"people.Dwelling.{k}" for k in ("address", "building", "unit", "room")}

    number = serializers.CharField(max_length=40)
    area = serializers.IntegerField(help_text="The micro grid (grid3) id")
    address = serializers.CharField(max_length=200)
    building = serializers.CharField(max_length=40, required=False, default="")
    unit = serializers.CharField(max_length=20, required=False, default="")
    room = serializers.CharField(max_length=20, required=False, default="")
    notes = serializers.CharField(required=False, default="", allow_blank=True)


class HouseholdPatchSerializer(serializers.Serializer[dict[str, Any]]):
    subject = "people.Household"  # docs/forms-inventory.md
    subject_from = "url"
    writes = "people.Household"
    prefill = "*"  # an omitted field keeps the record's value

    head = serializers.IntegerField(required=False, help_text="A member's resident id")
    notes = serializers.CharField(required=False, allow_blank=True)


class ResidentSerializer(serializers.ModelSerializer[Resident]):
    id_number = serializers.CharField(source="id_number_masked", read_only=True)
    phone = serializers.CharField(source="phone_masked", read_only=True)
    age_band = serializers.SerializerMethodField()
    household_number = serializers.CharField(
        source="household.number", read_only=True, default=None
    )
    area_name = serializers.CharField(source="area.name", read_only=True)
    tags = serializers.SerializerMethodField()

    class Meta:
        model = Resident
        fields = [
            "id",
            "name",
            "id_number",
            "sex",
            "age_band",
            "phone",
            "household",
            "household_number",
            "relation",
            "area",
            "area_name",
            "ethnicity",
            "education",
            "employment",
            "occupation",
            "politics",
            "party_branch",
            "status",
            "tags",
        ]
        read_only_fields = fields

    def get_age_band(self, obj: Resident) -> str:
        return age_band(obj.birth_date, self.context.get("today") or timezone.localdate())

    def get_tags(self, obj: Resident) -> list[str]:
        visible: dict[str, str] = self.context.get("tag_tokens", {})
        return sorted(visible[r.token] for r in obj.tag_rows.all() if r.token in visible)


class ResidentCreateSerializer(serializers.Serializer[dict[str, Any]]):
    writes = "people.Resident"  # the canonical home of a person's attributes
    subject = ""  # a new member: nothing about them is held yet (not their household's record)

    household = serializers.IntegerField()
    name = serializers.CharField(max_length=60)
    id_number = serializers.CharField(max_length=40)
    phone = serializers.CharField(max_length=30, required=False, default="", allow_blank=True)
    relation = serializers.ChoiceField(choices=Relation.choices, default=Relation.OTHER)
    ethnicity = serializers.CharField(max_length=20, required=False, default="汉族")
    education = serializers.ChoiceField(choices=Education.choices, required=False, default="")
    employment = serializers.ChoiceField(choices=Employment.choices, required=False, default="")
    occupation = serializers.CharField(max_length=60, required=False, default="", allow_blank=True)
    politics = serializers.ChoiceField(choices=Politics.choices, default=Politics.MASSES)
    party_branch = serializers.CharField(
        max_length=100, required=False, default="", allow_blank=True
    )
    notes = serializers.CharField(required=False, default="", allow_blank=True)
    tags = serializers.ListField(child=serializers.CharField(), required=False, default=list)


class ResidentPatchSerializer(serializers.Serializer[dict[str, Any]]):
    subject = "people.Resident"  # docs/forms-inventory.md
    subject_from = "url"
    writes = "people.Resident"
    prefill = "*"  # an omitted field keeps the record's value

    name = serializers.CharField(max_length=60, required=False)
    id_number = serializers.CharField(max_length=40, required=False)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    relation = serializers.ChoiceField(choices=Relation.choices, required=False)
    ethnicity = serializers.CharField(max_length=20, required=False)
    education = serializers.ChoiceField(choices=Education.choices, required=False)
    employment = serializers.ChoiceField(choices=Employment.choices, required=False)
    occupation = serializers.CharField(max_length=60, required=False, allow_blank=True)
    politics = serializers.ChoiceField(choices=Politics.choices, required=False)
    party_branch = serializers.CharField(max_length=100, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    tags = serializers.ListField(child=serializers.CharField(), required=False)


class SubmittedSerializer(serializers.Serializer[dict[str, Any]]):
    status = serializers.CharField(help_text='Always "submitted"')
    message = serializers.CharField()
    household = serializers.IntegerField()
    name = serializers.CharField()
    id_number = serializers.CharField(help_text="Masked")


def submitted_body(submission: services.Submission) -> dict[str, Any]:
    """The one answer to a registration, built only from what the caller sent (issue 15 #4)."""
    return {
        "status": "submitted",
        "message": _("已提交，待核实"),
        "household": submission.household.pk,
        "name": submission.name,
        "id_number": submission.id_masked,
    }


def resident_context(request: Request, area: Any = None) -> dict[str, Any]:
    tags = selectors.tags_visible(actor=actor_of(request), area=area)
    return {
        "request": request,
        "today": timezone.localdate(),
        "tag_tokens": {tag_token(t.code): t.code for t in tags},
    }


@extend_schema(
    parameters=[
        OpenApiParameter("within", int, description="Area subtree"),
        OpenApiParameter("q", str, description="Household number or address contains"),
        OpenApiParameter("tag", str, description="A member carries this tag code"),
    ]
)
class HouseholdList(generics.ListCreateAPIView[Household]):
    """Households in the caller's scope; POST registers a household (and its dwelling)."""

    method_perms = {"POST": Perm.EDIT_PEOPLE}

    serializer_class = HouseholdSerializer

    def get_queryset(self) -> Any:
        p = self.request.query_params
        return selectors.household_list(
            actor=actor_of(self.request),
            within=params.row_id("within", p.get("within")),
            q=p.get("q"),
            tag=p.get("tag"),
        )

    @extend_schema(request=HouseholdCreateSerializer, responses={201: HouseholdSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = strict_data(HouseholdCreateSerializer, request.data)
        actor = actor_of(request)
        area = area_get(actor=actor, pk=data["area"])
        household = services.household_register(
            actor=actor,
            number=data["number"],
            area=area,
            address=data["address"],
            building=data["building"],
            unit=data["unit"],
            room=data["room"],
            notes=data["notes"],
        )
        return Response(HouseholdSerializer(household).data, status=status.HTTP_201_CREATED)


class HouseholdDetail(APIView):
    """One household with its members; PATCH sets the head or the notes."""

    method_perms = {"PATCH": Perm.EDIT_PEOPLE}

    @extend_schema(responses=HouseholdSerializer)
    def get(self, request: Request, pk: int) -> Response:
        household = selectors.household_get(actor=actor_of(request), pk=pk)
        members = selectors.household_members(household=household).prefetch_related("tag_rows")
        body = HouseholdSerializer(household).data
        context = resident_context(request, household.area)
        body["members"] = ResidentSerializer(members, many=True, context=context).data
        return Response(body)

    @extend_schema(request=HouseholdPatchSerializer, responses=HouseholdSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        household = selectors.household_get(actor=actor, pk=pk)
        data = strict_data(HouseholdPatchSerializer, request.data)
        household = services.household_update(
            actor=actor,
            household=household,
            head_id=data.get("head"),
            notes=data.get("notes"),
        )
        return Response(HouseholdSerializer(household).data)


@extend_schema(
    parameters=[
        OpenApiParameter("within", int, description="Area subtree"),
        OpenApiParameter("tag", str, description="Tag code"),
        OpenApiParameter("id_number", str, description="Exact ID number (blind index)"),
        OpenApiParameter("phone", str, description="Exact phone (blind index)"),
        OpenApiParameter("q", str, description="Name contains"),
        OpenApiParameter("household", int, description="Household id"),
        OpenApiParameter("status", str, enum=ResidentStatus.values, description="Default active"),
    ]
)
class ResidentList(generics.ListCreateAPIView[Resident]):
    """Residents in the caller's scope, masked; POST registers a resident into a household."""

    method_perms = {"POST": Perm.EDIT_PEOPLE}

    serializer_class = ResidentSerializer

    def get_queryset(self) -> Any:
        p = self.request.query_params
        actor = actor_of(self.request)
        services.exact_search_admit(
            actor=actor, terms={"id_number": p.get("id_number"), "phone": p.get("phone")}
        )
        filters = selectors.ResidentFilters(
            within=params.row_id("within", p.get("within")),
            tag=p.get("tag"),
            id_number=p.get("id_number"),
            phone=p.get("phone"),
            q=p.get("q"),
            status=p.get("status", ResidentStatus.ACTIVE),
            household=params.row_id("household", p.get("household")),
        )
        qs = selectors.resident_list(actor=actor, filters=filters)
        return qs.prefetch_related("tag_rows")

    def get_serializer_context(self) -> dict[str, Any]:
        return resident_context(self.request)

    @extend_schema(request=ResidentCreateSerializer, responses={202: SubmittedSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Register a person: always 202 "已提交，待核实", whether the ID number was free (the
        resident is registered at once) or held out of the caller's scope (a transfer request
        goes to the holder's community) — see `services.resident_submit`."""
        data = strict_data(ResidentCreateSerializer, request.data)
        actor = actor_of(request)
        household = selectors.household_get(actor=actor, pk=data.pop("household"))
        submission = services.resident_submit(actor=actor, household=household, **data)
        return Response(submitted_body(submission), status=status.HTTP_202_ACCEPTED)


class ResidentDetail(APIView):
    """One resident, masked; PATCH changes named fields only."""

    method_perms = {"PATCH": Perm.EDIT_PEOPLE}

    @extend_schema(responses=ResidentSerializer)
    def get(self, request: Request, pk: int) -> Response:
        resident = selectors.resident_get(actor=actor_of(request), pk=pk)
        resident = Resident.objects.prefetch_related("tag_rows").get(pk=resident.pk)
        context = resident_context(request, resident.area)
        return Response(ResidentSerializer(resident, context=context).data)

    @extend_schema(request=ResidentPatchSerializer, responses=ResidentSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        resident = selectors.resident_get(actor=actor, pk=pk)
        data = strict_data(ResidentPatchSerializer, request.data)
        # a changed ID number can be refused as taken (by a resident out of sight, too): it is
        # counted and audited as an exact search, so it is no cheaper an oracle than one
        services.exact_search_admit(actor=actor, terms={"id_number": data.get("id_number")})
        tags = data.pop("tags", None)
        resident = services.resident_change(actor=actor, resident=resident, changes=data, tags=tags)
        resident = Resident.objects.prefetch_related("tag_rows").get(pk=resident.pk)
        context = resident_context(request, resident.area)
        return Response(ResidentSerializer(resident, context=context).data)


class RevealSerializer(serializers.Serializer[dict[str, str]]):
    field = serializers.ChoiceField(choices=RevealField.choices)
    purpose = serializers.CharField(max_length=200)


class ResidentReveal(APIView):
    """One full value for a permitted caller with a stated purpose; audited, never cached."""

    method_perms = {"POST": Perm.REVEAL_PEOPLE}

    @extend_schema(
        request=RevealSerializer,
        responses=inline_serializer(
            "Revealed", {"field": serializers.CharField(), "value": serializers.CharField()}
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        scope_for(actor).require(Perm.REVEAL_PEOPLE)
        resident = selectors.resident_get(actor=actor, pk=pk)
        data = strict_data(RevealSerializer, request.data)
        value = services.resident_reveal(
            actor=actor,
            resident=resident,
            field=data["field"],
            purpose=data["purpose"],
        )
        response = Response({"field": data["field"], "value": value})
        response["Cache-Control"] = "no-store"
        response["Pragma"] = "no-cache"
        return response
