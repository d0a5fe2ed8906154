"""REST API of the reports app (一表通), under /api/v1/reports/: templates (list, add), a
ledger filled as JSON (each cell with the link to its rows, the blank columns named), its
.xlsx, requests (list, issue, one with its answers) and confirmations.

Reads go through `reports.selectors` and `services.template_fill` (scoped: out of scope is
404); writes through `reports.services`, each naming its right in `method_perms`.
"""

from __future__ import annotations

import datetime
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.core.actors import actor_of
from grassroots.core.rest import strict_data
from grassroots.core.roles import Perm
from grassroots.reports import selectors, services
from grassroots.reports.fill import Cell, Filled
from grassroots.reports.models import LedgerTemplate, ReportRequest
from grassroots.reports.views import _xlsx, home_area


def template_json(t: LedgerTemplate) -> dict[str, Any]:
    return {
        "code": t.code,
        "name": t.name,
        "issuer": t.issuer,
        "description": t.description,
        "builtin": t.builtin,
        "definition": t.definition,
    }


def _value(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if value is None or isinstance(value, int | float | str | bool):
        return value
    return str(value)


def _cell(cell: Cell) -> dict[str, Any]:
    return {"value": _value(cell.value), "link": cell.link, "unknown": cell.unknown}


def filled_json(filled: Filled) -> dict[str, Any]:
    """A filled ledger: its layout, each cell's value and link, and the unknowable columns."""
    return {
        "title": filled.definition.title,
        "area": {"id": filled.area.pk, "name": filled.area.name},
        "period": filled.period.key,
        "period_label": filled.period.label(),
        "as_of": filled.clock.isoformat(),
        "columns": [
            {"label": c.label, "group": c.group, "unit": c.unit, "source": c.source}
            for c in filled.columns
        ],
        "rows": [{"record": r.record, "cells": [_cell(c) for c in r.cells]} for r in filled.rows],
        "totals": [_cell(c) for c in filled.totals] if filled.totals is not None else None,
        "unknown": [{"label": c.label, "reason": c.unknown} for c in filled.unknown],
    }


def request_json(r: ReportRequest, answers: list[Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": r.pk,
        "template": r.template.code,
        "period": r.period,
        "title": r.title,
        "note": r.note,
        "due_on": r.due_on.isoformat() if r.due_on else None,
        "issuer_area": r.issuer_area_id,
        "issued_by": r.issued_by.get_username(),
        "issued_at": r.issued_at.isoformat(),
    }
    if answers is not None:
        out["answers"] = [a.as_dict() for a in answers]
    return out


class TemplateSerializer(serializers.Serializer[dict[str, Any]]):
    code = serializers.CharField(max_length=60)
    name = serializers.CharField(max_length=120)
    issuer = serializers.CharField(max_length=120, required=False, default="", allow_blank=True)
    description = serializers.CharField(
        max_length=2000, required=False, default="", allow_blank=True
    )
    definition = serializers.JSONField()


class TemplateList(APIView):
    """The template library (VIEW_REPORTS); POST adds or changes a county template."""

    method_perms = {"POST": Perm.MANAGE_REPORT_TEMPLATES}

    @extend_schema(operation_id="report_templates_list", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        return Response(
            [template_json(t) for t in selectors.template_list(actor=actor_of(request))]
        )

    @extend_schema(request=TemplateSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        data = strict_data(TemplateSerializer, request.data)
        template = services.template_save(actor=actor_of(request), **data)
        return Response(template_json(template), status=status.HTTP_201_CREATED)


FILL_PARAMS = [OpenApiParameter("within", int), OpenApiParameter("period", str)]


class TemplateFill(APIView):
    """The template filled for `within` (default: the caller's top area) and `period`."""

    @extend_schema(
        operation_id="report_template_fill", parameters=FILL_PARAMS, responses=OpenApiTypes.OBJECT
    )
    def get(self, request: Request, code: str) -> Response:
        actor = actor_of(request)
        template = selectors.template_get(actor=actor, code=code)
        area = home_area(actor, request.query_params.get("within"))
        filled = services.template_fill(
            actor=actor,
            template=template,
            area_pk=area.pk,
            period=request.query_params.get("period"),
        )
        return Response(filled_json(filled))


class TemplateXlsx(APIView):
    """The filled ledger as .xlsx (audited with the file's SHA-256)."""

    @extend_schema(
        operation_id="report_template_xlsx",
        parameters=FILL_PARAMS,
        responses={200: OpenApiTypes.BINARY},
    )
    def get(self, request: Request, code: str) -> Any:
        actor = actor_of(request)
        template = selectors.template_get(actor=actor, code=code)
        area = home_area(actor, request.query_params.get("within"))
        content, name, _filled = services.ledger_export(
            actor=actor,
            template=template,
            area_pk=area.pk,
            period=request.query_params.get("period"),
        )
        return _xlsx(content, name)


class RequestSerializer(serializers.Serializer[dict[str, Any]]):
    template = serializers.CharField(max_length=60)
    period = serializers.CharField(max_length=10, required=False, default="", allow_blank=True)
    title = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    areas = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list, max_length=200
    )


class RequestList(APIView):
    """Requests the caller issued or must answer; POST issues one (county roles)."""

    method_perms = {"POST": Perm.ISSUE_REPORTS}

    @extend_schema(operation_id="report_requests_list", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        rows = selectors.request_list(actor=actor_of(request))[:200]
        return Response([request_json(r) for r in rows])

    @extend_schema(request=RequestSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        actor = actor_of(request)
        data = strict_data(RequestSerializer, request.data)
        template = selectors.template_get(actor=actor, code=data.pop("template"))
        issued = services.request_issue(
            actor=actor, template=template, areas=data.pop("areas") or None, **data
        )
        answers = list(selectors.answer_list(actor=actor, request=issued))
        return Response(request_json(issued, answers), status=status.HTTP_201_CREATED)


class RequestDetail(APIView):
    """One request with the answers the caller sees (all of them to the issuer)."""

    @extend_schema(operation_id="report_request_detail", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        req = selectors.request_get(actor=actor, pk=pk)
        return Response(request_json(req, list(selectors.answer_list(actor=actor, request=req))))


class AnswerConfirm(APIView):
    """Generate the answer's ledger from records and confirm it (CONFIRM_REPORTS over its
    area; 404 otherwise, 409 when already confirmed)."""

    method_perms = {"POST": Perm.CONFIRM_REPORTS}

    @extend_schema(
        operation_id="report_answer_confirm", request=None, responses=OpenApiTypes.OBJECT
    )
    def post(self, request: Request, pk: int) -> Response:
        answer = services.answer_confirm(actor=actor_of(request), answer_pk=pk)
        return Response(answer.as_dict())
