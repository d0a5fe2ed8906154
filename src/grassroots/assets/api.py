"""REST API of the assets app (清化收): assets, problems, actions with evidence, totals.

Reads go through `assets.selectors` (VIEW_ASSETS, scoped: out of scope is 404); writes
through `assets.services`, each naming MANAGE_ASSETS in `method_perms`.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.areas.selectors import area_get
from grassroots.assets import selectors, services
from grassroots.assets.choices import AssetKind, LandType, ProblemKind, Status
from grassroots.assets.errors import AssetError, AssetErrorCode
from grassroots.assets.models import CollectiveAsset, Problem, ProblemAction
from grassroots.cases.attachments import CleanFile, attachment_check
from grassroots.core import params
from grassroots.core.actors import actor_of
from grassroots.core.errors import DomainError
from grassroots.core.rest import strict_data
from grassroots.core.roles import Perm


def asset_json(a: CollectiveAsset) -> dict[str, Any]:
    return {
        "id": a.pk,
        "area": a.area_id,
        "kind": a.kind,
        "name": a.name,
        "land_type": a.land_type,
        "area_mu": a.area_mu,
        "value_yuan": a.value_yuan,
        "party": a.party,
        "fee_yuan": a.fee_yuan,
        "term_from": a.term_from.isoformat() if a.term_from else None,
        "term_to": a.term_to.isoformat() if a.term_to else None,
    }


def problem_json(p: Problem) -> dict[str, Any]:
    return {
        "id": p.pk,
        "area": p.area_id,
        "area_name": p.area.name,
        "asset": p.asset_id,
        "kind": p.kind,
        "title": p.title,
        "description": p.description,
        "found_on": p.found_on.isoformat(),
        "area_mu": p.area_mu,
        "amount_yuan": p.amount_yuan,
        "status": p.status,
        "resolved_on": p.resolved_on.isoformat() if p.resolved_on else None,
        "recovered_mu": p.recovered_mu,
        "recovered_yuan": p.recovered_yuan,
    }


def action_json(a: ProblemAction) -> dict[str, Any]:
    return {
        "id": a.pk,
        "taken_on": a.taken_on.isoformat(),
        "description": a.description,
        "from_status": a.from_status,
        "to_status": a.to_status,
        "recovered_mu": a.recovered_mu,
        "recovered_yuan": a.recovered_yuan,
        "evidence": a.evidence_name,
        "evidence_sha256": a.evidence_sha256,
    }


class AssetSerializer(serializers.Serializer[dict[str, Any]]):
    area = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=AssetKind.choices)
    name = serializers.CharField(max_length=120)
    land_type = serializers.ChoiceField(choices=LandType.choices, required=False, default="")
    area_mu = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    value_yuan = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, default=None
    )
    party = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    term_from = serializers.DateField(required=False, allow_null=True, default=None)
    term_to = serializers.DateField(required=False, allow_null=True, default=None)
    fee_yuan = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)


class AssetList(APIView):
    """Collective assets in the caller's scope (VIEW_ASSETS); POST records one."""

    method_perms = {"POST": Perm.MANAGE_ASSETS}

    @extend_schema(
        operation_id="collective_assets_list",
        parameters=[OpenApiParameter("within", int)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        within = params.row_id("within", request.query_params.get("within"))
        return Response(
            [asset_json(a) for a in selectors.asset_list(actor=actor_of(request), within=within)]
        )

    @extend_schema(request=AssetSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        actor = actor_of(request)
        data = strict_data(AssetSerializer, request.data)
        data["area"] = area_get(actor=actor, pk=data["area"])
        asset = services.asset_record(actor=actor, **data)
        return Response(asset_json(asset), status=status.HTTP_201_CREATED)


class ProblemSerializer(serializers.Serializer[dict[str, Any]]):
    area = serializers.IntegerField(min_value=1)
    asset = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    kind = serializers.ChoiceField(choices=ProblemKind.choices)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(
        max_length=4000, required=False, default="", allow_blank=True
    )
    found_on = serializers.DateField()
    area_mu = serializers.IntegerField(min_value=0, required=False, default=0)
    amount_yuan = serializers.IntegerField(min_value=0, required=False, default=0)


class ProblemList(APIView):
    """Problems found in the caller's scope (VIEW_ASSETS); POST records one (MANAGE_ASSETS)."""

    method_perms = {"POST": Perm.MANAGE_ASSETS}

    @extend_schema(
        operation_id="asset_problems_list",
        parameters=[OpenApiParameter("within", int), OpenApiParameter("status", str)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        within = params.row_id("within", request.query_params.get("within"))
        rows = selectors.problem_list(
            actor=actor_of(request), within=within, status=request.query_params.get("status")
        )
        return Response([problem_json(p) for p in rows])

    @extend_schema(request=ProblemSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        actor = actor_of(request)
        data = strict_data(ProblemSerializer, request.data)
        data["area"] = area_get(actor=actor, pk=data["area"])
        if data["asset"] is not None:
            found = selectors.assets_visible(actor=actor).filter(pk=data["asset"]).first()
            if found is None:
                raise AssetError(AssetErrorCode.INVALID_VALUE, _("未知资产"), field="asset")
            data["asset"] = found
        problem = services.problem_record(actor=actor, **data)
        return Response(problem_json(problem), status=status.HTTP_201_CREATED)


class ProblemDetail(APIView):
    """One problem with its actions."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        problem = selectors.problem_get(actor=actor_of(request), pk=pk)
        body = problem_json(problem)
        body["actions"] = [action_json(a) for a in problem.actions.all()]
        return Response(body)


class ProblemActionSerializer(serializers.Serializer[dict[str, Any]]):
    taken_on = serializers.DateField(required=False, default=None)
    description = serializers.CharField(max_length=4000)
    status = serializers.ChoiceField(choices=Status.choices, required=False, default=None)
    recovered_mu = serializers.IntegerField(min_value=0, required=False, default=0)
    recovered_yuan = serializers.IntegerField(min_value=0, required=False, default=0)
    evidence = serializers.FileField(required=False)


def _scan(upload: Any) -> CleanFile | None:
    """The evidence checked as case attachments are; a refusal names `evidence`."""
    if upload is None:
        return None
    try:
        return attachment_check(upload)
    except DomainError as exc:
        raise AssetError(exc.code, exc.message, field="evidence") from None


class ProblemActions(APIView):
    """Record an action (multipart, with the `evidence` file): a status change or a recovery
    without evidence is refused, as is more recovered than the problem's area or amount."""

    method_perms = {"POST": Perm.MANAGE_ASSETS}
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request=ProblemActionSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        problem = selectors.problem_get(actor=actor, pk=pk)
        data = strict_data(ProblemActionSerializer, request.data)
        action = services.problem_act(
            actor=actor,
            problem_id=problem.pk,
            taken_on=data["taken_on"] or timezone.localdate(),
            description=data["description"],
            status=data["status"],
            recovered_mu=data["recovered_mu"],
            recovered_yuan=data["recovered_yuan"],
            evidence=_scan(data.get("evidence")),
        )
        return Response(action_json(action), status=status.HTTP_201_CREATED)


class Totals(APIView):
    """Problems open / resolved, mu and yuan recovered: the scope, by township, by village."""

    @extend_schema(
        operation_id="asset_totals",
        parameters=[OpenApiParameter("within", int)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        within = params.row_id("within", request.query_params.get("within"))
        return Response(selectors.totals(actor=actor_of(request), within=within))
