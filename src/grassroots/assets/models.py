"""Village collective assets and their clean-up (清化收): assets and resources, problems
found, and the actions taken with evidence.

Only `assets.services` writes here. Areas and amounts are whole mu and whole yuan (the
township economic-management stations' ledgers keep them so), which the figures add up.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area, AreaPath
from grassroots.assets.choices import AssetKind, LandType, ProblemKind, Status


class CollectiveAsset(AreaPath):
    """One asset or resource of a village collective: land (mu, type), a building, funds, or a
    contract with its party, term and yearly fee."""

    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("村（社区）")
    )
    kind = models.CharField(_("类别"), max_length=10, choices=AssetKind.choices)
    name = models.CharField(_("名称"), max_length=120)
    land_type = models.CharField(_("地类"), max_length=14, choices=LandType.choices, blank=True)
    area_mu = models.PositiveIntegerField(_("面积（亩）"), null=True, blank=True)
    value_yuan = models.PositiveBigIntegerField(_("价值（元）"), null=True, blank=True)
    party = models.CharField(_("合同相对方"), max_length=100, blank=True)
    term_from = models.DateField(_("合同起始"), null=True, blank=True)
    term_to = models.DateField(_("合同截止"), null=True, blank=True)
    fee_yuan = models.PositiveBigIntegerField(_("年承包费（元）"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("集体资产")
        verbose_name_plural = _("集体资产")
        ordering = ["area", "id"]

    def __str__(self) -> str:
        return self.name


class Problem(AreaPath):
    """A problem found with a village's assets (land mortgaged by a former cadre, fees unpaid,
    debts, assets occupied), its status and what has been recovered so far (the sums of its
    actions)."""

    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("村（社区）")
    )
    asset = models.ForeignKey(
        CollectiveAsset, on_delete=models.PROTECT, null=True, blank=True, related_name="problems"
    )
    kind = models.CharField(_("问题类型"), max_length=20, choices=ProblemKind.choices)
    title = models.CharField(_("问题"), max_length=200)
    description = models.TextField(_("情况说明"), blank=True)
    found_on = models.DateField(_("发现日期"))
    area_mu = models.PositiveIntegerField(_("涉及面积（亩）"), default=0)
    amount_yuan = models.PositiveBigIntegerField(_("涉及金额（元）"), default=0)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.OPEN, editable=False
    )
    resolved_on = models.DateField(_("化解日期"), null=True, blank=True, editable=False)
    recovered_mu = models.PositiveIntegerField(_("收回面积（亩）"), default=0, editable=False)
    recovered_yuan = models.PositiveBigIntegerField(_("收回金额（元）"), default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("资产问题")
        verbose_name_plural = _("资产问题")
        ordering = ["area", "found_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recovered_mu__lte=models.F("area_mu")),
                name="asset_problem_recovered_within_area",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ProblemAction(AreaPath):
    """One action taken on a problem (investigation, talk, agreement, court ruling, land
    returned), with its evidence file; it may change the status and record mu and yuan
    recovered."""

    problem = models.ForeignKey(Problem, on_delete=models.PROTECT, related_name="actions")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    taken_on = models.DateField(_("日期"))
    description = models.TextField(_("措施"))
    from_status = models.CharField(max_length=12, choices=Status.choices)
    to_status = models.CharField(max_length=12, choices=Status.choices)
    recovered_mu = models.PositiveIntegerField(_("收回面积（亩）"), default=0)
    recovered_yuan = models.PositiveBigIntegerField(_("收回金额（元）"), default=0)
    evidence = models.FileField(_("佐证材料"), upload_to="assets/%Y/%m/", blank=True)
    evidence_name = models.CharField(max_length=120, blank=True)
    evidence_type = models.CharField(max_length=40, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("清理措施")
        verbose_name_plural = _("清理措施")
        ordering = ["problem", "taken_on", "id"]

    def __str__(self) -> str:
        return f"{self.problem_id}@{self.taken_on}"
