"""Named choices of the scorecard."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Pillar(models.TextChoices):
    """The article's three "-izations", each with the power it raises (三化三力)."""

    # 社区建设规范化 → 基层保障力
    COMMUNITY = "community", _("社区建设规范化 → 基层保障力")
    # 农村干部职业化 → 支部引领力
    CADRES = "cadres", _("农村干部职业化 → 支部引领力")
    # 易地后帮扶长效化 → 发展持久力
    RELOCATION = "relocation", _("易地后帮扶长效化 → 发展持久力")


class Span(models.TextChoices):
    """The length of the period a scorecard shows."""

    # Everything recorded to date (the article's figures are cumulative): no trend.
    ALL = "all", _("累计")
    # A calendar month.
    MONTH = "month", _("月")
    # A calendar quarter.
    QUARTER = "quarter", _("季度")
    # A calendar year.
    YEAR = "year", _("年")
