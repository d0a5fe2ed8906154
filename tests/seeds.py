"""The rows the data migrations seed, put back after a transactional test empties the tables.

A transactional test (live server, real transactions) ends with a flush of every table, data
migrations' rows included; the tests after it expect a database as `migrate` leaves it. Which
test follows which depends on the order (and, with several workers, on the worker), so the
suite restores the seeds after each such test instead of letting a later test depend on luck.
`restore()` is idempotent: it writes only what is missing.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from django.apps import apps


def _migration(name: str) -> ModuleType:
    return importlib.import_module(name)


def restore() -> None:
    """Seed again whatever a flush removed: built-in tags, risk rules, default plan rules."""
    Tag = apps.get_model("people", "Tag")
    tags = _migration("grassroots.people.migrations.0002_builtin_tags")
    if Tag.objects.filter(builtin=True).count() < len(tags.BUILTIN):
        tags.create(apps, None)
    RiskRule = apps.get_model("disputes", "RiskRule")
    if not RiskRule.objects.exists():
        _migration("grassroots.disputes.migrations.0002_default_rules").seed(apps, None)
    PlanRule = apps.get_model("visits", "PlanRule")
    plans = _migration("grassroots.visits.migrations.0002_default_plan_rules")
    if PlanRule.objects.filter(area=None).count() < len(plans.DEFAULTS):
        plans.create(apps, None)
