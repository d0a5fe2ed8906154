"""Pairings of party members (and cadres) with households, visit plans, and visit logs.

Only `visits.services` writes here. Pairings and visits carry `AreaPath` columns copied from the
household's grid, so "rows in the subtree of X" (scope, lists, figures) is one column test.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area, AreaPath
from grassroots.cases.models import Case
from grassroots.disputes.models import Dispute
from grassroots.people.models import Household, Resident
from grassroots.visits.choices import EndReason, ProposalKind, ProposalState


class Pairing(AreaPath):
    """A party member (a resident) or a staff member (an account) paired with a household
    (党员联户 / 干部包户), from `started_on` until `ended_on`.

    A household has at most one active primary pairing (a partial unique constraint); secondary
    pairings (`primary=False`) are helpers beside it.
    """

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="pairings", verbose_name=_("户")
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("所在网格")
    )
    member = models.ForeignKey(
        Resident,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit_pairings",
        verbose_name=_("结对党员"),
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit_pairings",
        verbose_name=_("结对干部"),
    )
    primary = models.BooleanField(_("主要联系人"), default=True)
    started_on = models.DateField(_("结对日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    end_reason = models.CharField(
        _("结束原因"), max_length=16, choices=EndReason.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("结对")
        verbose_name_plural = _("结对")
        ordering = ["household", "-primary", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(ended_on__isnull=True, primary=True),
                name="pairing_one_active_primary",
            ),
            models.CheckConstraint(
                condition=Q(member__isnull=False, staff__isnull=True)
                | Q(member__isnull=True, staff__isnull=False),
                name="pairing_member_or_staff",
            ),
        ]
        indexes = [
            models.Index(fields=["member", "ended_on"], name="pairing_member_active"),
            models.Index(fields=["staff", "ended_on"], name="pairing_staff_active"),
            models.Index(fields=["community", "ended_on"], name="pairing_community"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id}↔{self.member_id or self.staff_id}"

    @property
    def partner_name(self) -> str:
        """Who visits: the member's name or the staff account's name."""
        if self.member is not None:
            return self.member.name
        if self.staff is not None:
            return self.staff.full_name or self.staff.get_username()
        return ""


class PlanRule(models.Model):
    """How often households should be visited (走访计划): households with a member carrying
    `tag` (blank: every household) every `interval_days` days.

    `area` None is the county-wide default; a rule on an area overrides, for that tag, the rules
    of the areas above it. A household's interval is the shortest over the tags its members carry
    (and the every-household rule).
    """

    area = models.ForeignKey(
        Area,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("适用区域"),
    )
    tag = models.CharField(_("人群标签"), max_length=40, blank=True)
    interval_days = models.PositiveSmallIntegerField(_("走访间隔（天）"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("走访计划规则")
        verbose_name_plural = _("走访计划规则")
        ordering = ["area", "tag"]
        constraints = [
            models.UniqueConstraint(fields=["area", "tag"], name="plan_rule_unique"),
            models.UniqueConstraint(
                fields=["tag"], condition=Q(area__isnull=True), name="plan_rule_unique_default"
            ),
            models.CheckConstraint(
                condition=Q(interval_days__gte=1) & Q(interval_days__lte=3660),
                name="plan_rule_interval_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area_id or '*'}:{self.tag or '*'}={self.interval_days}"


class Visit(AreaPath):
    """One home visit (入户走访): who went, when, whom they met, what they found.

    A found need may become a case (`case`, channel 入户走访) or a dispute (`dispute`, found via
    a visit); each links back through its `visits`. `idempotency_key` and `body_hash` make an
    offline outbox's retries safe.
    """

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="visits", verbose_name=_("户")
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("所在网格")
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("走访人"),
    )
    member = models.ForeignKey(
        Resident,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("同行党员"),
    )
    visited_on = models.DateField(_("走访日期"))
    met = models.ManyToManyField(Resident, blank=True, related_name="+", verbose_name=_("见到"))
    all_well = models.BooleanField(_("一切正常"), default=False)
    needs = models.TextField(_("需求"), blank=True)
    risks = models.TextField(_("风险隐患"), blank=True)
    opinions = models.TextField(_("意见建议"), blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("转办诉求"),
    )
    dispute = models.ForeignKey(
        Dispute,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("转为矛盾纠纷"),
    )
    idempotency_key = models.CharField(max_length=100, blank=True, editable=False)
    body_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["visitor", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="visit_idempotency_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["household", "visited_on"], name="visit_household_day"),
            models.Index(fields=["visitor", "visited_on"], name="visit_visitor_day"),
            *[
                models.Index(fields=[col, "visited_on"], name=f"visit_{col}_day")
                for col in ("county", "township", "community", "grid3")
            ],
        ]

    def __str__(self) -> str:
        return f"{self.household_id}@{self.visited_on}"


class VisitPhoto(models.Model):
    """A photo taken on a visit: re-encoded without EXIF by `cases.attachments.attachment_check`,
    stored under a random name with its SHA-256, served only to viewers of the visit."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="visits/%Y/%m/")
    name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("走访照片")
        verbose_name_plural = _("走访照片")
        ordering = ["visit", "id"]

    def __str__(self) -> str:
        return f"{self.visit_id}:{self.pk}"


class RegistryProposal(AreaPath):
    """A change noticed at the door, proposed to the registry from a visit (never typed into a
    second place): a member's new phone (sealed as the registry seals phones: ciphertext and a
    masked copy, never in clear) or that a member moved out. The community accepts it (applied
    through the people app's services) or rejects it. Carries the household grid's `AreaPath`.
    """

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="proposals")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, related_name="+", verbose_name=_("居民")
    )
    kind = models.CharField(_("变更类型"), max_length=12, choices=ProposalKind.choices)
    phone_enc = models.TextField(blank=True, editable=False)
    phone_masked = models.CharField(_("新的联系电话"), max_length=20, blank=True, editable=False)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=ProposalState.choices, default=ProposalState.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("不采纳原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("登记信息变更建议")
        verbose_name_plural = _("登记信息变更建议")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="phone") | ~Q(phone_enc=""), name="proposal_phone_sealed"
            ),
        ]
        indexes = [
            models.Index(fields=["community", "state"], name="proposal_community_state"),
        ]

    def __str__(self) -> str:
        return f"{self.visit_id}:{self.resident_id}:{self.kind}"


class HouseholdVisitDue(AreaPath):
    """One household under a visit plan, as the figures' refresher last computed it
    (`visits.coverage`): the interval its plan rules give it, the tag that decided it ("" for
    every household; never shown), its last visit and when the next is due. `as_of` is the
    local date of that computation. Derived data: only `visits.coverage` writes it, rebuilt
    whole from the households, their residents' tags, the visits and the plan rules."""

    household = models.OneToOneField(
        Household,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="+",
    )
    area = models.ForeignKey(
        Area, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    interval_days = models.PositiveSmallIntegerField(_("走访间隔（天）"))
    rule_tag = models.CharField(max_length=40, blank=True)
    last_visit = models.DateField(_("上次走访"), null=True, blank=True)
    due_on = models.DateField(_("应走访日期"))
    as_of = models.DateField()

    class Meta:
        verbose_name = _("户走访状态")
        verbose_name_plural = _("户走访状态")
        indexes = [
            models.Index(fields=[c, "due_on"], name=f"visitdue_{c}_due")
            for c in ("county", "township", "community", "grid3")
        ]

    def __str__(self) -> str:
        return f"{self.household_id}:{self.due_on}"
