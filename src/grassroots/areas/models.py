"""The area tree (county → township → community/village → grid1 → grid2 → grid3), units, posts.

The tree stores, on every node, the id of its ancestor at each depth (DHIS2's org-unit structure):
`county`, `township`, `community` (a community or a village), `grid1`, `grid2`, `grid3`. A node's
own depth column points at itself. So "the subtree of X" is `Area.objects.filter(<X's column>=X)`
and "the ancestors of X" is one `pk__in` over X's columns — each one indexed query, whatever the
tree's size — and counts per child are one GROUP BY on the child's column. Only
`areas.services` writes these columns.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.areas.choices import ANCESTOR_COLUMNS, DEPTH, Level, UnitLevel, column_of
from grassroots.core.roles import Role


def _ancestor(verbose: Any) -> models.ForeignKey[Any, Any]:
    # No database constraint and no cascade: the columns are derived data kept by the services,
    # and a node's own column points at itself (a constraint would block deleting a leaf).
    return models.ForeignKey(
        "self",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose,
    )


class Area(models.Model):
    """One node of a county's administrative and grid tree (行政区划 / 网格)."""

    code = models.CharField(_("代码"), max_length=24, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级"),
    )
    depth = models.PositiveSmallIntegerField(_("深度"), editable=False)
    county = _ancestor(_("所属县"))
    township = _ancestor(_("所属乡镇"))
    community = _ancestor(_("所属社区（村）"))
    grid1 = _ancestor(_("所属一级网格"))
    grid2 = _ancestor(_("所属二级网格"))
    grid3 = _ancestor(_("所属三级网格"))
    polygon = models.JSONField(_("边界（GeoJSON）"), null=True, blank=True)
    # Bounding box of the polygon: the cheap first test of any point-in-area lookup.
    min_lon = models.FloatField(null=True, blank=True, editable=False)
    min_lat = models.FloatField(null=True, blank=True, editable=False)
    max_lon = models.FloatField(null=True, blank=True, editable=False)
    max_lat = models.FloatField(null=True, blank=True, editable=False)
    centre_lon = models.FloatField(_("中心经度"), null=True, blank=True)
    centre_lat = models.FloatField(_("中心纬度"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("区划网格")
        verbose_name_plural = _("区划网格")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["parent", "code"], name="area_parent_code"),
            models.Index(fields=["level", "code"], name="area_level_code"),
            *[
                models.Index(fields=[col, "level"], name=f"area_{col}_level")
                for col in ANCESTOR_COLUMNS
            ],
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(depth__gte=1) & Q(depth__lte=6), name="area_depth_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def column(self) -> str:
        """The ancestor column that holds this node (and so selects its subtree)."""
        return column_of(self.level)

    def ancestor_ids(self) -> list[int]:
        """Ids of the ancestors, root first, without this node."""
        ids = [getattr(self, f"{col}_id") for col in ANCESTOR_COLUMNS[: DEPTH[Level(self.level)]]]
        return [i for i in ids[:-1] if i is not None]

    def subtree_q(self, prefix: str = "") -> Q:
        """A filter for this node and everything below it (`prefix` reaches an Area relation)."""
        return Q(**{f"{prefix}{self.column}": self.pk})

    def contains(self, other: Any) -> bool:
        """Whether `other` (an Area, or anything with its `<column>_id` ancestor attributes)
        is this node or lies below it; no query."""
        return in_subtree(other, column=self.column, root_id=self.pk)


def in_subtree(node: Any, *, column: str, root_id: int | None) -> bool:
    """The subtree rule, once: `node` lies in the subtree whose root of ancestor column `column`
    has id `root_id` exactly when `node.<column>_id == root_id` (each node stores its ancestors'
    ids, and its own in its own depth's column). No query."""
    return root_id is not None and getattr(node, f"{column}_id", None) == root_id


class AreaPath(models.Model):
    """Copies of the ancestor ids of a row's `area` (county … grid3), so that "rows in the
    subtree of X" is one indexed column test on the row's own table: `X.subtree_q()` applies
    unchanged, with no join to the areas.

    Derived data: whoever places a row sets them with `path_of(area)`, and
    `areas.services.area_move` rewrites them on every concrete subclass together with the
    areas, in the same transaction, so they never disagree with the tree.
    """

    county = models.BigIntegerField(null=True, blank=True, editable=False)
    township = models.BigIntegerField(null=True, blank=True, editable=False)
    community = models.BigIntegerField(null=True, blank=True, editable=False)
    grid1 = models.BigIntegerField(null=True, blank=True, editable=False)
    grid2 = models.BigIntegerField(null=True, blank=True, editable=False)
    grid3 = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


def path_of(area: Area | None) -> dict[str, int | None]:
    """The `AreaPath` columns for a row placed in `area` (all None when unplaced)."""
    return {col: getattr(area, f"{col}_id") if area else None for col in ANCESTOR_COLUMNS}


class Unit(models.Model):
    """A unit that handles matters (单位/部门): a county department, township office or station."""

    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    level = models.CharField(_("层级"), max_length=12, choices=UnitLevel.choices)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="units", verbose_name=_("服务区域")
    )
    office_phone = models.CharField(_("办公电话"), max_length=32, blank=True)
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    active = models.BooleanField(_("在用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["level", "code"]
        indexes = [models.Index(fields=["level", "code"], name="unit_level_code")]

    def __str__(self) -> str:
        return self.name


class PostType(models.Model):
    """A kind of post (岗位) with its role and its duty list (职责清单), e.g. 微网格员."""

    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("岗位类型")
        verbose_name_plural = _("岗位类型")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Duty(models.Model):
    """One line of a post type's duty list."""

    post_type = models.ForeignKey(
        PostType, on_delete=models.CASCADE, related_name="duties", verbose_name=_("岗位类型")
    )
    order = models.PositiveSmallIntegerField(_("序号"))
    text = models.CharField(_("职责"), max_length=300)

    class Meta:
        verbose_name = _("职责")
        verbose_name_plural = _("职责清单")
        ordering = ["post_type", "order"]
        constraints = [
            models.UniqueConstraint(fields=["post_type", "order"], name="duty_unique_order")
        ]

    def __str__(self) -> str:
        return self.text


class Post(models.Model):
    """A person's position (岗位): a post type scoped to an area, a unit, or both.

    A person may hold several posts at once (多员合一); each grants its role over its own scope.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="posts",
        verbose_name=_("人员"),
    )
    post_type = models.ForeignKey(
        PostType, on_delete=models.PROTECT, related_name="posts", verbose_name=_("岗位类型")
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("负责区域"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("所在单位"),
    )
    title = models.CharField(_("职务"), max_length=60, blank=True)
    started_on = models.DateField(_("任职日期"))
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(area__isnull=False) | Q(unit__isnull=False),
                name="post_has_scope",
            ),
        ]
        indexes = [models.Index(fields=["person", "ended_on"], name="post_person_active")]

    def __str__(self) -> str:
        return f"{self.title or self.post_type.name}"
