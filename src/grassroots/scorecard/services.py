"""Writes of the scorecard: the one path that saves an indicator (STYLE rule 1)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.forms.models import model_to_dict

from grassroots.core.audit import audit_record
from grassroots.core.models import User
from grassroots.scorecard import rules
from grassroots.scorecard.auditlog import ScorecardAuditAction
from grassroots.scorecard.models import Indicator

FIELDS = (
    "code", "pillar", "label", "label_en", "definition", "definition_en", "unit", "figure",
    "per", "position", "active",
)  # fmt: skip


def _snapshot(ind: Indicator) -> dict[str, Any]:
    return {k: v for k, v in model_to_dict(ind, fields=FIELDS).items()}


def indicator_save(*, actor: User | None, pk: int | None = None, **values: Any) -> Indicator:
    """Create (`pk` None) or change the indicator `pk` with `values` (fields of FIELDS).
    Guarantees: nothing is written unless every rule holds (`rules.check`: registered figures,
    no activity count, both languages); one audit row with the before and after."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown indicator fields: {sorted(unknown)}")
    with transaction.atomic():
        if pk is None:
            ind, before = Indicator(), None
        else:
            ind = Indicator.objects.select_for_update().get(pk=pk)
            before = _snapshot(ind)
        for k, v in values.items():
            setattr(ind, k, v.strip() if isinstance(v, str) else v)
        rules.require(ind)
        ind.save()
        audit_record(
            actor=actor,
            action=ScorecardAuditAction.INDICATOR_SAVE,
            object_type="indicator",
            object_id=ind.pk,
            changes={"before": before, "after": _snapshot(ind)},
        )
    return ind
