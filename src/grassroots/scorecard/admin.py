"""The county's indicators in the admin (`configure_scorecard`). Saves go through
`scorecard.services.indicator_save`, so every change is validated (the form's `clean` runs the
same rules) and audited. Indicators are never deleted: one is switched off (`active`)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from grassroots.core.actors import actor_of
from grassroots.core.admin import ScopedAdmin
from grassroots.core.roles import Perm
from grassroots.scorecard import services
from grassroots.scorecard.models import Indicator


@admin.register(Indicator)
class IndicatorAdmin(ScopedAdmin):
    perm = Perm.CONFIGURE_SCORECARD
    list_display = ["code", "label", "pillar", "figure", "per", "unit", "position", "active"]
    list_filter = ["pillar", "active"]
    fields = list(services.FIELDS)

    def save_model(self, request: HttpRequest, obj: Indicator, form: Any, change: bool) -> None:
        values = {k: form.cleaned_data.get(k) for k in services.FIELDS}
        values["per"] = values.get("per") or ""
        saved = services.indicator_save(
            actor=actor_of(request), pk=obj.pk if change else None, **values
        )
        obj.pk = saved.pk
