from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class FiguresConfig(AppConfig):
    """Named figures: the registry, the rollups, the refresher and verify (docs/dashboard.md)."""

    name = "grassroots.figures"
    label = "figures"
    verbose_name = _("统计口径")

    def ready(self) -> None:
        # Each app registers its named figures in its own `figures` module (cases.figures).
        autodiscover_modules("figures")
