"""Configuration of the disputes' risk rules (system configuration, `configure_disputes`).

Saves go through `disputes.services.risk_rule_define`, so every change is validated and audited
with the rule before and after. Rules are never deleted: a rule is switched off (`active`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from grassroots.core.actors import actor_of
from grassroots.core.admin import ScopedAdmin
from grassroots.core.roles import Perm
from grassroots.disputes import services
from grassroots.disputes.models import RiskRule


@admin.register(RiskRule)
class RiskRuleAdmin(ScopedAdmin):
    perm = Perm.CONFIGURE_DISPUTES
    list_display = ["id", "kind", "min_parties", "risk", "note", "active"]
    list_filter = ["risk", "kind", "active"]
    fields = ["kind", "min_parties", "risk", "note", "active"]

    def save_model(self, request: HttpRequest, obj: RiskRule, form: Any, change: bool) -> None:
        d = form.cleaned_data
        saved = services.risk_rule_define(
            actor=actor_of(request),
            pk=obj.pk if change else None,
            kind=d.get("kind") or "",
            min_parties=d.get("min_parties"),
            risk=d["risk"],
            note=d.get("note") or "",
            active=d["active"],
        )
        obj.pk = saved.pk
