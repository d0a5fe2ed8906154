"""Input validation shared by every API view: named fields only (SECURITY.md 9)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


def strict_data(serializer_class: type[serializers.Serializer[Any]], data: Any) -> dict[str, Any]:
    """Validate `data`, refusing fields the serializer does not name (no mass assignment)."""
    if hasattr(data, "keys"):
        unknown = sorted(set(data.keys()) - set(serializer_class().fields))
        if unknown:
            raise serializers.ValidationError({unknown[0]: ["unknown field"]})
    s = serializer_class(data=data)
    s.is_valid(raise_exception=True)
    return dict(s.validated_data)
