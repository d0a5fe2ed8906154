"""Named choices of the areas app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    # 县（市、区）: the root of a county's tree.
    COUNTY = "county", _("县")
    # 乡、镇、街道.
    TOWNSHIP = "township", _("乡镇（街道）")
    # 社区: urban community, a depth-3 node.
    COMMUNITY = "community", _("社区")
    # 村: village, a depth-3 node beside communities.
    VILLAGE = "village", _("村")
    # 一级网格 (大网格).
    GRID1 = "grid1", _("一级网格")
    # 二级网格 (小网格).
    GRID2 = "grid2", _("二级网格")
    # 三级网格 (微网格): where households live.
    GRID3 = "grid3", _("三级网格")


# Depth of each level (1 = county) and the ancestor column that holds a node of that depth.
DEPTH = {
    Level.COUNTY: 1,
    Level.TOWNSHIP: 2,
    Level.COMMUNITY: 3,
    Level.VILLAGE: 3,
    Level.GRID1: 4,
    Level.GRID2: 5,
    Level.GRID3: 6,
}
ANCESTOR_COLUMNS = ("county", "township", "community", "grid1", "grid2", "grid3")


def column_of(level: str) -> str:
    """The ancestor column (`Area.<column>_id`) that holds nodes of `level`."""
    return ANCESTOR_COLUMNS[DEPTH[Level(level)] - 1]


# Which levels may stand directly under which.
ALLOWED_CHILDREN: dict[str | None, frozenset[str]] = {
    None: frozenset({Level.COUNTY}),
    Level.COUNTY: frozenset({Level.TOWNSHIP}),
    Level.TOWNSHIP: frozenset({Level.COMMUNITY, Level.VILLAGE}),
    Level.COMMUNITY: frozenset({Level.GRID1}),
    Level.VILLAGE: frozenset({Level.GRID1}),
    Level.GRID1: frozenset({Level.GRID2}),
    Level.GRID2: frozenset({Level.GRID3}),
    Level.GRID3: frozenset(),
}

# Levels whose code is a 12-digit administrative division code (统计用区划代码).
ADMIN_CODE_LEVELS = frozenset({Level.COUNTY, Level.TOWNSHIP, Level.COMMUNITY, Level.VILLAGE})


class UnitLevel(models.TextChoices):
    # 县直部门: a county department.
    COUNTY = "county", _("县直部门")
    # 乡镇（街道）办: a township office.
    TOWNSHIP = "township", _("乡镇（街道）")
    # 社区（村）站: a community or village service station.
    COMMUNITY = "community", _("社区（村）")
