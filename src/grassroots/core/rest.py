"""Input validation shared by every API view: named fields only (SECURITY.md 9)."""

from __future__ import annotations

from functools import cache
from typing import Any

from rest_framework import serializers

from grassroots.core.text import clean_data


@cache
def _names(serializer_class: type[serializers.Serializer[Any]]) -> frozenset[str]:
    """The fields a serializer class names (building its fields deep-copies them: once)."""
    return frozenset(serializer_class().fields)


def strict_data(serializer_class: type[serializers.Serializer[Any]], data: Any) -> dict[str, Any]:
    """Validate `data`, refusing fields the serializer does not name (no mass assignment); its
    text is cleaned first (`core.text.clean_data`: NFC, LF, no control characters)."""
    data = clean_data(data)
    if hasattr(data, "keys"):
        unknown = sorted(set(data.keys()) - _names(serializer_class))
        if unknown:
            raise serializers.ValidationError({unknown[0]: ["unknown field"]})
    s = serializer_class(data=data)
    s.is_valid(raise_exception=True)
    return dict(s.validated_data)
