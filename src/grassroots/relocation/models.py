"""Relocated households, the entitlement catalogue, each household's items, and the omission
check's findings (易地搬迁后续帮扶: 有人管、有人帮、不悬空、不漏项).

A relocated household adds to a registry `Household` only what the registry does not hold:
where it came from, its batch and year, and what it left behind. Its members, dwelling and
resettlement community are read from the registry, never asked again.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area, AreaPath, Post
from grassroots.cases.models import Case
from grassroots.people.models import Household, Resident
from grassroots.relocation import rules
from grassroots.relocation.choices import ItemState, Level, OmissionKind, Subject


class RelocatedHousehold(AreaPath):
    """A registry household that was relocated (易地扶贫搬迁户). `area` mirrors the household's
    grid (the resettlement community's), for scope and figures."""

    household = models.OneToOneField(
        Household, on_delete=models.PROTECT, related_name="relocation", verbose_name=_("户")
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    origin_village = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("迁出村"),
    )
    batch = models.CharField(_("搬迁批次"), max_length=40)
    relocated_year = models.PositiveSmallIntegerField(_("搬迁年份"))
    land_mu = models.DecimalField(_("承包地面积（亩）"), max_digits=8, decimal_places=2, default=0)
    land_kept = models.BooleanField(_("保留承包地"), default=False)
    land_trustee = models.CharField(_("承包地托管方"), max_length=100, blank=True)
    homestead = models.BooleanField(_("有旧宅基地"), default=False)
    homestead_agreement = models.CharField(_("旧宅腾退协议编号"), max_length=60, blank=True)
    helper = models.ForeignKey(
        Post,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("帮扶责任人"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    registered_on = models.DateField(_("登记日期"), default=timezone.localdate)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("易地搬迁户")
        verbose_name_plural = _("易地搬迁户")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.household.number}"


class Entitlement(models.Model):
    """A catalogue entry (权益事项): what a relocated household or member is owed, when its rule
    of applicability holds. The rule is checked (`rules.compile_rule`) before it is saved."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    subject = models.CharField(_("适用对象"), max_length=12, choices=Subject.choices)
    rule = models.CharField(_("适用规则"), max_length=rules.MAX_LENGTH)
    owner_level = models.CharField(
        _("责任层级"), max_length=12, choices=Level.choices, default=Level.COMMUNITY
    )
    matter = models.CharField(_("转办事项编码"), max_length=20, blank=True)
    due_days = models.PositiveSmallIntegerField(_("落实期限（天）"), default=30)
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    active = models.BooleanField(_("在用"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("权益事项")
        verbose_name_plural = _("权益事项")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            rules.compile_rule(self.rule, self.subject)
        except rules.RuleError as exc:
            raise ValidationError({"rule": str(exc)}) from None

    @property
    def in_words(self) -> str:
        return rules.in_words(self.rule, self.subject)


class EntitlementItem(AreaPath):
    """One entitlement of one household (or one of its members): who owns it (a post), who
    helps, by when, its state and evidence, and the case it was escalated through.

    `member_key` is the member's id, or 0 for a household item: with the household and the
    entitlement it makes generation idempotent (a unique constraint, not a check)."""

    relocated = models.ForeignKey(
        RelocatedHousehold, on_delete=models.CASCADE, related_name="items"
    )
    entitlement = models.ForeignKey(
        Entitlement, on_delete=models.PROTECT, related_name="items", verbose_name=_("权益事项")
    )
    member = models.ForeignKey(
        Resident,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("成员"),
    )
    member_key = models.BigIntegerField(default=0, editable=False)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("状态"), max_length=16, choices=ItemState.choices, default=ItemState.PENDING
    )
    level = models.CharField(
        _("办理层级"), max_length=12, choices=Level.choices, default=Level.COMMUNITY
    )
    owner = models.ForeignKey(
        Post,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("责任人"),
    )
    helper = models.ForeignKey(
        Post,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("帮扶人"),
    )
    due_on = models.DateField(_("落实期限"))
    progressed_on = models.DateField(_("最近进展"))
    evidence = models.TextField(_("佐证"), blank=True)
    fulfilled_on = models.DateField(_("落实日期"), null=True, blank=True)
    reason = models.TextField(_("不适用原因"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entitlement_items",
        verbose_name=_("转办诉求"),
    )
    escalated_on = models.DateField(_("提级日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("权益落实事项")
        verbose_name_plural = _("权益落实事项")
        ordering = ["relocated_id", "entitlement__order", "member_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["relocated", "entitlement", "member_key"], name="relocation_item_once"
            )
        ]
        indexes = [models.Index(fields=["state", "progressed_on"], name="relocation_item_state")]

    def __str__(self) -> str:
        return f"{self.relocated_id}:{self.entitlement_id}:{self.member_key}"


class ItemEvent(models.Model):
    """One change of an item (its timeline): who, what, the states and levels moved between."""

    item = models.ForeignKey(EntitlementItem, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=16)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    from_level = models.CharField(max_length=12, blank=True)
    to_level = models.CharField(max_length=12, blank=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.item_id}:{self.action}"


class OmissionRun(models.Model):
    """One run of the omission check: how many it found, how many were new and closed, so a
    leader sees the count fall."""

    at = models.DateTimeField(_("检查时间"))
    found = models.PositiveIntegerField(_("发现"))
    opened = models.PositiveIntegerField(_("新增"))
    closed = models.PositiveIntegerField(_("已消除"))
    by_kind = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.found}"


class Omission(AreaPath):
    """One finding of the omission check, open until a later run no longer finds it."""

    kind = models.CharField(_("类别"), max_length=16, choices=OmissionKind.choices)
    key = models.CharField(max_length=80)
    relocated = models.ForeignKey(
        RelocatedHousehold, on_delete=models.CASCADE, related_name="omissions"
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    entitlement = models.ForeignKey(
        Entitlement, on_delete=models.CASCADE, null=True, related_name="+"
    )
    member = models.ForeignKey(Resident, on_delete=models.CASCADE, null=True, related_name="+")
    item = models.ForeignKey(
        EntitlementItem, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    detail = models.CharField(_("说明"), max_length=300, blank=True)
    found_on = models.DateField(_("发现日期"))
    closed_on = models.DateField(_("消除日期"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-found_on", "id"]
        indexes = [models.Index(fields=["key", "closed_on"], name="relocation_omission_key")]

    def __str__(self) -> str:
        return self.key
