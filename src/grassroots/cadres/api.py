"""REST API of the cadres app: the registry, appraisals, one-time ballots, pay sheets.

Reads go through `cadres.selectors` (scoped: out of scope is 404); writes through
`cadres.services` and `cadres.workflow`, each naming its right in `method_perms`. Viewing the
registry (VIEW_CADRES), scores (SCORE_CADRES) and pay (VIEW_CADRE_PAY / MANAGE_CADRE_PAY) are
separate rights. Phones are only ever masked; `reveal` is the audited way to a full one.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.areas.scope import scope_for
from grassroots.areas.selectors import area_get
from grassroots.cadres import pay as pay_rules
from grassroots.cadres import selectors, services, workflow
from grassroots.cadres.ballots_import import MAX_BYTES, ballot_template, ballots_import
from grassroots.cadres.choices import Action, Grade, Origin, Period, Post, RaterGroup
from grassroots.cadres.errors import CadreError, CadreErrorCode
from grassroots.cadres.export import XLSX, sheet_xlsx
from grassroots.cadres.models import Appraisal, Cadre, PaySheet
from grassroots.core import params
from grassroots.core.actors import actor_of
from grassroots.core.errors import NotFound
from grassroots.core.models import User
from grassroots.core.rest import strict_data
from grassroots.core.roles import Perm
from grassroots.people.models import Resident
from grassroots.people.selectors import residents_visible


def cadre_json(cadre: Cadre) -> dict[str, Any]:
    today = timezone.localdate()
    terms = services.terms_of(cadre)
    r = cadre.resident
    return {
        "id": cadre.pk,
        "resident": r.pk,
        "name": r.name,
        "area": cadre.area_id,
        "area_name": cadre.area.name,
        "origin": cadre.origin,
        "origin_unit": cadre.origin_unit,
        "birth_date": r.birth_date.isoformat(),
        "education": r.education,
        "phone": r.phone_masked,
        "posts": sorted(pay_rules.posts_on(terms, today), key=pay_rules.POSTS.index),
        "holds_both_posts": pay_rules.holds_both_posts(terms, today),
        "tenure_years": pay_rules.tenure_years(terms, today),
    }


class CadreRegisterSerializer(serializers.Serializer[dict[str, Any]]):
    writes = "cadres.Cadre"  # docs/forms-inventory.md

    resident = serializers.IntegerField(min_value=1)
    area = serializers.IntegerField(min_value=1)
    origin = serializers.ChoiceField(choices=Origin.choices)
    origin_unit = serializers.CharField(
        max_length=100, required=False, default="", allow_blank=True
    )


class CadreList(APIView):
    """Cadres in the caller's scope (VIEW_CADRES); POST registers a resident as a cadre."""

    method_perms = {"POST": Perm.MANAGE_CADRES}

    @extend_schema(
        operation_id="cadres_list",
        parameters=[OpenApiParameter("within", int)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        within = params.row_id("within", request.query_params.get("within"))
        rows = selectors.cadre_list(actor=actor_of(request), within=within)
        return Response([cadre_json(c) for c in rows])

    @extend_schema(request=CadreRegisterSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        actor = actor_of(request)
        data = strict_data(CadreRegisterSerializer, request.data)
        area = area_get(actor=actor, pk=data["area"])
        resident = _resident(actor, data["resident"])
        cadre = services.cadre_register(
            actor=actor,
            resident=resident,
            area=area,
            origin=data["origin"],
            origin_unit=data["origin_unit"],
        )
        return Response(cadre_json(cadre), status=status.HTTP_201_CREATED)


def _resident(actor: Any, pk: int) -> Resident:
    """A resident of the registry: any for the organisation department (county-wide
    MANAGE_CADRES; a sent-down secretary lives anywhere), else one the actor sees."""
    if scope_for(actor).county_wide(Perm.MANAGE_CADRES):
        found = Resident.objects.filter(pk=pk).first()
    else:
        found = residents_visible(actor=actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("resident")
    return found


class CadreDetail(APIView):
    """One cadre with their terms (post history)."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        cadre = selectors.cadre_get(actor=actor_of(request), pk=pk)
        body = cadre_json(cadre)
        body["terms"] = [
            {
                "id": t.pk,
                "post": t.post,
                "started_on": t.started_on.isoformat(),
                "ended_on": t.ended_on.isoformat() if t.ended_on else None,
            }
            for t in cadre.terms.all()
        ]
        return Response(body)


class CadreTermSerializer(serializers.Serializer[dict[str, Any]]):
    post = serializers.ChoiceField(choices=Post.choices)
    started_on = serializers.DateField()
    ended_on = serializers.DateField(required=False, allow_null=True, default=None)


class CadreTerms(APIView):
    """Record a term in a post (一肩挑 follows from overlapping secretary and director terms)."""

    method_perms = {"POST": Perm.MANAGE_CADRES}

    @extend_schema(request=CadreTermSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        cadre = selectors.cadre_get(actor=actor, pk=pk)
        data = strict_data(CadreTermSerializer, request.data)
        term = services.term_add(actor=actor, cadre=cadre, **data)
        return Response({"id": term.pk, "post": term.post}, status=status.HTTP_201_CREATED)


class CadreRevealSerializer(serializers.Serializer[dict[str, Any]]):
    purpose = serializers.CharField(max_length=200)


class CadreReveal(APIView):
    """The cadre's full phone, for a stated purpose (audited, not stored by the client)."""

    method_perms = {"POST": Perm.REVEAL_PEOPLE}

    @extend_schema(request=CadreRevealSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        cadre = selectors.cadre_get(actor=actor, pk=pk)
        data = strict_data(CadreRevealSerializer, request.data)
        value = services.cadre_reveal_phone(actor=actor, cadre=cadre, purpose=data["purpose"])
        resp = Response({"phone": value})
        resp["Cache-Control"] = "no-store"
        return resp


class CadreAccountSerializer(serializers.Serializer[dict[str, Any]]):
    username = serializers.CharField(max_length=150, allow_null=True)


class CadreAccount(APIView):
    """Link the cadre to their own sign-in account (`username`; null unlinks): it then sees
    its own appraisals and pay at /cadres/me/."""

    method_perms = {"POST": Perm.MANAGE_CADRES}

    @extend_schema(request=CadreAccountSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        cadre = selectors.cadre_get(actor=actor, pk=pk)
        data = strict_data(CadreAccountSerializer, request.data)
        account = None
        if data["username"] is not None:
            account = User.objects.filter(username=data["username"], is_active=True).first()
            if account is None:
                raise CadreError(
                    CadreErrorCode.INVALID_VALUE, "no active account of that name", field="username"
                )
        cadre = services.cadre_account_link(actor=actor, cadre=cadre, account=account)
        return Response({"id": cadre.pk, "username": account.username if account else None})


# --- appraisals -------------------------------------------------------------------------------


def appraisal_json(a: Appraisal) -> dict[str, Any]:
    return {
        "id": a.pk,
        "cadre": a.cadre_id,
        "name": a.cadre.resident.name,
        "area": a.area_id,
        "year": a.year,
        "period": a.period,
        "state": a.state,
        "total": None if a.total is None else str(a.total),
        "grade": a.grade,
        "stars": a.stars,
        "warning_talk": a.warning_talk,
    }


class AppraisalOpenSerializer(serializers.Serializer[dict[str, Any]]):
    cadre = serializers.IntegerField(min_value=1)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    period = serializers.ChoiceField(choices=Period.choices)


class AppraisalList(APIView):
    """Appraisals in the caller's scope (SCORE_CADRES); POST opens one (draft)."""

    method_perms = {"POST": Perm.SCORE_CADRES}

    @extend_schema(
        operation_id="appraisals_list",
        parameters=[
            OpenApiParameter("year", int),
            OpenApiParameter("period", str, enum=Period.values),
            OpenApiParameter("cadre", int),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        p = request.query_params
        rows = selectors.appraisal_list(
            actor=actor_of(request),
            year=params.integer("year", p.get("year"), low=2000, high=2100),
            period=p.get("period") or None,
            cadre=params.row_id("cadre", p.get("cadre")),
        )
        return Response([appraisal_json(a) for a in rows])

    @extend_schema(request=AppraisalOpenSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        actor = actor_of(request)
        data = strict_data(AppraisalOpenSerializer, request.data)
        cadre = selectors.cadre_get(actor=actor, pk=data["cadre"])
        a = workflow.appraisal_open(
            actor=actor, cadre=cadre, year=data["year"], period=data["period"]
        )
        return Response(appraisal_json(a), status=status.HTTP_201_CREATED)


class AppraisalDetail(APIView):
    """One appraisal: inputs, result with its explanation, timeline and the actions allowed."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        a = selectors.appraisal_get(actor=actor_of(request), pk=pk)
        body = appraisal_json(a)
        body["inputs"] = a.inputs
        body["result"] = a.result
        body["actions"] = workflow.allowed_actions(a)
        body["events"] = [
            {
                "at": e.at.isoformat(),
                "action": e.action,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "reason": e.reason,
                "approver": e.approver,
                "changes": e.changes,
            }
            for e in a.events.order_by("id")
        ]
        return Response(body)


class CadreInputsSerializer(serializers.Serializer[dict[str, Any]]):
    inputs = serializers.JSONField()


class AppraisalInputs(APIView):
    """Replace the inputs of a draft or collecting appraisal (a confirmed one: 409 locked)."""

    method_perms = {"POST": Perm.SCORE_CADRES}

    @extend_schema(request=CadreInputsSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        a = selectors.appraisal_get(actor=actor, pk=pk)
        data = strict_data(CadreInputsSerializer, request.data)
        if not isinstance(data["inputs"], dict):
            raise serializers.ValidationError({"inputs": ["an object"]})
        a = workflow.appraisal_input(actor=actor, appraisal=a, inputs=data["inputs"])
        return Response(appraisal_json(a))


class CadreActionSerializer(serializers.Serializer[dict[str, Any]]):
    action = serializers.ChoiceField(choices=Action.choices)
    inputs = serializers.JSONField(required=False)
    reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=2000)
    approver = serializers.CharField(required=False, default="", allow_blank=True, max_length=60)


class AppraisalActions(APIView):
    """collect, score, reopen, confirm, or correct (new inputs, reason, approver)."""

    method_perms = {"POST": Perm.SCORE_CADRES}

    @extend_schema(request=CadreActionSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        a = selectors.appraisal_get(actor=actor, pk=pk)
        data = strict_data(CadreActionSerializer, request.data)
        inputs = data.get("inputs")
        if inputs is not None and not isinstance(inputs, dict):
            raise serializers.ValidationError({"inputs": ["an object"]})
        a = workflow.appraisal_apply(
            appraisal_id=a.pk,
            action=data["action"],
            actor=actor,
            inputs=inputs,
            reason=data["reason"],
            approver=data["approver"],
        )
        return Response(appraisal_json(a))


class AppraisalPrefill(APIView):
    """Fill the indicators that read outcomes the platform records (cases answered on time,
    disputes settled, visits on schedule) — never activity counts."""

    method_perms = {"POST": Perm.SCORE_CADRES}

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        a = selectors.appraisal_get(actor=actor, pk=pk)
        return Response({"filled": workflow.appraisal_prefill(actor=actor, appraisal=a)})


class CadreBallotFileSerializer(serializers.Serializer[dict[str, Any]]):
    file = serializers.FileField()


class AppraisalBallotImport(APIView):
    """Import paper ballots from the Excel template (评议组 | 评议意见 | 分数): all or nothing, a
    bad row named by row and field. GET answers the empty template."""

    method_perms = {"POST": Perm.SCORE_CADRES}

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request: Request, pk: int) -> HttpResponse:
        selectors.appraisal_get(actor=actor_of(request), pk=pk)
        resp = HttpResponse(ballot_template(), content_type=XLSX)
        resp["Content-Disposition"] = 'attachment; filename="ballots-template.xlsx"'
        return resp

    @extend_schema(
        request={"multipart/form-data": CadreBallotFileSerializer},
        responses={201: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        a = selectors.appraisal_get(actor=actor, pk=pk)
        data = strict_data(CadreBallotFileSerializer, request.data)
        n = ballots_import(actor=actor, appraisal=a, content=data["file"].read(MAX_BYTES + 1))
        return Response({"counted": n}, status=status.HTTP_201_CREATED)


class CadreCodesSerializer(serializers.Serializer[dict[str, Any]]):
    group = serializers.ChoiceField(choices=RaterGroup.choices)
    count = serializers.IntegerField(min_value=1, max_value=workflow.MAX_CODES)


class AppraisalCodes(APIView):
    """Issue one-time codes for a rater group (the answer is the codes' only copy)."""

    method_perms = {"POST": Perm.SCORE_CADRES}

    @extend_schema(request=CadreCodesSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        a = selectors.appraisal_get(actor=actor, pk=pk)
        data = strict_data(CadreCodesSerializer, request.data)
        codes = workflow.codes_issue(
            actor=actor, appraisal=a, group=data["group"], count=data["count"]
        )
        resp = Response({"codes": codes}, status=status.HTTP_201_CREATED)
        resp["Cache-Control"] = "no-store"
        return resp


class CadreBallotSerializer(serializers.Serializer[dict[str, Any]]):
    code = serializers.CharField(max_length=20)
    score = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    vote = serializers.ChoiceField(choices=Grade.choices, required=False, default="")


class BallotCast(APIView):
    """A rater casts one ballot with a one-time code, without signing in (anonymous to the
    cadre; a used or unknown code is 409 `code_used`)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(request=CadreBallotSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        data = strict_data(CadreBallotSerializer, request.data)
        workflow.ballot_cast(code=data["code"], score=data.get("score"), vote=data["vote"])
        return Response({"counted": True}, status=status.HTTP_201_CREATED)


# --- pay sheets -------------------------------------------------------------------------------


def sheet_json(sheet: PaySheet, lines: list[Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": sheet.pk,
        "area": sheet.area_id,
        "area_name": sheet.area.name,
        "year": sheet.year,
        "month": sheet.month,
        "kind": sheet.kind,
        "state": sheet.state,
    }
    if lines is not None:
        body["lines"] = [
            {
                "id": line.pk,
                "cadre": line.cadre_id,
                "name": line.cadre.resident.name,
                "kind": line.kind,
                "amount": str(line.amount),
                "explanation": line.explanation,
                "reason": line.reason,
                "approver": line.approver,
            }
            for line in lines
        ]
        body["total"] = str(sum((line.amount for line in lines), pay_rules.ZERO))
    return body


class SheetDrawSerializer(serializers.Serializer[dict[str, Any]]):
    area = serializers.IntegerField(min_value=1)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12, required=False, allow_null=True)


class SheetList(APIView):
    """Pay sheets in the caller's scope (VIEW_CADRE_PAY); POST draws one (MANAGE_CADRE_PAY)."""

    method_perms = {"POST": Perm.MANAGE_CADRE_PAY}

    @extend_schema(
        operation_id="pay_sheets_list",
        parameters=[OpenApiParameter("year", int)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        year = params.integer("year", request.query_params.get("year"), low=2000, high=2100)
        rows = selectors.sheet_list(actor=actor_of(request), year=year)
        return Response([sheet_json(s) for s in rows])

    @extend_schema(request=SheetDrawSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        actor = actor_of(request)
        data = strict_data(SheetDrawSerializer, request.data)
        area = area_get(actor=actor, pk=data["area"])
        sheet = services.sheet_draw(
            actor=actor, area=area, year=data["year"], month=data.get("month")
        )
        return Response(
            sheet_json(sheet, selectors.sheet_lines(sheet=sheet)), status=status.HTTP_201_CREATED
        )


class SheetDetail(APIView):
    """One sheet with its lines (each explaining its parts) and the total."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        sheet = selectors.sheet_get(actor=actor_of(request), pk=pk)
        return Response(sheet_json(sheet, selectors.sheet_lines(sheet=sheet)))


class CadreLineSerializer(serializers.Serializer[dict[str, Any]]):
    cadre = serializers.IntegerField(min_value=1)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    reason = serializers.CharField(max_length=200)
    approver = serializers.CharField(max_length=60)
    correction = serializers.BooleanField(required=False, default=False)


class SheetLines(APIView):
    """A reward or penalty on a draft sheet; a correction line on a confirmed one (a reward or
    penalty on a confirmed sheet is 409 `locked`)."""

    method_perms = {"POST": Perm.MANAGE_CADRE_PAY}

    @extend_schema(request=CadreLineSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        sheet = selectors.sheet_get(actor=actor, pk=pk)
        data = strict_data(CadreLineSerializer, request.data)
        cadre = Cadre.objects.filter(pk=data["cadre"], area_id=sheet.area_id).first()
        if cadre is None:
            raise NotFound("cadre")
        services.sheet_adjust(
            actor=actor,
            sheet=sheet,
            cadre=cadre,
            amount=data["amount"],
            reason=data["reason"],
            approver=data["approver"],
            correction=data["correction"],
        )
        sheet.refresh_from_db()
        return Response(
            sheet_json(sheet, selectors.sheet_lines(sheet=sheet)), status=status.HTTP_201_CREATED
        )


class SheetConfirm(APIView):
    """Confirm (lock) a draft sheet."""

    method_perms = {"POST": Perm.MANAGE_CADRE_PAY}

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        sheet = services.sheet_confirm(actor=actor, sheet=selectors.sheet_get(actor=actor, pk=pk))
        return Response(sheet_json(sheet))


class SheetExport(APIView):
    """The sheet as .xlsx in the finance office's layout (audited with the file's hash)."""

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request: Request, pk: int) -> HttpResponse:
        actor = actor_of(request)
        sheet = selectors.sheet_get(actor=actor, pk=pk)
        content, name = sheet_xlsx(actor=actor, sheet=sheet)
        resp = HttpResponse(content, content_type=XLSX)
        resp["Content-Disposition"] = f'attachment; filename="{name}"'
        return resp


class CadreConfigSerializer(serializers.Serializer[dict[str, Any]]):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    config = serializers.JSONField()


class SchemeSet(APIView):
    """Set a year's appraisal scheme (weights adding to 100, outcome indicators only)."""

    method_perms = {"POST": Perm.CONFIGURE_CADRES}

    @extend_schema(request=CadreConfigSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request) -> Response:
        data = strict_data(CadreConfigSerializer, request.data)
        if not isinstance(data["config"], dict):
            raise serializers.ValidationError({"config": ["an object"]})
        row = services.scheme_set(actor=actor_of(request), year=data["year"], config=data["config"])
        return Response({"year": row.year, "config": row.config})


class PayRuleSet(APIView):
    """Set a year's pay rule (tenure bands without overlap or gap)."""

    method_perms = {"POST": Perm.CONFIGURE_CADRES}

    @extend_schema(request=CadreConfigSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request) -> Response:
        data = strict_data(CadreConfigSerializer, request.data)
        if not isinstance(data["config"], dict):
            raise serializers.ValidationError({"config": ["an object"]})
        row = services.pay_rule_set(
            actor=actor_of(request), year=data["year"], config=data["config"]
        )
        return Response({"year": row.year, "config": row.config})
