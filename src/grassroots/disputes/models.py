"""Disputes (矛盾纠纷): screening records, parties, mediation sessions, follow-ups, risk rules.

Only `disputes.services` and `disputes.workflow` write here; only the workflow sets
`Dispute.state` and `Dispute.level`. Parties from outside the registry keep their ID number and
phone as the registry does (ciphertext, blind index, masked copy): nothing shows a full number.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area, AreaPath
from grassroots.disputes.choices import (
    Action,
    FoundVia,
    Kind,
    Level,
    MediatorKind,
    Outcome,
    PartyRole,
    Risk,
    State,
)


class Dispute(AreaPath):
    """One dispute found by screening (矛盾纠纷排查), placed in an area (a grid or any area above:
    its `AreaPath` columns make "disputes in X's subtree" one column test)."""

    number = models.CharField(_("编号"), max_length=24, blank=True, db_index=True)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="disputes", verbose_name=_("所在区域")
    )
    kind = models.CharField(_("纠纷类型"), max_length=12, choices=Kind.choices)
    summary = models.TextField(_("纠纷概要"))
    risk = models.CharField(_("风险等级"), max_length=8, choices=Risk.choices)
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("排查人"),
    )
    found_via = models.CharField(_("发现途径"), max_length=10, choices=FoundVia.choices)
    # The hotline case it was found from (found_via = hotline).
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("来源诉求"),
    )
    # A plain reference of the source (a visit's number, a station's log entry): no link.
    source_ref = models.CharField(_("来源编号"), max_length=60, blank=True)
    found_on = models.DateField(_("发现日期"))
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.OPEN, editable=False
    )
    level = models.CharField(_("当前调解层级"), max_length=10, choices=Level.choices)
    escalations = models.PositiveSmallIntegerField(_("提级次数"), default=0, editable=False)
    settled_level = models.CharField(
        _("化解层级"), max_length=10, choices=Level.choices, blank=True, editable=False
    )
    settled_on = models.DateField(_("化解日期"), null=True, blank=True, editable=False)
    # The case opened when a department must act (state = referred).
    referred_case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("转办诉求"),
    )
    closed_on = models.DateField(_("终结日期"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("矛盾纠纷")
        verbose_name_plural = _("矛盾纠纷")
        ordering = ["-found_on", "-id"]
        indexes = [
            models.Index(fields=["state", "risk"], name="dispute_state_risk"),
            models.Index(fields=["community", "state"], name="dispute_community_state"),
            models.Index(fields=["township", "state"], name="dispute_township_state"),
            models.Index(fields=["grid3", "state"], name="dispute_grid3_state"),
            models.Index(fields=["county", "found_on"], name="dispute_county_found"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=State.SETTLED)
                | (Q(settled_on__isnull=False) & ~Q(settled_level="")),
                name="dispute_settled_has_level",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    def make_number(self) -> str:
        """The dispute's number: JF, the date found + its id, 6 digits (e.g. JF20260301000042)."""
        return f"JF{self.found_on:%Y%m%d}{self.pk:06d}"


class Party(models.Model):
    """A party to a dispute (当事人): a resident of the registry, or an outsider by name (with an
    optional ID number and phone, sealed as the registry seals them)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="parties")
    resident = models.ForeignKey(
        "people.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("居民"),
    )
    # An outsider's name; empty for a resident (their name is the registry's).
    name = models.CharField(_("姓名"), max_length=60, blank=True)
    id_number_enc = models.TextField(blank=True, editable=False)
    id_number_index = models.CharField(max_length=32, blank=True, editable=False)
    id_number_masked = models.CharField(_("身份证号"), max_length=18, blank=True, editable=False)
    phone_enc = models.TextField(blank=True, editable=False)
    phone_index = models.CharField(max_length=32, blank=True, editable=False)
    phone_masked = models.CharField(_("联系电话"), max_length=20, blank=True, editable=False)
    role = models.CharField(_("角色"), max_length=12, choices=PartyRole.choices)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["dispute", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resident__isnull=False) | ~Q(name=""), name="party_named"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The resident's registry name, or the outsider's (select `resident`)."""
        return self.resident.name if self.resident_id and self.resident else self.name

    @property
    def id_masked(self) -> str:
        """The masked ID number: the registry's for a resident, the party's own otherwise."""
        return self.resident.id_number_masked if self.resident else self.id_number_masked

    @property
    def phone_shown(self) -> str:
        """The masked phone: the registry's for a resident, the party's own otherwise."""
        return self.resident.phone_masked if self.resident else self.phone_masked


class Mediation(models.Model):
    """One mediation session (调解): when, at which level, by whom, and how it ended."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="mediations")
    held_on = models.DateField(_("调解日期"))
    level = models.CharField(_("调解层级"), max_length=10, choices=Level.choices)
    # [{"name": "张三", "kind": "sage"}, …]: names and kinds (乡贤, 人民调解员, …).
    mediators = models.JSONField(_("调解人"), default=list)
    outcome = models.CharField(_("调解结果"), max_length=8, choices=Outcome.choices)
    agreement_text = models.TextField(_("调解协议内容"), blank=True)
    agreement_file = models.FileField(_("协议扫描件"), upload_to="disputes/%Y/%m/", blank=True)
    agreement_name = models.CharField(max_length=120, blank=True)
    agreement_type = models.CharField(max_length=60, blank=True)
    agreement_sha256 = models.CharField(max_length=64, blank=True)
    notes = models.TextField(_("调解经过"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        ordering = ["dispute", "held_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.SETTLED) | ~Q(agreement_text=""),
                name="mediation_settled_has_agreement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.held_on}"

    def mediator_text(self) -> str:
        """ "张三（乡贤）、李四（人民调解员）" for people."""
        labels = dict(MediatorKind.choices)
        return "、".join(
            f"{m.get('name', '')}（{labels.get(m.get('kind', ''), '')}）" for m in self.mediators
        )


class FollowUp(models.Model):
    """A follow-up visit (回访) due after a settlement, and whether it was done."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="follow_ups")
    due_on = models.DateField(_("应回访日期"))
    done_on = models.DateField(_("回访日期"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(_("回访情况"), blank=True)

    class Meta:
        verbose_name = _("回访")
        verbose_name_plural = _("回访")
        ordering = ["dispute", "due_on", "id"]
        indexes = [models.Index(fields=["done_on", "due_on"], name="followup_due")]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.due_on}"


class RiskRule(models.Model):
    """An editable screening rule: a dispute of `kind` (any, when blank) with at least
    `min_parties` parties (any number, when null) is at least `risk`. The highest matching
    active rule sets the risk at screening; no match is green."""

    kind = models.CharField(_("纠纷类型"), max_length=12, choices=Kind.choices, blank=True)
    min_parties = models.PositiveSmallIntegerField(_("当事人数不少于"), null=True, blank=True)
    risk = models.CharField(_("风险等级"), max_length=8, choices=Risk.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("纠纷风险规则")
        verbose_name_plural = _("纠纷风险规则")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind or '*'} ≥{self.min_parties or 0} → {self.risk}"


class DisputeEvent(models.Model):
    """One immutable change of a dispute: who, when, from and to (state, level), why."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=12, choices=Action.choices)
    from_state = models.CharField(max_length=10, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=10, choices=State.choices)
    from_level = models.CharField(max_length=10, choices=Level.choices, blank=True)
    to_level = models.CharField(max_length=10, choices=Level.choices)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["dispute", "id"]
        indexes = [models.Index(fields=["dispute", "id"], name="disputeevent_dispute")]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.action}"
