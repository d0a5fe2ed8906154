"""`POST /api/v1/cases/suggest/`: the likeliest matters for a description (see `service`)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.cases.suggest import service
from grassroots.core.actors import actor_of
from grassroots.core.rest import strict_data
from grassroots.core.roles import Perm


class SuggestRequestSerializer(serializers.Serializer[Any]):
    # a longer text is cut by the service, not refused
    description = serializers.CharField(allow_blank=True, trim_whitespace=True, max_length=20000)
    area = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class SuggestUnitSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()


class SuggestionSerializer(serializers.Serializer[Any]):
    matter = serializers.CharField()
    name = serializers.CharField()
    unit = SuggestUnitSerializer()
    score = serializers.FloatField(min_value=0, max_value=1)
    why = serializers.ListField(child=serializers.CharField())


class SuggestResponseSerializer(serializers.Serializer[Any]):
    suggestions = SuggestionSerializer(many=True)
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=[service.MODEL, service.KEYWORDS],
        help_text="model, or keywords when no model could be read",
    )


def suggestion_data(s: service.Suggestion) -> dict[str, Any]:
    unit = s.unit
    return {
        "matter": s.matter.code,
        "name": s.matter.name,
        "unit": {"id": unit.pk, "name": unit.name}
        if unit is not None
        else {"id": None, "name": "县热线受理台"},
        "score": s.score,
        "why": s.why,
    }


class CaseSuggest(APIView):
    """The likeliest matters for a resident's description, best first, up to five, each with
    its unit (where the case would go, given `area`), score 0–1 and the words that drove it.
    The operator picks; nothing is registered. `source` is `keywords` when no model could be
    read and the catalogue's keyword search answered instead."""

    method_perms = {"POST": Perm.CREATE_CASES}

    @extend_schema(request=SuggestRequestSerializer, responses={200: SuggestResponseSerializer})
    def post(self, request: Request) -> Response:
        data = strict_data(SuggestRequestSerializer, request.data)
        found = service.suggest(
            actor=actor_of(request), description=data["description"], area=data.get("area")
        )
        return Response(
            {"suggestions": [suggestion_data(s) for s in found.items], "source": found.source}
        )
