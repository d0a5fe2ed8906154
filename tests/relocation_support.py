"""A relocated household for tests: 石楼小镇's H001 (微网格A), relocated from 胡家峪村, with every
item owned (the community's and the township's posts) and helped (the grid worker's post)."""

from __future__ import annotations

from grassroots.areas.models import Post
from grassroots.relocation import services
from grassroots.relocation.models import EntitlementItem


def helper_post(world) -> Post:
    return Post.objects.get(person=world.users["gridworker"])


def relocate(world, household, actor="community", **extra):
    """Register `household` as relocated (items generated) with the grid worker as helper."""
    values = {
        "household": household.pk,
        "origin_village": world.hujiayu.pk,
        "batch": "2019年第一批",
        "relocated_year": 2024,
        "land_mu": "3.5",
        "land_kept": True,
        "land_trustee": "胡家峪村股份经济合作社",
        "homestead": True,
        "homestead_agreement": "LQ-2019-001",
        "helper": helper_post(world).pk,
    }
    data = services.RelocationInput(**{**values, **extra})
    return services.relocated_register(actor=actor and world.users[actor], data=data)


def items(relocated, code=None):
    qs = EntitlementItem.objects.filter(relocated=relocated).order_by("pk")
    return qs.filter(entitlement__code=code) if code else qs
