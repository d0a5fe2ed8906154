from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "grassroots.areas"
    label = "areas"
    verbose_name = _("区划与网格")

    def ready(self) -> None:
        # The core asks "which permissions does this user hold"; posts answer (core.perms).
        from grassroots.areas.scope import scope_for
        from grassroots.core.perms import register_perms_source

        register_perms_source(lambda user: scope_for(user).perms)
