"""Every table a migration fills is one the suite puts back after a flush (tests/seeds.py)."""

from __future__ import annotations

import pytest
from django.apps import apps

from tests import seeds


@pytest.mark.django_db
def test_every_seeded_table_is_restored_after_a_flush():
    # given the database as the migrations (or the last flush and its restore) left it
    filled = {
        (model._meta.app_label, model.__name__)
        for model in apps.get_models()
        if model.__module__.startswith("grassroots.") and model.objects.exists()
    }
    # then every filled table is one tests/seeds.py knows how to fill again
    assert filled <= {(app, model) for app, model, _m, _f in seeds.SEEDS}, filled


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_is_seeded_again():
    # given a flush (as after every transactional test)
    from django.core.management import call_command

    seeded = {(app, model) for app, model, _m, _f in seeds.SEEDS}
    before = {key: apps.get_model(*key).objects.count() for key in seeded}
    call_command("flush", "--noinput", verbosity=0)
    # when the seeds are restored, then each seeded table has all its rows back (a table
    # seeded by several migrations, by every one of them)
    seeds.restore()
    for key in seeded:
        assert apps.get_model(*key).objects.count() == before[key], key
