from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardConfig(AppConfig):
    """The 三化三力 scorecard: indicators as data, over registered figures (docs/scorecard.md)."""

    name = "grassroots.scorecard"
    label = "scorecard"
    verbose_name = _("三化三力指标")
