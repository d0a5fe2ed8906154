from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "grassroots.core"
    label = "core"
    verbose_name = _("核心")

    def ready(self) -> None:
        # Registers grassroots' own `check --deploy` checks.
        from grassroots.core import (
            checks_deploy,  # noqa: F401
            checks_otp,  # noqa: F401 (registers the deploy check)
        )
        from grassroots.core.throttle_api import TOKEN_HIT
        from grassroots.core.tokens import register_token_companion
        from grassroots.db import checks as db_checks  # noqa: F401 (the replica settings)

        # The API's rate-limit hit travels with the token's look-up.
        register_token_companion(TOKEN_HIT)
