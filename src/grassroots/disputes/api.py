"""REST API of disputes: list and screening, detail, workflow actions, figures.

Every read goes through `disputes.selectors` (scoped; out of scope is 404); every write through
`disputes.services` or `disputes.workflow`. Parties' ID numbers and phones are only ever the
masked forms.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.cases.attachments import CleanFile, attachment_check
from grassroots.core import params
from grassroots.core.actors import actor_of
from grassroots.core.errors import DomainError
from grassroots.core.rest import strict_data
from grassroots.core.roles import Perm
from grassroots.core.text import clean_data
from grassroots.disputes import figures, selectors, services, workflow
from grassroots.disputes.choices import (
    Action,
    FoundVia,
    Kind,
    Level,
    MediatorKind,
    Outcome,
    PartyRole,
    Risk,
    State,
)
from grassroots.disputes.effects import Session
from grassroots.disputes.errors import DisputeError
from grassroots.disputes.forms import OUTSIDER
from grassroots.disputes.models import Dispute, Party

FIELDS = [
    "id", "number", "area", "area_name", "kind", "summary", "risk", "found_via", "case",
    "source_ref", "found_on", "state", "level", "escalations", "settled_level", "settled_on",
    "referred_case", "closed_on",
]  # fmt: skip


class DisputeSerializer(serializers.ModelSerializer[Dispute]):
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = Dispute
        fields = FIELDS
        read_only_fields = FIELDS


def party_json(party: Party) -> dict[str, Any]:
    """One party, masked: the registry's masked ID and phone for a resident, the party's own
    masked copies for an outsider."""
    return {
        "id": party.pk,
        "role": party.role,
        "resident": party.resident_id,
        "name": party.display_name,
        "id_number": party.id_masked,
        "phone": party.phone_shown,
    }


class DisputePartyInSerializer(serializers.Serializer[dict[str, Any]]):
    writes = "disputes.Party"  # docs/forms-inventory.md
    reasons = {k: OUTSIDER for k in ("name", "id_number", "phone")}

    role = serializers.ChoiceField(choices=PartyRole.choices)
    resident = serializers.IntegerField(required=False, min_value=1)
    name = serializers.CharField(max_length=60, required=False, default="", allow_blank=True)
    id_number = serializers.CharField(max_length=30, required=False, default="", allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, default="", allow_blank=True)


class DisputeScreenSerializer(serializers.Serializer[dict[str, Any]]):
    writes = "disputes.Dispute"

    area = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=Kind.choices)
    summary = serializers.CharField(max_length=8000)
    found_via = serializers.ChoiceField(choices=FoundVia.choices)
    found_on = serializers.DateField()
    parties = DisputePartyInSerializer(many=True, allow_empty=False)
    risk = serializers.ChoiceField(choices=Risk.choices, required=False, default="")
    case = serializers.IntegerField(required=False, min_value=1)
    source_ref = serializers.CharField(max_length=60, required=False, default="", allow_blank=True)


@extend_schema(
    parameters=[
        OpenApiParameter("state", str, enum=State.values),
        OpenApiParameter("risk", str, enum=Risk.values),
        OpenApiParameter("level", str, enum=Level.values),
        OpenApiParameter("kind", str, enum=Kind.values),
        OpenApiParameter("open", bool),
        OpenApiParameter("within", int, description="Area subtree"),
        OpenApiParameter("found_from", OpenApiTypes.DATE),
        OpenApiParameter("found_to", OpenApiTypes.DATE, description="Exclusive"),
        OpenApiParameter("settled_from", OpenApiTypes.DATE),
        OpenApiParameter("settled_to", OpenApiTypes.DATE, description="Exclusive"),
        OpenApiParameter("settled_level", str, enum=Level.values),
        OpenApiParameter("follow_up_overdue", bool),
    ]
)
class DisputeList(generics.ListCreateAPIView[Dispute]):
    """Disputes in the caller's scope, newest found first; POST records a screened dispute."""

    method_perms = {"POST": Perm.HANDLE_DISPUTES}

    serializer_class = DisputeSerializer

    def get_queryset(self) -> Any:
        return selectors.dispute_list(
            actor=actor_of(self.request), filters=filters_of(self.request.query_params)
        )

    @extend_schema(request=DisputeScreenSerializer, responses={201: DisputeSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = strict_data(DisputeScreenSerializer, request.data)
        dispute = services.dispute_screen(
            actor=actor_of(request),
            screening=services.Screening(
                area=data["area"],
                kind=data["kind"],
                summary=data["summary"],
                found_via=data["found_via"],
                found_on=data["found_on"],
                parties=tuple(services.PartyIn(**p) for p in data["parties"]),
                risk=data["risk"],
                case=data.get("case"),
                source_ref=data["source_ref"],
            ),
        )
        return Response(DisputeSerializer(dispute).data, status=status.HTTP_201_CREATED)


def filters_of(p: Any) -> selectors.DisputeFilters:
    """The list filters from query parameters (each bad value a 400 naming it)."""
    return selectors.DisputeFilters(
        state=p.get("state") or None,
        risk=p.get("risk") or None,
        level=p.get("level") or None,
        kind=p.get("kind") or None,
        open=params.flag("open", p.get("open")),
        within=params.row_id("within", p.get("within")),
        found_from=params.day("found_from", p.get("found_from")),
        found_to=params.day("found_to", p.get("found_to")),
        settled_from=params.day("settled_from", p.get("settled_from")),
        settled_to=params.day("settled_to", p.get("settled_to")),
        settled_level=p.get("settled_level") or None,
        follow_up_overdue=params.flag("follow_up_overdue", p.get("follow_up_overdue")),
        figure=p.get("figure") or None,
        period_from=params.day("period_from", p.get("period_from")),
        period_to=params.day("period_to", p.get("period_to")),
    )


def detail_json(actor: Any, dispute: Dispute) -> dict[str, Any]:
    body: dict[str, Any] = dict(DisputeSerializer(dispute).data)
    body["parties"] = [party_json(p) for p in selectors.dispute_parties(dispute=dispute)]
    body["mediations"] = [
        {
            "id": m.pk,
            "held_on": m.held_on.isoformat(),
            "level": m.level,
            "mediators": m.mediators,
            "outcome": m.outcome,
            "agreement_text": m.agreement_text,
            "agreement_file": bool(m.agreement_file),
            "notes": m.notes,
        }
        for m in selectors.dispute_mediations(dispute=dispute)
    ]
    body["follow_ups"] = [
        {
            "id": f.pk,
            "due_on": f.due_on.isoformat(),
            "done_on": f.done_on.isoformat() if f.done_on else None,
            "notes": f.notes,
        }
        for f in selectors.dispute_follow_ups(dispute=dispute)
    ]
    body["events"] = [
        {
            "at": e.at.isoformat(),
            "actor": e.actor_name,
            "action": e.action,
            "from_state": e.from_state,
            "to_state": e.to_state,
            "from_level": e.from_level,
            "to_level": e.to_level,
            "note": e.note,
        }
        for e in selectors.dispute_events(dispute=dispute)
    ]
    body["actions"] = workflow.allowed_actions(actor, dispute)
    return body


class DisputeDetail(APIView):
    """One dispute with its parties (masked), sessions, follow-ups, timeline and the actions the
    caller may take now."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        return Response(detail_json(actor, selectors.dispute_get(actor=actor, pk=pk)))


class DisputeMediatorSerializer(serializers.Serializer[dict[str, str]]):
    name = serializers.CharField(max_length=40)
    kind = serializers.ChoiceField(choices=MediatorKind.choices)


class MediatorsField(serializers.JSONField):
    """A list of {name, kind}: JSON in a JSON body, or a JSON string in a multipart one (with
    the agreement scan)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str):
            try:
                data = clean_data(json.loads(data))  # "\u0008" decodes to a control character
            except ValueError:
                raise serializers.ValidationError("JSON list of {name, kind}") from None
        inner = DisputeMediatorSerializer(data=data, many=True)
        inner.is_valid(raise_exception=True)
        return inner.validated_data


class DisputeActionSerializer(serializers.Serializer[dict[str, Any]]):
    action = serializers.ChoiceField(choices=[a for a in Action.values if a in workflow.EFFECTS])
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=4000)
    # mediate / settle
    held_on = serializers.DateField(required=False)
    mediators = MediatorsField(required=False)
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False)
    agreement_text = serializers.CharField(
        required=False, default="", allow_blank=True, max_length=8000
    )
    agreement_file = serializers.FileField(required=False)
    # refer
    matter = serializers.CharField(required=False, default="", allow_blank=True, max_length=20)
    # follow_up
    follow_up = serializers.IntegerField(required=False, min_value=1)
    done_on = serializers.DateField(required=False)
    notes = serializers.CharField(required=False, default="", allow_blank=True, max_length=4000)


def _scan(upload: Any) -> CleanFile | None:
    """The agreement scan checked as case attachments are; a refusal names `agreement_file`."""
    if upload is None:
        return None
    try:
        return attachment_check(upload)
    except DomainError as exc:
        raise DisputeError(exc.code, exc.message, field="agreement_file") from None


class DisputeActions(APIView):
    """Apply one workflow action: 200 with the dispute; 409 when the state does not allow it (a
    second settlement, a lost race, no level above the county); 403 when the caller may not act
    at the dispute's level; 400 naming the field for bad input."""

    method_perms = {"POST": Perm.HANDLE_DISPUTES}

    @extend_schema(request=DisputeActionSerializer, responses=DisputeSerializer)
    def post(self, request: Request, pk: int) -> Response:
        actor = actor_of(request)
        dispute = selectors.dispute_get(actor=actor, pk=pk)
        data = strict_data(DisputeActionSerializer, request.data)
        action = data["action"]
        if action in (Action.MEDIATE, Action.SETTLE):
            upload = data.get("agreement_file")
            session = Session(
                held_on=data.get("held_on") or timezone.localdate(),
                mediators=[dict(m) for m in data.get("mediators", [])],
                outcome=data.get("outcome")
                or (Outcome.SETTLED if action == Action.SETTLE else Outcome.FAILED),
                agreement_text=data["agreement_text"],
                agreement_file=_scan(upload),
                notes=data["note"],
            )
            expected = Action.SETTLE if session.outcome == Outcome.SETTLED else Action.MEDIATE
            if expected != action:
                raise serializers.ValidationError({"outcome": ["does not fit the action"]})
            dispute, _event = services.mediation_record(
                dispute_id=dispute.pk, actor=actor, session=session
            )
        else:
            dispute, _event = workflow.dispute_apply(
                dispute_id=dispute.pk,
                action=action,
                actor=actor,
                note=data["note"],
                matter=data["matter"],
                follow_up=data.get("follow_up"),
                done_on=data.get("done_on"),
                notes=data["notes"],
            )
        return Response(DisputeSerializer(dispute).data)


class DisputeFigures(APIView):
    """The dispute figures over the caller's scope, each with the list query giving its rows
    (docs/disputes.md has the definitions)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("within", int),
            OpenApiParameter("from", OpenApiTypes.DATE),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Exclusive"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        p = request.query_params
        start, end = figures.default_period(timezone.localdate())
        start = params.day("from", p.get("from")) or start
        end = params.day("to", p.get("to")) or end
        rows = figures.dispute_figures(
            actor=actor_of(request),
            start=start,
            end=end,
            within=params.row_id("within", p.get("within")),
        )
        return Response(
            {
                "from": start.isoformat(),
                "to": end.isoformat(),
                "figures": [
                    {"code": f.code, "label": str(f.label), "value": f.value, "filters": f.filters}
                    for f in rows
                ],
            }
        )
