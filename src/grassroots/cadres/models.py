"""Village cadres (村干部): the registry, terms, appraisals, ballots, pay rules and pay sheets.

Only `cadres.services` and `cadres.workflow` write here; only the workflow sets
`Appraisal.state`. A cadre is a resident of the registry: name, birth date, education and the
(masked, encrypted) phone are the resident's own, never copied.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area, AreaPath
from grassroots.cadres.choices import (
    Grade,
    LineKind,
    Origin,
    Period,
    Post,
    RaterGroup,
    SheetKind,
    SheetState,
    State,
)


class Cadre(AreaPath):
    """A resident who holds (or held) posts of a village's or community's two committees; placed
    in that village or community (its `AreaPath` columns make scope one column test)."""

    resident = models.OneToOneField(
        "people.Resident", on_delete=models.PROTECT, related_name="cadre", verbose_name=_("居民")
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="cadres", verbose_name=_("所在村（社区）")
    )
    origin = models.CharField(_("来源"), max_length=12, choices=Origin.choices)
    # the county unit a sent-down secretary comes from, or the recruitment batch
    origin_unit = models.CharField(_("原单位或招聘批次"), max_length=100, blank=True)
    # the cadre's own sign-in account, set by the organisation department: it sees the cadre's
    # own appraisals and pay at /cadres/me/ (and nothing else of the app without a right)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cadre_record",
        verbose_name=_("本人账号"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("村（社区）干部")
        verbose_name_plural = _("村（社区）干部")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.resident.name


class Term(models.Model):
    """One term in one post: from `started_on` to `ended_on` (inclusive; open while it runs)."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="terms")
    post = models.CharField(_("职务"), max_length=12, choices=Post.choices)
    started_on = models.DateField(_("任职日期"))
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)

    class Meta:
        ordering = ["started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="cadre_term_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.post} {self.started_on}–{self.ended_on or ''}"


class Scheme(models.Model):
    """The appraisal scheme of a year (`cadres.scoring.scheme_from_config` validates `config`)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    config = models.JSONField(_("方案"))
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return str(self.year)


class PayRule(models.Model):
    """The pay rule of a year (`cadres.pay.pay_rule_from_config` validates `config`)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    config = models.JSONField(_("报酬规则"))
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return str(self.year)


class Appraisal(AreaPath):
    """One cadre's appraisal for one period: inputs, result and state."""

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="appraisals")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    period = models.CharField(_("考核期"), max_length=8, choices=Period.choices)
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.DRAFT, editable=False
    )
    # quarters: {indicator: score}; annual: {pledges, township, penalty} (+ ballots counted)
    inputs = models.JSONField(_("考核数据"), default=dict)
    total = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True)
    grade = models.CharField(_("等次"), max_length=12, choices=Grade.choices, blank=True)
    stars = models.PositiveSmallIntegerField(_("星级"), null=True)
    warning_talk = models.BooleanField(_("需约谈提醒"), default=False)
    # the result's explanation (`AnnualResult.as_json` or the quarter's lines)
    result = models.JSONField(default=dict)
    confirmed_on = models.DateField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year", "period", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "year", "period"], name="cadre_appraisal_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.period}"


class AppraisalEvent(models.Model):
    """One change of an appraisal (its timeline): corrections carry reason and approver."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(max_length=12)
    from_state = models.CharField(max_length=12)
    to_state = models.CharField(max_length=12)
    reason = models.TextField(blank=True)
    approver = models.CharField(max_length=60, blank=True)
    # before/after of the result on a correction
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.action} {self.from_state}→{self.to_state}"


class BallotCode(models.Model):
    """A one-time code handed to one rater; only its hash is kept, and it is used once."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="codes")
    group = models.CharField(max_length=20, choices=RaterGroup.choices)
    digest = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.group} code"


class Ballot(models.Model):
    """One rater's ballot (a score or a vote), anonymous: no link to its code or its rater."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="ballots")
    group = models.CharField(max_length=20, choices=RaterGroup.choices)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    vote = models.CharField(max_length=12, choices=Grade.choices, blank=True)
    # "code" (on a phone) or "paper" (counted and entered)
    via = models.CharField(max_length=8)

    def __str__(self) -> str:
        return f"{self.group} ballot"


class PaySheet(AreaPath):
    """A village's pay sheet for a month (base) or a year (performance)."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"), null=True, blank=True)
    kind = models.CharField(_("类型"), max_length=8, choices=SheetKind.choices)
    state = models.CharField(
        _("状态"), max_length=10, choices=SheetState.choices, default=SheetState.DRAFT
    )
    confirmed_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year", "month", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "month", "kind"], name="cadre_pay_sheet_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month or 'year'}"


class PayLine(models.Model):
    """One line of a sheet: an amount (yuan, exact) and the parts it sums."""

    sheet = models.ForeignKey(PaySheet, on_delete=models.CASCADE, related_name="lines")
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="pay_lines")
    kind = models.CharField(_("项目"), max_length=12, choices=LineKind.choices)
    amount = models.DecimalField(_("金额"), max_digits=12, decimal_places=2)
    explanation = models.JSONField(default=dict)
    reason = models.CharField(_("事由"), max_length=200, blank=True)
    approver = models.CharField(_("审批人"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"
