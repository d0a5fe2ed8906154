"""Named choices of the figures app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Grain(models.TextChoices):
    """What one `SubtreeFigure` row breaks its area's subtree down by, besides the day."""

    # Nothing more: the whole subtree's cases of the day.
    AREA = "area", _("区域")
    # One row per matter and owning unit of the day's cases (no unit: the county desk).
    MATTER_UNIT = "matter_unit", _("事项和承办单位")


class Unit(models.TextChoices):
    """What a named figure counts in."""

    COUNT = "count", _("件")
    RATE = "rate", _("比率")
    # A sum of floor areas (a counter with `total`).
    SQUARE_METRES = "sqm", _("平方米")
    # A sum of money in fen (0.01 yuan, a counter with `total`): exact in a whole-number rollup.
    FEN = "fen", _("分（0.01 元）")
    # A sum of credited training hours (学时).
    HOURS = "hours", _("学时")
    # A sum of land areas in whole mu (亩).
    MU = "mu", _("亩")
    # A sum of amounts in whole yuan (元).
    YUAN = "yuan", _("元")
