"""Helpers for the training and assets tests: secretaries of two townships, a session this
year — all through the real services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from grassroots.cadres.models import Cadre
from grassroots.training import services
from grassroots.training.models import Session
from tests.cadres_support import cadre_with_terms


@dataclass
class Scene:
    hjy_secretary: Cadre  # 胡家峪村 (灵泉镇)
    luocun_secretary: Cadre  # 罗村 (罗村镇)
    hjy_member: Cadre


def scene(world: Any, registry: Any) -> Scene:
    return Scene(
        cadre_with_terms(registry.father, world.hujiayu, "secretary", "director"),
        cadre_with_terms(registry.villager, world.luocun_village, "secretary"),
        cadre_with_terms(registry.mother, world.hujiayu, "member"),
    )


def session(
    world: Any, *, target: str = "secretaries", hours: int = 16, area: Any = None, day: int = 10
) -> Session:
    start = datetime.date(timezone.localdate().year, 1, day)
    return services.session_create(
        actor=None,
        area=area or world.county,
        title="抓党建促基层治理能力提升培训班",
        theme="乡村振兴与基层治理",
        mode="centralised",
        delivery="offline",
        starts_on=start,
        ends_on=start + datetime.timedelta(days=2),
        hours=hours,
        organiser="县委组织部",
        target=target,
        venue="县委党校",
        series="抓党建促基层治理能力提升",
    )
