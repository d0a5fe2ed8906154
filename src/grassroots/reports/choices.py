"""Named choices of the reports app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    # a calendar month: "2026-11"
    MONTH = "month", _("月报")
    # a calendar quarter: "2026-Q4"
    QUARTER = "quarter", _("季报")
    # a calendar year: "2026"
    YEAR = "year", _("年报")
    # no period: the records as they stand (a register such as the relocated households)
    NONE = "none", _("不分期")


class AnswerState(models.TextChoices):
    # issued, not yet confirmed by the target area
    PENDING = "pending", _("待确认")
    # generated and confirmed by the target area: who, when, the file's hash
    CONFIRMED = "confirmed", _("已确认")
