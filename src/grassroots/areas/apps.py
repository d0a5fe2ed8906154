from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "grassroots.areas"
    label = "areas"
    verbose_name = _("区划与网格")

    def ready(self) -> None:
        # The core asks "which permissions does this user hold"; posts answer (core.perms).
        from grassroots.areas.scope import TOKEN_POSTS, scope_for
        from grassroots.core.perms import register_perms_source
        from grassroots.core.tokens import register_token_companion

        register_perms_source(lambda user: scope_for(user).perms)
        # An API request's posts are read with its token (one round trip on PostgreSQL).
        register_token_companion(TOKEN_POSTS)
