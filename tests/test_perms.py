"""The core asks permissions through `core.perms`; posts (areas) answer; no source, no rights."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from grassroots.areas.scope import scope_for
from grassroots.core import perms
from grassroots.core.errors import Forbidden
from grassroots.core.roles import Perm


def test_the_areas_app_answers_with_the_scope_of_posts(world):
    auditor, admin = world.users["auditor"], world.users["admin"]
    assert perms.perms_of(auditor) == scope_for(auditor).perms
    assert perms.has_perm(auditor, Perm.VIEW_AUDIT)
    assert not perms.has_perm(admin, Perm.VIEW_AUDIT)
    with pytest.raises(Forbidden):
        perms.require_perm(admin, Perm.VIEW_AUDIT)


def test_nobody_signed_in_holds_nothing(db):
    assert perms.perms_of(AnonymousUser()) == frozenset()
    assert perms.perms_of(None) == frozenset()


def test_without_a_source_every_check_answers_no(world, monkeypatch):
    monkeypatch.setattr(perms, "_source", None)
    assert not perms.has_perm(world.users["auditor"], Perm.VIEW_AUDIT)
