"""The rows the data migrations seed, put back after a transactional test empties the tables.

A transactional test (live server, real transactions) ends with a flush of every table, data
migrations' rows included; the tests after it expect a database as `migrate` leaves it. Which
test follows which depends on the order (and, with several workers, on the worker), so the
suite restores the seeds after each such test instead of letting a later test depend on luck.
`restore()` is idempotent: it writes only what is missing. A new seeding migration adds a line
to SEEDS (tests/test_seeds.py fails for one that does not).
"""

from __future__ import annotations

import importlib

from django.apps import apps

# (app, model, the seeding migration, its function): the function writes with update_or_create,
# or only into an empty table.
SEEDS = [
    ("people", "Tag", "0002_builtin_tags", "create"),
    ("disputes", "RiskRule", "0002_default_rules", "seed"),
    ("visits", "PlanRule", "0002_default_plan_rules", "create"),
    ("relocation", "Entitlement", "0002_default_catalogue", "create"),
    ("scorecard", "Indicator", "0002_default_indicators", "create"),
    ("scorecard", "Indicator", "0004_compliance_indicators", "create"),
    ("reports", "LedgerTemplate", "0002_preloaded_templates", "load"),
]


def restore() -> None:
    """Seed again every table a flush left empty (every seeding migration of it, in order)."""
    empty = {(a, m) for a, m, _mi, _f in SEEDS if not apps.get_model(a, m).objects.exists()}
    for app, model, migration, function in SEEDS:
        if (app, model) in empty:
            module = importlib.import_module(f"grassroots.{app}.migrations.{migration}")
            getattr(module, function)(apps, None)
