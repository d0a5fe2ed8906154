"""The scorecard's one table: the indicators, defined as data."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from grassroots.areas.models import Area, AreaPath
from grassroots.figures.choices import Unit
from grassroots.scorecard.choices import Pillar


class Indicator(models.Model):
    """One indicator of the scorecard: a registered figure (`figure`), or the ratio of two
    (`figure` ÷ `per`), shown under its pillar with its definition in words. It never holds a
    number: its value is always counted from the rows its figures count. Written only through
    `scorecard.services.indicator_save`, which checks the figures exist and refuses activity
    counts (`scorecard.rules`)."""

    code = models.SlugField(_("代码"), max_length=60, unique=True)
    pillar = models.CharField(_("三化三力"), max_length=12, choices=Pillar.choices)
    label = models.CharField(_("名称"), max_length=60)
    label_en = models.CharField(_("英文名称"), max_length=100)
    definition = models.TextField(_("口径说明"))
    definition_en = models.TextField(_("英文口径说明"))
    unit = models.CharField(_("单位"), max_length=8, choices=Unit.choices, default=Unit.COUNT)
    figure = models.CharField(_("来源统计项"), max_length=60)
    per = models.CharField(
        _("分母统计项"),
        max_length=60,
        blank=True,
        help_text=_("填写时指标为两个统计项之比：来源 ÷ 分母"),
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("在用"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("三化三力指标")
        verbose_name_plural = _("三化三力指标")
        ordering = ["pillar", "position", "code"]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        """The registry's rules (`scorecard.rules.check`), as a form's errors by field."""
        from grassroots.scorecard.rules import as_validation_error, check

        as_validation_error(check(self))

    @property
    def is_ratio(self) -> bool:
        return bool(self.per)

    @property
    def shown_label(self) -> str:
        """The label in the current language (English when the page is in English)."""
        return self.label_en if (get_language() or "").startswith("en") else self.label

    @property
    def shown_definition(self) -> str:
        return self.definition_en if (get_language() or "").startswith("en") else self.definition


class ServedDay(AreaPath):
    """One person-time served (服务群众人次), derived by `scorecard.served` and rebuilt by
    `refresh-figures`: a household served on a day — by a case it raised, a home visit or an
    activity it took part in — counts once that day however many ways it was served; a case
    with no household counts once by itself. Placed in the household's micro grid (the case's
    area for a case without one)."""

    day = models.DateField(_("日期"))
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    household = models.ForeignKey(
        "people.Household", on_delete=models.CASCADE, null=True, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, related_name="+")
    # The ways it was served that day, sorted and comma-separated: activity, case, visit.
    kinds = models.CharField(_("服务方式"), max_length=40)
    as_of = models.DateField()

    class Meta:
        verbose_name = _("服务群众人次")
        verbose_name_plural = _("服务群众人次")
        indexes = [models.Index(fields=["day"], name="served_day")]


class ServedMark(models.Model):
    """Where `scorecard.served` last left off (one row): what it had read of each source, so that
    the next refresh recomputes only the days changed since (`served.rebuild`)."""

    as_of = models.DateField()
    cases = models.BigIntegerField(default=0)
    case_max = models.BigIntegerField(default=0)
    case_seen = models.DateTimeField(null=True)
    households = models.BigIntegerField(default=0)
    household_max = models.BigIntegerField(default=0)
    household_seen = models.DateTimeField(null=True)
    visits = models.BigIntegerField(default=0)
    visit_max = models.BigIntegerField(default=0)
    participants = models.BigIntegerField(default=0)
    participant_max = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("服务人次水位")
        verbose_name_plural = _("服务人次水位")

    def __str__(self) -> str:
        return f"served as of {self.as_of}"
